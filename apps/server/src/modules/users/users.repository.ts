import { and, eq, ilike, inArray, or, sql, desc, lt, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { departments, orgs, roleGrants, userCities, users, volunteers } from '../../db/schema.ts';
import type { Grant, OrgRef } from '../../lib/policy.ts';

export type UserRow = typeof users.$inferSelect;

/**
 * The desk of a site: the users holding dispatcher or org_admin on the nearest staffed org at or
 * above it, as an array (NULL when none), for use inside another query (`siteForOrder` reads the
 * site and its desk in one statement).
 */
export function deskHoldersOf(cityCode: SQL, orgPath: SQL): SQL {
  return sql`(WITH staffed AS (
      SELECT o.path, g.user_id FROM role_grants g JOIN orgs o ON o.city_code = g.city_code AND o.id = g.org_id
      WHERE g.city_code = ${cityCode} AND g.role IN ('dispatcher', 'org_admin') AND o.path @> ${orgPath}
    ), deepest AS (SELECT max(nlevel(path)) AS d FROM staffed)
    SELECT array_agg(DISTINCT s.user_id) FROM staffed s, deepest WHERE nlevel(s.path) = deepest.d)`;
}

export function createUsersRepository(db: Executor) {
  return {
    async insert(row: { id: string; phone: string; name: string; passwordHash: string; isAdmin?: boolean; termsAcceptedAt?: Date }, tx: Executor = db) {
      const [created] = await tx.insert(users).values(row).onConflictDoNothing({ target: users.phone }).returning();
      return created ?? null;
    },

    async byId(id: string, tx: Executor = db): Promise<UserRow | null> {
      const [row] = await tx.select().from(users).where(eq(users.id, id));
      return row ?? null;
    },

    async byPhone(phone: string, tx: Executor = db): Promise<UserRow | null> {
      const [row] = await tx.select().from(users).where(eq(users.phone, phone));
      return row ?? null;
    },

    async setPassword(id: string, passwordHash: string, tx: Executor = db) {
      await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, id));
    },
    /**
     * Replaces a hash made with older parameters by one of today's, only if it is still the same
     * hash: a password changed meanwhile is never overwritten by the sign-in that read the old one.
     */
    async upgradePasswordHash(id: string, from: string, to: string, tx: Executor = db) {
      await tx
        .update(users)
        .set({ passwordHash: to })
        .where(and(eq(users.id, id), eq(users.passwordHash, from)));
    },
    async setAdminPassword(phone: string, passwordHash: string, tx: Executor = db) {
      await tx.update(users).set({ passwordHash, isAdmin: true, updatedAt: new Date() }).where(eq(users.phone, phone));
    },

    /** The sites of the user's volunteer profiles (city code and ltree path): where they belong as a volunteer. */
    async volunteerSitesOf(userId: string, tx: Executor = db): Promise<OrgRef[]> {
      return tx
        .select({ cityCode: orgs.cityCode, path: sql<string>`${orgs.path}::text` })
        .from(volunteers)
        .innerJoin(orgs, and(eq(orgs.cityCode, volunteers.cityCode), eq(orgs.id, volunteers.orgId)))
        .where(eq(volunteers.userId, userId));
    },

    /** The user's role grants with the org path they are scoped to. */
    async grantsOf(userIds: string[], tx: Executor = db): Promise<(Grant & { userId: string })[]> {
      if (userIds.length === 0) return [];
      const rows = await tx
        .select({
          id: roleGrants.id,
          userId: roleGrants.userId,
          role: roleGrants.role,
          cityCode: roleGrants.cityCode,
          orgId: roleGrants.orgId,
          orgName: orgs.name,
          orgPath: sql<string>`${orgs.path}::text`,
          departmentId: roleGrants.departmentId,
          departmentName: departments.name,
        })
        .from(roleGrants)
        .innerJoin(orgs, and(eq(orgs.cityCode, roleGrants.cityCode), eq(orgs.id, roleGrants.orgId)))
        .leftJoin(departments, and(eq(departments.cityCode, roleGrants.cityCode), eq(departments.id, roleGrants.departmentId)))
        .where(inArray(roleGrants.userId, userIds))
        .orderBy(roleGrants.createdAt);
      return rows;
    },

    /** Users holding one of `roles` directly on an org (e.g. its dispatchers, to notify them). */
    async holdersAt(cityCode: string, orgId: string, roles: Grant['role'][], tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectDistinct({ userId: roleGrants.userId })
        .from(roleGrants)
        .where(and(eq(roleGrants.cityCode, cityCode), eq(roleGrants.orgId, orgId), inArray(roleGrants.role, roles)));
      return rows.map((r) => r.userId);
    },

    /** The dispatchers and org_admins of the nearest staffed org at or above a site (its desk). */
    async deskHolders(cityCode: string, orgPath: string, tx: Executor = db): Promise<string[]> {
      const res = await tx.execute(sql`SELECT coalesce(${deskHoldersOf(sql`${cityCode}`, sql`${orgPath}::ltree`)}, '{}') AS ids`);
      return (res as { rows: { ids: string[] }[] }).rows[0]!.ids;
    },

    /** Officers of a department. */
    async officersOf(cityCode: string, departmentId: string, tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectDistinct({ userId: roleGrants.userId })
        .from(roleGrants)
        .where(and(eq(roleGrants.cityCode, cityCode), eq(roleGrants.departmentId, departmentId), eq(roleGrants.role, 'dept_officer')));
      return rows.map((r) => r.userId);
    },

    async insertGrant(
      row: { id: string; cityCode: string; userId: string; role: Grant['role']; orgId: string; departmentId: string | null; grantedBy: string },
      tx: Executor = db,
    ) {
      // The account's city first: the grant refers to it (0042).
      await tx.insert(userCities).values({ userId: row.userId, cityCode: row.cityCode }).onConflictDoNothing();
      const [created] = await tx.insert(roleGrants).values(row).onConflictDoNothing().returning();
      return created ?? null;
    },

    async grantById(id: string, tx: Executor = db) {
      const [row] = await tx
        .select({ grant: roleGrants, orgPath: sql<string>`${orgs.path}::text` })
        .from(roleGrants)
        .innerJoin(orgs, and(eq(orgs.cityCode, roleGrants.cityCode), eq(orgs.id, roleGrants.orgId)))
        .where(eq(roleGrants.id, id));
      return row ?? null;
    },

    async deleteGrant(cityCode: string, id: string, tx: Executor = db) {
      const rows = await tx
        .delete(roleGrants)
        .where(and(eq(roleGrants.cityCode, cityCode), eq(roleGrants.id, id)))
        .returning();
      return rows[0] ?? null;
    },

    /**
     * Users visible to a staff member: for admins all users; otherwise users holding a grant inside
     * the given scope condition, or whose phone is exactly `exactPhone` (to find someone to grant a role).
     */
    async list(
      opts: {
        scopeSql: ReturnType<typeof sql> | null;
        q?: string;
        limit: number;
        before?: { createdAt: Date; id: string };
      },
      tx: Executor = db,
    ): Promise<UserRow[]> {
      const conds = [];
      if (opts.q) {
        const q = opts.q.replace(/[%_\\]/g, (m) => `\\${m}`);
        conds.push(/^\d{11}$/.test(opts.q) ? eq(users.phone, opts.q) : or(ilike(users.name, `%${q}%`), ilike(users.phone, `%${q}`)));
      }
      if (opts.scopeSql) {
        // IN an uncorrelated subquery, not EXISTS correlated with the user: Citus refuses a
        // correlated subquery into distributed tables beside users (docs/scale-out.md).
        const scoped = sql`${users.id} IN (SELECT g.user_id FROM role_grants g JOIN orgs o ON o.city_code = g.city_code AND o.id = g.org_id
          WHERE ${opts.scopeSql})`;
        conds.push(opts.q && /^\d{11}$/.test(opts.q) ? or(scoped, eq(users.phone, opts.q)) : scoped);
      }
      if (opts.before) {
        conds.push(or(lt(users.createdAt, opts.before.createdAt), and(eq(users.createdAt, opts.before.createdAt), lt(users.id, opts.before.id))));
      }
      return tx
        .select()
        .from(users)
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(users.createdAt), desc(users.id))
        .limit(opts.limit);
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
