import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { CityPlan } from './stats-sources.ts';

type Rows<T> = { rows: T[] };

/** How figures are summed: per metric, per (metric, dim), per (month, metric), per (child org, metric). */
export type FigureGroup = 'metric' | 'dim' | 'month' | 'child';

/**
 * Figures of a subtree (`scope` is a condition on the alias `o` = orgs). Statistics use CTEs and
 * no scalar subqueries beside aggregates (scale-out rules).
 */
export function createStatsRepository(db: Executor) {
  const q = async <T>(query: SQL): Promise<T[]> => {
    const res: unknown = await db.execute(query);
    return (res as Rows<T>).rows;
  };
  return {
    async orgCounts(scope: SQL) {
      // 0041: how many are plaqued (挂牌) and pilots (国家级 / 省级 / 市级试点), per level.
      return q<{ level: string; n: number; plaqued: number; national: number; provincial: number; city: number }>(sql`
        SELECT o.level, count(*)::int AS n, count(*) FILTER (WHERE o.plaqued)::int AS plaqued,
          count(*) FILTER (WHERE o.pilot_level = 'national')::int AS national, count(*) FILTER (WHERE o.pilot_level = 'provincial')::int AS provincial,
          count(*) FILTER (WHERE o.pilot_level = 'city')::int AS city
        FROM orgs o WHERE ${scope} GROUP BY o.level`);
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
    async teamCount(scope: SQL) {
      const [r] = await q<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM teams x JOIN orgs o ON o.city_code = x.city_code AND o.id = x.org_id WHERE ${scope} AND x.status = 'active'`,
      );
      return Number(r?.n ?? 0);
    },

    /**
     * Runs `fn` on one snapshot (a read-only REPEATABLE READ transaction), so the rollup state and
     * the rolled rows it reads belong together even while the job commits.
     */
    async snapshot<T>(fn: (r: StatsReaders) => Promise<T>): Promise<T> {
      return db.transaction(async (tx) => fn(createStatsReaders(tx)), { isolationLevel: 'repeatable read', accessMode: 'read only' });
    },
    /** Sites and active teams per child (same keys as byChild). */
    async sitesByChild(scope: SQL, parent: { cityCode: string; path: string } | null) {
      const key = parent
        ? sql`CASE WHEN nlevel(o.path) > nlevel(${parent.path}::ltree) THEN subpath(o.path, 0, nlevel(${parent.path}::ltree) + 1) ELSE o.path END`
        : sql`subpath(o.path, 0, 1)`;
      const within = parent ? sql`AND o.city_code = ${parent.cityCode} AND o.path <@ ${parent.path}::ltree` : sql``;
      return q<{ key: string; sites: number; plaqued: number; teams: number }>(sql`
        WITH s AS (SELECT ${key}::text AS key, count(*)::int AS n, count(*) FILTER (WHERE o.plaqued)::int AS plaqued FROM orgs o WHERE ${scope} ${within} AND o.level <> 'city' GROUP BY 1),
             t AS (SELECT ${key}::text AS key, count(*)::int AS n FROM teams x JOIN orgs o ON o.city_code = x.city_code AND o.id = x.org_id WHERE ${scope} ${within} AND x.status = 'active' GROUP BY 1)
        SELECT coalesce(s.key, t.key) AS key, coalesce(s.n, 0) AS sites, coalesce(s.plaqued, 0) AS plaqued, coalesce(t.n, 0) AS teams FROM s FULL JOIN t ON t.key = s.key`);
    },
    async childOrgs(parent: { cityCode: string; id: string } | null, scope: SQL) {
      return q<{
        id: string;
        city_code: string;
        name: string;
        level: string;
        region_code: string | null;
        path: string;
        lat: number | null;
        lng: number | null;
      }>(sql`
        SELECT o.id, o.city_code, o.name, o.level, o.region_code, o.path::text AS path, o.lat, o.lng FROM orgs o
        WHERE ${parent ? sql`o.city_code = ${parent.cityCode} AND o.parent_id = ${parent.id}` : sql`o.parent_id IS NULL`} AND ${scope}
        ORDER BY o.region_code NULLS LAST, o.name`);
    },
    async teamsByCategory(scope: SQL) {
      return q<{ category: string; n: number }>(sql`
        SELECT x.category, count(*)::int AS n FROM teams x JOIN orgs o ON o.city_code = x.city_code AND o.id = x.org_id
        WHERE ${scope} AND x.status = 'active' GROUP BY x.category`);
    },
    async teamsByIds(ids: string[]) {
      if (!ids.length) return [];
      return q<{ id: string; name: string; category: string; org_name: string; members: number }>(sql`
        WITH m AS (SELECT tm.city_code, tm.team_id, count(*)::int AS n FROM team_members tm WHERE tm.team_id IN (${sql.join(
          ids.map((i) => sql`${i}::uuid`),
          sql`, `,
        )}) GROUP BY 1, 2)
        SELECT t.id, t.name, t.category, o.name AS org_name, coalesce(m.n, 0) AS members
        FROM teams t JOIN orgs o ON o.city_code = t.city_code AND o.id = t.org_id
        LEFT JOIN m ON m.city_code = t.city_code AND m.team_id = t.id
        WHERE t.id IN (${sql.join(
          ids.map((i) => sql`${i}::uuid`),
          sql`, `,
        )})`);
    },
    /** Active volunteers with the most verified hours (the ledger's running total). */
    async topVolunteers(scope: SQL, limit: number) {
      return q<{ id: string; real_name: string; total_hours: number; org_name: string }>(sql`
        SELECT v.id, v.real_name, v.total_hours::float8 AS total_hours, o.name AS org_name
        FROM volunteers v JOIN orgs o ON o.city_code = v.city_code AND o.id = v.org_id
        WHERE ${scope} AND v.status = 'active' AND v.total_hours > 0
        ORDER BY v.total_hours DESC, v.id LIMIT ${limit}`);
    },
    /** Sites of a subtree with coordinates (the map's points). */
    async sitePoints(scope: SQL, limit: number) {
      return q<{ id: string; name: string; level: string; lat: number; lng: number }>(sql`
        SELECT o.id, o.name, o.level, o.lat, o.lng FROM orgs o
        WHERE ${scope} AND o.lat IS NOT NULL AND o.level <> 'city'
        ORDER BY nlevel(o.path), o.id LIMIT ${limit}`);
    },
    /** Order submissions and acceptances, and published activities, since `since` (the live feed). */
    async recentEvents(city: string, since: Date) {
      return q<{
        id: string;
        kind: string;
        at: Date | string;
        city_code: string;
        org_id: string;
        org_name: string;
        path: string;
        category: string;
        code: string | null;
        title: string | null;
      }>(sql`
        SELECT e.id::text, CASE e.action WHEN 'submit' THEN 'order.submitted' WHEN 'accept' THEN 'order.accepted' ELSE 'order.forwarded' END AS kind,
          e.at, e.city_code, o.org_id, g.name AS org_name, g.path::text AS path, o.category, o.code, NULL AS title
        FROM order_events e JOIN orders o ON o.city_code = e.city_code AND o.id = e.order_id
        JOIN orgs g ON g.city_code = o.city_code AND g.id = o.org_id
        WHERE e.city_code = ${city} AND e.at > ${since.toISOString()}::timestamptz AND e.action IN ('submit', 'accept', 'forward')
        UNION ALL
        SELECT a.id::text, 'activity.published', a.published_at, a.city_code, a.org_id, g.name, g.path::text, a.category, NULL, a.title
        FROM activities a JOIN orgs g ON g.city_code = a.city_code AND g.id = a.org_id
        WHERE a.city_code = ${city} AND a.published_at > ${since.toISOString()}::timestamptz AND a.state IN ('published', 'finished')
        ORDER BY 3, 1`);
    },
  };
}

export type StatsRepository = ReturnType<typeof createStatsRepository>;

/** The reads of rolled and live figures (run on one snapshot: StatsRepository.snapshot). */
function createStatsReaders(db: Executor) {
  const q = async <T>(query: SQL): Promise<T[]> => {
    const res: unknown = await db.execute(query);
    return (res as Rows<T>).rows;
  };
  return {
    /** Per city of the list (all when null): the last rolled day, when it was rolled and the rollup's version. */
    async rollupStates(cities: string[] | null): Promise<CityPlan[]> {
      const rows = await q<{
        city_code: string;
        rolled_through: string | null;
        rolled_at: Date | string | null;
        version: string | number | null;
        tree: string | null;
      }>(
        sql`WITH t AS (SELECT o.city_code, count(*)::text || '@' || max(o.updated_at)::text AS tree FROM orgs o GROUP BY o.city_code)
            SELECT c.city_code, s.rolled_through::text AS rolled_through, s.rolled_at, s.version, t.tree
            FROM cities c LEFT JOIN stats_rollup_state s ON s.city_code = c.city_code LEFT JOIN t ON t.city_code = c.city_code
            ${
              cities
                ? sql`WHERE c.city_code IN (${sql.join(
                    cities.map((c) => sql`${c}`),
                    sql`, `,
                  )})`
                : sql``
            }
            ORDER BY c.city_code`,
      );
      return rows.map((r) => ({
        cityCode: r.city_code,
        rolledThrough: r.rolled_through,
        rolledAt: r.rolled_at === null ? null : new Date(r.rolled_at),
        version: Number(r.version ?? 0),
        tree: r.tree ?? '',
      }));
    },
    // ---------------------------------------------------------------- rollups + live tail
    /**
     * Figures of the scope, summed by `group`, from the given sources (rolled rows or measures of
     * the facts, each with columns city_code, org_id, month, metric, dim, value), joined to the
     * scope's orgs by key. (Not a materialised set of orgs: the planner cannot estimate an ltree
     * subtree, and took its 15 estimated rows for a nested loop over 85 k monthly rows — 83 s.)
     */
    async figures(scope: SQL, sources: SQL[], group: FigureGroup, parent: { cityCode: string; path: string } | null = null) {
      if (!sources.length) return [];
      const key = parent
        ? sql`CASE WHEN nlevel(o.path) > nlevel(${parent.path}::ltree) THEN subpath(o.path, 0, nlevel(${parent.path}::ltree) + 1) ELSE o.path END::text`
        : sql`NULL::text`;
      const within = parent ? sql`AND o.city_code = ${parent.cityCode} AND o.path <@ ${parent.path}::ltree` : sql``;
      const cols = {
        metric: sql`NULL::text AS key, NULL::text AS month, f.metric, ''::text AS dim`,
        dim: sql`NULL::text AS key, NULL::text AS month, f.metric, f.dim`,
        month: sql`NULL::text AS key, f.month, f.metric, ''::text AS dim`,
        child: sql`${key} AS key, NULL::text AS month, f.metric, ''::text AS dim`,
      }[group];
      return q<{ key: string | null; month: string | null; metric: string; dim: string; value: number }>(sql`
        WITH f AS (${sql.join(sources, sql` UNION ALL `)})
        SELECT ${cols}, sum(f.value)::float8 AS value
        FROM f JOIN orgs o ON o.city_code = f.city_code AND o.id = f.org_id
        WHERE ${scope} ${within}
        GROUP BY 1, 2, 3, 4`);
    },
  };
}

export type StatsReaders = ReturnType<typeof createStatsReaders>;
export type FigureRow = Awaited<ReturnType<StatsReaders['figures']>>[number];
