import { and, asc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  organisationAdmins,
  organisationMembers,
  organisations,
  organisationSites,
  organisationTeams,
  orgs,
  teamMembers,
  teams,
  users,
  volunteers,
} from '../../db/schema.ts';

// Qualified by hand: the count subqueries keep city_code (Citus routes them to the organisation's shard).
const memberCount = sql<number>`(SELECT count(*)::int FROM organisation_members m WHERE m.city_code = organisations.city_code AND m.organisation_id = organisations.id)`;
const teamCount = sql<number>`(SELECT count(*)::int FROM organisation_teams t WHERE t.city_code = organisations.city_code AND t.organisation_id = organisations.id)`;

const columns = {
  o: organisations,
  orgName: orgs.name,
  orgPath: sql<string>`${orgs.path}::text`,
  memberCount,
  teamCount,
};

export type OrganisationRow = typeof organisations.$inferSelect & { orgName: string; orgPath: string; memberCount: number; teamCount: number };

const flatten = (r: { o: typeof organisations.$inferSelect; orgName: string; orgPath: string; memberCount: number; teamCount: number }): OrganisationRow => ({
  ...r.o,
  orgName: r.orgName,
  orgPath: r.orgPath,
  memberCount: Number(r.memberCount),
  teamCount: Number(r.teamCount),
});

const like = (q: string) => `%${q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;

export interface OrganisationListFilter {
  /** Which organisations the caller may list: a staff scope on the supervising site, or the ones they administer. */
  scope: SQL;
  orgPath?: string;
  category?: string;
  q?: string;
  after?: { name: string; id: string };
  limit: number;
}

export function createOrganisationsRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select(columns)
      .from(organisations)
      .innerJoin(orgs, and(eq(orgs.cityCode, organisations.cityCode), eq(orgs.id, organisations.orgId)));
  return {
    /** False when the city already has an organisation of that credit code. */
    async insert(row: typeof organisations.$inferInsert, tx: Executor = db) {
      const r = await tx.insert(organisations).values(row).onConflictDoNothing().returning({ id: organisations.id });
      return r.length > 0;
    },
    async update(cityCode: string, id: string, patch: Partial<typeof organisations.$inferInsert>, at: Date, tx: Executor = db) {
      await tx
        .update(organisations)
        .set({ ...patch, updatedAt: at })
        .where(and(eq(organisations.cityCode, cityCode), eq(organisations.id, id)));
    },
    async byId(id: string, tx: Executor = db): Promise<OrganisationRow | null> {
      const [r] = await base(tx).where(eq(organisations.id, id));
      return r ? flatten(r) : null;
    },
    async byCreditCode(cityCode: string, creditCode: string, tx: Executor = db) {
      const [r] = await tx
        .select({ id: organisations.id })
        .from(organisations)
        .where(and(eq(organisations.cityCode, cityCode), eq(organisations.creditCode, creditCode)));
      return r?.id ?? null;
    },
    async list(f: OrganisationListFilter, tx: Executor = db) {
      const conds: (SQL | undefined)[] = [f.scope];
      if (f.orgPath) conds.push(sql`${orgs.path} <@ ${f.orgPath}::ltree`);
      if (f.category) conds.push(sql`${f.category} = ANY(${organisations.categories})`);
      if (f.q) conds.push(or(sql`${organisations.name} ILIKE ${like(f.q)}`, eq(organisations.creditCode, f.q.toUpperCase())));
      if (f.after) conds.push(or(gt(organisations.name, f.after.name), and(eq(organisations.name, f.after.name), gt(organisations.id, f.after.id))));
      return (
        await base(tx)
          .where(and(...conds))
          .orderBy(asc(organisations.name), asc(organisations.id))
          .limit(f.limit)
      ).map(flatten);
    },
    /** SQL: the organisation row is one the user administers (an uncorrelated IN, which Citus plans). */
    administeredBy(userId: string): SQL {
      return sql`(${organisations.id} IN (SELECT a.organisation_id FROM organisation_admins a WHERE a.user_id = ${userId}))`;
    },

    // ---------------------------------------------------------- service area
    async setSites(cityCode: string, organisationId: string, orgIds: string[], tx: Executor = db) {
      await tx.delete(organisationSites).where(and(eq(organisationSites.cityCode, cityCode), eq(organisationSites.organisationId, organisationId)));
      if (orgIds.length) await tx.insert(organisationSites).values(orgIds.map((orgId) => ({ cityCode, organisationId, orgId })));
    },
    async sites(cityCode: string, organisationId: string, tx: Executor = db) {
      return tx
        .select({ id: orgs.id, name: orgs.name })
        .from(organisationSites)
        .innerJoin(orgs, and(eq(orgs.cityCode, organisationSites.cityCode), eq(orgs.id, organisationSites.orgId)))
        .where(and(eq(organisationSites.cityCode, cityCode), eq(organisationSites.organisationId, organisationId)))
        .orderBy(asc(orgs.path));
    },
    /** Sites of one city among these ids (the service area must name existing sites of the organisation's city). */
    async sitesIn(cityCode: string, ids: string[], tx: Executor = db) {
      if (!ids.length) return [];
      return tx
        .select({ id: orgs.id })
        .from(orgs)
        .where(and(eq(orgs.cityCode, cityCode), inArray(orgs.id, ids)));
    },

    // ---------------------------------------------------------- teams
    /** False when the team already belongs to an organisation (this one or another). */
    async addTeam(cityCode: string, organisationId: string, teamId: string, tx: Executor = db) {
      const r = await tx
        .insert(organisationTeams)
        .values({ cityCode, organisationId, teamId })
        .onConflictDoNothing()
        .returning({ t: organisationTeams.teamId });
      return r.length > 0;
    },
    async removeTeam(cityCode: string, organisationId: string, teamId: string, tx: Executor = db) {
      const r = await tx
        .delete(organisationTeams)
        .where(and(eq(organisationTeams.cityCode, cityCode), eq(organisationTeams.organisationId, organisationId), eq(organisationTeams.teamId, teamId)))
        .returning({ t: organisationTeams.teamId });
      return r.length > 0;
    },
    async teams(cityCode: string, organisationId: string, tx: Executor = db) {
      return tx
        .select({
          id: teams.id,
          name: teams.name,
          orgName: orgs.name,
          leaderName: users.name,
          memberCount: sql<number>`(SELECT count(*)::int FROM team_members m WHERE m.city_code = teams.city_code AND m.team_id = teams.id)`,
        })
        .from(organisationTeams)
        .innerJoin(teams, and(eq(teams.cityCode, organisationTeams.cityCode), eq(teams.id, organisationTeams.teamId)))
        .innerJoin(orgs, and(eq(orgs.cityCode, teams.cityCode), eq(orgs.id, teams.orgId)))
        .leftJoin(users, eq(users.id, teams.leaderUserId))
        .where(and(eq(organisationTeams.cityCode, cityCode), eq(organisationTeams.organisationId, organisationId)))
        .orderBy(asc(teams.name), asc(teams.id));
    },
    /** The organisation a team belongs to, if any. */
    async organisationOfTeam(cityCode: string, teamId: string, tx: Executor = db) {
      const [r] = await tx
        .select({ organisationId: organisationTeams.organisationId })
        .from(organisationTeams)
        .where(and(eq(organisationTeams.cityCode, cityCode), eq(organisationTeams.teamId, teamId)));
      return r?.organisationId ?? null;
    },

    // ---------------------------------------------------------- members
    async addMember(cityCode: string, organisationId: string, volunteerId: string, tx: Executor = db) {
      const r = await tx
        .insert(organisationMembers)
        .values({ cityCode, organisationId, volunteerId })
        .onConflictDoNothing()
        .returning({ v: organisationMembers.volunteerId });
      return r.length > 0;
    },
    async removeMember(cityCode: string, organisationId: string, volunteerId: string, tx: Executor = db) {
      const r = await tx
        .delete(organisationMembers)
        .where(
          and(
            eq(organisationMembers.cityCode, cityCode),
            eq(organisationMembers.organisationId, organisationId),
            eq(organisationMembers.volunteerId, volunteerId),
          ),
        )
        .returning({ v: organisationMembers.volunteerId });
      return r.length > 0;
    },
    async isMember(cityCode: string, organisationId: string, volunteerId: string, tx: Executor = db) {
      const [r] = await tx
        .select({ v: organisationMembers.volunteerId })
        .from(organisationMembers)
        .where(
          and(
            eq(organisationMembers.cityCode, cityCode),
            eq(organisationMembers.organisationId, organisationId),
            eq(organisationMembers.volunteerId, volunteerId),
          ),
        );
      return !!r;
    },
    async members(cityCode: string, organisationId: string, f: { after?: { name: string; id: string }; limit: number }, tx: Executor = db) {
      const conds: (SQL | undefined)[] = [eq(organisationMembers.cityCode, cityCode), eq(organisationMembers.organisationId, organisationId)];
      if (f.after) conds.push(or(gt(volunteers.realName, f.after.name), and(eq(volunteers.realName, f.after.name), gt(volunteers.id, f.after.id))));
      return tx
        .select({
          volunteerId: volunteers.id,
          realName: volunteers.realName,
          status: volunteers.status,
          totalHours: volunteers.totalHours,
          joinedAt: organisationMembers.joinedAt,
        })
        .from(organisationMembers)
        .innerJoin(volunteers, and(eq(volunteers.cityCode, organisationMembers.cityCode), eq(volunteers.id, organisationMembers.volunteerId)))
        .where(and(...conds))
        .orderBy(asc(volunteers.realName), asc(volunteers.id))
        .limit(f.limit);
    },
    /** The organisations a volunteer belongs to. */
    async membershipsOf(cityCode: string, volunteerId: string, tx: Executor = db) {
      return tx
        .select({ id: organisations.id, name: organisations.name, categories: organisations.categories, joinedAt: organisationMembers.joinedAt })
        .from(organisationMembers)
        .innerJoin(organisations, and(eq(organisations.cityCode, organisationMembers.cityCode), eq(organisations.id, organisationMembers.organisationId)))
        .where(and(eq(organisationMembers.cityCode, cityCode), eq(organisationMembers.volunteerId, volunteerId)))
        .orderBy(asc(organisations.name));
    },

    /** The teams a volunteer is a member of (the phone's 我的组织 page). */
    async teamsOfVolunteer(cityCode: string, volunteerId: string, tx: Executor = db) {
      return tx
        .select({ id: teams.id, name: teams.name, orgName: orgs.name })
        .from(teamMembers)
        .innerJoin(teams, and(eq(teams.cityCode, teamMembers.cityCode), eq(teams.id, teamMembers.teamId)))
        .innerJoin(orgs, and(eq(orgs.cityCode, teams.cityCode), eq(orgs.id, teams.orgId)))
        .where(and(eq(teamMembers.cityCode, cityCode), eq(teamMembers.volunteerId, volunteerId)))
        .orderBy(asc(teams.name));
    },

    // ---------------------------------------------------------- admins
    async addAdmin(cityCode: string, organisationId: string, userId: string, grantedBy: string, tx: Executor = db) {
      const r = await tx
        .insert(organisationAdmins)
        .values({ cityCode, organisationId, userId, grantedBy })
        .onConflictDoNothing()
        .returning({ u: organisationAdmins.userId });
      return r.length > 0;
    },
    async removeAdmin(cityCode: string, organisationId: string, userId: string, tx: Executor = db) {
      const r = await tx
        .delete(organisationAdmins)
        .where(and(eq(organisationAdmins.cityCode, cityCode), eq(organisationAdmins.organisationId, organisationId), eq(organisationAdmins.userId, userId)))
        .returning({ u: organisationAdmins.userId });
      return r.length > 0;
    },
    async isAdmin(cityCode: string, organisationId: string, userId: string, tx: Executor = db) {
      const [r] = await tx
        .select({ u: organisationAdmins.userId })
        .from(organisationAdmins)
        .where(and(eq(organisationAdmins.cityCode, cityCode), eq(organisationAdmins.organisationId, organisationId), eq(organisationAdmins.userId, userId)));
      return !!r;
    },
    async admins(cityCode: string, organisationId: string, tx: Executor = db) {
      return tx
        .select({ userId: users.id, name: users.name, phone: users.phone })
        .from(organisationAdmins)
        .innerJoin(users, eq(users.id, organisationAdmins.userId))
        .where(and(eq(organisationAdmins.cityCode, cityCode), eq(organisationAdmins.organisationId, organisationId)))
        .orderBy(asc(users.name));
    },
    /** Ids (with city) of the organisations the user administers. */
    async administered(userId: string, tx: Executor = db) {
      return tx
        .select({ cityCode: organisationAdmins.cityCode, id: organisationAdmins.organisationId })
        .from(organisationAdmins)
        .where(eq(organisationAdmins.userId, userId));
    },

    // ---------------------------------------------------------- figures
    async figures(cityCode: string, organisationId: string, tx: Executor = db) {
      const res: unknown = await tx.execute(sql`
        SELECT
          (SELECT count(*)::int FROM organisation_members m WHERE m.city_code = ${cityCode} AND m.organisation_id = ${organisationId}) AS volunteers,
          (SELECT count(*)::int FROM organisation_teams t WHERE t.city_code = ${cityCode} AND t.organisation_id = ${organisationId}) AS teams,
          (SELECT count(*)::int FROM activities a JOIN organisation_teams t ON t.city_code = a.city_code AND t.team_id = a.team_id
             WHERE a.city_code = ${cityCode} AND t.organisation_id = ${organisationId} AND a.state IN ('published', 'finished')) AS activities,
          (SELECT coalesce(sum(r.hours), 0) FROM service_records r JOIN organisation_teams t ON t.city_code = r.city_code AND t.team_id = r.team_id
             WHERE r.city_code = ${cityCode} AND t.organisation_id = ${organisationId} AND r.status = 'verified') AS hours,
          (SELECT count(*)::int FROM join_requests j LEFT JOIN organisation_teams t ON t.city_code = j.city_code AND t.team_id = j.team_id
             WHERE j.city_code = ${cityCode} AND j.status = 'pending' AND (j.organisation_id = ${organisationId} OR t.organisation_id = ${organisationId})) AS pending
      `);
      const r = (res as { rows: { volunteers: number; teams: number; activities: number; hours: string | number; pending: number }[] }).rows[0]!;
      return {
        volunteers: Number(r.volunteers),
        teams: Number(r.teams),
        activities: Number(r.activities),
        hours: Number(r.hours),
        pendingRequests: Number(r.pending),
      };
    },

    // ---------------------------------------------------------- the volunteer's directory
    async directory(cityCode: string, volunteerId: string, q: string | undefined, limit: number, tx: Executor = db) {
      const conds: (SQL | undefined)[] = [eq(organisations.cityCode, cityCode), eq(organisations.status, 'active')];
      if (q) conds.push(sql`${organisations.name} ILIKE ${like(q)}`);
      return tx
        .select({
          id: organisations.id,
          name: organisations.name,
          categories: organisations.categories,
          memberCount,
          member: sql<boolean>`EXISTS (SELECT 1 FROM organisation_members m WHERE m.city_code = organisations.city_code AND m.organisation_id = organisations.id AND m.volunteer_id = ${volunteerId})`,
          pending: sql<boolean>`EXISTS (SELECT 1 FROM join_requests j WHERE j.city_code = organisations.city_code AND j.organisation_id = organisations.id AND j.volunteer_id = ${volunteerId} AND j.status = 'pending')`,
        })
        .from(organisations)
        .where(and(...conds))
        .orderBy(asc(organisations.name), asc(organisations.id))
        .limit(limit);
    },
    async teamDirectory(cityCode: string, volunteerId: string, q: string | undefined, limit: number, tx: Executor = db) {
      const conds: (SQL | undefined)[] = [eq(teams.cityCode, cityCode), eq(teams.status, 'active')];
      if (q) conds.push(sql`${teams.name} ILIKE ${like(q)}`);
      return tx
        .select({
          id: teams.id,
          name: teams.name,
          orgName: orgs.name,
          category: teams.category,
          memberCount: sql<number>`(SELECT count(*)::int FROM team_members m WHERE m.city_code = teams.city_code AND m.team_id = teams.id)`,
          member: sql<boolean>`EXISTS (SELECT 1 FROM team_members m WHERE m.city_code = teams.city_code AND m.team_id = teams.id AND m.volunteer_id = ${volunteerId})`,
          pending: sql<boolean>`EXISTS (SELECT 1 FROM join_requests j WHERE j.city_code = teams.city_code AND j.team_id = teams.id AND j.volunteer_id = ${volunteerId} AND j.status = 'pending')`,
        })
        .from(teams)
        .innerJoin(orgs, and(eq(orgs.cityCode, teams.cityCode), eq(orgs.id, teams.orgId)))
        .where(and(...conds))
        .orderBy(asc(teams.name), asc(teams.id))
        .limit(limit);
    },
  };
}

export type OrganisationsRepository = ReturnType<typeof createOrganisationsRepository>;
