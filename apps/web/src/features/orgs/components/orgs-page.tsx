import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { App, Button, Card, Input, Space, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import type { OrgDto } from '@wenming/contracts';
import { PageHeader } from '../../../components/page-header';
import { errorMessage } from '../../../lib/api-client';
import { useWindowHeight } from '../../../lib/use-window-height';
import { getOrg, orgKeys } from '../api/orgs-api';
import { ROOT, useOrgTree } from '../hooks/use-org-tree';
import { OrgDrawer, type DepartmentsSlotProps } from './org-drawer';
import { OrgSearchResults } from './org-search-results';
import { OrgTree } from './org-tree';
import './orgs.css';
import { useDocumentTitle } from '../../../lib/use-document-title';

/** 阵地管理: the five-level site tree of the caller's scope, search, and the site drawer. */
export function OrgsPage({ renderDepartments }: { renderDepartments?: (p: DepartmentsSlotProps) => ReactNode }) {
  useDocumentTitle('阵地管理');
  const { message } = App.useApp();
  const qc = useQueryClient();
  const tree = useOrgTree();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('org');
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [scrollToId, setScrollToId] = useState<string | null>(null);
  const height = Math.max(360, useWindowHeight() - 360);

  const open = useCallback(
    (id: string | null) => {
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          if (id) next.set('org', id);
          else next.delete('org');
          return next;
        },
        { replace: false },
      );
    },
    [setParams],
  );

  // Whatever opened a site (search, a link, the scope switcher): show it in the tree too.
  const { visibleIds, reveal } = tree;
  useEffect(() => {
    if (!selectedId || visibleIds.has(selectedId)) return;
    let cancelled = false;
    qc.fetchQuery({ queryKey: orgKeys.one(selectedId), queryFn: () => getOrg(selectedId) })
      .then((org) => reveal(org))
      .then((ok) => {
        if (!cancelled && ok) setScrollToId(selectedId);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
    // Only when the selection changes: not on every tree page load.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedId]);

  const clearScroll = useCallback(() => setScrollToId(null), []);

  const openFromSearch = (org: OrgDto) => {
    setInput('');
    setQ('');
    qc.setQueryData(orgKeys.one(org.id), org);
    // The effect above reveals it in the tree.
    open(org.id);
  };

  const onCreated = async (child: OrgDto, parent: OrgDto) => {
    tree.replace({ ...parent, childCount: parent.childCount + 1 });
    try {
      const [fresh] = await Promise.all([
        qc.fetchQuery({ queryKey: orgKeys.one(parent.id), queryFn: () => getOrg(parent.id), staleTime: 0 }),
        tree.load(parent.id, 'reload'),
      ]);
      tree.replace(fresh);
      tree.expand([...parent.path.filter((id) => tree.visibleIds.has(id)), parent.id]);
      setScrollToId(child.id);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <div className="orgs-page">
      <PageHeader
        title="阵地管理"
        description="五级阵地体系：市 → 县（市、区）新时代文明实践中心 → 街道（乡镇）实践所 → 村（社区）实践站 → 实践点/基地。展开节点查看下级，点击阵地查看详情。"
      />
      <Card>
        <div className="orgs-toolbar">
          <Input.Search
            placeholder="搜索阵地名称、地址或行政区划代码"
            allowClear
            enterButton="搜索"
            value={input}
            onChange={(e) => {
              setInput(e.target.value);
              if (!e.target.value) setQ('');
            }}
            onSearch={(v) => setQ(v.trim())}
            style={{ maxWidth: 520 }}
            data-testid="org-search"
          />
          <Space>
            {q && (
              <Button
                icon={<ArrowLeftOutlined />}
                onClick={() => {
                  setQ('');
                  setInput('');
                }}
              >
                返回阵地树
              </Button>
            )}
            {!q && (
              <Button
                icon={<ReloadOutlined />}
                onClick={() => {
                  for (const key of [ROOT, ...tree.expandedKeys]) tree.load(key, 'reload').catch(() => undefined);
                }}
              >
                刷新
              </Button>
            )}
          </Space>
        </div>
        {q ? (
          <OrgSearchResults q={q} onOpen={openFromSearch} />
        ) : (
          <div className="orgs-tree-wrap">
            <OrgTree tree={tree} selectedId={selectedId} onSelect={(o) => open(o.id)} height={height} scrollToId={scrollToId} onScrolled={clearScroll} />
          </div>
        )}
        {!q && (
          <Typography.Text type="secondary" className="orgs-legend">
            图例：市 · 中心 · 所 · 站 · 点；名称后的数字为下级阵地数
          </Typography.Text>
        )}
      </Card>
      <OrgDrawer
        orgId={selectedId}
        onClose={() => open(null)}
        onOpen={(id) => open(id)}
        canOpen={(id) => tree.visibleIds.has(id)}
        onCreated={(child, parent) => void onCreated(child, parent)}
        onSaved={(org) => tree.replace(org)}
        renderDepartments={renderDepartments}
      />
    </div>
  );
}
