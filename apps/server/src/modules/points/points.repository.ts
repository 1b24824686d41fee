import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { orgSettings, pointsAccounts, pointsLedger } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';

export interface LedgerEntry {
  cityCode: string;
  userId: string;
  delta: number;
  reason: string;
  sourceType: string;
  sourceId: string;
  note?: string | null;
}

export function createPointsRepository(db: Executor) {
  return {
    /**
     * Appends one ledger row and moves the balance, once per (user, reason, source): a second call
     * for the same source writes nothing and returns false. Must run inside the caller's transaction.
     * A debit below zero fails on the balance CHECK.
     */
    async post(tx: Executor, e: LedgerEntry): Promise<boolean> {
      await tx.insert(pointsAccounts).values({ cityCode: e.cityCode, userId: e.userId }).onConflictDoNothing();
      const inserted = await tx
        .insert(pointsLedger)
        .values({ ...e, id: newId(), note: e.note ?? null })
        .onConflictDoNothing()
        .returning({ id: pointsLedger.id });
      if (!inserted.length) return false;
      await tx
        .update(pointsAccounts)
        .set({
          balance: sql`${pointsAccounts.balance} + ${e.delta}`,
          earned: sql`${pointsAccounts.earned} + ${Math.max(e.delta, 0)}`,
          spent: sql`${pointsAccounts.spent} + ${Math.max(-e.delta, 0)}`,
          updatedAt: new Date(),
        })
        .where(and(eq(pointsAccounts.cityCode, e.cityCode), eq(pointsAccounts.userId, e.userId)));
      return true;
    },

    async balances(userId: string, tx: Executor = db) {
      return tx.select().from(pointsAccounts).where(eq(pointsAccounts.userId, userId));
    },

    async balance(cityCode: string, userId: string, tx: Executor = db): Promise<number> {
      const [row] = await tx
        .select({ balance: pointsAccounts.balance })
        .from(pointsAccounts)
        .where(and(eq(pointsAccounts.cityCode, cityCode), eq(pointsAccounts.userId, userId)));
      return row?.balance ?? 0;
    },

    async ledger(userId: string, limit: number, tx: Executor = db) {
      return tx.select().from(pointsLedger).where(eq(pointsLedger.userId, userId)).orderBy(desc(pointsLedger.createdAt), desc(pointsLedger.id)).limit(limit);
    },

    /** Points per verified hour for an org: the nearest ancestor-or-self setting, else null. */
    async pointsPerHour(cityCode: string, orgPath: string, tx: Executor = db): Promise<number | null> {
      const res = await tx.execute(sql`
        SELECT s.points_per_hour AS v FROM ${orgSettings} s
        JOIN orgs o ON o.city_code = s.city_code AND o.id = s.org_id
        WHERE s.city_code = ${cityCode} AND o.path @> ${orgPath}::ltree AND s.points_per_hour IS NOT NULL
        ORDER BY nlevel(o.path) DESC LIMIT 1`);
      const rows = (res as unknown as { rows: { v: number }[] }).rows;
      return rows[0]?.v ?? null;
    },

    async setPointsPerHour(cityCode: string, orgId: string, value: number | null, tx: Executor = db) {
      await tx
        .insert(orgSettings)
        .values({ cityCode, orgId, pointsPerHour: value })
        .onConflictDoUpdate({ target: [orgSettings.cityCode, orgSettings.orgId], set: { pointsPerHour: value, updatedAt: new Date() } });
    },

    /** Reconciliation: accounts whose balance differs from the sum of their ledger rows. */
    async mismatches(tx: Executor = db) {
      const res = await tx.execute(sql`
        WITH sums AS (SELECT city_code, user_id, sum(delta)::int AS total FROM points_ledger GROUP BY city_code, user_id)
        SELECT a.city_code, a.user_id, a.balance, coalesce(s.total, 0) AS ledger
        FROM points_accounts a LEFT JOIN sums s ON s.city_code = a.city_code AND s.user_id = a.user_id
        WHERE a.balance <> coalesce(s.total, 0)`);
      return (res as unknown as { rows: { city_code: string; user_id: string; balance: number; ledger: number }[] }).rows;
    },
  };
}

export type PointsRepository = ReturnType<typeof createPointsRepository>;
