import { useState } from 'react';
import { Button, Card, Col, Empty, Row, Segmented, Skeleton, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import { PhoneOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { MeDto } from '@wenming/contracts';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useDepartmentFigures, useOrders, type DepartmentFigures, type OrderDto } from '../api/orders-api';
import { DeptActions } from './dept-actions';
import { H5OrderActions } from './h5-order-actions';
import { NatureTag, OrderStateTag, UrgencyTag } from './order-tags';
import { SlaCountdown } from './sla-countdown';
import { OrderPhotos } from './order-photos';
import './orders.css';

const VIEWS = {
  todo: { label: '待签收', state: 'forwarded' },
  doing: { label: '办理中', state: 'acknowledged,extension_requested' },
  open: { label: '全部在办', state: 'forwarded,acknowledged,extension_requested' },
  done: { label: '已办结', state: 'resolved,rated' },
} as const;
type View = keyof typeof VIEWS;

const STAGE_LABEL: Record<string, string> = { forwarded: '签收时限', acknowledged: '办理时限', extension_requested: '办理时限' };

/** A rate, or 样本不足 when the sample is below the minimum (a rate of one case is not 100 %). */
function Rate({ title, value, min }: { title: string; value: number | null; min: number }) {
  return value === null ? (
    <Statistic
      title={title}
      value="样本不足"
      valueStyle={{ fontSize: 18, color: 'rgba(0,0,0,0.45)' }}
      suffix={<Tooltip title={`不足 ${min} 件时不计算比率`}>ⓘ</Tooltip>}
    />
  ) : (
    <Statistic title={title} value={Math.round(value * 1000) / 10} suffix="%" />
  );
}

function Figures({ f }: { f: DepartmentFigures }) {
  return (
    <Card size="small" title={`${f.name} · 考核指标`} data-testid="dept-figures">
      <Row gutter={[16, 12]}>
        <Col xs={12} sm={8} lg={4}>
          <Statistic title="在办" value={f.open} />
        </Col>
        <Col xs={12} sm={8} lg={4}>
          <Statistic title="已超时" value={f.overdue} valueStyle={f.overdue ? { color: '#cf1322' } : undefined} />
        </Col>
        <Col xs={12} sm={8} lg={4}>
          <Rate title="签收率（响应率）" value={f.ackRate} min={f.minSample} />
        </Col>
        <Col xs={12} sm={8} lg={4}>
          <Rate title="按时办结率（解决率）" value={f.onTimeRate} min={f.minSample} />
        </Col>
        <Col xs={12} sm={8} lg={4}>
          <Rate title="满意率" value={f.satisfactionRate} min={f.minSample} />
        </Col>
        <Col xs={12} sm={8} lg={4}>
          <Rate title="退单率" value={f.disputeRate} min={f.minSample} />
        </Col>
      </Row>
    </Card>
  );
}

function TaskCard({ o }: { o: OrderDto }) {
  const due = o.stageDueAt;
  return (
    <Card size="small" className="dept-task" data-testid="dept-task">
      <div className="dept-task-head">
        <Space size={6} wrap>
          <Link to={`/admin/orders/${o.id}`} className="dispatch-detail-code">
            {o.code}
          </Link>
          <OrderStateTag state={o.state} />
          <NatureTag nature={o.nature} />
          <UrgencyTag urgency={o.urgency} />
          {o.supervision && <Tag color="red">督办</Tag>}
          {o.extension?.pending && <Tag color="orange">延期待批</Tag>}
        </Space>
        {due && (
          <div className="dept-task-due">
            <SlaCountdown dueAt={due} />
            <Typography.Text type="secondary">
              {STAGE_LABEL[o.state] ?? '时限'} {formatDateTime(due)}
            </Typography.Text>
          </div>
        )}
      </div>
      <div className="dept-task-content">
        {o.title && <b>【{o.title}】</b>}
        {o.content}
        <OrderPhotos order={o} size={64} />
      </div>
      <div className="dept-task-meta">
        <span>
          诉求人：{o.requesterName ?? '—'}{' '}
          {o.requesterPhone && (
            <a href={`tel:${o.requesterPhone}`} data-testid="dept-task-phone">
              <PhoneOutlined /> {o.requesterPhone}
            </a>
          )}
        </span>
        <span>所在社区：{o.orgName}</span>
        {o.address && <span>地址：{o.address}</span>}
        {o.resolveDueAt && <span>办理时限：{formatDateTime(o.resolveDueAt)}</span>}
      </div>
      {o.supervision && (
        <Typography.Paragraph type="danger" style={{ margin: '8px 0 0' }}>
          督办：{o.supervision.note}
        </Typography.Paragraph>
      )}
      <div className="dept-task-actions">
        <DeptActions order={o} />
        <H5OrderActions order={o} size="middle" />
        <Link to={`/admin/orders/${o.id}`}>
          <Button type="link">详情与办理进度</Button>
        </Link>
      </div>
    </Card>
  );
}

/**
 * 部门工作台: the department officer's face (PC). Their queue, the running deadline first, each
 * task with the complainant's whole phone (the view is audited), the deadline and every action
 * 接诉即办 gives them; their department's 三率 above.
 */
export function DeptWorkPage({ me }: { me: MeDto }) {
  useDocumentTitle('部门工作台');
  const [view, setView] = useState<View>('open');
  const q = useOrders({ assigned: true, byDeadline: view !== 'done', state: VIEWS[view].state }, { limit: 100, refetchInterval: 60_000 });
  const figures = useDepartmentFigures();
  const mine = new Set(me.roles.filter((r) => r.role === 'dept_officer').map((r) => r.departmentId));
  const items = (q.data?.pages.flatMap((p) => p.items) ?? []).filter((o) => view === 'done' || o.state !== 'rated');
  const deptNames = me.roles.filter((r) => r.role === 'dept_officer').map((r) => r.departmentName ?? '');
  return (
    <div>
      <PageHeader
        title="部门工作台"
        description={`${deptNames.join('、')} · 接诉即办：按时签收、按时答复办结；非本部门职责的可退回，确需延期的请提出申请。`}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()}>
            刷新
          </Button>
        }
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {figures.data?.items
          .filter((f) => mine.has(f.departmentId))
          .map((f) => (
            <Figures key={f.departmentId} f={f} />
          ))}
        <Segmented
          value={view}
          onChange={(v) => setView(v as View)}
          options={(Object.keys(VIEWS) as View[]).map((k) => ({ value: k, label: VIEWS[k].label }))}
          data-testid="dept-view"
        />
        {q.isPending ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : items.length === 0 ? (
          <Card>
            <Empty description={view === 'done' ? '暂无已办结的工单' : '暂无待办工单'} />
          </Card>
        ) : (
          <div className="dept-task-list">
            {items.map((o) => (
              <TaskCard key={o.id} o={o} />
            ))}
          </div>
        )}
      </Space>
    </div>
  );
}
