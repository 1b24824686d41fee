import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Divider,
  Drawer,
  Empty,
  Form,
  Grid,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { DeleteOutlined, PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import { TEAM_TIER_NAMES, TEAM_TYPE_NAMES, ZCreateTeamBody, type TeamDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { useCategories, useCategoryName } from '../../../lib/categories';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { formatDateTime } from '../../../lib/format';
import { useDebounced } from '../../../lib/use-debounced';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useAddMember, useCreateTeam, useRemoveMember, useTeam, useTeams, useUserSearch, useVolunteerSearch } from '../api/teams-api';

type Row = TeamDto & { children?: Row[] };

const TIER_COLORS = { corps: 'red', squad: 'orange', unit: 'blue' } as const;

function LeaderSelect({ value, onChange, id }: { value?: string; onChange?: (id: string | undefined) => void; id?: string }) {
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 300);
  const users = useUserSearch(q);
  return (
    <Select
      id={id}
      allowClear
      value={value}
      onChange={onChange}
      placeholder="输入手机号查找（至少4位）"
      showSearch={{ filterOption: false, onSearch: setInput, searchValue: input }}
      notFoundContent={q.length < 4 ? '请输入手机号' : users.isFetching ? <Spin size="small" /> : '没有找到该用户'}
      options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name}（${u.phone}）` }))}
      data-testid="leader-select"
    />
  );
}

interface CreateValues {
  orgId?: string;
  name?: string;
  tier?: TeamDto['tier'];
  type?: TeamDto['type'];
  category?: string;
  parentTeamId?: string;
  leaderUserId?: string;
  description?: string;
}

function CreateTeamModal({ open, onClose, teams }: { open: boolean; onClose: () => void; teams: TeamDto[] }) {
  const [form] = Form.useForm<CreateValues>();
  const { message } = App.useApp();
  const create = useCreateTeam();
  const categories = useCategories();
  const [formError, setFormError] = useState<string | null>(null);
  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const missing = (['orgId', 'tier', 'type', 'category'] as const).filter((k) => !v[k]);
    if (missing.length) {
      const names = { orgId: '请选择所属阵地', tier: '请选择层级', type: '请选择类型', category: '请选择服务类别' };
      form.setFields(missing.map((k) => ({ name: [k], errors: [names[k]] })));
      return;
    }
    const body = validateForm(form, ZCreateTeamBody, { ...v, name: v.name ?? '', description: v.description?.trim() || undefined });
    if (!body) return;
    try {
      const t = await create.mutateAsync(body);
      message.success(`已成立「${t.name}」`);
      form.resetFields();
      onClose();
    } catch (e) {
      setFormError(applyApiError(form, e, ['orgId', 'name', 'tier', 'type', 'category', 'parentTeamId', 'leaderUserId', 'description']));
    }
  };
  return (
    <Modal
      open={open}
      title="新建志愿服务队伍"
      okText="创建"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={600}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        name="create-team"
        onValuesChange={clearErrorsOnChange(form)}
        onFinish={() => void submit()}
        initialValues={{ tier: 'unit', type: 'social' }}
      >
        <Form.Item name="orgId" label="所属阵地" required>
          <OrgSearchSelect />
        </Form.Item>
        <Form.Item name="name" label="队伍名称" required>
          <Input maxLength={100} placeholder="如：永康北路社区邻里守望服务队" />
        </Form.Item>
        <Space size={12} style={{ display: 'flex' }} wrap>
          <Form.Item name="tier" label="层级" required>
            <Select style={{ width: 130 }} options={Object.entries(TEAM_TIER_NAMES).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="type" label="类型" required>
            <Select style={{ width: 130 }} options={Object.entries(TEAM_TYPE_NAMES).map(([value, label]) => ({ value, label: `${label}队伍` }))} />
          </Form.Item>
          <Form.Item name="category" label="服务类别" required>
            <Select style={{ width: 180 }} placeholder="选择类别" options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))} />
          </Form.Item>
        </Space>
        <Form.Item name="parentTeamId" label="上级队伍">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="无（独立队伍）"
            options={teams.filter((t) => t.tier !== 'unit').map((t) => ({ value: t.id, label: `${t.name}（${TEAM_TIER_NAMES[t.tier]}）` }))}
          />
        </Form.Item>
        <Form.Item name="leaderUserId" label="队长" extra="队长可在手机上接收派单、指派队员、审核本队服务时长">
          <LeaderSelect />
        </Form.Item>
        <Form.Item name="description" label="简介">
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

function AddMember({ teamId }: { teamId: string }) {
  const { message } = App.useApp();
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 300);
  const list = useVolunteerSearch(q);
  const add = useAddMember(teamId);
  const [picked, setPicked] = useState<string>();
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Select
        style={{ flex: 1 }}
        value={picked}
        onChange={setPicked}
        placeholder="搜索志愿者：姓名或手机号后4位"
        showSearch={{ filterOption: false, onSearch: setInput, searchValue: input }}
        notFoundContent={list.isFetching ? <Spin size="small" /> : '没有找到志愿者'}
        options={(list.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.realName}（${v.phone}）` }))}
        data-testid="member-select"
      />
      <Button
        type="primary"
        icon={<UserAddOutlined />}
        disabled={!picked}
        loading={add.isPending}
        onClick={async () => {
          if (!picked) return;
          try {
            await add.mutateAsync(picked);
            message.success('已加入队伍');
            setPicked(undefined);
          } catch (e) {
            message.error(errorMessage(e));
          }
        }}
      >
        加入
      </Button>
    </Space.Compact>
  );
}

function TeamDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const t = useTeam(id);
  const remove = useRemoveMember(id ?? '');
  const categoryName = useCategoryName();
  const d = t.data;
  return (
    <Drawer open={!!id} onClose={onClose} size={screens.md ? 600 : '100%'} title={d ? d.name : '队伍详情'} destroyOnHidden>
      {!d ? (
        t.isError ? (
          <QueryError error={t.error} onRetry={() => void t.refetch()} />
        ) : (
          <Spin />
        )
      ) : (
        <>
          <Descriptions
            column={2}
            bordered
            size="small"
            items={[
              { key: 'org', label: '所属阵地', children: d.orgName, span: 2 },
              { key: 'tier', label: '层级', children: TEAM_TIER_NAMES[d.tier] },
              { key: 'type', label: '类型', children: `${TEAM_TYPE_NAMES[d.type]}队伍` },
              { key: 'cat', label: '服务类别', children: categoryName(d.category) },
              { key: 'leader', label: '队长', children: d.leaderName ?? '未设置' },
              { key: 'n', label: '队员', children: `${d.memberCount} 人` },
              { key: 'h', label: '累计时长', children: `${d.totalHours} 小时` },
              ...(d.description ? [{ key: 'desc', label: '简介', children: d.description, span: 2 }] : []),
            ]}
          />
          <Divider titlePlacement="start">队员（{d.members.length}）</Divider>
          {d.allowedActions.includes('addMember') && (
            <div style={{ marginBottom: 12 }}>
              <AddMember teamId={d.id} />
            </div>
          )}
          <Table
            rowKey="volunteerId"
            size="small"
            dataSource={d.members}
            pagination={false}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有队员" /> }}
            columns={[
              { title: '姓名', dataIndex: 'realName' },
              { title: '技能', dataIndex: 'skills', render: (s: string[]) => s.map((c) => categoryName(c)).join('、') },
              { title: '时长', dataIndex: 'totalHours', width: 70, render: (h: number) => `${h}h` },
              { title: '入队', dataIndex: 'joinedAt', width: 150, render: (v: string) => formatDateTime(v) },
              {
                title: '',
                key: 'op',
                width: 60,
                render: (_: unknown, m) =>
                  d.allowedActions.includes('removeMember') && (
                    <Popconfirm
                      title={`将 ${m.realName} 移出队伍？`}
                      okText="移出"
                      okButtonProps={{ danger: true }}
                      cancelText="取消"
                      onConfirm={async () => {
                        try {
                          await remove.mutateAsync(m.volunteerId);
                          message.success('已移出');
                        } catch (e) {
                          message.error(errorMessage(e));
                        }
                      }}
                    >
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label="移出" />
                    </Popconfirm>
                  ),
              },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}

/** 队伍: 总队 → 分队 → 服务队 as a tree; create one, open it to manage members. */
export function TeamsPage({ canCreate }: { canCreate: boolean }) {
  useDocumentTitle('队伍');
  const [orgId, setOrgId] = useState<string>();
  const [category, setCategory] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const categories = useCategories();
  const categoryName = useCategoryName();
  const q = useTeams({ orgId, category });
  const teams = useMemo(() => q.data?.items ?? [], [q.data]);
  const tree = useMemo(() => {
    const byId = new Map<string, Row>(teams.map((t) => [t.id, { ...t }]));
    const roots: Row[] = [];
    for (const t of byId.values()) {
      const parent = t.parentTeamId ? byId.get(t.parentTeamId) : undefined;
      if (parent) (parent.children ??= []).push(t);
      else roots.push(t);
    }
    return roots;
  }, [teams]);
  return (
    <div>
      <PageHeader
        title="队伍"
        description="志愿服务总队、分队和服务队。派单到队伍时由队长接单并指派队员。"
        extra={
          canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              新建队伍
            </Button>
          )
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <OrgSearchSelect value={orgId} onChange={(id) => setOrgId(id)} allowClear placeholder="全部阵地（输入名称筛选）" style={{ width: 320 }} />
          <Select
            allowClear
            placeholder="服务类别"
            style={{ width: 160 }}
            value={category}
            onChange={setCategory}
            options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
          />
        </Space>
        {q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Table<Row>
            rowKey="id"
            loading={q.isPending}
            dataSource={tree}
            pagination={false}
            scroll={{ x: 1000 }}
            expandable={{ defaultExpandAllRows: true }}
            locale={{ emptyText: '暂无队伍' }}
            onRow={(t) => ({ onClick: () => setOpen(t.id), style: { cursor: 'pointer' } })}
            columns={[
              { title: '队伍名称', dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
              { title: '层级', dataIndex: 'tier', width: 90, render: (t: TeamDto['tier']) => <Tag color={TIER_COLORS[t]}>{TEAM_TIER_NAMES[t]}</Tag> },
              { title: '类型', dataIndex: 'type', width: 80, render: (t: TeamDto['type']) => TEAM_TYPE_NAMES[t] },
              { title: '服务类别', dataIndex: 'category', width: 120, render: (c: string) => categoryName(c) },
              { title: '所属阵地', dataIndex: 'orgName', width: 240, ellipsis: true },
              {
                title: '队长',
                dataIndex: 'leaderName',
                width: 90,
                render: (v: string | null) => v ?? <Typography.Text type="secondary">未设置</Typography.Text>,
              },
              { title: '队员', dataIndex: 'memberCount', width: 70 },
              { title: '累计时长', dataIndex: 'totalHours', width: 100, render: (h: number) => `${h} 小时` },
            ]}
          />
        )}
      </Card>
      <CreateTeamModal open={creating} onClose={() => setCreating(false)} teams={teams} />
      <TeamDrawer id={open} onClose={() => setOpen(null)} />
    </div>
  );
}
