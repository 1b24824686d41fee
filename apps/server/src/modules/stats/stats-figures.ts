import type { SQL } from 'drizzle-orm';
import type { Scope } from '../../lib/policy.ts';
import type { FigureGroup, FigureRow, StatsRepository } from './stats.repository.ts';
import { sourcesOf, type CityPlan, type Range } from './stats-sources.ts';

/** How long a cached rolled figure is kept (its key makes it exact; this only bounds memory). */
export const ROLLED_CACHE_MS = 15 * 60_000;
const CACHE_ENTRIES = 500;

export interface FigureQuery {
  metrics: string[];
  group: FigureGroup;
  range?: Range;
  /** For group 'child': the org whose direct children's subtrees are the keys. */
  parent?: { cityCode: string; path: string } | null;
}

/**
 * Reads figures as the rolled part (rollup tables up to the last rolled day) plus the part measured
 * from the facts (the days after it, the part months at the edges of a period), on one snapshot.
 * The rolled part of identical queries is cached in this process, keyed by the scope, the query,
 * each city's rollup version (the job bumps it whenever a rolled figure changes) and the state of
 * its org tree (count and last change of its orgs: a site added or moved), so a hit is exact. The
 * part from the facts is always read.
 */
export function createFigureReader(deps: { stats: StatsRepository; now: () => Date; cacheMs?: number }) {
  const cache = new Map<string, { at: number; rows: FigureRow[] }>();
  const ttl = deps.cacheMs ?? ROLLED_CACHE_MS;

  function remember(key: string, rows: FigureRow[]) {
    if (cache.size >= CACHE_ENTRIES) {
      const t = Date.now();
      for (const [k, v] of cache) if (t - v.at > ttl || cache.size >= CACHE_ENTRIES) cache.delete(k);
    }
    cache.set(key, { at: Date.now(), rows });
  }

  return {
    async read(s: { scope: Scope; cond: SQL; cities: string[] | null }, query: FigureQuery): Promise<FigureRow[]> {
      const now = deps.now();
      const range = query.range ?? {};
      return deps.stats.snapshot(async (r) => {
        const plans: CityPlan[] = await r.rollupStates(s.cities);
        const sources = sourcesOf(plans, query.metrics, range, now);
        const key = JSON.stringify([
          s.scope,
          plans.map((p) => [p.cityCode, p.rolledThrough, p.version, p.tree]),
          query.metrics,
          query.group,
          range,
          query.parent ?? null,
        ]);
        const hit = cache.get(key);
        let rolled: FigureRow[];
        if (hit && Date.now() - hit.at <= ttl) rolled = hit.rows;
        else {
          rolled = await r.figures(s.cond, sources.rolled, query.group, query.parent ?? null);
          remember(key, rolled);
        }
        const live = await r.figures(s.cond, sources.facts, query.group, query.parent ?? null);
        return merge(rolled, live);
      });
    },
    clear() {
      cache.clear();
    },
  };
}

function merge(a: FigureRow[], b: FigureRow[]): FigureRow[] {
  // A copy even then: `a` may be the cached array, and callers sort what they get.
  if (!b.length) return [...a];
  const out = new Map<string, FigureRow>();
  for (const r of [...a, ...b]) {
    const k = `${r.key}\u0000${r.month}\u0000${r.metric}\u0000${r.dim}`;
    const prev = out.get(k);
    out.set(k, prev ? { ...prev, value: Number(prev.value) + Number(r.value) } : { ...r, value: Number(r.value) });
  }
  return [...out.values()];
}

export type FigureReader = ReturnType<typeof createFigureReader>;
