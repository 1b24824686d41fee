import type { SQL } from 'drizzle-orm';
import { z } from 'zod';
import { msg } from '@wenming/contracts';
import { allowedOrderEvents, mayFire, nextOrderState, ORDER_ACTION_NAMES, STAGE_STATES, type OrderEvent, type OrderRole } from '@wenming/domain';
import type { Db, Executor } from '../../db/client.ts';

import { AppError, forbidden, invalidState, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { DEFAULT_TZ, toIso } from '../../lib/time.ts';
import { inScope, READ_ROLES, requireActor, scopeOf, type Actor, type RequestCtx } from '../../lib/policy.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { UsersRepository } from '../users/index.ts';
import type { TeamsRepository } from '../teams/index.ts';
import type { VolunteersRepository } from '../volunteers/index.ts';
import type { DepartmentsRepository } from '../departments/index.ts';
import type { RecordsService } from '../records/index.ts';
import type { PointsEarning } from '../points/index.ts';
import type { NotificationsRepository } from '../notifications/index.ts';
import type { AuditRepository } from '../audit/index.ts';
import { uploadUrl } from '../uploads/index.ts';
import type { createCataloguesRepository } from '../catalogues/index.ts';
import type { OrderRow, OrdersRepository } from './orders.repository.ts';
import type { ServiceItemsRepository } from './service-items.repository.ts';
import { EXTERNAL_KINDS } from '../../lib/channels.ts';
import { afterCommit, insideAmbientTransaction } from '../../db/ambient.ts';
import { ZCursorTime } from '../../lib/cursor.ts';

type Patch = Parameters<OrdersRepository['transition']>[5];

export interface TriageEngine {
  classify(text: string): { category: string; nature: string; urgency: string; confidence: number; lowConfidence: boolean };
}

export interface OrdersDeps {
  db: Db;
  orders: OrdersRepository;
  orgs: OrgsRepository;
  users: UsersRepository;
  teams: TeamsRepository;
  volunteers: VolunteersRepository;
  departments: DepartmentsRepository;
  records: RecordsService;
  notifications: NotificationsRepository;
  catalogues: ReturnType<typeof createCataloguesRepository>;
  items: ServiceItemsRepository;
  triage: () => Promise<TriageEngine>;
  /** The SMS / WeChat outbox: the messages of a committed step are tried at once (the job retries). */
  outbox?: { deliverEvents(eventKeys: string[]): Promise<unknown> };
  /** Earning rules (五星好评奖励); without it ratings earn nothing. */
  earning?: PointsEarning;
  /** The audit log: a department officer's view of a complainant's whole phone is recorded there. */
  audit?: AuditRepository;
  clock?: () => Date;
}

export const ZCursor = z.object({ createdAt: ZCursorTime, id: z.string().uuid() });
export const orderNotFound = () => notFound({ zh: '工单不存在', en: 'No such order' });
export const CANDIDATE_RADIUS_M = 5000;

// Made once: building an Intl.DateTimeFormat costs more than the whole SQL of a submission on PGlite.
const LOCAL_PARTS = new Intl.DateTimeFormat('en-US', {
  timeZone: DEFAULT_TZ,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  hourCycle: 'h23',
  weekday: 'short',
});

export function localDate(d: Date) {
  const parts = Object.fromEntries(LOCAL_PARTS.formatToParts(d).map((p) => [p.type, p.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return { year: +parts.year!, month: +parts.month!, day: +parts.day!, hour: +parts.hour!, weekday };
}

/** What the order use cases share: the dependencies, the presenter, the transition runner and the notices. */
export function createOrdersKit(deps: OrdersDeps) {
  const { db, orders } = deps;
  const now = deps.clock ?? (() => new Date());

  /** The parts the actor plays on this order. */
  async function rolesOf(actor: Actor, o: OrderRow, knownTeam?: { leaderUserId: string | null } | null): Promise<Set<OrderRole>> {
    const roles = new Set<OrderRole>();
    if (o.requesterId === actor.userId) roles.add('requester');
    if (inScope(scopeOf(actor, READ_ROLES), { cityCode: o.cityCode, path: o.orgPath })) roles.add('staff');
    if (o.assigneeVolunteerId && o.assigneeVolunteerId === actor.volunteerId) roles.add('assignee');
    if (o.assigneeTeamId) {
      const team = knownTeam !== undefined ? knownTeam : await deps.teams.byId(o.assigneeTeamId);
      if (team?.leaderUserId === actor.userId) roles.add('assignee');
    }
    if (o.departmentId && actor.grants.some((g) => g.role === 'dept_officer' && g.departmentId === o.departmentId)) roles.add('department');
    if (o.coDepartmentIds.length && actor.grants.some((g) => g.role === 'dept_officer' && !!g.departmentId && o.coDepartmentIds.includes(g.departmentId)))
      roles.add('co_unit');
    return roles;
  }

  /** What `present` would otherwise look up, when the caller already has it (a new order, a page of a list). */
  interface Known {
    timeline?: Awaited<ReturnType<OrdersRepository['timeline']>>;
    servers?: Awaited<ReturnType<OrdersRepository['servers']>>;
    team?: { name: string; leaderUserId: string | null } | null;
    volunteerName?: string | null;
    departmentName?: string | null;
    requester?: { name: string; phone: string } | null;
  }

  async function present(actor: Actor, o: OrderRow, withTimeline = true, known: Known = {}) {
    const roles = await rolesOf(actor, o, known.team);
    const isStaff = roles.has('staff');
    const [timeline, servers, team, volunteerName, departmentName] = await Promise.all([
      !withTimeline ? [] : (known.timeline ?? orders.timeline(o.cityCode, o.id)),
      !withTimeline ? [] : (known.servers ?? orders.servers(o.cityCode, o.id)),
      !o.assigneeTeamId ? null : known.team !== undefined ? known.team : deps.teams.byId(o.assigneeTeamId),
      !o.assigneeVolunteerId
        ? null
        : known.volunteerName !== undefined
          ? known.volunteerName
          : deps.volunteers.byId(o.assigneeVolunteerId).then((v) => v?.realName ?? null),
      !o.departmentId ? null : known.departmentName !== undefined ? known.departmentName : deps.departments.byId(o.departmentId).then((d) => d?.name ?? null),
    ]);
    const mayKnowRequester = isStaff || roles.has('assignee') || roles.has('department') || roles.has('co_unit') || roles.has('requester');
    const requester = !mayKnowRequester ? null : known.requester !== undefined ? known.requester : await deps.users.byId(o.requesterId);
    const base = {
      id: o.id,
      code: o.code,
      state: o.state,
      title: o.title,
      content: o.content,
      category: o.category,
      nature: o.nature,
      urgency: o.urgency,
      triage: o.triage,
      orgId: o.orgId,
      orgName: o.orgName,
      handlingOrgId: o.handlingOrgId,
      handlingOrgName: o.handlingOrgName,
      escalationLevel: o.escalationLevel,
      requesterId: o.requesterId,
      requesterName: requester?.name ?? null,
      // The resident's phone is for the people serving them — the assignee, and the department
      // that must call back (its views are audited: getOrder, listOrders); masked to everybody else (PIPL).
      requesterPhone: requester
        ? roles.has('requester') || roles.has('assignee') || roles.has('department')
          ? requester.phone
          : `${requester.phone.slice(0, 3)}****${requester.phone.slice(7)}`
        : null,
      address: o.address,
      lat: o.lat,
      lng: o.lng,
      preferredAt: o.preferredAt ? toIso(o.preferredAt) : null,
      serviceItemId: o.serviceItemId,
      assignee: {
        teamId: o.assigneeTeamId ?? undefined,
        teamName: team?.name,
        volunteerId: o.assigneeVolunteerId ?? undefined,
        volunteerName: volunteerName ?? undefined,
        departmentId: o.departmentId ?? undefined,
        departmentName: departmentName ?? undefined,
      },
      servers: servers.map((s) => ({ volunteerId: s.volunteerId, realName: s.realName })),
      acceptDueAt: toIso(o.acceptDueAt),
      overdue:
        ((o.state === 'submitted' || o.state === 'dispatched') && o.acceptDueAt.getTime() < now().getTime()) ||
        ((STAGE_STATES as readonly string[]).includes(o.state) && !!o.stageDueAt && o.stageDueAt.getTime() < now().getTime()),
      // 接诉即办: the department's limits, the running stage's deadline, supervision, disputes, extension, co-units.
      ackDueAt: o.ackDueAt ? toIso(o.ackDueAt) : null,
      acknowledgedAt: o.acknowledgedAt ? toIso(o.acknowledgedAt) : null,
      resolveDueAt: o.resolveDueAt ? toIso(o.resolveDueAt) : null,
      stageDueAt: (STAGE_STATES as readonly string[]).includes(o.state) && o.stageDueAt ? toIso(o.stageDueAt) : null,
      supervision: o.supervisedAt ? { at: toIso(o.supervisedAt), note: o.supervisionNote } : null,
      disputeCount: o.disputeCount,
      extension: o.extensionUntil ? { until: toIso(o.extensionUntil), reason: o.extensionReason, pending: o.state === 'extension_requested' } : null,
      coDepartmentIds: o.coDepartmentIds,
      // 代点单: how it came in (app: the resident themself) and whether staff entered it; the pictures.
      channel: o.channel,
      assisted: o.enteredBy !== null,
      photos: o.photoIds.map((id) => ({ id, url: uploadUrl(id) })),
      report: o.report,
      reply: o.reply,
      hours: o.hours,
      rating: o.rating === null ? undefined : { score: o.rating, comment: o.ratingComment, at: o.ratedAt ? toIso(o.ratedAt) : null },
      rejectReason: o.rejectReason,
      createdAt: toIso(o.createdAt),
      updatedAt: toIso(o.updatedAt),
      allowedActions: allowedOrderEvents(o.state, roles, { rating: o.rating }),
      timeline: timeline.map((e) => ({
        at: toIso(e.at),
        actorId: e.actorId,
        action: e.action,
        actionName: ORDER_ACTION_NAMES[e.action as keyof typeof ORDER_ACTION_NAMES] ?? e.action,
        fromState: e.fromState,
        toState: e.toState,
        note: e.note,
      })),
    };
    return base;
  }

  async function load(ctx: RequestCtx, id: string) {
    const actor = requireActor(ctx);
    const o = await orders.byId(id);
    if (!o) throw orderNotFound();
    return { actor, o, roles: await rolesOf(actor, o) };
  }

  /** The acceptance limits at a site (the nearest org that sets each). */
  const slaMinutes = (cityCode: string, orgPath: string, tx: Executor = db) => orders.acceptLimits(cityCode, orgPath, tx);

  /**
   * Fires one event: checks the actor's part, then applies the transition with a conditional
   * update and appends the timeline row in the same transaction; `then` adds side effects.
   */
  async function fire(
    ctx: RequestCtx,
    id: string,
    event: OrderEvent,
    opts: {
      /** The columns to set with the transition; a function is called after `check`. */
      patch?: Patch | ((o: OrderRow) => Patch);
      note?: string | null;
      /** The timeline row's data; a function is called after `check`. */
      data?: unknown;
      then?: (tx: Executor, o: OrderRow) => Promise<void>;
      check?: (o: OrderRow, roles: Set<OrderRole>) => void | Promise<void>;
    } = {},
  ) {
    const { actor, o, roles } = await load(ctx, id);
    if (!mayFire(event, roles)) {
      if (roles.size === 0) throw forbidden({ zh: '无权操作该工单', en: 'You may not act on this order' });
      throw forbidden({ zh: `您不能对该工单执行「${ORDER_ACTION_NAMES[event]}」`, en: `You may not ${event} this order` });
    }
    const to = nextOrderState(o.state, event);
    if (!to) throw invalidState({ zh: `工单当前状态不允许「${ORDER_ACTION_NAMES[event]}」`, en: `Cannot ${event} an order that is ${o.state}` });
    await opts.check?.(o, roles);
    await inTx(async (tx) => {
      const patch = typeof opts.patch === 'function' ? opts.patch(o) : (opts.patch ?? {});
      const updated = await orders.transition(tx, o.cityCode, o.id, o.state, to, patch, {
        teamId: o.assigneeTeamId,
        volunteerId: o.assigneeVolunteerId,
        departmentId: o.departmentId,
      });
      if (!updated) throw invalidState({ zh: '工单状态已变化，请刷新后重试', en: 'The order changed meanwhile; reload and retry' });
      await orders.addEvent(tx, {
        cityCode: o.cityCode,
        id: newId(),
        orderId: o.id,
        actorId: actor.userId,
        action: event,
        fromState: o.state,
        toState: to,
        note: opts.note ?? null,
        data: (typeof opts.data === 'function' ? (opts.data as (o: OrderRow) => unknown)(o) : opts.data) ?? null,
        at: now(),
      });
      await opts.then?.(tx, { ...o, ...updated });
    });
    return present(actor, (await orders.byId(id))!);
  }

  /** The outbox events of notices written in a transaction: tried once it commits. */
  const outbox = new WeakMap<object, string[]>();

  async function notify(
    tx: Executor,
    o: { cityCode: string; id: string; code: string },
    userIds: (string | null | undefined)[],
    kind: string,
    title: string,
    body?: string | null,
    alongWith: SQL[] = [],
  ) {
    // The SMS / WeChat messages are outbox rows written by this same statement (modules/notifications/outbox.ts).
    const eventKey = newId();
    const rows = await deps.notifications.add(
      tx,
      {
        userIds: userIds.filter((u): u is string => !!u),
        cityCode: o.cityCode,
        kind,
        title,
        body,
        refType: 'order',
        refId: o.id,
        eventKey,
      },
      alongWith,
    );
    if (!EXTERNAL_KINDS.has(kind) || !deps.outbox || !rows.length) return;
    if (tx === db) {
      // The write was this one statement: its messages are tried once it has committed (at once, unless
      // a keyed request's transaction holds it).
      await sendAfterCommit([eventKey]);
      return;
    }
    const list = outbox.get(tx) ?? [];
    list.push(eventKey);
    outbox.set(tx, list);
  }

  /** Runs fn in a transaction, then tries its SMS / WeChat messages (never failing the request). */
  async function inTx<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    let pending: string[] = [];
    const result = await db.transaction(async (tx) => {
      const r = await fn(tx);
      pending = outbox.get(tx) ?? [];
      return r;
    });
    await sendAfterCommit(pending);
    return result;
  }

  /**
   * SMS and WeChat messages are outbox rows committed with the step; they are tried once it has
   * committed: outside a keyed request that is now (and the request waits for the try, as before);
   * inside one (plugins/idempotency.ts holds its transaction open until the answer is stored) after
   * its commit — when it rolls back, the rows are gone with it. What fails now the outbox job retries.
   */
  async function sendAfterCommit(eventKeys: string[]) {
    if (!eventKeys.length || !deps.outbox) return;
    const o = deps.outbox;
    const sent = afterCommit(() => o.deliverEvents(eventKeys));
    if (insideAmbientTransaction()) void sent.catch(() => {});
    else await sent.catch(() => {});
  }

  /**
   * The category catalogue changes rarely and is read by every submission: kept for a short while
   * and read again whenever a code is not in it, so a category added elsewhere is never refused.
   */
  let categoryCodes: { at: number; codes: Set<string> } | null = null;
  async function categoryExists(code: string): Promise<boolean> {
    const fresh = categoryCodes && Date.now() - categoryCodes.at < 60_000;
    if (fresh && categoryCodes!.codes.has(code)) return true;
    categoryCodes = { at: Date.now(), codes: new Set((await deps.catalogues.categories()).map((c) => c.code)) };
    return categoryCodes.codes.has(code);
  }

  /** Pictures named at 点单 must be uploads the caller sent (one look-up, only when there are any). */
  async function checkPhotos(userId: string, ids: string[]) {
    if (!ids.length) return;
    const found = new Set(await orders.uploadsOwnedBy(userId, ids));
    const missing = ids.findIndex((id) => !found.has(id));
    if (missing >= 0)
      throw new AppError('VALIDATION_FAILED', undefined, [
        { path: `photoIds.${missing}`, message: msg('照片不存在或不是您上传的', 'No such picture among your uploads') },
      ]);
  }

  /** Inside a transaction every read must use it (PGlite has one connection: a read beside it would wait forever). */
  async function deskUsers(cityCode: string, orgPath: string, tx: Executor) {
    return deps.users.deskHolders(cityCode, orgPath, tx);
  }

  return { ...deps, db, orders, now, rolesOf, present, load, slaMinutes, fire, notify, inTx, categoryExists, deskUsers, checkPhotos };
}

export type OrdersKit = ReturnType<typeof createOrdersKit>;
