import { useState, type ReactNode } from 'react';
import { Breadcrumb, Button, Descriptions, Divider, Drawer, Empty, Grid, Space, Spin, Typography } from 'antd';
import { ApartmentOutlined, EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { ORG_LEVEL_NAMES, PILOT_LEVEL_NAMES, type OrgDto } from '@wenming/contracts';
import { childLevelsOf } from '@wenming/domain';
import { OrgLevelTag } from '../../../components/org-level-tag';
import { QueryError } from '../../../components/query-error';
import { formatCoord } from '../../../lib/format';
import { listOrgs, orgKeys, useOrg } from '../api/orgs-api';
import { CreateOrgModal, EditOrgModal } from './org-form-modals';

export interface DepartmentsSlotProps {
  org: OrgDto;
  createOpen: boolean;
  onCreateOpenChange: (open: boolean) => void;
}

interface Props {
  orgId: string | null;
  onClose: () => void;
  onOpen: (id: string) => void;
  /** Ancestors the caller may open (those inside their scope). */
  canOpen: (id: string) => boolean;
  onCreated: (child: OrgDto, parent: OrgDto) => void;
  onSaved: (org: OrgDto) => void;
  /** The departments of the site, drawn by the departments feature. */
  renderDepartments?: (p: DepartmentsSlotProps) => ReactNode;
}

function Children({ org, onOpen, highlight }: { org: OrgDto; onOpen: (id: string) => void; highlight: string | null }) {
  const q = useInfiniteQuery({
    queryKey: orgKeys.children(org.id),
    queryFn: ({ pageParam }) => listOrgs({ parentId: org.id, cursor: pageParam, limit: 20 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  if (q.isPending) return <Spin size="small" />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const items = q.data.pages.flatMap((p) => p.items);
  if (!items.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无下级阵地" />;
  return (
    <div data-testid="org-children">
      <ul className="result-list compact">
        {items.map((c) => (
          <li key={c.id}>
            <button type="button" className={`result-item${c.id === highlight ? ' highlight' : ''}`} onClick={() => onOpen(c.id)} data-testid="org-child">
              <div className="result-title">
                <OrgLevelTag level={c.level} />
                <span>{c.name}</span>
                {c.childCount > 0 && <Typography.Text type="secondary">（下级 {c.childCount}）</Typography.Text>}
              </div>
            </button>
          </li>
        ))}
      </ul>
      {q.hasNextPage && (
        <Button size="small" type="link" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
          加载更多
        </Button>
      )}
    </div>
  );
}

/** A site's details, where it sits, its children and departments, and what the caller may do with it. */
export function OrgDrawer({ orgId, onClose, onOpen, canOpen, onCreated, onSaved, renderDepartments }: Props) {
  const screens = Grid.useBreakpoint();
  const { data: org, isPending, isError, error, refetch } = useOrg(orgId);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState(false);
  const [creatingDept, setCreatingDept] = useState(false);
  const [justCreated, setJustCreated] = useState<string | null>(null);

  const can = (a: string) => !!org?.allowedActions.includes(a);
  const childLevels = org ? childLevelsOf(org.level) : [];

  const actions = org && (
    <Space wrap>
      {can('createChild') && childLevels.length > 0 && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          新建下级阵地
        </Button>
      )}
      {can('update') && (
        <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
          编辑
        </Button>
      )}
      {can('createDepartment') && renderDepartments && (
        <Button icon={<TeamOutlined />} onClick={() => setCreatingDept(true)}>
          新建职能部门
        </Button>
      )}
    </Space>
  );

  return (
    <Drawer
      open={!!orgId}
      onClose={onClose}
      size={screens.md ? 600 : '100%'}
      // Keep the tree usable beside the drawer: picking another site just changes the drawer.
      mask={false}
      // …and below the console's header (64px), which stays usable.
      rootStyle={screens.md ? { top: 64 } : undefined}
      title={org ? org.name : '阵地详情'}
      footer={actions || undefined}
      destroyOnHidden
      rootClassName="org-drawer"
    >
      {isPending && orgId ? (
        <Spin />
      ) : isError ? (
        <QueryError error={error} onRetry={() => void refetch()} />
      ) : org ? (
        <>
          <Breadcrumb
            className="org-drawer-path"
            items={[
              ...org.path.map((id, i) => ({
                title: canOpen(id) ? <a onClick={() => onOpen(id)}>{org.pathNames[i]}</a> : org.pathNames[i],
              })),
              { title: <strong>{org.name}</strong> },
            ]}
          />
          <Descriptions
            column={1}
            bordered
            size="small"
            style={{ marginTop: 16 }}
            styles={{ label: { width: 120 } }}
            items={[
              { key: 'name', label: '阵地名称', children: org.name },
              {
                key: 'level',
                label: '层级',
                children: (
                  <>
                    <OrgLevelTag level={org.level} /> {ORG_LEVEL_NAMES[org.level].zh}
                  </>
                ),
              },
              { key: 'region', label: '行政区划代码', children: org.regionCode ?? '未设置' },
              { key: 'address', label: '地址', children: org.address || '未设置' },
              { key: 'coord', label: '经纬度', children: formatCoord(org.lat, org.lng) },
              { key: 'children', label: '下级阵地', children: `${org.childCount} 个` },
              ...(org.level === 'city'
                ? []
                : [
                    { key: 'pilot', label: '试点', children: org.pilotLevel ? PILOT_LEVEL_NAMES[org.pilotLevel] : '非试点' },
                    { key: 'plaque', label: '挂牌', children: org.plaqued ? `已挂牌${org.plaquedOn ? `（${org.plaquedOn}）` : ''}` : '未挂牌' },
                  ]),
            ]}
          />
          <Divider titlePlacement="start">
            <ApartmentOutlined /> 下级阵地
          </Divider>
          <Children org={org} onOpen={onOpen} highlight={justCreated} />
          {renderDepartments && (
            <>
              <Divider titlePlacement="start">
                <TeamOutlined /> 职能部门
              </Divider>
              {renderDepartments({ org, createOpen: creatingDept, onCreateOpenChange: setCreatingDept })}
            </>
          )}
          <CreateOrgModal
            parent={org}
            open={creating}
            onClose={() => setCreating(false)}
            onCreated={(child) => {
              setCreating(false);
              setJustCreated(child.id);
              onCreated(child, org);
            }}
          />
          <EditOrgModal
            org={org}
            open={editing}
            onClose={() => setEditing(false)}
            onSaved={(saved) => {
              setEditing(false);
              onSaved(saved);
            }}
          />
        </>
      ) : null}
    </Drawer>
  );
}
