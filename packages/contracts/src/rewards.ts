import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId, ZInstant, ZListQuery, ZPhone } from './common.ts';

export const ZCreateRewardBody = z.object({
  orgId: ZId,
  name: z
    .string()
    .trim()
    .min(1, { message: msg('请填写名称', 'Give a name') })
    .max(100),
  cost: z
    .number()
    .int()
    .positive({ message: msg('所需积分须为正整数', 'The cost is a positive whole number') })
    .max(1_000_000),
  stock: z
    .number()
    .int()
    .min(0, { message: msg('库存不能为负数', 'Stock cannot be negative') })
    .max(1_000_000),
  perUserLimit: z.number().int().positive().max(1000).optional(),
  pickupOrgId: ZId.optional(),
  description: z.string().trim().max(2000).optional(),
  availableFrom: ZInstant.optional(),
  availableTo: ZInstant.optional(),
  /** Upload ids (POST /uploads) of the reward's pictures; the first is the cover. */
  photoIds: z
    .array(ZId)
    .max(9, { message: msg('最多9张图片', 'At most 9 pictures') })
    .optional(),
});
export const ZRedeemBody = z.object({
  quantity: z
    .number()
    .int()
    .min(1, { message: msg('数量至少为1', 'At least one') })
    .max(99, { message: msg('单次最多兑换99件', 'At most 99 at a time') }),
});
export const ZRestockBody = z.object({ add: z.number().int().positive().max(1_000_000) });
export const ZFulfillBody = z.object({
  pickupCode: z
    .string()
    .trim()
    .regex(/^\d{8}$/, { message: msg('取货码为8位数字', 'The pick-up code has 8 digits') }),
});
/** The account is named by userId, or (additively) by the registered phone number. */
export const ZAdjustBody = z
  .object({
    userId: ZId.optional(),
    phone: ZPhone.optional(),
    orgId: ZId,
    delta: z
      .number()
      .int()
      .refine((d) => d !== 0, { message: msg('调整值不能为0', 'The change cannot be 0') })
      .refine((d) => Math.abs(d) <= 100000, { message: msg('单次调整不超过100000分', 'At most 100,000 points') }),
    reason: z
      .string()
      .trim()
      .min(1, { message: msg('请填写原因', 'Give a reason') })
      .max(500),
  })
  .refine((b) => !!b.userId || !!b.phone, { message: msg('请选择要调整积分的人', 'Name the account'), path: ['userId'] });
/**
 * Earning rules of a site (null: inherit from the site above; a field left out: unchanged):
 * points per verified hour, per attended activity, a bonus for a 5-star rating of an order
 * served, per pairing visit.
 */
const ZRuleValue = z
  .number()
  .int({ message: msg('积分须为整数', 'A whole number') })
  .min(0, { message: msg('积分不能为负数', 'Cannot be negative') })
  .max(1000, { message: msg('不超过1000分', 'At most 1000') })
  .nullable()
  .optional();
export const ZPointsRuleBody = z
  .object({ orgId: ZId, pointsPerHour: ZRuleValue, pointsPerActivity: ZRuleValue, fiveStarBonus: ZRuleValue, pointsPerPairingVisit: ZRuleValue })
  .refine((b) => b.pointsPerHour !== undefined || b.pointsPerActivity !== undefined || b.fiveStarBonus !== undefined || b.pointsPerPairingVisit !== undefined, {
    message: msg('请至少设置一项规则', 'Set at least one rule'),
    path: ['pointsPerHour'],
  });
export type TPointsRuleBody = z.infer<typeof ZPointsRuleBody>;
export const POINTS_RULE_NAMES = {
  pointsPerHour: '每小时志愿服务',
  pointsPerActivity: '每参加一次活动',
  fiveStarBonus: '服务获五星好评',
  pointsPerPairingVisit: '每次结对帮扶走访',
} as const;
export type PointsRuleName = keyof typeof POINTS_RULE_NAMES;

/** YYYY-MM (a calendar month in China time). */
const ZMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: msg('月份格式为 YYYY-MM', 'A month is YYYY-MM') });
/** YYYY-MM-DD (a day in China time). */
const ZDay = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: msg('日期格式为 YYYY-MM-DD', 'A day is YYYY-MM-DD') });

export const REDEMPTION_STATUSES = ['pending_pickup', 'fulfilled', 'cancelled'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];
export const REDEMPTION_STATUS_NAMES: Record<RedemptionStatus, string> = { pending_pickup: '待领取', fulfilled: '已领取', cancelled: '已取消' };

/** Staff: the redemptions of a site's subtree (the reward's site), newest first. */
export const ZRedemptionsQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  rewardId: ZId.optional(),
  status: z.enum(REDEMPTION_STATUSES).optional(),
  from: ZDay.optional(),
  to: ZDay.optional(),
});
export type TRedemptionsQuery = z.infer<typeof ZRedemptionsQuery>;

export const ADJUSTMENT_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const ZAdjustmentsQuery = z.object({ orgId: ZId.optional(), status: z.enum(ADJUSTMENT_STATUSES).optional() });

/** The monthly report: points issued vs. redeemed per site per month, from..to inclusive (at most 36 months). */
export const ZPointsReportQuery = z.object({ orgId: ZId.optional(), from: ZMonth.optional(), to: ZMonth.optional() });
export type TPointsReportQuery = z.infer<typeof ZPointsReportQuery>;

/** Chinese labels of ledger reasons (我的积分). */
export const POINTS_REASON_NAMES: Record<string, string> = {
  service_hours: '志愿服务时长',
  service_hours_revoked: '服务时长撤销',
  activity_attendance: '参加志愿活动',
  activity_attendance_revoked: '活动积分撤销',
  five_star_bonus: '五星好评奖励',
  pairing_visit: '结对帮扶走访',
  pairing_visit_revoked: '走访积分撤销',
  redeem: '兑换奖品',
  redeem_cancel: '取消兑换退回',
  adjustment: '人工调整',
  expiry: '积分过期',
};

export interface RewardDto {
  id: string;
  orgId: string;
  orgName: string;
  pickupOrgId: string;
  pickupOrgName: string;
  name: string;
  description: string | null;
  cost: number;
  stock: number;
  perUserLimit: number | null;
  availableFrom: string | null;
  availableTo: string | null;
  status: 'active' | 'retired';
  /** Upload ids; the picture is at /api/v1/uploads/{id}. */
  photoIds: string[];
  /** With ?orgId: how many the caller redeemed this month (not cancelled), for the monthly limit. */
  myMonthQuantity?: number;
  allowedActions: string[];
}

export interface RedemptionDto {
  id: string;
  rewardId: string;
  rewardName: string;
  quantity: number;
  points: number;
  pickupCode: string;
  status: RedemptionStatus;
  createdAt: string;
  fulfilledAt: string | null;
  cancelledAt: string | null;
  orgId: string;
  orgName: string;
  pickupOrgName: string;
  photoIds: string[];
  /** Staff views only: who redeemed (phone masked). */
  userName?: string;
  userPhone?: string;
  allowedActions: string[];
}

export type PointsRuleValues<T> = Record<PointsRuleName, T>;
export interface PointsRulesDto {
  orgId: string;
  orgName: string;
  /** What this site sets itself (null: inherits). */
  own: PointsRuleValues<number | null>;
  /** What is in force here. */
  effective: PointsRuleValues<number>;
  /** Where each effective value comes from (null: the platform default). */
  from: PointsRuleValues<{ orgId: string; orgName: string } | null>;
  canEdit: boolean;
}

export interface AdjustmentDto {
  id: string;
  orgId: string;
  orgName: string;
  userId: string;
  userName: string | null;
  userPhone: string | null;
  delta: number;
  reason: string;
  status: (typeof ADJUSTMENT_STATUSES)[number];
  requestedBy: string;
  requestedByName: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  createdAt: string;
  decidedAt: string | null;
  allowedActions: string[];
}

export interface PointsReportRow {
  orgId: string;
  orgName: string;
  month: string;
  issued: number;
  deducted: number;
  redeemed: number;
  redemptions: number;
}
export interface PointsReportDto {
  orgId: string | null;
  orgName: string;
  from: string;
  to: string;
  /** Per site directly below the chosen one (or the site itself) per month. */
  rows: PointsReportRow[];
  totals: { issued: number; deducted: number; redeemed: number; redemptions: number };
  /** Rewards of the subtree with their stock now. */
  stock: { rewardId: string; name: string; orgName: string; cost: number; stock: number; status: 'active' | 'retired'; redeemedInPeriod: number }[];
}
