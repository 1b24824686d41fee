import { and, arrayContains, asc, desc, eq, gte, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { idMatch } from '../../db/city-id.ts';
import type { Executor } from '../../db/client.ts';
import { orgs, pointsAccounts, teamMembers, teams, userCities, users, volunteers } from '../../db/schema.ts';

const columns = {
  v: volunteers,
  orgName: orgs.name,
  orgPath: sql<string>`${orgs.path}::text`,
  phone: users.phone,
  points: sql<number>`coalesce(${pointsAccounts.balance}, 0)`,
};

export type VolunteerRow = typeof volunteers.$inferSelect & { orgName: string; orgPath: string; phone: string; points: number };

function flatten(r: { v: typeof volunteers.$inferSelect; orgName: string; orgPath: string; phone: string | null; points: number }): VolunteerRow {
  return { ...r.v, orgName: r.orgName, orgPath: r.orgPath, phone: r.phone ?? '', points: Number(r.points) };
}

/** A team a volunteer belongs to. */
export interface VolunteerTeam {
  id: string;
  name: string;
  leaderUserId: string | null;
}

export interface VolunteerFilter {
  scope: SQL;
  orgId?: string;
  orgPath?: string;
  skill?: string;
  teamId?: string;
  minHours?: number;
  maxHours?: number;
  politicalStatus?: string;
  status?: string;
  q?: string;
  /** The last row of the previous page: its `createdKey` and id. */
  before?: { createdKey: string; id: string };
  limit: number;
}

export function createVolunteersRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select(columns)
      .from(volunteers)
      .innerJoin(orgs, and(eq(orgs.cityCode, volunteers.cityCode), eq(orgs.id, volunteers.orgId)))
      .leftJoin(users, eq(users.id, volunteers.userId))
      .leftJoin(pointsAccounts, and(eq(pointsAccounts.cityCode, volunteers.cityCode), eq(pointsAccounts.userId, volunteers.userId)));

  /**
   * The teams of many volunteers in one query (a page of the list, a page of the export), by
   * volunteer id; a volunteer in no team is absent from the map. `joined`: in the order the
   * volunteer joined them (the list and the detail); `name`: by team name (the export).
   */
  async function teamsOfMany(
    of: readonly { cityCode: string; id: string }[],
    order: 'joined' | 'name' = 'joined',
    tx: Executor = db,
  ): Promise<Map<string, VolunteerTeam[]>> {
    const out = new Map<string, VolunteerTeam[]>();
    if (!of.length) return out;
    // City codes too, so team_members_volunteer_idx (city_code, volunteer_id) serves the lookup.
    const cities = [...new Set(of.map((v) => v.cityCode))];
    const ids = [...new Set(of.map((v) => v.id))];
    const rows = await tx
      .select({ volunteerId: teamMembers.volunteerId, id: teams.id, name: teams.name, leaderUserId: teams.leaderUserId })
      .from(teamMembers)
      .innerJoin(teams, and(eq(teams.cityCode, teamMembers.cityCode), eq(teams.id, teamMembers.teamId)))
      .where(and(inArray(teamMembers.cityCode, cities), inArray(teamMembers.volunteerId, ids)))
      .orderBy(...(order === 'name' ? [asc(teams.name), asc(teams.id)] : [asc(teamMembers.joinedAt), asc(teams.id)]));
    for (const { volunteerId, ...team } of rows) {
      const list = out.get(volunteerId);
      if (list) list.push(team);
      else out.set(volunteerId, [team]);
    }
    return out;
  }

  return {
    async insert(row: typeof volunteers.$inferInsert, tx: Executor = db) {
      // The account's city first: the volunteer record refers to it (0042).
      await tx.insert(userCities).values({ userId: row.userId, cityCode: row.cityCode }).onConflictDoNothing();
      await tx.insert(volunteers).values(row);
    },

    async byId(id: string, tx: Executor = db): Promise<VolunteerRow | null> {
      const [r] = await base(tx).where(idMatch(volunteers, id));
      return r ? flatten(r) : null;
    },

    async byUserId(userId: string, tx: Executor = db): Promise<VolunteerRow[]> {
      return (await base(tx).where(eq(volunteers.userId, userId))).map(flatten);
    },

    async list(f: VolunteerFilter, tx: Executor = db): Promise<(VolunteerRow & { createdKey: string })[]> {
      const conds: (SQL | undefined)[] = [f.scope];
      if (f.orgPath) conds.push(sql`${orgs.path} <@ ${f.orgPath}::ltree`);
      if (f.skill) conds.push(or(arrayContains(volunteers.skills, [f.skill]), arrayContains(volunteers.specialties, [f.skill])));
      if (f.teamId)
        conds.push(
          sql`EXISTS (SELECT 1 FROM ${teamMembers} m WHERE m.city_code = ${volunteers.cityCode} AND m.volunteer_id = ${volunteers.id} AND m.team_id = ${f.teamId})`,
        );
      if (f.minHours !== undefined) conds.push(gte(volunteers.totalHours, f.minHours));
      if (f.maxHours !== undefined) conds.push(lt(volunteers.totalHours, f.maxHours));
      if (f.politicalStatus) conds.push(eq(volunteers.politicalStatus, f.politicalStatus as 'party'));
      if (f.status) conds.push(eq(volunteers.status, f.status as 'active'));
      if (f.q) {
        const q = f.q.replace(/[%_\\]/g, (m) => `\\${m}`);
        conds.push(/^\d{4}$/.test(f.q) ? sql`${users.phone} LIKE ${`%${q}`}` : or(ilike(volunteers.realName, `%${q}%`), ilike(volunteers.workUnit, `%${q}%`)));
      }
      // Keyset on (created_at, id), newest first, walking volunteers_created_id_idx. The cursor keeps
      // created_at as PostgreSQL's own text (microseconds and offset), so it compares exactly:
      // rows written in one transaction (a bulk import) share one timestamp and the id breaks the tie.
      if (f.before) conds.push(sql`(${volunteers.createdAt}, ${volunteers.id}) < (${f.before.createdKey}::timestamptz, ${f.before.id}::uuid)`);
      // The page is chosen first, from the volunteers and their site (and the phone only when a
      // search asks for it); the phone and the points are joined to the rows of the page only, not
      // to every volunteer of a district before the sort keeps a page (82 → ~15 ms a page of 1,000).
      let chosen = tx
        .select({ cityCode: volunteers.cityCode, id: volunteers.id })
        .from(volunteers)
        .innerJoin(orgs, and(eq(orgs.cityCode, volunteers.cityCode), eq(orgs.id, volunteers.orgId)))
        .$dynamic();
      if (f.q && /^\d{4}$/.test(f.q)) chosen = chosen.leftJoin(users, eq(users.id, volunteers.userId));
      const page = chosen
        .where(and(...conds))
        .orderBy(desc(volunteers.createdAt), desc(volunteers.id))
        .limit(f.limit)
        .as('page');
      const rows = await tx
        .select({ ...columns, createdKey: sql<string>`${volunteers.createdAt}::text` })
        .from(page)
        .innerJoin(volunteers, and(eq(volunteers.cityCode, page.cityCode), eq(volunteers.id, page.id)))
        .innerJoin(orgs, and(eq(orgs.cityCode, volunteers.cityCode), eq(orgs.id, volunteers.orgId)))
        .leftJoin(users, eq(users.id, volunteers.userId))
        .leftJoin(pointsAccounts, and(eq(pointsAccounts.cityCode, volunteers.cityCode), eq(pointsAccounts.userId, volunteers.userId)))
        .orderBy(desc(volunteers.createdAt), desc(volunteers.id));
      return rows.map((r) => ({ ...flatten(r), createdKey: r.createdKey }));
    },

    /** Conditional status change: returns false when the volunteer was not in `from`. */
    async setStatus(cityCode: string, id: string, from: 'active' | 'suspended', to: 'active' | 'suspended', reason: string | null, tx: Executor = db) {
      const rows = await tx
        .update(volunteers)
        .set({ status: to, statusReason: reason, updatedAt: new Date() })
        .where(and(eq(volunteers.cityCode, cityCode), eq(volunteers.id, id), eq(volunteers.status, from)))
        .returning({ id: volunteers.id });
      return rows.length > 0;
    },

    /** Adds (or with a negative value, removes) verified hours; the CHECK keeps the total ≥ 0. */
    async addHours(cityCode: string, id: string, hours: number, tx: Executor) {
      await tx
        .update(volunteers)
        .set({ totalHours: sql`${volunteers.totalHours} + ${hours}`, updatedAt: new Date() })
        .where(and(eq(volunteers.cityCode, cityCode), eq(volunteers.id, id)));
    },

    teamsOfMany,

    /** The teams of one volunteer, in the order they joined them. */
    async teamsOf(cityCode: string, volunteerId: string, tx: Executor = db): Promise<VolunteerTeam[]> {
      return (await teamsOfMany([{ cityCode, id: volunteerId }], 'joined', tx)).get(volunteerId) ?? [];
    },

    /** Reconciliation: volunteers whose total differs from the sum of their verified records. */
    async hourMismatches(tx: Executor = db) {
      const res = await tx.execute(sql`
        WITH sums AS (SELECT city_code, volunteer_id, sum(hours) AS total FROM service_records WHERE status = 'verified' GROUP BY city_code, volunteer_id)
        SELECT v.city_code, v.id, v.total_hours::float AS total_hours, coalesce(s.total, 0)::float AS records
        FROM volunteers v LEFT JOIN sums s ON s.city_code = v.city_code AND s.volunteer_id = v.id
        WHERE v.total_hours <> coalesce(s.total, 0)`);
      return (res as { rows: unknown[] }).rows;
    },
  };
}

export type VolunteersRepository = ReturnType<typeof createVolunteersRepository>;
