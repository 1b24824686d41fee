import { sql, type SQL } from 'drizzle-orm';

/**
 * The figures of the statistics pages, as additive measures per (city, org, local day, family,
 * metric, dim). The same SQL feeds two consumers (docs/statistics.md):
 * - the rollup job, which writes them into stats_daily for whole closed days, and
 * - the readers, which add the measures of the days after the last rolled day live.
 *
 * Every measure is attributed to the day its fact happened (an order's acceptance counts on the
 * day it was accepted, an hour on the day it was served), so a closed day only changes when a
 * past fact is corrected (a retriage, a revoked record, a cancelled activity); the job finds those
 * by their change timestamps and recomputes the day.
 *
 * The measures read a CTE `w(city_code, lo, hi, days, rolled_at)`: facts whose time lies in
 * [lo, hi) and, when `days` is not null, whose local day is one of `days`.
 */
export const STATS_TZ = 'Asia/Shanghai';
export const FAMILIES = ['orders', 'activities', 'hours', 'volunteers'] as const;
export type Family = (typeof FAMILIES)[number];

export const dayOf = (ts: SQL) => sql`((${ts}) AT TIME ZONE ${sql.raw(`'${STATS_TZ}'`)})::date`;
/** The first instant of a local day (a date expression). */
export const startOf = (day: SQL) => sql`((${day})::timestamp AT TIME ZONE ${sql.raw(`'${STATS_TZ}'`)})`;

const inWindow = (ts: SQL) => sql`(${ts} >= w.lo AND ${ts} < w.hi AND (w.days IS NULL OR ${dayOf(ts)} = ANY (w.days)))`;

const ORDER_ACTIONS = sql.raw(`('accept', 'forward', 'complete', 'resolve', 'reject', 'cancel')`);

/** Measures of one family: rows (city_code, org_id, day, family, metric, dim, value). */
export function measures(family: Family, opts: { live: boolean }): SQL {
  switch (family) {
    case 'orders':
      return sql`
        SELECT e.city_code, o.org_id, ${dayOf(sql`e.at`)} AS day, 'orders' AS family, m.metric, o.category AS dim, sum(m.v)::float8 AS value
        FROM order_events e
        JOIN w ON w.city_code = e.city_code
        JOIN orders o ON o.city_code = e.city_code AND o.id = e.order_id
        CROSS JOIN LATERAL (VALUES
          ('orders.submitted', CASE WHEN e.action = 'submit' THEN 1::float8 END),
          ('orders.accepted', CASE WHEN e.action = 'accept' THEN 1::float8 END),
          ('orders.acceptMinutes', CASE WHEN e.action = 'accept' THEN (extract(epoch FROM e.at - o.created_at) / 60)::float8 END),
          ('orders.solved', CASE WHEN e.action IN ('complete', 'resolve') THEN 1::float8 END),
          ('orders.ratings', CASE WHEN e.action = 'rate' THEN 1::float8 WHEN e.action = 'reopen' THEN -1::float8 END),
          ('orders.satisfied', CASE WHEN e.action = 'rate' AND (e.data ->> 'score')::int >= 4 THEN 1::float8 END),
          ('orders.closedOrDue', CASE WHEN e.action = 'cancel' AND e.at >= o.first_accept_due_at THEN -1::float8 END),
          ('state.' || e.to_state, CASE WHEN e.from_state IS DISTINCT FROM e.to_state THEN 1::float8 END),
          ('state.' || e.from_state, CASE WHEN e.from_state IS NOT NULL AND e.from_state <> e.to_state THEN -1::float8 END)
        ) AS m(metric, v)
        WHERE ${inWindow(sql`e.at`)} AND m.v IS NOT NULL
        GROUP BY e.city_code, o.org_id, ${dayOf(sql`e.at`)}, m.metric, o.category
        UNION ALL
        SELECT od.city_code, od.org_id, ${dayOf(sql`x.at`)} AS day, 'orders' AS family, x.metric, od.category AS dim, count(*)::float8 AS value
        FROM (
          SELECT o.city_code, o.org_id, o.category, o.first_accept_due_at AS fd,
            min(e.at) FILTER (WHERE e.action IN ('accept', 'forward')) AS resp,
            min(e.at) FILTER (WHERE e.action IN ('complete', 'resolve', 'reject')) AS closed,
            min(e.at) FILTER (WHERE e.action = 'cancel') AS cancelled
          FROM orders o
          JOIN w ON w.city_code = o.city_code
          LEFT JOIN order_events e ON e.city_code = o.city_code AND e.order_id = o.id AND e.action IN ${ORDER_ACTIONS}
          WHERE o.first_accept_due_at >= w.lo AND o.created_at < w.hi
          GROUP BY o.city_code, o.id, o.org_id, o.category, o.first_accept_due_at
        ) od
        JOIN w ON w.city_code = od.city_code
        CROSS JOIN LATERAL (VALUES
          ('orders.due', least(od.fd, od.resp)),
          ('orders.respondedInTime', CASE WHEN od.resp <= od.fd THEN od.resp END),
          ('orders.closedOrDue', CASE WHEN od.cancelled IS NULL OR od.cancelled >= least(od.fd, od.closed) THEN least(od.fd, od.closed) END)
        ) AS x(metric, at)
        WHERE x.at IS NOT NULL AND ${inWindow(sql`x.at`)}
        GROUP BY od.city_code, od.org_id, ${dayOf(sql`x.at`)}, x.metric, od.category`;
    case 'activities':
      // Activities count on the day they start; live, the ones to come count too.
      return sql`
        SELECT a.city_code, a.org_id, ${dayOf(sql`a.starts_at`)} AS day, 'activities' AS family, 'activities' AS metric, a.category AS dim, count(*)::float8 AS value
        FROM activities a JOIN w ON w.city_code = a.city_code
        WHERE a.state IN ('published', 'finished') AND a.starts_at >= w.lo
          AND ${opts.live ? sql`TRUE` : sql`a.starts_at < w.hi AND ${dayOf(sql`a.starts_at`)} = ANY (w.days)`}
        GROUP BY a.city_code, a.org_id, ${dayOf(sql`a.starts_at`)}, a.category`;
    case 'hours': {
      const served = sql`coalesce(r.ended_at, r.started_at, r.created_at)`;
      // Live, also the records of rolled days verified since the last roll.
      const late = opts.live ? sql` OR (w.rolled_at IS NOT NULL AND r.decided_at > w.rolled_at AND ${served} < w.lo)` : sql``;
      return sql`
        SELECT r.city_code, r.org_id, ${dayOf(served)} AS day, 'hours' AS family, m.metric, m.dim, sum(r.hours)::float8 AS value
        FROM service_records r JOIN w ON w.city_code = r.city_code
        CROSS JOIN LATERAL (VALUES ('hours', ''), ('team.hours', r.team_id::text)) AS m(metric, dim)
        WHERE r.status = 'verified' AND m.dim IS NOT NULL AND (${inWindow(served)}${late})
        GROUP BY r.city_code, r.org_id, ${dayOf(served)}, m.metric, m.dim`;
    }
    case 'volunteers':
      return sql`
        SELECT v.city_code, v.org_id, ${dayOf(sql`v.created_at`)} AS day, 'volunteers' AS family, m.metric, m.dim, count(*)::float8 AS value
        FROM volunteers v JOIN w ON w.city_code = v.city_code
        CROSS JOIN LATERAL (
          SELECT 'volunteers.new' AS metric, '' AS dim
          UNION ALL SELECT 'volunteers.active', '' WHERE v.status = 'active'
          UNION ALL SELECT 'volunteers.skill', s FROM unnest(v.skills) AS s WHERE v.status = 'active'
        ) AS m
        WHERE ${inWindow(sql`v.created_at`)}
        GROUP BY v.city_code, v.org_id, ${dayOf(sql`v.created_at`)}, m.metric, m.dim`;
  }
}

/**
 * All figures of the given cities: the rolled days from stats_daily plus the later days live.
 * A CTE body (no WITH): rows (city_code, org_id, day, family, metric, dim, value).
 */
export function factsCte(cities: string[] | null, now: Date, families: readonly Family[] = FAMILIES): SQL {
  const cityFilter = cities ? sql`WHERE c.city_code IN (${sql.join(cities.map((c) => sql`${c}`), sql`, `)})` : sql``;
  const fams = sql.join(families.map((f) => sql`${f}`), sql`, `);
  return sql`
    w AS (
      SELECT c.city_code,
        coalesce(s.rolled_through, DATE '2000-01-01') AS through,
        ${startOf(sql`coalesce(s.rolled_through, DATE '2000-01-01') + 1`)} AS lo,
        ${now.toISOString()}::timestamptz AS hi,
        NULL::date[] AS days,
        s.rolled_at
      FROM cities c LEFT JOIN stats_rollup_state s ON s.city_code = c.city_code
      ${cityFilter}
    ),
    facts AS MATERIALIZED (
      SELECT d.city_code, d.org_id, d.day, d.family, d.metric, d.dim, d.value
      FROM stats_daily d JOIN w ON w.city_code = d.city_code
      WHERE d.day <= w.through AND d.family IN (${fams})
      ${sql.join(
        families.map((f) => sql`UNION ALL ${measures(f, { live: true })}`),
        sql` `,
      )}
    )`;
}
