import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { orgs, serviceRecords, userCities, users, volunteers } from '../../db/schema.ts';

type Rows<T> = { rows: T[] };

/** A volunteer as the national layout writes them (the ID number still encrypted). */
export interface ExchangeVolunteerRow {
  city_code: string;
  id: string;
  real_name: string;
  id_number_enc: string;
  gender: 'male' | 'female' | null;
  political_status: 'party' | 'league' | 'masses';
  created_at: Date | string;
  total_hours: number;
  org_name: string;
  phone: string | null;
  teams: string | null;
}

/** A verified service record with what the layout needs from its source. */
export interface ExchangeRecordRow {
  id: string;
  volunteer_id: string;
  source_type: string;
  hours: number;
  started_at: Date | string | null;
  ended_at: Date | string | null;
  service_day: string;
  title: string | null;
  note: string | null;
  place: string | null;
  external_org: string | null;
  external_ref: string | null;
  org_name: string;
  team_name: string | null;
  activity_title: string | null;
  activity_address: string | null;
  order_address: string | null;
  category_name: string | null;
}

/**
 * SQL of the exchange with 全国志愿服务信息系统. `scope` is a condition on the alias `o` (the
 * volunteer's site): a volunteer's record travels whole, whichever site recorded each service.
 * City tables are joined on city_code (scale-out rules).
 */
export function createExchangeRepository(db: Executor) {
  const q = async <T>(query: SQL, tx: Executor = db): Promise<T[]> => {
    const res: unknown = await tx.execute(query);
    return (res as Rows<T>).rows;
  };
  const volunteerFilter = (scope: SQL, volunteerId?: string) => (volunteerId ? sql`${scope} AND v.id = ${volunteerId}` : scope);

  return {
    async counts(scope: SQL, period: { from?: string; to?: string }) {
      const [r] = await q<{ volunteers: number; records: number }>(sql`
        WITH vs AS (SELECT v.city_code, v.id FROM volunteers v JOIN orgs o ON o.city_code = v.city_code AND o.id = v.org_id WHERE ${scope})
        SELECT (SELECT count(*) FROM vs)::int AS volunteers,
          (SELECT count(*) FROM service_records r JOIN vs ON vs.city_code = r.city_code AND vs.id = r.volunteer_id
           WHERE r.status = 'verified' ${periodCond(period)})::int AS records`);
      return { volunteers: Number(r?.volunteers ?? 0), records: Number(r?.records ?? 0) };
    },

    async volunteers(scope: SQL, volunteerId?: string): Promise<ExchangeVolunteerRow[]> {
      return q<ExchangeVolunteerRow>(sql`
        WITH vs AS (
          SELECT v.city_code, v.id, v.user_id, v.real_name, v.id_number_enc, v.gender, v.political_status, v.created_at, v.total_hours::float8 AS total_hours, o.name AS org_name
          FROM volunteers v JOIN orgs o ON o.city_code = v.city_code AND o.id = v.org_id
          WHERE ${volunteerFilter(scope, volunteerId)}
        ), ts AS (
          SELECT m.city_code, m.volunteer_id, string_agg(t.name, '、' ORDER BY t.name) AS teams
          FROM team_members m JOIN vs ON vs.city_code = m.city_code AND vs.id = m.volunteer_id
          JOIN teams t ON t.city_code = m.city_code AND t.id = m.team_id AND t.status = 'active'
          GROUP BY m.city_code, m.volunteer_id
        )
        SELECT vs.city_code, vs.id, vs.real_name, vs.id_number_enc, vs.gender, vs.political_status, vs.created_at, vs.total_hours, vs.org_name, u.phone, ts.teams
        FROM vs LEFT JOIN users u ON u.id = vs.user_id
        LEFT JOIN ts ON ts.city_code = vs.city_code AND ts.volunteer_id = vs.id
        ORDER BY vs.created_at, vs.id`);
    },

    async records(scope: SQL, period: { from?: string; to?: string }, volunteerId?: string): Promise<ExchangeRecordRow[]> {
      return q<ExchangeRecordRow>(sql`
        WITH vs AS (SELECT v.city_code, v.id FROM volunteers v JOIN orgs o ON o.city_code = v.city_code AND o.id = v.org_id WHERE ${volunteerFilter(scope, volunteerId)})
        SELECT r.id, r.volunteer_id, r.source_type, r.hours::float8 AS hours, r.started_at, r.ended_at,
          to_char(coalesce(r.ended_at, r.started_at, r.created_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS service_day,
          r.title, r.note, r.place, r.external_org, r.external_ref, ro.name AS org_name, t.name AS team_name,
          a.title AS activity_title, a.address AS activity_address, d.address AS order_address, c.name AS category_name
        FROM service_records r
        JOIN vs ON vs.city_code = r.city_code AND vs.id = r.volunteer_id
        JOIN orgs ro ON ro.city_code = r.city_code AND ro.id = r.org_id
        LEFT JOIN teams t ON t.city_code = r.city_code AND t.id = r.team_id
        LEFT JOIN activities a ON a.city_code = r.city_code AND r.source_type = 'activity' AND a.id = r.source_id
        LEFT JOIN orders d ON d.city_code = r.city_code AND r.source_type = 'order' AND d.id = r.source_id
        LEFT JOIN categories c ON c.code = coalesce(a.category, d.category)
        WHERE r.status = 'verified' ${periodCond(period)}
        ORDER BY r.volunteer_id, coalesce(r.ended_at, r.started_at, r.created_at), r.id`);
    },

    /** Orders the volunteer served that the resident rated 1–2 stars: the complaints a record carries. */
    async complaints(cityCode: string, volunteerId: string) {
      return q<{ code: string; rated_at: Date | string; rating: number; rating_comment: string | null; state: string }>(sql`
        SELECT d.code, d.rated_at, d.rating, d.rating_comment, d.state FROM orders d
        WHERE d.city_code = ${cityCode} AND d.rating IS NOT NULL AND d.rating <= 2
          AND (d.assignee_volunteer_id = ${volunteerId}
               OR d.id IN (SELECT s.order_id FROM order_servers s WHERE s.city_code = ${cityCode} AND s.volunteer_id = ${volunteerId}))
        ORDER BY d.rated_at, d.id`);
    },

    /** 培训记录: the training hours the volunteer earned (kept apart from service hours, 0031). */
    async training(cityCode: string, volunteerId: string) {
      return q<{ title: string; trained_on: string; hours: number; org_name: string }>(sql`
        SELECT t.title, t.trained_on::text AS trained_on, t.hours::float8 AS hours, o.name AS org_name
        FROM training_records t JOIN orgs o ON o.city_code = t.city_code AND o.id = t.org_id
        WHERE t.city_code = ${cityCode} AND t.volunteer_id = ${volunteerId}
        ORDER BY t.trained_on, t.id`);
    },

    /** 表彰奖励: the honours a selection round awarded the volunteer (0032). */
    async honours(cityCode: string, volunteerId: string) {
      return q<{ award: string | null; round: string; day: string; org_name: string }>(sql`
        SELECT n.award, r.title AS round, to_char(n.awarded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, o.name AS org_name
        FROM honour_nominations n
        JOIN honour_rounds r ON r.city_code = n.city_code AND r.id = n.round_id
        JOIN orgs o ON o.city_code = r.city_code AND o.id = r.org_id
        WHERE n.city_code = ${cityCode} AND n.volunteer_id = ${volunteerId} AND n.awarded_at IS NOT NULL
        ORDER BY n.awarded_at, n.id`);
    },

    // --- import -----------------------------------------------------------------------------

    async volunteersByHash(cityCode: string, hashes: string[], tx: Executor = db) {
      if (!hashes.length) return [];
      return tx
        .select({
          id: volunteers.id,
          hash: volunteers.idNumberHash,
          realName: volunteers.realName,
          userId: volunteers.userId,
          orgPath: sql<string>`${orgs.path}::text`,
        })
        .from(volunteers)
        .innerJoin(orgs, and(eq(orgs.cityCode, volunteers.cityCode), eq(orgs.id, volunteers.orgId)))
        .where(and(eq(volunteers.cityCode, cityCode), inArray(volunteers.idNumberHash, hashes)));
    },

    async usersByPhone(phones: string[], tx: Executor = db) {
      if (!phones.length) return [];
      return tx.select({ id: users.id, phone: users.phone, name: users.name }).from(users).where(inArray(users.phone, phones));
    },

    /** Of these accounts, those already a volunteer in the city. */
    async volunteerUserIds(cityCode: string, userIds: string[], tx: Executor = db): Promise<Set<string>> {
      if (!userIds.length) return new Set();
      const rows = await tx
        .select({ userId: volunteers.userId })
        .from(volunteers)
        .where(and(eq(volunteers.cityCode, cityCode), inArray(volunteers.userId, userIds)));
      return new Set(rows.map((r) => r.userId));
    },

    /** The platform's own records among the given ids (a record number that is one of ours). */
    async recordsById(cityCode: string, ids: string[], tx: Executor = db) {
      if (!ids.length) return [];
      return tx
        .select({ id: serviceRecords.id, volunteerId: serviceRecords.volunteerId })
        .from(serviceRecords)
        .where(and(eq(serviceRecords.cityCode, cityCode), inArray(serviceRecords.id, ids)));
    },

    /** `${volunteerId}:${sourceId}` of imported records already there. */
    async importedKeys(cityCode: string, sourceIds: string[], tx: Executor = db): Promise<Set<string>> {
      if (!sourceIds.length) return new Set();
      const rows = await tx
        .select({ volunteerId: serviceRecords.volunteerId, sourceId: serviceRecords.sourceId })
        .from(serviceRecords)
        .where(and(eq(serviceRecords.cityCode, cityCode), eq(serviceRecords.sourceType, 'manual'), inArray(serviceRecords.sourceId, sourceIds)));
      return new Set(rows.map((r) => `${r.volunteerId}:${r.sourceId}`));
    },

    /** Returns the phones inserted (a phone registered meanwhile is not). */
    async insertUsers(rows: (typeof users.$inferInsert)[], tx: Executor): Promise<Set<string>> {
      const out = new Set<string>();
      for (let i = 0; i < rows.length; i += 1000) {
        const created = await tx
          .insert(users)
          .values(rows.slice(i, i + 1000))
          .onConflictDoNothing()
          .returning({ phone: users.phone });
        for (const r of created) out.add(r.phone);
      }
      return out;
    },

    /** Returns the ids inserted (an ID number or account registered meanwhile is not). */
    async insertVolunteers(rows: (typeof volunteers.$inferInsert)[], tx: Executor): Promise<Set<string>> {
      const out = new Set<string>();
      for (let i = 0; i < rows.length; i += 1000) {
        // The accounts' cities first: volunteer records refer to them (0042).
        await tx
          .insert(userCities)
          .values(rows.slice(i, i + 1000).map((r) => ({ userId: r.userId, cityCode: r.cityCode })))
          .onConflictDoNothing();
        const created = await tx
          .insert(volunteers)
          .values(rows.slice(i, i + 1000))
          .onConflictDoNothing()
          .returning({ id: volunteers.id });
        for (const r of created) out.add(r.id);
      }
      return out;
    },

    /** Inserts records (a key already there is skipped); returns what was inserted. */
    async insertRecords(rows: (typeof serviceRecords.$inferInsert)[], tx: Executor) {
      const out: { id: string; volunteerId: string; hours: number }[] = [];
      for (let i = 0; i < rows.length; i += 1000) {
        const created = await tx
          .insert(serviceRecords)
          .values(rows.slice(i, i + 1000))
          .onConflictDoNothing()
          .returning({ id: serviceRecords.id, volunteerId: serviceRecords.volunteerId, hours: serviceRecords.hours });
        out.push(...created);
      }
      return out;
    },

    async addHours(cityCode: string, byVolunteer: Map<string, number>, tx: Executor) {
      for (const [id, hours] of byVolunteer)
        await tx
          .update(volunteers)
          .set({ totalHours: sql`${volunteers.totalHours} + ${hours}`, updatedAt: new Date() })
          .where(and(eq(volunteers.cityCode, cityCode), eq(volunteers.id, id)));
    },
  };
}

function periodCond(p: { from?: string; to?: string }): SQL {
  const day = sql`(coalesce(r.ended_at, r.started_at, r.created_at) AT TIME ZONE 'Asia/Shanghai')::date`;
  return sql`${p.from ? sql`AND ${day} >= ${p.from}::date` : sql``} ${p.to ? sql`AND ${day} <= ${p.to}::date` : sql``}`;
}

export type ExchangeRepository = ReturnType<typeof createExchangeRepository>;
