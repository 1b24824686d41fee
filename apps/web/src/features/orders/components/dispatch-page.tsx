import { useMemo, useState } from 'react';
import { Badge, Button, Card, DatePicker, Empty, Input, Rate, Segmented, Select, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { NATURE_NAMES, URGENCY_NAMES } from '@wenming/contracts';
import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router-dom';
import { ORDER_STATES, type OrderState } from '@wenming/domain';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { QueryError } from '../../../components/query-error';
import { useCategories, useCategoryName } from '../../../lib/categories';
import { useXlsxDownload } from '../../../lib/download';
import { formatDateTime } from '../../../lib/format';
import { useMe } from '../../../lib/session';
import { loadJson, saveJson } from '../../../lib/storage';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { orderListQuery, useOrders, type Nature, type OrderDto, type Urgency } from '../api/orders-api';
import { AssistedOrderModal } from './assisted-order-modal';
import { DeskAlerts } from './desk-alerts';
import { OrderStateTag, STATE_NAMES, UrgencyTag } from './order-tags';
import { OrderWorkbench } from './order-workbench';
import { SlaCountdown } from './sla-countdown';
import './orders.css';

const QUEUE_STATES = 'submitted,dispatched';
const SCOPE_KEY = 'wenming.dispatch.scope';
type Scope = 'desk' | 'subtree';

const bySla = (a: OrderDto, b: OrderDto) => a.acceptDueAt.localeCompare(b.acceptDueAt) || a.id.localeCompare(b.id);

function QueueItem({ o, selected, onSelect }: { o: OrderDto; selected: boolean; onSelect: () => void }) {
  return (
    <li>
      <button
        type="button"
        className={`dispatch-item${selected ? ' selected' : ''}${o.overdue ? ' overdue' : ''}`}
        onClick={onSelect}
        data-testid="queue-item"
        data-code={o.code}
      >
        <div className="dispatch-item-head">
          <span className="dispatch-item-code">{o.code}</span>
          {o.escalationLevel > 0 && <Tag color="red">已上报 {o.escalationLevel} 级</Tag>}
          {o.urgency !== 'normal' && <UrgencyTag urgency={o.urgency} />}
          <OrderStateTag state={o.state} />
        </div>
        <div className="dispatch-item-content">{o.content}</div>
        <div className="dispatch-item-meta">
          <span>{o.orgName}</span>
          <SlaCountdown dueAt={o.acceptDueAt} />
        </div>
      </button>
    </li>
  );
}

/** 待派单 · 待接单, most urgent (nearest accept deadline) first; the selected one beside it. */
function Queue({ isAdmin }: { isAdmin: boolean }) {
  const [params, setParams] = useSearchParams();
  const selected = params.get('order');
  const [scope, setScopeState] = useState<Scope>(() => (isAdmin ? 'subtree' : (loadJson<Scope>(SCOPE_KEY) ?? 'desk')));
  const setScope = (s: Scope) => {
    saveJson(SCOPE_KEY, s);
    setScopeState(s);
  };
  // New orders arrive by the event stream (the bell refreshes every order query) and every 30 s.
  const q = useOrders(scope === 'desk' ? { desk: true, state: QUEUE_STATES } : { state: QUEUE_STATES }, { limit: 200, refetchInterval: 30_000 });
  const items = useMemo(() => [...(q.data?.pages.flatMap((p) => p.items) ?? [])].sort(bySla), [q.data]);
  const overdue = items.filter((o) => o.overdue).length;
  const select = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('order', id);
    setParams(next, { replace: true });
  };
  const current = selected ?? items[0]?.id ?? null;

  return (
    <div className="dispatch-layout">
      <Card className="dispatch-queue">
        <div className="dispatch-queue-toolbar">
          {isAdmin ? (
            <Typography.Text strong>全部待办</Typography.Text>
          ) : (
            <Segmented
              value={scope}
              onChange={(v) => setScope(v as Scope)}
              options={[
                { value: 'desk', label: '本级待办' },
                { value: 'subtree', label: '辖区全部' },
              ]}
              data-testid="queue-scope"
            />
          )}
          <Space size={8}>
            <Typography.Text type="secondary" data-testid="queue-count">
              {items.length} 单{overdue > 0 && <Typography.Text type="danger">（超时 {overdue}）</Typography.Text>}
            </Typography.Text>
            <Tooltip title="每 30 秒自动刷新，新工单实时推送">
              <Button size="small" icon={<ReloadOutlined spin={q.isFetching} />} onClick={() => void q.refetch()} aria-label="刷新" />
            </Tooltip>
          </Space>
        </div>
        {q.isError ? (
          <div style={{ padding: 16 }}>
            <QueryError error={q.error} onRetry={() => void q.refetch()} />
          </div>
        ) : q.isPending ? (
          <div style={{ padding: 16 }}>
            <Card loading variant="borderless" />
          </div>
        ) : items.length === 0 ? (
          <Empty style={{ padding: 32 }} description={scope === 'desk' ? '本级暂无待派、待接的工单' : '暂无待派、待接的工单'} />
        ) : (
          <ul className="dispatch-queue-list" data-testid="queue">
            {items.map((o) => (
              <QueueItem key={o.id} o={o} selected={o.id === current} onSelect={() => select(o.id)} />
            ))}
          </ul>
        )}
      </Card>
      <div>
        {current ? (
          <OrderWorkbench
            key={current}
            orderId={current}
            compact
            header={(o) => (
              <Link to={`/admin/orders/${o.id}`}>
                <Button>工单详情</Button>
              </Link>
            )}
          />
        ) : (
          items.length > 0 && (
            <Card>
              <Empty description="选择一个工单查看详情" />
            </Card>
          )
        )}
      </div>
    </div>
  );
}

function OrderTable({ revisit }: { revisit?: boolean }) {
  const [states, setStates] = useState<OrderState[]>([]);
  // The desk's search (工单号、手机号或关键词) and filters (日期、类别、性质、紧急程度).
  const [term, setTerm] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [category, setCategory] = useState<string>();
  const [nature, setNature] = useState<Nature>();
  const [urgency, setUrgency] = useState<Urgency>();
  const categories = useCategories();
  const filters = {
    q: term.trim() || undefined,
    from: range?.[0]?.startOf('day').toISOString(),
    to: range?.[1]?.add(1, 'day').startOf('day').toISOString(),
    category,
    nature,
    urgency,
  };
  const listFilter = revisit ? { revisit: true } : { state: states.length ? states.join(',') : undefined, ...filters };
  const q = useOrders(listFilter, { limit: 50 });
  const xlsx = useXlsxDownload();
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  const categoryName = useCategoryName();
  return (
    <Card>
      {!revisit && (
        <Space wrap style={{ marginBottom: 16 }}>
          <Typography.Text>状态：</Typography.Text>
          <Select
            mode="multiple"
            allowClear
            placeholder="全部状态"
            style={{ minWidth: 320 }}
            value={states}
            onChange={setStates}
            options={ORDER_STATES.map((s) => ({ value: s, label: STATE_NAMES[s] }))}
            data-testid="state-filter"
          />
          <Input.Search allowClear placeholder="工单号 / 手机号 / 关键词" style={{ width: 240 }} onSearch={(v) => setTerm(v)} data-testid="order-search" />
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} placeholder={['提交起', '提交止']} />
          <Select
            allowClear
            placeholder="类别"
            style={{ width: 130 }}
            value={category}
            onChange={setCategory}
            options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
          />
          <Select
            allowClear
            placeholder="性质"
            style={{ width: 100 }}
            value={nature}
            onChange={setNature}
            options={(Object.keys(NATURE_NAMES) as Nature[]).map((n) => ({ value: n, label: NATURE_NAMES[n] }))}
          />
          <Select
            allowClear
            placeholder="紧急程度"
            style={{ width: 110 }}
            value={urgency}
            onChange={setUrgency}
            options={(Object.keys(URGENCY_NAMES) as Urgency[]).map((u) => ({ value: u, label: URGENCY_NAMES[u] }))}
          />
          <Tooltip title="按当前检索和筛选条件导出全部工单（工单台账）">
            <Button
              icon={<DownloadOutlined />}
              loading={xlsx.busy}
              onClick={() => void xlsx.download('/orders/export', orderListQuery(listFilter), '工单台账.xlsx')}
              data-testid="orders-export"
            >
              导出台账
            </Button>
          </Tooltip>
        </Space>
      )}
      {revisit && <Typography.Paragraph type="secondary">群众评价为 1–2 星的工单，请电话回访；需要时“回访重办”重新派单。</Typography.Paragraph>}
      <PagedTable<OrderDto>
        query={q}
        items={rows}
        rowKey="id"
        scroll={{ x: 1000 }}
        locale={{ emptyText: revisit ? '暂无需要回访的工单' : '暂无工单' }}
        columns={[
          { title: '工单号', dataIndex: 'code', width: 130, render: (v: string, o) => <Link to={`/admin/orders/${o.id}`}>{v}</Link> },
          { title: '诉求', dataIndex: 'content', ellipsis: true },
          { title: '类别', dataIndex: 'category', width: 110, render: (c: string) => categoryName(c) },
          { title: '紧急', dataIndex: 'urgency', width: 70, render: (u: OrderDto['urgency']) => <UrgencyTag urgency={u} /> },
          { title: '状态', dataIndex: 'state', width: 90, render: (s: OrderState) => <OrderStateTag state={s} /> },
          ...(revisit
            ? [
                {
                  title: '评价',
                  key: 'rating',
                  width: 220,
                  render: (_: unknown, o: OrderDto) => (
                    <div>
                      <Rate disabled value={o.rating?.score ?? 0} style={{ fontSize: 14 }} />
                      {o.rating?.comment && <div style={{ color: '#595959' }}>{o.rating.comment}</div>}
                    </div>
                  ),
                },
              ]
            : [{ title: '所在社区', dataIndex: 'orgName', width: 200, ellipsis: true }]),
          { title: '提交时间', dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
          {
            title: '操作',
            key: 'op',
            width: 100,
            fixed: 'right',
            render: (_: unknown, o) => (
              <Link to={`/admin/orders/${o.id}`}>
                <Button size="small" type={revisit && o.allowedActions.includes('reopen') ? 'primary' : 'link'}>
                  {revisit && o.allowedActions.includes('reopen') ? '回访处理' : '查看'}
                </Button>
              </Link>
            ),
          },
        ]}
        countText={<>已显示 {rows.length} 个工单</>}
      />
    </Card>
  );
}

/** 调度台: the live queue (SLA first) with triage, candidates and one-click 派单; all orders; 回访. */
export function DispatchPage({ isAdmin }: { isAdmin: boolean }) {
  useDocumentTitle('调度台');
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'queue';
  const revisit = useOrders({ revisit: true, state: 'rated' }, { limit: 50 });
  const revisitCount = (revisit.data?.pages.flatMap((p) => p.items) ?? []).filter((o) => o.allowedActions.includes('reopen')).length;
  const me = useMe().data;
  const [assisting, setAssisting] = useState(false);
  return (
    <div>
      <PageHeader
        title="调度台"
        description="群众点单实时进入待办，按接单时限排序；核对研判结果后一键派单，或转办职能部门。"
        extra={
          <Space wrap>
            {me && <DeskAlerts me={me} />}
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAssisting(true)} data-testid="assisted-open">
              代点单
            </Button>
          </Space>
        }
      />
      <AssistedOrderModal open={assisting} onClose={() => setAssisting(false)} onCreated={(o) => setParams({ order: o.id }, { replace: true })} />
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'queue' ? {} : { tab: k }, { replace: true })}
        items={[
          { key: 'queue', label: '待办工单', children: <Queue isAdmin={isAdmin} /> },
          { key: 'all', label: '全部工单', children: <OrderTable /> },
          {
            key: 'revisit',
            label: (
              <Badge count={revisitCount} size="small" offset={[8, -2]}>
                回访
              </Badge>
            ),
            children: <OrderTable revisit />,
          },
        ]}
      />
    </div>
  );
}
