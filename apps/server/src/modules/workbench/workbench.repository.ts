import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { scopeCondition, type Scope } from '../../lib/policy.ts';

/** Instants the counts are taken against (computed by the service from its clock). */
export interface WorkbenchTimes {
  now: Date;
  /** now + 2 h: an accept deadline before this is 即将超时. */
  soon: Date;
  todayStart: Date;
  yesterdayStart: Date;
  /** now + 7 days: the horizon of 即将开始的活动. */
  weekAhead: Date;
  /** now − 30 days: low ratings since then are still to be followed up (回访). */
  monthAgo: Date;
}

const rowsOf = async <T>(db: Executor, q: SQL): Promise<T[]> => {
  const res: unknown = await db.execute(q);
  return (res as { rows: T[] }).rows;
};

const one = async (db: Executor, q: SQL): Promise<number> => Number((await rowsOf<{ n: number | string | null }>(db, q))[0]?.n ?? 0);

/**
 * The counts of the 工作台, each one query bounded by the caller's scope: orders by the desk that
 * holds them (handling org), hours by the site they were served at, bookings by the resource's
 * site, redemptions by the pickup site. Every join keeps city_code (docs/scale-out.md).
 */
export function createWorkbenchRepository(db: Executor) {
  const inScope = (scope: Scope, alias: string) => scopeCondition(scope, sql.raw(`${alias}.city_code`), sql.raw(`${alias}.path`));
  return {
    /** The names of the active teams the user leads (队长). */
    ledTeams: async (userId: string) =>
      (await rowsOf<{ name: string }>(db, sql`SELECT t.name FROM teams t WHERE t.leader_user_id = ${userId} AND t.status = 'active' ORDER BY t.name`)).map(
        (r) => r.name,
      ),
    ordersToDispatch: (scope: Scope) =>
      one(
        db,
        sql`SELECT count(*)::int AS n FROM orders o JOIN orgs h ON h.city_code = o.city_code AND h.id = o.handling_org_id
            WHERE o.state = 'submitted' AND ${inScope(scope, 'h')}`,
      ),
    ordersOverdue: (scope: Scope, t: WorkbenchTimes) =>
      one(
        db,
        sql`SELECT count(*)::int AS n FROM orders o JOIN orgs h ON h.city_code = o.city_code AND h.id = o.handling_org_id
            WHERE o.state IN ('submitted', 'dispatched') AND o.accept_due_at < ${t.now} AND ${inScope(scope, 'h')}`,
      ),
    ordersDueSoon: (scope: Scope, t: WorkbenchTimes) =>
      one(
        db,
        sql`SELECT count(*)::int AS n FROM orders o JOIN orgs h ON h.city_code = o.city_code AND h.id = o.handling_org_id
            WHERE o.state IN ('submitted', 'dispatched') AND o.accept_due_at >= ${t.now} AND o.accept_due_at < ${t.soon} AND ${inScope(scope, 'h')}`,
      ),
    /** Rated 1–2 stars in the last 30 days and not reopened: the desk calls the resident back (回访). */
    ordersLowRated: (scope: Scope, t: WorkbenchTimes) =>
      one(
        db,
        sql`SELECT count(*)::int AS n FROM orders o JOIN orgs h ON h.city_code = o.city_code AND h.id = o.handling_org_id
            WHERE o.state = 'rated' AND o.rating <= 2 AND o.rated_at >= ${t.monthAgo} AND ${inScope(scope, 'h')}`,
      ),
    /** Forwarded orders whose department stage (签收 or 办理) ran past its limit, of this desk. */
    deptOverdue: (scope: Scope, t: WorkbenchTimes) =>
      one(
        db,
        sql`SELECT count(*)::int AS n FROM orders o JOIN orgs h ON h.city_code = o.city_code AND h.id = o.handling_org_id
            WHERE o.state IN ('forwarded', 'acknowledged', 'extension_requested') AND o.stage_due_at < ${t.now} AND ${inScope(scope, 'h')}`,
      ),
    recordsPending: (scope: Scope) =>
      one(
        db,
        sql`SELECT count(*)::int AS n FROM service_records r JOIN orgs s ON s.city_code = r.city_code AND s.id = r.org_id
            WHERE r.status = 'pending' AND ${inScope(scope, 's')}`,
      ),
    /** Pending hours of the teams the user leads (队长 decide on them). */
    recordsPendingOfLedTeams: (userId: string) =>
      one(
        db,
        sql`SELECT count(*)::int AS n FROM service_records r JOIN teams t ON t.city_code = r.city_code AND t.id = r.team_id
            WHERE r.status = 'pending' AND t.leader_user_id = ${userId}`,
      ),
    bookingsPending: (scope: Scope) =>
      one(
        db,
        sql`SELECT count(*)::int AS n FROM bookings b JOIN resources x ON x.city_code = b.city_code AND x.id = b.resource_id
            JOIN orgs s ON s.city_code = x.city_code AND s.id = x.org_id
            WHERE b.status = 'pending' AND ${inScope(scope, 's')}`,
      ),
    redemptionsPending: (scope: Scope) =>
      one(
        db,
        sql`SELECT count(*)::int AS n FROM redemptions d JOIN rewards w ON w.city_code = d.city_code AND w.id = d.reward_id
            JOIN orgs s ON s.city_code = w.city_code AND s.id = w.pickup_org_id
            WHERE d.status = 'pending_pickup' AND ${inScope(scope, 's')}`,
      ),
    /** A department officer's orders: by state, and those past their stage limit. */
    deptOrders: (departments: { cityCode: string; id: string }[], states: string[], t?: WorkbenchTimes) => {
      if (!departments.length) return Promise.resolve(0);
      const mine = sql.join(
        departments.map((d) => sql`(o.city_code = ${d.cityCode} AND o.department_id = ${d.id})`),
        sql` OR `,
      );
      const late = t ? sql` AND o.stage_due_at < ${t.now}` : sql``;
      return one(
        db,
        sql`SELECT count(*)::int AS n FROM orders o WHERE (${mine}) AND o.state IN (${sql.join(
          states.map((s) => sql`${s}`),
          sql`, `,
        )})${late}`,
      );
    },
    /** Today's and yesterday's figure: orders placed, orders closed, hours verified, activity sign-ups. */
    async figures(scope: Scope, t: WorkbenchTimes) {
      const rows = async (q: SQL) => (await rowsOf<{ today: number | string | null; yesterday: number | string | null }>(db, q))[0];
      const pair = (r: { today: number | string | null; yesterday: number | string | null } | undefined) => ({
        today: Number(r?.today ?? 0),
        yesterday: Number(r?.yesterday ?? 0),
      });
      const newOrders = await rows(sql`
        SELECT count(*) FILTER (WHERE o.created_at >= ${t.todayStart})::int AS today,
               count(*) FILTER (WHERE o.created_at < ${t.todayStart})::int AS yesterday
        FROM orders o JOIN orgs h ON h.city_code = o.city_code AND h.id = o.handling_org_id
        WHERE o.created_at >= ${t.yesterdayStart} AND ${inScope(scope, 'h')}`);
      const closed = await rows(sql`
        SELECT count(*) FILTER (WHERE coalesce(o.completed_at, o.resolved_at) >= ${t.todayStart})::int AS today,
               count(*) FILTER (WHERE coalesce(o.completed_at, o.resolved_at) < ${t.todayStart})::int AS yesterday
        FROM orders o JOIN orgs h ON h.city_code = o.city_code AND h.id = o.handling_org_id
        WHERE coalesce(o.completed_at, o.resolved_at) >= ${t.yesterdayStart} AND ${inScope(scope, 'h')}`);
      const hours = await rows(sql`
        SELECT coalesce(sum(r.hours) FILTER (WHERE r.decided_at >= ${t.todayStart}), 0)::float8 AS today,
               coalesce(sum(r.hours) FILTER (WHERE r.decided_at < ${t.todayStart}), 0)::float8 AS yesterday
        FROM service_records r JOIN orgs s ON s.city_code = r.city_code AND s.id = r.org_id
        WHERE r.status = 'verified' AND r.decided_at >= ${t.yesterdayStart} AND ${inScope(scope, 's')}`);
      const signups = await rows(sql`
        SELECT count(*) FILTER (WHERE g.created_at >= ${t.todayStart})::int AS today,
               count(*) FILTER (WHERE g.created_at < ${t.todayStart})::int AS yesterday
        FROM activity_signups g JOIN activities a ON a.city_code = g.city_code AND a.id = g.activity_id
        JOIN orgs s ON s.city_code = a.city_code AND s.id = a.org_id
        WHERE g.created_at >= ${t.yesterdayStart} AND g.status <> 'withdrawn' AND ${inScope(scope, 's')}`);
      return { newOrders: pair(newOrders), closed: pair(closed), hours: pair(hours), signups: pair(signups) };
    },
    /** Published activities of the coming week in scope, soonest first, with their live sign-ups. */
    upcoming(scope: Scope, t: WorkbenchTimes, limit = 6) {
      return rowsOf<{ id: string; title: string; org_name: string; starts_at: Date | string; signups: number }>(
        db,
        sql`
        SELECT a.id::text, a.title, s.name AS org_name, a.starts_at, count(g.id)::int AS signups
        FROM activities a JOIN orgs s ON s.city_code = a.city_code AND s.id = a.org_id
        LEFT JOIN activity_signups g ON g.city_code = a.city_code AND g.activity_id = a.id AND g.status = 'registered'
        WHERE a.state = 'published' AND a.starts_at >= ${t.now} AND a.starts_at < ${t.weekAhead} AND ${inScope(scope, 's')}
        GROUP BY a.city_code, a.id, a.title, s.name, a.starts_at
        ORDER BY a.starts_at, a.id LIMIT ${limit}`,
      );
    },
  };
}

export type WorkbenchRepository = ReturnType<typeof createWorkbenchRepository>;
