import { useRef, useState } from 'react';
import { App, Button, Card, Col, Descriptions, Empty, Image, Input, Row, Segmented, Skeleton, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PauseCircleOutlined, PlayCircleOutlined, StopOutlined, WarningFilled } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { PairingPlanDto, PairingTaskDto } from '@wenming/contracts';
import { PageHeader } from '../../../components/page-header';
import { photoUrl } from '../../../components/photo-upload';
import { PagedTable } from '../../../components/paged-table';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { usePairingPlan, usePlanTasks, usePlanTransition, type PlanTasksWhen } from '../api/pairing-api';
import { describeRules, formatDue, PlanStateTag, TaskKindTag, TaskStateTag } from './pairing-format';
import './pairing.css';

const RECORD_STATUS: Record<string, { color: string; label: string }> = {
  pending: { color: 'gold', label: '待审核' },
  verified: { color: 'green', label: '已审核' },
  rejected: { color: 'red', label: '未通过' },
  revoked: { color: 'default', label: '已撤销' },
};

function VisitLog({ t }: { t: PairingTaskDto }) {
  if (!t.log) return <Typography.Text type="secondary">—</Typography.Text>;
  if (t.state === 'missed')
    return (
      <span>
        未能探访：{t.log.missedReason}
        <Typography.Text type="secondary">
          {' '}
          （{t.log.loggedByName}，{formatDateTime(t.log.loggedAt)}）
        </Typography.Text>
      </span>
    );
  return (
    <div className="pairing-log">
      <div>
        {t.log.hours} 小时 · {t.records.map((r) => r.volunteerName).join('、')}
        {t.log.lat !== null && <Tag style={{ marginInlineStart: 6 }}>已定位</Tag>}
      </div>
      {t.log.note && <div className="pairing-log-note">{t.log.note}</div>}
      {t.log.photoIds.length > 0 && (
        <Image.PreviewGroup>
          <Space size={4} wrap>
            {t.log.photoIds.map((id) => (
              <Image key={id} src={photoUrl(id)} width={48} height={48} style={{ objectFit: 'cover', borderRadius: 4 }} />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      <Space size={4} wrap>
        {t.records.map((r) => (
          <Tag key={r.id} color={RECORD_STATUS[r.status]?.color}>
            {r.volunteerName} {RECORD_STATUS[r.status]?.label}
          </Tag>
        ))}
      </Space>
      <Typography.Text type="secondary" className="pairing-sub">
        探访于 {formatDateTime(t.log.visitedAt ?? t.log.loggedAt)}，{t.log.loggedByName} 登记
      </Typography.Text>
    </div>
  );
}

function Tasks({ plan }: { plan: PairingPlanDto }) {
  const [when, setWhen] = useState<PlanTasksWhen>('upcoming');
  const q = usePlanTasks(plan.id, when);
  return (
    <Card
      title="探访任务"
      extra={
        <Segmented
          value={when}
          onChange={(v) => setWhen(v as PlanTasksWhen)}
          options={[
            { value: 'upcoming', label: '即将探访' },
            { value: 'past', label: '已过 / 已完成' },
            { value: 'all', label: '全部' },
          ]}
          data-testid="pairing-task-when"
        />
      }
    >
      <PagedTable<PairingTaskDto>
        query={q}
        rowKey="id"
        size="middle"
        rowClassName={(t) => (t.overdue ? 'pairing-row-overdue' : '')}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={when === 'upcoming' ? '近两周没有待探访的任务' : '没有任务'} /> }}
        data-testid="pairing-tasks"
        columns={[
          {
            title: '时间',
            key: 'due',
            width: 175,
            render: (_: unknown, t) => (
              <span className={t.overdue ? 'pairing-overdue-text' : undefined}>
                {t.overdue && <WarningFilled />} {formatDue(t.dueAt)}
              </span>
            ),
          },
          {
            title: '任务',
            key: 'label',
            width: 170,
            render: (_: unknown, t) =>
              t.kind === 'weekly' ? (
                t.label
              ) : (
                <Space size={4} wrap>
                  <TaskKindTag kind={t.kind} />
                  {t.label.replace(/^每月相聚/, '')}
                </Space>
              ),
          },
          { title: '状态', key: 'state', width: 90, render: (_: unknown, t) => <TaskStateTag task={t} /> },
          { title: '探访记录', key: 'log', render: (_: unknown, t) => <VisitLog t={t} /> },
        ]}
        moreGap={12}
      />
    </Card>
  );
}

function Actions({ plan }: { plan: PairingPlanDto }) {
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const move = usePlanTransition(plan.id);
  const reasonRef = useRef('');
  const can = (a: string) => plan.allowedActions.includes(a);
  const ask = (action: 'pause' | 'resume' | 'end') => {
    const text = {
      pause: { title: '暂停结对？', body: '今天起未完成的探访任务将取消，恢复后重新生成。', ok: '暂停' },
      resume: { title: '恢复结对？', body: '将按探访规则重新生成近两周的任务，并通知志愿者。', ok: '恢复' },
      end: { title: '结束结对？', body: '结束后不能再修改或恢复，未完成的任务将取消。', ok: '结束' },
    }[action];
    reasonRef.current = '';
    modal.confirm({
      title: text.title,
      content: (
        <div>
          <p>{text.body}</p>
          {action !== 'resume' && (
            <Input.TextArea rows={2} maxLength={500} placeholder="原因（可选），会通知结对志愿者" onChange={(e) => (reasonRef.current = e.target.value)} />
          )}
        </div>
      ),
      okText: text.ok,
      okButtonProps: { danger: action === 'end' },
      cancelText: '取消',
      onOk: async () => {
        try {
          await move.mutateAsync({ action, reason: reasonRef.current || undefined });
          message.success(`已${text.ok}`);
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };
  return (
    <Space wrap>
      {can('edit') && (
        <Button icon={<EditOutlined />} onClick={() => navigate(`/admin/pairing/${plan.id}/edit`)} data-testid="pairing-edit">
          修改
        </Button>
      )}
      {can('pause') && (
        <Button icon={<PauseCircleOutlined />} onClick={() => ask('pause')}>
          暂停
        </Button>
      )}
      {can('resume') && (
        <Button type="primary" icon={<PlayCircleOutlined />} onClick={() => ask('resume')}>
          恢复
        </Button>
      )}
      {can('end') && (
        <Button danger icon={<StopOutlined />} onClick={() => ask('end')}>
          结束
        </Button>
      )}
      <Link to="/admin/pairing">
        <Button icon={<ArrowLeftOutlined />}>返回列表</Button>
      </Link>
    </Space>
  );
}

/** 结对详情: who, whom, the rules, and the visit tasks with their logs (overdue ones in red). */
export function AdminPairingPlanPage() {
  const { id } = useParams();
  const q = usePairingPlan(id);
  useDocumentTitle(q.data?.name ?? '结对详情');
  if (q.isPending) return <Skeleton active />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const p = q.data;
  return (
    <div>
      <PageHeader
        title={p.name}
        description={
          <Space size={8} wrap>
            <PlanStateTag state={p.state} />
            <span>{p.orgName}</span>
            {p.counts.overdue > 0 && (
              <Tag color="red" icon={<WarningFilled />}>
                {p.counts.overdue} 次探访已逾期未登记
              </Tag>
            )}
          </Space>
        }
        extra={<Actions plan={p} />}
      />
      <Row gutter={16}>
        <Col xs={24} xl={9}>
          <Card title="结对信息" className="pairing-side-card">
            <Descriptions column={1} size="small">
              <Descriptions.Item label="探访规则">
                <div>
                  {describeRules(p.rules).map((l) => (
                    <div key={l}>{l}</div>
                  ))}
                </div>
              </Descriptions.Item>
              <Descriptions.Item label="起止日期">
                {p.startsOn} 至 {p.endsOn ?? '长期'}
              </Descriptions.Item>
              <Descriptions.Item label="每次时长">{p.visitHours} 小时</Descriptions.Item>
              <Descriptions.Item label="任务统计">
                待探访 {p.counts.open} · 已完成 {p.counts.done} · 未能探访 {p.counts.missed}
              </Descriptions.Item>
              {p.stateReason && <Descriptions.Item label="状态说明">{p.stateReason}</Descriptions.Item>}
              {p.description && <Descriptions.Item label="说明">{p.description}</Descriptions.Item>}
            </Descriptions>
          </Card>
          <Card title={`帮扶对象（${p.residents.length}）`} className="pairing-side-card">
            {p.residents.map((r) => (
              <div key={r.id} className="pairing-person">
                <div className="pairing-person-name">
                  {r.name}
                  {r.birthYear && <Typography.Text type="secondary"> {new Date().getFullYear() - r.birthYear} 岁</Typography.Text>}
                  {r.tags.map((t) => (
                    <Tag key={t} color="orange" className="pairing-care-tag">
                      {t}
                    </Tag>
                  ))}
                </div>
                <div className="pairing-sub">{r.address}</div>
                <div className="pairing-sub">
                  {r.phone ?? '未登记电话'} · {r.orgName}
                </div>
                {r.note && <div className="pairing-person-note">{r.note}</div>}
              </div>
            ))}
          </Card>
          <Card title={`结对志愿者（${p.volunteers.length}）`} className="pairing-side-card">
            <Space wrap>
              {p.volunteers.map((v) => (
                <Tag key={v.id} color="red" className="pairing-vol-tag">
                  {v.name} <span className="pairing-sub">{v.phone}</span>
                </Tag>
              ))}
            </Space>
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          <Tasks plan={p} />
        </Col>
      </Row>
    </div>
  );
}
