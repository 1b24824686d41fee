import { FESTIVAL_NAMES, festivalDate, type Festival } from './pairing-festivals.ts';

export * from './pairing-festivals.ts';

/**
 * 结对帮扶 (pairing): a plan pairs a group of volunteers with elderly residents; its recurring
 * rules (weekly visit, monthly gathering, festival visits) expand into visit tasks.
 */

// ── The plan workflow ──────────────────────────────────────────────────────────────────────
export const PAIRING_PLAN_STATES = ['active', 'paused', 'ended'] as const;
export type PairingPlanState = (typeof PAIRING_PLAN_STATES)[number];
export const PAIRING_PLAN_EVENTS = ['pause', 'resume', 'end'] as const;
export type PairingPlanEvent = (typeof PAIRING_PLAN_EVENTS)[number];

export const PAIRING_PLAN_TRANSITIONS = {
  active: { pause: 'paused', end: 'ended' },
  paused: { resume: 'active', end: 'ended' },
  ended: {},
} as const satisfies Record<PairingPlanState, Partial<Record<PairingPlanEvent, PairingPlanState>>>;

export function nextPairingPlanState(state: PairingPlanState, event: PairingPlanEvent): PairingPlanState | null {
  return (PAIRING_PLAN_TRANSITIONS[state] as Partial<Record<PairingPlanEvent, PairingPlanState>>)[event] ?? null;
}

export const PAIRING_PLAN_STATE_NAMES: Record<PairingPlanState, string> = { active: '进行中', paused: '已暂停', ended: '已结束' };

// ── The task workflow ──────────────────────────────────────────────────────────────────────
export const PAIRING_TASK_STATES = ['open', 'done', 'missed', 'cancelled'] as const;
export type PairingTaskState = (typeof PAIRING_TASK_STATES)[number];
/** log / miss: by a paired volunteer or staff; cancel / reopen: by the plan (pause, resume, rule change). */
export const PAIRING_TASK_EVENTS = ['log', 'miss', 'cancel', 'reopen'] as const;
export type PairingTaskEvent = (typeof PAIRING_TASK_EVENTS)[number];

export const PAIRING_TASK_TRANSITIONS = {
  open: { log: 'done', miss: 'missed', cancel: 'cancelled' },
  done: {},
  missed: {},
  cancelled: { reopen: 'open' },
} as const satisfies Record<PairingTaskState, Partial<Record<PairingTaskEvent, PairingTaskState>>>;

export function nextPairingTaskState(state: PairingTaskState, event: PairingTaskEvent): PairingTaskState | null {
  return (PAIRING_TASK_TRANSITIONS[state] as Partial<Record<PairingTaskEvent, PairingTaskState>>)[event] ?? null;
}

export const PAIRING_TASK_STATE_NAMES: Record<PairingTaskState, string> = { open: '待探访', done: '已完成', missed: '未能探访', cancelled: '已取消' };

// ── Rules and their expansion ──────────────────────────────────────────────────────────────
export const PAIRING_TASK_KINDS = ['weekly', 'monthly', 'holiday'] as const;
export type PairingTaskKind = (typeof PAIRING_TASK_KINDS)[number];
export const PAIRING_TASK_KIND_NAMES: Record<PairingTaskKind, string> = { weekly: '每周探访', monthly: '每月相聚', holiday: '节日探访' };

export interface PairingRules {
  /** weekday 1 = Monday … 7 = Sunday; time "HH:MM" (Asia/Shanghai). */
  weekly: { weekday: number; time: string }[];
  /** day 1..31; in a shorter month a day past its end falls on the month's last day. */
  monthly: { day: number; time: string }[];
  holidays: { festival: Festival; time: string }[];
}

export interface ScheduledVisit {
  /** Local date (Asia/Shanghai), YYYY-MM-DD. */
  date: string;
  time: string;
  kind: PairingTaskKind;
  label: string;
}

export const WEEKDAY_NAMES = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const;

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(d: string): number {
  const m = DATE_RE.exec(d);
  if (!m) throw new Error(`not a date: ${d}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
}
function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** YYYY-MM-DD plus n days. */
export function addDays(date: string, n: number): string {
  return formatDate(parseDate(date) + n * DAY_MS);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(parseDate(date)).getUTCDay();
  return d === 0 ? 7 : d;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The local calendar date of an instant in a time zone (default Asia/Shanghai). */
export function localDate(at: Date, timeZone = 'Asia/Shanghai'): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The instant of a local date and time in China (UTC+8, no daylight saving). */
export function chinaInstant(date: string, time: string): Date {
  return new Date(`${date}T${time}:00+08:00`);
}

/**
 * Expands a plan's rules into visits on the local dates [from, to] (inclusive), clipped to the
 * plan's [startsOn, endsOn]. At most one visit per date and kind (the first rule wins), sorted
 * by date, time and kind. Festivals outside the shipped table (2025–2030) produce nothing.
 */
export function expandPairingSchedule(rules: PairingRules, bounds: { startsOn: string; endsOn: string | null; from: string; to: string }): ScheduledVisit[] {
  const lo = bounds.from > bounds.startsOn ? bounds.from : bounds.startsOn;
  const hi = bounds.endsOn !== null && bounds.endsOn < bounds.to ? bounds.endsOn : bounds.to;
  if (lo > hi) return [];
  const out: ScheduledVisit[] = [];
  const seen = new Set<string>();
  const push = (v: ScheduledVisit) => {
    const key = `${v.date}|${v.kind}`;
    if (v.date < lo || v.date > hi || seen.has(key)) return;
    seen.add(key);
    out.push(v);
  };
  const loMs = parseDate(lo);
  const hiMs = parseDate(hi);
  for (let ms = loMs; ms <= hiMs; ms += DAY_MS) {
    const date = formatDate(ms);
    const wd = isoWeekday(date);
    for (const w of rules.weekly)
      if (w.weekday === wd) push({ date, time: w.time, kind: 'weekly', label: `${PAIRING_TASK_KIND_NAMES.weekly}（${WEEKDAY_NAMES[wd]}）` });
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const last = daysInMonth(y, m);
    for (const r of rules.monthly)
      if (Math.min(r.day, last) === d) push({ date, time: r.time, kind: 'monthly', label: `${PAIRING_TASK_KIND_NAMES.monthly}（${m}月）` });
  }
  const fromYear = +lo.slice(0, 4);
  const toYear = +hi.slice(0, 4);
  for (let y = fromYear; y <= toYear; y++)
    for (const h of rules.holidays) {
      const date = festivalDate(h.festival, y);
      if (date) push({ date, time: h.time, kind: 'holiday', label: `${FESTIVAL_NAMES[h.festival]}探访` });
    }
  const order: Record<PairingTaskKind, number> = { holiday: 0, monthly: 1, weekly: 2 };
  return out.sort((a, b) => (a.date === b.date ? (a.time === b.time ? order[a.kind] - order[b.kind] : a.time < b.time ? -1 : 1) : a.date < b.date ? -1 : 1));
}

/** An open task whose local due date is before today is overdue (shown highlighted to staff). */
export function isPairingTaskOverdue(state: PairingTaskState, dueOn: string, today: string): boolean {
  return state === 'open' && dueOn < today;
}

/** A visit may be logged from the day before its due date on (a visit a day early still counts). */
export const PAIRING_LOG_EARLY_DAYS = 1;
export function mayLogPairingVisit(dueOn: string, today: string): boolean {
  return addDays(dueOn, -PAIRING_LOG_EARLY_DAYS) <= today;
}

/** How far ahead the job creates tasks. */
export const PAIRING_HORIZON_DAYS = 14;

/** Care notes staff pick from (free text is allowed too). */
export const PAIRING_CARE_TAGS = ['独居', '空巢', '失能', '半失能', '高龄', '失独', '残疾', '低保', '慢性病', '优抚对象'] as const;
