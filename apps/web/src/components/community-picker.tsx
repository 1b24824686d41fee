import { useState } from 'react';
import { Breadcrumb, Button, Drawer, Empty, Input, Spin, Typography } from 'antd';
import { CheckCircleFilled, RightOutlined, SearchOutlined } from '@ant-design/icons';
import type { OrgDto, OrgLevel } from '@wenming/contracts';
import { OrgLevelTag } from './org-level-tag';
import { QueryError } from './query-error';
import { useDebounced } from '../lib/use-debounced';
import { useSites } from '../lib/sites';
import { placePath } from '../lib/site-names';
import './community-picker.css';

/** What to list under a site while browsing down to a community: city → district → street → community. */
const NEXT_LEVEL: Partial<Record<OrgLevel, OrgLevel>> = { city: 'center', center: 'institute', institute: 'station' };

interface Props {
  open: boolean;
  onClose: () => void;
  currentId?: string;
  onPick: (org: OrgDto) => void;
}

function SiteRows({ items, currentId, onTap }: { items: OrgDto[]; currentId?: string; onTap: (o: OrgDto) => void }) {
  return (
    <ul className="h5-site-list">
      {items.map((o) => {
        const pickable = o.level === 'station';
        return (
          <li key={o.id}>
            <button type="button" className="h5-site" onClick={() => onTap(o)} data-testid={pickable ? 'site-option' : 'site-folder'}>
              <span className="h5-site-text">
                <span className="h5-site-name">
                  <OrgLevelTag level={o.level} />
                  {o.name}
                </span>
                {o.pathNames.length > 0 && <span className="h5-site-path">{placePath(o.pathNames)}</span>}
              </span>
              {pickable ? (
                o.id === currentId ? (
                  <CheckCircleFilled className="h5-site-check" />
                ) : (
                  <span className="h5-site-choose">选择</span>
                )
              ) : (
                <RightOutlined className="h5-site-arrow" />
              )}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function Results({
  params,
  currentId,
  onTap,
  empty,
}: {
  params: { q?: string; parentId?: string; level?: OrgLevel };
  currentId?: string;
  onTap: (o: OrgDto) => void;
  empty: string;
}) {
  const q = useSites(params);
  if (q.isPending)
    return (
      <div className="h5-center">
        <Spin />
      </div>
    );
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const items = q.data.pages.flatMap((p) => p.items);
  if (!items.length) return <Empty description={empty} />;
  return (
    <>
      <SiteRows items={items} currentId={currentId} onTap={onTap} />
      {q.hasNextPage && (
        <Button block type="text" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} style={{ marginTop: 8 }}>
          加载更多
        </Button>
      )}
    </>
  );
}

/** 选择我的社区: search a community by name, or go down city → district → street. */
export function CommunityPicker({ open, onClose, currentId, onPick }: Props) {
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 350);
  const [trail, setTrail] = useState<OrgDto[]>([]);
  const parent = trail.at(-1);

  const tap = (o: OrgDto) => {
    if (o.level === 'station') {
      onPick(o);
      return;
    }
    setTrail((t) => [...t, o]);
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      placement="bottom"
      size="88%"
      title="选择我的社区"
      rootClassName="h5-picker"
      destroyOnHidden
      afterOpenChange={(v) => {
        if (!v) {
          setInput('');
          setTrail([]);
        }
      }}
    >
      <Input
        size="large"
        allowClear
        prefix={<SearchOutlined />}
        placeholder="输入社区或村的名称，如：新城"
        value={input}
        onChange={(e) => setInput(e.target.value)}
        data-testid="site-search"
        enterKeyHint="search"
      />
      <div style={{ marginTop: 12 }}>
        {q ? (
          <Results params={{ q, level: 'station' }} currentId={currentId} onTap={tap} empty={`没有找到名称含“${q}”的社区`} />
        ) : (
          <>
            <Breadcrumb
              className="h5-picker-trail"
              items={[
                { title: <a onClick={() => setTrail([])}>全部地区</a> },
                ...trail.map((o, i) => ({ title: i === trail.length - 1 ? o.name : <a onClick={() => setTrail(trail.slice(0, i + 1))}>{o.name}</a> })),
              ]}
            />
            <Typography.Text type="secondary" style={{ display: 'block', margin: '8px 0' }}>
              {parent ? '逐级选择，直到您所在的社区（村）' : '也可以逐级选择：市 → 区县 → 街道（乡镇）→ 社区（村）'}
            </Typography.Text>
            <Results
              key={parent?.id ?? 'root'}
              params={parent ? { parentId: parent.id, level: NEXT_LEVEL[parent.level] } : {}}
              currentId={currentId}
              onTap={tap}
              empty="这里还没有下级站点"
            />
          </>
        )}
      </div>
    </Drawer>
  );
}
