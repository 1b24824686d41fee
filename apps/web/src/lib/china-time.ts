/**
 * Dates and times as people in China read them (Asia/Shanghai, UTC+8 all year, no DST), whatever
 * the device's own zone: the calendar day an instant falls on, its wall-clock time, and day
 * arithmetic on `YYYY-MM-DD` strings.
 */
export const CHINA_TZ = 'Asia/Shanghai';

const formatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: CHINA_TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});

/** The China wall-clock parts of an instant: year, month, day, hour, minute (zero-padded) and weekday (Mon…Sun). */
export function chinaParts(at: string | Date): Record<string, string> {
  return Object.fromEntries(formatter.formatToParts(typeof at === 'string' ? new Date(at) : at).map((x) => [x.type, x.value]));
}

/** 2026-11-23: the China calendar day an instant falls on (now when not given). */
export function chinaDate(at: string | Date = new Date()): string {
  const p = chinaParts(at);
  return `${p.year}-${p.month}-${p.day}`;
}

/** 14:05 (China time). */
export function chinaTime(at: string | Date): string {
  const p = chinaParts(at);
  return `${p.hour}:${p.minute}`;
}

/** Minutes since China midnight. */
export function chinaMinutes(at: string | Date): number {
  const p = chinaParts(at);
  return Number(p.hour) * 60 + Number(p.minute);
}

/** The China calendar day `days` after `date`. */
export function addChinaDays(date: string, days: number): string {
  return chinaDate(new Date(Date.parse(`${date}T12:00:00+08:00`) + days * 86_400_000));
}

/** 1 = Monday … 7 = Sunday, of a China calendar day. */
export function chinaWeekday(date: string): number {
  return ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(chinaParts(new Date(`${date}T12:00:00+08:00`)).weekday!) + 1;
}
