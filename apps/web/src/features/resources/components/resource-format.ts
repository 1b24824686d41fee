import { BOOKING_STATE_NAMES, type BookingState, type OpenHours } from '@wenming/domain';
import type { ResourceCategory } from '@wenming/contracts';
import { isApiError } from '../../../lib/api-client';
import { addChinaDays, CHINA_TZ, chinaDate, chinaMinutes, chinaTime, chinaWeekday } from '../../../lib/china-time';

export { BOOKING_STATE_NAMES };

export { CHINA_TZ as TZ, chinaDate, chinaTime, chinaMinutes, addChinaDays as addDays, chinaWeekday as weekdayOf };

export const CATEGORY_NAMES: Record<ResourceCategory, string> = {
  venue: '场馆阵地',
  base: '教育基地',
  facility: '文体设施',
  talent: '人才师资',
  equipment: '物资设备',
};

export const BOOKING_STATE_COLORS: Record<BookingState, string> = {
  pending: 'orange',
  approved: 'green',
  rejected: 'red',
  cancelled: 'default',
  checked_in: 'blue',
  completed: 'cyan',
  no_show: 'magenta',
};

export const WEEKDAY_NAMES = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** The Monday of a date's week. */
export function mondayOf(date: string): string {
  return addChinaDays(date, 1 - chinaWeekday(date));
}

/** ISO instant of a China date and minutes since midnight (Asia/Shanghai has no DST). */
export function chinaInstant(date: string, minutes: number): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + minutes * 60_000).toISOString();
}

export const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
export const toMinutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/** 11月23日 周一 */
export function dayLabel(date: string, withWeekday = true): string {
  const [, m, d] = date.split('-');
  return `${Number(m)}月${Number(d)}日${withWeekday ? ` ${WEEKDAY_NAMES[chinaWeekday(date) - 1]}` : ''}`;
}

/** 今天 / 明天 / 后天 / 周三 */
export function relativeDay(date: string): string {
  const today = chinaDate();
  if (date === today) return '今天';
  if (date === addChinaDays(today, 1)) return '明天';
  if (date === addChinaDays(today, 2)) return '后天';
  return WEEKDAY_NAMES[chinaWeekday(date) - 1]!;
}

/** 11月23日 周一 14:00–16:00 */
export function formatSlot(startsAt: string, endsAt: string): string {
  return `${dayLabel(chinaDate(startsAt))} ${chinaTime(startsAt)}–${chinaTime(endsAt)}`;
}

/** Open hours of one weekday as text: 08:30–11:30、14:30–21:00, or 不开放. */
export function hoursOfDay(hours: OpenHours[], weekday: number): string {
  const list = hours
    .filter((h) => h.weekday === weekday)
    .sort((a, b) => a.open.localeCompare(b.open))
    .map((h) => `${h.open}–${h.close}`);
  return list.length ? list.join('、') : '不开放';
}

/** Weekly hours in a few lines, consecutive days with the same hours grouped: 周一至周五 09:00–12:00、14:00–17:30. */
export function weeklyHoursSummary(hours: OpenHours[]): string[] {
  const lines: string[] = [];
  let start = 1;
  for (let d = 1; d <= 7; d++) {
    const cur = hoursOfDay(hours, d);
    if (d === 7 || hoursOfDay(hours, d + 1) !== cur) {
      if (cur !== '不开放') lines.push(`${start === d ? WEEKDAY_NAMES[d - 1] : `${WEEKDAY_NAMES[start - 1]}至${WEEKDAY_NAMES[d - 1]}`} ${cur}`);
      start = d + 1;
    }
  }
  return lines.length ? lines : ['暂未设置开放时间'];
}

/** Is the resource open at all on a date (weekday hours, not a closed date)? */
export function openOn(r: { openHours: OpenHours[]; closedDates: string[] }, date: string): boolean {
  return !r.closedDates.includes(date) && r.openHours.some((h) => h.weekday === chinaWeekday(date));
}

export const formatHours = (h: number) => (Number.isInteger(h) ? `${h}` : h.toFixed(1));
export const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/**
 * A server refusal in plain Chinese: 409 BOOKING_CONFLICT and 422 RULE_VIOLATION say which rule;
 * the rest as the server put it.
 */
export function bookingErrorText(e: unknown): { title: string; detail?: string } {
  if (!isApiError(e)) return { title: '预约失败，请稍后重试' };
  if (e.code === 'BOOKING_CONFLICT') return { title: '这个时段刚被别人约走了', detail: `${e.message}。请换一个空闲时段。` };
  if (e.code === 'RULE_VIOLATION') return { title: '不符合预约规则', detail: e.message };
  if (e.code === 'VALIDATION_FAILED') return { title: '请检查填写的内容', detail: [e.message, ...e.details.map((d) => d.message)].filter(Boolean).join('；') };
  if (e.code === 'NETWORK') return { title: '网络连接失败', detail: '请检查网络后再点一次“提交预约”，不会重复预约。' };
  return { title: e.message };
}
