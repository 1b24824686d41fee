/** Rules of training and honours (issue 21) with no I/O. Dates are China dates, YYYY-MM-DD. */

/** A qualification counts on `day` unless revoked or past its last valid day (valid_until is inclusive). */
export function qualificationValid(q: { validUntil: string | null; revokedAt?: Date | string | null }, day: string): boolean {
  if (q.revokedAt) return false;
  return q.validUntil === null || q.validUntil >= day;
}

/** The last valid day of a qualification earned on `from` and valid for `months` (none: no expiry). */
export function qualificationExpiry(from: string, months: number | null): string | null {
  if (!months) return null;
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  // The day before the same date `months` later (a month end stays a month end).
  const end = new Date(Date.UTC(ty, tm - 1, Math.min(d, lastDay)) - 86_400_000);
  return end.toISOString().slice(0, 10);
}

/** The names of `required` the holder lacks on `day` (all required ones must be valid). */
export function missingQualifications(
  required: string[],
  held: { name: string; validUntil: string | null; revokedAt?: Date | string | null }[],
  day: string,
): string[] {
  return required.filter((name) => !held.some((q) => q.name === name && qualificationValid(q, day)));
}

export type HonourRoundState = 'nominating' | 'voting' | 'closed';
export const HONOUR_ROUND_EVENTS = ['openVoting', 'close'] as const;
export type HonourRoundEvent = (typeof HONOUR_ROUND_EVENTS)[number];

/** A selection round: 推荐 (nominations and their review) → 投票 → 结束 (honours awarded). */
export function nextHonourRoundState(state: HonourRoundState, event: HonourRoundEvent): HonourRoundState | null {
  if (event === 'openVoting') return state === 'nominating' ? 'voting' : null;
  if (event === 'close') return state === 'voting' ? 'closed' : null;
  return null;
}

/** Voting is open on the China days [from, to] of a round in the voting state. */
export function votingOpen(round: { state: HonourRoundState; votingStartsOn: string; votingEndsOn: string }, day: string): boolean {
  return round.state === 'voting' && day >= round.votingStartsOn && day <= round.votingEndsOn;
}
