import { useEffect, useMemo, useRef, type Key } from 'react';
import { App, Empty, Spin, Tree, Typography, type GetRef, type TreeDataNode } from 'antd';
import type { OrgDto } from '@wenming/contracts';
import { OrgLevelTag } from '../../../components/org-level-tag';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { ROOT, type OrgTreeState } from '../hooks/use-org-tree';

const MORE = 'more:';

function OrgNodeTitle({ org }: { org: OrgDto }) {
  return (
    <span className="org-node" data-org-id={org.id} data-testid="org-node">
      <OrgLevelTag level={org.level} />
      <span className="org-node-name">{org.name}</span>
      {org.childCount > 0 && (
        <Typography.Text type="secondary" style={{ marginInlineStart: 6, fontSize: '0.9em' }}>
          {org.childCount}
        </Typography.Text>
      )}
    </span>
  );
}

interface Props {
  tree: OrgTreeState;
  selectedId: string | null;
  onSelect: (org: OrgDto) => void;
  height: number;
  /** Set to an org id to scroll it into view (after reveal); `onScrolled` says it is done. */
  scrollToId?: string | null;
  onScrolled?: () => void;
}

export function OrgTree({ tree, selectedId, onSelect, height, scrollToId, onScrolled }: Props) {
  const { message } = App.useApp();
  const ref = useRef<GetRef<typeof Tree>>(null);
  const { buckets, load, expandedKeys, setExpandedKeys } = tree;

  useEffect(() => {
    load(ROOT).catch(() => undefined);
  }, [load]);

  const byId = useMemo(() => {
    const m = new Map<string, OrgDto>();
    for (const b of Object.values(buckets)) for (const o of b.items) m.set(o.id, o);
    return m;
  }, [buckets]);

  const treeData = useMemo(() => {
    const build = (key: string, depth: number): TreeDataNode[] => {
      const b = buckets[key];
      if (!b) return [];
      const nodes: TreeDataNode[] = b.items.map((o) => {
        const child = buckets[o.id];
        return {
          key: o.id,
          title: <OrgNodeTitle org={o} />,
          isLeaf: o.childCount === 0 && !(child && child.items.length > 0),
          children: child ? build(o.id, depth + 1) : undefined,
        };
      });
      if (b.nextCursor || (b.loading && b.items.length > 0)) {
        nodes.push({
          key: `${MORE}${key}`,
          isLeaf: true,
          title: (
            <Typography.Link disabled={b.loading} data-testid="org-tree-more">
              {b.loading ? '加载中…' : `加载更多（已显示 ${b.items.length} 个）`}
            </Typography.Link>
          ),
        });
      }
      return nodes;
    };
    return build(ROOT, 0);
  }, [buckets]);

  // Scroll a revealed site into view once its row is actually in the expanded tree.
  useEffect(() => {
    if (!scrollToId || !ref.current) return undefined;
    const expanded = new Set(expandedKeys);
    const shown = (nodes: TreeDataNode[]): boolean =>
      nodes.some((n) => n.key === scrollToId || (expanded.has(String(n.key)) && !!n.children && shown(n.children)));
    if (!shown(treeData)) return undefined;
    const t = window.setTimeout(() => {
      ref.current?.scrollTo({ key: scrollToId, align: 'auto', offset: 48 });
      onScrolled?.();
    }, 50);
    return () => window.clearTimeout(t);
  }, [scrollToId, treeData, expandedKeys, onScrolled]);

  const roots = buckets[ROOT];
  if (!roots || (roots.loading && roots.items.length === 0)) {
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin description="正在加载阵地…" />
      </div>
    );
  }
  if (roots.error && roots.items.length === 0) return <QueryError error={roots.error} onRetry={() => load(ROOT, 'reload').catch(() => undefined)} />;
  if (roots.items.length === 0) return <Empty description="您的管辖范围内暂无阵地" />;

  return (
    <Tree
      ref={ref}
      className="org-tree"
      blockNode
      showLine={{ showLeafIcon: false }}
      height={height}
      treeData={treeData}
      expandedKeys={expandedKeys}
      selectedKeys={selectedId ? [selectedId] : []}
      onExpand={(keys: Key[]) => setExpandedKeys(keys.map(String))}
      loadData={async (node) => {
        const key = String(node.key);
        if (key.startsWith(MORE)) return;
        try {
          await load(key);
        } catch (e) {
          message.error(`加载下级阵地失败：${errorMessage(e)}`);
        }
      }}
      onSelect={(_keys, info) => {
        const key = String(info.node.key);
        if (key.startsWith(MORE)) {
          load(key.slice(MORE.length), 'more').catch((e: unknown) => message.error(`加载失败：${errorMessage(e)}`));
          return;
        }
        const org = byId.get(key);
        if (org) onSelect(org);
      }}
    />
  );
}
