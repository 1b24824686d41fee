import { useQuery } from '@tanstack/react-query';
import type { StatsCategoryRow, StatsDistricts, StatsMap, StatsTop, StatsTrend } from '@wenming/contracts';
import { api, API_BASE, withQuery } from '../../../lib/api-client';

export interface StatsOverview {
  orgs: { city: number; center: number; institute: number; station: number; point: number };
  volunteers: number;
  teams: number;
  activities: number;
  serviceHours: number;
  /** 服务人次: finished activities, completed orders, verified pairing visits. */
  peopleServed: { total: number; activities: number; orders: number; pairing: number };
  /** 1+N: "centers+institutes+stations+points". */
  layout: string;
  plaque: { plaqued: number; sites: number; rate: number };
  pilots: { national: number; provincial: number; city: number };
  orders: {
    total: number;
    byState: Record<string, number>;
    responseRate: number;
    resolutionRate: number;
    satisfactionRate: number;
    avgAcceptMinutes: number | null;
  };
  bookings: { total: number; utilization: number };
}

export interface StatsFilter {
  orgId?: string;
  from?: string;
  to?: string;
}

/** How often the big screen asks again (it also hears the live feed in between). */
interface Live {
  refetchInterval?: number;
}

const opts = (live?: Live) => ({ refetchInterval: live?.refetchInterval, refetchIntervalInBackground: true, staleTime: 10_000, retry: 2 });

export const useStatsOverview = (orgId: string | undefined, live?: Live, enabled = true) =>
  useQuery({
    queryKey: ['stats', 'overview', orgId ?? null],
    queryFn: () => api<StatsOverview>('/stats/overview', { query: { orgId } }),
    enabled,
    ...opts(live),
  });

export const useStatsTrend = (orgId: string | undefined, months = 12, live?: Live, enabled = true) =>
  useQuery({
    queryKey: ['stats', 'trend', orgId ?? null, months],
    queryFn: () => api<StatsTrend>('/stats/trend', { query: { orgId, months } }),
    enabled,
    ...opts(live),
  });

export const useStatsCategories = (f: StatsFilter, live?: Live, enabled = true) =>
  useQuery({
    queryKey: ['stats', 'categories', f],
    queryFn: () => api<{ from: string | null; to: string | null; items: StatsCategoryRow[] }>('/stats/categories', { query: { ...f } }),
    enabled,
    ...opts(live),
  });

export const useStatsTop = (f: StatsFilter, live?: Live, enabled = true) =>
  useQuery({ queryKey: ['stats', 'top', f], queryFn: () => api<StatsTop>('/stats/top', { query: { ...f } }), enabled, ...opts(live) });

export const useStatsDistricts = (f: StatsFilter, live?: Live, enabled = true) =>
  useQuery({ queryKey: ['stats', 'districts', f], queryFn: () => api<StatsDistricts>('/stats/districts', { query: { ...f } }), enabled, ...opts(live) });

export const useStatsMap = (orgId: string | undefined, enabled = true) =>
  useQuery({
    queryKey: ['stats', 'map', orgId ?? null],
    queryFn: () => api<StatsMap>('/stats/map', { query: { orgId } }),
    enabled,
    staleTime: 5 * 60_000,
    retry: 2,
  });

/** The Excel export's address (a plain link: the browser downloads it with the session cookie). */
export const statsExportUrl = (f: StatsFilter) => withQuery(`${API_BASE}/stats/export`, { ...f });
