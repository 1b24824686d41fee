import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId } from './common.ts';

export const ZCreateRewardBody = z.object({
  orgId: ZId,
  name: z.string().trim().min(1, { message: msg('请填写名称', 'Give a name') }).max(100),
  cost: z.number().int().positive({ message: msg('所需积分须为正整数', 'The cost is a positive whole number') }).max(1_000_000),
  stock: z.number().int().min(0, { message: msg('库存不能为负数', 'Stock cannot be negative') }).max(1_000_000),
  perUserLimit: z.number().int().positive().max(1000).optional(),
  pickupOrgId: ZId.optional(),
  description: z.string().trim().max(2000).optional(),
  availableFrom: z.iso.datetime({ offset: true }).optional(),
  availableTo: z.iso.datetime({ offset: true }).optional(),
});
export const ZRedeemBody = z.object({
  quantity: z
    .number()
    .int()
    .min(1, { message: msg('数量至少为1', 'At least one') })
    .max(99, { message: msg('单次最多兑换99件', 'At most 99 at a time') }),
});
export const ZRestockBody = z.object({ add: z.number().int().positive().max(1_000_000) });
export const ZFulfillBody = z.object({ pickupCode: z.string().trim().regex(/^\d{8}$/, { message: msg('取货码为8位数字', 'The pick-up code has 8 digits') }) });
export const ZAdjustBody = z.object({
  userId: ZId,
  orgId: ZId,
  delta: z.number().int().refine((d) => d !== 0, { message: msg('调整值不能为0', 'The change cannot be 0') }).refine((d) => Math.abs(d) <= 100000, { message: msg('单次调整不超过100000分', 'At most 100,000 points') }),
  reason: z.string().trim().min(1, { message: msg('请填写原因', 'Give a reason') }).max(500),
});
export const ZPointsRuleBody = z.object({ orgId: ZId, pointsPerHour: z.number().int().min(0).max(1000).nullable() });
