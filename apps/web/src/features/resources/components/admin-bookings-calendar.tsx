import { useMemo, useState } from 'react';
import { Alert, App, Badge, Button, Card, Descriptions, Drawer, Empty, Input, Modal, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import type { MeDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { staffHomeOrgOf } from '../../../lib/session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useBookingAction, useBookings, type BookingDto } from '../api/resources-api';
import {
  addDays,
  BOOKING_STATE_COLORS,
  BOOKING_STATE_NAMES,
  chinaDate,
  chinaInstant,
  chinaTime,
  dayLabel,
  formatSlot,
  mondayOf,
  WEEKDAY_NAMES,
} from './resource-format';
import './resources.css';

type View = 'open' | 'pending' | 'all';
const VIEW_STATUS: Record<View, string | undefined> = { open: 'pending,approved,checked_in,completed,no_show', pending: 'pending', all: undefined };

/** One booking in the grid: time, who, and its state; pending ones stand out. */
function Chip({ b, onOpen }: { b: BookingDto; onOpen: () => void }) {
  return (
    <button type="button" className={`res-chip ${b.status}`} onClick={onOpen} data-testid="calendar-booking" data-status={b.status}>
      <span className="res-chip-time">
        {chinaTime(b.startsAt)}–{chinaTime(b.endsAt)}
      </span>
      <span className="res-chip-who">
        {b.userName ?? '—'}
        {b.quantity > 1 ? ` ×${b.quantity}` : ''}
      </span>
      <span className="res-chip-state">{BOOKING_STATE_NAMES[b.status]}</span>
    </button>
  );
}

function BookingDrawer({ booking, onClose }: { booking: BookingDto | null; onClose: () => void }) {
  const { message } = App.useApp();
  const action = useBookingAction();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [current, setCurrent] = useState<BookingDto | null>(null);
  const b = current && booking && current.id === booking.id ? current : booking;
  const can = (a: BookingDto['allowedActions'][number]) => !!b?.allowedActions.includes(a);
  const run = async (a: 'approve' | 'reject' | 'cancel' | 'checkin' | 'complete', done: string, why?: string) => {
    if (!b) return;
    setError(null);
    try {
      const next = await action.mutateAsync({ id: b.id, action: a, reason: why });
      setCurrent(next);
      message.success(done);
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    }
  };
  return (
    <Drawer open={!!booking} onClose={onClose} title={b ? `预约：${b.resourceName}` : ''} size={460} data-testid="booking-drawer" destroyOnHidden>
      {b && (
        <>
          <Space style={{ marginBottom: 12 }}>
            <Tag color={BOOKING_STATE_COLORS[b.status]} data-testid="booking-status">
              {BOOKING_STATE_NAMES[b.status]}
            </Tag>
            {b.status === 'pending' && <Typography.Text type="warning">等待您审核</Typography.Text>}
          </Space>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} closable={{ onClose: () => setError(null) }} />}
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="时间">{formatSlot(b.startsAt, b.endsAt)}</Descriptions.Item>
            <Descriptions.Item label="资源">
              {b.resourceName}
              <div className="res-muted">{b.orgName}</div>
            </Descriptions.Item>
            <Descriptions.Item label="预约人">
              {b.userName ?? '—'} {b.userPhone && <span className="res-muted">{b.userPhone}</span>}
            </Descriptions.Item>
            <Descriptions.Item label="用途">{b.purpose}</Descriptions.Item>
            <Descriptions.Item label={b.quantity > 1 || b.attendees === 1 ? '数量 / 人数' : '人数'}>
              {b.quantity > 1 ? `${b.quantity} 件 · ` : ''}
              {b.attendees} 人
            </Descriptions.Item>
            <Descriptions.Item label="提交时间">{formatDateTime(b.createdAt)}</Descriptions.Item>
            {b.decidedAt && <Descriptions.Item label="审核时间">{formatDateTime(b.decidedAt)}</Descriptions.Item>}
            {b.reason && <Descriptions.Item label="驳回理由">{b.reason}</Descriptions.Item>}
            {b.checkedInAt && <Descriptions.Item label="签到时间">{formatDateTime(b.checkedInAt)}</Descriptions.Item>}
            {b.reviewScore !== null && (
              <Descriptions.Item label="评价">
                {'★'.repeat(b.reviewScore)}
                {'☆'.repeat(5 - b.reviewScore)}
              </Descriptions.Item>
            )}
          </Descriptions>
          <div className="res-drawer-actions">
            {can('approve') && (
              <Button
                type="primary"
                loading={action.isPending && action.variables?.action === 'approve'}
                onClick={() => void run('approve', '已通过，已通知预约人')}
                data-testid="booking-approve"
              >
                通过
              </Button>
            )}
            {can('reject') && (
              <Button danger onClick={() => setRejecting(true)} data-testid="booking-reject">
                驳回
              </Button>
            )}
            {can('checkin') && (
              <Button onClick={() => void run('checkin', '已代为签到')} data-testid="booking-checkin">
                现场签到
              </Button>
            )}
            {can('complete') && (
              <Button
                onClick={() => void run('complete', b.quantity > 1 || b.status === 'checked_in' ? '已登记使用完毕 / 归还' : '已登记使用完毕')}
                data-testid="booking-complete"
              >
                使用完毕 / 已归还
              </Button>
            )}
            {can('cancel') && (
              <Button onClick={() => void run('cancel', '已取消该预约')} data-testid="booking-cancel">
                取消预约
              </Button>
            )}
          </div>
          <Modal
            open={rejecting}
            title="驳回预约"
            okText="驳回"
            okButtonProps={{ danger: true, disabled: !reason.trim(), loading: action.isPending }}
            cancelText="取消"
            onCancel={() => setRejecting(false)}
            onOk={async () => {
              if (await run('reject', '已驳回，理由已告知预约人', reason.trim())) {
                setRejecting(false);
                setReason('');
              }
            }}
          >
            <Typography.Paragraph type="secondary">理由会发给预约人，请写清楚（如：当天场地用于社区活动，请改约其他时间）。</Typography.Paragraph>
            <Input.TextArea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={500}
              showCount
              autoSize={{ minRows: 3 }}
              data-testid="reject-reason"
            />
          </Modal>
        </>
      )}
    </Drawer>
  );
}

/** 预约审批日历: a week of the subtree's bookings, one row per resource; pending ones highlighted. */
export function AdminBookingsCalendar({ me }: { me: MeDto }) {
  useDocumentTitle('预约审批');
  const [monday, setMonday] = useState(() => mondayOf(chinaDate()));
  const [orgId, setOrgId] = useState<string | undefined>(() => staffHomeOrgOf(me));
  const [view, setView] = useState<View>('open');
  const [openId, setOpenId] = useState<string | null>(null);
  const days = useMemo(() => Array.from({ length: 7 }, (_, i) => addDays(monday, i)), [monday]);
  const q = useBookings(
    { orgId, status: VIEW_STATUS[view], from: chinaInstant(monday, 0), to: chinaInstant(addDays(monday, 7), 0) },
    { refetchInterval: 30_000 },
  );
  const pendingAll = useBookings({ orgId, status: 'pending', from: new Date().toISOString() });
  const items = useMemo(() => q.data?.items ?? [], [q.data]);
  const today = chinaDate();

  const rows = useMemo(() => {
    const byResource = new Map<string, { id: string; name: string; orgName: string; cells: BookingDto[][] }>();
    for (const b of items) {
      const row = byResource.get(b.resourceId) ?? { id: b.resourceId, name: b.resourceName, orgName: b.orgName, cells: days.map(() => []) };
      const i = days.indexOf(chinaDate(b.startsAt));
      if (i >= 0) row.cells[i]!.push(b);
      byResource.set(b.resourceId, row);
    }
    return [...byResource.values()].sort((a, b) => a.orgName.localeCompare(b.orgName, 'zh') || a.name.localeCompare(b.name, 'zh'));
  }, [items, days]);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const b of items) c[b.status] = (c[b.status] ?? 0) + 1;
    return c;
  }, [items]);
  const opened = items.find((b) => b.id === openId) ?? pendingAll.data?.items.find((b) => b.id === openId) ?? null;
  const firstPending = pendingAll.data?.items[0];

  return (
    <div>
      <PageHeader title="预约审批" description="按周查看管辖范围内各资源的预约：橙色为待审核，点开可通过或驳回（需写理由）；未到场的会标出。" />
      <Card>
        <div className="res-filters">
          <Space wrap size={12}>
            <Space.Compact>
              <Button icon={<LeftOutlined />} onClick={() => setMonday(addDays(monday, -7))} aria-label="上一周" />
              <Button onClick={() => setMonday(mondayOf(today))} disabled={monday === mondayOf(today)}>
                本周
              </Button>
              <Button icon={<RightOutlined />} onClick={() => setMonday(addDays(monday, 7))} aria-label="下一周" data-testid="week-next" />
            </Space.Compact>
            <b className="res-week-label" data-testid="week-label">
              {dayLabel(monday, false)} – {dayLabel(addDays(monday, 6), false)}
            </b>
            <Segmented
              value={view}
              onChange={(v) => setView(v as View)}
              options={[
                { value: 'open', label: '有效预约' },
                { value: 'pending', label: `待审核${counts.pending && view !== 'pending' ? `（${counts.pending}）` : ''}` },
                { value: 'all', label: '全部（含取消、驳回）' },
              ]}
              data-testid="calendar-view"
            />
          </Space>
          <OrgSearchSelect value={orgId} allowClear placeholder="全部阵地" style={{ width: 260 }} onChange={(id) => setOrgId(id)} />
        </div>
        {(pendingAll.data?.items.length ?? 0) > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={`共有 ${pendingAll.data!.items.length} 个预约等待审核`}
            action={
              firstPending && chinaDate(firstPending.startsAt) >= days[0]! && chinaDate(firstPending.startsAt) <= days[6]! ? undefined : firstPending ? (
                <Button size="small" onClick={() => setMonday(mondayOf(chinaDate(firstPending.startsAt)))}>
                  跳到最近一个
                </Button>
              ) : undefined
            }
            data-testid="pending-alert"
          />
        )}
        <div className="res-legend">
          {(['pending', 'approved', 'checked_in', 'completed', 'no_show'] as const).map((s) => (
            <span key={s} className={`res-legend-item ${s}`}>
              {BOOKING_STATE_NAMES[s]} {counts[s] ?? 0}
            </span>
          ))}
        </div>
        {q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Spin spinning={q.isFetching && !q.isPending}>
            <div className="res-week" data-testid="booking-calendar">
              <div className="res-week-head res-week-res">资源</div>
              {days.map((d, i) => (
                <div key={d} className={`res-week-head${d === today ? ' today' : ''}`}>
                  {WEEKDAY_NAMES[i]}
                  <small>{dayLabel(d, false)}</small>
                </div>
              ))}
              {q.isPending ? (
                <div className="res-week-empty">
                  <Spin />
                </div>
              ) : rows.length === 0 ? (
                <div className="res-week-empty">
                  <Empty description={view === 'pending' ? '本周没有待审核的预约' : '本周没有预约'} />
                </div>
              ) : (
                rows.map((r) => (
                  <div key={r.id} className="res-week-row" data-testid="calendar-row">
                    <div className="res-week-res">
                      <b>{r.name}</b>
                      <small>{r.orgName}</small>
                    </div>
                    {r.cells.map((cell, i) => (
                      <div key={days[i]} className={`res-week-cell${days[i] === today ? ' today' : ''}`}>
                        {cell.map((b) => (
                          <Chip key={b.id} b={b} onOpen={() => setOpenId(b.id)} />
                        ))}
                      </div>
                    ))}
                  </div>
                ))
              )}
            </div>
          </Spin>
        )}
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
          <Badge status="processing" /> 每 30 秒自动刷新。预约时段结束后，已通过但没有签到的记为“未到场”。
        </Typography.Paragraph>
      </Card>
      <BookingDrawer booking={opened} onClose={() => setOpenId(null)} />
    </div>
  );
}
