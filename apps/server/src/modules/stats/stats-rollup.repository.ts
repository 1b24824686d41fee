import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { dayOf, FAMILIES, measures, startOf, STATS_TZ, type Family } from './stats-measures.ts';

type Rows<T> = { rows: T[] };

/** Changes this long before the last roll are looked at again (transactions still in flight then). */
const MARGIN = sql.raw(`interval '2 minutes'`);

/**
 * The rollup job's writes (docs/statistics.md). Per city and run, in one transaction holding the
 * city's state row (FOR UPDATE SKIP LOCKED, so any number of processes may run the job):
 * 1. the closed days not rolled yet (all of history on the first run) are rolled;
 * 2. closed days whose facts changed since the last run (by the facts' change timestamps) are
 *    rolled again, per family;
 * 3. rolled_through moves to yesterday (local), rolled_at to now.
 * Rolling a day deletes its rows of that family and inserts them again from the facts.
 */
export function createStatsRollupRepository(db: Executor) {
  const q = async <T>(tx: Executor, query: SQL) => ((await tx.execute(query)) as unknown as Rows<T>).rows;
  const dateList = (days: string[]) => sql`${`{${days.join(',')}}`}::date[]`;

  async function dirtyDays(tx: Executor, city: string, family: Family, since: Date, through: string): Promise<string[]> {
    const s = sql`${since.toISOString()}::timestamptz - ${MARGIN}`;
    let query: SQL;
    switch (family) {
      case 'orders':
        query = sql`
          WITH changed AS (SELECT o.city_code, o.id, o.first_accept_due_at FROM orders o WHERE o.city_code = ${city} AND o.updated_at > ${s})
          SELECT DISTINCT d::text AS day FROM (
            SELECT ${dayOf(sql`e.at`)} AS d FROM order_events e JOIN changed c ON c.city_code = e.city_code AND c.id = e.order_id
            UNION SELECT ${dayOf(sql`c.first_accept_due_at`)} FROM changed c
          ) x WHERE d <= ${through}::date`;
        break;
      case 'activities':
        query = sql`
          SELECT DISTINCT ${dayOf(sql`a.starts_at`)}::text AS day FROM activities a
          WHERE a.city_code = ${city} AND greatest(a.created_at, a.published_at, a.cancelled_at, a.finished_at) > ${s} AND ${dayOf(sql`a.starts_at`)} <= ${through}::date`;
        break;
      case 'hours':
        query = sql`
          SELECT DISTINCT ${dayOf(sql`coalesce(r.ended_at, r.started_at, r.created_at)`)}::text AS day FROM service_records r
          WHERE r.city_code = ${city} AND r.decided_at > ${s} AND ${dayOf(sql`coalesce(r.ended_at, r.started_at, r.created_at)`)} <= ${through}::date`;
        break;
      case 'volunteers':
        query = sql`
          SELECT DISTINCT ${dayOf(sql`v.created_at`)}::text AS day FROM volunteers v
          WHERE v.city_code = ${city} AND v.updated_at > ${s} AND ${dayOf(sql`v.created_at`)} <= ${through}::date`;
        break;
    }
    return (await q<{ day: string }>(tx, query)).map((r) => r.day);
  }

  async function rollDays(tx: Executor, city: string, family: Family, days: string[]) {
    if (!days.length) return;
    const sorted = [...days].sort();
    await tx.execute(sql`DELETE FROM stats_daily WHERE city_code = ${city} AND family = ${family} AND day = ANY (${dateList(sorted)})`);
    await tx.execute(sql`
      WITH w AS (
        SELECT ${city}::text AS city_code, ${startOf(sql`${sorted[0]!}::date`)} AS lo, ${startOf(sql`${sorted.at(-1)!}::date + 1`)} AS hi,
          ${dateList(sorted)} AS days, NULL::timestamptz AS rolled_at
      )
      INSERT INTO stats_daily (city_code, org_id, day, family, metric, dim, value)
      SELECT city_code, org_id, day, family, metric, dim, sum(value) FROM (${measures(family, { live: false })}) m
      GROUP BY city_code, org_id, day, family, metric, dim HAVING sum(value) <> 0`);
  }

  return {
    async cities(): Promise<string[]> {
      return (await q<{ city_code: string }>(db, sql`SELECT city_code FROM cities ORDER BY city_code`)).map((r) => r.city_code);
    },

    /** Rolls one city up to yesterday; false when another process holds it right now. */
    async refreshCity(city: string, now: Date): Promise<{ rolled: number } | false> {
      return db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO stats_rollup_state (city_code) VALUES (${city}) ON CONFLICT (city_code) DO NOTHING`);
        const [state] = await q<{ rolled_through: string | null; rolled_at: Date | string | null }>(
          tx,
          sql`SELECT rolled_through::text AS rolled_through, rolled_at FROM stats_rollup_state WHERE city_code = ${city} FOR UPDATE SKIP LOCKED`,
        );
        if (!state) return false;
        const [{ yesterday }] = (await q<{ yesterday: string }>(
          tx,
          sql`SELECT ((${now.toISOString()}::timestamptz AT TIME ZONE ${sql.raw(`'${STATS_TZ}'`)})::date - 1)::text AS yesterday`,
        )) as [{ yesterday: string }];
        let newDays: string[] = [];
        if (state.rolled_through === null) {
          // First run: every day from the first fact on.
          const [first] = await q<{ d: string | null }>(
            tx,
            sql`SELECT least(
                (SELECT min(at) FROM order_events WHERE city_code = ${city}),
                (SELECT min(starts_at) FROM activities WHERE city_code = ${city}),
                (SELECT min(coalesce(ended_at, started_at, created_at)) FROM service_records WHERE city_code = ${city}),
                (SELECT min(created_at) FROM volunteers WHERE city_code = ${city}))::timestamptz AS d`,
          );
          if (first?.d) newDays = await daysBetween(tx, sql`${dayOf(sql`${first.d}::timestamptz`)}`, yesterday);
        } else if (state.rolled_through < yesterday) {
          newDays = await daysBetween(tx, sql`${state.rolled_through}::date + 1`, yesterday);
        }
        const through = state.rolled_through && state.rolled_through < yesterday ? state.rolled_through : yesterday;
        let rolled = 0;
        for (const family of FAMILIES) {
          const dirty = state.rolled_at && state.rolled_through ? await dirtyDays(tx, city, family, new Date(state.rolled_at), through) : [];
          const days = [...new Set([...newDays, ...dirty])];
          await rollDays(tx, city, family, days);
          rolled += days.length;
        }
        await tx.execute(sql`UPDATE stats_rollup_state SET rolled_through = GREATEST(rolled_through, ${yesterday}::date), rolled_at = ${now.toISOString()}::timestamptz WHERE city_code = ${city}`);
        return { rolled };
      });
    },
  };

  async function daysBetween(tx: Executor, from: SQL, to: string): Promise<string[]> {
    return (await q<{ d: string }>(tx, sql`SELECT g::date::text AS d FROM generate_series((${from})::date, ${to}::date, interval '1 day') AS g`)).map((r) => r.d);
  }
}

export type StatsRollupRepository = ReturnType<typeof createStatsRollupRepository>;
