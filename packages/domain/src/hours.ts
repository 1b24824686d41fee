/**
 * Hours plausibility (issue 18): the hours claimed for a service are checked against the time the
 * platform saw it take — the order's start to its completion, the check-in to the check-out, and
 * for an activity the activity's own times too. A claim beyond that (with a little grace for
 * rounding and a late tap on 开始服务) is flagged to the reviewer with the evidence, and can be
 * verified only with an explicit override and its reason.
 */

/** Grace over the observed time, in hours: rounding to 0.1 h and a start pressed a little late. */
export const HOURS_GRACE = 0.5;

export interface HoursEvidence {
  claimed: number;
  startedAt: Date | null;
  endedAt: Date | null;
  /** The activity's scheduled times, for an activity's record. */
  window?: { startsAt: Date; endsAt: Date } | null;
}

export interface HoursCheck {
  /** ok: within the observed time; implausible: beyond it; unknown: no times to check against. */
  verdict: 'ok' | 'implausible' | 'unknown';
  claimed: number;
  /** The observed time in hours (one decimal), the smaller of the record's and the activity's. */
  observedHours: number | null;
  /** The most that passes without an override. */
  maxHours: number | null;
  /** The evidence in words, for the reviewer; null when ok. */
  reason: string | null;
}

const round1 = (h: number) => Math.round(h * 10) / 10;
const span = (a: Date, b: Date) => Math.max(0, (b.getTime() - a.getTime()) / 3_600_000);

/** Formats a duration for people: "0.8 秒", "12 分钟", "1.5 小时". */
export function formatDuration(hours: number): string {
  const s = hours * 3600;
  if (s < 60) return `${Math.round(s * 10) / 10} 秒`;
  if (s < 3600) return `${Math.round(s / 60)} 分钟`;
  return `${round1(hours)} 小时`;
}

export function checkClaimedHours(e: HoursEvidence): HoursCheck {
  const claimed = round1(e.claimed);
  const spans: { hours: number; label: string }[] = [];
  if (e.startedAt && e.endedAt) spans.push({ hours: span(e.startedAt, e.endedAt), label: '开始至完成' });
  if (e.window) spans.push({ hours: span(e.window.startsAt, e.window.endsAt), label: '活动时间' });
  if (!spans.length) return { verdict: 'unknown', claimed, observedHours: null, maxHours: null, reason: null };
  const tightest = spans.reduce((a, b) => (b.hours < a.hours ? b : a));
  const observed = tightest.hours;
  const max = round1(observed + HOURS_GRACE);
  if (claimed <= max) return { verdict: 'ok', claimed, observedHours: round1(observed), maxHours: max, reason: null };
  return {
    verdict: 'implausible',
    claimed,
    observedHours: round1(observed),
    maxHours: max,
    reason: `申报 ${claimed} 小时，但${tightest.label}仅 ${formatDuration(observed)}`,
  };
}
