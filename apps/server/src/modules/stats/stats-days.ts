/**
 * Local days of the statistics (Asia/Shanghai, UTC+8 all year: China has no daylight saving time,
 * so a local day is a fixed 24-hour span and needs no time-zone database).
 */
const OFFSET_MS = 8 * 3_600_000;

/** The local day (YYYY-MM-DD) of an instant. */
export function localDay(t: Date): string {
  return new Date(t.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The first instant of a local day. */
export function dayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The first day of the day's month. */
export function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The last day of the month that starts on `month` (YYYY-MM-01). */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
