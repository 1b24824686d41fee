import { sql } from 'drizzle-orm';
import { localTime, openMinutesBetween } from '@wenming/domain';
import { DEFAULT_TZ } from '../../lib/time.ts';
import { assertStaff, requireActor, scopeCondition, type RequestCtx } from '../../lib/policy.ts';
import type { OrgsRepository } from '../orgs/orgs.repository.ts';
import { narrowToOrg } from '../orgs/org-filter.ts';
import type { StatsRepository } from './stats.repository.ts';

const ratio = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 10000) / 10000 : 0);

/**
 * GET /stats/overview (API.md "Statistics"). Rates are fractions in [0, 1]:
 * - responseRate   = orders accepted or forwarded by their first deadline / orders that are due
 *                    (first deadline passed, or already accepted or forwarded);
 * - resolutionRate = orders completed or resolved / orders closed or due (cancelled ones left out:
 *                    the resident withdrew them);
 * - satisfactionRate = ratings ≥ 4 / ratings; avgAcceptMinutes = mean time from submission to acceptance;
 * - bookings.utilization = hours booked (approved, checked in, completed) of exclusive resources in the
 *   last 30 days / their open hours in those days.
 */
export function createStatsService(deps: { stats: StatsRepository; orgs: OrgsRepository; clock?: () => Date }) {
  const now = deps.clock ?? (() => new Date());
  return {
    async overview(ctx: RequestCtx, orgId?: string) {
      const actor = requireActor(ctx);
      const { scope } = await narrowToOrg(deps.orgs, assertStaff(actor), orgId);
      const cond = scopeCondition(scope, sql`o.city_code`, sql`o.path`);
      // Booking utilisation over the last 30 days: booked hours of exclusive resources / their open hours.
      const to = now();
      const from = new Date(to.getTime() - 30 * 86_400_000);
      const [orgCounts, vt, ord, activities, bk] = await Promise.all([
        deps.stats.orgCounts(cond),
        deps.stats.volunteerAndTeamCounts(cond),
        deps.stats.orderFigures(cond, to),
        deps.stats.activityCount(cond),
        deps.stats.bookingFigures(cond, from, to),
      ]);
      const fromDate = localTime(from, DEFAULT_TZ).date;
      const openHours = bk.resources.reduce((sum, r) => sum + openMinutesBetween(r.open_hours, r.closed_dates, fromDate, 30, DEFAULT_TZ), 0) / 60;
      const levels = Object.fromEntries(orgCounts.map((r) => [r.level, Number(r.n)]));
      const byState = Object.fromEntries(ord.byState.map((r) => [r.state, Number(r.n)]));
      return {
        orgs: { city: levels.city ?? 0, center: levels.center ?? 0, institute: levels.institute ?? 0, station: levels.station ?? 0, point: levels.point ?? 0 },
        volunteers: Number(vt.volunteers),
        teams: Number(vt.teams),
        activities,
        serviceHours: Math.round(Number(vt.hours) * 10) / 10,
        orders: {
          total: Object.values(byState).reduce((a, b) => a + b, 0),
          byState,
          responseRate: ratio(Number(ord.responded), Number(ord.due)),
          resolutionRate: ratio(Number(ord.solved), Number(ord.closed_or_due)),
          satisfactionRate: ratio(Number(ord.satisfied), Number(ord.ratings)),
          avgAcceptMinutes: ord.avg_accept === null ? null : Math.round(Number(ord.avg_accept) * 10) / 10,
        },
        bookings: { total: bk.total, utilization: openHours > 0 ? Math.min(1, Math.round((bk.bookedHours / openHours) * 10000) / 10000) : 0 },
      };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
