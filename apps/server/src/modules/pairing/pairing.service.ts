import { z } from 'zod';
import { sql } from 'drizzle-orm';
import type {
  Page,
  PairingPlanDto,
  PairingResidentDto,
  PairingTaskDto,
  TCreatePairingPlanBody,
  TCreatePairingResidentBody,
  TLogPairingVisitBody,
  TUpdatePairingPlanBody,
  TUpdatePairingResidentBody,
} from '@wenming/contracts';
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
  PAIRING_PLAN_STATE_NAMES,
  type PairingPlanEvent,
} from '@wenming/domain';
import type { Db, Executor } from '../../db/client.ts';
import { orgs as orgsTable } from '../../db/schema.ts';
import { AppError, forbidden, invalidState, notFound, ruleViolation, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { toIso } from '../../lib/time.ts';
import { assertInScope, assertStaff, inScope, isAncestorPath, phoneAsSeenBy, READ_ROLES, requireActor, scopeCondition, scopeOf, type Actor, type RequestCtx } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { NotificationsRepository } from '../notifications/index.ts';
import { narrowToOrg } from '../orgs/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { RecordsService } from '../records/index.ts';
import type { VolunteersRepository } from '../volunteers/index.ts';
import type { PairingRepository, PlanRow, PlanVolunteerRow, ResidentRow, TaskRow } from './pairing.repository.ts';

const ZPlanCursor = z.object({ createdAt: z.string(), id: z.string().uuid() });
const ZTaskCursor = z.object({ dueAt: z.string(), id: z.string().uuid() });
const ZResidentCursor = z.object({ name: z.string(), id: z.string().uuid() });

const planNotFound = () => notFound({ zh: '结对帮扶计划不存在', en: 'No such pairing plan' });
const taskNotFound = () => notFound({ zh: '探访任务不存在', en: 'No such visit task' });
const residentNotFound = () => notFound({ zh: '帮扶对象不存在', en: 'No such cared-for person' });
const outOfScope = () => forbidden({ zh: '该结对帮扶不在您的管辖范围内', en: 'This pairing is outside your scope' });

type Access = 'staff' | 'volunteer';

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

const fmtDue = (dueAt: Date) => {
  const iso = toIso(dueAt);
  return `${+iso.slice(5, 7)}月${+iso.slice(8, 10)}日 ${iso.slice(11, 16)}`;
};

/** 结对帮扶: cared-for residents, plans with recurring visit rules, visit tasks and their logs. */
export function createPairingService(deps: PairingDeps) {
  const { db, pairing } = deps;
  const now = deps.clock ?? (() => new Date());
  const today = () => localDate(now());

  const staffIn = (actor: Actor, ref: { cityCode: string; orgPath: string }) => inScope(scopeOf(actor, READ_ROLES), { cityCode: ref.cityCode, path: ref.orgPath });
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

  async function presentPlan(actor: Actor, p: PlanRow, access: Access, vols: PlanVolunteerRow[], counts?: Awaited<ReturnType<PairingRepository['counts']>>): Promise<PairingPlanDto> {
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
    return pairing.insertTasks(
      tx,
      visits.map((v) => ({ cityCode: plan.cityCode, id: newId(), planId: plan.id, kind: v.kind, dueOn: v.date, dueAt: chinaInstant(v.date, v.time), label: v.label, photoIds: [], servedVolunteerIds: [] })),
    );
  }

  async function notifyVolunteers(tx: Executor, plan: PlanRow, userIds: string[], n: { kind: string; title: string; body?: string; refType: string; refId: string }) {
    await deps.notifications.add(tx, { userIds, cityCode: plan.cityCode, ...n });
  }

  function auditBodyOf<T extends { phone?: string | null }>(body: T) {
    return body.phone ? { ...body, phone: maskPhone(body.phone) } : body;
  }

  async function checkPhotos(ctx: RequestCtx, ids: string[]) {
    if (!ids.length) return;
    const res = await db.execute(sql`SELECT id FROM uploads WHERE id IN (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}) AND owner_id = ${ctx.actor!.userId}`);
    const found = new Set((res as { rows: { id: string }[] }).rows.map((r) => r.id));
    const missing = ids.findIndex((id) => !found.has(id));
    if (missing >= 0) throw new AppError('VALIDATION_FAILED', undefined, [{ path: `photoIds.${missing}`, message: '照片不存在或不是您上传的' }]);
  }

  return {
    // ── cared-for residents ────────────────────────────────────────────────────────────────
    async createResident(ctx: RequestCtx, body: TCreatePairingResidentBody): Promise<PairingResidentDto> {
      const actor = requireActor(ctx);
      const org = await deps.orgs.byId(body.orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      assertInScope(actor, READ_ROLES, org);
      if (body.linkedUserId && !(await pairing.userName(body.linkedUserId))) throw notFound({ zh: '关联的居民账号不存在', en: 'No such resident account' });
      const id = newId();
      await db.transaction(async (tx) => {
        await pairing.insertResident(
          {
            cityCode: org.cityCode,
            id,
            orgId: org.id,
            name: body.name,
            address: body.address,
            phone: body.phone ?? null,
            gender: body.gender ?? null,
            birthYear: body.birthYear ?? null,
            tags: [...new Set(body.tags)],
            note: body.note ?? null,
            linkedUserId: body.linkedUserId ?? null,
            createdBy: actor.userId,
          },
          tx,
        );
        await deps.audit.record(ctx, { cityCode: org.cityCode, action: 'pairing.resident.create', entityType: 'pairing_resident', entityId: id, after: auditBodyOf(body) }, tx);
      });
      return presentResident(actor, (await pairing.residentById(id))!, false);
    },

    async getResident(ctx: RequestCtx, id: string): Promise<PairingResidentDto> {
      const actor = requireActor(ctx);
      const r = await pairing.residentById(id);
      if (!r) throw residentNotFound();
      const paired = await pairing.isPairedWith(r.cityCode, r.id, actor.userId);
      if (!staffIn(actor, r) && !paired && r.linkedUserId !== actor.userId) {
        if (isStaffAnywhere(actor)) throw outOfScope();
        throw residentNotFound();
      }
      return presentResident(actor, r, paired);
    },

    async updateResident(ctx: RequestCtx, id: string, body: TUpdatePairingResidentBody): Promise<PairingResidentDto> {
      const actor = requireActor(ctx);
      const r = await pairing.residentById(id);
      if (!r) throw residentNotFound();
      if (!staffIn(actor, r)) {
        if (isStaffAnywhere(actor)) throw outOfScope();
        throw residentNotFound();
      }
      if (body.linkedUserId && !(await pairing.userName(body.linkedUserId))) throw notFound({ zh: '关联的居民账号不存在', en: 'No such resident account' });
      const patch = Object.fromEntries(Object.entries({ ...body, tags: body.tags ? [...new Set(body.tags)] : undefined }).filter(([, v]) => v !== undefined));
      await db.transaction(async (tx) => {
        await pairing.updateResident(r.cityCode, r.id, patch, tx);
        await deps.audit.record(ctx, { cityCode: r.cityCode, action: 'pairing.resident.update', entityType: 'pairing_resident', entityId: r.id, before: auditBodyOf({ ...r }), after: auditBodyOf(body) }, tx);
      });
      return presentResident(actor, (await pairing.residentById(id))!, await pairing.isPairedWith(r.cityCode, r.id, actor.userId));
    },

    async listResidents(ctx: RequestCtx, q: { orgId?: string; q?: string; limit: number; cursor?: string }): Promise<Page<PairingResidentDto>> {
      const actor = requireActor(ctx);
      const n = await narrowToOrg(deps.orgs, assertStaff(actor), q.orgId);
      const after = q.cursor ? decodeCursor(q.cursor, ZResidentCursor) : undefined;
      const rows = await pairing.listResidents({ scope: scopeCondition(n.scope, orgsTable.cityCode, orgsTable.path), orgPath: n.orgPath, q: q.q, after, limit: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((r) => presentResident(actor, r, false)),
        nextCursor: rows.length > q.limit ? encodeCursor({ name: page.at(-1)!.name, id: page.at(-1)!.id }) : null,
      };
    },

    // ── plans ──────────────────────────────────────────────────────────────────────────────
    async createPlan(ctx: RequestCtx, body: TCreatePairingPlanBody): Promise<PairingPlanDto> {
      const actor = requireActor(ctx);
      const org = await deps.orgs.byId(body.orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      assertInScope(actor, READ_ROLES, org);
      const vols = await checkVolunteers(org, body.volunteerIds);
      await checkResidents(org, body.residentIds);
      const id = newId();
      await db.transaction(async (tx) => {
        await pairing.insertPlan(tx, {
          cityCode: org.cityCode,
          id,
          orgId: org.id,
          name: body.name,
          description: body.description ?? null,
          state: 'active',
          rules: body.rules,
          startsOn: body.startsOn,
          endsOn: body.endsOn ?? null,
          visitHours: Math.round(body.visitHours * 10) / 10,
          createdBy: actor.userId,
        });
        await pairing.setPlanVolunteers(tx, org.cityCode, id, body.volunteerIds);
        await pairing.setPlanResidents(tx, org.cityCode, id, body.residentIds);
        const plan = (await pairing.lockPlan(tx, org.cityCode, id))!;
        const created = await syncTasks(tx, plan, today());
        await deps.audit.record(ctx, { cityCode: org.cityCode, action: 'pairing.plan.create', entityType: 'pairing_plan', entityId: id, after: body }, tx);
        await notifyVolunteers(
          tx,
          plan,
          vols.map((v) => v.userId),
          { kind: 'pairing.joined', title: `您已加入结对帮扶「${plan.name}」`, body: created.length ? `近两周有 ${created.length} 次探访任务，请在“结对帮扶”中查看。` : '探访任务生成后会通知您。', refType: 'pairing_plan', refId: id },
        );
      });
      const plan = (await pairing.planById(id))!;
      return presentPlan(actor, plan, 'staff', await pairing.planVolunteers(plan.cityCode, id));
    },

    async getPlan(ctx: RequestCtx, id: string): Promise<PairingPlanDto> {
      const { actor, plan, access, vols } = await loadPlan(ctx, id);
      return presentPlan(actor, plan, access, vols);
    },

    async listPlans(ctx: RequestCtx, q: { orgId?: string; state?: PlanRow['state']; q?: string; overdue?: 'true' | 'false'; limit: number; cursor?: string }): Promise<Page<PairingPlanDto>> {
      const actor = requireActor(ctx);
      const n = await narrowToOrg(deps.orgs, assertStaff(actor), q.orgId);
      const c = q.cursor ? decodeCursor(q.cursor, ZPlanCursor) : undefined;
      const td = today();
      const rows = await pairing.listPlans({
        scope: scopeCondition(n.scope, orgsTable.cityCode, orgsTable.path),
        orgPath: n.orgPath,
        state: q.state,
        q: q.q,
        overdueBefore: q.overdue === 'true' ? td : undefined,
        before: c ? { createdAt: new Date(c.createdAt), id: c.id } : undefined,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const byCity = new Map<string, string[]>();
      for (const p of page) byCity.set(p.cityCode, [...(byCity.get(p.cityCode) ?? []), p.id]);
      const counts = new Map<string, Awaited<ReturnType<PairingRepository['counts']>>>();
      for (const [city, ids] of byCity) counts.set(city, await pairing.counts(city, ids, td));
      const items = [];
      for (const p of page) items.push(await presentPlan(actor, p, 'staff', await pairing.planVolunteers(p.cityCode, p.id), counts.get(p.cityCode)));
      return { items, nextCursor: rows.length > q.limit ? encodeCursor({ createdAt: page.at(-1)!.createdAt.toISOString(), id: page.at(-1)!.id }) : null };
    },

    async updatePlan(ctx: RequestCtx, id: string, body: TUpdatePairingPlanBody): Promise<PairingPlanDto> {
      const { actor, plan, vols: before } = await loadPlanAsStaff(ctx, id);
      if (plan.state === 'ended') throw invalidState({ zh: '结对帮扶已结束，不能修改', en: 'The plan has ended' });
      const org = { cityCode: plan.cityCode, path: plan.orgPath };
      const vols = body.volunteerIds ? await checkVolunteers(org, body.volunteerIds) : null;
      if (body.residentIds) await checkResidents(org, body.residentIds);
      const startsOn = body.startsOn ?? plan.startsOn;
      const endsOn = body.endsOn === undefined ? plan.endsOn : body.endsOn;
      if (endsOn && endsOn < startsOn) throw validationFailed('endsOn', { zh: '结束日期不能早于开始日期', en: 'The end is before the start' });
      await db.transaction(async (tx) => {
        const locked = await pairing.lockPlan(tx, plan.cityCode, plan.id);
        if (!locked || locked.state === 'ended') throw invalidState({ zh: '结对帮扶已结束，不能修改', en: 'The plan has ended' });
        const patch: Record<string, unknown> = { startsOn, endsOn };
        if (body.name !== undefined) patch.name = body.name;
        if (body.description !== undefined) patch.description = body.description;
        if (body.rules !== undefined) patch.rules = body.rules;
        if (body.visitHours !== undefined) patch.visitHours = Math.round(body.visitHours * 10) / 10;
        if (!(await pairing.updatePlan(tx, plan.cityCode, plan.id, patch))) throw invalidState({ zh: '结对帮扶已结束，不能修改', en: 'The plan has ended' });
        if (body.volunteerIds) await pairing.setPlanVolunteers(tx, plan.cityCode, plan.id, body.volunteerIds);
        if (body.residentIds) await pairing.setPlanResidents(tx, plan.cityCode, plan.id, body.residentIds);
        const updated = (await pairing.lockPlan(tx, plan.cityCode, plan.id))!;
        await syncTasks(tx, updated, today());
        await deps.audit.record(ctx, { cityCode: plan.cityCode, action: 'pairing.plan.update', entityType: 'pairing_plan', entityId: plan.id, before: { name: plan.name, rules: plan.rules, startsOn: plan.startsOn, endsOn: plan.endsOn, volunteerIds: before.map((v) => v.id) }, after: body }, tx);
        if (vols) {
          const added = vols.filter((v) => !before.some((b) => b.id === v.id)).map((v) => v.userId);
          await notifyVolunteers(tx, updated, added, { kind: 'pairing.joined', title: `您已加入结对帮扶「${updated.name}」`, body: '请在“结对帮扶”中查看探访任务。', refType: 'pairing_plan', refId: plan.id });
        }
      });
      const fresh = (await pairing.planById(id))!;
      return presentPlan(actor, fresh, 'staff', await pairing.planVolunteers(fresh.cityCode, id));
    },

    /** pause / resume / end, by the transition table; tasks from today on follow the plan's state. */
    async transition(ctx: RequestCtx, id: string, event: PairingPlanEvent, reason: string | null): Promise<PairingPlanDto> {
      const { actor, plan } = await loadPlanAsStaff(ctx, id);
      const to = nextPairingPlanState(plan.state, event);
      if (!to) throw invalidState({ zh: `结对帮扶${PAIRING_PLAN_STATE_NAMES[plan.state]}，不能执行此操作`, en: `Cannot ${event} a plan that is ${plan.state}` });
      await db.transaction(async (tx) => {
        await pairing.lockPlan(tx, plan.cityCode, plan.id);
        if (!(await pairing.transitionPlan(tx, plan.cityCode, plan.id, plan.state, to, reason))) throw invalidState({ zh: '结对帮扶状态已变化，请刷新', en: 'The plan changed meanwhile' });
        const updated = (await pairing.lockPlan(tx, plan.cityCode, plan.id))!;
        await syncTasks(tx, updated, today());
        await deps.audit.record(ctx, { cityCode: plan.cityCode, action: `pairing.plan.${event}`, entityType: 'pairing_plan', entityId: plan.id, before: { state: plan.state }, after: { state: to, reason } }, tx);
        const vols = await pairing.planVolunteers(plan.cityCode, plan.id, tx);
        const title = { pause: `结对帮扶「${plan.name}」已暂停`, resume: `结对帮扶「${plan.name}」已恢复`, end: `结对帮扶「${plan.name}」已结束` }[event];
        await notifyVolunteers(tx, updated, vols.map((v) => v.userId), { kind: `pairing.${event}`, title, body: reason ?? undefined, refType: 'pairing_plan', refId: plan.id });
      });
      const fresh = (await pairing.planById(id))!;
      return presentPlan(actor, fresh, 'staff', await pairing.planVolunteers(fresh.cityCode, id));
    },

    async planTasks(ctx: RequestCtx, id: string, q: { when: 'today' | 'upcoming' | 'past' | 'all'; state?: TaskRow['state']; limit: number; cursor?: string }): Promise<Page<PairingTaskDto>> {
      const { actor, plan, access, vols } = await loadPlan(ctx, id);
      const c = q.cursor ? decodeCursor(q.cursor, ZTaskCursor) : undefined;
      const rows = await pairing.listPlanTasks({ cityCode: plan.cityCode, planId: plan.id, when: q.when, state: q.state, today: today(), after: c ? { dueAt: new Date(c.dueAt), id: c.id } : undefined, limit: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const items = [];
      for (const t of page) items.push(await presentTask(actor, t, access, vols));
      return { items, nextCursor: rows.length > q.limit ? encodeCursor({ dueAt: page.at(-1)!.dueAt.toISOString(), id: page.at(-1)!.id }) : null };
    },

    // ── tasks ──────────────────────────────────────────────────────────────────────────────
    /** The caller's visit tasks as a paired volunteer. */
    async myTasks(ctx: RequestCtx, q: { view: 'today' | 'upcoming' | 'done' | 'overdue'; limit: number; cursor?: string }): Promise<Page<PairingTaskDto>> {
      const actor = requireActor(ctx);
      const c = q.cursor ? decodeCursor(q.cursor, ZTaskCursor) : undefined;
      const td = today();
      const rows = await pairing.myTasks({ userId: actor.userId, view: q.view, today: td, horizon: addDays(td, PAIRING_HORIZON_DAYS), after: c ? { dueAt: new Date(c.dueAt), id: c.id } : undefined, limit: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const items = [];
      for (const t of page) items.push(await presentTask(actor, t, 'volunteer'));
      return { items, nextCursor: rows.length > q.limit ? encodeCursor({ dueAt: page.at(-1)!.dueAt.toISOString(), id: page.at(-1)!.id }) : null };
    },

    async getTask(ctx: RequestCtx, id: string): Promise<PairingTaskDto> {
      const { actor, task, access, vols } = await loadTask(ctx, id);
      return presentTask(actor, task, access, vols);
    },

    /**
     * Log a visit: open → done (conditional update; a second log is 409), and in the same
     * transaction one pending service record per serving volunteer (source "pairing", the task).
     */
    async logVisit(ctx: RequestCtx, id: string, body: TLogPairingVisitBody): Promise<PairingTaskDto> {
      const { actor, task, access, vols } = await loadTask(ctx, id);
      if (task.state !== 'open') throw invalidState({ zh: '该探访任务已处理，不能重复登记', en: 'The visit was already logged or closed' });
      const t = now();
      if (!mayLogPairingVisit(task.dueOn, localDate(t))) throw ruleViolation({ zh: '探访日期未到，最早可提前一天登记', en: 'Too early: a visit can be logged from the day before it is due' });
      const visitedAt = body.visitedAt ? new Date(body.visitedAt) : t;
      if (visitedAt.getTime() > t.getTime() + 5 * 60_000) throw ruleViolation({ zh: '探访时间不能晚于现在', en: 'The visit cannot be in the future' });
      if (localDate(visitedAt) < addDays(task.dueOn, -1)) throw ruleViolation({ zh: '探访时间早于任务日期', en: 'The visit is before the task date' });
      let served = body.volunteerIds;
      if (!served) {
        const mine = vols.find((v) => v.userId === actor.userId);
        if (!mine) throw validationFailed('volunteerIds', { zh: '请选择参与探访的志愿者', en: 'Name the volunteers who served' });
        served = [mine.id];
      }
      for (const vid of served) {
        const v = vols.find((x) => x.id === vid);
        if (!v) throw ruleViolation({ zh: '只能为本结对的志愿者登记探访', en: 'Only volunteers of this plan can be credited' });
        if (v.status !== 'active') throw ruleViolation({ zh: `志愿者${v.name}已暂停服务`, en: `Volunteer ${v.name} is suspended` });
      }
      await checkPhotos(ctx, body.photoIds ?? []);
      const hours = Math.round(body.hours * 10) / 10;
      if (hours <= 0) throw validationFailed('hours', { zh: '时长须大于0', en: 'Hours must be positive' });
      await db.transaction(async (tx) => {
        const done = await pairing.logVisit(tx, task.cityCode, task.id, {
          loggedBy: actor.userId,
          visitedAt,
          hours,
          note: body.note ?? null,
          photoIds: body.photoIds ?? [],
          lat: body.lat ?? null,
          lng: body.lng ?? null,
          servedVolunteerIds: served,
        });
        if (!done) throw invalidState({ zh: '该探访任务已处理，不能重复登记', en: 'The visit was already logged or closed' });
        for (const vid of served)
          await deps.records.createPending(tx, {
            cityCode: task.cityCode,
            volunteerId: vid,
            orgId: task.orgId,
            sourceType: 'pairing',
            sourceId: task.id,
            hours,
            startedAt: new Date(visitedAt.getTime() - hours * 3600_000),
            endedAt: visitedAt,
            title: `结对帮扶：${task.planName}（${task.label}）`,
            note: body.note ?? null,
            createdBy: actor.userId,
          });
        await deps.audit.record(ctx, { cityCode: task.cityCode, action: 'pairing.visit.log', entityType: 'pairing_task', entityId: task.id, before: { state: 'open' }, after: { state: 'done', hours, volunteerIds: served, photos: body.photoIds?.length ?? 0 } }, tx);
      });
      return presentTask(actor, (await pairing.taskById(id))!, access, vols);
    },

    async markMissed(ctx: RequestCtx, id: string, reason: string): Promise<PairingTaskDto> {
      const { actor, task, access, vols } = await loadTask(ctx, id);
      if (task.state !== 'open') throw invalidState({ zh: '该探访任务已处理', en: 'The visit was already logged or closed' });
      await db.transaction(async (tx) => {
        if (!(await pairing.markMissed(tx, task.cityCode, task.id, actor.userId, reason))) throw invalidState({ zh: '该探访任务已处理', en: 'The visit was already logged or closed' });
        await deps.audit.record(ctx, { cityCode: task.cityCode, action: 'pairing.visit.miss', entityType: 'pairing_task', entityId: task.id, before: { state: 'open' }, after: { state: 'missed', reason } }, tx);
      });
      return presentTask(actor, (await pairing.taskById(id))!, access, vols);
    },

    /**
     * The job: ends plans past their end date, then creates the visit tasks of the next
     * PAIRING_HORIZON_DAYS days for every active plan. Idempotent (unique plan + date + kind;
     * inserts that exist do nothing), so any number of processes may run it at once; only the
     * run that inserted a task notifies its volunteers, in the same transaction.
     */
    async generateTasks(at: Date = now()): Promise<{ created: number; ended: number }> {
      const td = localDate(at);
      let ended = 0;
      for (const p of await pairing.expiredPlans(td)) {
        await db.transaction(async (tx) => {
          const locked = await pairing.lockPlan(tx, p.cityCode, p.id);
          if (!locked || locked.state === 'ended' || !locked.endsOn || locked.endsOn >= td) return;
          if (!(await pairing.transitionPlan(tx, p.cityCode, p.id, locked.state, 'ended', '已到结束日期'))) return;
          await pairing.cancelOpenFrom(tx, p.cityCode, p.id, td);
          ended++;
        });
      }
      let created = 0;
      for (const p of await pairing.activePlans()) {
        await db.transaction(async (tx) => {
          const plan = await pairing.lockPlan(tx, p.cityCode, p.id);
          if (!plan || plan.state !== 'active') return;
          const visits = expandPairingSchedule(plan.rules, { startsOn: plan.startsOn, endsOn: plan.endsOn, from: td, to: addDays(td, PAIRING_HORIZON_DAYS) });
          const inserted = await pairing.insertTasks(
            tx,
            visits.map((v) => ({ cityCode: plan.cityCode, id: newId(), planId: plan.id, kind: v.kind, dueOn: v.date, dueAt: chinaInstant(v.date, v.time), label: v.label, photoIds: [], servedVolunteerIds: [] })),
          );
          if (!inserted.length) return;
          created += inserted.length;
          const users = (await pairing.planVolunteers(plan.cityCode, plan.id, tx)).filter((v) => v.status === 'active').map((v) => v.userId);
          for (const t of inserted)
            await notifyVolunteers(tx, plan, users, { kind: 'pairing.task', title: `结对探访：${t.label}`, body: `${fmtDue(t.dueAt)}，${plan.name}`, refType: 'pairing_task', refId: t.id });
        });
      }
      return { created, ended };
    },
  };
}

export type PairingService = ReturnType<typeof createPairingService>;
