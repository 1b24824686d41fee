import { describe, expect, it } from 'vitest';
import { EVALUATED_LEVELS, EVALUATION_METRICS } from '@wenming/contracts';
import {
  DEFAULT_INDICATORS,
  diagnose,
  levelsBelow,
  measuringWindow,
  metricValue,
  parsePeriod,
  periodsOf,
  previousMonth,
  rankByTotal,
  scoreOf,
  suggestions,
  weightProblems,
  weightedTotal,
  type SiteFigures,
} from '../src/index.ts';

const tz = 'Asia/Shanghai';
const figures = (over: Partial<SiteFigures> = {}): SiteFigures => ({
  grassroots: 1,
  activeGrassroots: 1,
  idleGrassroots30d: 0,
  activities: 1,
  volunteers: 10,
  verifiedHours: 20,
  ordersDue: 0,
  ordersResponded: 0,
  ordersClosedOrDue: 0,
  ordersSolved: 0,
  ratings: 0,
  satisfied: 0,
  bookedHours: 0,
  openHours: 0,
  contents: 0,
  months: 1,
  ...over,
});

describe('periods', () => {
  it('parses months and years in the city’s zone', () => {
    const m = parsePeriod('2026-10', tz)!;
    expect(m.kind).toBe('month');
    expect(m.start.toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(m.end.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    const d = parsePeriod('2026-12', tz)!;
    expect(d.end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    const y = parsePeriod('2026', tz)!;
    expect([y.kind, y.months, y.start.toISOString(), y.end.toISOString()]).toEqual(['year', 12, '2025-12-31T16:00:00.000Z', '2026-12-31T16:00:00.000Z']);
  });
  it('refuses malformed periods', () => {
    for (const bad of ['2026-13', '2026-00', '26-01', '2026-1', '2026/01', '', '2026-01-01']) expect(parsePeriod(bad, tz)).toBeNull();
  });
  it('measures a closed period whole, an open one so far', () => {
    const y = parsePeriod('2026', tz)!;
    const mid = new Date('2026-03-15T04:00:00Z');
    expect(measuringWindow(y, mid, tz)).toEqual({ from: y.start, to: mid, closed: false, months: 3 });
    expect(measuringWindow(y, new Date('2027-01-02T00:00:00Z'), tz)).toEqual({ from: y.start, to: y.end, closed: true, months: 12 });
    const m = parsePeriod('2026-03', tz)!;
    expect(measuringWindow(m, mid, tz).months).toBe(1);
  });
  it('names the current and previous periods', () => {
    expect(periodsOf(new Date('2026-12-31T17:00:00Z'), tz)).toEqual({ month: '2027-01', year: '2027' });
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2026-10')).toBe('2026-09');
  });
});

describe('the default indicator system', () => {
  it('sums to 100 on every evaluated level and uses known metrics only', () => {
    expect(weightProblems(DEFAULT_INDICATORS)).toEqual([]);
    for (const l of EVALUATED_LEVELS) expect(DEFAULT_INDICATORS.filter((i) => i.levels.includes(l)).reduce((s, i) => s + i.weight, 0)).toBe(100);
    for (const i of DEFAULT_INDICATORS) expect(EVALUATION_METRICS).toContain(i.metric);
    expect(new Set(DEFAULT_INDICATORS.map((i) => i.code)).size).toBe(DEFAULT_INDICATORS.length);
  });
  it('reports levels whose weights do not sum to 100', () => {
    expect(
      weightProblems([
        { weight: 60, levels: ['station'] },
        { weight: 30, levels: ['station', 'point'] },
      ]),
    ).toEqual([
      { level: 'station', sum: 90 },
      { level: 'point', sum: 30 },
    ]);
    expect(weightProblems([])).toEqual([]);
  });
  it('lets an org define only the levels below it', () => {
    expect(levelsBelow('city')).toEqual(['center', 'institute', 'station', 'point']);
    expect(levelsBelow('institute')).toEqual(['station', 'point']);
    expect(levelsBelow('point')).toEqual([]);
  });
});

describe('metric values', () => {
  it('computes each metric from the figures', () => {
    const f = figures({
      grassroots: 4,
      activeGrassroots: 3,
      activities: 6,
      volunteers: 10,
      verifiedHours: 30,
      months: 3,
      ordersDue: 8,
      ordersResponded: 6,
      ordersClosedOrDue: 5,
      ordersSolved: 4,
      ratings: 3,
      satisfied: 2,
      bookedHours: 12,
      openHours: 48,
      contents: 7,
    });
    expect(metricValue('site_coverage', f)).toBe(0.75);
    expect(metricValue('volunteers_per_site', f)).toBe(2.5);
    expect(metricValue('activities_per_station_month', f)).toBe(0.5);
    expect(metricValue('service_hours_per_station_month', f)).toBe(2.5);
    expect(metricValue('response_rate', f)).toBe(0.75);
    expect(metricValue('resolution_rate', f)).toBe(0.8);
    expect(metricValue('satisfaction_rate', f)).toBe(0.6667);
    expect(metricValue('booking_utilization', f)).toBe(0.25);
    expect(metricValue('contents_per_month', f)).toBe(2.3);
  });
  it('is null where there is nothing to divide by', () => {
    const f = figures({ grassroots: 0, ordersDue: 0, ratings: 0, openHours: 0, ordersClosedOrDue: 0, contents: null });
    for (const m of EVALUATION_METRICS) expect(metricValue(m, f), m).toBeNull();
  });
  it('caps booking utilisation at 1', () => expect(metricValue('booking_utilization', figures({ bookedHours: 10, openHours: 5 }))).toBe(1));
});

describe('scores, totals and ranks', () => {
  it('scores value ÷ target, capped at 100', () => {
    expect(scoreOf(0.5, 1)).toBe(50);
    expect(scoreOf(3, 1)).toBe(100);
    expect(scoreOf(0, 1)).toBe(0);
    expect(scoreOf(0.855, 0.95)).toBe(90);
    expect(scoreOf(null, 1)).toBeNull();
  });
  it('weights the applicable indicators and shares out the weight of the rest', () => {
    expect(
      weightedTotal([
        { weight: 50, score: 100 },
        { weight: 30, score: 50 },
        { weight: 20, score: null },
      ]),
    ).toBe(81.3); // (5000 + 1500) / 80
    expect(
      weightedTotal([
        { weight: 60, score: 100 },
        { weight: 40, score: 0 },
      ]),
    ).toBe(60);
    expect(weightedTotal([{ weight: 100, score: null }])).toBeNull();
  });
  it('ranks 1224 by total, leaving sites without a total unranked', () => {
    const rows = rankByTotal([
      { id: 'a', total: 80 },
      { id: 'b', total: 95 },
      { id: 'c', total: 80 },
      { id: 'd', total: null },
      { id: 'e', total: 10 },
    ]);
    expect(rows.map((r) => [r.id, r.rank, r.rankOf])).toEqual([
      ['a', 2, 4],
      ['b', 1, 4],
      ['c', 2, 4],
      ['d', null, 4],
      ['e', 4, 4],
    ]);
  });
});

describe('diagnostics', () => {
  it('flags an idle station, low satisfaction, overdue orders, low resolution and no volunteers', () => {
    const f = figures({ volunteers: 0, ratings: 5, satisfied: 3, ordersDue: 10, ordersResponded: 8, ordersClosedOrDue: 10, ordersSolved: 7 });
    const flags = diagnose('station', f, { date: '2026-08-01', idle: true });
    expect(flags.map((x) => x.code)).toEqual(['no_activity_30d', 'low_satisfaction', 'orders_overdue', 'low_resolution', 'no_volunteers']);
    expect(flags[0]!.message).toBe('近30天没有开展活动（上次活动：2026-08-01）');
    expect(flags[1]!.message).toContain('60%');
    expect(flags[2]!.message).toContain('20%');
  });
  it('stays quiet at the thresholds', () => {
    const f = figures({ ratings: 5, satisfied: 4, ordersDue: 10, ordersResponded: 9, ordersClosedOrDue: 5, ordersSolved: 4 });
    expect(diagnose('station', f, { date: '2026-10-20', idle: false })).toEqual([]);
  });
  it('flags a center when more than 30% of its stations are idle, never a station-only flag', () => {
    expect(diagnose('center', figures({ grassroots: 10, idleGrassroots30d: 4, volunteers: 0 }), { date: null, idle: true }).map((x) => x.code)).toEqual([
      'idle_stations',
    ]);
    expect(diagnose('center', figures({ grassroots: 10, idleGrassroots30d: 3 }), { date: null, idle: true })).toEqual([]);
  });
  it('says when a station never held an activity', () =>
    expect(diagnose('point', figures(), { date: null, idle: true })[0]!.message).toBe('近30天没有开展活动（从未开展过活动）'));
});

describe('suggestions', () => {
  it('lists indicators below target, costliest first', () => {
    const s = suggestions([
      { code: 'S01', name: '月均活动场次', metric: 'activities_per_station_month', target: 1, weight: 50, value: 0.5, score: 50 },
      { code: 'S04', name: '按时响应率', metric: 'response_rate', target: 0.95, weight: 30, value: 0.5, score: 52.6 },
      { code: 'S06', name: '满意率', metric: 'satisfaction_rate', target: 0.9, weight: 10, value: 0.95, score: 100 },
      { code: 'S07', name: '利用率', metric: 'booking_utilization', target: 0.3, weight: 10, value: null, score: null },
    ]);
    expect(s.map((x) => [x.indicatorCode, x.lostPoints])).toEqual([
      ['S01', 27.8], // 50/90 × 50
      ['S04', 15.8], // 30/90 × 47.4
    ]);
    expect(s[0]!.message).toContain('本期 0.5 场/月，目标 1 场/月');
    expect(s[1]!.message).toContain('本期 50%，目标 95%');
  });
});
