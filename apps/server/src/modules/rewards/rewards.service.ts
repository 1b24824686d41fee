import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { localTime, zonedInstant } from '@wenming/domain';
import type { Db } from '../../db/client.ts';
import { AppError, forbidden, invalidState, notFound, pgCode, pgConstraint, PG, ruleViolation } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { DEFAULT_TZ, toIso } from '../../lib/time.ts';
import { assertInScope, assertStaff, inScope, MANAGE_ROLES, READ_ROLES, requireActor, scopeCondition, scopeOf, type Actor, type RequestCtx } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { OrgsRepository } from '../orgs/orgs.repository.ts';
import type { PointsRepository } from '../points/points.repository.ts';
import type { RedemptionRow, RewardRow, RewardsRepository } from './rewards.repository.ts';

const rewardNotFound = () => notFound({ zh: '奖品不存在或已下架', en: 'No such reward' });
const insufficient = () => new AppError('INSUFFICIENT_POINTS', { zh: '积分不足', en: 'Not enough points' });

/** 以分换物: rewards, redemption in one transaction, pick-up, and audited manual adjustments. */
export function createRewardsService(deps: { db: Db; rewards: RewardsRepository; points: PointsRepository; orgs: OrgsRepository; audit: AuditRepository; clock?: () => Date }) {
  const { db, rewards, points } = deps;
  const now = deps.clock ?? (() => new Date());

  function presentReward(actor: Actor, r: RewardRow) {
    const manage = inScope(scopeOf(actor, MANAGE_ROLES), { cityCode: r.cityCode, path: r.orgPath });
    const t = now();
    const open = r.status === 'active' && (!r.availableFrom || t >= r.availableFrom) && (!r.availableTo || t < r.availableTo);
    return {
      id: r.id,
      orgId: r.orgId,
      orgName: r.orgName,
      pickupOrgId: r.pickupOrgId,
      pickupOrgName: r.pickupOrgName,
      name: r.name,
      description: r.description,
      cost: r.cost,
      stock: r.stock,
      perUserLimit: r.perUserMonthlyLimit,
      availableFrom: r.availableFrom ? toIso(r.availableFrom) : null,
      availableTo: r.availableTo ? toIso(r.availableTo) : null,
      status: r.status,
      allowedActions: [...(open && r.stock > 0 ? ['redeem'] : []), ...(manage ? ['restock', ...(r.status === 'active' ? ['retire'] : [])] : [])],
    };
  }

  function presentRedemption(r: RedemptionRow) {
    return { id: r.id, rewardId: r.rewardId, rewardName: r.rewardName, quantity: r.quantity, points: r.points, pickupCode: r.pickupCode, status: r.status, createdAt: toIso(r.createdAt), fulfilledAt: r.fulfilledAt ? toIso(r.fulfilledAt) : null };
  }

  const monthStart = (t: Date) => {
    const lt = localTime(t, DEFAULT_TZ);
    return zonedInstant(`${lt.date.slice(0, 8)}01`, 0, DEFAULT_TZ);
  };

  return {
    async create(ctx: RequestCtx, body: { orgId: string; name: string; cost: number; stock: number; perUserLimit?: number; pickupOrgId?: string; description?: string; availableFrom?: string; availableTo?: string }) {
      const actor = requireActor(ctx);
      const org = await deps.orgs.byId(body.orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      assertInScope(actor, MANAGE_ROLES, { cityCode: org.cityCode, path: org.path });
      let pickup = org;
      if (body.pickupOrgId) {
        const p = await deps.orgs.byId(body.pickupOrgId);
        if (!p || p.cityCode !== org.cityCode || !(p.path === org.path || p.path.startsWith(`${org.path}.`))) throw notFound({ zh: '取货阵地须为本阵地或其下级', en: 'The pick-up site must be this site or below it' });
        pickup = p;
      }
      if (body.availableFrom && body.availableTo && Date.parse(body.availableTo) <= Date.parse(body.availableFrom))
        throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'availableTo', message: '下架时间须晚于上架时间' }]);
      const id = newId();
      await db.transaction(async (tx) => {
        await rewards.insert(
          {
            cityCode: org.cityCode,
            id,
            orgId: org.id,
            pickupOrgId: pickup.id,
            name: body.name,
            description: body.description ?? null,
            cost: body.cost,
            stock: body.stock,
            perUserMonthlyLimit: body.perUserLimit ?? null,
            availableFrom: body.availableFrom ? new Date(body.availableFrom) : null,
            availableTo: body.availableTo ? new Date(body.availableTo) : null,
          },
          tx,
        );
        await deps.audit.record(ctx, { cityCode: org.cityCode, action: 'reward.create', entityType: 'reward', entityId: id, after: body }, tx);
      });
      return presentReward(actor, (await rewards.byId(id))!);
    },

    /** With orgId: what a resident of that site can redeem (its own and its ancestors' supermarkets). Staff without orgId: their subtree. */
    async list(ctx: RequestCtx, orgId?: string) {
      const actor = requireActor(ctx);
      if (orgId) {
        const org = await deps.orgs.byId(orgId);
        if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
        return (await rewards.list({ abovePath: org.path })).map((r) => presentReward(actor, r));
      }
      const scope = assertStaff(actor);
      return (await rewards.list({ includeRetired: true, scope: scopeCondition(scope, sql`orgs.city_code`, sql`orgs.path`) })).map((r) => presentReward(actor, r));
    },

    async restock(ctx: RequestCtx, id: string, add: number) {
      const actor = requireActor(ctx);
      const r = await rewards.byId(id);
      if (!r) throw rewardNotFound();
      assertInScope(actor, MANAGE_ROLES, { cityCode: r.cityCode, path: r.orgPath });
      await db.transaction(async (tx) => {
        await rewards.addStock(tx, r.cityCode, r.id, add);
        await deps.audit.record(ctx, { cityCode: r.cityCode, action: 'reward.restock', entityType: 'reward', entityId: r.id, before: { stock: r.stock }, after: { add } }, tx);
      });
      return presentReward(actor, (await rewards.byId(id))!);
    },

    async retire(ctx: RequestCtx, id: string) {
      const actor = requireActor(ctx);
      const r = await rewards.byId(id);
      if (!r) throw rewardNotFound();
      assertInScope(actor, MANAGE_ROLES, { cityCode: r.cityCode, path: r.orgPath });
      await db.transaction(async (tx) => {
        await rewards.setStatus(tx, r.cityCode, r.id, 'retired');
        await deps.audit.record(ctx, { cityCode: r.cityCode, action: 'reward.retire', entityType: 'reward', entityId: r.id }, tx);
      });
      return presentReward(actor, (await rewards.byId(id))!);
    },

    /**
     * One transaction: the reward row locked, the monthly limit checked, stock taken with a
     * condition, points debited through the ledger (the balance CHECK refuses overdrafts), the
     * redemption and its pick-up code written. Any failure leaves nothing behind.
     */
    async redeem(ctx: RequestCtx, id: string, quantity: number) {
      const actor = requireActor(ctx);
      const r = await rewards.byId(id);
      if (!r || r.status !== 'active') throw rewardNotFound();
      const t = now();
      if ((r.availableFrom && t < r.availableFrom) || (r.availableTo && t >= r.availableTo)) throw ruleViolation({ zh: '该奖品不在兑换期内', en: 'This reward is not available now' });
      const cost = r.cost * quantity;
      const redemptionId = newId();
      let pickupCode = '';
      try {
        await db.transaction(async (tx) => {
          await rewards.lock(tx, r.cityCode, r.id);
          if (r.perUserMonthlyLimit) {
            const used = await rewards.monthlyQuantity(tx, r.cityCode, r.id, actor.userId, monthStart(t));
            if (used + quantity > r.perUserMonthlyLimit)
              throw ruleViolation({ zh: `每人每月限兑 ${r.perUserMonthlyLimit} 件（本月已兑 ${used} 件）`, en: `At most ${r.perUserMonthlyLimit} per person per month (${used} this month)` });
          }
          if (!(await rewards.takeStock(tx, r.cityCode, r.id, quantity))) throw new AppError('OUT_OF_STOCK', { zh: '库存不足', en: 'Out of stock' });
          if ((await points.balance(r.cityCode, actor.userId, tx)) < cost) throw insufficient();
          await points.post(tx, { cityCode: r.cityCode, userId: actor.userId, delta: -cost, reason: 'redeem', sourceType: 'redemption', sourceId: redemptionId, note: `${r.name} × ${quantity}` });
          pickupCode = String(crypto.randomInt(10_000_000, 100_000_000));
          await rewards.insertRedemption(tx, { cityCode: r.cityCode, id: redemptionId, rewardId: r.id, userId: actor.userId, quantity, points: cost, pickupCode });
        });
      } catch (e) {
        if (pgCode(e) === PG.checkViolation && pgConstraint(e) === 'points_accounts_balance_check') throw insufficient();
        if (pgCode(e) === PG.checkViolation && pgConstraint(e) === 'rewards_stock_check') throw new AppError('OUT_OF_STOCK');
        throw e;
      }
      return { id: redemptionId, pickupCode, balance: await points.balance(r.cityCode, actor.userId), rewardName: r.name, pickupOrgName: r.pickupOrgName, quantity, points: cost };
    },

    async mine(ctx: RequestCtx) {
      const actor = requireActor(ctx);
      return (await rewards.redemptionsOf(actor.userId)).map(presentRedemption);
    },

    async cancel(ctx: RequestCtx, id: string) {
      const actor = requireActor(ctx);
      const d = await rewards.redemptionById(id);
      if (!d) throw notFound({ zh: '兑换记录不存在', en: 'No such redemption' });
      if (d.userId !== actor.userId) throw forbidden({ zh: '只能取消自己的兑换', en: 'Only your own' });
      await db.transaction(async (tx) => {
        const updated = await rewards.transitionRedemption(tx, d.cityCode, d.id, 'pending_pickup', 'cancelled', { cancelledAt: now() });
        if (!updated) throw invalidState({ zh: '已领取或已取消的兑换不能再取消', en: 'Already picked up or cancelled' });
        await rewards.addStock(tx, d.cityCode, d.rewardId, d.quantity);
        await points.post(tx, { cityCode: d.cityCode, userId: d.userId, delta: d.points, reason: 'redeem_cancel', sourceType: 'redemption', sourceId: d.id, note: d.rewardName });
      });
      return presentRedemption((await rewards.redemptionById(id))!);
    },

    /** Staff look a pick-up code up (scan or type it). */
    async findByCode(ctx: RequestCtx, code: string) {
      const actor = requireActor(ctx);
      const scope = assertStaff(actor);
      const found = (await rewards.redemptionByCode(code)).filter((d) => inScope(scope, { cityCode: d.cityCode, path: d.orgPath }));
      if (!found.length) throw notFound({ zh: '取货码不存在', en: 'No such pick-up code' });
      return found.map(presentRedemption);
    },

    /** Hand the goods over: once, with the right code, by staff of the reward's site. */
    async fulfill(ctx: RequestCtx, id: string, pickupCode: string) {
      const actor = requireActor(ctx);
      const d = await rewards.redemptionById(id);
      if (!d) throw notFound({ zh: '兑换记录不存在', en: 'No such redemption' });
      if (!inScope(scopeOf(actor, READ_ROLES), { cityCode: d.cityCode, path: d.orgPath })) throw forbidden({ zh: '只有奖品所属阵地的工作人员可以核销', en: 'Staff of the reward’s site only' });
      await db.transaction(async (tx) => {
        const updated = await rewards.transitionRedemption(tx, d.cityCode, d.id, 'pending_pickup', 'fulfilled', { fulfilledAt: now(), fulfilledBy: actor.userId }, pickupCode);
        if (!updated) {
          if (d.status !== 'pending_pickup') throw invalidState({ zh: d.status === 'fulfilled' ? '该兑换已领取，不能重复核销' : '该兑换已取消', en: `The redemption is ${d.status}` });
          throw ruleViolation({ zh: '取货码不正确', en: 'Wrong pick-up code' });
        }
        await deps.audit.record(ctx, { cityCode: d.cityCode, action: 'redemption.fulfill', entityType: 'redemption', entityId: d.id }, tx);
      });
      return presentRedemption((await rewards.redemptionById(id))!);
    },

    /** A manual adjustment waits for a second staff member. */
    async requestAdjustment(ctx: RequestCtx, body: { userId: string; orgId: string; delta: number; reason: string }) {
      const actor = requireActor(ctx);
      const org = await deps.orgs.byId(body.orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      assertInScope(actor, MANAGE_ROLES, { cityCode: org.cityCode, path: org.path });
      const id = newId();
      await db.transaction(async (tx) => {
        await rewards.insertAdjustment(tx, { cityCode: org.cityCode, id, orgId: org.id, userId: body.userId, delta: body.delta, reason: body.reason, requestedBy: actor.userId });
        await deps.audit.record(ctx, { cityCode: org.cityCode, action: 'points.adjust.request', entityType: 'points_adjustment', entityId: id, after: body }, tx);
      });
      return { id, status: 'pending' as const };
    },

    async decideAdjustment(ctx: RequestCtx, id: string, approve: boolean) {
      const actor = requireActor(ctx);
      const a = await rewards.adjustmentById(id);
      if (!a) throw notFound({ zh: '调整申请不存在', en: 'No such adjustment' });
      assertInScope(actor, MANAGE_ROLES, { cityCode: a.cityCode, path: a.orgPath });
      if (a.requestedBy === actor.userId) throw forbidden({ zh: '积分调整须由另一位工作人员审批', en: 'A second person must approve' });
      try {
        await db.transaction(async (tx) => {
          const done = await rewards.decideAdjustment(tx, a.cityCode, a.id, approve ? 'approved' : 'rejected', actor.userId);
          if (!done) throw invalidState({ zh: '该申请已处理', en: 'Already decided' });
          if (approve) await points.post(tx, { cityCode: a.cityCode, userId: a.userId, delta: a.delta, reason: 'adjustment', sourceType: 'points_adjustment', sourceId: a.id, note: a.reason });
          await deps.audit.record(ctx, { cityCode: a.cityCode, action: approve ? 'points.adjust.approve' : 'points.adjust.reject', entityType: 'points_adjustment', entityId: a.id, after: { delta: a.delta } }, tx);
        });
      } catch (e) {
        if (pgCode(e) === PG.checkViolation) throw insufficient();
        throw e;
      }
      return { id, status: approve ? 'approved' : 'rejected' };
    },

    /** Earning rule: points per verified hour for a site, inherited down the tree (null: inherit). */
    async setRule(ctx: RequestCtx, orgId: string, pointsPerHour: number | null) {
      const actor = requireActor(ctx);
      const org = await deps.orgs.byId(orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      assertInScope(actor, MANAGE_ROLES, { cityCode: org.cityCode, path: org.path });
      await db.transaction(async (tx) => {
        await points.setPointsPerHour(org.cityCode, org.id, pointsPerHour, tx);
        await deps.audit.record(ctx, { cityCode: org.cityCode, action: 'points.rule', entityType: 'org', entityId: org.id, after: { pointsPerHour } }, tx);
      });
      return { orgId, pointsPerHour, effective: (await points.pointsPerHour(org.cityCode, org.path)) ?? 10 };
    },
  };
}

export type RewardsService = ReturnType<typeof createRewardsService>;
