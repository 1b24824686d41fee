import { sql, type SQL } from 'drizzle-orm';
import { ORDER_STATES } from '@wenming/domain';
import { familyOf, measures, type Family } from './stats-measures.ts';
import { addDays, dayStart, monthEnd, monthOf } from './stats-days.ts';

/**
 * Where the figures of a request come from (docs/statistics.md): per city, the days up to the
 * last rolled day from the rollup tables — stats_totals for all of history, stats_monthly for the
 * whole months of a period — and the rest measured from the facts: the days after the last rolled
 * day, and the part months at the edges of a period. Every source has the columns
 * (city_code, org_id, month, metric, dim, value).
 */
export interface CityPlan {
  cityCode: string;
  /** The last local day in the rollup tables; null: nothing rolled yet (all of it live). */
  rolledThrough: string | null;
  /** When the job last finished a run (records verified after it are added live). */
  rolledAt: Date | null;
  version: number;
  /** The org tree's state (count and last change of the city's orgs): part of the cache key. */
  tree: string;
}

export interface Range {
  /** First local day (inclusive). */
  from?: string;
  /** Last local day (inclusive). */
  to?: string;
}

/** The scalar metrics of the order loop (the overview, the districts, the export). */
export const ORDER_METRICS = [
  'orders.submitted',
  'orders.accepted',
  'orders.acceptMinutes',
  'orders.due',
  'orders.respondedInTime',
  'orders.closedOrDue',
  'orders.solved',
  'orders.ratings',
  'orders.satisfied',
];
export const STATE_METRICS = ORDER_STATES.map((s) => `state.${s}`);

const EPOCH_DAY = '2000-01-01';
const list = (xs: readonly string[]) =>
  sql.join(
    xs.map((x) => sql`${x}`),
    sql`, `,
  );
const min = (a: Date, b: Date) => (a < b ? a : b);

/**
 * The sources of a query: `rolled` (rows of the rollup tables: stats_totals for all of history,
 * stats_monthly for the whole months of a period — cacheable by the rollup's version) and `facts`
 * (measured from the facts: the days after the last rolled day, the part months at the edges of a
 * period, and records of rolled days verified since the last run).
 */
export function sourcesOf(plans: CityPlan[], metrics: string[], range: Range, now: Date): { rolled: SQL[]; facts: SQL[] } {
  const rolled: SQL[] = [];
  const facts: SQL[] = [];
  const families = [...new Set(metrics.map(familyOf))] as Family[];
  const pick = (body: SQL) =>
    sql`SELECT x.city_code, x.org_id, to_char(x.day, 'YYYY-MM') AS month, x.metric, x.dim, x.value FROM (${body}) x WHERE x.metric IN (${list(metrics)})`;
  /** The facts of the local days [a, b] (b null: open — activities to come; the rest up to now). */
  const measured = (city: string, a: string, b: string | null, decidedAfter: Date | null = null) => {
    const lo = dayStart(a);
    const end = b ? dayStart(addDays(b, 1)) : null;
    for (const f of decidedAfter ? (['hours'] as Family[]).filter((x) => families.includes(x)) : families) {
      const hi = f === 'activities' && !decidedAfter ? end : end ? min(end, now) : now;
      if (!hi || lo < hi) facts.push(pick(measures(f, { city, lo, hi, decidedAfter })));
    }
  };
  for (const p of plans) {
    const c = p.cityCode;
    const through = p.rolledThrough;
    if (!through) {
      measured(c, range.from ?? EPOCH_DAY, range.to ?? null);
      continue;
    }
    // The live tail: the days after the last rolled one.
    const liveFrom = addDays(through, 1);
    if (!range.to || range.to >= liveFrom) measured(c, range.from && range.from > liveFrom ? range.from : liveFrom, range.to ?? null);
    // Records of rolled days verified since the last run (until the job rolls them in), for the
    // days read from the rollup tables.
    const late = (from: string, to: string) => {
      if (p.rolledAt) measured(c, from, to, p.rolledAt);
    };
    // The rolled days of the range.
    const hi = range.to && range.to < through ? range.to : through;
    if (range.from && range.from > hi) continue;
    if (!range.from && hi === through) {
      rolled.push(
        sql`SELECT t.city_code, t.org_id, NULL::text AS month, t.metric, t.dim, t.value FROM stats_totals t WHERE t.city_code = ${c} AND t.metric IN (${list(metrics)})`,
      );
      late(EPOCH_DAY, through);
      continue;
    }
    // Whole months: from the first month that starts inside the range to the last that ends inside
    // it (the month of the last rolled day holds only rolled days, so it is whole when hi is that
    // day); the part months at the edges come from the facts.
    const firstFull = range.from ? (range.from === monthOf(range.from) ? range.from : addDays(monthEnd(monthOf(range.from)), 1)) : null;
    const lastFull = hi === through || hi === monthEnd(monthOf(hi)) ? monthOf(hi) : monthOf(addDays(monthOf(hi), -1));
    if (firstFull && firstFull > lastFull) {
      measured(c, range.from!, hi);
      continue;
    }
    rolled.push(sql`SELECT m.city_code, m.org_id, to_char(m.month, 'YYYY-MM') AS month, m.metric, m.dim, m.value FROM stats_monthly m
      WHERE m.city_code = ${c} AND m.metric IN (${list(metrics)}) ${firstFull ? sql`AND m.month >= ${firstFull}::date` : sql``} AND m.month <= ${lastFull}::date`);
    late(firstFull ?? EPOCH_DAY, monthEnd(lastFull) < hi ? monthEnd(lastFull) : hi);
    if (range.from && firstFull && range.from < firstFull) measured(c, range.from, addDays(firstFull, -1));
    const afterFull = addDays(monthEnd(lastFull), 1);
    if (afterFull <= hi) measured(c, afterFull, hi);
  }
  return { rolled, facts };
}
