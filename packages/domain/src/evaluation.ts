import type { EvaluatedLevel, EvaluationMetric, FlagSeverity, OrgLevel, TIndicatorInput } from '@wenming/contracts';
import { localTime, zonedInstant } from './bookings.ts';

/**
 * 成效评估: periods, the default indicator system, scoring, ranking, diagnostics and suggestions.
 * Pure functions; the server gathers the figures and stores what these return.
 */

// ---------------------------------------------------------------- periods

export interface Period {
  period: string;
  kind: 'month' | 'year';
  /** First instant of the period (local midnight in the city's zone). */
  start: Date;
  /** First instant after it. */
  end: Date;
  /** Calendar months in the period. */
  months: number;
}

export function parsePeriod(period: string, tz: string): Period | null {
  const m = /^(\d{4})(?:-(0[1-9]|1[0-2]))?$/.exec(period);
  if (!m) return null;
  const year = Number(m[1]);
  if (m[2]) {
    const month = Number(m[2]);
    const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
    return { period, kind: 'month', start: zonedInstant(`${year}-${m[2]}-01`, 0, tz), end: zonedInstant(next, 0, tz), months: 1 };
  }
  return { period, kind: 'year', start: zonedInstant(`${year}-01-01`, 0, tz), end: zonedInstant(`${year + 1}-01-01`, 0, tz), months: 12 };
}

/** The month (`YYYY-MM`) and year (`YYYY`) an instant falls in, in a zone. */
export function periodsOf(at: Date, tz: string): { month: string; year: string } {
  const d = localTime(at, tz).date;
  return { month: d.slice(0, 7), year: d.slice(0, 4) };
}

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * The window a period is measured over when computed at `now`: the whole period once it has
 * ended (closed), else from its start until now ("so far"). Months: calendar months of a closed
 * period; of an open year, the months begun so far.
 */
export function measuringWindow(p: Period, now: Date, tz: string): { from: Date; to: Date; closed: boolean; months: number } {
  if (now.getTime() >= p.end.getTime()) return { from: p.start, to: p.end, closed: true, months: p.months };
  const months = p.kind === 'month' ? 1 : Number(localTime(now, tz).date.slice(5, 7));
  return { from: p.start, to: now, closed: false, months };
}

// ---------------------------------------------------------------- the default system

export const LEVEL_ORDER: Record<OrgLevel, number> = { city: 0, center: 1, institute: 2, station: 3, point: 4 };

/**
 * The platform's default indicator system (docs/evaluation.md), in force wherever no org above a
 * site has defined its own. Two groups, each summing to 100: centers and institutes (who run a
 * network of stations) and the grass-roots stations and points (who run activities themselves).
 */
export const DEFAULT_INDICATORS: TIndicatorInput[] = [
  {
    code: 'C01',
    name: '阵地活跃覆盖率',
    metric: 'site_coverage',
    target: 1,
    weight: 20,
    levels: ['center', 'institute'],
    description: '辖区每个实践站/点本期都开展过活动',
  },
  {
    code: 'C02',
    name: '站均月均活动场次',
    metric: 'activities_per_station_month',
    target: 1,
    weight: 20,
    levels: ['center', 'institute'],
    description: '每个实践站每月至少开展1场活动',
  },
  { code: 'C03', name: '站均注册志愿者', metric: 'volunteers_per_site', target: 50, weight: 10, levels: ['center', 'institute'] },
  { code: 'C04', name: '站均月均服务时长', metric: 'service_hours_per_station_month', target: 40, weight: 10, levels: ['center', 'institute'] },
  { code: 'C05', name: '工单按时响应率', metric: 'response_rate', target: 0.95, weight: 15, levels: ['center', 'institute'] },
  { code: 'C06', name: '工单办结率', metric: 'resolution_rate', target: 0.9, weight: 10, levels: ['center', 'institute'] },
  { code: 'C07', name: '群众满意率', metric: 'satisfaction_rate', target: 0.9, weight: 10, levels: ['center', 'institute'] },
  { code: 'C08', name: '场馆预约利用率', metric: 'booking_utilization', target: 0.3, weight: 5, levels: ['center', 'institute'] },
  {
    code: 'S01',
    name: '月均活动场次',
    metric: 'activities_per_station_month',
    target: 1,
    weight: 25,
    levels: ['station', 'point'],
    description: '每月至少开展1场活动',
  },
  { code: 'S02', name: '注册志愿者', metric: 'volunteers_per_site', target: 50, weight: 15, levels: ['station', 'point'] },
  { code: 'S03', name: '月均服务时长', metric: 'service_hours_per_station_month', target: 40, weight: 15, levels: ['station', 'point'] },
  { code: 'S04', name: '工单按时响应率', metric: 'response_rate', target: 0.95, weight: 15, levels: ['station', 'point'] },
  { code: 'S05', name: '工单办结率', metric: 'resolution_rate', target: 0.9, weight: 10, levels: ['station', 'point'] },
  { code: 'S06', name: '群众满意率', metric: 'satisfaction_rate', target: 0.9, weight: 10, levels: ['station', 'point'] },
  { code: 'S07', name: '场馆预约利用率', metric: 'booking_utilization', target: 0.3, weight: 10, levels: ['station', 'point'] },
];

/** Levels an org's own system may cover: the levels strictly below it. */
export function levelsBelow(owner: OrgLevel): EvaluatedLevel[] {
  return (['center', 'institute', 'station', 'point'] as const).filter((l) => LEVEL_ORDER[l] > LEVEL_ORDER[owner]);
}

/** Levels of a system whose weights do not sum to 100 (a level no indicator covers is fine: it inherits). */
export function weightProblems(indicators: Pick<TIndicatorInput, 'weight' | 'levels'>[]): { level: EvaluatedLevel; sum: number }[] {
  const sums = new Map<EvaluatedLevel, number>();
  for (const i of indicators) for (const l of new Set(i.levels)) sums.set(l, (sums.get(l) ?? 0) + i.weight);
  return [...sums].filter(([, s]) => s !== 100).map(([level, sum]) => ({ level, sum }));
}

// ---------------------------------------------------------------- figures and scores

/** What a site's subtree did in the measuring window (all counts over the subtree, the site included). */
export interface SiteFigures {
  /** Sites at station or point level in the subtree. */
  grassroots: number;
  /** Of those, the ones with an activity in the window. */
  activeGrassroots: number;
  /** Of those, the ones without an activity in the 30 days before the window's end. */
  idleGrassroots30d: number;
  activities: number;
  volunteers: number;
  verifiedHours: number;
  ordersDue: number;
  ordersResponded: number;
  ordersClosedOrDue: number;
  ordersSolved: number;
  ratings: number;
  satisfied: number;
  bookedHours: number;
  openHours: number;
  /** Content items published (null where the platform has no content module). */
  contents: number | null;
  months: number;
}

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** A metric's value from the figures; null where it does not apply (nothing to divide by). */
export function metricValue(metric: EvaluationMetric, f: SiteFigures): number | null {
  const perSite = (n: number) => (f.grassroots > 0 ? n / f.grassroots : null);
  switch (metric) {
    case 'site_coverage':
      return f.grassroots > 0 ? round(f.activeGrassroots / f.grassroots, 4) : null;
    case 'volunteers_per_site': {
      const v = perSite(f.volunteers);
      return v === null ? null : round(v, 1);
    }
    case 'activities_per_station_month': {
      const v = perSite(f.activities);
      return v === null || f.months <= 0 ? null : round(v / f.months, 2);
    }
    case 'service_hours_per_station_month': {
      const v = perSite(f.verifiedHours);
      return v === null || f.months <= 0 ? null : round(v / f.months, 1);
    }
    case 'response_rate':
      return f.ordersDue > 0 ? round(f.ordersResponded / f.ordersDue, 4) : null;
    case 'resolution_rate':
      return f.ordersClosedOrDue > 0 ? round(f.ordersSolved / f.ordersClosedOrDue, 4) : null;
    case 'satisfaction_rate':
      return f.ratings > 0 ? round(f.satisfied / f.ratings, 4) : null;
    case 'booking_utilization':
      return f.openHours > 0 ? round(Math.min(1, f.bookedHours / f.openHours), 4) : null;
    case 'contents_per_month':
      return f.contents === null || f.months <= 0 ? null : round(f.contents / f.months, 1);
  }
}

// ---------------------------------------------------------------- fairness (issue 18)

/**
 * A rate over fewer cases than this is not a rate (样本不足): one 5-star rating is not "100 %
 * satisfaction". The same minimum as the departments' figures.
 */
export const EVALUATION_MIN_SAMPLE = 5;

/**
 * Metrics that measure what residents asked of a site (orders, ratings, bookings): a site is
 * neither punished nor rewarded where nobody asked, so without data (or with too few cases) they
 * are left out of the total and their weight shared out. The other metrics measure the site's own
 * work (activities, volunteers, hours, coverage, contents): without data they count 0, never drop.
 */
export const DEMAND_METRICS: readonly EvaluationMetric[] = ['response_rate', 'resolution_rate', 'satisfaction_rate', 'booking_utilization'];

/** ok: measured; insufficient: 样本不足 (some cases, fewer than the minimum); missing: 暂无数据 (nothing to measure). */
export type IndicatorStatus = 'ok' | 'insufficient' | 'missing';

/** The cases a rate is measured over, for the metrics that need a minimum sample. */
export function metricSample(metric: EvaluationMetric, f: SiteFigures): number | null {
  switch (metric) {
    case 'response_rate':
      return f.ordersDue;
    case 'resolution_rate':
      return f.ordersClosedOrDue;
    case 'satisfaction_rate':
      return f.ratings;
    default:
      return null;
  }
}

/**
 * One indicator's value, score and status. Below the minimum sample the value is withheld
 * (null, 样本不足, with the sample beside it); without anything to measure it is 暂无数据.
 * `counted`: whether the indicator enters the total (a work metric always does, at 0 without data).
 */
export function indicatorResult(
  metric: EvaluationMetric,
  target: number,
  f: SiteFigures,
): { value: number | null; score: number | null; status: IndicatorStatus; sample: number | null; counted: boolean } {
  const sample = metricSample(metric, f);
  const raw = metricValue(metric, f);
  const status: IndicatorStatus = raw === null ? 'missing' : sample !== null && sample < EVALUATION_MIN_SAMPLE ? 'insufficient' : 'ok';
  const value = status === 'ok' ? raw : null;
  const demand = DEMAND_METRICS.includes(metric);
  return { value, score: status === 'ok' ? scoreOf(value, target) : demand ? null : 0, status, sample, counted: status === 'ok' || !demand };
}

/** Whether a site did anything of its own in the window: an activity, a volunteer, an hour of service. */
export function siteWorks(f: Pick<SiteFigures, 'activities' | 'volunteers' | 'verifiedHours'>): boolean {
  return f.activities > 0 || f.volunteers > 0 || f.verifiedHours > 0;
}

/** Score against the target: value ÷ target × 100, capped at 100; null when the value is. */
export function scoreOf(value: number | null, target: number): number | null {
  if (value === null) return null;
  if (!(target > 0)) return 100;
  return round(Math.min(100, Math.max(0, (value / target) * 100)), 1);
}

/**
 * Weighted total on a 100 scale over the indicators that apply (weights of the rest are shared
 * out among these in proportion). Null when none applies. An item with `counted` set enters the
 * total by that flag (a work indicator without data counts 0); without it, by having a score.
 */
export function weightedTotal(items: { weight: number; score: number | null; counted?: boolean }[]): number | null {
  const applied = items.filter((i) => (i.counted ?? i.score !== null) && i.score !== null);
  const w = applied.reduce((s, i) => s + i.weight, 0);
  if (w <= 0) return null;
  return round(applied.reduce((s, i) => s + i.weight * i.score!, 0) / w, 1);
}

/**
 * Competition ranking ("1224") by total, highest first; rows without a total are not ranked. A row
 * with `works: false` (a site that did nothing of its own) ranks after every row that works,
 * whatever its total (issue 18: a site with nothing never outranks a site that works).
 */
export function rankByTotal<T extends { total: number | null; works?: boolean }>(rows: T[]): (T & { rank: number | null; rankOf: number })[] {
  const tier = (r: T) => (r.works === false ? 1 : 0);
  const ranked = rows.filter((r) => r.total !== null).sort((a, b) => tier(a) - tier(b) || b.total! - a.total!);
  const rankOf = ranked.length;
  const rankMap = new Map<T, number>();
  ranked.forEach((r, i) => {
    const prev = ranked[i - 1];
    rankMap.set(r, prev && prev.total === r.total && tier(prev) === tier(r) ? rankMap.get(prev)! : i + 1);
  });
  return rows.map((r) => ({ ...r, rank: rankMap.get(r) ?? null, rankOf }));
}

// ---------------------------------------------------------------- diagnostics

export const DIAGNOSTIC_THRESHOLDS = {
  idleDays: 30,
  minSatisfaction: 0.8,
  maxOverdueShare: 0.1,
  minResolution: 0.8,
  /** A center or institute is flagged when more than this share of its stations is idle. */
  maxIdleShare: 0.3,
} as const;

export interface Flag {
  code: 'no_activity_30d' | 'idle_stations' | 'low_satisfaction' | 'orders_overdue' | 'low_resolution' | 'no_volunteers' | 'nothing_done';
  severity: FlagSeverity;
  message: string;
}

const pct = (x: number) => `${round(x * 100, 1)}%`;

/**
 * 诊断性评估: flags with reasons. `last` is the subtree's last activity before the window's end
 * (its local date, or null when there never was one) and whether it lies more than 30 days back.
 */
export function diagnose(level: EvaluatedLevel, f: SiteFigures, last: { date: string | null; idle: boolean }): Flag[] {
  const t = DIAGNOSTIC_THRESHOLDS;
  const flags: Flag[] = [];
  const grassroots = level === 'station' || level === 'point';
  if (grassroots && last.idle)
    flags.push({
      code: 'no_activity_30d',
      severity: 'high',
      message: last.date ? `近${t.idleDays}天没有开展活动（上次活动：${last.date}）` : `近${t.idleDays}天没有开展活动（从未开展过活动）`,
    });
  if (!grassroots && f.grassroots > 0 && f.idleGrassroots30d / f.grassroots > t.maxIdleShare)
    flags.push({ code: 'idle_stations', severity: 'medium', message: `下辖 ${f.idleGrassroots30d}/${f.grassroots} 个实践站/点近${t.idleDays}天没有开展活动` });
  if (f.ratings > 0 && f.satisfied / f.ratings < t.minSatisfaction)
    flags.push({
      code: 'low_satisfaction',
      severity: 'high',
      message: `群众满意率 ${pct(f.satisfied / f.ratings)}，低于 ${pct(t.minSatisfaction)}（${f.ratings} 条评价中 ${f.satisfied} 条满意）`,
    });
  if (f.ordersDue > 0 && (f.ordersDue - f.ordersResponded) / f.ordersDue > t.maxOverdueShare)
    flags.push({
      code: 'orders_overdue',
      severity: 'high',
      message: `超时未响应工单占 ${pct((f.ordersDue - f.ordersResponded) / f.ordersDue)}，超过 ${pct(t.maxOverdueShare)}（到期 ${f.ordersDue} 单，超时 ${f.ordersDue - f.ordersResponded} 单）`,
    });
  if (f.ordersClosedOrDue > 0 && f.ordersSolved / f.ordersClosedOrDue < t.minResolution)
    flags.push({
      code: 'low_resolution',
      severity: 'medium',
      message: `工单办结率 ${pct(f.ordersSolved / f.ordersClosedOrDue)}，低于 ${pct(t.minResolution)}`,
    });
  if (grassroots && f.volunteers === 0) flags.push({ code: 'no_volunteers', severity: 'medium', message: '还没有志愿者在本站点报到' });
  if (!siteWorks(f)) flags.push({ code: 'nothing_done', severity: 'high', message: '本期没有活动、志愿者和服务时长，排名列在有工作的站点之后' });
  return flags;
}

// ---------------------------------------------------------------- suggestions

const fmt = (metric: EvaluationMetric, v: number) => {
  switch (metric) {
    case 'site_coverage':
    case 'response_rate':
    case 'resolution_rate':
    case 'satisfaction_rate':
    case 'booking_utilization':
      return pct(v);
    case 'volunteers_per_site':
      return `${v} 人`;
    case 'activities_per_station_month':
      return `${v} 场/月`;
    case 'service_hours_per_station_month':
      return `${v} 小时/月`;
    case 'contents_per_month':
      return `${v} 条/月`;
  }
};

const ADVICE: Record<EvaluationMetric, string> = {
  site_coverage: '督促未开展活动的站点每月至少组织一场活动，可由所、中心统一配送宣讲和文艺资源',
  volunteers_per_site: '动员党员、在职干部和居民到站点报到注册，组建本社区的志愿服务队',
  activities_per_station_month: '按“8+N”服务菜单和节日节点提前排好活动计划，每个实践站每月至少开展一场活动',
  service_hours_per_station_month: '活动结束后及时签退并审核服务时长，鼓励志愿者常态化参与',
  response_rate: '安排专人值守调度台，按推荐结果及时派单，临近时限的工单优先处理',
  resolution_rate: '跟踪已接单未办结的工单，转办事项督促职能部门按时答复',
  satisfaction_rate: '对低分评价逐条回访，查找服务短板并整改',
  booking_utilization: '公布场馆开放时间，在手机端开放预约，吸引群众和队伍使用阵地',
  contents_per_month: '及时发布活动资讯、政策解读和云讲堂内容，讲好身边的文明实践故事',
};

export interface IndicatorScore {
  code: string;
  name: string;
  metric: EvaluationMetric;
  target: number;
  weight: number;
  value: number | null;
  score: number | null;
}

/**
 * 改进建议: one per indicator below its target, the ones costing the most points first
 * (lost points = the indicator's share of the applied weights × the points it missed).
 */
export function suggestions(items: IndicatorScore[]): { indicatorCode: string; metric: EvaluationMetric; lostPoints: number; message: string }[] {
  const w = items.filter((i) => i.score !== null).reduce((s, i) => s + i.weight, 0);
  if (w <= 0) return [];
  return items
    .filter((i) => i.score !== null && i.score < 100)
    .map((i) => ({
      indicatorCode: i.code,
      metric: i.metric,
      lostPoints: round((i.weight / w) * (100 - i.score!), 1),
      message: `${i.name}：本期${i.value === null ? '暂无数据' : ` ${fmt(i.metric, i.value)}`}，目标 ${fmt(i.metric, i.target)}。${ADVICE[i.metric]}。`,
    }))
    .sort((a, b) => b.lostPoints - a.lostPoints || a.indicatorCode.localeCompare(b.indicatorCode));
}
