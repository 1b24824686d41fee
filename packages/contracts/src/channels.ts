import { z } from 'zod';

/**
 * Notices that also leave by SMS / WeChat (docs/channels.md "Which events send a text message").
 * A duty notice (`optional: false`) tells someone of work that waits on them and cannot be turned
 * off; every other kind can be, per channel, in 我的 → 消息设置.
 */
export const NOTICE_KINDS = [
  { kind: 'order.dispatched', label: '工单派给我或我的队伍', optional: false },
  { kind: 'order.escalated', label: '工单超时升级到本中心', optional: false },
  { kind: 'order.forwarded', label: '工单转办到本部门', optional: false },
  { kind: 'order.supervised', label: '工单督办', optional: false },
  { kind: 'order.reminder', label: '我手上的工单即将到期', optional: true },
  { kind: 'order.completed', label: '我提交的工单已办结', optional: true },
  { kind: 'booking.approve', label: '场地预约已通过', optional: true },
  { kind: 'booking.reject', label: '场地预约未通过', optional: true },
  { kind: 'booking.reminder', label: '场地预约开始前提醒', optional: true },
  { kind: 'activity.reminder', label: '活动开始前一天提醒', optional: true },
] as const;

export type NoticeKind = (typeof NOTICE_KINDS)[number]['kind'];
export const NOTICE_CHANNELS = ['sms', 'wechat'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

export const isOptionalNoticeKind = (kind: string) => NOTICE_KINDS.some((k) => k.kind === kind && k.optional);

/** 我的 → 消息设置: each kind, whether it may be turned off, and whether it is on for each channel. */
export const ZNoticeSettings = z.object({
  items: z.array(
    z.object({
      kind: z.string(),
      label: z.string(),
      optional: z.boolean(),
      sms: z.boolean(),
      wechat: z.boolean(),
    }),
  ),
  /** Set when the person replied TD to a text message: every optional kind is off by SMS. */
  smsRepliedStop: z.boolean(),
  wechatBound: z.boolean(),
});
export type TNoticeSettings = z.infer<typeof ZNoticeSettings>;

const optionalKinds = NOTICE_KINDS.filter((k) => k.optional).map((k) => k.kind) as [string, ...string[]];
export const ZNoticeSettingBody = z.object({
  kind: z.enum(optionalKinds),
  channel: z.enum(NOTICE_CHANNELS),
  enabled: z.boolean(),
});
export type TNoticeSettingBody = z.infer<typeof ZNoticeSettingBody>;

export const OUTBOX_STATUSES = ['pending', 'sent', 'skipped', 'dead'] as const;
export const ZOutboxItem = z.object({
  id: z.string(),
  channel: z.enum(NOTICE_CHANNELS),
  kind: z.string(),
  title: z.string(),
  /** The recipient, masked (139****5678). */
  recipient: z.string(),
  status: z.enum(OUTBOX_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TOutboxItem = z.infer<typeof ZOutboxItem>;

// ---------------------------------------------------------------- WeChat 公众号 (docs/channels.md "WeChat")

export const ZWechatOauthQuery = z.object({
  scope: z.enum(['snsapi_base', 'snsapi_userinfo']).default('snsapi_base'),
  /** The H5 page to come back to after signing in (a path of this site). */
  next: z
    .string()
    .max(500)
    .regex(/^\/(?!\/)[^\s]*$/, { message: '须为本站路径' })
    .default('/h5'),
});
export const ZWechatSignInBody = z.object({ code: z.string().trim().min(1).max(200) });
export const ZWechatBindBody = z.object({
  ticket: z.string().trim().min(20).max(100),
  phone: z
    .string()
    .trim()
    .regex(/^1\d{10}$/, { message: '请输入11位手机号' }),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { message: '验证码是6位数字' }),
  name: z.string().trim().min(1).max(40).optional(),
  consent: z.boolean().optional(),
});
export type TWechatBindBody = z.infer<typeof ZWechatBindBody>;
