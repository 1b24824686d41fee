import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId } from './common.ts';

/** A local calendar day (Asia/Shanghai). */
export const ZStatsDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: msg('日期格式应为 YYYY-MM-DD', 'Dates are YYYY-MM-DD') })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: msg('无效的日期', 'Invalid date'),
  });

export const ZStatsOrgQuery = z.object({ orgId: ZId.optional() });
export const ZStatsTrendQuery = z.object({
  orgId: ZId.optional(),
  months: z.coerce
    .number({ message: msg('月份数须为数字', 'months must be a number') })
    .int()
    .min(1, { message: msg('月份数须在 1–36 之间', 'months must be 1–36') })
    .max(36, { message: msg('月份数须在 1–36 之间', 'months must be 1–36') })
    .default(12),
});
export const ZStatsPeriodQuery = z
  .object({ orgId: ZId.optional(), from: ZStatsDay.optional(), to: ZStatsDay.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: msg('开始日期不能晚于结束日期', 'from must not be after to'), path: ['to'] });
export type TStatsPeriodQuery = z.infer<typeof ZStatsPeriodQuery>;

export interface StatsRates {
  responseRate: number;
  resolutionRate: number;
  satisfactionRate: number;
  avgAcceptMinutes: number | null;
}

export interface StatsTrend {
  months: string[];
  /** peopleServed: 服务人次 (finished activities, completed orders, verified pairing visits). */
  series: { orders: number[]; solved: number[]; activities: number[]; serviceHours: number[]; newVolunteers: number[]; peopleServed: number[] };
}

export interface StatsCategoryRow {
  code: string;
  name: string;
  /** Orders asked for in the period (供需对接: demand). */
  orders: number;
  /** Activities held in the period. */
  activities: number;
  /** Active teams of the category and active volunteers with the skill (supply, now). */
  teams: number;
  volunteers: number;
}

export interface StatsTop {
  teams: { id: string; name: string; category: string; orgName: string; members: number; hours: number }[];
  volunteers: { id: string; name: string; orgName: string; hours: number }[];
}

export interface StatsDistrictRow extends StatsRates {
  orgId: string;
  name: string;
  shortName: string;
  level: string;
  regionCode: string | null;
  /** The parent's own figures (facts recorded at the parent itself), not a child. */
  self: boolean;
  sites: number;
  teams: number;
  volunteers: number;
  activities: number;
  orders: number;
  serviceHours: number;
  /** 服务人次 in the period. */
  peopleServed: number;
  /** Sites below that are plaqued (挂牌), of `sites`. */
  plaqued: number;
}

export interface StatsDistricts {
  parent: { id: string; name: string; level: string } | null;
  items: StatsDistrictRow[];
}

export interface StatsMapPoint {
  id: string;
  name: string;
  level: string;
  lat: number;
  lng: number;
}

export interface StatsMap {
  org: { id: string; name: string; level: string; parentId: string | null } | null;
  /** Map name to register with ECharts (city code, or city code + district code). */
  mapName: string;
  /** GeoJSON FeatureCollection; each feature's properties: name (short), code, orgId (null when no site matches). */
  geojson: { type: 'FeatureCollection'; features: unknown[] } | null;
  regions: { orgId: string; name: string; code: string | null }[];
  points: StatsMapPoint[];
  truncated: boolean;
}

/** One item of the live feed (no personal data). */
export interface StatsLiveEvent {
  id: string;
  kind: 'order.submitted' | 'order.accepted' | 'order.forwarded' | 'activity.published';
  at: string;
  orgId: string;
  orgName: string;
  category: string;
  categoryName: string;
  text: string;
}

/** Short display name of a site: the place without the 新时代文明实践中心/所/站 suffix. */
export function shortOrgName(name: string): string {
  return name.replace(/新时代文明实践(中心|所|站|点)$/, '').replace(/(实践中心|实践所|实践站)$/, '') || name;
}
