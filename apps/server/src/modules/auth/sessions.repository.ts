import { and, count, eq, gt, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { Grant } from '../../lib/policy.ts';
import { activationCodes, loginFailures, sessions, users } from '../../db/schema.ts';

export function createSessionsRepository(db: Executor) {
  return {
    async insert(row: typeof sessions.$inferInsert, tx: Executor = db) {
      await tx.insert(sessions).values(row);
    },

    /** The live session for a token hash, with its user. */
    async findLive(tokenHash: string, now: Date, tx: Executor = db) {
      const [row] = await tx
        .select({ session: sessions, user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
      return row ?? null;
    },

    /**
     * Everything a request needs to know about its caller, in one round trip (this runs on every
     * authenticated request): the live session, its user, the user's role grants with the org and
     * department names, and the volunteer record if any.
     */
    async findLiveCaller(tokenHash: string, now: Date, tx: Executor = db) {
      const [row] = await tx
        .select({
          session: sessions,
          user: users,
          grants: sql<Grant[] | null>`(
            SELECT json_agg(json_build_object('id', g.id, 'role', g.role, 'cityCode', g.city_code, 'orgId', g.org_id, 'orgName', o.name,
              'orgPath', o.path::text, 'departmentId', g.department_id, 'departmentName', d.name) ORDER BY g.created_at)
            FROM role_grants g
            JOIN orgs o ON o.city_code = g.city_code AND o.id = g.org_id
            LEFT JOIN departments d ON d.city_code = g.city_code AND d.id = g.department_id
            WHERE g.user_id = ${users.id})`,
          volunteerId: sql<string | null>`(SELECT v.id FROM volunteers v WHERE v.user_id = ${users.id} ORDER BY v.created_at LIMIT 1)`,
        })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
      return row ?? null;
    },

    async delete(id: string, tx: Executor = db) {
      await tx.delete(sessions).where(eq(sessions.id, id));
    },

    async deleteExpired(now: Date, tx: Executor = db) {
      await tx.delete(sessions).where(lt(sessions.expiresAt, now));
    },

    async recordFailure(phone: string, ip: string, tx: Executor = db) {
      await tx.insert(loginFailures).values({ phone, ip });
    },

    async failuresSince(phone: string, since: Date, tx: Executor = db): Promise<number> {
      const [row] = await tx
        .select({ n: count() })
        .from(loginFailures)
        .where(and(eq(loginFailures.phone, phone), gt(loginFailures.at, since)));
      return Number(row?.n ?? 0);
    },

    async oldestFailureSince(phone: string, since: Date, tx: Executor = db): Promise<Date | null> {
      const [row] = await tx
        .select({ at: loginFailures.at })
        .from(loginFailures)
        .where(and(eq(loginFailures.phone, phone), gt(loginFailures.at, since)))
        .orderBy(loginFailures.at)
        .limit(1);
      return row?.at ?? null;
    },

    async clearFailures(phone: string, tx: Executor = db) {
      await tx.delete(loginFailures).where(eq(loginFailures.phone, phone));
    },

    /** Signs a user out everywhere (their password was just set anew). */
    async deleteAllOf(userId: string, tx: Executor = db) {
      await tx.delete(sessions).where(eq(sessions.userId, userId));
    },

    /** The user's one live activation code: a new one replaces the one before. */
    async putActivationCode(row: { userId: string; codeHash: string; issuedBy: string; expiresAt: Date }, tx: Executor = db) {
      await tx
        .insert(activationCodes)
        .values(row)
        .onConflictDoUpdate({
          target: activationCodes.userId,
          set: { codeHash: row.codeHash, issuedBy: row.issuedBy, expiresAt: row.expiresAt, createdAt: sql`now()` },
        });
    },

    /**
     * Uses the user's activation code if it is this one and still live: deleted in the same
     * statement, so of two requests racing with one code only one gets true.
     */
    async takeActivationCode(userId: string, codeHash: string, now: Date, tx: Executor = db): Promise<boolean> {
      const rows = await tx
        .delete(activationCodes)
        .where(and(eq(activationCodes.userId, userId), eq(activationCodes.codeHash, codeHash), gt(activationCodes.expiresAt, now)))
        .returning({ userId: activationCodes.userId });
      return rows.length === 1;
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
