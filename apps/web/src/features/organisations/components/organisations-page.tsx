import { useState } from 'react';
import { App, Button, Card, Descriptions, Drawer, Empty, Grid, Input, Popconfirm, Select, Space, Spin, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  ORGANISATION_STATUS_NAMES,
  type OrganisationDetailDto,
  type OrganisationDto,
  type Page,
  type TeamDto,
  type UserDto,
  type VolunteerDto,
} from '@wenming/contracts';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { api, errorMessage } from '../../../lib/api-client';
import { useCategories, useCategoryName } from '../../../lib/categories';
import { formatDateTime } from '../../../lib/format';
import { useDebounced } from '../../../lib/use-debounced';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useOrganisation, useOrganisationLink, useOrganisationMembers, useOrganisations } from '../api/organisations-api';
import { OrganisationFormModal } from './organisation-form-modal';
import { JoinRequestsTable } from './join-requests-table';
import './organisations.css';

/** A search-and-add control: type, pick one, 添加. */
function AddPicker({
  placeholder,
  search,
  onAdd,
  testId,
}: {
  placeholder: string;
  search: (q: string, signal: AbortSignal) => Promise<{ value: string; label: string }[]>;
  onAdd: (id: string) => Promise<void>;
  testId: string;
}) {
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 300);
  const [picked, setPicked] = useState<string>();
  const [busy, setBusy] = useState(false);
  const found = useQuery({ queryKey: ['organisation-picker', testId, q], queryFn: ({ signal }) => search(q, signal) });
  return (
    <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
      <Select
        style={{ flex: 1 }}
        value={picked}
        onChange={setPicked}
        placeholder={placeholder}
        showSearch={{ filterOption: false, onSearch: setInput, searchValue: input }}
        notFoundContent={found.isFetching ? <Spin size="small" /> : '没有找到'}
        options={found.data ?? []}
        data-testid={testId}
      />
      <Button
        type="primary"
        disabled={!picked}
        loading={busy}
        onClick={async () => {
          if (!picked) return;
          setBusy(true);
          try {
            await onAdd(picked);
            setPicked(undefined);
          } finally {
            setBusy(false);
          }
        }}
      >
        添加
      </Button>
    </Space.Compact>
  );
}

function RemoveButton({ title, onConfirm }: { title: string; onConfirm: () => Promise<void> }) {
  return (
    <Popconfirm title={title} okText="移除" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={onConfirm}>
      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label="移除" />
    </Popconfirm>
  );
}

function MembersTab({ o }: { o: OrganisationDetailDto }) {
  const { message } = App.useApp();
  const members = useOrganisationMembers(o.id);
  const link = useOrganisationLink(o.id, 'members');
  const staff = o.allowedActions.includes('manageTeams');
  const run = async (targetId: string, remove: boolean) => {
    try {
      await link.mutateAsync({ targetId, remove });
      message.success(remove ? '已移除' : '已加入组织');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <>
      {staff && (
        <AddPicker
          testId="org-member-select"
          placeholder="搜索志愿者：姓名或手机号后4位"
          search={async (q, signal) =>
            (await api<Page<VolunteerDto>>('/volunteers', { query: { q: q || undefined, limit: 20, status: 'active' }, signal })).items.map((v) => ({
              value: v.id,
              label: `${v.realName}（${v.phone}）`,
            }))
          }
          onAdd={(id) => run(id, false)}
        />
      )}
      {!staff && <Typography.Paragraph type="secondary">志愿者在手机上申请加入，您在「待审核申请」中通过后即成为成员。</Typography.Paragraph>}
      {members.isError ? (
        <QueryError error={members.error} onRetry={() => void members.refetch()} />
      ) : (
        <Table
          rowKey="volunteerId"
          size="small"
          loading={members.isPending}
          dataSource={members.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有成员" /> }}
          columns={[
            { title: '姓名', dataIndex: 'realName' },
            { title: '累计时长', dataIndex: 'totalHours', width: 100, render: (h: number) => `${h} 小时` },
            { title: '加入时间', dataIndex: 'joinedAt', width: 160, render: (v: string) => formatDateTime(v) },
            {
              title: '',
              key: 'op',
              width: 60,
              render: (_: unknown, m: { volunteerId: string; realName: string }) => (
                <RemoveButton title={`将 ${m.realName} 移出组织？`} onConfirm={() => run(m.volunteerId, true)} />
              ),
            },
          ]}
        />
      )}
    </>
  );
}

function TeamsTab({ o }: { o: OrganisationDetailDto }) {
  const { message } = App.useApp();
  const link = useOrganisationLink(o.id, 'teams');
  const staff = o.allowedActions.includes('manageTeams');
  const run = async (targetId: string, remove: boolean) => {
    try {
      await link.mutateAsync({ targetId, remove });
      message.success(remove ? '已移出组织' : '已纳入组织');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <>
      {staff && (
        <AddPicker
          testId="org-team-select"
          placeholder="搜索队伍名称"
          search={async (q, signal) =>
            (await api<Page<TeamDto>>('/teams', { query: { q: q || undefined, limit: 20 }, signal })).items.map((t) => ({
              value: t.id,
              label: `${t.name}（${t.orgName}）`,
            }))
          }
          onAdd={(id) => run(id, false)}
        />
      )}
      <Table
        rowKey="id"
        size="small"
        dataSource={o.teams}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有队伍" /> }}
        columns={[
          { title: '队伍', dataIndex: 'name' },
          { title: '所属阵地', dataIndex: 'orgName', ellipsis: true },
          { title: '队长', dataIndex: 'leaderName', width: 90, render: (v: string | null) => v ?? '未设置' },
          { title: '队员', dataIndex: 'memberCount', width: 70 },
          ...(staff
            ? [
                {
                  title: '',
                  key: 'op',
                  width: 60,
                  render: (_: unknown, t: { id: string; name: string }) => (
                    <RemoveButton title={`将「${t.name}」移出组织？`} onConfirm={() => run(t.id, true)} />
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

function AdminsTab({ o }: { o: OrganisationDetailDto }) {
  const { message } = App.useApp();
  const link = useOrganisationLink(o.id, 'admins');
  const staff = o.allowedActions.includes('manageAdmins');
  const run = async (targetId: string, remove: boolean) => {
    try {
      await link.mutateAsync({ targetId, remove });
      message.success(remove ? '已取消' : '已设为组织管理员');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <>
      {staff && (
        <AddPicker
          testId="org-admin-select"
          placeholder="输入手机号查找账号（至少4位）"
          search={async (q, signal) =>
            q.length < 4
              ? []
              : (await api<Page<UserDto>>('/users', { query: { q, limit: 10 }, signal })).items.map((u) => ({ value: u.id, label: `${u.name}（${u.phone}）` }))
          }
          onAdd={(id) => run(id, false)}
        />
      )}
      <Typography.Paragraph type="secondary">组织管理员只能管理本组织：修改组织信息、审核加入申请、管理成员。</Typography.Paragraph>
      <Table
        rowKey="userId"
        size="small"
        dataSource={o.admins}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有组织管理员" /> }}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '手机号', dataIndex: 'phone' },
          ...(staff
            ? [
                {
                  title: '',
                  key: 'op',
                  width: 60,
                  render: (_: unknown, a: { userId: string; name: string }) => (
                    <RemoveButton title={`取消 ${a.name} 的组织管理员？`} onConfirm={() => run(a.userId, true)} />
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

function OrganisationDrawer({ id, onClose, onEdit }: { id: string | null; onClose: () => void; onEdit: (o: OrganisationDetailDto) => void }) {
  const screens = Grid.useBreakpoint();
  const q = useOrganisation(id);
  const categoryName = useCategoryName();
  const o = q.data;
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size={screens.md ? 760 : '100%'}
      title={o ? o.name : '组织详情'}
      destroyOnHidden
      extra={
        o?.allowedActions.includes('update') && (
          <Button icon={<EditOutlined />} onClick={() => onEdit(o)}>
            编辑
          </Button>
        )
      }
    >
      {!o ? (
        q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Spin />
        )
      ) : (
        <>
          <div className="org-figures" data-testid="organisation-figures">
            {(
              [
                ['志愿者', o.figures.volunteers, '人'],
                ['队伍', o.figures.teams, '支'],
                ['活动', o.figures.activities, '场'],
                ['服务时长', o.figures.hours, '小时'],
                ['待审核', o.figures.pendingRequests, '条'],
              ] as const
            ).map(([label, value, suffix]) => (
              <Card key={label} size="small">
                <Statistic title={label} value={value} suffix={<span className="org-figure-suffix">{suffix}</span>} styles={{ content: { fontSize: 22 } }} />
              </Card>
            ))}
          </div>
          <Tabs
            items={[
              {
                key: 'info',
                label: '概况',
                children: (
                  <Descriptions
                    column={screens.md ? 2 : 1}
                    bordered
                    size="small"
                    items={[
                      { key: 'code', label: '统一社会信用代码', children: <Typography.Text copyable>{o.creditCode}</Typography.Text>, span: 2 },
                      { key: 'auth', label: '登记管理机关', children: o.registrationAuthority },
                      { key: 'site', label: '主管阵地', children: o.orgName },
                      { key: 'contact', label: '联系人', children: `${o.contactName} ${o.contactPhone}` },
                      { key: 'status', label: '状态', children: ORGANISATION_STATUS_NAMES[o.status] },
                      { key: 'cats', label: '服务类别', children: o.categories.map((c) => <Tag key={c}>{categoryName(c)}</Tag>), span: 2 },
                      { key: 'area', label: '服务区域', children: o.serviceSites.map((s) => s.name).join('、') || '未设置', span: 2 },
                      ...(o.address ? [{ key: 'addr', label: '办公地址', children: o.address, span: 2 }] : []),
                      ...(o.description ? [{ key: 'desc', label: '简介', children: o.description, span: 2 }] : []),
                    ]}
                  />
                ),
              },
              { key: 'requests', label: `待审核申请（${o.figures.pendingRequests}）`, children: <JoinRequestsTable organisationId={o.id} /> },
              { key: 'members', label: `成员（${o.memberCount}）`, children: <MembersTab o={o} /> },
              { key: 'teams', label: `队伍（${o.teamCount}）`, children: <TeamsTab o={o} /> },
              { key: 'admins', label: '管理员', children: <AdminsTab o={o} /> },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}

/** 组织管理: registered volunteer organisations under the caller's sites (or the ones they administer). */
export function OrganisationsPage({ canCreate }: { canCreate: boolean }) {
  useDocumentTitle('组织管理');
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 300);
  const [category, setCategory] = useState<string>();
  const [open, setOpen] = useState<string | null>(null);
  const [form, setForm] = useState<{ editing: OrganisationDetailDto | null } | null>(null);
  const categories = useCategories();
  const categoryName = useCategoryName();
  const list = useOrganisations({ q: q || undefined, category });
  return (
    <div>
      <PageHeader
        title="组织管理"
        description="登记在册的志愿服务组织：统一社会信用代码、服务区域、所属队伍与成员、加入申请审核。"
        extra={
          canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ editing: null })}>
              登记组织
            </Button>
          )
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder="组织名称或信用代码" style={{ width: 280 }} value={input} onChange={(e) => setInput(e.target.value)} />
          <Select
            allowClear
            placeholder="服务类别"
            style={{ width: 160 }}
            value={category}
            onChange={setCategory}
            options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
          />
        </Space>
        {list.isError ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<OrganisationDto>
            rowKey="id"
            loading={list.isPending}
            dataSource={list.data?.items ?? []}
            pagination={false}
            scroll={{ x: 960 }}
            locale={{ emptyText: '暂无组织' }}
            onRow={(o) => ({ onClick: () => setOpen(o.id), style: { cursor: 'pointer' } })}
            columns={[
              { title: '组织名称', dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
              { title: '统一社会信用代码', dataIndex: 'creditCode', width: 190, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
              { title: '主管阵地', dataIndex: 'orgName', width: 220, ellipsis: true },
              {
                title: '服务类别',
                dataIndex: 'categories',
                width: 200,
                render: (cs: string[]) => cs.map((c) => categoryName(c)).join('、'),
              },
              { title: '成员', dataIndex: 'memberCount', width: 70 },
              { title: '队伍', dataIndex: 'teamCount', width: 70 },
              {
                title: '状态',
                dataIndex: 'status',
                width: 80,
                render: (s: OrganisationDto['status']) => <Tag color={s === 'active' ? 'green' : 'default'}>{ORGANISATION_STATUS_NAMES[s]}</Tag>,
              },
            ]}
          />
        )}
      </Card>
      <OrganisationDrawer id={open} onClose={() => setOpen(null)} onEdit={(o) => setForm({ editing: o })} />
      <OrganisationFormModal
        open={!!form}
        onClose={() => setForm(null)}
        editing={form?.editing}
        staff={form?.editing ? form.editing.allowedActions.includes('manageTeams') : canCreate}
      />
    </div>
  );
}

/** 入队申请: the join requests the caller may decide (team leaders, organisation admins, site admins). */
export function JoinRequestsPage() {
  useDocumentTitle('加入申请');
  return (
    <div>
      <PageHeader title="加入申请" description="志愿者申请加入您负责的队伍或组织。通过后即成为队员或成员；拒绝时请写明理由。" />
      <Card>
        <JoinRequestsTable />
      </Card>
    </div>
  );
}
