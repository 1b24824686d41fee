import crypto from 'node:crypto';
import { POINTS_RULE_KEYS, expiryCutoff, pointsToExpire, resolvePointsRules, zonedInstant, localTime, type PointsRuleKey } from '@wenming/domain';
import type { PointsReportDto, PointsRulesDto, TPointsReportQuery } from '@wenming/contracts';
import type { Db } from '../../db/client.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { DEFAULT_TZ, toIso } from '../../lib/time.ts';
import { assertInScope, assertStaff, inScope, MANAGE_ROLES, READ_ROLES, requireActor, scopeOf, type RequestCtx } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { PointsRepository } from './points.repository.ts';

/** A deterministic UUID (v8 layout) for an expiry row: one per account per day of expiry. */
function expirySourceId(cityCode: string, userId: string, day: string): string {
  const h = crypto.createHash('sha256').update(`points-expiry:${cityCode}:${userId}:${day}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** First instant of a month (YYYY-MM) in China time. */
const monthStartOf = (month: string) => zonedInstant(`${month}-01`, 0, DEFAULT_TZ);
const monthOf = (t: Date) => localTime(t, DEFAULT_TZ).date.slice(0, 7);
function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

export function createPointsService(deps: { db?: Db; points: PointsRepository; orgs?: OrgsRepository; audit?: AuditRepository; clock?: () => Date }) {
  const { points } = deps;
  const now = deps.clock ?? (() => new Date());
  const need = <T>(x: T | undefined, name: string): T => {
    if (!x) throw new Error(`points service: ${name} not wired`);
    return x;
  };

  async function rulesDto(org: { id: string; name: string; cityCode: string; path: string }, canEdit: boolean): Promise<PointsRulesDto> {
    const settings = await points.ruleSettings(org.cityCode, org.path);
    const resolved = resolvePointsRules(settings.map((s) => ({ org: { orgId: s.orgId, orgName: s.orgName }, depth: s.depth, values: s.values })));
    const own = settings.find((s) => s.orgId === org.id)?.values;
    return {
      orgId: org.id,
      orgName: org.name,
      own: Object.fromEntries(POINTS_RULE_KEYS.map((k) => [k, own?.[k] ?? null])) as PointsRulesDto['own'],
      effective: resolved.effective,
      from: resolved.from,
      canEdit,
    };
  }

  return {
    /** GET /points/me: the balance (all cities the user earned in) and the latest ledger rows. */
    async mine(ctx: RequestCtx, limit = 100) {
      const actor = requireActor(ctx);
      const accounts = await points.balances(actor.userId);
      const rows = await points.ledger(actor.userId, limit);
      return {
        balance: accounts.reduce((s, a) => s + a.balance, 0),
        earned: accounts.reduce((s, a) => s + a.earned, 0),
        spent: accounts.reduce((s, a) => s + a.spent, 0),
        items: rows.map((r) => ({
          at: toIso(r.createdAt),
          delta: r.delta,
          reason: r.reason,
          refType: r.sourceType,
          refId: r.sourceId,
          note: r.note,
          cityCode: r.cityCode,
        })),
      };
    },

    /** GET /points/rules?orgId=: the rules a site sets, those in force there and where each comes from. */
    async rules(ctx: RequestCtx, orgId: string): Promise<PointsRulesDto> {
      const actor = requireActor(ctx);
      const org = await need(deps.orgs, 'orgs').byId(orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      assertInScope(actor, READ_ROLES, { cityCode: org.cityCode, path: org.path });
      return rulesDto(org, inScope(scopeOf(actor, MANAGE_ROLES), { cityCode: org.cityCode, path: org.path }));
    },

    /** PUT /points/rules: set some rules of a site (null: inherit), audited. */
    async setRules(ctx: RequestCtx, body: { orgId: string } & Partial<Record<PointsRuleKey, number | null>>) {
      const actor = requireActor(ctx);
      const org = await need(deps.orgs, 'orgs').byId(body.orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      assertInScope(actor, MANAGE_ROLES, { cityCode: org.cityCode, path: org.path });
      const patch = Object.fromEntries(POINTS_RULE_KEYS.filter((k) => body[k] !== undefined).map((k) => [k, body[k]])) as Partial<
        Record<PointsRuleKey, number | null>
      >;
      const before = await rulesDto(org, true);
      await need(deps.db, 'db').transaction(async (tx) => {
        await points.setRules(org.cityCode, org.id, patch, tx);
        await need(deps.audit, 'audit').record(
          ctx,
          { cityCode: org.cityCode, action: 'points.rule', entityType: 'org', entityId: org.id, before: before.own, after: patch },
          tx,
        );
      });
      const rules = await rulesDto(org, true);
      // pointsPerHour / effective: the shape this endpoint answered before the other rules existed.
      return { orgId: org.id, pointsPerHour: rules.own.pointsPerHour, effective: rules.effective.pointsPerHour, rules };
    },

    /** The monthly report of a subtree: points issued, deducted and redeemed per site per month, and the stock. */
    async report(ctx: RequestCtx, q: TPointsReportQuery): Promise<PointsReportDto> {
      const actor = requireActor(ctx);
      const scope = assertStaff(actor);
      let org: { id: string; name: string; cityCode: string; path: string } | null = null;
      if (q.orgId) {
        org = await need(deps.orgs, 'orgs').byId(q.orgId);
        if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
        if (!inScope(scope, { cityCode: org.cityCode, path: org.path }))
          throw new AppError('FORBIDDEN', { zh: '该阵地不在您的管辖范围内', en: 'This site is outside your scope' });
      } else if (!scope.all) {
        const first = scope.subtrees[0]!;
        const grant = actor.grants.find((g) => g.cityCode === first.cityCode && g.orgPath === first.path)!;
        org = await need(deps.orgs, 'orgs').byId(grant.orgId);
      }
      const to = q.to ?? monthOf(now());
      const from = q.from ?? addMonths(to, -5);
      if (from > to) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'query.from', message: '起始月份不能晚于结束月份' }]);
      if (addMonths(from, 36) <= to) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'query.from', message: '一次最多统计36个月' }]);
      const range = { from: monthStartOf(from), to: monthStartOf(addMonths(to, 1)) };
      const f = { cityCode: org?.cityCode, path: org?.path, ...range };
      const rows = await points.report({ ...f, tz: DEFAULT_TZ });
      const stock = await points.stock(f);
      const totals = rows.reduce(
        (t, r) => ({
          issued: t.issued + r.issued,
          deducted: t.deducted + r.deducted,
          redeemed: t.redeemed + r.redeemed,
          redemptions: t.redemptions + r.redemptions,
        }),
        { issued: 0, deducted: 0, redeemed: 0, redemptions: 0 },
      );
      return {
        orgId: org?.id ?? null,
        orgName: org?.name ?? '全部城市',
        from,
        to,
        rows: rows.map((r) => ({
          orgId: r.org_id,
          orgName: r.org_name,
          month: r.month,
          issued: r.issued,
          deducted: r.deducted,
          redeemed: r.redeemed,
          redemptions: r.redemptions,
        })),
        totals,
        stock: stock.map((s) => ({
          rewardId: s.reward_id,
          name: s.name,
          orgName: s.org_name,
          cost: Number(s.cost),
          stock: Number(s.stock),
          status: s.status,
          redeemedInPeriod: Number(s.redeemed),
        })),
      };
    },

    /**
     * Reconciliation: proves balance = sum(ledger) for every account (and earned/spent), no
     * ledger row without its account, and each redemption debited once (refunded once if cancelled).
     */
    async reconcile() {
      const [mismatches, orphans, redemptions, totals] = [
        await points.mismatches(),
        await points.orphanRows(),
        await points.redemptionMismatches(),
        await points.totals(),
      ];
      return {
        ok: mismatches.length === 0 && orphans === 0 && redemptions.length === 0 && totals.balance === totals.ledger,
        totals,
        mismatches,
        orphans,
        redemptions,
      };
    },

    /**
     * Points expiry: credits older than `months` months that later debits did not use up expire
     * (first in, first out), as one `expiry` ledger row per account, under the account's row lock,
     * so balance = sum(ledger) still holds. Safe to run in many processes at once and repeatedly.
     */
    async expire(months: number, opts: { batch?: number } = {}) {
      const db = need(deps.db, 'db');
      const t = now();
      const cutoff = expiryCutoff(t, months);
      const day = localTime(t, DEFAULT_TZ).date;
      let accounts = 0;
      let expired = 0;
      for (const cityCode of await points.cityCodes()) {
        for (;;) {
          const users = await points.expiryCandidates(cityCode, cutoff, opts.batch ?? 500);
          let progressed = 0;
          for (const userId of users) {
            const n = await db.transaction(async (tx) => {
              await points.lockAccount(tx, cityCode, userId);
              const fig = await points.expiryFigures(tx, cityCode, userId, cutoff);
              const amount = pointsToExpire(fig.oldCredits, fig.debits);
              if (amount <= 0) return 0;
              const ok = await points.post(tx, {
                cityCode,
                userId,
                delta: -amount,
                reason: 'expiry',
                sourceType: 'expiry',
                sourceId: expirySourceId(cityCode, userId, day),
                note: `${months}个月前获得的积分到期`,
                at: t,
              });
              return ok ? amount : 0;
            });
            if (n > 0) {
              accounts++;
              expired += n;
              progressed++;
            }
          }
          if (users.length < (opts.batch ?? 500) || progressed === 0) break;
        }
      }
      return { cutoff: cutoff.toISOString(), accounts, expired };
    },
  };
}

export type PointsService = ReturnType<typeof createPointsService>;
