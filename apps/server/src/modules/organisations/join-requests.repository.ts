import { aliasedTable, and, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { joinRequests, organisations, organisationTeams, orgs, teams, volunteers } from '../../db/schema.ts';

const teamSite = aliasedTable(orgs, 'team_site');
const organisationSite = aliasedTable(orgs, 'organisation_site');

const columns = {
  j: joinRequests,
  volunteerName: volunteers.realName,
  volunteerUserId: volunteers.userId,
  teamName: teams.name,
  teamLeaderUserId: teams.leaderUserId,
  teamOrgPath: sql<string | null>`${teamSite.path}::text`,
  /** The organisation the team belongs to, if any (its admins decide the team's requests too). */
  teamOrganisationId: organisationTeams.organisationId,
  organisationName: organisations.name,
  organisationOrgPath: sql<string | null>`${organisationSite.path}::text`,
  /** created_at as PostgreSQL prints it (microseconds kept), for cursors. */
  createdKey: sql<string>`${joinRequests.createdAt}::text`,
};

export type JoinRequestRow = typeof joinRequests.$inferSelect & {
  volunteerName: string;
  volunteerUserId: string | null;
  teamName: string | null;
  teamLeaderUserId: string | null;
  teamOrgPath: string | null;
  teamOrganisationId: string | null;
  organisationName: string | null;
  organisationOrgPath: string | null;
  createdKey: string;
};

const flatten = (r: { j: typeof joinRequests.$inferSelect } & Omit<JoinRequestRow, keyof typeof joinRequests.$inferSelect>): JoinRequestRow => {
  const { j, ...rest } = r;
  return { ...j, ...rest };
};

export interface DeciderFilter {
  /** Staff scope condition over a site's (city_code, path); applied to the team's or the organisation's site. */
  staffScope: (cityCol: unknown, pathCol: unknown) => SQL;
  userId: string;
  status: string;
  teamId?: string;
  organisationId?: string;
  after?: { createdAt: string; id: string };
  limit: number;
}

export function createJoinRequestsRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select(columns)
      .from(joinRequests)
      .innerJoin(volunteers, and(eq(volunteers.cityCode, joinRequests.cityCode), eq(volunteers.id, joinRequests.volunteerId)))
      .leftJoin(teams, and(eq(teams.cityCode, joinRequests.cityCode), eq(teams.id, joinRequests.teamId)))
      .leftJoin(teamSite, and(eq(teamSite.cityCode, teams.cityCode), eq(teamSite.id, teams.orgId)))
      .leftJoin(organisationTeams, and(eq(organisationTeams.cityCode, joinRequests.cityCode), eq(organisationTeams.teamId, joinRequests.teamId)))
      .leftJoin(organisations, and(eq(organisations.cityCode, joinRequests.cityCode), eq(organisations.id, joinRequests.organisationId)))
      .leftJoin(organisationSite, and(eq(organisationSite.cityCode, organisations.cityCode), eq(organisationSite.id, organisations.orgId)));
  return {
    async insert(row: typeof joinRequests.$inferInsert, tx: Executor = db) {
      await tx.insert(joinRequests).values(row);
    },
    async byId(id: string, tx: Executor = db): Promise<JoinRequestRow | null> {
      const [r] = await base(tx).where(eq(joinRequests.id, id));
      return r ? flatten(r) : null;
    },
    /**
     * The decision, as one conditional update: only a pending request moves, so of two approvals
     * racing, one changes the row and the other finds it decided (false).
     */
    async decide(
      cityCode: string,
      id: string,
      to: { status: 'approved' | 'refused' | 'withdrawn'; reason?: string | null; decidedBy: string; at: Date },
      tx: Executor = db,
    ) {
      const r = await tx
        .update(joinRequests)
        .set({ status: to.status, reason: to.reason ?? null, decidedBy: to.decidedBy, decidedAt: to.at })
        .where(and(eq(joinRequests.cityCode, cityCode), eq(joinRequests.id, id), eq(joinRequests.status, 'pending')))
        .returning({ id: joinRequests.id });
      return r.length > 0;
    },
    async ofVolunteer(cityCode: string, volunteerId: string, limit: number, tx: Executor = db) {
      return (
        await base(tx)
          .where(and(eq(joinRequests.cityCode, cityCode), eq(joinRequests.volunteerId, volunteerId)))
          .orderBy(desc(joinRequests.createdAt), desc(joinRequests.id))
          .limit(limit)
      ).map(flatten);
    },
    /** Requests the user may decide: in their staff scope, of teams they lead, or of organisations (and their teams) they administer. */
    async forDecider(f: DeciderFilter, tx: Executor = db) {
      const administered = sql`(SELECT a.organisation_id FROM organisation_admins a WHERE a.user_id = ${f.userId})`;
      const mine = or(
        and(sql`${joinRequests.teamId} IS NOT NULL`, f.staffScope(teamSite.cityCode, teamSite.path)),
        and(sql`${joinRequests.organisationId} IS NOT NULL`, f.staffScope(organisationSite.cityCode, organisationSite.path)),
        eq(teams.leaderUserId, f.userId),
        sql`${joinRequests.organisationId} IN ${administered}`,
        sql`${organisationTeams.organisationId} IN ${administered}`,
      );
      const conds: (SQL | undefined)[] = [mine, eq(joinRequests.status, f.status as 'pending')];
      if (f.teamId) conds.push(eq(joinRequests.teamId, f.teamId));
      if (f.organisationId) conds.push(or(eq(joinRequests.organisationId, f.organisationId), eq(organisationTeams.organisationId, f.organisationId)));
      if (f.after) conds.push(sql`(${joinRequests.createdAt}, ${joinRequests.id}) < (${f.after.createdAt}::timestamptz, ${f.after.id}::uuid)`);
      return (
        await base(tx)
          .where(and(...conds))
          .orderBy(desc(joinRequests.createdAt), desc(joinRequests.id))
          .limit(f.limit)
      ).map(flatten);
    },
  };
}

export type JoinRequestsRepository = ReturnType<typeof createJoinRequestsRepository>;
