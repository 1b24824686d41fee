import { and, asc, eq, gt, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { idMatch } from '../../db/city-id.ts';
import type { Executor } from '../../db/client.ts';
import { orgs, teamMembers, teams, userCities, users, volunteers } from '../../db/schema.ts';

const columns = {
  t: teams,
  orgName: orgs.name,
  orgPath: sql<string>`${orgs.path}::text`,
  leaderName: users.name,
  memberCount: sql<number>`(SELECT count(*)::int FROM team_members m WHERE m.city_code = teams.city_code AND m.team_id = teams.id)`,
  totalHours: sql<number>`(SELECT coalesce(sum(r.hours), 0)::float FROM service_records r WHERE r.city_code = teams.city_code AND r.team_id = teams.id AND r.status = 'verified')`,
};

export type TeamRow = typeof teams.$inferSelect & { orgName: string; orgPath: string; leaderName: string | null; memberCount: number; totalHours: number };

const flatten = (r: {
  t: typeof teams.$inferSelect;
  orgName: string;
  orgPath: string;
  leaderName: string | null;
  memberCount: number;
  totalHours: number;
}): TeamRow => ({
  ...r.t,
  orgName: r.orgName,
  orgPath: r.orgPath,
  leaderName: r.leaderName,
  memberCount: Number(r.memberCount),
  totalHours: Number(r.totalHours),
});

export function createTeamsRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select(columns)
      .from(teams)
      .innerJoin(orgs, and(eq(orgs.cityCode, teams.cityCode), eq(orgs.id, teams.orgId)))
      .leftJoin(users, eq(users.id, teams.leaderUserId));
  return {
    async insert(row: typeof teams.$inferInsert, tx: Executor = db) {
      // The leader's city first: the team refers to it (0043).
      if (row.leaderUserId) await tx.insert(userCities).values({ userId: row.leaderUserId, cityCode: row.cityCode }).onConflictDoNothing();
      const r = await tx.insert(teams).values(row).onConflictDoNothing().returning({ id: teams.id });
      return r.length > 0;
    },
    async byId(id: string, tx: Executor = db): Promise<TeamRow | null> {
      const [r] = await base(tx).where(idMatch(teams, id));
      return r ? flatten(r) : null;
    },
    async list(f: { scope: SQL; orgPath?: string; category?: string; q?: string; after?: { name: string; id: string }; limit: number }, tx: Executor = db) {
      const conds: (SQL | undefined)[] = [f.scope];
      if (f.orgPath) conds.push(sql`${orgs.path} <@ ${f.orgPath}::ltree`);
      if (f.category) conds.push(eq(teams.category, f.category));
      if (f.q) conds.push(ilike(teams.name, `%${f.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`));
      if (f.after) conds.push(or(gt(teams.name, f.after.name), and(eq(teams.name, f.after.name), gt(teams.id, f.after.id))));
      return (
        await base(tx)
          .where(and(...conds))
          .orderBy(asc(teams.name), asc(teams.id))
          .limit(f.limit)
      ).map(flatten);
    },
    async addMember(cityCode: string, teamId: string, volunteerId: string, tx: Executor = db) {
      const r = await tx.insert(teamMembers).values({ cityCode, teamId, volunteerId }).onConflictDoNothing().returning({ v: teamMembers.volunteerId });
      return r.length > 0;
    },
    async removeMember(cityCode: string, teamId: string, volunteerId: string, tx: Executor = db) {
      const r = await tx
        .delete(teamMembers)
        .where(and(eq(teamMembers.cityCode, cityCode), eq(teamMembers.teamId, teamId), eq(teamMembers.volunteerId, volunteerId)))
        .returning({ v: teamMembers.volunteerId });
      return r.length > 0;
    },
    async members(cityCode: string, teamId: string, tx: Executor = db) {
      return tx
        .select({
          volunteerId: volunteers.id,
          userId: volunteers.userId,
          realName: volunteers.realName,
          skills: volunteers.skills,
          status: volunteers.status,
          totalHours: volunteers.totalHours,
          joinedAt: teamMembers.joinedAt,
        })
        .from(teamMembers)
        .innerJoin(volunteers, and(eq(volunteers.cityCode, teamMembers.cityCode), eq(volunteers.id, teamMembers.volunteerId)))
        .where(and(eq(teamMembers.cityCode, cityCode), eq(teamMembers.teamId, teamId)))
        .orderBy(asc(teamMembers.joinedAt));
    },
    async isMember(cityCode: string, teamId: string, volunteerId: string, tx: Executor = db) {
      const [r] = await tx
        .select({ v: teamMembers.volunteerId })
        .from(teamMembers)
        .where(and(eq(teamMembers.cityCode, cityCode), eq(teamMembers.teamId, teamId), eq(teamMembers.volunteerId, volunteerId)));
      return !!r;
    },
    /**
     * Teams led by the user, with their sites (the user's 队长 view: /me, activities they organise).
     * Looked for in the user's cities only (a leader's city is in user_cities, 0043): pass them when
     * known (the caller's, resolved with the session), else they are read first.
     */
    async ledBy(userId: string, cities?: readonly string[], tx: Executor = db) {
      const inCities = cities ?? (await tx.select({ c: userCities.cityCode }).from(userCities).where(eq(userCities.userId, userId))).map((r) => r.c);
      if (!inCities.length) return [];
      return tx
        .select({ id: teams.id, cityCode: teams.cityCode, name: teams.name, orgId: teams.orgId, orgName: orgs.name })
        .from(teams)
        .innerJoin(orgs, and(eq(orgs.cityCode, teams.cityCode), eq(orgs.id, teams.orgId)))
        .where(and(inArray(teams.cityCode, [...inCities]), eq(teams.leaderUserId, userId)))
        .orderBy(asc(teams.name), asc(teams.id));
    },
  };
}

export type TeamsRepository = ReturnType<typeof createTeamsRepository>;
