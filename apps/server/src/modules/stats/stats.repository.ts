import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';

type Rows<T> = { rows: T[] };

/**
 * Figures of a subtree (`scope` is a condition on the alias `o` = orgs). Statistics use CTEs and
 * no scalar subqueries beside aggregates (scale-out rules).
 */
export function createStatsRepository(db: Executor) {
  const q = async <T>(query: SQL) => ((await db.execute(query)) as unknown as Rows<T>).rows;
  return {
    async orgCounts(scope: SQL) {
      return q<{ level: string; n: number }>(sql`SELECT o.level, count(*)::int AS n FROM orgs o WHERE ${scope} GROUP BY o.level`);
    },
    async volunteerAndTeamCounts(scope: SQL) {
      const [r] = await q<{ volunteers: number; teams: number; hours: number }>(sql`
        WITH v AS (SELECT count(*)::int AS n FROM volunteers x JOIN orgs o ON o.city_code = x.city_code AND o.id = x.org_id WHERE ${scope} AND x.status = 'active'),
             t AS (SELECT count(*)::int AS n FROM teams x JOIN orgs o ON o.city_code = x.city_code AND o.id = x.org_id WHERE ${scope} AND x.status = 'active'),
             h AS (SELECT coalesce(sum(r.hours), 0)::float AS n FROM service_records r JOIN orgs o ON o.city_code = r.city_code AND o.id = r.org_id WHERE ${scope} AND r.status = 'verified')
        SELECT v.n AS volunteers, t.n AS teams, h.n AS hours FROM v, t, h`);
      return r!;
    },
    async activityCount(scope: SQL) {
      const [r] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM activities x JOIN orgs o ON o.city_code = x.city_code AND o.id = x.org_id WHERE ${scope} AND x.state IN ('published', 'finished')`);
      return Number(r?.n ?? 0);
    },
    /** Exclusive resources of the subtree with their open hours, and the hours booked in [from, to). */
    async bookingFigures(scope: SQL, from: Date, to: Date) {
      const resources = await q<{ id: string; open_hours: { weekday: number; open: string; close: string }[]; closed_dates: string[] }>(sql`
        SELECT x.id, x.open_hours, x.closed_dates::text[] AS closed_dates FROM resources x JOIN orgs o ON o.city_code = x.city_code AND o.id = x.org_id
        WHERE ${scope} AND x.status = 'active' AND x.bookable AND x.quantity IS NULL`);
      const [b] = await q<{ total: number; hours: number }>(sql`
        WITH s AS (SELECT b.* FROM bookings b JOIN resources x ON x.city_code = b.city_code AND x.id = b.resource_id JOIN orgs o ON o.city_code = x.city_code AND o.id = x.org_id WHERE ${scope})
        SELECT count(*)::int AS total,
          coalesce(sum(extract(epoch FROM (least(s.ends_at, ${to}) - greatest(s.starts_at, ${from}))) / 3600) FILTER (
            WHERE s.exclusive AND s.status IN ('approved', 'checked_in', 'completed') AND s.starts_at < ${to} AND s.ends_at > ${from}), 0)::float AS hours
        FROM s`);
      return { resources, total: Number(b?.total ?? 0), bookedHours: Number(b?.hours ?? 0) };
    },
    async orderFigures(scope: SQL, now: Date) {
      const byState = await q<{ state: string; n: number }>(sql`
        SELECT x.state, count(*)::int AS n FROM orders x JOIN orgs o ON o.city_code = x.city_code AND o.id = x.org_id WHERE ${scope} GROUP BY x.state`);
      const [r] = await q<{ due: number; responded: number; closed_or_due: number; solved: number; ratings: number; satisfied: number; avg_accept: number | null }>(sql`
        WITH s AS (
          SELECT x.* FROM orders x JOIN orgs o ON o.city_code = x.city_code AND o.id = x.org_id WHERE ${scope}
        )
        SELECT
          count(*) FILTER (WHERE s.first_accept_due_at <= ${now} OR s.accepted_at IS NOT NULL OR s.forwarded_at IS NOT NULL)::int AS due,
          count(*) FILTER (WHERE coalesce(s.accepted_at, s.forwarded_at) <= s.first_accept_due_at)::int AS responded,
          count(*) FILTER (WHERE s.state <> 'cancelled' AND NOT (s.state IN ('submitted', 'dispatched', 'accepted', 'in_service', 'forwarded') AND s.first_accept_due_at > ${now}))::int AS closed_or_due,
          count(*) FILTER (WHERE s.completed_at IS NOT NULL OR s.resolved_at IS NOT NULL)::int AS solved,
          count(*) FILTER (WHERE s.rating IS NOT NULL)::int AS ratings,
          count(*) FILTER (WHERE s.rating >= 4)::int AS satisfied,
          avg(extract(epoch FROM s.accepted_at - s.created_at) / 60) FILTER (WHERE s.accepted_at IS NOT NULL)::float AS avg_accept
        FROM s`);
      return { byState, ...r! };
    },
  };
}

export type StatsRepository = ReturnType<typeof createStatsRepository>;
