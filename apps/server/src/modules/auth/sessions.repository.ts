import { and, eq, gt, lt, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { Grant } from '../../lib/policy.ts';
import { activationCodes, loginFailures, loginThrottles, sessions, users } from '../../db/schema.ts';

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
     * Everything a request needs to know about its caller (this runs on every authenticated
     * request): the live session, its user, the user's role grants with the org and department
     * names, and the volunteer record if any. The grants and the volunteer are city rows: they are
     * looked for only in the account's cities (user_cities, 0042), named as constants, so on Citus
     * the lookup goes to those cities' shards instead of every shard — and an account with no city
     * (most residents) needs no second statement at all.
     */
    async findLiveCaller(tokenHash: string, now: Date, tx: Executor = db) {
      const [row] = await tx
        .select({
          session: sessions,
          user: users,
          cities: sql<string[] | null>`(SELECT array_agg(uc.city_code ORDER BY uc.city_code) FROM user_cities uc WHERE uc.user_id = ${users.id})`,
        })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
      if (!row) return null;
      const { cities, ...caller } = row;
      if (!cities?.length) return { ...caller, cities: [] as string[], grants: null, volunteerId: null };
      const inCities = (alias: string) =>
        cities.length === 1
          ? sql`${sql.raw(alias)}.city_code = ${cities[0]}`
          : sql`${sql.raw(alias)}.city_code IN (${sql.join(
              cities.map((c) => sql`${c}`),
              sql`, `,
            )})`;
      const res = await tx.execute(sql`
        SELECT
          (SELECT json_agg(json_build_object('id', g.id, 'role', g.role, 'cityCode', g.city_code, 'orgId', g.org_id, 'orgName', o.name,
             'orgPath', o.path::text, 'departmentId', g.department_id, 'departmentName', d.name) ORDER BY g.created_at)
           FROM role_grants g
           JOIN orgs o ON o.city_code = g.city_code AND o.id = g.org_id
           LEFT JOIN departments d ON d.city_code = g.city_code AND d.id = g.department_id
           WHERE ${inCities('g')} AND g.user_id = ${caller.user.id}) AS grants,
          (SELECT v.id FROM volunteers v WHERE ${inCities('v')} AND v.user_id = ${caller.user.id} ORDER BY v.created_at LIMIT 1) AS volunteer_id`);
      const found = (res as { rows: { grants: Grant[] | null; volunteer_id: string | null }[] }).rows[0]!;
      return { ...caller, cities, grants: found.grants, volunteerId: found.volunteer_id };
    },

    async delete(id: string, tx: Executor = db) {
      await tx.delete(sessions).where(eq(sessions.id, id));
    },

    async deleteExpired(now: Date, tx: Executor = db) {
      await tx.delete(sessions).where(lt(sessions.expiresAt, now));
    },

    /**
     * Takes one sign-in attempt for the phone, before its password or code is checked: one
     * conditional upsert, so the database decides. A new window starts when the last one is over;
     * inside a window the row is only updated while it has fewer than `limit` attempts. Returns
     * null when no slot is left (the caller answers 429), else the window's start.
     */
    async takeAttempt(phone: string, now: Date, windowMs: number, limit: number, tx: Executor = db): Promise<{ windowStartedAt: Date } | null> {
      const expired = sql`${loginThrottles.windowStartedAt} <= ${new Date(now.getTime() - windowMs)}::timestamptz`;
      const rows = await tx
        .insert(loginThrottles)
        .values({ phone, windowStartedAt: now, attempts: 1 })
        .onConflictDoUpdate({
          target: loginThrottles.phone,
          set: {
            attempts: sql`CASE WHEN ${expired} THEN 1 ELSE ${loginThrottles.attempts} + 1 END`,
            windowStartedAt: sql`CASE WHEN ${expired} THEN ${now}::timestamptz ELSE ${loginThrottles.windowStartedAt} END`,
          },
          setWhere: sql`${expired} OR ${loginThrottles.attempts} < ${limit}`,
        })
        .returning({ windowStartedAt: loginThrottles.windowStartedAt });
      return rows[0] ?? null;
    },

    /** When the phone's current throttle window started (for Retry-After). */
    async throttleWindowOf(phone: string, tx: Executor = db): Promise<Date | null> {
      const [row] = await tx.select({ at: loginThrottles.windowStartedAt }).from(loginThrottles).where(eq(loginThrottles.phone, phone));
      return row?.at ?? null;
    },

    /** A successful sign-in: the phone's attempts and failures are forgotten. */
    async clearAttempts(phone: string, tx: Executor = db) {
      await tx.delete(loginThrottles).where(eq(loginThrottles.phone, phone));
      await tx.delete(loginFailures).where(eq(loginFailures.phone, phone));
    },

    async recordFailure(phone: string, ip: string, tx: Executor = db) {
      await tx.insert(loginFailures).values({ phone, ip });
    },

    /** Signs a user out everywhere (their password was just set anew). */
    async deleteAllOf(userId: string, tx: Executor = db) {
      await tx.delete(sessions).where(eq(sessions.userId, userId));
    },

    /** Signs a user out everywhere but in the session that changed the password. */
    async deleteAllOfExcept(userId: string, keepSessionId: string, tx: Executor = db) {
      await tx.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
    },

    /** The user's one live activation code: a new one replaces the one before. */
    async putActivationCode(row: { userId: string; codeHash: string; issuedBy: string; expiresAt: Date }, tx: Executor = db) {
      // The time as a value, not now(): Citus takes only immutable functions in DO UPDATE SET.
      const createdAt = new Date();
      await tx
        .insert(activationCodes)
        .values({ ...row, createdAt })
        .onConflictDoUpdate({
          target: activationCodes.userId,
          set: { codeHash: row.codeHash, issuedBy: row.issuedBy, expiresAt: row.expiresAt, createdAt },
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
