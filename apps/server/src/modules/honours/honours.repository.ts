import { and, asc, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { honourNominations, honourRounds, honourVotes, orgs, teams, volunteers } from '../../db/schema.ts';

const orgPath = sql<string>`${orgs.path}::text`;
export type RoundRow = typeof honourRounds.$inferSelect & { orgName: string; orgPath: string };
export type NominationRow = typeof honourNominations.$inferSelect & { orgName: string; orgPath: string; nomineeName: string };

export function createHonoursRepository(db: Executor) {
  const roundBase = (tx: Executor) =>
    tx
      .select({ r: honourRounds, orgName: orgs.name, orgPath })
      .from(honourRounds)
      .innerJoin(orgs, and(eq(orgs.cityCode, honourRounds.cityCode), eq(orgs.id, honourRounds.orgId)));
  const nominationBase = (tx: Executor) =>
    tx
      .select({ n: honourNominations, orgName: orgs.name, orgPath, nomineeName: sql<string>`coalesce(${volunteers.realName}, ${teams.name})` })
      .from(honourNominations)
      .innerJoin(orgs, and(eq(orgs.cityCode, honourNominations.cityCode), eq(orgs.id, honourNominations.orgId)))
      .leftJoin(volunteers, and(eq(volunteers.cityCode, honourNominations.cityCode), eq(volunteers.id, honourNominations.volunteerId)))
      .leftJoin(teams, and(eq(teams.cityCode, honourNominations.cityCode), eq(teams.id, honourNominations.teamId)));
  const flatRound = (r: { r: typeof honourRounds.$inferSelect; orgName: string; orgPath: string }): RoundRow => ({
    ...r.r,
    orgName: r.orgName,
    orgPath: r.orgPath,
  });
  const flatNom = (r: { n: typeof honourNominations.$inferSelect; orgName: string; orgPath: string; nomineeName: string }): NominationRow => ({
    ...r.n,
    orgName: r.orgName,
    orgPath: r.orgPath,
    nomineeName: r.nomineeName,
  });

  return {
    async insertRound(tx: Executor, row: typeof honourRounds.$inferInsert) {
      await tx.insert(honourRounds).values(row);
    },
    async roundById(id: string, tx: Executor = db): Promise<RoundRow | null> {
      const [r] = await roundBase(tx).where(eq(honourRounds.id, id));
      return r ? flatRound(r) : null;
    },
    async listRounds(f: { where: SQL; before?: { createdAt: Date; id: string }; limit: number }, tx: Executor = db): Promise<RoundRow[]> {
      const conds: SQL[] = [f.where];
      if (f.before)
        conds.push(or(lt(honourRounds.createdAt, f.before.createdAt), and(eq(honourRounds.createdAt, f.before.createdAt), lt(honourRounds.id, f.before.id)))!);
      const rows = await roundBase(tx)
        .where(and(...conds))
        .orderBy(desc(honourRounds.createdAt), desc(honourRounds.id))
        .limit(f.limit);
      return rows.map(flatRound);
    },
    async nominationCounts(cityCode: string, roundIds: string[], publicOnly: boolean, tx: Executor = db): Promise<Map<string, number>> {
      if (!roundIds.length) return new Map();
      const conds = [eq(honourNominations.cityCode, cityCode), inArray(honourNominations.roundId, roundIds)];
      if (publicOnly) conds.push(inArray(honourNominations.status, ['approved', 'awarded']));
      const rows = await tx
        .select({ roundId: honourNominations.roundId, n: sql<number>`count(*)::int` })
        .from(honourNominations)
        .where(and(...conds))
        .groupBy(honourNominations.roundId);
      return new Map(rows.map((r) => [r.roundId, Number(r.n)]));
    },
    async transitionRound(tx: Executor, cityCode: string, id: string, from: string, to: RoundRow['state'], at: Date): Promise<boolean> {
      const r = await tx
        .update(honourRounds)
        .set({ state: to, ...(to === 'closed' ? { closedAt: at } : {}) })
        .where(and(eq(honourRounds.cityCode, cityCode), eq(honourRounds.id, id), eq(honourRounds.state, from as RoundRow['state'])))
        .returning({ id: honourRounds.id });
      return r.length === 1;
    },

    async insertNomination(tx: Executor, row: typeof honourNominations.$inferInsert) {
      await tx.insert(honourNominations).values(row);
    },
    async nominationById(id: string, tx: Executor = db): Promise<NominationRow | null> {
      const [r] = await nominationBase(tx).where(eq(honourNominations.id, id));
      return r ? flatNom(r) : null;
    },
    async nominationsOf(cityCode: string, roundId: string, statuses: NominationRow['status'][] | null, tx: Executor = db): Promise<NominationRow[]> {
      const conds = [eq(honourNominations.cityCode, cityCode), eq(honourNominations.roundId, roundId)];
      if (statuses) conds.push(inArray(honourNominations.status, statuses));
      const rows = await nominationBase(tx)
        .where(and(...conds))
        .orderBy(desc(honourNominations.votes), asc(honourNominations.createdAt), asc(honourNominations.id));
      return rows.map(flatNom);
    },
    /** Review or award, conditional on the status it was read in. */
    async setNominationStatus(
      tx: Executor,
      cityCode: string,
      id: string,
      from: NominationRow['status'],
      patch: Partial<typeof honourNominations.$inferInsert> & { status: NominationRow['status'] },
    ): Promise<boolean> {
      const r = await tx
        .update(honourNominations)
        .set(patch)
        .where(and(eq(honourNominations.cityCode, cityCode), eq(honourNominations.id, id), eq(honourNominations.status, from)))
        .returning({ id: honourNominations.id });
      return r.length === 1;
    },

    /** The vote's key is (city, round, account, day): a second vote that day fails on it, however concurrent. */
    async insertVote(tx: Executor, row: typeof honourVotes.$inferInsert) {
      await tx.insert(honourVotes).values(row);
      await tx
        .update(honourNominations)
        .set({ votes: sql`${honourNominations.votes} + 1` })
        .where(and(eq(honourNominations.cityCode, row.cityCode), eq(honourNominations.id, row.nominationId)));
    },
    async votedOn(cityCode: string, roundIds: string[], userId: string, day: string, tx: Executor = db): Promise<Set<string>> {
      if (!roundIds.length) return new Set();
      const rows = await tx
        .select({ roundId: honourVotes.roundId })
        .from(honourVotes)
        .where(and(eq(honourVotes.cityCode, cityCode), inArray(honourVotes.roundId, roundIds), eq(honourVotes.userId, userId), eq(honourVotes.voteDay, day)));
      return new Set(rows.map((r) => r.roundId));
    },
    async voteCount(cityCode: string, nominationId: string, tx: Executor = db): Promise<number> {
      const [r] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(honourVotes)
        .where(and(eq(honourVotes.cityCode, cityCode), eq(honourVotes.nominationId, nominationId)));
      return Number(r?.n ?? 0);
    },

    /** Honours awarded (获评) in closed rounds: the roll, newest first; `where` narrows (a volunteer, a city). */
    async awarded(where: SQL, limit: number, tx: Executor = db) {
      const rows = await tx
        .select({
          n: honourNominations,
          roundTitle: honourRounds.title,
          orgName: orgs.name,
          nomineeName: sql<string>`coalesce(${volunteers.realName}, ${teams.name})`,
          awardedOn: sql<string>`to_char((${honourNominations.awardedAt}) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`,
        })
        .from(honourNominations)
        .innerJoin(honourRounds, and(eq(honourRounds.cityCode, honourNominations.cityCode), eq(honourRounds.id, honourNominations.roundId)))
        .innerJoin(orgs, and(eq(orgs.cityCode, honourNominations.cityCode), eq(orgs.id, honourNominations.orgId)))
        .leftJoin(volunteers, and(eq(volunteers.cityCode, honourNominations.cityCode), eq(volunteers.id, honourNominations.volunteerId)))
        .leftJoin(teams, and(eq(teams.cityCode, honourNominations.cityCode), eq(teams.id, honourNominations.teamId)))
        .where(and(where, eq(honourNominations.status, 'awarded'), eq(honourRounds.state, 'closed')))
        .orderBy(desc(honourNominations.awardedAt), asc(honourNominations.id))
        .limit(limit);
      return rows;
    },
  };
}

export type HonoursRepository = ReturnType<typeof createHonoursRepository>;
