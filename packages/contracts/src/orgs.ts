import { msg } from './i18n.ts';
import { z } from 'zod';
import { ZId, ZLat, ZLng, ZListQuery } from './common.ts';

export const ORG_LEVELS = ['city', 'center', 'institute', 'station', 'point'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];
export const ZOrgLevel = z.enum(ORG_LEVELS);

export const ORG_LEVEL_NAMES: Record<OrgLevel, { zh: string; en: string; short: string }> = {
  city: { zh: '市级', en: 'City', short: '市' },
  center: { zh: '县(市、区)新时代文明实践中心', en: 'Center', short: '中心' },
  institute: { zh: '街道(乡镇)实践所', en: 'Institute', short: '所' },
  station: { zh: '村(社区)实践站', en: 'Station', short: '站' },
  point: { zh: '实践点/基地', en: 'Point', short: '点' },
};

export const ZCreateOrgBody = z.object({
  parentId: ZId.optional(),
  level: ZOrgLevel,
  name: z
    .string()
    .trim()
    .min(1, { message: msg('名称不能为空', 'The name must not be empty') })
    .max(100, { message: msg('名称最多100个字', 'The name may have at most 100 characters') }),
  regionCode: z
    .string()
    .regex(/^\d{4,12}$/, { message: msg('行政区划代码为4至12位数字', 'A region code has 4 to 12 digits') })
    .optional(),
  address: z
    .string()
    .trim()
    .max(200, { message: msg('地址最多200个字', 'The address may have at most 200 characters') })
    .optional(),
  lat: ZLat.optional(),
  lng: ZLng.optional(),
});
export type TCreateOrgBody = z.infer<typeof ZCreateOrgBody>;

/** 新时代文明实践试点 levels (0041). */
export const PILOT_LEVELS = ['national', 'provincial', 'city'] as const;
export type PilotLevel = (typeof PILOT_LEVELS)[number];
export const PILOT_LEVEL_NAMES: Record<PilotLevel, string> = { national: '国家级试点', provincial: '省级试点', city: '市级试点' };

export const ZUpdateOrgBody = z
  .object({
    name: ZCreateOrgBody.shape.name,
    address: ZCreateOrgBody.shape.address.unwrap().nullable(),
    lat: ZLat.nullable(),
    lng: ZLng.nullable(),
    /** 0041: 国家级 / 省级 / 市级 新时代文明实践试点 (null: none). */
    pilotLevel: z.enum(PILOT_LEVELS).nullable(),
    /** 挂牌: the plaque is up, since `plaquedOn`. */
    plaqued: z.boolean(),
    plaquedOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: msg('日期格式应为 YYYY-MM-DD', 'Dates are YYYY-MM-DD') })
      .nullable(),
  })
  .partial();
export type TUpdateOrgBody = z.infer<typeof ZUpdateOrgBody>;

export const ZListOrgsQuery = ZListQuery.extend({
  parentId: ZId.optional(),
  level: ZOrgLevel.optional(),
  q: z.string().trim().max(50).optional(),
});
export type TListOrgsQuery = z.infer<typeof ZListOrgsQuery>;

export interface OrgDto {
  id: string;
  cityCode: string;
  parentId: string | null;
  level: OrgLevel;
  name: string;
  regionCode: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  pilotLevel: PilotLevel | null;
  plaqued: boolean;
  plaquedOn: string | null;
  path: string[];
  childCount: number;
  /** Names of the ancestors, root first (for showing where a search hit sits). */
  pathNames: string[];
  allowedActions: string[];
}

export const ZCreateDepartmentBody = z.object({
  orgId: ZId,
  name: z
    .string()
    .trim()
    .min(1, { message: msg('名称不能为空', 'The name must not be empty') })
    .max(100, { message: msg('名称最多100个字', 'The name may have at most 100 characters') }),
});
export type TCreateDepartmentBody = z.infer<typeof ZCreateDepartmentBody>;

export const ZListDepartmentsQuery = ZListQuery.extend({ orgId: ZId.optional(), q: z.string().trim().max(50).optional() });

/** The routing directory entry of a department (派单目录): what it handles, where, how fast. */
export const ZDepartmentDuties = z.object({
  categories: z
    .array(z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, { message: msg('无效的服务类别', 'Invalid category code') }))
    .max(30)
    .optional(),
  natures: z
    .array(z.enum(['petition', 'complaint', 'consult']))
    .max(3)
    .optional(),
  keywords: z
    .array(
      z
        .string()
        .trim()
        .min(1, { message: msg('关键词不能为空', 'A keyword must not be empty') })
        .max(20, { message: msg('关键词最多20个字', 'A keyword has at most 20 characters') }),
    )
    .max(100, { message: msg('关键词最多100个', 'At most 100 keywords') })
    .optional(),
  /** The org whose subtree the department covers; null: its own org's. */
  areaOrgId: ZId.nullable().optional(),
  contact: z.string().trim().max(100).nullable().optional(),
  /** Minutes to 签收 (acknowledge) a forwarded order; null: the defaults by urgency. */
  ackMinutes: z.number().int().min(1).max(43200).nullable().optional(),
  /** Minutes to answer (办理时限) from forwarding; null: the defaults by urgency. */
  resolveMinutes: z.number().int().min(1).max(525600).nullable().optional(),
});
export const ZUpdateDepartmentBody = ZDepartmentDuties.extend({
  name: z
    .string()
    .trim()
    .min(1, { message: msg('名称不能为空', 'The name must not be empty') })
    .max(100, { message: msg('名称最多100个字', 'The name may have at most 100 characters') })
    .optional(),
});
export type TUpdateDepartmentBody = z.infer<typeof ZUpdateDepartmentBody>;

export const ZDepartmentStatsQuery = z.object({ orgId: ZId.optional() });

export interface DepartmentDto {
  id: string;
  orgId: string;
  orgName: string;
  name: string;
  createdAt: string;
  categories: string[];
  natures: string[];
  keywords: string[];
  areaOrgId: string;
  areaOrgName: string;
  contact: string | null;
  ackMinutes: number | null;
  resolveMinutes: number | null;
}

/** A department's figures (三率): a rate is null when its sample is below the minimum (样本不足). */
export interface DepartmentFiguresDto {
  departmentId: string;
  name: string;
  orgName: string;
  received: number;
  open: number;
  overdue: number;
  acknowledgedInTime: number;
  ackDue: number;
  /** 签收率 / 响应率 */
  ackRate: number | null;
  resolvedInTime: number;
  resolveDue: number;
  /** 按时办结率 / 解决率 */
  onTimeRate: number | null;
  satisfied: number;
  rated: number;
  /** 满意率 */
  satisfactionRate: number | null;
  disputes: number;
  /** 退单率 */
  disputeRate: number | null;
  avgHandleHours: number | null;
  minSample: number;
}
