import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId, ZInstant, ZLat, ZListQuery, ZLng, ZName, ZPhone } from './common.ts';
import { ZCategoryCode } from './volunteers.ts';

export const ZNature = z.enum(['service', 'petition', 'complaint', 'consult']);
export const ZUrgency = z.enum(['normal', 'urgent', 'critical']);
export const NATURE_NAMES = { service: '公共服务', petition: '信访', complaint: '投诉', consult: '咨询' } as const;
export const URGENCY_NAMES = { normal: '一般', urgent: '紧急', critical: '特急' } as const;

export const ZSubmitOrderBody = z.object({
  content: z
    .string()
    .trim()
    .min(1, { message: msg('请说说您需要什么帮助', 'Describe what you need') })
    .max(2000, { message: msg('内容最多2000字', 'At most 2,000 characters') }),
  orgId: ZId,
  title: z.string().trim().max(100).optional(),
  category: ZCategoryCode.optional(),
  nature: ZNature.optional(),
  urgency: ZUrgency.optional(),
  address: z.string().trim().max(200).optional(),
  lat: ZLat.optional(),
  lng: ZLng.optional(),
  preferredAt: ZInstant.optional(),
  serviceItemId: ZId.optional(),
  /** Up to six pictures (ids from POST /uploads, sent by the caller), e.g. from the phone camera. */
  photoIds: z
    .array(ZId)
    .max(6, { message: msg('最多6张照片', 'At most 6 pictures') })
    .optional(),
});
export type TSubmitOrderBody = z.infer<typeof ZSubmitOrderBody>;

/** How a request reached the platform: the resident's own app, or entered by staff (代点单). */
export const ZOrderChannel = z.enum(['app', 'phone', 'visit', 'grid', 'hotline']);
export type OrderChannel = z.infer<typeof ZOrderChannel>;
export const ORDER_CHANNEL_NAMES: Record<OrderChannel, string> = { app: '群众自助', phone: '电话', visit: '来访', grid: '网格员', hotline: '12345 热线' };

/** 代点单: staff enter an order for a resident, found (or signed up) by their phone. */
export const ZAssistedOrderBody = ZSubmitOrderBody.extend({
  residentName: ZName,
  residentPhone: ZPhone,
  channel: z.enum(['phone', 'visit', 'grid', 'hotline'], { message: msg('请选择来源渠道', 'Choose the channel') }),
});
export type TAssistedOrderBody = z.infer<typeof ZAssistedOrderBody>;

export const ZDispatchBody = z
  .object({ teamId: ZId.optional(), volunteerId: ZId.optional(), note: z.string().trim().max(500).optional() })
  .refine((v) => (v.teamId ? 1 : 0) + (v.volunteerId ? 1 : 0) === 1, {
    path: ['teamId'],
    message: msg('请选择一支队伍或一位志愿者', 'Choose one team or one volunteer'),
  });
export const ZReassignBody = z
  .object({
    teamId: ZId.optional(),
    volunteerId: ZId.optional(),
    reason: z
      .string()
      .trim()
      .min(1, { message: msg('请填写改派原因', 'Give the reason for reassigning') })
      .max(500),
  })
  .refine((v) => (v.teamId ? 1 : 0) + (v.volunteerId ? 1 : 0) === 1, {
    path: ['teamId'],
    message: msg('请选择一支队伍或一位志愿者', 'Choose one team or one volunteer'),
  });
export const ZForwardBody = z.object({
  departmentId: ZId,
  note: z.string().trim().max(500).optional(),
  /** 办理时限 set by the desk; else the department's own limit, else the default by urgency. */
  resolveDueAt: ZInstant.optional(),
  /** 协办单位 named at forwarding. */
  coDepartmentIds: z.array(ZId).max(5).optional(),
});
export const ZNoteBody = z.object({ note: z.string().trim().max(500).optional() });
export const ZExtensionRequestBody = z.object({
  until: ZInstant,
  reason: z
    .string()
    .trim()
    .min(1, { message: msg('请填写延期原因', 'Give the reason for the extension') })
    .max(500),
});
export const ZCoUnitBody = z.object({ departmentId: ZId, note: z.string().trim().max(500).optional() });
export const ZReasonRequired = z.object({
  reason: z
    .string()
    .trim()
    .min(1, { message: msg('请填写原因', 'Give a reason') })
    .max(500),
});
export const ZAcceptBody = z.object({ volunteerIds: z.array(ZId).max(50).optional() });
export const ZCompleteBody = z.object({
  report: z
    .string()
    .trim()
    .min(1, { message: msg('请简要填写服务情况', 'Write a short report') })
    .max(2000),
  hours: z
    .number()
    .min(0.1, { message: msg('时长至少0.1小时（时长保留一位小数）', 'At least 0.1 hours (hours carry one decimal)') })
    .max(24, { message: msg('服务时长不超过24小时', 'At most 24 hours') }),
  /** 服务人次: the people this service reached (0041; default 1). */
  peopleServed: z
    .number()
    .int()
    .min(1, { message: msg('服务人次至少为1', 'At least one person served') })
    .max(10000, { message: msg('服务人次不超过10000', 'At most 10000') })
    .optional(),
});
export const ZResolveBody = z.object({
  reply: z
    .string()
    .trim()
    .min(1, { message: msg('请填写办理答复', 'Write the reply') })
    .max(2000),
});
export const ZRateBody = z.object({
  score: z
    .number()
    .int()
    .min(1, { message: msg('评分为1到5星', 'Score 1 to 5') })
    .max(5, { message: msg('评分为1到5星', 'Score 1 to 5') }),
  comment: z.string().trim().max(500).optional(),
});
export const ZCorrectTriageBody = z.object({ category: ZCategoryCode.optional(), nature: ZNature.optional(), urgency: ZUrgency.optional() });

export const ZListOrdersQuery = ZListQuery.extend({
  state: z
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .optional(),
  orgId: ZId.optional(),
  mine: z.enum(['true', 'false']).optional(),
  desk: z.enum(['true', 'false']).optional(),
  assigned: z.enum(['true', 'false']).optional(),
  revisit: z.enum(['true', 'false']).optional(),
  /** `deadline`: the running deadline first (the department officer's queue); no cursor. */
  sort: z.enum(['created', 'deadline']).optional(),
  /** The desk's search: an order code (D2612070001), the requester's phone, or words of the request. */
  q: z.string().trim().min(1).max(50).optional(),
  /** Submitted on or after / before these instants. */
  from: ZInstant.optional(),
  to: ZInstant.optional(),
  category: ZCategoryCode.optional(),
  nature: ZNature.optional(),
  urgency: ZUrgency.optional(),
});

export const ZServiceItemBody = z.object({
  orgId: ZId,
  name: z.string().trim().min(1).max(100),
  category: ZCategoryCode,
  description: z.string().trim().max(2000).optional(),
  defaultUrgency: ZUrgency.optional(),
  teamIds: z.array(ZId).max(20).optional(),
});
