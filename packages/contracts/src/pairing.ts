import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId, ZInstant, ZLat, ZListQuery, ZLng, ZPhone } from './common.ts';

/** 结对帮扶: cared-for residents, plans with recurring visit rules, and visit tasks. */

export const PAIRING_FESTIVAL_CODES = ['new_years_eve', 'spring', 'lantern', 'qingming', 'dragon_boat', 'qixi', 'mid_autumn', 'double_ninth'] as const;

const ZDay = z.iso.date({ message: msg('日期格式应为 YYYY-MM-DD', 'Use YYYY-MM-DD') });
const ZClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: msg('时间格式应为 HH:MM', 'Use HH:MM') });

export const ZPairingRules = z
  .object({
    weekly: z
      .array(
        z.object({
          weekday: z
            .number()
            .int()
            .min(1, { message: msg('星期应为1–7', 'Weekday is 1–7') })
            .max(7, { message: msg('星期应为1–7', 'Weekday is 1–7') }),
          time: ZClock,
        }),
      )
      .max(7)
      .default([]),
    monthly: z
      .array(
        z.object({
          day: z
            .number()
            .int()
            .min(1, { message: msg('日期应为1–31', 'Day is 1–31') })
            .max(31, { message: msg('日期应为1–31', 'Day is 1–31') }),
          time: ZClock,
        }),
      )
      .max(4)
      .default([]),
    holidays: z
      .array(z.object({ festival: z.enum(PAIRING_FESTIVAL_CODES), time: ZClock }))
      .max(PAIRING_FESTIVAL_CODES.length)
      .default([]),
  })
  .superRefine((r, ctx) => {
    if (!r.weekly.length && !r.monthly.length && !r.holidays.length)
      ctx.addIssue({ code: 'custom', path: ['weekly'], message: msg('请至少设置一条探访规则', 'Set at least one visiting rule') });
    const dup = <T>(xs: T[]) => new Set(xs).size !== xs.length;
    if (dup(r.weekly.map((w) => w.weekday)))
      ctx.addIssue({ code: 'custom', path: ['weekly'], message: msg('同一天只能设置一次每周探访', 'One weekly visit per weekday') });
    if (dup(r.monthly.map((m) => m.day))) ctx.addIssue({ code: 'custom', path: ['monthly'], message: msg('每月相聚的日期重复', 'Monthly days repeat') });
    if (dup(r.holidays.map((h) => h.festival))) ctx.addIssue({ code: 'custom', path: ['holidays'], message: msg('节日重复', 'A festival repeats') });
  });
export type TPairingRules = z.infer<typeof ZPairingRules>;

const ZTags = z.array(z.string().trim().min(1).max(20)).max(20);

export const ZCreatePairingResidentBody = z.object({
  orgId: ZId,
  name: z
    .string()
    .trim()
    .min(1, { message: msg('请填写姓名', 'Enter the name') })
    .max(50),
  address: z
    .string()
    .trim()
    .min(1, { message: msg('请填写住址', 'Enter the address') })
    .max(200),
  phone: ZPhone.optional(),
  gender: z.enum(['male', 'female']).optional(),
  birthYear: z.number().int().min(1900).max(2100).optional(),
  tags: ZTags.default([]),
  note: z.string().trim().max(1000).optional(),
  /** A resident account of the person (optional), e.g. so they can order services themselves. */
  linkedUserId: ZId.optional(),
});
export type TCreatePairingResidentBody = z.infer<typeof ZCreatePairingResidentBody>;

export const ZUpdatePairingResidentBody = z.object({
  name: z.string().trim().min(1).max(50).optional(),
  address: z.string().trim().min(1).max(200).optional(),
  /** null clears it; left out keeps it. */
  phone: ZPhone.nullable().optional(),
  gender: z.enum(['male', 'female']).nullable().optional(),
  birthYear: z.number().int().min(1900).max(2100).nullable().optional(),
  tags: ZTags.optional(),
  note: z.string().trim().max(1000).nullable().optional(),
  linkedUserId: ZId.nullable().optional(),
});
export type TUpdatePairingResidentBody = z.infer<typeof ZUpdatePairingResidentBody>;

export const ZListPairingResidentsQuery = ZListQuery.extend({ orgId: ZId.optional(), q: z.string().trim().max(50).optional() });

const ZVolunteerIds = z
  .array(ZId)
  .min(1, { message: msg('请至少选择一名志愿者', 'Pick at least one volunteer') })
  .max(20, { message: msg('一个结对最多20名志愿者', 'At most 20 volunteers') });
const ZResidentIds = z
  .array(ZId)
  .min(1, { message: msg('请至少选择一位帮扶对象', 'Pick at least one cared-for person') })
  .max(20, { message: msg('一个结对最多20位帮扶对象', 'At most 20 cared-for people') });
const ZVisitHours = z
  .number()
  .min(0.1, { message: msg('时长至少0.1小时（时长保留一位小数）', 'At least 0.1 hours (hours carry one decimal)') })
  .max(24, { message: msg('单次不超过24小时', 'At most 24 hours') });

export const ZCreatePairingPlanBody = z
  .object({
    orgId: ZId,
    name: z
      .string()
      .trim()
      .min(1, { message: msg('请填写结对名称', 'Name the plan') })
      .max(100),
    description: z.string().trim().max(2000).optional(),
    volunteerIds: ZVolunteerIds,
    residentIds: ZResidentIds,
    rules: ZPairingRules,
    startsOn: ZDay,
    endsOn: ZDay.optional(),
    /** Usual length of a visit (the default in the log form). */
    visitHours: ZVisitHours.default(1),
  })
  .superRefine((v, ctx) => {
    if (v.endsOn && v.endsOn < v.startsOn)
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: msg('结束日期不能早于开始日期', 'The end is before the start') });
    if (new Set(v.volunteerIds).size !== v.volunteerIds.length)
      ctx.addIssue({ code: 'custom', path: ['volunteerIds'], message: msg('志愿者重复', 'A volunteer repeats') });
    if (new Set(v.residentIds).size !== v.residentIds.length)
      ctx.addIssue({ code: 'custom', path: ['residentIds'], message: msg('帮扶对象重复', 'A cared-for person repeats') });
  });
export type TCreatePairingPlanBody = z.infer<typeof ZCreatePairingPlanBody>;

export const ZUpdatePairingPlanBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().max(2000).nullable().optional(),
    volunteerIds: ZVolunteerIds.optional(),
    residentIds: ZResidentIds.optional(),
    rules: ZPairingRules.optional(),
    startsOn: ZDay.optional(),
    endsOn: ZDay.nullable().optional(),
    visitHours: ZVisitHours.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.volunteerIds && new Set(v.volunteerIds).size !== v.volunteerIds.length)
      ctx.addIssue({ code: 'custom', path: ['volunteerIds'], message: msg('志愿者重复', 'A volunteer repeats') });
    if (v.residentIds && new Set(v.residentIds).size !== v.residentIds.length)
      ctx.addIssue({ code: 'custom', path: ['residentIds'], message: msg('帮扶对象重复', 'A cared-for person repeats') });
  });
export type TUpdatePairingPlanBody = z.infer<typeof ZUpdatePairingPlanBody>;

export const ZPairingPlanStateBody = z.object({ reason: z.string().trim().max(500).optional() });

export const ZListPairingPlansQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  state: z.enum(['active', 'paused', 'ended']).optional(),
  q: z.string().trim().max(50).optional(),
  /** Only plans with at least one overdue task. */
  overdue: z.enum(['true', 'false']).optional(),
});

export const ZListPairingTasksQuery = ZListQuery.extend({
  /** upcoming: open from today on; past: before today, or done/missed; today: due today; all. */
  when: z.enum(['today', 'upcoming', 'past', 'all']).default('all'),
  state: z.enum(['open', 'done', 'missed', 'cancelled']).optional(),
});

/** My tasks as a paired volunteer: today, upcoming (after today, open), done (done or missed), overdue (open, before today). */
export const ZMyPairingTasksQuery = ZListQuery.extend({ view: z.enum(['today', 'upcoming', 'done', 'overdue']).default('today') });

export const ZLogPairingVisitBody = z
  .object({
    hours: z
      .number({ message: msg('请填写服务时长', 'Give the hours') })
      .min(0.1, { message: msg('时长至少0.1小时（时长保留一位小数）', 'At least 0.1 hours (hours carry one decimal)') })
      .max(12, { message: msg('单次探访不超过12小时', 'At most 12 hours per visit') }),
    note: z.string().trim().max(500).optional(),
    photoIds: z
      .array(ZId)
      .max(9, { message: msg('最多9张照片', 'At most 9 photos') })
      .optional(),
    lat: ZLat.optional(),
    lng: ZLng.optional(),
    /** Who served (paired volunteers of the plan). Default: the caller. Staff logging for volunteers must name them. */
    volunteerIds: z.array(ZId).min(1).max(20).optional(),
    /** When the visit ended (default: now). */
    visitedAt: ZInstant.optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.lat === undefined) !== (v.lng === undefined))
      ctx.addIssue({ code: 'custom', path: ['lat'], message: msg('经纬度须同时填写', 'Give latitude and longitude together') });
    if (v.volunteerIds && new Set(v.volunteerIds).size !== v.volunteerIds.length)
      ctx.addIssue({ code: 'custom', path: ['volunteerIds'], message: msg('志愿者重复', 'A volunteer repeats') });
  });
export type TLogPairingVisitBody = z.infer<typeof ZLogPairingVisitBody>;

export const ZMissPairingVisitBody = z.object({
  reason: z
    .string()
    .trim()
    .min(1, { message: msg('请填写未能探访的原因', 'Give the reason') })
    .max(500),
});

export interface PairingResidentDto {
  id: string;
  orgId: string;
  orgName: string;
  name: string;
  address: string;
  /** Full to admins, the person's own account and the volunteers paired with them; masked to everybody else. */
  phone: string | null;
  gender: 'male' | 'female' | null;
  birthYear: number | null;
  tags: string[];
  note: string | null;
  linkedUserId: string | null;
  createdAt: string;
}

export interface PairingPlanDto {
  id: string;
  orgId: string;
  orgName: string;
  name: string;
  description: string | null;
  state: 'active' | 'paused' | 'ended';
  stateReason: string | null;
  rules: TPairingRules;
  startsOn: string;
  endsOn: string | null;
  visitHours: number;
  volunteers: { id: string; name: string; phone: string }[];
  residents: PairingResidentDto[];
  counts: { open: number; overdue: number; done: number; missed: number };
  nextDueAt: string | null;
  createdAt: string;
  allowedActions: string[];
}

export interface PairingTaskDto {
  id: string;
  planId: string;
  planName: string;
  orgId: string;
  orgName: string;
  kind: 'weekly' | 'monthly' | 'holiday';
  label: string;
  dueOn: string;
  dueAt: string;
  state: 'open' | 'done' | 'missed' | 'cancelled';
  overdue: boolean;
  residents: PairingResidentDto[];
  volunteers: { id: string; name: string }[];
  visitHours: number;
  log: {
    loggedAt: string;
    loggedBy: string | null;
    loggedByName: string | null;
    visitedAt: string | null;
    hours: number | null;
    note: string | null;
    photoIds: string[];
    lat: number | null;
    lng: number | null;
    servedVolunteerIds: string[];
    missedReason: string | null;
  } | null;
  /** The service records the visit created (one per serving volunteer). */
  records: { id: string; volunteerId: string; volunteerName: string; hours: number; status: 'pending' | 'verified' | 'rejected' | 'revoked' }[];
  allowedActions: string[];
}
