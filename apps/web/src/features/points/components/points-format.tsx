import { Tag } from 'antd';
import { GiftOutlined } from '@ant-design/icons';
import { POINTS_REASON_NAMES, REDEMPTION_STATUS_NAMES, type RedemptionStatus, type RewardDto } from '@wenming/contracts';

/** 我的积分: a ledger reason in Chinese. */
export const reasonName = (reason: string) => POINTS_REASON_NAMES[reason] ?? reason;

/** The URL of an uploaded picture. */
export const pictureUrl = (id: string) => `/api/v1/uploads/${id}`;

const STATUS_COLORS: Record<RedemptionStatus, string> = { pending_pickup: 'processing', fulfilled: 'success', cancelled: 'default' };
export function RedemptionStatusTag({ status }: { status: RedemptionStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{REDEMPTION_STATUS_NAMES[status]}</Tag>;
}

/** The reward's cover picture, or a gift placeholder. */
export function RewardCover({ reward, className }: { reward: Pick<RewardDto, 'name' | 'photoIds'>; className?: string }) {
  const id = reward.photoIds[0];
  return id ? (
    <img className={className} src={pictureUrl(id)} alt={reward.name} loading="lazy" />
  ) : (
    <span className={`${className ?? ''} points-cover-empty`} aria-hidden="true">
      <GiftOutlined />
    </span>
  );
}

const day = new Intl.DateTimeFormat('zh-CN', { month: 'numeric', day: 'numeric', timeZone: 'Asia/Shanghai' });
/** 兑换期: "11月1日起", "至12月31日", "11月1日–12月31日". */
export function windowText(r: Pick<RewardDto, 'availableFrom' | 'availableTo'>): string | null {
  const f = r.availableFrom ? day.format(new Date(r.availableFrom)) : null;
  const t = r.availableTo ? day.format(new Date(r.availableTo)) : null;
  if (f && t) return `${f}–${t}`;
  if (f) return `${f}起`;
  if (t) return `至${t}`;
  return null;
}
