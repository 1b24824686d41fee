import { roundHoursDown } from './volunteers.ts';

/** The activity workflow: one literal transition table (API.md "Activities"). */
export const ACTIVITY_STATES = ['draft', 'published', 'cancelled', 'finished'] as const;
export type ActivityState = (typeof ACTIVITY_STATES)[number];
export const ACTIVITY_EVENTS = ['publish', 'cancel', 'finish'] as const;
export type ActivityEvent = (typeof ACTIVITY_EVENTS)[number];

export const ACTIVITY_TRANSITIONS = {
  draft: { publish: 'published', cancel: 'cancelled' },
  published: { cancel: 'cancelled', finish: 'finished' },
  cancelled: {},
  finished: {},
} as const satisfies Record<ActivityState, Partial<Record<ActivityEvent, ActivityState>>>;

export function nextActivityState(state: ActivityState, event: ActivityEvent): ActivityState | null {
  return (ACTIVITY_TRANSITIONS[state] as Partial<Record<ActivityEvent, ActivityState>>)[event] ?? null;
}

export const ACTIVITY_STATE_NAMES: Record<ActivityState, string> = { draft: '草稿', published: '报名中', cancelled: '已取消', finished: '已结束' };

/** Check-in opens 30 minutes before the start and closes at the end; check-out until 2 hours after (API.md). */
export const CHECKIN_OPENS_BEFORE_MS = 30 * 60_000;
export const CHECKOUT_CLOSES_AFTER_MS = 2 * 3600_000;

export function checkinWindow(startsAt: Date, endsAt: Date) {
  return { from: new Date(startsAt.getTime() - CHECKIN_OPENS_BEFORE_MS), to: endsAt };
}
export function checkoutWindow(startsAt: Date, endsAt: Date) {
  return { from: new Date(startsAt.getTime() - CHECKIN_OPENS_BEFORE_MS), to: new Date(endsAt.getTime() + CHECKOUT_CLOSES_AFTER_MS) };
}

/** Attendance below this share of the activity earns no hours unless the organiser overrides. */
export const MIN_ATTENDANCE_SHARE = 0.6;

/**
 * Hours from attendance (API.md): the overlap of [check-in, check-out] with [start, end], rounded
 * down to 0.1 h, capped at 24; `eligible` is false below 60 % of the activity's length.
 */
export function attendanceHours(checkin: Date, checkout: Date, startsAt: Date, endsAt: Date): { hours: number; share: number; eligible: boolean } {
  const from = Math.max(checkin.getTime(), startsAt.getTime());
  const to = Math.min(checkout.getTime(), endsAt.getTime());
  const overlap = Math.max(0, to - from);
  const length = endsAt.getTime() - startsAt.getTime();
  const share = length > 0 ? overlap / length : 0;
  const hours = Math.min(24, roundHoursDown(overlap / 3600_000));
  return { hours, share, eligible: share >= MIN_ATTENDANCE_SHARE && hours > 0 };
}

/** Check-in codes rotate every 30 s; the current and the previous window are accepted. */
export const CODE_WINDOW_MS = 30_000;

export function codeWindow(at: Date): number {
  return Math.floor(at.getTime() / CODE_WINDOW_MS);
}

export function acceptedWindows(at: Date): number[] {
  const w = codeWindow(at);
  return [w, w - 1];
}
