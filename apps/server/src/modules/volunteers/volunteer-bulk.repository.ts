import { and, asc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { orgs, teamMembers, teams, userCities, users, volunteerImportErrors, volunteerImports, volunteers } from '../../db/schema.ts';

export type ImportJobRow = typeof volunteerImports.$inferSelect;
export type ImportErrorRow = typeof volunteerImportErrors.$inferSelect;

export interface SiteRow {
  id: string;
  name: string;
  level: string;
  cityCode: string;
  path: string;
}

export interface TeamRow {
  id: string;
  name: string;
  cityCode: string;
  orgPath: string;
  status: string;
}

function rowsOf<T>(res: unknown): T[] {
  return (res as { rows: T[] }).rows;
}

const inList = (values: string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** Import jobs, the lookups and writes of one import batch, the export's paging, 党员双报到. */
export function createVolunteerBulkRepository(db: Executor) {
  return {
    // --- jobs ------------------------------------------------------------------------------

    async createJob(row: { id: string; createdBy: string; fileName: string; total: number }, tx: Executor = db) {
      await tx.insert(volunteerImports).values({ ...row, state: 'queued' });
    },

    async job(id: string, tx: Executor = db): Promise<ImportJobRow | null> {
      const [row] = await tx.select().from(volunteerImports).where(eq(volunteerImports.id, id));
      return row ?? null;
    },

    /** queued → running; false when the job was not queued. */
    async start(id: string, tx: Executor = db) {
      const rows = await tx
        .update(volunteerImports)
        .set({ state: 'running', updatedAt: new Date() })
        .where(and(eq(volunteerImports.id, id), eq(volunteerImports.state, 'queued')))
        .returning({ id: volunteerImports.id });
      return rows.length > 0;
    },

    /** Counts one committed batch (in the batch's transaction). */
    async advance(id: string, d: { processed: number; imported: number; failed: number }, tx: Executor) {
      await tx
        .update(volunteerImports)
        .set({
          processed: sql`${volunteerImports.processed} + ${d.processed}`,
          imported: sql`${volunteerImports.imported} + ${d.imported}`,
          failed: sql`${volunteerImports.failed} + ${d.failed}`,
          updatedAt: new Date(),
        })
        .where(and(eq(volunteerImports.id, id), eq(volunteerImports.state, 'running')));
    },

    /** running (or queued) → done | failed. */
    async finish(id: string, state: 'done' | 'failed', message: string | null, tx: Executor = db) {
      const now = new Date();
      const rows = await tx
        .update(volunteerImports)
        .set({ state, message, updatedAt: now, finishedAt: now })
        .where(and(eq(volunteerImports.id, id), inArray(volunteerImports.state, ['queued', 'running'])))
        .returning({ id: volunteerImports.id });
      return rows.length > 0;
    },

    /** A job not touched since `before` was orphaned by a stopped process: mark it failed. */
    async failIfStale(id: string, before: Date, message: string, tx: Executor = db) {
      const now = new Date();
      await tx
        .update(volunteerImports)
        .set({ state: 'failed', message, updatedAt: now, finishedAt: now })
        .where(and(eq(volunteerImports.id, id), inArray(volunteerImports.state, ['queued', 'running']), lt(volunteerImports.updatedAt, before)));
    },

    async insertErrors(rows: ImportErrorRow[], tx: Executor) {
      for (let i = 0; i < rows.length; i += 1000) await tx.insert(volunteerImportErrors).values(rows.slice(i, i + 1000));
    },

    async errors(importId: string, limit: number, tx: Executor = db): Promise<ImportErrorRow[]> {
      return tx
        .select()
        .from(volunteerImportErrors)
        .where(eq(volunteerImportErrors.importId, importId))
        .orderBy(asc(volunteerImportErrors.rowNumber), asc(volunteerImportErrors.seq))
        .limit(limit);
    },

    // --- lookups for a file ----------------------------------------------------------------

    /** Sites named or numbered by the file's 报到阵地 values (all cities; scope is applied by the caller). */
    async sitesByNameOrId(names: string[], ids: string[], tx: Executor = db): Promise<SiteRow[]> {
      const conds: SQL[] = [];
      if (names.length) conds.push(sql`${orgs.name} IN (${inList(names)})`);
      if (ids.length) conds.push(sql`${orgs.id} IN (${inList(ids)})`);
      if (!conds.length) return [];
      return tx
        .select({ id: orgs.id, name: orgs.name, level: orgs.level, cityCode: orgs.cityCode, path: sql<string>`${orgs.path}::text` })
        .from(orgs)
        .where(or(...conds));
    },

    async teamsByNameOrId(names: string[], ids: string[], tx: Executor = db): Promise<TeamRow[]> {
      const conds: SQL[] = [];
      if (names.length) conds.push(sql`${teams.name} IN (${inList(names)})`);
      if (ids.length) conds.push(sql`${teams.id} IN (${inList(ids)})`);
      if (!conds.length) return [];
      return tx
        .select({ id: teams.id, name: teams.name, cityCode: teams.cityCode, orgPath: sql<string>`${orgs.path}::text`, status: teams.status })
        .from(teams)
        .innerJoin(orgs, and(eq(orgs.cityCode, teams.cityCode), eq(orgs.id, teams.orgId)))
        .where(or(...conds));
    },

    /** Sites in a scope for the template's list, shallowest first. */
    async sitesInScope(scope: SQL, limit: number, tx: Executor = db) {
      return tx
        .select({ id: orgs.id, name: orgs.name, level: orgs.level })
        .from(orgs)
        .where(and(scope, sql`${orgs.level} <> 'city'`))
        .orderBy(sql`nlevel(${orgs.path})`, sql`${orgs.name} COLLATE "C"`)
        .limit(limit);
    },

    /** `${city}:${hash}` of the given ID-number hashes already registered. */
    async existingIdHashes(pairs: { cityCode: string; hash: string }[], tx: Executor): Promise<Set<string>> {
      if (!pairs.length) return new Set();
      const rows = await tx
        .select({ cityCode: volunteers.cityCode, hash: volunteers.idNumberHash })
        .from(volunteers)
        .where(
          and(
            inArray(volunteers.cityCode, [...new Set(pairs.map((p) => p.cityCode))]),
            inArray(volunteers.idNumberHash, [...new Set(pairs.map((p) => p.hash))]),
          ),
        );
      return new Set(rows.map((r) => `${r.cityCode}:${r.hash}`));
    },

    async usersByPhone(phones: string[], tx: Executor) {
      if (!phones.length) return [];
      return tx.select({ id: users.id, phone: users.phone, name: users.name }).from(users).where(inArray(users.phone, phones));
    },

    /** `${city}:${userId}` of users who already are volunteers. */
    async volunteerUsers(userIds: string[], tx: Executor): Promise<Set<string>> {
      if (!userIds.length) return new Set();
      const rows = await tx.select({ cityCode: volunteers.cityCode, userId: volunteers.userId }).from(volunteers).where(inArray(volunteers.userId, userIds));
      return new Set(rows.map((r) => `${r.cityCode}:${r.userId}`));
    },

    // --- writes of one batch -----------------------------------------------------------------

    /** Creates accounts; returns the phones actually inserted (a phone taken meanwhile is skipped). */
    async insertUsers(rows: { id: string; phone: string; name: string; passwordHash: string }[], tx: Executor): Promise<Set<string>> {
      if (!rows.length) return new Set();
      const created = await tx.insert(users).values(rows).onConflictDoNothing({ target: users.phone }).returning({ phone: users.phone });
      return new Set(created.map((r) => r.phone));
    },

    async deleteUsers(ids: string[], tx: Executor) {
      if (ids.length) await tx.delete(users).where(inArray(users.id, ids));
    },

    /** Inserts volunteers; returns the ids inserted (a conflict on ID number or account skips the row). */
    async insertVolunteers(rows: (typeof volunteers.$inferInsert)[], tx: Executor): Promise<Set<string>> {
      if (!rows.length) return new Set();
      // The accounts' cities first: volunteer records refer to them (0042).
      await tx
        .insert(userCities)
        .values(rows.map((r) => ({ userId: r.userId, cityCode: r.cityCode })))
        .onConflictDoNothing();
      const created = await tx.insert(volunteers).values(rows).onConflictDoNothing().returning({ id: volunteers.id });
      return new Set(created.map((r) => r.id));
    },

    async insertMembers(rows: { cityCode: string; teamId: string; volunteerId: string }[], tx: Executor) {
      if (rows.length) await tx.insert(teamMembers).values(rows).onConflictDoNothing();
    },

    // --- 党员双报到 ----------------------------------------------------------------------------

    /**
     * Party members in scope grouped by work unit (blank units together as ''), most hours first,
     * then by unit name; keyset-paged on (hours, unit).
     */
    async partyUnits(f: { scope: SQL; orgPath?: string; q?: string; after?: { hours: number; unit: string }; limit: number }, tx: Executor = db) {
      const like = f.q ? `%${f.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%` : null;
      const res = await tx.execute(sql`
        WITH members AS (
          SELECT v.city_code, v.id, coalesce(nullif(btrim(v.work_unit), ''), '') AS unit, v.total_hours
          FROM volunteers v JOIN orgs o ON o.city_code = v.city_code AND o.id = v.org_id
          WHERE v.political_status = 'party' AND ${f.scope}
            ${f.orgPath ? sql`AND o.path <@ ${f.orgPath}::ltree` : sql``}
            ${like ? sql`AND (v.work_unit ILIKE ${like} OR v.real_name ILIKE ${like})` : sql``}
        ), services AS (
          SELECT r.city_code, r.volunteer_id, count(*) AS n
          FROM service_records r JOIN members m ON m.city_code = r.city_code AND m.id = r.volunteer_id
          WHERE r.status = 'verified'
          GROUP BY r.city_code, r.volunteer_id
        ), units AS (
          SELECT m.unit, count(*)::int AS member_count, sum(m.total_hours)::float8 AS total_hours, coalesce(sum(s.n), 0)::int AS service_count
          FROM members m LEFT JOIN services s ON s.city_code = m.city_code AND s.volunteer_id = m.id
          GROUP BY m.unit
        )
        SELECT unit, member_count, total_hours, service_count FROM units
        ${f.after ? sql`WHERE total_hours < ${f.after.hours} OR (total_hours = ${f.after.hours} AND unit COLLATE "C" > ${f.after.unit})` : sql``}
        ORDER BY total_hours DESC, unit COLLATE "C"
        LIMIT ${f.limit}`);
      return rowsOf<{ unit: string; member_count: number; total_hours: number; service_count: number }>(res).map((r) => ({
        unit: r.unit,
        memberCount: Number(r.member_count),
        totalHours: Number(r.total_hours),
        serviceCount: Number(r.service_count),
      }));
    },

    /** The members of some units (same filters), at most `perUnit` each, most hours first. */
    async partyMembers(f: { scope: SQL; orgPath?: string; q?: string; units: string[]; perUnit: number }, tx: Executor = db) {
      if (!f.units.length) return [];
      const like = f.q ? `%${f.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%` : null;
      const res = await tx.execute(sql`
        WITH members AS (
          SELECT v.city_code, v.id, v.user_id, v.real_name, v.org_id, o.name AS org_name, v.status,
                 coalesce(nullif(btrim(v.work_unit), ''), '') AS unit, v.total_hours::float8 AS total_hours
          FROM volunteers v JOIN orgs o ON o.city_code = v.city_code AND o.id = v.org_id
          WHERE v.political_status = 'party' AND ${f.scope}
            ${f.orgPath ? sql`AND o.path <@ ${f.orgPath}::ltree` : sql``}
            ${like ? sql`AND (v.work_unit ILIKE ${like} OR v.real_name ILIKE ${like})` : sql``}
            AND coalesce(nullif(btrim(v.work_unit), ''), '') IN (${inList(f.units)})
        ), services AS (
          SELECT r.city_code, r.volunteer_id, count(*)::int AS n
          FROM service_records r JOIN members m ON m.city_code = r.city_code AND m.id = r.volunteer_id
          WHERE r.status = 'verified'
          GROUP BY r.city_code, r.volunteer_id
        ), ranked AS (
          SELECT m.*, coalesce(s.n, 0) AS service_count,
                 row_number() OVER (PARTITION BY m.unit ORDER BY m.total_hours DESC, m.real_name COLLATE "C", m.id) AS rn
          FROM members m LEFT JOIN services s ON s.city_code = m.city_code AND s.volunteer_id = m.id
        )
        SELECT r.id, r.user_id, r.real_name, r.org_id, r.org_name, r.status, r.unit, r.total_hours, r.service_count, u.phone
        FROM ranked r LEFT JOIN users u ON u.id = r.user_id
        WHERE r.rn <= ${f.perUnit}
        ORDER BY r.unit, r.rn`);
      return rowsOf<{
        id: string;
        user_id: string;
        real_name: string;
        org_id: string;
        org_name: string;
        status: 'active' | 'suspended';
        unit: string;
        total_hours: number;
        service_count: number;
        phone: string | null;
      }>(res);
    },
  };
}

export type VolunteerBulkRepository = ReturnType<typeof createVolunteerBulkRepository>;
