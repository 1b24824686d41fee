import { App, Button, Empty, Skeleton } from 'antd';
import { Link } from 'react-router-dom';
import type { RedemptionDto } from '@wenming/contracts';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCancelRedemption, useMyRedemptions } from '../api/points-api';
import { PickupQr, spacedCode } from './pickup-qr';
import { RedemptionStatusTag } from './points-format';
import './points.css';

function RedemptionCard({ d }: { d: RedemptionDto }) {
  const { modal, message } = App.useApp();
  const cancel = useCancelRedemption();
  const pending = d.status === 'pending_pickup';
  const confirmCancel = () =>
    modal.confirm({
      title: '取消这次兑换？',
      content: `取消后 ${d.points} 积分将退回您的账户，奖品放回货架。`,
      okText: '取消兑换',
      okButtonProps: { danger: true },
      cancelText: '再想想',
      onOk: async () => {
        try {
          await cancel.mutateAsync(d.id);
          message.success('已取消，积分已退回');
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  return (
    <article className={`redemption-card ${pending ? 'pending' : 'done'}`} data-testid="redemption-card" data-status={d.status}>
      <div className="redemption-head">
        <div>
          <div className="redemption-name">
            {d.rewardName} × {d.quantity}
          </div>
          <div className="redemption-meta">
            {d.points} 积分 · {formatDateTime(d.createdAt)}
          </div>
        </div>
        <RedemptionStatusTag status={d.status} />
      </div>
      {pending ? (
        <div className="pickup-box">
          <PickupQr code={d.pickupCode} size={160} />
          <div className="pickup-code" data-testid="redemption-code">
            {spacedCode(d.pickupCode)}
          </div>
          <div className="pickup-hint">
            请到 <b>{d.pickupOrgName}</b> 出示取货码领取
          </div>
          <Button size="large" block danger onClick={confirmCancel} loading={cancel.isPending} data-testid="redemption-cancel">
            取消兑换
          </Button>
        </div>
      ) : (
        <div className="redemption-meta" style={{ marginTop: '0.5rem' }}>
          {d.status === 'fulfilled'
            ? `已于 ${formatDateTime(d.fulfilledAt)} 在 ${d.pickupOrgName} 领取`
            : `已于 ${formatDateTime(d.cancelledAt)} 取消，积分已退回`}
        </div>
      )}
    </article>
  );
}

/** 我的兑换: pick-up codes (large, and as QR) of what waits for me, and what I picked up. */
export function H5RedemptionsPage() {
  useDocumentTitle('我的兑换');
  const q = useMyRedemptions();
  return (
    <div className="h5-page" style={{ paddingTop: '0.75rem' }}>
      {q.isPending ? (
        <section className="h5-card">
          <Skeleton active />
        </section>
      ) : q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.length === 0 ? (
        <section className="h5-card">
          <Empty description="还没有兑换记录">
            <Link to="/h5/mall">
              <Button type="primary" size="large">
                去积分商城看看
              </Button>
            </Link>
          </Empty>
        </section>
      ) : (
        q.data.map((d) => <RedemptionCard key={d.id} d={d} />)
      )}
    </div>
  );
}
