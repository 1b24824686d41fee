import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { dayOf, FAMILIES, measures, type Family } from './stats-measures.ts';
import { addDays, dayStart, localDay } from './stats-days.ts';

type Rows<T> = { rows: T[] };

/** Changes recorded this long before a run's watermark are looked at again (a safety margin). */
const MARGIN = sql.raw(`interval '2 minutes'`);
/** Days rolled per transaction (so a first roll of years of history never holds one long transaction). */
const CHUNK_DAYS = 62;

export interface RollupState {
  cityCode: string;
  rolledThrough: string | null;
  rolledAt: Date | null;
  version: number;
}

/**
 * The rollup job's writes (docs/statistics.md). Per city and run:
 * 1. plan (holding the city's state row, FOR UPDATE SKIP LOCKED, so any number of processes may
 *    run the job): the new watermark — the earliest start of a transaction still running, so no
 *    fact committed later can be older —, the closed days not rolled yet, and the rolled days
 *    whose facts were recorded or changed since the last watermark (`recorded_at` catches facts
 *    written with past dates; `updated_at` / `decided_at` / the activity's times, corrections);
 * 2. roll them in chunks of days, each chunk one transaction: the measures of those days are
 *    compared with the stored daily rows, and only the difference is added to stats_daily,
 *    stats_monthly and stats_totals (so the run costs what changed, not the city's history);
 * 3. move the watermark. A run that fails part way leaves every committed chunk exact and the
 *    watermark where it was, so the next run plans the rest again.
 */
export function createStatsRollupRepository(db: Executor) {
  const q = async <T>(tx: Executor, query: SQL) => ((await tx.execute(query)) as unknown as Rows<T>).rows;
  const dateList = (days: string[]) => sql`${`{${days.join(',')}}`}::date[]`;

  async function dirtyDays(tx: Executor, city: string, family: Family, since: string, through: string): Promise<string[]> {
    const s = sql`${since}::timestamptz - ${MARGIN}`;
    let query: SQL;
    switch (family) {
      case 'orders':
        query = sql`
          WITH changed AS (
            SELECT o.id FROM orders o WHERE o.city_code = ${city} AND (o.updated_at > ${s} OR o.recorded_at > ${s})
            UNION SELECT e.order_id FROM order_events e WHERE e.city_code = ${city} AND e.recorded_at > ${s}
          )
          SELECT DISTINCT d::text AS day FROM (
            SELECT ${dayOf(sql`e.at`)} AS d FROM order_events e JOIN changed c ON e.city_code = ${city} AND e.order_id = c.id
            UNION SELECT ${dayOf(sql`o.first_accept_due_at`)} FROM orders o JOIN changed c ON o.city_code = ${city} AND o.id = c.id
          ) x WHERE d <= ${through}::date`;
        break;
      case 'activities':
        query = sql`
          SELECT DISTINCT ${dayOf(sql`a.starts_at`)}::text AS day FROM activities a
          WHERE a.city_code = ${city} AND (a.recorded_at > ${s} OR greatest(a.created_at, a.published_at, a.cancelled_at, a.finished_at) > ${s})
            AND ${dayOf(sql`a.starts_at`)} <= ${through}::date`;
        break;
      case 'hours':
        query = sql`
          SELECT DISTINCT ${dayOf(sql`coalesce(r.ended_at, r.started_at, r.created_at)`)}::text AS day FROM service_records r
          WHERE r.city_code = ${city} AND (r.recorded_at > ${s} OR r.decided_at > ${s}) AND ${dayOf(sql`coalesce(r.ended_at, r.started_at, r.created_at)`)} <= ${through}::date`;
        break;
      case 'volunteers':
        query = sql`
          SELECT DISTINCT ${dayOf(sql`v.created_at`)}::text AS day FROM volunteers v
          WHERE v.city_code = ${city} AND (v.recorded_at > ${s} OR v.updated_at > ${s}) AND ${dayOf(sql`v.created_at`)} <= ${through}::date`;
        break;
    }
    return (await q<{ day: string }>(tx, query)).map((r) => r.day).sort();
  }

  /**
   * Rolls `days` (sorted) of one family: adds (measures − stored daily rows) to the three tables
   * and drops the rows that became zero. Returns how many (day, org, metric, dim) figures changed.
   */
  async function rollDays(tx: Executor, city: string, family: Family, days: string[]): Promise<number> {
    if (!days.length) return 0;
    const first = days[0]!;
    const last = days.at(-1)!;
    const contiguous = addDays(first, days.length - 1) === last;
    const onDays = contiguous ? sql`` : sql`AND d.day = ANY (${dateList(days)})`;
    const [r] = await q<{ n: number }>(
      tx,
      sql`
      WITH new AS MATERIALIZED (
        SELECT org_id, day, metric, dim, sum(value) AS value
        FROM (${measures(family, { city, lo: dayStart(first), hi: dayStart(addDays(last, 1)), days: contiguous ? null : days })}) m
        GROUP BY org_id, day, metric, dim
      ),
      old AS MATERIALIZED (
        SELECT d.org_id, d.day, d.metric, d.dim, d.value FROM stats_daily d
        WHERE d.city_code = ${city} AND d.family = ${family} AND d.day >= ${first}::date AND d.day <= ${last}::date ${onDays}
      ),
      delta AS MATERIALIZED (
        SELECT org_id, day, metric, dim, sum(v) AS v
        FROM (SELECT org_id, day, metric, dim, value AS v FROM new UNION ALL SELECT org_id, day, metric, dim, -value FROM old) x
        GROUP BY org_id, day, metric, dim HAVING sum(v) <> 0
      ),
      daily AS (
        INSERT INTO stats_daily AS s (city_code, org_id, day, family, metric, dim, value)
        SELECT ${city}, org_id, day, ${family}, metric, dim, v FROM delta
        ON CONFLICT (city_code, day, family, org_id, metric, dim) DO UPDATE SET value = s.value + excluded.value
      ),
      monthly AS (
        INSERT INTO stats_monthly AS s (city_code, metric, month, org_id, dim, value)
        SELECT ${city}, metric, date_trunc('month', day)::date, org_id, dim, sum(v) FROM delta GROUP BY metric, date_trunc('month', day)::date, org_id, dim
        ON CONFLICT (city_code, metric, month, org_id, dim) DO UPDATE SET value = s.value + excluded.value
      ),
      totals AS (
        INSERT INTO stats_totals AS s (city_code, metric, org_id, dim, value)
        SELECT ${city}, metric, org_id, dim, sum(v) FROM delta GROUP BY metric, org_id, dim
        ON CONFLICT (city_code, metric, org_id, dim) DO UPDATE SET value = s.value + excluded.value
      )
      SELECT count(*)::int AS n FROM delta`,
    );
    const n = Number(r?.n ?? 0);
    if (n > 0) {
      await tx.execute(sql`DELETE FROM stats_daily d WHERE d.city_code = ${city} AND d.family = ${family} AND d.day >= ${first}::date AND d.day <= ${last}::date AND d.value = 0`);
      await tx.execute(sql`DELETE FROM stats_monthly WHERE city_code = ${city} AND month >= date_trunc('month', ${first}::date)::date AND month <= ${last}::date AND value = 0`);
      await tx.execute(sql`DELETE FROM stats_totals WHERE city_code = ${city} AND value = 0`);
    }
    return n;
  }

  /** Locks the city's state row (waiting, or skipping when `skip`); null when skipped. */
  async function lockState(tx: Executor, city: string, skip: boolean) {
    await tx.execute(sql`INSERT INTO stats_rollup_state (city_code) VALUES (${city}) ON CONFLICT (city_code) DO NOTHING`);
    const [s] = await q<{ rolled_through: string | null; watermark: string | null }>(
      tx,
      sql`SELECT rolled_through::text AS rolled_through, watermark::text AS watermark FROM stats_rollup_state WHERE city_code = ${city} FOR UPDATE ${skip ? sql`SKIP LOCKED` : sql``}`,
    );
    return s ?? null;
  }

  return {
    async cities(): Promise<string[]> {
      return (await q<{ city_code: string }>(db, sql`SELECT city_code FROM cities ORDER BY city_code`)).map((r) => r.city_code);
    },

    /** What the readers need: per city, the last rolled day, when it was rolled and the rollup's version. */
    async states(cities: string[] | null): Promise<RollupState[]> {
      const rows = await q<{ city_code: string; rolled_through: string | null; rolled_at: Date | string | null; version: string | number | null }>(
        db,
        sql`SELECT c.city_code, s.rolled_through::text AS rolled_through, s.rolled_at, s.version
            FROM cities c LEFT JOIN stats_rollup_state s ON s.city_code = c.city_code
            ${cities ? sql`WHERE c.city_code IN (${sql.join(cities.map((c) => sql`${c}`), sql`, `)})` : sql``}
            ORDER BY c.city_code`,
      );
      return rows.map((r) => ({
        cityCode: r.city_code,
        rolledThrough: r.rolled_through,
        rolledAt: r.rolled_at === null ? null : new Date(r.rolled_at),
        version: Number(r.version ?? 0),
      }));
    },

    /** Rolls one city up to yesterday; false when another process holds it right now. */
    async refreshCity(city: string, now: Date): Promise<{ rolled: number; changed: number } | false> {
      const yesterday = addDays(localDay(now), -1);
      // 1. The plan.
      const plan = await db.transaction(async (tx) => {
        const state = await lockState(tx, city, true);
        if (!state) return null;
        // Every fact not visible to this run's reads below belongs to a transaction running now
        // or starting later, so its recorded_at (the transaction's start) is at least this.
        const [{ wm }] = (await q<{ wm: string }>(
          tx,
          sql`SELECT least(clock_timestamp(), min(a.xact_start))::text AS wm FROM pg_stat_activity a
              WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL`,
        )) as [{ wm: string }];
        let from: string | null = state.rolled_through ? addDays(state.rolled_through, 1) : null;
        if (!state.rolled_through) {
          const [first] = await q<{ d: string | null }>(
            tx,
            sql`SELECT ${dayOf(sql`least(
                (SELECT min(at) FROM order_events WHERE city_code = ${city}),
                (SELECT min(first_accept_due_at) FROM orders WHERE city_code = ${city}),
                (SELECT min(starts_at) FROM activities WHERE city_code = ${city}),
                (SELECT min(coalesce(ended_at, started_at, created_at)) FROM service_records WHERE city_code = ${city} AND status = 'verified'),
                (SELECT min(created_at) FROM volunteers WHERE city_code = ${city}))`)}::text AS d`,
          );
          from = first?.d ?? null;
        }
        const dirty = new Map<Family, string[]>();
        if (state.rolled_through && state.watermark) {
          for (const f of FAMILIES) dirty.set(f, await dirtyDays(tx, city, f, state.watermark, state.rolled_through));
        }
        return { wm, from, dirty };
      });
      if (!plan) return false;

      let rolled = 0;
      let changed = 0;
      // 2a. Rolled days whose facts changed, per family, in chunks.
      for (const [family, days] of plan.dirty) {
        for (let i = 0; i < days.length; i += CHUNK_DAYS) {
          const chunk = days.slice(i, i + CHUNK_DAYS);
          await db.transaction(async (tx) => {
            await lockState(tx, city, false);
            const n = await rollDays(tx, city, family, chunk);
            if (n > 0) await tx.execute(sql`UPDATE stats_rollup_state SET version = version + 1 WHERE city_code = ${city}`);
            changed += n;
          });
          rolled += chunk.length;
        }
      }
      // 2b. The closed days not rolled yet, all families together, in chunks.
      for (;;) {
        const done = await db.transaction(async (tx) => {
          const state = await lockState(tx, city, false);
          const start = state?.rolled_through ? addDays(state.rolled_through, 1) : plan.from;
          if (!start || start > yesterday) return true;
          const end = [addDays(start, CHUNK_DAYS - 1), yesterday].sort()[0]!;
          const days = Array.from({ length: daysBetween(start, end) + 1 }, (_, k) => addDays(start, k));
          for (const family of FAMILIES) changed += await rollDays(tx, city, family, days);
          await tx.execute(
            sql`UPDATE stats_rollup_state SET rolled_through = ${end}::date, rolled_at = clock_timestamp(), version = version + 1,
                watermark = coalesce(watermark, ${plan.wm}::timestamptz) WHERE city_code = ${city}`,
          );
          rolled += days.length;
          return false;
        });
        if (done) break;
      }
      // 3. Everything planned is in: move the watermark.
      await db.execute(
        sql`UPDATE stats_rollup_state SET watermark = greatest(watermark, ${plan.wm}::timestamptz), rolled_at = clock_timestamp(),
            rolled_through = coalesce(rolled_through, ${yesterday}::date) WHERE city_code = ${city}`,
      );
      return { rolled, changed };
    },
  };
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export type StatsRollupRepository = ReturnType<typeof createStatsRollupRepository>;
