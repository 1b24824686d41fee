import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { dayOf, FAMILIES, measures, type Family } from './stats-measures.ts';
import { addDays, dayStart, localDay, monthEnd, monthOf } from './stats-days.ts';

type Rows<T> = { rows: T[] };

/**
 * When the job cannot see every session's transaction start (another role's sessions are hidden
 * from a role without pg_read_all_stats), its watermark stays this far behind its own clock.
 */
const BLIND_MARGIN = sql.raw(`interval '10 minutes'`);
/** Change times written by the application are looked at again this far back (clock skew, slow commits). */
const CHANGE_MARGIN = sql.raw(`interval '2 minutes'`);
/** More changed months than this in one family: measure the family's whole history in one pass. */
const MONTHS_ONE_BY_ONE = 6;
const EPOCH_DAY = '2000-01-01';

/**
 * The rollup job's writes (docs/statistics.md). Per city and run:
 * 1. plan (holding the city's state row, FOR UPDATE SKIP LOCKED, so any number of processes may
 *    run the job): the new watermark — the earliest start of a transaction still running, so no
 *    fact committed later can be recorded before it —, and the rolled months whose facts were
 *    recorded or changed since the last watermark (`recorded_at` catches facts written with past
 *    dates; `updated_at` / `decided_at` / the activity's times catch corrections);
 * 2. each changed month is measured again from the facts and the difference to its stored rows is
 *    added to stats_monthly and stats_totals (one transaction per month and family; many months:
 *    the family's whole history in one pass);
 * 3. the closed days not rolled yet (yesterday, usually) are measured and added, and rolled_through
 *    moves, in one transaction; then the watermark moves. A run that fails part way leaves every
 *    committed step exact and the watermark where it was, so the next run plans the rest again.
 * The first run of a city measures its whole history, one transaction per family.
 */
export function createStatsRollupRepository(db: Executor) {
  const q = async <T>(tx: Executor, query: SQL): Promise<T[]> => {
    const res: unknown = await tx.execute(query);
    return (res as Rows<T>).rows;
  };

  /** Local days (≤ through) of facts recorded or changed since `since`. */
  async function dirtyDays(tx: Executor, city: string, family: Family, since: string, through: string): Promise<string[]> {
    // recorded_at is the database's own transaction start: exact. The change times are written by
    // the application (its clock, perhaps on another host): looked at with a margin.
    const s = sql`${since}::timestamptz`;
    const c = sql`${since}::timestamptz - ${CHANGE_MARGIN}`;
    let query: SQL;
    switch (family) {
      case 'orders':
        query = sql`
          WITH changed AS (
            SELECT o.id FROM orders o WHERE o.city_code = ${city} AND (o.updated_at >= ${c} OR o.recorded_at >= ${s})
            UNION SELECT e.order_id FROM order_events e WHERE e.city_code = ${city} AND e.recorded_at >= ${s}
          )
          SELECT DISTINCT d::text AS day FROM (
            SELECT ${dayOf(sql`e.at`)} AS d FROM order_events e JOIN changed c ON e.city_code = ${city} AND e.order_id = c.id
            UNION SELECT ${dayOf(sql`o.first_accept_due_at`)} FROM orders o JOIN changed c ON o.city_code = ${city} AND o.id = c.id
          ) x WHERE d <= ${through}::date`;
        break;
      case 'activities':
        query = sql`
          SELECT DISTINCT ${dayOf(sql`a.starts_at`)}::text AS day FROM activities a
          WHERE a.city_code = ${city} AND (a.recorded_at >= ${s} OR greatest(a.created_at, a.published_at, a.cancelled_at, a.finished_at, a.report_published_at) >= ${c})
            AND ${dayOf(sql`a.starts_at`)} <= ${through}::date`;
        break;
      case 'hours':
        query = sql`
          SELECT DISTINCT ${dayOf(sql`coalesce(r.ended_at, r.started_at, r.created_at)`)}::text AS day FROM service_records r
          WHERE r.city_code = ${city} AND (r.recorded_at >= ${s} OR r.decided_at >= ${c}) AND ${dayOf(sql`coalesce(r.ended_at, r.started_at, r.created_at)`)} <= ${through}::date`;
        break;
      case 'volunteers':
        query = sql`
          SELECT DISTINCT ${dayOf(sql`v.created_at`)}::text AS day FROM volunteers v
          WHERE v.city_code = ${city} AND (v.recorded_at >= ${s} OR v.updated_at >= ${c}) AND ${dayOf(sql`v.created_at`)} <= ${through}::date`;
        break;
    }
    return (await q<{ day: string }>(tx, query)).map((r) => r.day);
  }

  /**
   * Measures one family over the local days [from, to] and adds the difference to the stored
   * months: `replace` — the days are whole months (up to the last rolled day) whose stored rows
   * are replaced by the difference; `add` — days never rolled before, added as they are.
   * Drops the rows that became zero. Returns how many (month, org, metric, dim) figures changed.
   */
  async function roll(tx: Executor, city: string, family: Family, from: string, to: string, mode: 'replace' | 'add'): Promise<number> {
    const old =
      mode === 'replace'
        ? sql`SELECT org_id, month, metric, dim, -value AS v FROM stats_monthly
              WHERE city_code = ${city} AND family = ${family} AND month >= ${monthOf(from)}::date AND month <= ${to}::date`
        : sql`SELECT NULL::uuid, NULL::date, NULL::text, NULL::text, NULL::numeric WHERE FALSE`;
    const [r] = await q<{ n: number }>(
      tx,
      sql`
      WITH delta AS MATERIALIZED (
        SELECT org_id, month, metric, dim, sum(v) AS v FROM (
          SELECT m.org_id, date_trunc('month', m.day)::date AS month, m.metric, m.dim, m.value AS v
          FROM (${measures(family, { city, lo: dayStart(from), hi: dayStart(addDays(to, 1)) })}) m
          UNION ALL ${old}
        ) x
        GROUP BY org_id, month, metric, dim HAVING sum(v) <> 0
      ),
      monthly AS (
        INSERT INTO stats_monthly AS s (city_code, metric, month, org_id, dim, family, value)
        SELECT ${city}, metric, month, org_id, dim, ${family}, v FROM delta
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
      await tx.execute(
        sql`DELETE FROM stats_monthly WHERE city_code = ${city} AND family = ${family} AND month >= ${monthOf(from)}::date AND month <= ${to}::date AND value = 0`,
      );
      await tx.execute(sql`DELETE FROM stats_totals WHERE city_code = ${city} AND value = 0`);
    }
    return n;
  }

  /**
   * `roll` over a long span, a month per statement: the span is walked from the first month that
   * has facts of the family (or stored figures, when replacing) to `to`. One statement over the
   * whole history of a city at full scale runs for minutes, past any statement timeout of the
   * serving pool the job shares (docs/operations.md); a month is a short statement, and the
   * caller's transaction still makes the span one step.
   */
  async function rollByMonth(tx: Executor, city: string, family: Family, from: string, to: string, mode: 'replace' | 'add'): Promise<number> {
    const facts: Record<Family, SQL> = {
      orders: sql`SELECT least((SELECT min(at) FROM order_events WHERE city_code = ${city}), (SELECT min(first_accept_due_at) FROM orders WHERE city_code = ${city})) AS t`,
      activities: sql`SELECT min(starts_at) AS t FROM activities WHERE city_code = ${city}`,
      hours: sql`SELECT min(coalesce(ended_at, started_at, created_at)) AS t FROM service_records WHERE city_code = ${city} AND status = 'verified'`,
      volunteers: sql`SELECT min(created_at) AS t FROM volunteers WHERE city_code = ${city}`,
    };
    // A day early: the minimum is an instant, the months are local.
    const stored = mode === 'replace' ? sql`(SELECT min(month) FROM stats_monthly WHERE city_code = ${city} AND family = ${family})` : sql`NULL::date`;
    const [first] = await q<{ day: string | null }>(
      tx,
      sql`SELECT least(((f.t AT TIME ZONE 'UTC')::date - 1), ${stored})::text AS day FROM (${facts[family]}) f`,
    );
    if (!first?.day) return 0;
    let n = 0;
    for (let m = monthOf(first.day > from ? first.day : from); m <= to; m = addDays(monthEnd(m), 1)) {
      const lo = m > from ? m : from;
      const end = monthEnd(m);
      n += await roll(tx, city, family, lo, end < to ? end : to, mode);
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

  /** After rolling a whole history: fresh planner statistics, or the readers' plans go astray. */
  const analyze = () => db.execute(sql`ANALYZE stats_monthly, stats_totals`);
  const bump = (tx: Executor, city: string) => tx.execute(sql`UPDATE stats_rollup_state SET version = version + 1 WHERE city_code = ${city}`);

  return {
    async cities(): Promise<string[]> {
      return (await q<{ city_code: string }>(db, sql`SELECT city_code FROM cities ORDER BY city_code`)).map((r) => r.city_code);
    },

    /** Rolls one city up to yesterday; false when another process holds it right now. */
    async refreshCity(city: string, now: Date): Promise<{ rolled: number; changed: number } | false> {
      const yesterday = addDays(localDay(now), -1);
      // 1. The plan.
      const plan = await db.transaction(async (tx) => {
        const state = await lockState(tx, city, true);
        if (!state) return null;
        // Every fact these reads do not see belongs to a transaction running now or starting
        // later, so its recorded_at (its transaction's start) is at least this. A session whose
        // details are hidden (state is null) could be anything: then stay BLIND_MARGIN behind.
        const [{ wm }] = (await q<{ wm: string }>(
          tx,
          sql`SELECT least(clock_timestamp() - CASE WHEN bool_or(a.state IS NULL) THEN ${BLIND_MARGIN} ELSE interval '0' END, min(a.xact_start))::text AS wm
              FROM pg_stat_activity a
              WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'`,
        )) as [{ wm: string }];
        const dirty = new Map<Family, string[]>();
        if (state.rolled_through && state.watermark) {
          for (const f of FAMILIES) {
            const months = [...new Set((await dirtyDays(tx, city, f, state.watermark, state.rolled_through)).map(monthOf))].sort();
            if (months.length) dirty.set(f, months);
          }
        }
        return { wm, first: !state.rolled_through, dirty };
      });
      if (!plan) return false;

      let rolled = 0;
      let changed = 0;
      if (plan.first) {
        // The whole history, a family per transaction; readers ignore the rows until rolled_through is set.
        for (const family of FAMILIES) {
          await db.transaction(async (tx) => {
            const state = await lockState(tx, city, false);
            if (state?.rolled_through) return;
            changed += await rollByMonth(tx, city, family, EPOCH_DAY, yesterday, 'replace');
          });
        }
        await analyze();
        await db.transaction(async (tx) => {
          const state = await lockState(tx, city, false);
          if (state?.rolled_through) return;
          // The time as a value: Citus refuses volatile functions (clock_timestamp()) in an UPDATE.
          await tx.execute(
            sql`UPDATE stats_rollup_state SET rolled_through = ${yesterday}::date, rolled_at = ${new Date()}, version = version + 1, watermark = ${plan.wm}::timestamptz WHERE city_code = ${city}`,
          );
          rolled += 1;
        });
        return { rolled, changed };
      }

      // 2. Months whose facts changed: measured again (all of the family's history when many).
      for (const [family, months] of plan.dirty) {
        const spans: [string, string][] = months.length > MONTHS_ONE_BY_ONE ? [[EPOCH_DAY, '']] : months.map((m) => [m, monthEnd(m)]);
        for (const [from, end] of spans) {
          await db.transaction(async (tx) => {
            const state = await lockState(tx, city, false);
            const through = state!.rolled_through!;
            const to = !end || end > through ? through : end;
            if (from > to) return;
            const n = end ? await roll(tx, city, family, from, to, 'replace') : await rollByMonth(tx, city, family, from, to, 'replace');
            if (n > 0) await bump(tx, city);
            changed += n;
            rolled += 1;
          });
        }
      }
      if ([...plan.dirty.values()].some((m) => m.length > MONTHS_ONE_BY_ONE)) await analyze();
      // 3. The closed days not rolled yet, all families, and rolled_through with them.
      await db.transaction(async (tx) => {
        const state = await lockState(tx, city, false);
        const from = addDays(state!.rolled_through!, 1);
        if (from > yesterday) return;
        for (const family of FAMILIES) changed += await roll(tx, city, family, from, yesterday, 'add');
        await tx.execute(sql`UPDATE stats_rollup_state SET rolled_through = ${yesterday}::date, version = version + 1 WHERE city_code = ${city}`);
        rolled += 1;
      });
      await db.execute(
        sql`UPDATE stats_rollup_state SET watermark = greatest(watermark, ${plan.wm}::timestamptz), rolled_at = ${new Date()} WHERE city_code = ${city}`,
      );
      return { rolled, changed };
    },
  };
}

export type StatsRollupRepository = ReturnType<typeof createStatsRollupRepository>;
