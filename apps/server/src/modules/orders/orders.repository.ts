import { and, asc, desc, eq, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { STAGE_STATES, type Urgency } from '@wenming/domain';
import type { Executor } from '../../db/client.ts';
import { idMatch } from '../../db/city-id.ts';
import { cityOfId } from '../../lib/ids.ts';
import { deskHoldersOf } from '../users/index.ts';
import { orderEvents, orderServers, orders, orgs, teams, triageExamples, volunteers, type OrderStateCol } from '../../db/schema.ts';

export type OrderRow = typeof orders.$inferSelect & { orgPath: string; orgName: string; handlingOrgName: string; handlingOrgPath: string };
type Patch = Partial<typeof orders.$inferInsert>;

const columns = {
  o: orders,
  orgPath: sql<string>`org.path::text`,
  orgName: sql<string>`org.name`,
  handlingOrgName: sql<string>`h.name`,
  handlingOrgPath: sql<string>`h.path::text`,
};

const flatten = (r: { o: typeof orders.$inferSelect; orgPath: string; orgName: string; handlingOrgName: string; handlingOrgPath: string }): OrderRow => ({
  ...r.o,
  orgPath: r.orgPath,
  orgName: r.orgName,
  handlingOrgName: r.handlingOrgName,
  handlingOrgPath: r.handlingOrgPath,
});

export interface OrderListFilter {
  scope?: SQL;
  requesterId?: string;
  states?: OrderStateCol[];
  orgPath?: string;
  deskOrgIds?: string[];
  assignee?: { volunteerId?: string; teamIds?: string[] };
  departmentIds?: string[];
  /** Orders these departments help with (协办). */
  coDepartmentIds?: string[];
  lowRatings?: boolean;
  /** The desk's search and filters. */
  search?: { code?: string; phone?: string; words?: string };
  from?: Date;
  to?: Date;
  category?: string;
  nature?: string;
  urgency?: string;
  before?: { createdAt: Date; id: string };
  /** due: the accept deadline first (the desk); deadline: the running deadline first (the officer's queue). */
  sort?: 'created' | 'due' | 'deadline';
  limit: number;
}

/**
 * An order is on the desk of the nearest staffed org at or above its handling org: one of the
 * caller's orgs covers the handling org, and no staffed org lies between them. Worked out once
 * per org of the caller's subtrees (the desk's orgs), not once per order, then matched by
 * orders_handling_page_idx (an index-only scan: migration 0022).
 */
function deskCondition(myOrgIds: string[]): SQL {
  const ids = sql.join(
    myOrgIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  return sql`(${orders.cityCode}, ${orders.handlingOrgId}) IN (
    SELECT desk.city_code, desk.id
    FROM orgs mine JOIN orgs desk ON desk.city_code = mine.city_code AND desk.path <@ mine.path
    WHERE mine.id IN (${ids})
      AND NOT EXISTS (
        SELECT 1 FROM role_grants g2 JOIN orgs o2 ON o2.city_code = g2.city_code AND o2.id = g2.org_id
        WHERE g2.city_code = mine.city_code AND g2.role IN ('dispatcher', 'org_admin')
          AND o2.path @> desk.path AND o2.path <@ mine.path AND o2.path <> mine.path))`;
}

export type AcceptLimits = Partial<Record<Urgency, number>>;
type LimitRow = Record<Urgency, number | null>;

/** Limits read nearest org first: each urgency's limit is the first one set. */
function nearestLimits(rows: LimitRow[]): AcceptLimits {
  const out: AcceptLimits = {};
  for (const r of rows) for (const k of ['normal', 'urgent', 'critical'] as const) if (out[k] === undefined && r[k] != null) out[k] = r[k];
  return out;
}

/**
 * The running stages (STAGE_STATES) written into the SQL as literals, not parameters, so that the
 * planner can match the stage-deadline index of 0026 whose predicate lists the same states.
 */
const STAGE_STATE_LITERALS = sql.raw(STAGE_STATES.map((s) => `'${s}'`).join(', '));

export function createOrdersRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select(columns)
      .from(orders)
      .innerJoin(sql`orgs org`, sql`org.city_code = ${orders.cityCode} AND org.id = ${orders.orgId}`)
      .innerJoin(sql`orgs h`, sql`h.city_code = ${orders.cityCode} AND h.id = ${orders.handlingOrgId}`);

  return {
    /**
     * The next number of the day in the city: one atomic upsert in its own statement, committed
     * without waiting for the WAL flush, so the counter row is locked for microseconds rather than
     * through the whole submission and its commit (every submission of a city takes this row).
     * Safe: the order that uses the number commits synchronously afterwards, and its flush carries
     * the earlier counter commit with it; a submission that fails after this leaves a gap.
     */
    async nextCodeSeq(cityCode: string, day: string): Promise<number> {
      const res = await db.execute(sql`
        WITH async_commit AS (SELECT set_config('synchronous_commit', 'off', true))
        INSERT INTO order_code_counters (city_code, day, n)
        SELECT ${cityCode}, ${day}::date, 1 FROM async_commit
        ON CONFLICT (city_code, day) DO UPDATE SET n = order_code_counters.n + 1
        RETURNING n`);
      return Number((res as { rows: { n: number }[] }).rows[0]!.n);
    },

    async insert(tx: Executor, row: typeof orders.$inferInsert) {
      await tx.insert(orders).values(row);
    },

    /** The writes of a new order and its first timeline row, to run as parts of one statement. */
    newOrderWrites(row: typeof orders.$inferInsert, e: typeof orderEvents.$inferInsert): SQL[] {
      return [db.insert(orders).values(row).getSQL(), db.insert(orderEvents).values(e).getSQL()];
    },

    async byId(id: string, tx: Executor = db): Promise<OrderRow | null> {
      const [r] = await base(tx).where(idMatch(orders, id));
      return r ? flatten(r) : null;
    },

    async list(f: OrderListFilter, tx: Executor = db) {
      const who: SQL[] = [];
      if (f.scope) who.push(f.scope);
      if (f.requesterId) who.push(eq(orders.requesterId, f.requesterId));
      if (f.assignee?.volunteerId) who.push(eq(orders.assigneeVolunteerId, f.assignee.volunteerId));
      if (f.assignee?.teamIds?.length) who.push(inArray(orders.assigneeTeamId, f.assignee.teamIds));
      if (f.departmentIds?.length) who.push(inArray(orders.departmentId, f.departmentIds));
      if (f.coDepartmentIds?.length)
        who.push(
          sql`${orders.coDepartmentIds} && ARRAY[${sql.join(
            f.coDepartmentIds.map((d) => sql`${d}::uuid`),
            sql`, `,
          )}]`,
        );
      const conds: (SQL | undefined)[] = [who.length ? or(...who) : sql`FALSE`];
      if (f.states?.length) conds.push(inArray(orders.state, f.states));
      if (f.orgPath) conds.push(sql`org.path <@ ${f.orgPath}::ltree`);
      if (f.deskOrgIds) conds.push(f.deskOrgIds.length ? deskCondition(f.deskOrgIds) : sql`FALSE`);
      if (f.lowRatings) conds.push(sql`${orders.rating} <= 2`);
      if (f.search?.code) conds.push(eq(orders.code, f.search.code));
      if (f.search?.phone) conds.push(sql`${orders.requesterId} IN (SELECT u.id FROM users u WHERE u.phone = ${f.search.phone})`);
      if (f.search?.words) {
        const like = `%${f.search.words.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
        conds.push(or(ilike(orders.content, like), ilike(orders.title, like), ilike(orders.address, like)));
      }
      if (f.from) conds.push(sql`${orders.createdAt} >= ${f.from}`);
      if (f.to) conds.push(sql`${orders.createdAt} < ${f.to}`);
      if (f.category) conds.push(eq(orders.category, f.category));
      if (f.nature) conds.push(eq(orders.nature, f.nature as 'service'));
      if (f.urgency) conds.push(eq(orders.urgency, f.urgency as 'normal'));
      if (f.before) conds.push(or(lt(orders.createdAt, f.before.createdAt), and(eq(orders.createdAt, f.before.createdAt), lt(orders.id, f.before.id))));
      const order =
        f.sort === 'due'
          ? [asc(orders.acceptDueAt), asc(orders.id)]
          : f.sort === 'deadline'
            ? [asc(sql`coalesce(${orders.stageDueAt}, ${orders.acceptDueAt})`), asc(orders.id)]
            : [desc(orders.createdAt), desc(orders.id)];
      // The page is chosen first, from the orders and their site alone; the names its rows show are
      // joined to those rows only (one query, not five look-ups per row — and not for every order
      // of a district before the sort keeps twenty).
      const page = tx
        .select({ cityCode: orders.cityCode, id: orders.id })
        .from(orders)
        .innerJoin(sql`orgs org`, sql`org.city_code = ${orders.cityCode} AND org.id = ${orders.orgId}`)
        .where(and(...conds))
        .orderBy(...order)
        .limit(f.limit)
        .as('page');
      const rows = await tx
        .select({
          ...columns,
          teamName: sql<string | null>`t.name`,
          teamLeaderUserId: sql<string | null>`t.leader_user_id`,
          volunteerName: sql<string | null>`v.real_name`,
          departmentName: sql<string | null>`d.name`,
          requesterName: sql<string | null>`u.name`,
          requesterPhone: sql<string | null>`u.phone`,
        })
        .from(page)
        .innerJoin(orders, and(eq(orders.cityCode, page.cityCode), eq(orders.id, page.id)))
        .innerJoin(sql`orgs org`, sql`org.city_code = ${orders.cityCode} AND org.id = ${orders.orgId}`)
        .innerJoin(sql`orgs h`, sql`h.city_code = ${orders.cityCode} AND h.id = ${orders.handlingOrgId}`)
        .leftJoin(sql`teams t`, sql`t.city_code = ${orders.cityCode} AND t.id = ${orders.assigneeTeamId}`)
        .leftJoin(sql`volunteers v`, sql`v.city_code = ${orders.cityCode} AND v.id = ${orders.assigneeVolunteerId}`)
        .leftJoin(sql`departments d`, sql`d.city_code = ${orders.cityCode} AND d.id = ${orders.departmentId}`)
        .leftJoin(sql`users u`, sql`u.id = ${orders.requesterId}`)
        .orderBy(...order);
      return rows.map((r) => ({
        ...flatten(r),
        known: {
          team: r.o.assigneeTeamId && r.teamName !== null ? { name: r.teamName, leaderUserId: r.teamLeaderUserId } : null,
          volunteerName: r.volunteerName,
          departmentName: r.departmentName,
          requester: r.requesterName !== null && r.requesterPhone !== null ? { name: r.requesterName, phone: r.requesterPhone } : null,
        },
      }));
    },

    /**
     * The transition as one conditional update: null when the order is no longer in `from`, or —
     * when `holders` is given — no longer held by the same team, volunteer and department (the
     * actor's part was checked against them: a 改派 or a re-forward meanwhile must not let the
     * one it left act, even though the state is the same).
     */
    async transition(
      tx: Executor,
      cityCode: string,
      id: string,
      from: OrderStateCol,
      to: OrderStateCol,
      patch: Patch,
      holders?: { teamId: string | null; volunteerId: string | null; departmentId: string | null },
    ) {
      const same = (col: unknown, v: string | null) => (v === null ? sql`${col} IS NULL` : sql`${col} = ${v}::uuid`);
      const [r] = await tx
        .update(orders)
        .set({ ...patch, state: to, updatedAt: new Date() })
        .where(
          and(
            eq(orders.cityCode, cityCode),
            eq(orders.id, id),
            eq(orders.state, from),
            ...(holders
              ? [
                  same(orders.assigneeTeamId, holders.teamId),
                  same(orders.assigneeVolunteerId, holders.volunteerId),
                  same(orders.departmentId, holders.departmentId),
                ]
              : []),
          ),
        )
        .returning();
      return r ?? null;
    },

    async update(tx: Executor, cityCode: string, id: string, patch: Patch) {
      await tx
        .update(orders)
        .set({ ...patch, updatedAt: new Date() })
        .where(and(eq(orders.cityCode, cityCode), eq(orders.id, id)));
    },

    /** Which of these uploads the user sent (pictures named at 点单). */
    async uploadsOwnedBy(userId: string, ids: string[], tx: Executor = db): Promise<string[]> {
      const res = await tx.execute(
        sql`SELECT id FROM uploads WHERE owner_id = ${userId} AND id IN (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      );
      return (res as { rows: { id: string }[] }).rows.map((r) => r.id);
    },

    async addEvent(tx: Executor, e: typeof orderEvents.$inferInsert) {
      await tx.insert(orderEvents).values(e);
    },

    async timeline(cityCode: string, orderId: string, tx: Executor = db) {
      return tx
        .select()
        .from(orderEvents)
        .where(and(eq(orderEvents.cityCode, cityCode), eq(orderEvents.orderId, orderId)))
        .orderBy(asc(orderEvents.at), asc(orderEvents.id));
    },

    async addServers(tx: Executor, cityCode: string, orderId: string, volunteerIds: string[]) {
      if (!volunteerIds.length) return;
      await tx
        .insert(orderServers)
        .values(volunteerIds.map((volunteerId) => ({ cityCode, orderId, volunteerId })))
        .onConflictDoNothing();
    },

    async servers(cityCode: string, orderId: string, tx: Executor = db) {
      return tx
        .select({ volunteerId: volunteers.id, realName: volunteers.realName, userId: volunteers.userId })
        .from(orderServers)
        .innerJoin(volunteers, and(eq(volunteers.cityCode, orderServers.cityCode), eq(volunteers.id, orderServers.volunteerId)))
        .where(and(eq(orderServers.cityCode, cityCode), eq(orderServers.orderId, orderId)));
    },

    async saveTriageExample(tx: Executor, row: typeof triageExamples.$inferInsert) {
      await tx
        .insert(triageExamples)
        .values(row)
        .onConflictDoUpdate({
          target: [triageExamples.cityCode, triageExamples.orderId],
          set: { category: row.category, nature: row.nature, urgency: row.urgency, createdBy: row.createdBy },
        });
    },

    async triageExamples(tx: Executor = db) {
      return tx
        .select({ text: triageExamples.text, category: triageExamples.category, nature: triageExamples.nature, urgency: triageExamples.urgency })
        .from(triageExamples);
    },

    /**
     * Overdue open orders of one city, locked so that concurrent runners each take different ones
     * (FOR UPDATE SKIP LOCKED, filtered on one city_code as the scale-out rules require).
     */
    async lockOverdue(tx: Executor, cityCode: string, now: Date, limit: number) {
      const res = await tx.execute(sql`
        SELECT o.id, o.state, o.urgency, o.handling_org_id, o.code, o.org_id, o.accept_due_at
        FROM orders o
        WHERE o.city_code = ${cityCode} AND o.state IN ('submitted', 'dispatched') AND o.accept_due_at < ${now}
        ORDER BY o.accept_due_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`);
      return (
        res as {
          rows: { id: string; state: OrderStateCol; urgency: 'normal' | 'urgent' | 'critical'; handling_org_id: string; code: string; org_id: string }[];
        }
      ).rows;
    },

    async lockReminders(tx: Executor, cityCode: string, now: Date, limit: number) {
      const res = await tx.execute(sql`
        SELECT o.id, o.code, o.assignee_team_id, o.assignee_volunteer_id
        FROM orders o
        WHERE o.city_code = ${cityCode} AND o.state = 'dispatched' AND o.reminded_at IS NULL AND o.dispatched_at IS NOT NULL
          AND o.accept_due_at > ${now} AND ${now} >= o.accept_due_at - (o.accept_due_at - o.dispatched_at) / 4
        ORDER BY o.accept_due_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`);
      return (res as { rows: { id: string; code: string; assignee_team_id: string | null; assignee_volunteer_id: string | null }[] }).rows;
    },

    async citiesWithReminders(now: Date, tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectDistinct({ cityCode: orders.cityCode })
        .from(orders)
        .where(
          and(
            eq(orders.state, 'dispatched'),
            sql`${orders.remindedAt} IS NULL`,
            sql`${orders.acceptDueAt} > ${now}`,
            sql`${now} >= ${orders.acceptDueAt} - (${orders.acceptDueAt} - ${orders.dispatchedAt}) / 4`,
          ),
        );
      return rows.map((r) => r.cityCode);
    },

    async citiesWithOverdue(now: Date, tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectDistinct({ cityCode: orders.cityCode })
        .from(orders)
        .where(and(inArray(orders.state, ['submitted', 'dispatched']), lt(orders.acceptDueAt, now)));
      return rows.map((r) => r.cityCode);
    },

    /**
     * Running stages past their deadline and not yet supervised (督办), of one city, claimed with
     * FOR UPDATE SKIP LOCKED: concurrent runners take different orders, and each order once per stage.
     */
    async lockStageOverdue(tx: Executor, cityCode: string, now: Date, limit: number) {
      const res = await tx.execute(sql`
        SELECT o.id, o.code, o.state, o.handling_org_id, o.department_id, o.assignee_team_id, o.assignee_volunteer_id, o.requester_id, o.stage_due_at
        FROM orders o
        WHERE o.city_code = ${cityCode} AND o.state IN (${STAGE_STATE_LITERALS})
          AND o.stage_escalated_at IS NULL AND o.stage_due_at < ${now}
        ORDER BY o.stage_due_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`);
      return (
        res as {
          rows: {
            id: string;
            code: string;
            state: OrderStateCol;
            handling_org_id: string;
            department_id: string | null;
            assignee_team_id: string | null;
            assignee_volunteer_id: string | null;
            requester_id: string;
            stage_due_at: Date;
          }[];
        }
      ).rows;
    },

    async citiesWithStageOverdue(now: Date, tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectDistinct({ cityCode: orders.cityCode })
        .from(orders)
        .where(and(inArray(orders.state, [...STAGE_STATES]), sql`${orders.stageEscalatedAt} IS NULL`, lt(orders.stageDueAt, now)));
      return rows.map((r) => r.cityCode);
    },

    /** Running stages with a quarter of their time left, not yet reminded (once per stage). */
    async lockStageReminders(tx: Executor, cityCode: string, now: Date, limit: number) {
      const res = await tx.execute(sql`
        SELECT o.id, o.code, o.state, o.department_id, o.assignee_team_id, o.assignee_volunteer_id, o.stage_due_at
        FROM orders o
        WHERE o.city_code = ${cityCode} AND o.state IN (${STAGE_STATE_LITERALS})
          AND o.stage_reminded_at IS NULL AND o.stage_escalated_at IS NULL AND o.stage_started_at IS NOT NULL
          AND o.stage_due_at > ${now} AND ${now} >= o.stage_due_at - (o.stage_due_at - o.stage_started_at) / 4
        ORDER BY o.stage_due_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`);
      return (
        res as {
          rows: {
            id: string;
            code: string;
            state: OrderStateCol;
            department_id: string | null;
            assignee_team_id: string | null;
            assignee_volunteer_id: string | null;
            stage_due_at: Date;
          }[];
        }
      ).rows;
    },

    async citiesWithStageReminders(now: Date, tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectDistinct({ cityCode: orders.cityCode })
        .from(orders)
        .where(
          and(
            inArray(orders.state, [...STAGE_STATES]),
            sql`${orders.stageRemindedAt} IS NULL`,
            sql`${orders.stageEscalatedAt} IS NULL`,
            sql`${orders.stageStartedAt} IS NOT NULL`,
            sql`${orders.stageDueAt} > ${now}`,
            sql`${now} >= ${orders.stageDueAt} - (${orders.stageDueAt} - ${orders.stageStartedAt}) / 4`,
          ),
        );
      return rows.map((r) => r.cityCode);
    },

    /** The nearest staffed desk strictly above the org at `path` (null at the top): escalation skips unstaffed levels. */
    async staffedDeskAbove(cityCode: string, path: string, tx: Executor = db) {
      const res = await tx.execute(sql`
        SELECT o.id, o.name, o.path::text AS path FROM orgs o
        WHERE o.city_code = ${cityCode} AND o.path @> ${path}::ltree AND o.path <> ${path}::ltree
          AND EXISTS (SELECT 1 FROM role_grants g WHERE g.city_code = o.city_code AND g.org_id = o.id AND g.role IN ('dispatcher', 'org_admin'))
        ORDER BY nlevel(o.path) DESC LIMIT 1`);
      return (res as { rows: { id: string; name: string; path: string }[] }).rows[0] ?? null;
    },

    /** Facts for ranking teams: teams of the order's site and its ancestors. */
    async teamFacts(cityCode: string, orgPath: string, tx: Executor = db) {
      const res = await tx.execute(sql`
        WITH cand AS (
          SELECT t.id, t.name, t.category, t.org_id, o.name AS org_name, nlevel(${orgPath}::ltree) - nlevel(o.path) AS levels_above
          FROM teams t JOIN orgs o ON o.city_code = t.city_code AND o.id = t.org_id
          WHERE t.city_code = ${cityCode} AND t.status = 'active' AND o.path @> ${orgPath}::ltree
        ),
        members AS (SELECT m.team_id, count(*)::int AS n FROM team_members m JOIN cand c ON c.id = m.team_id WHERE m.city_code = ${cityCode} GROUP BY m.team_id),
        ratings AS (SELECT r.assignee_team_id AS team_id, avg(r.rating)::float AS avg, count(*)::int AS n FROM orders r JOIN cand c ON c.id = r.assignee_team_id
                    WHERE r.city_code = ${cityCode} AND r.rating IS NOT NULL GROUP BY r.assignee_team_id),
        load AS (SELECT l.assignee_team_id AS team_id, count(*)::int AS n FROM orders l JOIN cand c ON c.id = l.assignee_team_id
                 WHERE l.city_code = ${cityCode} AND l.state IN ('dispatched', 'accepted', 'in_service') GROUP BY l.assignee_team_id)
        SELECT c.*, coalesce(m.n, 0) AS member_count, r.avg AS avg_rating, coalesce(r.n, 0) AS rated_count, coalesce(l.n, 0) AS open_orders
        FROM cand c LEFT JOIN members m ON m.team_id = c.id LEFT JOIN ratings r ON r.team_id = c.id LEFT JOIN load l ON l.team_id = c.id`);
      return (
        res as {
          rows: {
            id: string;
            name: string;
            category: string;
            org_name: string;
            levels_above: number;
            member_count: number;
            avg_rating: number | null;
            rated_count: number;
            open_orders: number;
          }[];
        }
      ).rows;
    },

    /** Facts for ranking volunteers: active ones with the skill within the radius (earthdistance). */
    async volunteerFacts(cityCode: string, skill: string, lat: number, lng: number, radiusM: number, limit: number, tx: Executor = db) {
      const res = await tx.execute(sql`
        WITH nearest AS (
          -- Nearest first by the GiST index itself (KNN: ORDER BY <->, the straight-line distance,
          -- which orders exactly as the great-circle one), so only the volunteers kept are read (no
          -- tie-breaker: a second sort key would make the planner sort the whole box again);
          -- ordering by earth_distance instead read every volunteer in the box (~11,000 pages).
          SELECT v.id, v.real_name, v.availability, earth_distance(ll_to_earth(v.lat, v.lng), ll_to_earth(${lat}, ${lng})) AS distance
          FROM volunteers v
          WHERE v.city_code = ${cityCode} AND v.status = 'active' AND v.lat IS NOT NULL AND ${skill} = ANY (v.skills)
            AND earth_box(ll_to_earth(${lat}, ${lng}), ${radiusM}) @> ll_to_earth(v.lat, v.lng)
          ORDER BY ll_to_earth(v.lat, v.lng) <-> ll_to_earth(${lat}, ${lng})
          LIMIT ${limit}
        ),
        cand AS (SELECT * FROM nearest WHERE distance <= ${radiusM}),
        ratings AS (SELECT r.assignee_volunteer_id AS vid, avg(r.rating)::float AS avg, count(*)::int AS n FROM orders r JOIN cand c ON c.id = r.assignee_volunteer_id
                    WHERE r.city_code = ${cityCode} AND r.rating IS NOT NULL GROUP BY r.assignee_volunteer_id),
        load AS (SELECT l.assignee_volunteer_id AS vid, count(*)::int AS n FROM orders l JOIN cand c ON c.id = l.assignee_volunteer_id
                 WHERE l.city_code = ${cityCode} AND l.state IN ('dispatched', 'accepted', 'in_service') GROUP BY l.assignee_volunteer_id)
        SELECT c.*, r.avg AS avg_rating, coalesce(r.n, 0) AS rated_count, coalesce(l.n, 0) AS open_orders
        FROM cand c LEFT JOIN ratings r ON r.vid = c.id LEFT JOIN load l ON l.vid = c.id`);
      return (
        res as {
          rows: {
            id: string;
            real_name: string;
            availability: { weekday: number; period: string }[];
            distance: number;
            avg_rating: number | null;
            rated_count: number;
            open_orders: number;
          }[];
        }
      ).rows;
    },

    async teamById(id: string, tx: Executor = db) {
      const [t] = await tx.select().from(teams).where(eq(teams.id, id));
      return t ?? null;
    },

    /** The desk of a site: the nearest org at or above it with a dispatcher or org_admin. */
    async deskOrgOf(cityCode: string, path: string, tx: Executor = db) {
      const res = await tx.execute(sql`
        SELECT o.id, o.parent_id, o.name, o.path::text AS path FROM orgs o
        WHERE o.city_code = ${cityCode} AND o.path @> ${path}::ltree
          AND EXISTS (SELECT 1 FROM role_grants g WHERE g.city_code = o.city_code AND g.org_id = o.id AND g.role IN ('dispatcher', 'org_admin'))
        ORDER BY nlevel(o.path) DESC LIMIT 1`);
      return (res as { rows: { id: string; parent_id: string | null; name: string; path: string }[] }).rows[0] ?? null;
    },

    /**
     * The site an order is placed at, with the acceptance limits set on it or its nearest
     * ancestors (org_settings), in one query: rows nearest first, folded here.
     */
    /** The acceptance limits (minutes per urgency) at a site: each from the nearest org at or above it that sets it. */
    async acceptLimits(cityCode: string, orgPath: string, tx: Executor = db): Promise<AcceptLimits> {
      const res = await tx.execute(sql`
        SELECT s.accept_minutes_normal AS normal, s.accept_minutes_urgent AS urgent, s.accept_minutes_critical AS critical
        FROM org_settings s JOIN orgs o ON o.city_code = s.city_code AND o.id = s.org_id
        WHERE s.city_code = ${cityCode} AND o.path @> ${orgPath}::ltree
        ORDER BY nlevel(o.path) DESC`);
      return nearestLimits((res as { rows: LimitRow[] }).rows);
    },

    async siteForOrder(orgId: string, tx: Executor = db) {
      // The site's city first (a look-up by id alone), then the site, its desk and its limits in
      // one statement with that city as a constant on every table: on Citus one shard answers it,
      // where a desk correlated with the site's row is refused (docs/scale-out.md).
      // An id that carries its city (newCityId) needs no look-up.
      const city =
        cityOfId(orgId) ?? ((await tx.execute(sql`SELECT city_code FROM orgs WHERE id = ${orgId}`)) as { rows: { city_code: string }[] }).rows[0]?.city_code;
      if (!city) return null;
      const res = await tx.execute(sql`
        WITH site AS (SELECT o.city_code, o.id, o.name, o.path, o.address FROM orgs o WHERE o.city_code = ${city} AND o.id = ${orgId}),
        desk AS (SELECT ${deskHoldersOf(sql`${city}`, sql`site.path`)} AS holders FROM site)
        SELECT site.city_code, site.id, site.name, site.path::text AS path, site.address, desk.holders,
          s.accept_minutes_normal AS normal, s.accept_minutes_urgent AS urgent, s.accept_minutes_critical AS critical
        FROM site CROSS JOIN desk
        LEFT JOIN orgs a ON a.city_code = ${city} AND a.path @> site.path
        LEFT JOIN org_settings s ON s.city_code = ${city} AND s.org_id = a.id
        ORDER BY nlevel(a.path) DESC`);
      type Row = {
        city_code: string;
        id: string;
        name: string;
        path: string;
        address: string | null;
        holders: string[] | null;
        normal: number | null;
        urgent: number | null;
        critical: number | null;
      };
      const rows = (res as { rows: Row[] }).rows;
      if (!rows.length) return null;
      const sla = nearestLimits(rows);
      const { city_code: cityCode, id, name, path, address, holders } = rows[0]!;
      // desk: who is told of a new order here (the nearest staffed org at or above the site).
      return { cityCode, id, name, path, address, sla, desk: holders ?? [] };
    },

    async orgById(cityCode: string, id: string, tx: Executor = db) {
      const [o] = await tx
        .select({ id: orgs.id, parentId: orgs.parentId, name: orgs.name, path: sql<string>`${orgs.path}::text` })
        .from(orgs)
        .where(and(eq(orgs.cityCode, cityCode), eq(orgs.id, id)));
      return o ?? null;
    },
  };
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;
