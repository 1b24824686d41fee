import { useState } from 'react';
import { App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, TrophyOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  HONOUR_KIND_NAMES,
  HONOUR_ROUND_STATE_NAMES,
  NOMINATION_STATUS_NAMES,
  type HonourRoundDto,
  type MeDto,
  type NominationDto,
  type Page,
  type TeamDto,
} from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { api, errorMessage } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { VolunteerSelect } from '../../volunteers';
import { useCreateRound, useNominate, useNominationAction, useRound, useRoundAction, useRounds } from '../api/honours-api';

const STATE_COLOR = { nominating: 'blue', voting: 'orange', closed: 'default' } as const;
const STATUS_COLOR = { pending: 'blue', approved: 'green', rejected: 'default', awarded: 'gold' } as const;

function TeamSelect({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  const teams = useQuery({ queryKey: ['teams', 'pick'], queryFn: () => api<Page<TeamDto>>('/teams', { query: { limit: 100 } }) });
  return (
    <Select
      value={value}
      onChange={onChange}
      showSearch
      optionFilterProp="label"
      options={(teams.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))}
    />
  );
}

function NominateModal({ round, onClose }: { round: HonourRoundDto; onClose: () => void }) {
  const [form] = Form.useForm();
  const nominate = useNominate(round.id);
  const { message } = App.useApp();
  const submit = async () => {
    const v = (await form.validateFields()) as { orgId: string; nominee: string; reason: string };
    try {
      await nominate.mutateAsync({
        orgId: v.orgId,
        reason: v.reason,
        ...(round.kind === 'volunteer' ? { volunteerId: v.nominee } : { teamId: v.nominee }),
      });
      message.success('已提交推荐，等待审核');
      onClose();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Modal open title={`推荐：${round.title}`} onCancel={onClose} onOk={() => void submit()} confirmLoading={nominate.isPending} okText="提交推荐">
      <Form form={form} layout="vertical">
        <Form.Item name="orgId" label="推荐单位（您管理的阵地）" rules={[{ required: true, message: '请选择推荐单位' }]}>
          <OrgSearchSelect />
        </Form.Item>
        <Form.Item
          name="nominee"
          label={round.kind === 'volunteer' ? '推荐的志愿者' : '推荐的志愿服务队'}
          rules={[{ required: true, message: '请选择推荐对象' }]}
        >
          {round.kind === 'volunteer' ? <VolunteerSelect /> : <TeamSelect />}
        </Form.Item>
        <Form.Item name="reason" label="推荐理由（事迹）" rules={[{ required: true, message: '请填写推荐理由' }, { max: 2000 }]}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RoundDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const r = useRound(id);
  const act = useRoundAction();
  const nom = useNominationAction();
  const { message, modal } = App.useApp();
  const [nominating, setNominating] = useState(false);
  const [awarding, setAwarding] = useState<NominationDto | null>(null);
  const [award, setAward] = useState('');
  const d = r.data;
  const done = (p: Promise<unknown>, ok: string) =>
    p.then(
      () => {
        message.success(ok);
        void r.refetch();
      },
      (e: unknown) => message.error(errorMessage(e)),
    );
  return (
    <Drawer open width={760} title={d?.title ?? '评选'} onClose={onClose} data-testid="round-drawer">
      {d && (
        <>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="评选对象">{HONOUR_KIND_NAMES[d.kind]}</Descriptions.Item>
            <Descriptions.Item label="组织方">{d.orgName}</Descriptions.Item>
            <Descriptions.Item label="状态">
              <Tag color={STATE_COLOR[d.state]}>{HONOUR_ROUND_STATE_NAMES[d.state]}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label="公众投票">
              {d.votingStartsOn} 至 {d.votingEndsOn}（每个账号每天一票）
            </Descriptions.Item>
            {d.description && <Descriptions.Item label="说明">{d.description}</Descriptions.Item>}
          </Descriptions>
          <Space style={{ margin: '16px 0' }} wrap>
            {d.allowedActions.includes('nominate') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setNominating(true)} data-testid="nominate">
                推荐
              </Button>
            )}
            {d.allowedActions.includes('openVoting') && (
              <Button
                onClick={() =>
                  modal.confirm({
                    title: '截止推荐、开始公众投票？',
                    content: '通过审核的推荐将向公众展示。',
                    onOk: () => done(act.mutateAsync({ id, action: 'open-voting' }), '已开始投票'),
                  })
                }
              >
                开始投票
              </Button>
            )}
            {d.allowedActions.includes('close') && (
              <Button
                onClick={() =>
                  modal.confirm({
                    title: '结束评选？',
                    content: '获评者将进入光荣榜，并记入志愿者的服务记录与证明。',
                    onOk: () => done(act.mutateAsync({ id, action: 'close' }), '评选已结束'),
                  })
                }
              >
                结束评选
              </Button>
            )}
          </Space>
          <Table<NominationDto>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={d.nominations}
            locale={{ emptyText: '还没有推荐' }}
            data-testid="nominations-table"
            columns={[
              { title: '推荐对象', render: (_: unknown, n) => <Typography.Text strong>{n.nominee.name}</Typography.Text> },
              { title: '推荐单位', dataIndex: 'orgName' },
              { title: '理由', dataIndex: 'reason', ellipsis: true },
              { title: '票数', dataIndex: 'votes', width: 70 },
              {
                title: '状态',
                width: 130,
                render: (_: unknown, n) => (
                  <Tag color={STATUS_COLOR[n.status]}>
                    {NOMINATION_STATUS_NAMES[n.status]}
                    {n.award ? `：${n.award}` : ''}
                  </Tag>
                ),
              },
              {
                title: '操作',
                width: 160,
                render: (_: unknown, n) => (
                  <Space size={4}>
                    {n.allowedActions.includes('review') && (
                      <>
                        <Button
                          size="small"
                          type="link"
                          onClick={() => void done(nom.mutateAsync({ id: n.id, action: 'review', body: { decision: 'approve' } }), '已通过')}
                        >
                          通过
                        </Button>
                        <Button
                          size="small"
                          type="link"
                          danger
                          onClick={() => void done(nom.mutateAsync({ id: n.id, action: 'review', body: { decision: 'reject' } }), '已退回')}
                        >
                          不通过
                        </Button>
                      </>
                    )}
                    {n.allowedActions.includes('award') && (
                      <Button size="small" type="link" icon={<TrophyOutlined />} onClick={() => setAwarding(n)}>
                        评定
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
          {nominating && <NominateModal round={d} onClose={() => (setNominating(false), void r.refetch())} />}
          <Modal
            open={!!awarding}
            title={`评定：${awarding?.nominee.name ?? ''}`}
            onCancel={() => setAwarding(null)}
            okText="评定获评"
            onOk={() => {
              if (!awarding || !award.trim()) return;
              void done(nom.mutateAsync({ id: awarding.id, action: 'award', body: { award: award.trim() } }), '已评定').then(() => setAwarding(null));
            }}
          >
            <Input placeholder="荣誉称号，如：十佳最美志愿者" value={award} maxLength={50} onChange={(e) => setAward(e.target.value)} />
          </Modal>
        </>
      )}
    </Drawer>
  );
}

/** 评选表彰: rounds, nominations by sites, review, voting, results. */
export function AdminHonoursPage({ me }: { me: MeDto }) {
  useDocumentTitle('评选表彰');
  const list = useRounds();
  const create = useCreateRound();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const [form] = Form.useForm();
  const submit = async () => {
    const v = (await form.validateFields()) as never;
    try {
      await create.mutateAsync(v);
      message.success('评选已发起，下级阵地可以推荐');
      setOpen(false);
      form.resetFields();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <div>
      <PageHeader
        title="评选表彰"
        description="如“平城最美志愿者”“星级志愿服务队”：组织方发起评选，下级阵地推荐，组织方审核后公众投票（每个账号每天一票），评定获评者进入光荣榜，并记入志愿者的服务记录与服务证明。"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="round-new">
            发起评选
          </Button>
        }
      />
      <Card>
        <PagedTable<HonourRoundDto>
          query={list}
          rowKey="id"
          locale={{ emptyText: '还没有评选' }}
          data-testid="rounds-table"
          columns={[
            { title: '评选名称', render: (_: unknown, r) => <a onClick={() => setShown(r.id)}>{r.title}</a> },
            { title: '对象', dataIndex: 'kind', width: 110, render: (k: HonourRoundDto['kind']) => HONOUR_KIND_NAMES[k] },
            { title: '组织方', dataIndex: 'orgName' },
            { title: '投票时间', width: 220, render: (_: unknown, r) => `${r.votingStartsOn} 至 ${r.votingEndsOn}` },
            { title: '推荐', dataIndex: 'nominationCount', width: 70 },
            {
              title: '状态',
              dataIndex: 'state',
              width: 90,
              render: (s: HonourRoundDto['state']) => <Tag color={STATE_COLOR[s]}>{HONOUR_ROUND_STATE_NAMES[s]}</Tag>,
            },
          ]}
        />
      </Card>
      <Modal
        title="发起评选"
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        confirmLoading={create.isPending}
        okText="发起"
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ kind: 'volunteer', orgId: me.roles.find((g) => g.role === 'org_admin')?.orgId }}>
          <Form.Item name="orgId" label="组织方（阵地）" rules={[{ required: true, message: '请选择组织方' }]}>
            <OrgSearchSelect />
          </Form.Item>
          <Form.Item name="title" label="评选名称" rules={[{ required: true, message: '请填写评选名称' }, { max: 100 }]}>
            <Input placeholder="如：2026年度平城最美志愿者" />
          </Form.Item>
          <Form.Item name="kind" label="评选对象">
            <Radio.Group
              options={[
                { value: 'volunteer', label: '志愿者' },
                { value: 'team', label: '志愿服务队' },
              ]}
            />
          </Form.Item>
          <Space size={16}>
            <Form.Item name="votingStartsOn" label="投票开始日期" rules={[{ required: true, message: '请选择日期' }]}>
              <Input type="date" />
            </Form.Item>
            <Form.Item name="votingEndsOn" label="投票结束日期" rules={[{ required: true, message: '请选择日期' }]}>
              <Input type="date" />
            </Form.Item>
          </Space>
          <Form.Item name="description" label="评选说明" rules={[{ max: 2000 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
      {shown && <RoundDrawer id={shown} onClose={() => setShown(null)} />}
    </div>
  );
}
