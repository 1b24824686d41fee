import { sql, type SQL } from 'drizzle-orm';

/**
 * The figures of the statistics pages, as additive measures per (city, org, local day, family,
 * metric, dim). The same SQL feeds two consumers (docs/statistics.md):
 * - the rollup job, which writes them into stats_daily (and from there stats_monthly and
 *   stats_totals) for whole closed days, and
 * - the readers, which add the measures of the days after the last rolled day live.
 *
 * Every measure is attributed to the day its fact happened (an order's acceptance counts on the
 * day it was accepted, an hour on the day it was served), so a closed day only changes when a
 * past fact is written or corrected; the job finds those by their recording and change times.
 *
 * Scalar metrics carry dim ''. The dimensional ones have their own names, so a sum over a metric
 * never mixes the two: `cat.orders` / `cat.activities` (by category), `team.hours` (by team),
 * `volunteers.skill` (by skill).
 *
 * A window is given as constants (so every branch is an index range on the fact's time):
 * facts of `city` whose time lies in [lo, hi) and, when `days` is given, whose local day is one
 * of them.
 */
export const STATS_TZ = 'Asia/Shanghai';
export const FAMILIES = ['orders', 'activities', 'hours', 'volunteers'] as const;
export type Family = (typeof FAMILIES)[number];

/** Metrics with a dimension (everything else has dim ''). */
export const DIM_METRICS = ['cat.orders', 'cat.activities', 'team.hours', 'volunteers.skill'] as const;

export const dayOf = (ts: SQL) => sql`((${ts}) AT TIME ZONE ${sql.raw(`'${STATS_TZ}'`)})::date`;
/** The first instant of a local day (a date expression). */
export const startOf = (day: SQL) => sql`((${day})::timestamp AT TIME ZONE ${sql.raw(`'${STATS_TZ}'`)})`;

export interface Window {
  city: string;
  /** Start of the window (inclusive). */
  lo: Date;
  /** End of the window (exclusive); null: open (only for activities: the ones to come, live). */
  hi: Date | null;
  /** Only these local days (YYYY-MM-DD), when given. */
  days?: string[] | null;
  /** Hours only: just the records verified after this instant (the live figures' late verifications). */
  decidedAfter?: Date | null;
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const dateList = (days: string[]) => sql`${`{${days.join(',')}}`}::date[]`;

/**
 * Windows that start at (or before) this instant mean "all of history" and get no lower bound: an
 * unbounded side lets the planner see that the whole table is read (a sequential scan), where a
 * range on an expression index it cannot estimate made it walk 2 M service records by index.
 */
export const HISTORY_START = new Date('1999-12-31T16:00:00Z');

function inWindow(t: SQL, w: Window, hi: Date | null = w.hi): SQL {
  const parts = w.lo > HISTORY_START ? [sql`${t} >= ${ts(w.lo)}`] : [sql`TRUE`];
  if (hi) parts.push(sql`${t} < ${ts(hi)}`);
  if (w.days?.length) parts.push(sql`${dayOf(t)} = ANY (${dateList(w.days)})`);
  return sql.join(parts, sql` AND `);
}

const ORDER_ACTIONS = sql.raw(`('accept', 'forward', 'complete', 'resolve', 'reject', 'cancel')`);

/** Measures of one family in a window: rows (city_code, org_id, day, metric, dim, value numeric). */
export function measures(family: Family, w: Window): SQL {
  const city = sql`${w.city}`;
  switch (family) {
    case 'orders':
      return sql`
        SELECT e.city_code, o.org_id, ${dayOf(sql`e.at`)} AS day, m.metric, m.dim, sum(m.v) AS value
        FROM order_events e
        JOIN orders o ON o.city_code = e.city_code AND o.id = e.order_id
        CROSS JOIN LATERAL (VALUES
          ('orders.submitted', '', CASE WHEN e.action = 'submit' THEN 1::numeric END),
          ('cat.orders', o.category, CASE WHEN e.action = 'submit' THEN 1::numeric END),
          ('orders.accepted', '', CASE WHEN e.action = 'accept' THEN 1::numeric END),
          ('orders.acceptMinutes', '', CASE WHEN e.action = 'accept' THEN extract(epoch FROM e.at - o.created_at) / 60 END),
          ('orders.solved', '', CASE WHEN e.action IN ('complete', 'resolve') THEN 1::numeric END),
          ('served.orders', '', CASE WHEN e.action = 'complete' THEN coalesce(o.people_served, 1)::numeric END),
          ('orders.ratings', '', CASE WHEN e.action = 'rate' THEN 1::numeric WHEN e.action = 'reopen' THEN -1::numeric END),
          ('orders.satisfied', '', CASE WHEN e.action = 'rate' AND (e.data ->> 'score')::int >= 4 THEN 1::numeric END),
          ('orders.closedOrDue', '', CASE WHEN e.action = 'cancel' AND e.at >= o.first_accept_due_at THEN -1::numeric END),
          ('state.' || e.to_state, '', CASE WHEN e.from_state IS DISTINCT FROM e.to_state THEN 1::numeric END),
          ('state.' || e.from_state, '', CASE WHEN e.from_state IS NOT NULL AND e.from_state <> e.to_state THEN -1::numeric END)
        ) AS m(metric, dim, v)
        WHERE e.city_code = ${city} AND ${inWindow(sql`e.at`, w)} AND m.v IS NOT NULL
        GROUP BY e.city_code, o.org_id, ${dayOf(sql`e.at`)}, m.metric, m.dim
        UNION ALL
        SELECT od.city_code, od.org_id, ${dayOf(sql`x.at`)} AS day, x.metric, '' AS dim, count(*)::numeric AS value
        FROM (
          SELECT o.city_code, o.id, o.org_id, o.first_accept_due_at AS fd,
            min(e.at) FILTER (WHERE e.action IN ('accept', 'forward')) AS resp,
            min(e.at) FILTER (WHERE e.action IN ('complete', 'resolve', 'reject')) AS closed,
            min(e.at) FILTER (WHERE e.action = 'cancel') AS cancelled
          FROM orders o
          LEFT JOIN order_events e ON e.city_code = o.city_code AND e.order_id = o.id AND e.action IN ${ORDER_ACTIONS}
          WHERE o.city_code = ${city} ${w.lo > HISTORY_START ? sql`AND o.first_accept_due_at >= ${ts(w.lo)}` : sql``} ${w.hi ? sql`AND o.created_at < ${ts(w.hi)}` : sql``}
          GROUP BY o.city_code, o.id, o.org_id, o.first_accept_due_at
        ) od
        CROSS JOIN LATERAL (VALUES
          ('orders.due', least(od.fd, od.resp)),
          ('orders.respondedInTime', CASE WHEN od.resp <= od.fd THEN od.resp END),
          ('orders.closedOrDue', CASE WHEN od.cancelled IS NULL OR od.cancelled >= least(od.fd, od.closed) THEN least(od.fd, od.closed) END)
        ) AS x(metric, at)
        WHERE x.at IS NOT NULL AND ${inWindow(sql`x.at`, w)}
        GROUP BY od.city_code, od.org_id, ${dayOf(sql`x.at`)}, x.metric`;
    case 'activities':
      // Activities count on the day they start; live (an open window), the ones to come count too.
      // 服务人次 of a finished activity: the people served its organiser entered.
      return sql`
        SELECT a.city_code, a.org_id, ${dayOf(sql`a.starts_at`)} AS day, m.metric, m.dim, sum(m.v) AS value
        FROM activities a
        CROSS JOIN LATERAL (VALUES
          ('activities', '', 1::numeric),
          ('cat.activities', a.category, 1::numeric),
          ('served.activities', '', CASE WHEN a.state = 'finished' THEN a.people_served::numeric END)
        ) AS m(metric, dim, v)
        WHERE a.city_code = ${city} AND a.state IN ('published', 'finished') AND ${inWindow(sql`a.starts_at`, w)} AND m.v IS NOT NULL
        GROUP BY a.city_code, a.org_id, ${dayOf(sql`a.starts_at`)}, m.metric, m.dim`;
    case 'hours': {
      const served = sql`coalesce(r.ended_at, r.started_at, r.created_at)`;
      // Live, the records of rolled days verified since the last roll come as a window of their
      // own (decidedAfter), read by the index on the decision time. 服务人次 of pairing: the elder
      // of a visit, once, on the record of the visit's first serving volunteer.
      return sql`
        SELECT r.city_code, r.org_id, ${dayOf(served)} AS day, m.metric, m.dim, sum(m.v) AS value
        FROM service_records r
        LEFT JOIN pairing_tasks pt ON pt.city_code = r.city_code AND r.source_type = 'pairing' AND pt.id = r.source_id
        CROSS JOIN LATERAL (VALUES
          ('hours', '', r.hours),
          ('team.hours', r.team_id::text, r.hours),
          ('served.pairing', '', CASE WHEN pt.served_volunteer_ids[1] = r.volunteer_id THEN 1::numeric END)
        ) AS m(metric, dim, v)
        WHERE r.city_code = ${city} AND r.status = 'verified' AND m.dim IS NOT NULL AND m.v IS NOT NULL AND ${inWindow(served, w)}
          ${w.decidedAfter ? sql`AND r.decided_at > ${ts(w.decidedAfter)}` : sql``}
        GROUP BY r.city_code, r.org_id, ${dayOf(served)}, m.metric, m.dim`;
    }
    case 'volunteers':
      return sql`
        SELECT v.city_code, v.org_id, ${dayOf(sql`v.created_at`)} AS day, m.metric, m.dim, count(*)::numeric AS value
        FROM volunteers v
        -- One row per metric: new; and, when active, active and one per skill. Zipped arrays, not
        -- a UNION with unnest inside, which Citus refuses (docs/scale-out.md).
        CROSS JOIN LATERAL unnest(
          ARRAY['volunteers.new'] || CASE WHEN v.status = 'active' THEN ARRAY['volunteers.active'] || array_fill('volunteers.skill'::text, ARRAY[cardinality(v.skills)]) ELSE '{}'::text[] END,
          ARRAY[''] || CASE WHEN v.status = 'active' THEN ARRAY[''] || v.skills ELSE '{}'::text[] END
        ) AS m(metric, dim)
        WHERE v.city_code = ${city} AND ${inWindow(sql`v.created_at`, w)}
        GROUP BY v.city_code, v.org_id, ${dayOf(sql`v.created_at`)}, m.metric, m.dim`;
  }
}

/** The family a metric comes from. */
export function familyOf(metric: string): Family {
  if (metric.startsWith('orders.') || metric.startsWith('state.') || metric === 'cat.orders' || metric === 'served.orders') return 'orders';
  if (metric === 'activities' || metric === 'cat.activities' || metric === 'served.activities') return 'activities';
  if (metric === 'hours' || metric === 'team.hours' || metric === 'served.pairing') return 'hours';
  return 'volunteers';
}
