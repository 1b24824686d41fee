import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { localTime, maskPhone, zonedInstant } from '@wenming/domain';
import type { AdjustmentDto, Page, RedemptionDto, RewardDto, TRedemptionsQuery } from '@wenming/contracts';
import type { Db } from '../../db/client.ts';
import { decodeCursor, encodeCursor, ZCursorTime } from '../../lib/cursor.ts';
import { AppError, forbidden, invalidState, notFound, pgCode, pgConstraint, PG, ruleViolation } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { DEFAULT_TZ, toIso } from '../../lib/time.ts';
import {
  assertInScope,
  assertStaff,
  inScope,
  MANAGE_ROLES,
  READ_ROLES,
  requireActor,
  scopeCondition,
  scopeOf,
  type Actor,
  type RequestCtx,
} from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import { narrowToOrg } from '../orgs/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { PointsRepository } from '../points/index.ts';
import type { UsersRepository } from '../users/index.ts';
import type { RedemptionRow, RewardRow, RewardsRepository } from './rewards.repository.ts';

const rewardNotFound = () => notFound({ zh: '奖品不存在或已下架', en: 'No such reward' });
const insufficient = () => new AppError('INSUFFICIENT_POINTS', { zh: '积分不足', en: 'Not enough points' });
/** Issue 15: an org deducts points only of people it relates to (a volunteer of its subtree, or points earned or spent there). */
const notOurPerson = () =>
  forbidden({
    zh: '此人与本阵地及下级没有关联（不是这里的志愿者，也没有在这里获得或使用积分）',
    en: 'This person has no tie to this site or the sites below it',
  });
/** …and deducts only points the person holds from its subtree, never points earned elsewhere. */
const notOurPoints = () =>
  new AppError('INSUFFICIENT_POINTS', {
    zh: '扣减超过此人在本阵地及下级获得的积分',
    en: 'The deduction exceeds the points this person holds from this site and below',
  });
const ZCursor = z.object({ createdAt: ZCursorTime, id: z.string().uuid() });
/** Largest export (rows); beyond it the export asks for a narrower filter. */
const EXPORT_MAX = 20_000;

/** 以分换物: rewards, redemption in one transaction, pick-up, and audited manual adjustments. */
export function createRewardsService(deps: {
  db: Db;
  rewards: RewardsRepository;
  points: PointsRepository;
  orgs: OrgsRepository;
  audit: AuditRepository;
  users?: UsersRepository;
  clock?: () => Date;
}) {
  const { db, rewards, points } = deps;
  const now = deps.clock ?? (() => new Date());

  function presentReward(actor: Actor, r: RewardRow, myMonthQuantity?: number): RewardDto {
    const manage = inScope(scopeOf(actor, MANAGE_ROLES), { cityCode: r.cityCode, path: r.orgPath });
    const t = now();
    const open = r.status === 'active' && (!r.availableFrom || t >= r.availableFrom) && (!r.availableTo || t < r.availableTo);
    const underLimit = myMonthQuantity === undefined || !r.perUserMonthlyLimit || myMonthQuantity < r.perUserMonthlyLimit;
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
      photoIds: r.photoIds,
      ...(myMonthQuantity === undefined ? {} : { myMonthQuantity }),
      allowedActions: [...(open && r.stock > 0 && underLimit ? ['redeem'] : []), ...(manage ? ['restock', ...(r.status === 'active' ? ['retire'] : [])] : [])],
    };
  }

  /** The owner sees their own; staff (`staffView`) also see who redeemed, phone masked. */
  function presentRedemption(r: RedemptionRow, viewer?: Actor, staffView = false): RedemptionDto {
    const actions: string[] = [];
    if (viewer && r.status === 'pending_pickup') {
      if (r.userId === viewer.userId) actions.push('cancel');
      if (staffView && inScope(scopeOf(viewer, READ_ROLES), { cityCode: r.cityCode, path: r.orgPath })) actions.push('fulfill');
    }
    return {
      id: r.id,
      rewardId: r.rewardId,
      rewardName: r.rewardName,
      quantity: r.quantity,
      points: r.points,
      pickupCode: r.pickupCode,
      status: r.status,
      createdAt: toIso(r.createdAt),
      fulfilledAt: r.fulfilledAt ? toIso(r.fulfilledAt) : null,
      cancelledAt: r.cancelledAt ? toIso(r.cancelledAt) : null,
      orgId: r.orgId,
      orgName: r.orgName,
      pickupOrgName: r.pickupOrgName,
      photoIds: r.photoIds,
      ...(staffView ? { userName: r.userName ?? '', userPhone: r.userPhone && viewer?.isAdmin ? r.userPhone : r.userPhone ? maskPhone(r.userPhone) : '' } : {}),
      allowedActions: actions,
    };
  }

  const monthStart = (t: Date) => {
    const lt = localTime(t, DEFAULT_TZ);
    return zonedInstant(`${lt.date.slice(0, 8)}01`, 0, DEFAULT_TZ);
  };
  const dayStart = (day: string) => zonedInstant(day, 0, DEFAULT_TZ);
  const nextDay = (day: string) => new Date(dayStart(day).getTime() + 36 * 3600_000).toISOString().slice(0, 10);

  async function checkPhotos(ids: string[] | undefined) {
    if (!ids?.length) return [];
    const unique = [...new Set(ids)];
    const found = await rewards.existingUploads(unique);
    const missing = unique.findIndex((i) => !found.has(i));
    if (missing >= 0) throw new AppError('VALIDATION_FAILED', undefined, [{ path: `photoIds.${missing}`, message: '图片不存在，请重新上传' }]);
    return unique;
  }

  /** Staff redemption filters, checked against the caller's scope. */
  async function redemptionFilter(actor: Actor, q: Omit<TRedemptionsQuery, 'limit' | 'cursor'>) {
    const { scope } = await narrowToOrg(deps.orgs, assertStaff(actor), q.orgId);
    const from = q.from ? dayStart(q.from) : undefined;
    const to = q.to ? dayStart(nextDay(q.to)) : undefined;
    if (from && to && to <= from) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'query.to', message: '结束日期不能早于开始日期' }]);
    return { scope: scopeCondition(scope, sql`orgs.city_code`, sql`orgs.path`), rewardId: q.rewardId, status: q.status, from, to };
  }

  return {
    async create(
      ctx: RequestCtx,
      body: {
        orgId: string;
        name: string;
        cost: number;
        stock: number;
        perUserLimit?: number;
        pickupOrgId?: string;
        description?: string;
        availableFrom?: string;
        availableTo?: string;
        photoIds?: string[];
      },
    ) {
      const actor = requireActor(ctx);
      const org = await deps.orgs.byId(body.orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      assertInScope(actor, MANAGE_ROLES, { cityCode: org.cityCode, path: org.path });
      let pickup = org;
      if (body.pickupOrgId) {
        const p = await deps.orgs.byId(body.pickupOrgId);
        if (!p || p.cityCode !== org.cityCode || !(p.path === org.path || p.path.startsWith(`${org.path}.`)))
          throw notFound({ zh: '取货阵地须为本阵地或其下级', en: 'The pick-up site must be this site or below it' });
        pickup = p;
      }
      if (body.availableFrom && body.availableTo && Date.parse(body.availableTo) <= Date.parse(body.availableFrom))
        throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'availableTo', message: '下架时间须晚于上架时间' }]);
      const photoIds = await checkPhotos(body.photoIds);
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
            photoIds,
          },
          tx,
        );
        await deps.audit.record(ctx, { cityCode: org.cityCode, action: 'reward.create', entityType: 'reward', entityId: id, after: body }, tx);
      });
      return presentReward(actor, (await rewards.byId(id))!);
    },

    /**
     * With orgId: what a resident of that site can redeem (its own and its ancestors'
     * supermarkets), with the caller's quantity this month. With orgId and subtree: staff manage
     * the rewards of that subtree (retired ones too). Staff without orgId: their subtree.
     */
    async list(ctx: RequestCtx, orgId?: string, subtree = false) {
      const actor = requireActor(ctx);
      if (orgId && !subtree) {
        const org = await deps.orgs.byId(orgId);
        if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
        const used = await rewards.quantitiesOf(actor.userId, monthStart(now()));
        return (await rewards.list({ cityCode: org.cityCode, abovePath: org.path })).map((r) => presentReward(actor, r, used.get(r.id) ?? 0));
      }
      const { scope } = await narrowToOrg(deps.orgs, assertStaff(actor), orgId);
      return (await rewards.list({ includeRetired: true, scope: scopeCondition(scope, sql`orgs.city_code`, sql`orgs.path`) })).map((r) =>
        presentReward(actor, r),
      );
    },

    /**
     * 积分商城: the rewards the caller may redeem — those of the supermarkets on the way up from
     * their home sites (where they reported in as a volunteer, or earned points).
     */
    async available(ctx: RequestCtx) {
      const actor = requireActor(ctx);
      const used = await rewards.quantitiesOf(actor.userId, monthStart(now()));
      return (await rewards.availableTo(actor.userId)).map((r) => presentReward(actor, r, used.get(r.id) ?? 0));
    },

    async restock(ctx: RequestCtx, id: string, add: number) {
      const actor = requireActor(ctx);
      const r = await rewards.byId(id);
      if (!r) throw rewardNotFound();
      assertInScope(actor, MANAGE_ROLES, { cityCode: r.cityCode, path: r.orgPath });
      await db.transaction(async (tx) => {
        await rewards.addStock(tx, r.cityCode, r.id, add);
        await deps.audit.record(
          ctx,
          { cityCode: r.cityCode, action: 'reward.restock', entityType: 'reward', entityId: r.id, before: { stock: r.stock }, after: { add } },
          tx,
        );
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
     * One transaction: the reward row locked (and still on offer), the monthly limit checked,
     * stock taken with a condition, points debited through the ledger (the balance CHECK refuses
     * overdrafts), the redemption and its pick-up code written. Any failure leaves nothing behind.
     */
    async redeem(ctx: RequestCtx, id: string, quantity: number) {
      const actor = requireActor(ctx);
      const r = await rewards.byId(id);
      if (!r || r.status !== 'active') throw rewardNotFound();
      const t = now();
      if ((r.availableFrom && t < r.availableFrom) || (r.availableTo && t >= r.availableTo))
        throw ruleViolation({ zh: '该奖品不在兑换期内', en: 'This reward is not available now' });
      if (!(await rewards.isAvailableTo(actor.userId, r.cityCode, r.orgPath)))
        throw ruleViolation({
          zh: '该奖品属于其他阵地的爱心超市，仅限本阵地及下级阵地的志愿者和居民兑换',
          en: 'This reward belongs to another site’s supermarket',
        });
      const cost = r.cost * quantity;
      // The 8-digit code is unique per city; a clash with an earlier code (rare) is drawn again.
      for (let attempt = 0; ; attempt++) {
        const redemptionId = newId();
        const pickupCode = String(crypto.randomInt(10_000_000, 100_000_000));
        try {
          await db.transaction(async (tx) => {
            const status = await rewards.lock(tx, r.cityCode, r.id);
            if (status !== 'active') throw rewardNotFound();
            if (r.perUserMonthlyLimit) {
              const used = await rewards.monthlyQuantity(tx, r.cityCode, r.id, actor.userId, monthStart(t));
              if (used + quantity > r.perUserMonthlyLimit)
                throw ruleViolation({
                  zh: `每人每月限兑 ${r.perUserMonthlyLimit} 件（本月已兑 ${used} 件）`,
                  en: `At most ${r.perUserMonthlyLimit} per person per month (${used} this month)`,
                });
            }
            if (!(await rewards.takeStock(tx, r.cityCode, r.id, quantity))) throw new AppError('OUT_OF_STOCK', { zh: '库存不足', en: 'Out of stock' });
            if ((await points.balance(r.cityCode, actor.userId, tx)) < cost) throw insufficient();
            await points.post(tx, {
              cityCode: r.cityCode,
              userId: actor.userId,
              delta: -cost,
              reason: 'redeem',
              sourceType: 'redemption',
              sourceId: redemptionId,
              note: `${r.name} × ${quantity}`,
              orgId: r.orgId,
              at: t,
            });
            await rewards.insertRedemption(tx, {
              cityCode: r.cityCode,
              id: redemptionId,
              rewardId: r.id,
              userId: actor.userId,
              quantity,
              points: cost,
              pickupCode,
              // Stamped by the service's clock, which also draws the month the limit counts in.
              createdAt: t,
            });
          });
          return {
            id: redemptionId,
            pickupCode,
            balance: await points.balance(r.cityCode, actor.userId),
            rewardName: r.name,
            pickupOrgName: r.pickupOrgName,
            quantity,
            points: cost,
          };
        } catch (e) {
          if (pgCode(e) === PG.checkViolation && pgConstraint(e) === 'points_accounts_balance_check') throw insufficient();
          if (pgCode(e) === PG.checkViolation && pgConstraint(e) === 'rewards_stock_check') throw new AppError('OUT_OF_STOCK');
          if (pgCode(e) === PG.uniqueViolation && pgConstraint(e) === 'redemptions_code_key' && attempt < 5) continue;
          throw e;
        }
      }
    },

    async mine(ctx: RequestCtx) {
      const actor = requireActor(ctx);
      return (await rewards.redemptionsOf(actor.userId)).map((d) => presentRedemption(d, actor));
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
        await points.post(tx, {
          cityCode: d.cityCode,
          userId: d.userId,
          delta: d.points,
          reason: 'redeem_cancel',
          sourceType: 'redemption',
          sourceId: d.id,
          note: d.rewardName,
          orgId: d.orgId,
          at: now(),
        });
      });
      return presentRedemption((await rewards.redemptionById(id))!, actor);
    },

    /** Staff look a pick-up code up (scan or type it): pending, already picked up, or cancelled. */
    async findByCode(ctx: RequestCtx, code: string) {
      const actor = requireActor(ctx);
      const scope = assertStaff(actor);
      const found = (await rewards.redemptionByCode(code)).filter((d) => inScope(scope, { cityCode: d.cityCode, path: d.orgPath }));
      if (!found.length) throw notFound({ zh: '取货码不存在，请核对后重新输入', en: 'No such pick-up code' });
      return found.map((d) => presentRedemption(d, actor, true));
    },

    /** Staff: the redemptions of their subtree, filtered, newest first. */
    async redemptions(ctx: RequestCtx, q: TRedemptionsQuery): Promise<Page<RedemptionDto>> {
      const actor = requireActor(ctx);
      const f = await redemptionFilter(actor, q);
      const c = q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined;
      const rows = await rewards.redemptionsPage({ ...f, before: c ? { createdAt: new Date(c.createdAt), id: c.id } : undefined, limit: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((d) => presentRedemption(d, actor, true)),
        nextCursor: rows.length > q.limit ? encodeCursor({ createdAt: page.at(-1)!.createdAt.toISOString(), id: page.at(-1)!.id }) : null,
      };
    },

    /** The same list, all of it (up to EXPORT_MAX rows), for the .xlsx export. */
    async redemptionsForExport(ctx: RequestCtx, q: Omit<TRedemptionsQuery, 'limit' | 'cursor'>) {
      const actor = requireActor(ctx);
      const f = await redemptionFilter(actor, q);
      const rows = await rewards.redemptionsPage({ ...f, limit: EXPORT_MAX + 1 });
      if (rows.length > EXPORT_MAX)
        throw ruleViolation({ zh: `超过 ${EXPORT_MAX} 条，请缩小日期范围或选择下级阵地后再导出`, en: `More than ${EXPORT_MAX} rows; narrow the filter` });
      return rows.map((d) => presentRedemption(d, actor, true));
    },

    /** Hand the goods over: once, with the right code, by staff of the reward's site. */
    async fulfill(ctx: RequestCtx, id: string, pickupCode: string) {
      const actor = requireActor(ctx);
      const d = await rewards.redemptionById(id);
      if (!d) throw notFound({ zh: '兑换记录不存在', en: 'No such redemption' });
      if (!inScope(scopeOf(actor, READ_ROLES), { cityCode: d.cityCode, path: d.orgPath }))
        throw forbidden({ zh: '只有奖品所属阵地的工作人员可以核销', en: 'Staff of the reward’s site only' });
      await db.transaction(async (tx) => {
        const updated = await rewards.transitionRedemption(
          tx,
          d.cityCode,
          d.id,
          'pending_pickup',
          'fulfilled',
          { fulfilledAt: now(), fulfilledBy: actor.userId },
          pickupCode,
        );
        if (!updated) {
          if (d.status !== 'pending_pickup')
            throw invalidState({ zh: d.status === 'fulfilled' ? '该兑换已领取，不能重复核销' : '该兑换已取消', en: `The redemption is ${d.status}` });
          if (d.pickupCode !== pickupCode) throw ruleViolation({ zh: '取货码不正确', en: 'Wrong pick-up code' });
          // Someone else fulfilled or the owner cancelled it a moment ago.
          throw invalidState({ zh: '该兑换刚刚已被核销或取消，请刷新', en: 'The redemption changed a moment ago' });
        }
        await deps.audit.record(ctx, { cityCode: d.cityCode, action: 'redemption.fulfill', entityType: 'redemption', entityId: d.id }, tx);
      });
      return presentRedemption((await rewards.redemptionById(id))!, actor, true);
    },

    /** A manual adjustment waits for a second staff member. The account is named by user id or by phone. */
    async requestAdjustment(ctx: RequestCtx, body: { userId?: string; phone?: string; orgId: string; delta: number; reason: string }) {
      const actor = requireActor(ctx);
      const org = await deps.orgs.byId(body.orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      assertInScope(actor, MANAGE_ROLES, { cityCode: org.cityCode, path: org.path });
      let userId = body.userId;
      if (deps.users) {
        const user = body.userId ? await deps.users.byId(body.userId) : body.phone ? await deps.users.byPhone(body.phone) : null;
        if (!user) throw notFound({ zh: body.phone ? '该手机号尚未注册' : '用户不存在', en: 'No such user' });
        userId = user.id;
      }
      if (!userId) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'userId', message: '请选择要调整积分的人' }]);
      // A credit may reward anyone in the city (a resident's first points make the tie); a debit
      // touches only the site's own people, and only the points they hold from its subtree.
      if (body.delta < 0) {
        if (!(await rewards.relatesToSubtree(org.cityCode, org.path, userId))) throw notOurPerson();
        if ((await rewards.subtreePoints(org.cityCode, org.path, userId)) + body.delta < 0) throw notOurPoints();
      }
      const id = newId();
      await db.transaction(async (tx) => {
        await rewards.insertAdjustment(tx, {
          cityCode: org.cityCode,
          id,
          orgId: org.id,
          userId: userId,
          delta: body.delta,
          reason: body.reason,
          requestedBy: actor.userId,
        });
        await deps.audit.record(
          ctx,
          { cityCode: org.cityCode, action: 'points.adjust.request', entityType: 'points_adjustment', entityId: id, after: { ...body, userId } },
          tx,
        );
      });
      return { id, status: 'pending' as const };
    },

    /** Staff: adjustments of their subtree (pending first), with who may decide them. */
    async adjustments(ctx: RequestCtx, q: { orgId?: string; status?: 'pending' | 'approved' | 'rejected' }): Promise<AdjustmentDto[]> {
      const actor = requireActor(ctx);
      const { scope } = await narrowToOrg(deps.orgs, assertStaff(actor), q.orgId);
      const manage = scopeOf(actor, MANAGE_ROLES);
      const rows = await rewards.adjustmentsList({ scope: scopeCondition(scope, sql`o.city_code`, sql`o.path`), status: q.status });
      return rows.map((a) => ({
        id: a.id,
        orgId: a.orgId,
        orgName: a.orgName,
        userId: a.userId,
        userName: a.userName,
        userPhone: a.userPhone ? (actor.isAdmin ? a.userPhone : maskPhone(a.userPhone)) : null,
        delta: a.delta,
        reason: a.reason,
        status: a.status,
        requestedBy: a.requestedBy,
        requestedByName: a.requestedByName,
        decidedBy: a.decidedBy,
        decidedByName: a.decidedByName,
        createdAt: toIso(a.createdAt),
        decidedAt: a.decidedAt ? toIso(a.decidedAt) : null,
        allowedActions:
          a.status === 'pending' && a.requestedBy !== actor.userId && inScope(manage, { cityCode: a.cityCode, path: a.orgPath }) ? ['approve', 'reject'] : [],
      }));
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
          if (approve && a.delta < 0) {
            // Counted under the account's lock: two debits approved at once cannot both spend the same points.
            await rewards.lockPointsAccount(tx, a.cityCode, a.userId);
            if ((await rewards.subtreePoints(a.cityCode, a.orgPath, a.userId, tx)) + a.delta < 0) throw notOurPoints();
          }
          if (approve)
            await points.post(tx, {
              cityCode: a.cityCode,
              userId: a.userId,
              delta: a.delta,
              reason: 'adjustment',
              sourceType: 'points_adjustment',
              sourceId: a.id,
              note: a.reason,
              orgId: a.orgId,
              at: now(),
            });
          await deps.audit.record(
            ctx,
            {
              cityCode: a.cityCode,
              action: approve ? 'points.adjust.approve' : 'points.adjust.reject',
              entityType: 'points_adjustment',
              entityId: a.id,
              after: { delta: a.delta },
            },
            tx,
          );
        });
      } catch (e) {
        if (pgCode(e) === PG.checkViolation) throw insufficient();
        throw e;
      }
      return { id, status: approve ? 'approved' : 'rejected' };
    },
  };
}

export type RewardsService = ReturnType<typeof createRewardsService>;
