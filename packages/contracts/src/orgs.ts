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

export const ZUpdateOrgBody = z
  .object({
    name: ZCreateOrgBody.shape.name,
    address: ZCreateOrgBody.shape.address.unwrap().nullable(),
    lat: ZLat.nullable(),
    lng: ZLng.nullable(),
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

export interface DepartmentDto {
  id: string;
  orgId: string;
  orgName: string;
  name: string;
  createdAt: string;
}
