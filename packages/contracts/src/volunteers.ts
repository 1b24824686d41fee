import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId, ZInstant, ZLat, ZListQuery, ZLng } from './common.ts';

export const POLITICAL_STATUSES = ['party', 'league', 'masses'] as const;
export const POLITICAL_STATUS_NAMES = { party: '中共党员', league: '共青团员', masses: '群众' } as const;

export const ZCategoryCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, { message: msg('无效的服务类别', 'Invalid category code') });

export const ZAvailabilitySlot = z.object({
  weekday: z.number().int().min(1).max(7),
  period: z.enum(['morning', 'afternoon', 'evening']),
});

export const ZRegisterVolunteerBody = z.object({
  realName: z
    .string()
    .trim()
    .min(1, { message: msg('请填写真实姓名', 'Enter your real name') })
    .max(50),
  idNumber: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^\d{17}[\dX]$/, { message: msg('请输入18位身份证号码', 'Enter the 18-character resident ID number') }),
  orgId: ZId,
  skills: z.array(ZCategoryCode).max(20).default([]),
  specialties: z.array(z.string().trim().min(1).max(20)).max(20).optional(),
  politicalStatus: z.enum(POLITICAL_STATUSES).optional(),
  workUnit: z.string().trim().max(100).optional(),
  availability: z.array(ZAvailabilitySlot).max(21).optional(),
  lat: ZLat.optional(),
  lng: ZLng.optional(),
});
export type TRegisterVolunteerBody = z.infer<typeof ZRegisterVolunteerBody>;

export const ZListVolunteersQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  skill: ZCategoryCode.optional(),
  teamId: ZId.optional(),
  star: z.coerce.number().int().min(0).max(5).optional(),
  politicalStatus: z.enum(POLITICAL_STATUSES).optional(),
  status: z.enum(['active', 'suspended']).optional(),
  q: z.string().trim().max(50).optional(),
});

export const ZReasonBody = z.object({
  reason: z
    .string()
    .trim()
    .min(1, { message: msg('请填写原因', 'Give a reason') })
    .max(500),
});

export const TEAM_TIERS = ['corps', 'squad', 'unit'] as const;
export const TEAM_TIER_NAMES = { corps: '总队', squad: '分队', unit: '服务队' } as const;
export const TEAM_TYPES = ['party', 'professional', 'social'] as const;
export const TEAM_TYPE_NAMES = { party: '党群', professional: '专业', social: '社会' } as const;

export const ZCreateTeamBody = z.object({
  orgId: ZId,
  name: z
    .string()
    .trim()
    .min(1, { message: msg('名称不能为空', 'The name must not be empty') })
    .max(100),
  tier: z.enum(TEAM_TIERS),
  type: z.enum(TEAM_TYPES),
  category: ZCategoryCode,
  parentTeamId: ZId.optional(),
  leaderUserId: ZId.optional(),
  description: z.string().trim().max(2000).optional(),
});
export type TCreateTeamBody = z.infer<typeof ZCreateTeamBody>;

export const ZAddMemberBody = z.object({ volunteerId: ZId });
export const ZListTeamsQuery = ZListQuery.extend({ orgId: ZId.optional(), category: ZCategoryCode.optional(), q: z.string().trim().max(50).optional() });

export const ZCreateRecordBody = z
  .object({
    volunteerId: ZId,
    orgId: ZId,
    hours: z
      .number()
      .min(0.1, { message: msg('时长至少0.1小时（时长保留一位小数）', 'At least 0.1 hours (hours carry one decimal)') })
      .max(24, { message: msg('单条记录不超过24小时', 'At most 24 hours per record') }),
    startedAt: ZInstant,
    endedAt: ZInstant,
    title: z.string().trim().min(1).max(100),
    note: z.string().trim().max(2000).optional(),
  })
  .refine((v) => Date.parse(v.endedAt) >= Date.parse(v.startedAt), {
    path: ['endedAt'],
    message: msg('结束时间不能早于开始时间', 'The end is before the start'),
  });
export type TCreateRecordBody = z.infer<typeof ZCreateRecordBody>;

export const ZDecisionBody = z.object({ note: z.string().trim().max(500).optional() });
/** 审核通过: a claim of hours beyond the time the platform saw is verified only with an override reason. */
export const ZVerifyRecordBody = ZDecisionBody.extend({
  overrideReason: z
    .string()
    .trim()
    .min(1, { message: msg('请填写核定理由', 'Give the reason for the override') })
    .max(500)
    .optional(),
});

export interface VolunteerDto {
  id: string;
  userId: string;
  realName: string;
  idNumber: string;
  phone: string;
  orgId: string;
  orgName: string;
  skills: string[];
  specialties: string[];
  politicalStatus: (typeof POLITICAL_STATUSES)[number];
  workUnit: string | null;
  availability: z.infer<typeof ZAvailabilitySlot>[];
  status: 'active' | 'suspended';
  statusReason: string | null;
  totalHours: number;
  star: number;
  hoursToNextStar: number | null;
  points: number;
  teams: { id: string; name: string }[];
  createdAt: string;
  allowedActions: string[];
}

export interface ServiceRecordDto {
  id: string;
  volunteerId: string;
  volunteerName: string;
  orgId: string;
  orgName: string;
  teamId: string | null;
  source: 'activity' | 'order' | 'manual' | 'pairing';
  sourceId: string;
  title: string | null;
  hours: number;
  startedAt: string | null;
  endedAt: string | null;
  status: 'pending' | 'verified' | 'rejected' | 'revoked';
  note: string | null;
  decisionNote: string | null;
  createdAt: string;
  allowedActions: string[];
  /** Hours plausibility: the claim against the time the platform saw (start → completion, check-in → check-out, the activity's times). */
  plausibility: {
    verdict: 'ok' | 'implausible' | 'unknown';
    observedHours: number | null;
    maxHours: number | null;
    reason: string | null;
  };
  /** The reviewer's reason for verifying an implausible claim. */
  overrideReason: string | null;
}

export interface TeamDto {
  id: string;
  orgId: string;
  orgName: string;
  parentTeamId: string | null;
  name: string;
  tier: (typeof TEAM_TIERS)[number];
  type: (typeof TEAM_TYPES)[number];
  category: string;
  leaderUserId: string | null;
  leaderName: string | null;
  description: string | null;
  memberCount: number;
  totalHours: number;
  allowedActions: string[];
}
