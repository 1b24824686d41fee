// 结对帮扶 (pairing): the dependencies and helpers its use cases share (use-cases/*.ts).
import { z } from 'zod';
import { sql } from 'drizzle-orm';
import type { PairingPlanDto, PairingResidentDto, PairingTaskDto } from '@wenming/contracts';
import {
  addDays,
  chinaInstant,
  expandPairingSchedule,
  isPairingTaskOverdue,
  localDate,
  maskPhone,
  mayLogPairingVisit,
  nextPairingPlanState,
  PAIRING_HORIZON_DAYS,
} from '@wenming/domain';
import type { Db, Executor } from '../../db/client.ts';
import { AppError, forbidden, notFound, ruleViolation } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { toIso } from '../../lib/time.ts';
import { inScope, isAncestorPath, phoneAsSeenBy, READ_ROLES, requireActor, scopeOf, type Actor, type RequestCtx } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { NotificationsRepository } from '../notifications/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { RecordsService } from '../records/index.ts';
import type { VolunteersRepository } from '../volunteers/index.ts';
import type { PairingRepository, PlanRow, PlanVolunteerRow, ResidentRow, TaskRow } from './pairing.repository.ts';
import { ZCursorTime } from '../../lib/cursor.ts';

export const ZPlanCursor = z.object({ createdAt: ZCursorTime, id: z.string().uuid() });
export const ZTaskCursor = z.object({ dueAt: ZCursorTime, id: z.string().uuid() });
export const ZResidentCursor = z.object({ name: z.string(), id: z.string().uuid() });

export const planNotFound = () => notFound({ zh: '结对帮扶计划不存在', en: 'No such pairing plan' });
export const taskNotFound = () => notFound({ zh: '探访任务不存在', en: 'No such visit task' });
export const residentNotFound = () => notFound({ zh: '帮扶对象不存在', en: 'No such cared-for person' });
export const outOfScope = () => forbidden({ zh: '该结对帮扶不在您的管辖范围内', en: 'This pairing is outside your scope' });

export type Access = 'staff' | 'volunteer';

export interface PairingDeps {
  db: Db;
  pairing: PairingRepository;
  orgs: OrgsRepository;
  volunteers: VolunteersRepository;
  records: RecordsService;
  notifications: NotificationsRepository;
  audit: AuditRepository;
  clock?: () => Date;
}

export const fmtDue = (dueAt: Date) => {
  const iso = toIso(dueAt);
  return `${+iso.slice(5, 7)}月${+iso.slice(8, 10)}日 ${iso.slice(11, 16)}`;
};

/** What every use case of the module shares: its dependencies, the clock, and the helpers that load, check and present. */
/** The task rows of a plan's visits, as the repository inserts them (an existing visit is kept). */
export function taskRowsOf(plan: { cityCode: string; id: string }, visits: ReturnType<typeof expandPairingSchedule>) {
  return visits.map((v) => ({
    cityCode: plan.cityCode,
    id: newId(),
    planId: plan.id,
    kind: v.kind,
    dueOn: v.date,
    dueAt: chinaInstant(v.date, v.time),
    label: v.label,
    photoIds: [] as string[],
    servedVolunteerIds: [] as string[],
  }));
}

export function createPairingKit(deps: PairingDeps) {
  const { db, pairing } = deps;
  const now = deps.clock ?? (() => new Date());
  const today = () => localDate(now());

  const staffIn = (actor: Actor, ref: { cityCode: string; orgPath: string }) =>
    inScope(scopeOf(actor, READ_ROLES), { cityCode: ref.cityCode, path: ref.orgPath });
  const isStaffAnywhere = (actor: Actor) => {
    const s = scopeOf(actor, READ_ROLES);
    return s.all || s.subtrees.length > 0;
  };

  function presentResident(actor: Actor, r: ResidentRow, paired: boolean): PairingResidentDto {
    const fullPhone = actor.isAdmin || paired || r.linkedUserId === actor.userId;
    return {
      id: r.id,
      orgId: r.orgId,
      orgName: r.orgName,
      name: r.name,
      address: r.address,
      phone: r.phone ? (fullPhone ? r.phone : maskPhone(r.phone)) : null,
      gender: r.gender ?? null,
      birthYear: r.birthYear,
      tags: r.tags,
      note: r.note,
      linkedUserId: r.linkedUserId,
      createdAt: toIso(r.createdAt),
    };
  }

  /** Staff of the plan's subtree, or one of its volunteers (read and log only); staff elsewhere 403, anybody else 404. */
  async function accessTo(actor: Actor, plan: PlanRow, vols?: PlanVolunteerRow[]): Promise<{ access: Access; vols: PlanVolunteerRow[] }> {
    const list = vols ?? (await pairing.planVolunteers(plan.cityCode, plan.id));
    if (staffIn(actor, plan)) return { access: 'staff', vols: list };
    if (list.some((v) => v.userId === actor.userId)) return { access: 'volunteer', vols: list };
    if (isStaffAnywhere(actor)) throw outOfScope();
    throw planNotFound();
  }

  async function presentPlan(
    actor: Actor,
    p: PlanRow,
    access: Access,
    vols: PlanVolunteerRow[],
    counts?: Awaited<ReturnType<PairingRepository['counts']>>,
  ): Promise<PairingPlanDto> {
    const residents = await pairing.planResidents(p.cityCode, p.id);
    const c = (counts ?? (await pairing.counts(p.cityCode, [p.id], today()))).get(p.id);
    const paired = vols.some((v) => v.userId === actor.userId) && p.state !== 'ended';
    const actions: string[] = [];
    if (access === 'staff') {
      if (p.state !== 'ended') actions.push('edit');
      for (const e of ['pause', 'resume', 'end'] as const) if (nextPairingPlanState(p.state, e)) actions.push(e);
    }
    return {
      id: p.id,
      orgId: p.orgId,
      orgName: p.orgName,
      name: p.name,
      description: p.description,
      state: p.state,
      stateReason: p.stateReason,
      rules: p.rules,
      startsOn: p.startsOn,
      endsOn: p.endsOn,
      visitHours: p.visitHours,
      volunteers: vols.map((v) => ({ id: v.id, name: v.name, phone: phoneAsSeenBy(actor, v.userId, v.phone) })),
      residents: residents.map((r) => presentResident(actor, r, paired)),
      counts: { open: c?.open ?? 0, overdue: c?.overdue ?? 0, done: c?.done ?? 0, missed: c?.missed ?? 0 },
      nextDueAt: c?.nextDueAt ? toIso(c.nextDueAt) : null,
      createdAt: toIso(p.createdAt),
      allowedActions: actions,
    };
  }

  async function presentTask(actor: Actor, t: TaskRow, access: Access, vols?: PlanVolunteerRow[]): Promise<PairingTaskDto> {
    const list = vols ?? (await pairing.planVolunteers(t.cityCode, t.planId));
    const residents = await pairing.planResidents(t.cityCode, t.planId);
    const paired = list.some((v) => v.userId === actor.userId) && t.planState !== 'ended';
    const td = today();
    const actions: string[] = [];
    if (t.state === 'open') {
      if (mayLogPairingVisit(t.dueOn, td)) actions.push('log');
      actions.push('miss');
    }
    const records = t.state === 'done' ? await pairing.recordsOfTask(t.cityCode, t.id) : [];
    return {
      id: t.id,
      planId: t.planId,
      planName: t.planName,
      orgId: t.orgId,
      orgName: t.orgName,
      kind: t.kind,
      label: t.label,
      dueOn: t.dueOn,
      dueAt: toIso(t.dueAt),
      state: t.state,
      overdue: isPairingTaskOverdue(t.state, t.dueOn, td),
      residents: residents.map((r) => presentResident(actor, r, paired)),
      volunteers: list.map((v) => ({ id: v.id, name: v.name })),
      visitHours: t.visitHours,
      log: t.loggedAt
        ? {
            loggedAt: toIso(t.loggedAt),
            loggedBy: t.loggedBy,
            loggedByName: t.loggedBy ? await pairing.userName(t.loggedBy) : null,
            visitedAt: t.visitedAt ? toIso(t.visitedAt) : null,
            hours: t.hours,
            note: t.note,
            photoIds: t.photoIds,
            lat: t.lat,
            lng: t.lng,
            servedVolunteerIds: t.servedVolunteerIds,
            missedReason: t.missedReason,
          }
        : null,
      records: records.map((r) => ({ ...r, hours: Number(r.hours) })),
      allowedActions: access === 'staff' || access === 'volunteer' ? actions : [],
    };
  }

  async function loadPlan(ctx: RequestCtx, id: string) {
    const actor = requireActor(ctx);
    const plan = await pairing.planById(id);
    if (!plan) throw planNotFound();
    const { access, vols } = await accessTo(actor, plan);
    return { actor, plan, access, vols };
  }

  async function loadPlanAsStaff(ctx: RequestCtx, id: string) {
    const l = await loadPlan(ctx, id);
    if (l.access !== 'staff') throw forbidden({ zh: '只有阵地工作人员可以管理结对帮扶', en: 'Only staff manage pairing plans' });
    return l;
  }

  async function loadTask(ctx: RequestCtx, id: string) {
    const actor = requireActor(ctx);
    const task = await pairing.taskById(id);
    if (!task) throw taskNotFound();
    const vols = await pairing.planVolunteers(task.cityCode, task.planId);
    let access: Access;
    if (staffIn(actor, task)) access = 'staff';
    else if (vols.some((v) => v.userId === actor.userId)) access = 'volunteer';
    else if (isStaffAnywhere(actor)) throw outOfScope();
    else throw taskNotFound();
    return { actor, task, access, vols };
  }

  /** Volunteers must exist in the plan's city, be active and report to a site in the plan's subtree. */
  async function checkVolunteers(org: { cityCode: string; path: string }, ids: string[], tx?: Executor) {
    const out = [];
    for (const id of ids) {
      const v = await deps.volunteers.byId(id, tx);
      if (!v || v.cityCode !== org.cityCode) throw notFound({ zh: '志愿者不存在', en: 'No such volunteer' });
      if (!isAncestorPath(org.path, v.orgPath))
        throw ruleViolation({ zh: `志愿者${v.realName}不在本阵地及下级阵地，不能结对`, en: `Volunteer ${v.realName} does not report to this site or below` });
      if (v.status !== 'active') throw ruleViolation({ zh: `志愿者${v.realName}已暂停服务，不能结对`, en: `Volunteer ${v.realName} is suspended` });
      out.push(v);
    }
    return out;
  }

  /** Cared-for residents must be registered at a site on the plan site's branch (above or below it). */
  async function checkResidents(org: { cityCode: string; path: string }, ids: string[], tx?: Executor) {
    const rows = await pairing.residentsByIds(org.cityCode, ids, tx);
    if (rows.length !== ids.length) throw residentNotFound();
    for (const r of rows)
      if (!isAncestorPath(org.path, r.orgPath) && !isAncestorPath(r.orgPath, org.path))
        throw ruleViolation({ zh: `帮扶对象${r.name}不属于本阵地，不能结对`, en: `${r.name} is registered at another site` });
    return rows;
  }

  const keyOf = (v: { date: string; kind: string }) => `${v.date}|${v.kind}`;

  /**
   * Brings the plan's tasks from today on in line with its rules and state (call with the plan
   * row locked): cancels open tasks no rule produces any more, reopens cancelled ones that a rule
   * produces again, moves changed times, and creates the missing ones. Returns the new tasks.
   */
  async function syncTasks(tx: Executor, plan: PlanRow, from: string) {
    if (plan.state !== 'active') {
      await pairing.cancelOpenFrom(tx, plan.cityCode, plan.id, from);
      return [];
    }
    const visits = expandPairingSchedule(plan.rules, { startsOn: plan.startsOn, endsOn: plan.endsOn, from, to: addDays(from, PAIRING_HORIZON_DAYS) });
    const keys = visits.map(keyOf);
    await pairing.cancelOpenFrom(tx, plan.cityCode, plan.id, from, keys);
    await pairing.reopenCancelled(tx, plan.cityCode, plan.id, from, keys);
    for (const v of visits) await pairing.retimeOpen(tx, plan.cityCode, plan.id, keyOf(v), chinaInstant(v.date, v.time), v.label);
    return pairing.insertTasks(tx, taskRowsOf(plan, visits));
  }

  async function notifyVolunteers(
    tx: Executor,
    plan: PlanRow,
    userIds: string[],
    n: { kind: string; title: string; body?: string; refType: string; refId: string },
  ) {
    await deps.notifications.add(tx, { userIds, cityCode: plan.cityCode, ...n });
  }

  function auditBodyOf<T extends { phone?: string | null }>(body: T) {
    return body.phone ? { ...body, phone: maskPhone(body.phone) } : body;
  }

  async function checkPhotos(ctx: RequestCtx, ids: string[]) {
    if (!ids.length) return;
    const res = await db.execute(
      sql`SELECT id FROM uploads WHERE id IN (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) AND owner_id = ${ctx.actor!.userId}`,
    );
    const found = new Set((res as { rows: { id: string }[] }).rows.map((r) => r.id));
    const missing = ids.findIndex((id) => !found.has(id));
    if (missing >= 0) throw new AppError('VALIDATION_FAILED', undefined, [{ path: `photoIds.${missing}`, message: '照片不存在或不是您上传的' }]);
  }

  return {
    ...deps,
    db,
    pairing,
    now,
    today,
    staffIn,
    isStaffAnywhere,
    presentResident,
    accessTo,
    presentPlan,
    presentTask,
    loadPlan,
    loadPlanAsStaff,
    loadTask,
    checkVolunteers,
    checkResidents,
    keyOf,
    syncTasks,
    notifyVolunteers,
    auditBodyOf,
    checkPhotos,
  };
}

export type PairingKit = ReturnType<typeof createPairingKit>;
