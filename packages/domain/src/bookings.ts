/**
 * Resource bookings (场馆预约): the transition table and the rules of open hours, closed dates,
 * horizon and capacity, all in the site's time zone (Asia/Shanghai has no DST, but the code asks
 * Intl for the zone's wall clock rather than assuming an offset).
 */
export const BOOKING_STATES = ['pending', 'approved', 'rejected', 'cancelled', 'checked_in', 'completed', 'no_show'] as const;
export type BookingState = (typeof BOOKING_STATES)[number];
export const BOOKING_EVENTS = ['approve', 'reject', 'cancel', 'checkin', 'complete', 'no_show'] as const;
export type BookingEvent = (typeof BOOKING_EVENTS)[number];

export const BOOKING_TRANSITIONS = {
  pending: { approve: 'approved', reject: 'rejected', cancel: 'cancelled' },
  approved: { cancel: 'cancelled', checkin: 'checked_in', no_show: 'no_show', complete: 'completed' },
  checked_in: { complete: 'completed' },
  rejected: {},
  cancelled: {},
  completed: {},
  no_show: {},
} as const satisfies Record<BookingState, Partial<Record<BookingEvent, BookingState>>>;

export function nextBookingState(state: BookingState, event: BookingEvent): BookingState | null {
  return (BOOKING_TRANSITIONS[state] as Partial<Record<BookingEvent, BookingState>>)[event] ?? null;
}

/** States that hold the slot. */
export const HOLDING_STATES: BookingState[] = ['pending', 'approved', 'checked_in'];

export const BOOKING_STATE_NAMES: Record<BookingState, string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '未通过',
  cancelled: '已取消',
  checked_in: '已签到',
  completed: '已完成',
  no_show: '未到场',
};

export interface OpenHours {
  weekday: number; // 1 = Monday … 7 = Sunday
  open: string; // HH:MM
  close: string; // HH:MM (24:00 allowed)
}

export interface LocalTime {
  date: string; // YYYY-MM-DD
  weekday: number;
  minutes: number; // since local midnight
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
export function localTime(at: Date, tz: string): LocalTime {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    fmtCache.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday!) + 1,
    minutes: Number(p.hour) * 60 + Number(p.minute),
  };
}

export const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The open intervals of a weekday, merged where they touch or overlap. */
export function openIntervals(hours: OpenHours[], weekday: number): [number, number][] {
  const list = hours
    .filter((h) => h.weekday === weekday)
    .map((h) => [toMinutes(h.open), toMinutes(h.close)] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const iv of list) {
    const last = merged.at(-1);
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([...iv]);
  }
  return merged;
}

export type BookingRuleError = 'closed_date' | 'outside_hours' | 'past' | 'too_far_ahead' | 'over_capacity' | 'multi_day';

/**
 * Whether [startsAt, endsAt) fits the resource's rules; null when it does. A booking lies within
 * one local day and inside one open interval of that weekday (so it may cross noon when the
 * room is open through noon, but not a closed lunch break).
 */
export function checkBooking(
  b: { startsAt: Date; endsAt: Date; attendees?: number },
  r: { openHours: OpenHours[]; closedDates: string[]; capacity: number | null; maxDaysAhead: number; timeZone: string },
  now: Date,
): BookingRuleError | null {
  if (b.startsAt.getTime() < now.getTime()) return 'past';
  if (b.startsAt.getTime() > now.getTime() + r.maxDaysAhead * 86_400_000) return 'too_far_ahead';
  if (r.capacity !== null && (b.attendees ?? 1) > r.capacity) return 'over_capacity';
  const s = localTime(b.startsAt, r.timeZone);
  const last = localTime(new Date(b.endsAt.getTime() - 1), r.timeZone);
  if (s.date !== last.date) return 'multi_day';
  if (r.closedDates.includes(s.date)) return 'closed_date';
  // Zone offsets are whole minutes, so seconds carry over from UTC unchanged.
  const startExact = s.minutes + (b.startsAt.getUTCSeconds() * 1000 + b.startsAt.getUTCMilliseconds()) / 60_000;
  const endExact = startExact + (b.endsAt.getTime() - b.startsAt.getTime()) / 60_000;
  const fits = openIntervals(r.openHours, s.weekday).some(([o, c]) => startExact >= o && endExact <= c);
  return fits ? null : 'outside_hours';
}

export const BOOKING_RULE_MESSAGES: Record<BookingRuleError, { zh: string; en: string }> = {
  closed_date: { zh: '该日期闭馆，不可预约', en: 'Closed on that date' },
  outside_hours: { zh: '不在开放时间内', en: 'Outside the open hours' },
  past: { zh: '不能预约已经过去的时间', en: 'That time has passed' },
  too_far_ahead: { zh: '超出可提前预约的天数', en: 'Beyond the booking horizon' },
  over_capacity: { zh: '人数超过场地容量', en: 'More people than the capacity' },
  multi_day: { zh: '单次预约不能跨天', en: 'A booking cannot span days' },
};

/** The instant of a wall-clock time (local date + minutes since midnight) in a time zone. */
export function zonedInstant(date: string, minutes: number, tz: string): Date {
  const guess = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  const lt = localTime(new Date(guess), tz);
  const wall = Date.parse(`${lt.date}T00:00:00Z`) + lt.minutes * 60_000;
  return new Date(guess - (wall - guess));
}

/** Open minutes of a resource over a run of local dates (closed dates excluded). */
export function openMinutesBetween(hours: OpenHours[], closedDates: string[], fromDate: string, days: number, tz: string): number {
  let total = 0;
  for (let i = 0; i < days; i++) {
    const instant = new Date(Date.parse(`${fromDate}T12:00:00Z`) + i * 86_400_000);
    const lt = localTime(instant, tz);
    if (closedDates.includes(lt.date)) continue;
    for (const [o, c] of openIntervals(hours, lt.weekday)) total += c - o;
  }
  return total;
}
