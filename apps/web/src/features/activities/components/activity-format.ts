import { ACTIVITY_STATE_NAMES, MIN_ATTENDANCE_SHARE, type ActivityState } from '@wenming/domain';
import type { ActivityDto, SignupDto, SignupRole } from '../api/activities-api';
import { addChinaDays, chinaDate, chinaParts, chinaTime, chinaWeekday as weekdayNumber } from '../../../lib/china-time';

export { addChinaDays, chinaDate, chinaTime };

export { ACTIVITY_STATE_NAMES };

export const STATE_COLORS: Record<ActivityState, string> = { draft: 'default', published: 'green', cancelled: 'default', finished: 'blue' };

export const ROLE_NAMES: Record<SignupRole, string> = { volunteer: '志愿者', resident: '群众' };

export const SIGNUP_STATUS_NAMES: Record<SignupDto['status'], string> = { registered: '已报名', waitlisted: '候补', withdrawn: '已取消报名' };

const WEEKDAYS: Record<string, string> = { Mon: '周一', Tue: '周二', Wed: '周三', Thu: '周四', Fri: '周五', Sat: '周六', Sun: '周日' };

function dayLabel(d: Date, withYear: boolean): string {
  const p = chinaParts(d);
  return `${withYear ? `${p.year}年` : ''}${Number(p.month)}月${Number(p.day)}日 ${WEEKDAYS[p.weekday!] ?? ''}`.trim();
}

/** 11月23日 周六 14:00–16:00, or across days: 11月23日 周六 14:00 – 11月24日 周日 12:00. */
export function formatTimeRange(startsAt: string, endsAt: string): string {
  const s = new Date(startsAt);
  const e = new Date(endsAt);
  const withYear = chinaParts(s).year !== chinaParts(new Date()).year;
  if (chinaDate(s) === chinaDate(e)) return `${dayLabel(s, withYear)} ${chinaTime(s)}–${chinaTime(e)}`;
  return `${dayLabel(s, withYear)} ${chinaTime(s)} – ${dayLabel(e, withYear)} ${chinaTime(e)}`;
}

/** 11月23日 周六 14:00 */
export function formatMoment(iso: string): string {
  const d = new Date(iso);
  return `${dayLabel(d, chinaParts(d).year !== chinaParts(new Date()).year)} ${chinaTime(d)}`;
}

/** ISO with +08:00 for a China calendar day and time, e.g. ("2026-11-23", "23:59:59"). */
export function chinaIso(date: string, time: string): string {
  return `${date}T${time}+08:00`;
}

/** Monday = 0 … Sunday = 6, of a China calendar day. */
export function chinaWeekdayIndex(date: string): number {
  return weekdayNumber(date) - 1;
}

/** Places left of a role (never below 0). */
export function placesLeft(a: ActivityDto, role: SignupRole): number {
  return role === 'volunteer' ? Math.max(0, a.volunteerQuota - a.volunteerRegistered) : Math.max(0, a.publicQuota - a.publicRegistered);
}

/** Where it happens: the address, else the site's name. */
export function placeOf(a: ActivityDto): string {
  return a.address || a.orgName;
}

/** Eligibility in words (empty when anyone may sign up). */
export function eligibilityOf(a: ActivityDto, categoryName: (code: string) => string): string[] {
  const rules: string[] = [];
  if (a.partyOnly) rules.push('仅限党员志愿者');
  if (a.teamOnly) rules.push('仅限本队队员');
  if (a.adultsOnly) rules.push('须年满18周岁');
  if (a.requiredSkills.length) rules.push(`技能要求：${a.requiredSkills.map(categoryName).join('、')}`);
  return rules;
}

/** The share of the activity's time a person was there (0–1), from their check-in and check-out. */
export function attendanceShare(a: Pick<ActivityDto, 'startsAt' | 'endsAt'>, checkinAt: string | null, checkoutAt: string | null): number | null {
  if (!checkinAt || !checkoutAt) return null;
  const s = Date.parse(a.startsAt);
  const e = Date.parse(a.endsAt);
  const overlap = Math.max(0, Math.min(Date.parse(checkoutAt), e) - Math.max(Date.parse(checkinAt), s));
  return e > s ? overlap / (e - s) : 0;
}

export { MIN_ATTENDANCE_SHARE };

/** An attendance share as a whole percent, or — when there is none. */
export const formatShare = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** Whole minutes as 2 小时 5 分钟. */
export function formatDuration(ms: number): string {
  const m = Math.round(ms / 60_000);
  const h = Math.floor(m / 60);
  const r = m % 60;
  if (!h) return `${r} 分钟`;
  return r ? `${h} 小时 ${r} 分钟` : `${h} 小时`;
}

/**
 * What a tag says about an activity: its state, and for a published one where it stands in time
 * (报名中 → 报名截止 → 进行中 → 待结束, the last for organisers: it waits for 结束活动).
 */
export function phaseOf(
  a: Pick<ActivityDto, 'state' | 'signupDeadline' | 'startsAt' | 'endsAt'>,
  opts: { organiser?: boolean; now?: number } = {},
): { label: string; color: string } {
  if (a.state !== 'published') return { label: ACTIVITY_STATE_NAMES[a.state], color: STATE_COLORS[a.state] };
  const now = opts.now ?? Date.now();
  if (now < Date.parse(a.signupDeadline) && now < Date.parse(a.endsAt))
    return now >= Date.parse(a.startsAt) ? { label: '进行中', color: 'cyan' } : { label: '报名中', color: 'green' };
  if (now < Date.parse(a.startsAt)) return { label: '报名截止', color: 'orange' };
  if (now <= Date.parse(a.endsAt)) return { label: '进行中', color: 'cyan' };
  return opts.organiser ? { label: '待结束', color: 'gold' } : { label: '已结束', color: 'default' };
}

/** 周六 (China time) of an instant. */
export function chinaWeekday(iso: string): string {
  return WEEKDAYS[chinaParts(iso).weekday!] ?? '';
}

/** A weekly series in words: 每周六 09:00–10:30，共 8 次 (cancelled occurrences not counted). */
export function weeklyLabel(occurrences: Pick<ActivityDto, 'startsAt' | 'endsAt' | 'state'>[]): string {
  const live = occurrences.filter((o) => o.state !== 'cancelled');
  const first = live[0] ?? occurrences[0];
  if (!first) return '';
  return `每${chinaWeekday(first.startsAt)} ${chinaTime(first.startsAt)}–${chinaTime(first.endsAt)}，共 ${live.length} 次`;
}

/** 11月30日 周日 (the day only, China time). */
export function formatDay(iso: string): string {
  const d = new Date(iso);
  return dayLabel(d, chinaParts(d).year !== chinaParts(new Date()).year);
}
