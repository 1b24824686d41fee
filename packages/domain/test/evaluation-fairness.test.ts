import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INDICATORS,
  EVALUATION_MIN_SAMPLE,
  diagnose,
  indicatorResult,
  rankByTotal,
  siteWorks,
  suggestions,
  weightedTotal,
  type SiteFigures,
} from '../src/index.ts';

const none: SiteFigures = {
  grassroots: 0,
  activeGrassroots: 0,
  idleGrassroots30d: 0,
  activities: 0,
  volunteers: 0,
  verifiedHours: 0,
  ordersDue: 0,
  ordersResponded: 0,
  ordersClosedOrDue: 0,
  ordersSolved: 0,
  ratings: 0,
  satisfied: 0,
  bookedHours: 0,
  openHours: 0,
  contents: null,
  months: 1,
};

/** Total of a site under the default system of a level, as the server computes it. */
function score(level: 'center' | 'station', f: SiteFigures) {
  const applied = DEFAULT_INDICATORS.filter((i) => i.levels.includes(level)).map((i) => ({ i, r: indicatorResult(i.metric, i.target, f) }));
  return { total: weightedTotal(applied.map(({ i, r }) => ({ weight: i.weight, score: r.score, counted: r.counted }))), works: siteWorks(f), applied };
}

const WORK_FIELDS = ['activities', 'volunteers', 'verifiedHours'] as const;

/** A small deterministic generator (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fair evaluation (issue 18)', () => {
  it('a rate below the minimum sample is 样本不足, not 100 %; no data is 暂无数据', () => {
    const oneRating = { ...none, grassroots: 1, ratings: 1, satisfied: 1 };
    expect(indicatorResult('satisfaction_rate', 0.9, oneRating)).toEqual({ value: null, score: null, status: 'insufficient', sample: 1, counted: false });
    const enough = { ...none, grassroots: 1, ratings: EVALUATION_MIN_SAMPLE, satisfied: EVALUATION_MIN_SAMPLE };
    expect(indicatorResult('satisfaction_rate', 0.9, enough)).toMatchObject({ value: 1, score: 100, status: 'ok', counted: true });
    expect(indicatorResult('response_rate', 0.95, none)).toMatchObject({ value: null, status: 'missing', counted: false });
  });

  it('a work indicator without data counts 0 in the total and is shown as missing, never dropped', () => {
    const r = indicatorResult('volunteers_per_site', 50, none);
    expect(r).toEqual({ value: null, score: 0, status: 'missing', sample: null, counted: true });
    // The district of the issue: no sites, no volunteers, one 5-star rating. It used to score 100.
    expect(score('center', { ...none, ratings: 1, satisfied: 1 }).total).toBe(0);
  });

  it('the district with nothing does not outrank a district that works', () => {
    const empty = { name: 'empty', ...score('center', { ...none, ratings: 1, satisfied: 1 }) };
    const working = { name: 'working', ...score('center', { ...none, grassroots: 4, activeGrassroots: 1, activities: 1, volunteers: 3, verifiedHours: 2 }) };
    const ranked = rankByTotal([empty, working]);
    expect(ranked.find((r) => r.name === 'working')!.rank).toBe(1);
    expect(ranked.find((r) => r.name === 'empty')!.rank).toBe(2);
  });

  it('an empty site never outranks a working one, whatever its demand figures (500 random pairs)', () => {
    const r = rng(18);
    const int = (n: number) => Math.floor(r() * n);
    for (let k = 0; k < 500; k++) {
      for (const level of ['center', 'station'] as const) {
        const due = int(40);
        const closed = int(40);
        const ratings = int(40);
        const open = int(300);
        // Nothing of its own; any orders, ratings and bookings residents brought to it.
        const emptyFigures: SiteFigures = {
          ...none,
          grassroots: int(5),
          ordersDue: due,
          ordersResponded: int(due + 1),
          ordersClosedOrDue: closed,
          ordersSolved: int(closed + 1),
          ratings,
          satisfied: int(ratings + 1),
          openHours: open,
          bookedHours: int(open + 1),
        };
        // Any work at all, however little, and poor figures otherwise.
        const workingFigures: SiteFigures = {
          ...none,
          grassroots: 1 + int(5),
          [WORK_FIELDS[int(3)]!]: 1,
          ordersDue: int(10),
        };
        const empty = { name: 'empty', ...score(level, emptyFigures) };
        const working = { name: 'working', ...score(level, workingFigures) };
        expect(empty.works).toBe(false);
        expect(working.works).toBe(true);
        const ranked = rankByTotal([empty, working]);
        const rankOf = (n: string) => ranked.find((x) => x.name === n)!.rank;
        if (rankOf('empty') !== null && rankOf('working') !== null)
          expect(rankOf('empty')!, JSON.stringify({ emptyFigures, workingFigures })).toBeGreaterThan(rankOf('working')!);
        else expect(rankOf('working')).not.toBeNull();
      }
    }
  });

  it('says why an empty site ranks last, and suggests what missing data costs', () => {
    expect(diagnose('station', none, { date: null, idle: true }).map((f) => f.code)).toContain('nothing_done');
    expect(diagnose('station', { ...none, activities: 1, volunteers: 1 }, { date: '2025-03-01', idle: false }).map((f) => f.code)).not.toContain(
      'nothing_done',
    );
    const s = score('station', none);
    const items = s.applied.map(({ i, r }) => ({
      code: i.code,
      name: i.name,
      metric: i.metric,
      target: i.target,
      weight: i.weight,
      value: r.value,
      score: r.counted ? r.score : null,
    }));
    expect(suggestions(items).find((x) => x.indicatorCode === 'S02')!.message).toMatch(/^注册志愿者：本期暂无数据，目标 50 人。/);
  });

  it('ranks working sites among themselves by total as before, ties sharing a rank', () => {
    const ranked = rankByTotal([
      { id: 'a', total: 50, works: true },
      { id: 'b', total: 70, works: true },
      { id: 'c', total: 50, works: true },
      { id: 'd', total: 90, works: false },
      { id: 'e', total: null, works: true },
    ]);
    expect(Object.fromEntries(ranked.map((r) => [r.id, r.rank]))).toEqual({ b: 1, a: 2, c: 2, d: 4, e: null });
    expect(ranked[0]!.rankOf).toBe(4);
  });
});
