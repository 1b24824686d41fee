import { useState } from 'react';
import { App, Button, Empty, InputNumber, Modal, Skeleton } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import type { RewardDto } from '@wenming/contracts';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { newRedeemKey, useAvailableRewards, useMyPoints, useRedeem, type RedeemResult } from '../api/points-api';
import { PickupQr, spacedCode } from './pickup-qr';
import { RewardCover, windowText } from './points-format';
import './points.css';

/** Why a reward cannot be redeemed now, as the button says it (null: it can). */
function blocked(r: RewardDto, balance: number): string | null {
  const t = Date.now();
  if (r.availableFrom && t < Date.parse(r.availableFrom)) return '未到兑换期';
  if (r.availableTo && t >= Date.parse(r.availableTo)) return '已过兑换期';
  if (r.stock <= 0) return '已兑完';
  if (r.perUserLimit && (r.myMonthQuantity ?? 0) >= r.perUserLimit) return '本月已达上限';
  if (balance < r.cost) return '积分不足';
  if (!r.allowedActions.includes('redeem')) return '暂不可兑';
  return null;
}

function RewardCard({ r, balance, onRedeem }: { r: RewardDto; balance: number; onRedeem: () => void }) {
  const why = blocked(r, balance);
  const win = windowText(r);
  return (
    <article className="mall-card" data-testid="mall-card" data-name={r.name}>
      <RewardCover reward={r} className="mall-cover" />
      <div className="mall-body">
        <div className="mall-name">{r.name}</div>
        {r.description && <div className="mall-desc">{r.description}</div>}
        <div className="mall-meta">
          <span data-testid="mall-stock">库存 {r.stock} 件</span>
          {r.perUserLimit && (
            <span>
              每人每月限 {r.perUserLimit} 件{r.myMonthQuantity ? `（本月已兑 ${r.myMonthQuantity}）` : ''}
            </span>
          )}
          {win && <span>兑换期 {win}</span>}
        </div>
        <div className="mall-meta">
          <span>
            <EnvironmentOutlined /> {r.pickupOrgName}
          </span>
        </div>
        <div className="mall-foot">
          <span className="mall-cost">
            {r.cost}
            <small>积分</small>
          </span>
          <Button type="primary" size="large" disabled={!!why} onClick={onRedeem} data-testid="mall-redeem">
            {why ?? '兑换'}
          </Button>
        </div>
      </div>
    </article>
  );
}

function RedeemSheet({ reward, balance, onClose, onDone }: { reward: RewardDto; balance: number; onClose: () => void; onDone: (r: RedeemResult) => void }) {
  const { message } = App.useApp();
  const redeem = useRedeem();
  const [key] = useState(newRedeemKey);
  const left = reward.perUserLimit ? reward.perUserLimit - (reward.myMonthQuantity ?? 0) : 99;
  const max = Math.max(1, Math.min(99, reward.stock, left, Math.floor(balance / reward.cost)));
  const [qty, setQty] = useState(1);
  const total = reward.cost * qty;
  const submit = async () => {
    try {
      onDone(await redeem.mutateAsync({ id: reward.id, quantity: qty, key: `${key}-${qty}` }));
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Modal open title={`兑换「${reward.name}」`} onCancel={onClose} footer={null} destroyOnHidden centered>
      <div className="redeem-sheet">
        <div className="redeem-qty">
          <span>数量</span>
          <InputNumber
            size="large"
            min={1}
            max={max}
            precision={0}
            value={qty}
            onChange={(v) => setQty(Math.min(max, Math.max(1, Number(v) || 1)))}
            aria-label="数量"
            data-testid="redeem-qty"
          />
        </div>
        <div className="redeem-sum">
          <span>共需积分</span>
          <b data-testid="redeem-total">{total}</b>
        </div>
        <div className="redeem-sum">
          <span>兑换后剩余</span>
          <span>{balance - total}</span>
        </div>
        <div className="pickup-hint">
          兑换后凭取货码到 <b>{reward.pickupOrgName}</b> 领取；领取前可以取消，积分全部退回。
        </div>
        <Button type="primary" size="large" block loading={redeem.isPending} onClick={() => void submit()} data-testid="redeem-confirm">
          确认兑换
        </Button>
      </div>
    </Modal>
  );
}

/** 积分商城: the rewards of the love supermarkets of my sites, redeemed with points. */
export function H5MallPage() {
  useDocumentTitle('积分商城');
  const navigate = useNavigate();
  const rewards = useAvailableRewards();
  const points = useMyPoints();
  const [picked, setPicked] = useState<RewardDto | null>(null);
  const [done, setDone] = useState<RedeemResult | null>(null);
  const balance = points.data?.balance ?? 0;
  return (
    <div className="h5-page">
      <div className="mall-bar" style={{ marginTop: '0.75rem' }}>
        <span>
          我的积分<b data-testid="mall-balance">{points.data ? balance : '—'}</b>
        </span>
        <Link to="/h5/redemptions">我的兑换 ›</Link>
      </div>
      {rewards.isPending ? (
        <section className="h5-card">
          <Skeleton active />
        </section>
      ) : rewards.isError ? (
        <QueryError error={rewards.error} onRetry={() => void rewards.refetch()} />
      ) : rewards.data.length === 0 ? (
        <section className="h5-card">
          <Empty description="暂无可兑换的奖品">
            <div className="pickup-hint">在实践站报到成为志愿者、参加服务获得积分后，就能在所在阵地的爱心超市兑换生活用品。</div>
          </Empty>
        </section>
      ) : (
        rewards.data.map((r) => <RewardCard key={r.id} r={r} balance={balance} onRedeem={() => setPicked(r)} />)
      )}
      {picked && (
        <RedeemSheet
          reward={picked}
          balance={balance}
          onClose={() => setPicked(null)}
          onDone={(r) => {
            setPicked(null);
            setDone(r);
          }}
        />
      )}
      <Modal open={!!done} title="兑换成功" onCancel={() => setDone(null)} footer={null} centered destroyOnHidden>
        {done && (
          <div className="pickup-box" data-testid="redeem-success">
            <div className="pickup-hint">
              {done.rewardName} × {done.quantity}，使用 {done.points} 积分，剩余 {done.balance} 积分
            </div>
            <PickupQr code={done.pickupCode} size={180} />
            <div className="pickup-code" data-testid="redeem-code" data-code={done.pickupCode}>
              {spacedCode(done.pickupCode)}
            </div>
            <div className="pickup-hint">
              请凭取货码到 <b>{done.pickupOrgName}</b> 领取
            </div>
            <Button type="primary" size="large" block onClick={() => navigate('/h5/redemptions')}>
              查看我的兑换
            </Button>
          </div>
        )}
      </Modal>
    </div>
  );
}
