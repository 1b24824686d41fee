import { and, asc, desc, eq, ilike, inArray, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  orgs,
  pairingPlanResidents,
  pairingPlans,
  pairingPlanVolunteers,
  pairingResidents,
  pairingTasks,
  serviceRecords,
  users,
  volunteers,
} from '../../db/schema.ts';

export type ResidentRow = typeof pairingResidents.$inferSelect & { orgName: string; orgPath: string };
export type PlanRow = typeof pairingPlans.$inferSelect & { orgName: string; orgPath: string };
export type TaskRow = typeof pairingTasks.$inferSelect & {
  planName: string;
  planState: PlanRow['state'];
  visitHours: number;
  orgId: string;
  orgName: string;
  orgPath: string;
};
export type PlanVolunteerRow = { id: string; userId: string; name: string; phone: string; status: 'active' | 'suspended' };
type PlanState = PlanRow['state'];
type TaskState = TaskRow['state'];

const rowsOf = <T>(res: unknown): T[] => (res as { rows: T[] }).rows;
const orgPath = sql<string>`${orgs.path}::text`;

export interface TaskCounts {
  open: number;
  overdue: number;
  done: number;
  missed: number;
  nextDueAt: Date | null;
}

/**
 * Task keys ('YYYY-MM-DD|kind') as rows to compare `(due_on, kind)` with. Not `due_on::text`:
 * the cast is STABLE (it follows DateStyle), and Citus refuses STABLE functions on a column in an
 * UPDATE (docs/scale-out.md).
 */
function keyRows(keys: string[]): SQL {
  return sql.join(
    keys.map((k) => {
      const at = k.indexOf('|');
      return sql`(${k.slice(0, at)}::date, ${k.slice(at + 1)})`;
    }),
    sql`, `,
  );
}

export function createPairingRepository(db: Executor) {
  const residentBase = (tx: Executor) =>
    tx
      .select({ r: pairingResidents, orgName: orgs.name, orgPath })
      .from(pairingResidents)
      .innerJoin(orgs, and(eq(orgs.cityCode, pairingResidents.cityCode), eq(orgs.id, pairingResidents.orgId)));
  const planBase = (tx: Executor) =>
    tx
      .select({ p: pairingPlans, orgName: orgs.name, orgPath })
      .from(pairingPlans)
      .innerJoin(orgs, and(eq(orgs.cityCode, pairingPlans.cityCode), eq(orgs.id, pairingPlans.orgId)));
  const taskBase = (tx: Executor) =>
    tx
      .select({
        t: pairingTasks,
        planName: pairingPlans.name,
        planState: pairingPlans.state,
        visitHours: pairingPlans.visitHours,
        orgId: pairingPlans.orgId,
        orgName: orgs.name,
        orgPath,
      })
      .from(pairingTasks)
      .innerJoin(pairingPlans, and(eq(pairingPlans.cityCode, pairingTasks.cityCode), eq(pairingPlans.id, pairingTasks.planId)))
      .innerJoin(orgs, and(eq(orgs.cityCode, pairingPlans.cityCode), eq(orgs.id, pairingPlans.orgId)));
  const flatResident = (x: { r: typeof pairingResidents.$inferSelect; orgName: string; orgPath: string }): ResidentRow => ({
    ...x.r,
    orgName: x.orgName,
    orgPath: x.orgPath,
  });
  const flatPlan = (x: { p: typeof pairingPlans.$inferSelect; orgName: string; orgPath: string }): PlanRow => ({
    ...x.p,
    orgName: x.orgName,
    orgPath: x.orgPath,
  });
  const flatTask = (x: {
    t: typeof pairingTasks.$inferSelect;
    planName: string;
    planState: PlanState;
    visitHours: number;
    orgId: string;
    orgName: string;
    orgPath: string;
  }): TaskRow => ({
    ...x.t,
    planName: x.planName,
    planState: x.planState,
    visitHours: x.visitHours,
    orgId: x.orgId,
    orgName: x.orgName,
    orgPath: x.orgPath,
  });
  const like = (q: string) => `%${q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;

  return {
    // ── cared-for residents ────────────────────────────────────────────────────────────────
    async insertResident(row: typeof pairingResidents.$inferInsert, tx: Executor = db) {
      await tx.insert(pairingResidents).values(row);
    },
    async updateResident(cityCode: string, id: string, patch: Partial<typeof pairingResidents.$inferInsert>, tx: Executor = db) {
      await tx
        .update(pairingResidents)
        .set({ ...patch, updatedAt: new Date() })
        .where(and(eq(pairingResidents.cityCode, cityCode), eq(pairingResidents.id, id)));
    },
    async residentById(id: string, tx: Executor = db): Promise<ResidentRow | null> {
      const [r] = await residentBase(tx).where(eq(pairingResidents.id, id));
      return r ? flatResident(r) : null;
    },
    async residentsByIds(cityCode: string, ids: string[], tx: Executor = db): Promise<ResidentRow[]> {
      if (!ids.length) return [];
      return (await residentBase(tx).where(and(eq(pairingResidents.cityCode, cityCode), inArray(pairingResidents.id, ids)))).map(flatResident);
    },
    async listResidents(f: { scope: SQL; orgPath?: string; q?: string; after?: { name: string; id: string }; limit: number }, tx: Executor = db) {
      const conds: (SQL | undefined)[] = [f.scope];
      if (f.orgPath) conds.push(sql`${orgs.path} <@ ${f.orgPath}::ltree`);
      if (f.q) conds.push(or(ilike(pairingResidents.name, like(f.q)), ilike(pairingResidents.address, like(f.q))));
      if (f.after) conds.push(sql`(${pairingResidents.name}, ${pairingResidents.id}) > (${f.after.name}, ${f.after.id})`);
      return (
        await residentBase(tx)
          .where(and(...conds))
          .orderBy(asc(pairingResidents.name), asc(pairingResidents.id))
          .limit(f.limit)
      ).map(flatResident);
    },
    /** Whether the user is one of the volunteers of an active or paused plan caring for the resident. */
    async isPairedWith(cityCode: string, residentId: string, userId: string, tx: Executor = db): Promise<boolean> {
      const res = await tx.execute(sql`
        SELECT 1 FROM pairing_plan_residents pr
        JOIN pairing_plans p ON p.city_code = pr.city_code AND p.id = pr.plan_id AND p.state <> 'ended'
        JOIN pairing_plan_volunteers pv ON pv.city_code = pr.city_code AND pv.plan_id = pr.plan_id
        JOIN volunteers v ON v.city_code = pv.city_code AND v.id = pv.volunteer_id
        WHERE pr.city_code = ${cityCode} AND pr.resident_id = ${residentId} AND v.user_id = ${userId} LIMIT 1`);
      return rowsOf(res).length > 0;
    },

    // ── plans ──────────────────────────────────────────────────────────────────────────────
    async insertPlan(tx: Executor, row: typeof pairingPlans.$inferInsert) {
      await tx.insert(pairingPlans).values(row);
    },
    async planById(id: string, tx: Executor = db): Promise<PlanRow | null> {
      const [r] = await planBase(tx).where(eq(pairingPlans.id, id));
      return r ? flatPlan(r) : null;
    },
    /** Locks the plan row: edits, state changes and task generation of one plan go one at a time. */
    async lockPlan(tx: Executor, cityCode: string, id: string): Promise<PlanRow | null> {
      await tx.execute(sql`SELECT id FROM pairing_plans WHERE city_code = ${cityCode} AND id = ${id} FOR UPDATE`);
      const [r] = await planBase(tx).where(and(eq(pairingPlans.cityCode, cityCode), eq(pairingPlans.id, id)));
      return r ? flatPlan(r) : null;
    },
    async listPlans(
      f: {
        scope: SQL;
        orgPath?: string;
        state?: PlanState;
        q?: string;
        overdueBefore?: string;
        volunteerUserId?: string;
        before?: { createdAt: Date; id: string };
        limit: number;
      },
      tx: Executor = db,
    ): Promise<PlanRow[]> {
      const conds: (SQL | undefined)[] = [f.scope];
      if (f.orgPath) conds.push(sql`${orgs.path} <@ ${f.orgPath}::ltree`);
      if (f.state) conds.push(eq(pairingPlans.state, f.state));
      if (f.q) conds.push(or(ilike(pairingPlans.name, like(f.q)), ilike(pairingPlans.description, like(f.q))));
      if (f.overdueBefore)
        conds.push(
          sql`EXISTS (SELECT 1 FROM pairing_tasks t WHERE t.city_code = ${pairingPlans.cityCode} AND t.plan_id = ${pairingPlans.id} AND t.state = 'open' AND t.due_on < ${f.overdueBefore}::date)`,
        );
      if (f.before) conds.push(sql`(${pairingPlans.createdAt}, ${pairingPlans.id}) < (${f.before.createdAt}, ${f.before.id})`);
      return (
        await planBase(tx)
          .where(and(...conds))
          .orderBy(desc(pairingPlans.createdAt), desc(pairingPlans.id))
          .limit(f.limit)
      ).map(flatPlan);
    },
    /** Edits a plan that has not ended (conditional: null when it ended meanwhile). */
    async updatePlan(tx: Executor, cityCode: string, id: string, patch: Partial<typeof pairingPlans.$inferInsert>) {
      const [r] = await tx
        .update(pairingPlans)
        .set({ ...patch, updatedAt: new Date() })
        .where(and(eq(pairingPlans.cityCode, cityCode), eq(pairingPlans.id, id), inArray(pairingPlans.state, ['active', 'paused'])))
        .returning({ id: pairingPlans.id });
      return r ?? null;
    },
    /** A state change as one conditional update. */
    async transitionPlan(tx: Executor, cityCode: string, id: string, from: PlanState, to: PlanState, reason: string | null) {
      const [r] = await tx
        .update(pairingPlans)
        .set({ state: to, stateReason: reason, updatedAt: new Date() })
        .where(and(eq(pairingPlans.cityCode, cityCode), eq(pairingPlans.id, id), eq(pairingPlans.state, from)))
        .returning({ id: pairingPlans.id });
      return r ?? null;
    },
    /** Active plans of every city (the generation job), or of one. */
    async activePlans(tx: Executor = db): Promise<PlanRow[]> {
      return (await planBase(tx).where(eq(pairingPlans.state, 'active')).orderBy(asc(pairingPlans.cityCode), asc(pairingPlans.id))).map(flatPlan);
    },
    /** Active plans whose end date has passed. */
    async expiredPlans(today: string, tx: Executor = db): Promise<PlanRow[]> {
      return (await planBase(tx).where(and(inArray(pairingPlans.state, ['active', 'paused']), sql`${pairingPlans.endsOn} < ${today}::date`))).map(flatPlan);
    },

    async setPlanVolunteers(tx: Executor, cityCode: string, planId: string, ids: string[]) {
      await tx
        .delete(pairingPlanVolunteers)
        .where(and(eq(pairingPlanVolunteers.cityCode, cityCode), eq(pairingPlanVolunteers.planId, planId), notInArray(pairingPlanVolunteers.volunteerId, ids)));
      await tx
        .insert(pairingPlanVolunteers)
        .values(ids.map((volunteerId, i) => ({ cityCode, planId, volunteerId, addedAt: new Date(Date.now() + i) })))
        .onConflictDoNothing();
    },
    async setPlanResidents(tx: Executor, cityCode: string, planId: string, ids: string[]) {
      await tx
        .delete(pairingPlanResidents)
        .where(and(eq(pairingPlanResidents.cityCode, cityCode), eq(pairingPlanResidents.planId, planId), notInArray(pairingPlanResidents.residentId, ids)));
      await tx
        .insert(pairingPlanResidents)
        .values(ids.map((residentId, i) => ({ cityCode, planId, residentId, addedAt: new Date(Date.now() + i) })))
        .onConflictDoNothing();
    },
    async planVolunteers(cityCode: string, planId: string, tx: Executor = db): Promise<PlanVolunteerRow[]> {
      return tx
        .select({
          id: volunteers.id,
          userId: volunteers.userId,
          name: volunteers.realName,
          phone: sql<string>`coalesce(${users.phone}, '')`,
          status: volunteers.status,
        })
        .from(pairingPlanVolunteers)
        .innerJoin(volunteers, and(eq(volunteers.cityCode, pairingPlanVolunteers.cityCode), eq(volunteers.id, pairingPlanVolunteers.volunteerId)))
        .leftJoin(users, eq(users.id, volunteers.userId))
        .where(and(eq(pairingPlanVolunteers.cityCode, cityCode), eq(pairingPlanVolunteers.planId, planId)))
        .orderBy(asc(pairingPlanVolunteers.addedAt), asc(volunteers.realName));
    },
    async planResidents(cityCode: string, planId: string, tx: Executor = db): Promise<ResidentRow[]> {
      return (
        await residentBase(tx)
          .innerJoin(
            pairingPlanResidents,
            and(eq(pairingPlanResidents.cityCode, pairingResidents.cityCode), eq(pairingPlanResidents.residentId, pairingResidents.id)),
          )
          .where(and(eq(pairingPlanResidents.cityCode, cityCode), eq(pairingPlanResidents.planId, planId)))
          .orderBy(asc(pairingPlanResidents.addedAt), asc(pairingResidents.name))
      ).map(flatResident);
    },
    /** Task counts of plans; overdue = open before `today`; the next open due time from today on. */
    async counts(cityCode: string, planIds: string[], today: string, tx: Executor = db): Promise<Map<string, TaskCounts>> {
      const out = new Map<string, TaskCounts>();
      if (!planIds.length) return out;
      const res = await tx.execute(sql`
        SELECT plan_id,
          count(*) FILTER (WHERE state = 'open')::int AS open,
          count(*) FILTER (WHERE state = 'open' AND due_on < ${today}::date)::int AS overdue,
          count(*) FILTER (WHERE state = 'done')::int AS done,
          count(*) FILTER (WHERE state = 'missed')::int AS missed,
          min(due_at) FILTER (WHERE state = 'open' AND due_on >= ${today}::date) AS next_due_at
        FROM pairing_tasks WHERE city_code = ${cityCode} AND plan_id IN (${sql.join(
          planIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})
        GROUP BY plan_id`);
      for (const r of rowsOf<{ plan_id: string; open: number; overdue: number; done: number; missed: number; next_due_at: string | Date | null }>(res))
        out.set(r.plan_id, {
          open: Number(r.open),
          overdue: Number(r.overdue),
          done: Number(r.done),
          missed: Number(r.missed),
          nextDueAt: r.next_due_at ? new Date(r.next_due_at) : null,
        });
      return out;
    },

    // ── tasks ──────────────────────────────────────────────────────────────────────────────
    /** Inserts the tasks that do not exist yet (unique per plan, date and kind); returns the new ones. */
    async insertTasks(tx: Executor, rows: (typeof pairingTasks.$inferInsert)[]) {
      if (!rows.length) return [];
      return tx
        .insert(pairingTasks)
        .values(rows)
        .onConflictDoNothing()
        .returning({ id: pairingTasks.id, dueOn: pairingTasks.dueOn, kind: pairingTasks.kind, label: pairingTasks.label, dueAt: pairingTasks.dueAt });
    },
    /** Cancels the plan's open tasks due on or after `from`, except the keys listed (date|kind). */
    async cancelOpenFrom(tx: Executor, cityCode: string, planId: string, from: string, keep: string[] = []) {
      const keepCond = keep.length ? sql`AND (due_on, kind) NOT IN (${keyRows(keep)})` : sql``;
      const res = await tx.execute(sql`
        UPDATE pairing_tasks SET state = 'cancelled', updated_at = now()
        WHERE city_code = ${cityCode} AND plan_id = ${planId} AND state = 'open' AND due_on >= ${from}::date ${keepCond}
        RETURNING id`);
      return rowsOf<{ id: string }>(res).length;
    },
    /** Reopens the plan's cancelled tasks due on or after `from` whose keys (date|kind) are listed. */
    async reopenCancelled(tx: Executor, cityCode: string, planId: string, from: string, keys: string[]) {
      if (!keys.length) return [];
      const res = await tx.execute(sql`
        UPDATE pairing_tasks SET state = 'open', updated_at = now()
        WHERE city_code = ${cityCode} AND plan_id = ${planId} AND state = 'cancelled' AND due_on >= ${from}::date
          AND (due_on, kind) IN (${keyRows(keys)})
        RETURNING id`);
      return rowsOf<{ id: string }>(res);
    },
    /** Moves the time of open tasks whose rule time changed (same date and kind). */
    async retimeOpen(tx: Executor, cityCode: string, planId: string, key: string, dueAt: Date, label: string) {
      await tx.execute(sql`
        UPDATE pairing_tasks SET due_at = ${dueAt}, label = ${label}, updated_at = now()
        WHERE city_code = ${cityCode} AND plan_id = ${planId} AND state = 'open' AND (due_on, kind) IN (${keyRows([key])}) AND (due_at <> ${dueAt} OR label <> ${label})`);
    },
    async taskById(id: string, tx: Executor = db): Promise<TaskRow | null> {
      const [r] = await taskBase(tx).where(eq(pairingTasks.id, id));
      return r ? flatTask(r) : null;
    },
    async listPlanTasks(
      f: {
        cityCode: string;
        planId: string;
        when: 'today' | 'upcoming' | 'past' | 'all';
        state?: TaskState;
        today: string;
        after?: { dueAt: Date; id: string };
        limit: number;
      },
      tx: Executor = db,
    ) {
      const conds: (SQL | undefined)[] = [eq(pairingTasks.cityCode, f.cityCode), eq(pairingTasks.planId, f.planId)];
      const desc_ = f.when === 'past' || f.when === 'all';
      if (f.when === 'today') conds.push(sql`${pairingTasks.dueOn} = ${f.today}::date`);
      if (f.when === 'upcoming') conds.push(sql`${pairingTasks.dueOn} >= ${f.today}::date AND ${pairingTasks.state} = 'open'`);
      if (f.when === 'past') conds.push(sql`(${pairingTasks.dueOn} < ${f.today}::date OR ${pairingTasks.state} IN ('done', 'missed'))`);
      if (f.state) conds.push(eq(pairingTasks.state, f.state));
      if (f.after)
        conds.push(
          desc_
            ? sql`(${pairingTasks.dueAt}, ${pairingTasks.id}) < (${f.after.dueAt}, ${f.after.id})`
            : sql`(${pairingTasks.dueAt}, ${pairingTasks.id}) > (${f.after.dueAt}, ${f.after.id})`,
        );
      const order = desc_ ? [desc(pairingTasks.dueAt), desc(pairingTasks.id)] : [asc(pairingTasks.dueAt), asc(pairingTasks.id)];
      return (
        await taskBase(tx)
          .where(and(...conds))
          .orderBy(...order)
          .limit(f.limit)
      ).map(flatTask);
    },
    /** The caller's tasks as a paired volunteer (plans that have not ended or the task is settled). */
    async myTasks(
      f: {
        userId: string;
        view: 'today' | 'upcoming' | 'done' | 'overdue';
        today: string;
        horizon: string;
        after?: { dueAt: Date; id: string };
        limit: number;
      },
      tx: Executor = db,
    ) {
      const mine = sql`EXISTS (SELECT 1 FROM pairing_plan_volunteers pv JOIN volunteers v ON v.city_code = pv.city_code AND v.id = pv.volunteer_id
        WHERE pv.city_code = ${pairingTasks.cityCode} AND pv.plan_id = ${pairingTasks.planId} AND v.user_id = ${f.userId})`;
      const conds: (SQL | undefined)[] = [mine];
      const descending = f.view === 'done';
      if (f.view === 'today') conds.push(sql`${pairingTasks.dueOn} = ${f.today}::date AND ${pairingTasks.state} <> 'cancelled'`);
      if (f.view === 'upcoming')
        conds.push(sql`${pairingTasks.dueOn} > ${f.today}::date AND ${pairingTasks.dueOn} <= ${f.horizon}::date AND ${pairingTasks.state} = 'open'`);
      if (f.view === 'overdue') conds.push(sql`${pairingTasks.dueOn} < ${f.today}::date AND ${pairingTasks.state} = 'open'`);
      if (f.view === 'done') conds.push(inArray(pairingTasks.state, ['done', 'missed']));
      if (f.after)
        conds.push(
          descending
            ? sql`(${pairingTasks.dueAt}, ${pairingTasks.id}) < (${f.after.dueAt}, ${f.after.id})`
            : sql`(${pairingTasks.dueAt}, ${pairingTasks.id}) > (${f.after.dueAt}, ${f.after.id})`,
        );
      const order = descending ? [desc(pairingTasks.dueAt), desc(pairingTasks.id)] : [asc(pairingTasks.dueAt), asc(pairingTasks.id)];
      return (
        await taskBase(tx)
          .where(and(...conds))
          .orderBy(...order)
          .limit(f.limit)
      ).map(flatTask);
    },
    /** open → done with the visit log, as one conditional update (null when it was not open). */
    async logVisit(
      tx: Executor,
      cityCode: string,
      id: string,
      log: {
        loggedBy: string;
        visitedAt: Date;
        hours: number;
        note: string | null;
        photoIds: string[];
        lat: number | null;
        lng: number | null;
        servedVolunteerIds: string[];
      },
    ) {
      const now = new Date();
      const [r] = await tx
        .update(pairingTasks)
        .set({ ...log, state: 'done', loggedAt: now, updatedAt: now })
        .where(and(eq(pairingTasks.cityCode, cityCode), eq(pairingTasks.id, id), eq(pairingTasks.state, 'open')))
        .returning({ id: pairingTasks.id });
      return r ?? null;
    },
    /** open → missed with the reason (null when it was not open). */
    async markMissed(tx: Executor, cityCode: string, id: string, by: string, reason: string) {
      const now = new Date();
      const [r] = await tx
        .update(pairingTasks)
        .set({ state: 'missed', missedReason: reason, loggedBy: by, loggedAt: now, updatedAt: now })
        .where(and(eq(pairingTasks.cityCode, cityCode), eq(pairingTasks.id, id), eq(pairingTasks.state, 'open')))
        .returning({ id: pairingTasks.id });
      return r ?? null;
    },
    async recordsOfTask(cityCode: string, taskId: string, tx: Executor = db) {
      return tx
        .select({
          id: serviceRecords.id,
          volunteerId: serviceRecords.volunteerId,
          volunteerName: volunteers.realName,
          hours: serviceRecords.hours,
          status: serviceRecords.status,
        })
        .from(serviceRecords)
        .innerJoin(volunteers, and(eq(volunteers.cityCode, serviceRecords.cityCode), eq(volunteers.id, serviceRecords.volunteerId)))
        .where(and(eq(serviceRecords.cityCode, cityCode), eq(serviceRecords.sourceType, 'pairing'), eq(serviceRecords.sourceId, taskId)))
        .orderBy(asc(volunteers.realName));
    },
    async userName(userId: string, tx: Executor = db): Promise<string | null> {
      const [r] = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId));
      return r?.name ?? null;
    },
  };
}

export type PairingRepository = ReturnType<typeof createPairingRepository>;
