import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { orgs, pointsAdjustments, redemptions, rewards } from '../../db/schema.ts';

export type RewardRow = typeof rewards.$inferSelect & { orgName: string; orgPath: string; pickupOrgName: string };
export type RedemptionRow = typeof redemptions.$inferSelect & { rewardName: string; orgPath: string; pickupOrgId: string };

export function createRewardsRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select({ r: rewards, orgName: orgs.name, orgPath: sql<string>`${orgs.path}::text`, pickupOrgName: sql<string>`(SELECT p.name FROM orgs p WHERE p.city_code = rewards.city_code AND p.id = rewards.pickup_org_id)` })
      .from(rewards)
      .innerJoin(orgs, and(eq(orgs.cityCode, rewards.cityCode), eq(orgs.id, rewards.orgId)));
  const flat = (x: { r: typeof rewards.$inferSelect; orgName: string; orgPath: string; pickupOrgName: string }): RewardRow => ({ ...x.r, orgName: x.orgName, orgPath: x.orgPath, pickupOrgName: x.pickupOrgName });
  const rbase = (tx: Executor) =>
    tx
      .select({ d: redemptions, rewardName: rewards.name, orgPath: sql<string>`${orgs.path}::text`, pickupOrgId: rewards.pickupOrgId })
      .from(redemptions)
      .innerJoin(rewards, and(eq(rewards.cityCode, redemptions.cityCode), eq(rewards.id, redemptions.rewardId)))
      .innerJoin(orgs, and(eq(orgs.cityCode, rewards.cityCode), eq(orgs.id, rewards.orgId)));
  const rflat = (x: { d: typeof redemptions.$inferSelect; rewardName: string; orgPath: string; pickupOrgId: string }): RedemptionRow => ({ ...x.d, rewardName: x.rewardName, orgPath: x.orgPath, pickupOrgId: x.pickupOrgId });

  return {
    async insert(row: typeof rewards.$inferInsert, tx: Executor = db) {
      await tx.insert(rewards).values(row);
    },
    async byId(id: string, tx: Executor = db): Promise<RewardRow | null> {
      const [r] = await base(tx).where(eq(rewards.id, id));
      return r ? flat(r) : null;
    },
    /** Rewards on offer to a site: its own and its ancestors' (a district's supermarket serves its stations). */
    async list(f: { underPath?: string; abovePath?: string; includeRetired?: boolean; scope?: SQL }, tx: Executor = db) {
      const conds: (SQL | undefined)[] = [];
      if (!f.includeRetired) conds.push(eq(rewards.status, 'active'));
      if (f.abovePath) conds.push(sql`${orgs.path} @> ${f.abovePath}::ltree`);
      if (f.underPath) conds.push(sql`${orgs.path} <@ ${f.underPath}::ltree`);
      if (f.scope) conds.push(f.scope);
      return (await base(tx).where(and(...conds)).orderBy(asc(rewards.cost), asc(rewards.name)).limit(500)).map(flat);
    },
    async lock(tx: Executor, cityCode: string, id: string) {
      await tx.execute(sql`SELECT id FROM rewards WHERE city_code = ${cityCode} AND id = ${id} FOR UPDATE`);
    },
    /** Takes stock only if enough is left (the CHECK is the last word). */
    async takeStock(tx: Executor, cityCode: string, id: string, qty: number): Promise<boolean> {
      const res = await tx.execute(sql`UPDATE rewards SET stock = stock - ${qty} WHERE city_code = ${cityCode} AND id = ${id} AND stock >= ${qty} RETURNING id`);
      return (res as unknown as { rows: unknown[] }).rows.length > 0;
    },
    async addStock(tx: Executor, cityCode: string, id: string, qty: number) {
      await tx.execute(sql`UPDATE rewards SET stock = stock + ${qty} WHERE city_code = ${cityCode} AND id = ${id}`);
    },
    async setStatus(tx: Executor, cityCode: string, id: string, status: 'active' | 'retired') {
      await tx.update(rewards).set({ status }).where(and(eq(rewards.cityCode, cityCode), eq(rewards.id, id)));
    },
    async monthlyQuantity(tx: Executor, cityCode: string, rewardId: string, userId: string, since: Date) {
      const res = await tx.execute(sql`SELECT coalesce(sum(quantity), 0)::int AS n FROM redemptions WHERE city_code = ${cityCode} AND reward_id = ${rewardId} AND user_id = ${userId} AND status <> 'cancelled' AND created_at >= ${since}`);
      return Number((res as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);
    },
    async insertRedemption(tx: Executor, row: typeof redemptions.$inferInsert) {
      await tx.insert(redemptions).values(row);
    },
    async redemptionById(id: string, tx: Executor = db): Promise<RedemptionRow | null> {
      const [r] = await rbase(tx).where(eq(redemptions.id, id));
      return r ? rflat(r) : null;
    },
    async redemptionByCode(code: string, tx: Executor = db): Promise<RedemptionRow[]> {
      return (await rbase(tx).where(eq(redemptions.pickupCode, code))).map(rflat);
    },
    async redemptionsOf(userId: string, tx: Executor = db) {
      return (await rbase(tx).where(eq(redemptions.userId, userId)).orderBy(desc(redemptions.createdAt)).limit(200)).map(rflat);
    },
    async redemptionsIn(scope: SQL, tx: Executor = db) {
      return (await rbase(tx).where(scope).orderBy(desc(redemptions.createdAt)).limit(500)).map(rflat);
    },
    async transitionRedemption(tx: Executor, cityCode: string, id: string, from: 'pending_pickup', to: 'fulfilled' | 'cancelled', patch: Partial<typeof redemptions.$inferInsert>, codeMustBe?: string) {
      const conds = [eq(redemptions.cityCode, cityCode), eq(redemptions.id, id), eq(redemptions.status, from)];
      if (codeMustBe) conds.push(eq(redemptions.pickupCode, codeMustBe));
      const [r] = await tx.update(redemptions).set({ ...patch, status: to }).where(and(...conds)).returning();
      return r ?? null;
    },
    async insertAdjustment(tx: Executor, row: typeof pointsAdjustments.$inferInsert) {
      await tx.insert(pointsAdjustments).values(row);
    },
    async adjustmentById(id: string, tx: Executor = db) {
      const [r] = await tx.select({ a: pointsAdjustments, orgPath: sql<string>`${orgs.path}::text` }).from(pointsAdjustments).innerJoin(orgs, and(eq(orgs.cityCode, pointsAdjustments.cityCode), eq(orgs.id, pointsAdjustments.orgId))).where(eq(pointsAdjustments.id, id));
      return r ? { ...r.a, orgPath: r.orgPath } : null;
    },
    async decideAdjustment(tx: Executor, cityCode: string, id: string, to: 'approved' | 'rejected', by: string) {
      const [r] = await tx
        .update(pointsAdjustments)
        .set({ status: to, decidedBy: by, decidedAt: new Date() })
        .where(and(eq(pointsAdjustments.cityCode, cityCode), eq(pointsAdjustments.id, id), eq(pointsAdjustments.status, 'pending')))
        .returning();
      return r ?? null;
    },
    async adjustmentsIn(scope: SQL, tx: Executor = db) {
      return tx.select({ a: pointsAdjustments }).from(pointsAdjustments).innerJoin(orgs, and(eq(orgs.cityCode, pointsAdjustments.cityCode), eq(orgs.id, pointsAdjustments.orgId))).where(scope).orderBy(desc(pointsAdjustments.createdAt)).limit(200);
    },
  };
}

export type RewardsRepository = ReturnType<typeof createRewardsRepository>;
