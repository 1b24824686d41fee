import { pointsForHours, resolvePointsRules, type PointsRules } from '@wenming/domain';
import type { Executor } from '../../db/client.ts';
import type { PointsRepository } from './points.repository.ts';

/** What the earning rules need of a service record. */
export interface EarningRecord {
  cityCode: string;
  id: string;
  orgId: string;
  orgPath: string;
  volunteerUserId: string;
  sourceType: 'activity' | 'order' | 'manual' | 'pairing';
  sourceId: string;
  hours: number;
  title: string | null;
}

/**
 * 以行积分: the earning rules applied where their sources happen, inside the caller's transaction.
 * Every credit is one ledger row keyed by (user, reason, source), so each source earns exactly
 * once however often it is replayed; corrections are reversal rows of the amount once credited.
 */
export function createPointsEarning(deps: { points: PointsRepository; clock?: () => Date }) {
  const { points } = deps;
  const now = deps.clock ?? (() => new Date());

  async function rulesAt(tx: Executor, cityCode: string, orgPath: string): Promise<PointsRules> {
    const settings = await points.ruleSettings(cityCode, orgPath, tx);
    return resolvePointsRules(settings.map((s) => ({ org: s.orgId, depth: s.depth, values: s.values }))).effective;
  }

  /** The extra credits a verified record earns beside its hours, as [reason, sourceType, sourceId, points]. */
  function extras(r: EarningRecord, rules: PointsRules): [string, string, string, number][] {
    const out: [string, string, string, number][] = [];
    // Once per activity attended (whatever the hours), keyed by the activity.
    if (r.sourceType === 'activity' && rules.pointsPerActivity > 0) out.push(['activity_attendance', 'activity', r.sourceId, rules.pointsPerActivity]);
    // Once per pairing visit, keyed by its service record.
    if (r.sourceType === 'pairing' && rules.pointsPerPairingVisit > 0) out.push(['pairing_visit', 'service_record', r.id, rules.pointsPerPairingVisit]);
    return out;
  }

  return {
    rulesAt,

    /** A service record was verified: points for its hours, and per attended activity or pairing visit. Returns the points credited. */
    async onRecordVerified(tx: Executor, r: EarningRecord): Promise<number> {
      const rules = await rulesAt(tx, r.cityCode, r.orgPath);
      let total = 0;
      const pts = pointsForHours(r.hours, rules.pointsPerHour);
      if (
        pts > 0 &&
        (await points.post(tx, {
          cityCode: r.cityCode,
          userId: r.volunteerUserId,
          delta: pts,
          reason: 'service_hours',
          sourceType: 'service_record',
          sourceId: r.id,
          note: r.title,
          orgId: r.orgId,
          at: now(),
        }))
      )
        total += pts;
      for (const [reason, sourceType, sourceId, n] of extras(r, rules))
        if (
          await points.post(tx, {
            cityCode: r.cityCode,
            userId: r.volunteerUserId,
            delta: n,
            reason,
            sourceType,
            sourceId,
            note: r.title,
            orgId: r.orgId,
            at: now(),
          })
        )
          total += n;
      return total;
    },

    /**
     * A verified record was revoked: reversal rows for exactly what it credited (its hours, and
     * the activity or visit credit). A balance already spent below that fails on the CHECK.
     */
    async onRecordRevoked(tx: Executor, r: EarningRecord, note: string): Promise<number> {
      const credited: [string, string, string][] = [
        ['service_hours', 'service_record', r.id],
        ['activity_attendance', 'activity', r.sourceId],
        ['pairing_visit', 'service_record', r.id],
      ];
      let total = 0;
      for (const [reason, sourceType, sourceId] of credited) {
        if (reason === 'activity_attendance' && r.sourceType !== 'activity') continue;
        const row = await points.entry(tx, r.cityCode, r.volunteerUserId, reason, sourceType, sourceId);
        if (!row || row.delta <= 0) continue;
        if (
          await points.post(tx, {
            cityCode: r.cityCode,
            userId: r.volunteerUserId,
            delta: -row.delta,
            reason: `${reason}_revoked`,
            sourceType,
            sourceId,
            note,
            orgId: r.orgId,
            at: now(),
          })
        )
          total += row.delta;
      }
      return total;
    },

    /** A resident rated an order 5 stars: the bonus of the order's site for each volunteer who served it, once per order. */
    async onOrderRated(
      tx: Executor,
      o: { cityCode: string; id: string; orgId: string; orgPath: string; code: string },
      score: number,
      servingUserIds: string[],
    ): Promise<number> {
      if (score !== 5 || !servingUserIds.length) return 0;
      const rules = await rulesAt(tx, o.cityCode, o.orgPath);
      if (rules.fiveStarBonus <= 0) return 0;
      let total = 0;
      for (const userId of new Set(servingUserIds))
        if (
          await points.post(tx, {
            cityCode: o.cityCode,
            userId,
            delta: rules.fiveStarBonus,
            reason: 'five_star_bonus',
            sourceType: 'order',
            sourceId: o.id,
            note: `工单 ${o.code}`,
            orgId: o.orgId,
            at: now(),
          })
        )
          total += rules.fiveStarBonus;
      return total;
    },
  };
}

export type PointsEarning = ReturnType<typeof createPointsEarning>;
