import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId, ZListQuery, ZPhone, type Page } from './common.ts';
import { ZCategoryCode } from './volunteers.ts';

/** 志愿服务组织 and join requests (issue 21). */

/** Shape of a 统一社会信用代码 (the check character is verified by the server: domain `isValidCreditCode`). */
export const ZCreditCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, {
    message: msg(
      '统一社会信用代码应为18位（数字或大写字母，不含I、O、S、V、Z）',
      'The unified social credit code has 18 characters (digits or capitals, no I, O, S, V, Z)',
    ),
  });

const ZText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: msg('不能为空', 'Must not be empty') })
    .max(max, { message: msg(`最多${max}个字`, `At most ${max} characters`) });

export const ZCreateOrganisationBody = z.object({
  /** The supervising site (主管阵地): its subtree's org_admins manage the organisation. */
  orgId: ZId,
  name: ZText(100),
  creditCode: ZCreditCode,
  registrationAuthority: ZText(100),
  contactName: ZText(50),
  contactPhone: ZPhone,
  address: z.string().trim().max(200).optional(),
  description: z.string().trim().max(2000).optional(),
  categories: z.array(ZCategoryCode).max(20).default([]),
  /** Sites it serves (服务区域), in the same city. */
  serviceOrgIds: z.array(ZId).max(100).default([]),
});
export type TCreateOrganisationBody = z.infer<typeof ZCreateOrganisationBody>;

export const ZUpdateOrganisationBody = z
  .object({
    name: ZText(100),
    creditCode: ZCreditCode,
    registrationAuthority: ZText(100),
    contactName: ZText(50),
    contactPhone: ZPhone,
    address: z.string().trim().max(200).nullable(),
    description: z.string().trim().max(2000).nullable(),
    categories: z.array(ZCategoryCode).max(20),
    serviceOrgIds: z.array(ZId).max(100),
    status: z.enum(['active', 'dissolved']),
  })
  .partial();
export type TUpdateOrganisationBody = z.infer<typeof ZUpdateOrganisationBody>;

export const ZListOrganisationsQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  category: ZCategoryCode.optional(),
  q: z.string().trim().max(50).optional(),
});
export type TListOrganisationsQuery = z.infer<typeof ZListOrganisationsQuery>;

export const ZOrganisationMemberBody = z.object({ volunteerId: ZId });
export const ZOrganisationTeamBody = z.object({ teamId: ZId });
export const ZOrganisationAdminBody = z.object({ userId: ZId });

export const ORGANISATION_STATUS_NAMES = { active: '正常', dissolved: '已注销' } as const;

export interface OrganisationFiguresDto {
  volunteers: number;
  teams: number;
  activities: number;
  /** Verified service hours recorded under its teams. */
  hours: number;
  pendingRequests: number;
}

export interface OrganisationDto {
  id: string;
  orgId: string;
  orgName: string;
  name: string;
  creditCode: string;
  registrationAuthority: string;
  contactName: string;
  contactPhone: string;
  address: string | null;
  description: string | null;
  categories: string[];
  status: 'active' | 'dissolved';
  memberCount: number;
  teamCount: number;
  createdAt: string;
  /** What the caller may do: update, manageMembers, manageTeams, manageAdmins, decide. */
  allowedActions: string[];
}

export interface OrganisationDetailDto extends OrganisationDto {
  serviceSites: { id: string; name: string }[];
  teams: { id: string; name: string; orgName: string; leaderName: string | null; memberCount: number }[];
  admins: { userId: string; name: string; phone: string }[];
  figures: OrganisationFiguresDto;
}

export interface OrganisationMemberDto {
  volunteerId: string;
  realName: string;
  status: string;
  totalHours: number;
  joinedAt: string;
}

/** GET /organisations/mine: the organisations the caller administers and those they belong to. */
export interface MyOrganisationsDto {
  administered: OrganisationDto[];
  memberOf: { id: string; name: string; categories: string[]; joinedAt: string }[];
  teams: { id: string; name: string; orgName: string }[];
}

export type OrganisationsPage = Page<OrganisationDto>;

// ------------------------------------------------------------------ join requests

export const JOIN_REQUEST_STATUSES = ['pending', 'approved', 'refused', 'withdrawn'] as const;
export type JoinRequestStatus = (typeof JOIN_REQUEST_STATUSES)[number];
export const JOIN_REQUEST_STATUS_NAMES: Record<JoinRequestStatus, string> = { pending: '待审核', approved: '已通过', refused: '未通过', withdrawn: '已撤回' };

export const ZCreateJoinRequestBody = z
  .object({
    teamId: ZId.optional(),
    organisationId: ZId.optional(),
    message: z
      .string()
      .trim()
      .max(200, { message: msg('最多200个字', 'At most 200 characters') })
      .optional(),
  })
  .refine((b) => (b.teamId === undefined) !== (b.organisationId === undefined), {
    message: msg('请选择一个队伍或一个组织', 'Choose one team or one organisation'),
    path: ['teamId'],
  });
export type TCreateJoinRequestBody = z.infer<typeof ZCreateJoinRequestBody>;

export const ZRefuseJoinRequestBody = z.object({ reason: ZText(200) });

export const ZListJoinRequestsQuery = ZListQuery.extend({
  status: z.enum(JOIN_REQUEST_STATUSES).default('pending'),
  teamId: ZId.optional(),
  organisationId: ZId.optional(),
});
export type TListJoinRequestsQuery = z.infer<typeof ZListJoinRequestsQuery>;

export const ZJoinTargetsQuery = z.object({ q: z.string().trim().max(50).optional() });

export interface JoinRequestDto {
  id: string;
  kind: 'team' | 'organisation';
  targetId: string;
  targetName: string;
  volunteerId: string;
  volunteerName: string;
  message: string | null;
  status: JoinRequestStatus;
  reason: string | null;
  createdAt: string;
  decidedAt: string | null;
  allowedActions: string[];
}

/** GET /join-targets: teams and organisations of the volunteer's city they may ask to join. */
export interface JoinTargetsDto {
  teams: { id: string; name: string; orgName: string; category: string; memberCount: number; member: boolean; pending: boolean }[];
  organisations: { id: string; name: string; categories: string[]; memberCount: number; member: boolean; pending: boolean }[];
}
