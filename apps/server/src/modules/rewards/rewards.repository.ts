import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { orgs, pointsAdjustments, redemptions, rewards, users } from '../../db/schema.ts';

export type RewardRow = typeof rewards.$inferSelect & { orgName: string; orgPath: string; pickupOrgName: string };
export type RedemptionRow = typeof redemptions.$inferSelect & {
  rewardName: string;
  orgId: string;
  orgName: string;
  orgPath: string;
  pickupOrgId: string;
  pickupOrgName: string;
  photoIds: string[];
  userName: string | null;
  userPhone: string | null;
};
export interface AdjustmentRow {
  cityCode: string;
  id: string;
  orgId: string;
  orgName: string;
  orgPath: string;
  userId: string;
  userName: string | null;
  userPhone: string | null;
  delta: number;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  requestedByName: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

const pickupName = sql<string>`(SELECT p.name FROM orgs p WHERE p.city_code = rewards.city_code AND p.id = rewards.pickup_org_id)`;

export function createRewardsRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select({ r: rewards, orgName: orgs.name, orgPath: sql<string>`${orgs.path}::text`, pickupOrgName: pickupName })
      .from(rewards)
      .innerJoin(orgs, and(eq(orgs.cityCode, rewards.cityCode), eq(orgs.id, rewards.orgId)));
  const flat = (x: { r: typeof rewards.$inferSelect; orgName: string; orgPath: string; pickupOrgName: string }): RewardRow => ({
    ...x.r,
    orgName: x.orgName,
    orgPath: x.orgPath,
    pickupOrgName: x.pickupOrgName,
  });
  const rbase = (tx: Executor) =>
    tx
      .select({
        d: redemptions,
        rewardName: rewards.name,
        orgId: rewards.orgId,
        orgName: orgs.name,
        orgPath: sql<string>`${orgs.path}::text`,
        pickupOrgId: rewards.pickupOrgId,
        pickupOrgName: pickupName,
        photoIds: rewards.photoIds,
        userName: users.name,
        userPhone: users.phone,
      })
      .from(redemptions)
      .innerJoin(rewards, and(eq(rewards.cityCode, redemptions.cityCode), eq(rewards.id, redemptions.rewardId)))
      .innerJoin(orgs, and(eq(orgs.cityCode, rewards.cityCode), eq(orgs.id, rewards.orgId)))
      .leftJoin(users, eq(users.id, redemptions.userId));
  type RJoined = Awaited<ReturnType<ReturnType<typeof rbase>['execute']>>[number];
  const rflat = (x: RJoined): RedemptionRow => ({
    ...x.d,
    rewardName: x.rewardName,
    orgId: x.orgId,
    orgName: x.orgName,
    orgPath: x.orgPath,
    pickupOrgId: x.pickupOrgId,
    pickupOrgName: x.pickupOrgName,
    photoIds: x.photoIds,
    userName: x.userName,
    userPhone: x.userPhone,
  });

  return {
    async insert(row: typeof rewards.$inferInsert, tx: Executor = db) {
      await tx.insert(rewards).values(row);
    },
    async byId(id: string, tx: Executor = db): Promise<RewardRow | null> {
      const [r] = await base(tx).where(eq(rewards.id, id));
      return r ? flat(r) : null;
    },
    /** Rewards on offer to a site: its own and its ancestors' (a district's supermarket serves its stations). */
    async list(f: { underPath?: string; abovePath?: string; cityCode?: string; includeRetired?: boolean; scope?: SQL }, tx: Executor = db) {
      const conds: (SQL | undefined)[] = [];
      if (!f.includeRetired) conds.push(eq(rewards.status, 'active'));
      if (f.cityCode) conds.push(eq(rewards.cityCode, f.cityCode));
      if (f.abovePath) conds.push(sql`${orgs.path} @> ${f.abovePath}::ltree`);
      if (f.underPath) conds.push(sql`${orgs.path} <@ ${f.underPath}::ltree`);
      if (f.scope) conds.push(f.scope);
      return (
        await base(tx)
          .where(and(...conds))
          .orderBy(asc(rewards.status), asc(rewards.cost), asc(rewards.name))
          .limit(500)
      ).map(flat);
    },
    /** Upload ids among `ids` that exist (pictures must be uploaded first). */
    async existingUploads(ids: string[], tx: Executor = db): Promise<Set<string>> {
      if (!ids.length) return new Set();
      const res = await tx.execute(
        sql`SELECT id::text AS id FROM uploads WHERE id::text IN (${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )})`,
      );
      return new Set((res as { rows: { id: string }[] }).rows.map((r) => r.id));
    },
    /** Locks the reward row; returns its status (null: gone). */
    async lock(tx: Executor, cityCode: string, id: string): Promise<'active' | 'retired' | null> {
      const res = await tx.execute(sql`SELECT status FROM rewards WHERE city_code = ${cityCode} AND id = ${id} FOR UPDATE`);
      return (res as { rows: { status: 'active' | 'retired' }[] }).rows[0]?.status ?? null;
    },
    /**
     * Rewards on offer to a user: those of the supermarkets at or above their home sites — where
     * they reported in as a volunteer, or where they earned or spent points.
     */
    async availableTo(userId: string, tx: Executor = db): Promise<RewardRow[]> {
      const homes = sql`(
        SELECT h.city_code, h.path FROM orgs h
        WHERE (h.city_code, h.id) IN (
          SELECT city_code, org_id FROM volunteers WHERE user_id = ${userId}
          UNION SELECT city_code, org_id FROM points_ledger WHERE user_id = ${userId} AND org_id IS NOT NULL))`;
      return (
        await base(tx)
          .where(
            and(eq(rewards.status, 'active'), sql`EXISTS (SELECT 1 FROM ${homes} hm WHERE hm.city_code = ${rewards.cityCode} AND hm.path <@ ${orgs.path})`),
          )
          .orderBy(asc(rewards.cost), asc(rewards.name))
          .limit(500)
      ).map(flat);
    },
    /** Whether a reward of the site at `path` is on offer to the user (see availableTo). */
    async isAvailableTo(userId: string, cityCode: string, path: string, tx: Executor = db): Promise<boolean> {
      const res = await tx.execute(sql`
        SELECT EXISTS (
          SELECT 1 FROM orgs h
          WHERE h.city_code = ${cityCode} AND h.path <@ ${path}::ltree AND (h.city_code, h.id) IN (
            SELECT city_code, org_id FROM volunteers WHERE user_id = ${userId} AND city_code = ${cityCode}
            UNION SELECT city_code, org_id FROM points_ledger WHERE user_id = ${userId} AND city_code = ${cityCode} AND org_id IS NOT NULL)) AS ok`);
      return Boolean((res as { rows: { ok: boolean }[] }).rows[0]?.ok);
    },
    /** Takes stock only if enough is left (the CHECK is the last word). */
    async takeStock(tx: Executor, cityCode: string, id: string, qty: number): Promise<boolean> {
      const res = await tx.execute(
        sql`UPDATE rewards SET stock = stock - ${qty} WHERE city_code = ${cityCode} AND id = ${id} AND stock >= ${qty} RETURNING id`,
      );
      return (res as { rows: unknown[] }).rows.length > 0;
    },
    async addStock(tx: Executor, cityCode: string, id: string, qty: number) {
      await tx.execute(sql`UPDATE rewards SET stock = stock + ${qty} WHERE city_code = ${cityCode} AND id = ${id}`);
    },
    async setStatus(tx: Executor, cityCode: string, id: string, status: 'active' | 'retired') {
      await tx
        .update(rewards)
        .set({ status })
        .where(and(eq(rewards.cityCode, cityCode), eq(rewards.id, id)));
    },
    async monthlyQuantity(tx: Executor, cityCode: string, rewardId: string, userId: string, since: Date) {
      const res = await tx.execute(
        sql`SELECT coalesce(sum(quantity), 0)::int AS n FROM redemptions WHERE city_code = ${cityCode} AND reward_id = ${rewardId} AND user_id = ${userId} AND status <> 'cancelled' AND created_at >= ${since}`,
      );
      return Number((res as { rows: { n: number }[] }).rows[0]?.n ?? 0);
    },
    /** A user's quantities per reward since an instant (not cancelled). */
    async quantitiesOf(userId: string, since: Date, tx: Executor = db): Promise<Map<string, number>> {
      const res = await tx.execute(
        sql`SELECT reward_id::text AS reward_id, sum(quantity)::int AS n FROM redemptions WHERE user_id = ${userId} AND status <> 'cancelled' AND created_at >= ${since} GROUP BY reward_id`,
      );
      return new Map((res as { rows: { reward_id: string; n: number }[] }).rows.map((r) => [r.reward_id, Number(r.n)]));
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
    /** Staff list: redemptions of the rewards in a scope, newest first, keyset-paginated. */
    async redemptionsPage(
      f: { scope: SQL; rewardId?: string; status?: RedemptionRow['status']; from?: Date; to?: Date; before?: { createdAt: Date; id: string }; limit: number },
      tx: Executor = db,
    ) {
      const conds: SQL[] = [f.scope];
      if (f.rewardId) conds.push(eq(redemptions.rewardId, f.rewardId));
      if (f.status) conds.push(eq(redemptions.status, f.status));
      if (f.from) conds.push(sql`${redemptions.createdAt} >= ${f.from}`);
      if (f.to) conds.push(sql`${redemptions.createdAt} < ${f.to}`);
      if (f.before) conds.push(sql`(${redemptions.createdAt}, ${redemptions.id}) < (${f.before.createdAt}, ${f.before.id})`);
      return (
        await rbase(tx)
          .where(and(...conds))
          .orderBy(desc(redemptions.createdAt), desc(redemptions.id))
          .limit(f.limit)
      ).map(rflat);
    },
    async transitionRedemption(
      tx: Executor,
      cityCode: string,
      id: string,
      from: 'pending_pickup',
      to: 'fulfilled' | 'cancelled',
      patch: Partial<typeof redemptions.$inferInsert>,
      codeMustBe?: string,
    ) {
      const conds = [eq(redemptions.cityCode, cityCode), eq(redemptions.id, id), eq(redemptions.status, from)];
      if (codeMustBe) conds.push(eq(redemptions.pickupCode, codeMustBe));
      const [r] = await tx
        .update(redemptions)
        .set({ ...patch, status: to })
        .where(and(...conds))
        .returning();
      return r ?? null;
    },
    async insertAdjustment(tx: Executor, row: typeof pointsAdjustments.$inferInsert) {
      await tx.insert(pointsAdjustments).values(row);
    },
    async adjustmentById(id: string, tx: Executor = db) {
      const [r] = await tx
        .select({ a: pointsAdjustments, orgPath: sql<string>`${orgs.path}::text` })
        .from(pointsAdjustments)
        .innerJoin(orgs, and(eq(orgs.cityCode, pointsAdjustments.cityCode), eq(orgs.id, pointsAdjustments.orgId)))
        .where(eq(pointsAdjustments.id, id));
      return r ? { ...r.a, orgPath: r.orgPath } : null;
    },
    /**
     * Whether a person belongs to a site's subtree for points: a volunteer profile at a site of it,
     * or points earned or spent at one (issue 15: an org adjusts only the points of its own people).
     */
    async relatesToSubtree(cityCode: string, orgPath: string, userId: string, tx: Executor = db): Promise<boolean> {
      const res = await tx.execute(sql`SELECT (
          EXISTS (SELECT 1 FROM volunteers v JOIN orgs o ON o.city_code = v.city_code AND o.id = v.org_id
                  WHERE v.city_code = ${cityCode} AND v.user_id = ${userId} AND o.path <@ ${orgPath}::ltree)
          OR EXISTS (SELECT 1 FROM points_ledger l JOIN orgs o ON o.city_code = l.city_code AND o.id = l.org_id
                  WHERE l.city_code = ${cityCode} AND l.user_id = ${userId} AND o.path <@ ${orgPath}::ltree)
        ) AS related`);
      return Boolean((res as { rows: { related: boolean }[] }).rows[0]?.related);
    },
    /**
     * The points a person holds from a site's subtree: earned there, less what was spent or
     * deducted there. Inside a transaction, lock the account first (lockPointsAccount) so that two
     * debits cannot both count the same points.
     */
    async subtreePoints(cityCode: string, orgPath: string, userId: string, tx: Executor = db): Promise<number> {
      const res = await tx.execute(sql`SELECT coalesce(sum(l.delta), 0)::int AS n FROM points_ledger l
          JOIN orgs o ON o.city_code = l.city_code AND o.id = l.org_id
          WHERE l.city_code = ${cityCode} AND l.user_id = ${userId} AND o.path <@ ${orgPath}::ltree`);
      return Number((res as { rows: { n: number }[] }).rows[0]?.n ?? 0);
    },
    /** Locks a person's points account of a city (if they have one) until the transaction ends. */
    async lockPointsAccount(tx: Executor, cityCode: string, userId: string) {
      await tx.execute(sql`SELECT 1 FROM points_accounts WHERE city_code = ${cityCode} AND user_id = ${userId} FOR UPDATE`);
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
      return tx
        .select({ a: pointsAdjustments })
        .from(pointsAdjustments)
        .innerJoin(orgs, and(eq(orgs.cityCode, pointsAdjustments.cityCode), eq(orgs.id, pointsAdjustments.orgId)))
        .where(scope)
        .orderBy(desc(pointsAdjustments.createdAt))
        .limit(200);
    },
    /** Adjustments in a scope with the names of the people involved, newest first (pending first). */
    async adjustmentsList(f: { scope: SQL; status?: AdjustmentRow['status'] }, tx: Executor = db): Promise<AdjustmentRow[]> {
      const res = await tx.execute(sql`
        SELECT a.city_code, a.id, a.org_id, o.name AS org_name, o.path::text AS org_path, a.user_id, u.name AS user_name, u.phone AS user_phone,
          a.delta, a.reason, a.status, a.requested_by, rq.name AS requested_by_name, a.decided_by, dc.name AS decided_by_name, a.created_at, a.decided_at
        FROM points_adjustments a
        JOIN orgs o ON o.city_code = a.city_code AND o.id = a.org_id
        LEFT JOIN users u ON u.id = a.user_id
        LEFT JOIN users rq ON rq.id = a.requested_by
        LEFT JOIN users dc ON dc.id = a.decided_by
        WHERE ${f.scope} ${f.status ? sql`AND a.status = ${f.status}` : sql``}
        ORDER BY (a.status = 'pending') DESC, a.created_at DESC LIMIT 200`);
      return (res as { rows: Record<string, unknown>[] }).rows.map((r) => ({
        cityCode: String(r.city_code),
        id: String(r.id),
        orgId: String(r.org_id),
        orgName: String(r.org_name),
        orgPath: String(r.org_path),
        userId: String(r.user_id),
        userName: (r.user_name as string | null) ?? null,
        userPhone: (r.user_phone as string | null) ?? null,
        delta: Number(r.delta),
        reason: String(r.reason),
        status: r.status as AdjustmentRow['status'],
        requestedBy: String(r.requested_by),
        requestedByName: (r.requested_by_name as string | null) ?? null,
        decidedBy: (r.decided_by as string | null) ?? null,
        decidedByName: (r.decided_by_name as string | null) ?? null,
        createdAt: new Date(r.created_at as string),
        decidedAt: r.decided_at ? new Date(r.decided_at as string) : null,
      }));
    },
  };
}

export type RewardsRepository = ReturnType<typeof createRewardsRepository>;
