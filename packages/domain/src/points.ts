/**
 * Earning rules (以行积分) and points expiry: pure rules, no I/O. Each rule is set per site and
 * inherited down the org tree: the nearest site on the way up that sets a value wins, else the
 * platform default.
 */
export const POINTS_RULE_KEYS = ['pointsPerHour', 'pointsPerActivity', 'fiveStarBonus', 'pointsPerPairingVisit'] as const;
export type PointsRuleKey = (typeof POINTS_RULE_KEYS)[number];
export type PointsRules = Record<PointsRuleKey, number>;

/** Platform defaults: 10 points per verified hour; the other rules are off until a site sets them. */
export const DEFAULT_POINTS_RULES: PointsRules = { pointsPerHour: 10, pointsPerActivity: 0, fiveStarBonus: 0, pointsPerPairingVisit: 0 };

export interface RuleSetting<O> {
  /** The site that holds the setting. */
  org: O;
  /** Its depth in the tree (the city is 1). */
  depth: number;
  values: Partial<Record<PointsRuleKey, number | null>>;
}

/**
 * The rules in force at a site, from the settings of the site and its ancestors, and for each
 * rule the site it comes from (null: the platform default).
 */
export function resolvePointsRules<O>(settings: RuleSetting<O>[]): { effective: PointsRules; from: Record<PointsRuleKey, O | null> } {
  const sorted = [...settings].sort((a, b) => b.depth - a.depth);
  const effective = { ...DEFAULT_POINTS_RULES };
  const from = Object.fromEntries(POINTS_RULE_KEYS.map((k) => [k, null])) as Record<PointsRuleKey, O | null>;
  for (const k of POINTS_RULE_KEYS) {
    const hit = sorted.find((s) => s.values[k] !== null && s.values[k] !== undefined);
    if (hit) {
      effective[k] = hit.values[k] as number;
      from[k] = hit.org;
    }
  }
  return { effective, from };
}

/**
 * Points that expire now, first in first out: whatever is left of the credits older than the
 * cut-off once every debit so far (spending, reversals, earlier expiries) has been taken from the
 * oldest credits first. Never more than the balance, since the balance is all credits − debits.
 */
export function pointsToExpire(creditsBeforeCutoff: number, debitsSoFar: number): number {
  return Math.max(0, creditsBeforeCutoff - Math.max(0, debitsSoFar));
}

/** The cut-off for an expiry after `months` months: the same instant `months` calendar months earlier (clamped to the month's end). */
export function expiryCutoff(now: Date, months: number): Date {
  const d = new Date(now.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** Ledger reasons that are earnings (shown as 发放 in the monthly report). */
export const EARNING_REASONS = ['service_hours', 'activity_attendance', 'five_star_bonus', 'pairing_visit'] as const;
