import { useState } from 'react';
import { Alert, App, Button, Empty, Input, Modal, Rate, Segmented, Skeleton, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useBookingAction, useBookings, useReview, type BookingDto } from '../api/resources-api';
import { BOOKING_STATE_COLORS, BOOKING_STATE_NAMES, formatSlot } from './resource-format';
import './resources.css';

const ACTIVE = ['pending', 'approved', 'checked_in'];

const HINTS: Partial<Record<BookingDto['status'], string>> = {
  pending: '等待工作人员审核，结果会通知您',
  approved: '审核已通过，请按时到场签到（开始前15分钟起可签到）',
  checked_in: '已签到，使用愉快',
  no_show: '没有签到，记为未到场',
  cancelled: '已取消',
};

function ReviewModal({ booking, onClose }: { booking: BookingDto | null; onClose: () => void }) {
  const { message } = App.useApp();
  const review = useReview();
  const [score, setScore] = useState(5);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open={!!booking}
      title={booking ? `评价：${booking.resourceName}` : ''}
      okText="提交评价"
      cancelText="取消"
      okButtonProps={{ size: 'large', loading: review.isPending, ...({ 'data-testid': 'review-submit' } as Record<string, string>) }}
      cancelButtonProps={{ size: 'large' }}
      onCancel={onClose}
      onOk={async () => {
        if (!booking) return;
        setError(null);
        try {
          await review.mutateAsync({ id: booking.id, score, comment: comment.trim() || undefined });
          message.success('谢谢您的评价');
          onClose();
        } catch (e) {
          setError(errorMessage(e));
        }
      }}
      destroyOnHidden
    >
      <div className="res-review">
        <Rate value={score} onChange={(v) => setScore(v || 1)} style={{ fontSize: 36 }} data-testid="review-rate" />
        <div className="res-muted">{['很差', '较差', '一般', '满意', '非常满意'][score - 1]}</div>
        <Input.TextArea
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={500}
          autoSize={{ minRows: 3 }}
          placeholder="场地、设施、服务怎么样？（可不填）"
          style={{ fontSize: '1rem' }}
        />
        {error && <Alert type="error" showIcon title={error} />}
      </div>
    </Modal>
  );
}

function BookingCard({ b, onReview }: { b: BookingDto; onReview: () => void }) {
  const { message, modal } = App.useApp();
  const action = useBookingAction();
  const can = (a: BookingDto['allowedActions'][number]) => b.allowedActions.includes(a);
  const run = async (a: 'cancel' | 'checkin', ok: string) => {
    try {
      await action.mutateAsync({ id: b.id, action: a });
      message.success(ok);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <section className={`h5-card res-booking ${b.status}`} data-testid="my-booking" data-status={b.status}>
      <div className="res-booking-head">
        <Link to={`/h5/resources/${b.resourceId}`} className="res-booking-name">
          {b.resourceName}
        </Link>
        <Tag color={BOOKING_STATE_COLORS[b.status]} className="res-status-tag" data-testid="booking-status">
          {BOOKING_STATE_NAMES[b.status]}
        </Tag>
      </div>
      <div className="res-booking-time">{formatSlot(b.startsAt, b.endsAt)}</div>
      <div className="res-muted">
        {b.orgName} · {b.purpose} · {b.quantity > 1 ? `${b.quantity} 件` : `${b.attendees} 人`}
      </div>
      {b.status === 'rejected' ? (
        <Alert type="error" showIcon title="未通过" description={b.reason ? `理由：${b.reason}` : undefined} className="res-booking-note" />
      ) : (
        HINTS[b.status] && <div className="res-booking-hint">{HINTS[b.status]}</div>
      )}
      {b.reviewScore !== null && (
        <div className="res-booking-hint">
          我的评价 <Rate disabled value={b.reviewScore} style={{ fontSize: 16 }} />
        </div>
      )}
      {(can('checkin') || can('cancel') || can('review')) && (
        <div className="res-booking-actions">
          {can('checkin') && (
            <Button type="primary" size="large" loading={action.isPending} onClick={() => void run('checkin', '签到成功')} data-testid="booking-checkin">
              到场签到
            </Button>
          )}
          {can('review') && (
            <Button type="primary" size="large" onClick={onReview} data-testid="booking-review">
              评价
            </Button>
          )}
          {can('cancel') && (
            <Button
              size="large"
              danger
              onClick={() =>
                modal.confirm({
                  title: '取消这个预约？',
                  content: `${b.resourceName} ${formatSlot(b.startsAt, b.endsAt)}。取消后时段会让给别人。`,
                  okText: '取消预约',
                  okButtonProps: { danger: true },
                  cancelText: '再想想',
                  onOk: () => run('cancel', '已取消预约'),
                })
              }
              data-testid="booking-cancel"
            >
              取消预约
            </Button>
          )}
        </div>
      )}
    </section>
  );
}

/** 我的预约 (H5): what I booked, its state, and what I can do (cancel, check in, review). */
export function H5BookingsPage() {
  useDocumentTitle('我的预约');
  const [tab, setTab] = useState<'active' | 'done'>('active');
  const [reviewing, setReviewing] = useState<BookingDto | null>(null);
  const q = useBookings({ mine: true }, { refetchInterval: 30_000 });
  const all = q.data?.items ?? [];
  const items = tab === 'active' ? all.filter((b) => ACTIVE.includes(b.status)) : all.filter((b) => !ACTIVE.includes(b.status)).reverse();
  const toReview = all.filter((b) => b.allowedActions.includes('review')).length;

  return (
    <div className="h5-page res-h5">
      <Segmented
        block
        className="act-tabs"
        value={tab}
        onChange={(v) => setTab(v as 'active' | 'done')}
        options={[
          { value: 'active', label: '进行中' },
          { value: 'done', label: `已结束${toReview ? `（${toReview} 待评价）` : ''}` },
        ]}
        data-testid="bookings-tabs"
      />
      {q.isPending ? (
        <section className="h5-card">
          <Skeleton active />
        </section>
      ) : q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : items.length === 0 ? (
        <section className="h5-card">
          <Empty description={tab === 'active' ? '没有进行中的预约' : '还没有结束的预约'}>
            <Link to="/h5/resources">
              <Button type="primary" size="large">
                去预约场馆
              </Button>
            </Link>
          </Empty>
        </section>
      ) : (
        items.map((b) => <BookingCard key={b.id} b={b} onReview={() => setReviewing(b)} />)
      )}
      <ReviewModal booking={reviewing} onClose={() => setReviewing(null)} />
    </div>
  );
}
