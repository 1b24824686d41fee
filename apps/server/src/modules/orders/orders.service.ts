import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { msg, type TSubmitOrderBody } from '@wenming/contracts';
import {
  acceptDueAt,
  allowedOrderEvents,
  mayFire,
  nextOrderState,
  ORDER_ACTION_NAMES,
  orderCode,
  periodOfHour,
  rankCandidates,
  scoreTeam,
  scoreVolunteer,
  type OrderEvent,
  type OrderRole,
  type OrderState,
  type Urgency,
} from '@wenming/domain';
import type { Db, Executor } from '../../db/client.ts';

import { AppError, forbidden, invalidState, notFound, ruleViolation } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { DEFAULT_TZ, toIso } from '../../lib/time.ts';
import { inScope, READ_ROLES, requireActor, scopeCondition, scopeOf, type Actor, type RequestCtx } from '../../lib/policy.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import { narrowToOrg } from '../orgs/index.ts';
import type { UsersRepository } from '../users/index.ts';
import type { TeamsRepository } from '../teams/index.ts';
import type { VolunteersRepository } from '../volunteers/index.ts';
import type { DepartmentsRepository } from '../departments/index.ts';
import type { RecordsService } from '../records/index.ts';
import type { PointsEarning } from '../points/index.ts';
import type { NotificationsRepository } from '../notifications/index.ts';
import type { createCataloguesRepository } from '../catalogues/index.ts';
import type { OrderRow, OrdersRepository } from './orders.repository.ts';
import type { ServiceItemsRepository } from './service-items.repository.ts';
import { EXTERNAL_KINDS, type Channel } from '../../lib/channels.ts';

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
  /** SMS / WeChat adapters, called after commit for notices that need action. */
  channels?: Channel[];
  /** Earning rules (五星好评奖励); without it ratings earn nothing. */
  earning?: PointsEarning;
  clock?: () => Date;
}

const ZCursor = z.object({ createdAt: z.string(), id: z.string().uuid() });
const orderNotFound = () => notFound({ zh: '工单不存在', en: 'No such order' });
const CANDIDATE_RADIUS_M = 5000;

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

function localDate(d: Date) {
  const parts = Object.fromEntries(LOCAL_PARTS.formatToParts(d).map((p) => [p.type, p.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return { year: +parts.year!, month: +parts.month!, day: +parts.day!, hour: +parts.hour!, weekday };
}

export function createOrdersService(deps: OrdersDeps) {
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
    const mayKnowRequester = isStaff || roles.has('assignee') || roles.has('department') || roles.has('requester');
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
      // The resident's phone is for the people serving them; masked to everybody else (PIPL).
      requesterPhone: requester
        ? roles.has('requester') || roles.has('assignee')
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
      overdue: (o.state === 'submitted' || o.state === 'dispatched') && o.acceptDueAt.getTime() < now().getTime(),
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

  async function slaMinutes(cityCode: string, orgPath: string, tx: Executor = db): Promise<Partial<Record<Urgency, number>>> {
    const res = await tx.execute(
      sql`
        SELECT s.accept_minutes_normal AS normal, s.accept_minutes_urgent AS urgent, s.accept_minutes_critical AS critical
        FROM org_settings s JOIN orgs o ON o.city_code = s.city_code AND o.id = s.org_id
        WHERE s.city_code = ${cityCode} AND o.path @> ${orgPath}::ltree
        ORDER BY nlevel(o.path) DESC`,
    );
    const out: Partial<Record<Urgency, number>> = {};
    for (const r of (res as { rows: Record<Urgency, number | null>[] }).rows)
      for (const k of ['normal', 'urgent', 'critical'] as Urgency[]) if (out[k] === undefined && r[k] != null) out[k] = r[k]!;
    return out;
  }

  /**
   * Fires one event: checks the actor's part, then applies the transition with a conditional
   * update and appends the timeline row in the same transaction; `then` adds side effects.
   */
  async function fire(
    ctx: RequestCtx,
    id: string,
    event: OrderEvent,
    opts: {
      patch?: Parameters<OrdersRepository['transition']>[5];
      note?: string | null;
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
      const updated = await orders.transition(tx, o.cityCode, o.id, o.state, to, opts.patch ?? {});
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
        data: opts.data ?? null,
        at: now(),
      });
      await opts.then?.(tx, { ...o, ...updated });
    });
    return present(actor, (await orders.byId(id))!);
  }

  /** Notices written in a transaction wait here until it commits, then go out by SMS/WeChat. */
  const outbox = new WeakMap<object, { userId: string; kind: string; title: string; body: string | null }[]>();

  async function notify(
    tx: Executor,
    o: { cityCode: string; id: string; code: string },
    userIds: (string | null | undefined)[],
    kind: string,
    title: string,
    body?: string | null,
  ) {
    const rows = await deps.notifications.add(tx, {
      userIds: userIds.filter((u): u is string => !!u),
      cityCode: o.cityCode,
      kind,
      title,
      body,
      refType: 'order',
      refId: o.id,
    });
    if (!EXTERNAL_KINDS.has(kind) || !deps.channels?.length) return;
    const list = outbox.get(tx) ?? [];
    list.push(...rows.map((r) => ({ userId: r.userId, kind, title, body: r.body })));
    outbox.set(tx, list);
  }

  /** Runs fn in a transaction, then hands its external notices to the channels (never failing the request). */
  async function inTx<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    let pending: { userId: string; kind: string; title: string; body: string | null }[] = [];
    const result = await db.transaction(async (tx) => {
      const r = await fn(tx);
      pending = outbox.get(tx) ?? [];
      return r;
    });
    for (const m of pending) {
      const user = await deps.users.byId(m.userId);
      if (!user) continue;
      for (const c of deps.channels ?? []) await c.send({ phone: user.phone, title: m.title, body: m.body, kind: m.kind }).catch(() => {});
    }
    return result;
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

  /** Inside a transaction every read must use it (PGlite has one connection: a read beside it would wait forever). */
  async function deskUsers(cityCode: string, orgPath: string, tx: Executor) {
    return deps.users.deskHolders(cityCode, orgPath, tx);
  }

  return {
    present,
    rolesOf,

    /**
     * 群众点单. The hot path of the loop, kept to a bounded handful of statements: the site with
     * its limits (one query), the desk to notify (one query, before the transaction), the day's
     * number (its own short statement), then one transaction of two statements (the order with
     * its first timeline row; the inbox rows with their NOTIFY). The answer is built from what was
     * written, not read back.
     */
    async submit(ctx: RequestCtx, body: TSubmitOrderBody) {
      const actor = requireActor(ctx);
      if ((body.lat === undefined) !== (body.lng === undefined))
        throw new AppError('VALIDATION_FAILED', undefined, [
          { path: body.lat === undefined ? 'lat' : 'lng', message: msg('经纬度须同时填写', 'Give latitude and longitude together') },
        ]);
      const org = await orders.siteForOrder(body.orgId);
      if (!org) throw notFound({ zh: '所选社区（阵地）不存在', en: 'No such site' });
      if (body.category && !(await categoryExists(body.category)))
        throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'category', message: msg('无效的服务类别', 'Invalid category code') }]);
      let item = null;
      if (body.serviceItemId) {
        item = await deps.items.byId(body.serviceItemId);
        if (!item || item.cityCode !== org.cityCode || item.status !== 'active') throw notFound({ zh: '服务项目不存在或已下架', en: 'No such service item' });
      }
      const t = (await deps.triage()).classify([body.title, body.content].filter(Boolean).join('。'));
      const triage = {
        category: (await categoryExists(t.category)) ? t.category : 'poverty',
        nature: t.nature,
        urgency: t.urgency,
        confidence: Math.round(t.confidence * 1000) / 1000,
        lowConfidence: t.lowConfidence,
      };
      const category = body.category ?? item?.category ?? triage.category;
      const nature = (body.nature ?? (item ? 'service' : triage.nature)) as 'service';
      const urgency = (body.urgency ?? (item && triage.urgency === 'normal' ? item.defaultUrgency : triage.urgency)) as Urgency;
      const created = now();
      const id = newId();
      const due = acceptDueAt(created, urgency, org.sla);
      const desk = await deps.users.deskHolders(org.cityCode, org.path);
      const d = localDate(created);
      const seq = await orders.nextCodeSeq(org.cityCode, `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`);
      const code = orderCode(d, seq);
      const row = {
        cityCode: org.cityCode,
        id,
        code,
        orgId: org.id,
        handlingOrgId: org.id,
        requesterId: actor.userId,
        title: body.title ?? null,
        content: body.content,
        category,
        nature,
        urgency,
        triage,
        address: body.address ?? org.address,
        lat: body.lat ?? null,
        lng: body.lng ?? null,
        preferredAt: body.preferredAt ? new Date(body.preferredAt) : null,
        serviceItemId: item?.id ?? null,
        acceptDueAt: due,
        firstAcceptDueAt: due,
        createdAt: created,
      } satisfies Parameters<OrdersRepository['insert']>[1];
      const event = {
        cityCode: org.cityCode,
        id: newId(),
        orderId: id,
        actorId: actor.userId,
        action: 'submit',
        fromState: null,
        toState: 'submitted' as const,
        note: null,
        at: created,
      };
      await inTx(async (tx) => {
        await orders.insertWithEvent(tx, row, event);
        await notify(tx, { cityCode: org.cityCode, id, code }, desk, 'order.submitted', `新工单 ${code}`, body.content.slice(0, 60));
      });
      const written: OrderRow = {
        ...row,
        state: 'submitted',
        assigneeTeamId: null,
        assigneeVolunteerId: null,
        departmentId: null,
        escalationLevel: 0,
        remindedAt: null,
        dispatchedAt: null,
        acceptedAt: null,
        startedAt: null,
        completedAt: null,
        forwardedAt: null,
        resolvedAt: null,
        closedAt: null,
        report: null,
        reply: null,
        hours: null,
        rating: null,
        ratingComment: null,
        ratedAt: null,
        rejectReason: null,
        updatedAt: created,
        orgPath: org.path,
        orgName: org.name,
        handlingOrgName: org.name,
        handlingOrgPath: org.path,
      };
      return present(actor, written, true, { timeline: [{ ...event, data: null }], servers: [], requester: { name: actor.name, phone: actor.phone } });
    },

    async get(ctx: RequestCtx, id: string) {
      const { actor, o, roles } = await load(ctx, id);
      if (roles.size === 0) throw forbidden({ zh: '无权查看该工单', en: 'You may not see this order' });
      return present(actor, o);
    },

    async list(
      ctx: RequestCtx,
      q: { state?: string; orgId?: string; mine?: string; desk?: string; assigned?: string; revisit?: string; limit: number; cursor?: string },
    ) {
      const actor = requireActor(ctx);
      const states = q.state?.split(',') as OrderState[] | undefined;
      const c = q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined;
      const before = c ? { createdAt: new Date(c.createdAt), id: c.id } : undefined;
      const scope = scopeOf(actor, READ_ROLES);
      const isStaff = scope.all || scope.subtrees.length > 0;
      let filter: Parameters<OrdersRepository['list']>[0];
      if (q.mine === 'true' || (!isStaff && q.assigned !== 'true')) {
        // Residents (and anyone asking for their own): the orders they placed, plus what is assigned to them.
        const led = (await deps.teams.ledBy(actor.userId)).map((t) => t.id);
        const depts = actor.grants.filter((g) => g.role === 'dept_officer').map((g) => g.departmentId!);
        filter =
          q.mine === 'true'
            ? { requesterId: actor.userId, states, before, limit: q.limit + 1 }
            : {
                requesterId: actor.userId,
                assignee: { volunteerId: actor.volunteerId, teamIds: led },
                departmentIds: depts,
                states,
                before,
                limit: q.limit + 1,
              };
      } else if (q.assigned === 'true') {
        const led = (await deps.teams.ledBy(actor.userId)).map((t) => t.id);
        const depts = actor.grants.filter((g) => g.role === 'dept_officer').map((g) => g.departmentId!);
        filter = {
          assignee: { volunteerId: actor.volunteerId ?? '00000000-0000-0000-0000-000000000000', teamIds: led },
          departmentIds: depts,
          states,
          before,
          limit: q.limit + 1,
        };
      } else {
        const { orgPath } = await narrowToOrg(deps.orgs, scope, q.orgId);
        filter = {
          scope: scopeCondition(scope, sql`org.city_code`, sql`org.path`),
          states,
          orgPath,
          deskOrgIds: q.desk === 'true' && !scope.all ? actor.grants.filter((g) => g.role !== 'dept_officer').map((g) => g.orgId) : undefined,
          lowRatings: q.revisit === 'true',
          sort: q.desk === 'true' ? 'due' : 'created',
          before,
          limit: q.limit + 1,
        };
      }
      const rows = await orders.list(filter);
      const page = rows.slice(0, q.limit);
      const items = [];
      for (const { known, ...o } of page) items.push(await present(actor, o, false, known));
      return {
        items,
        nextCursor:
          rows.length > q.limit && filter.sort !== 'due' ? encodeCursor({ createdAt: page.at(-1)!.createdAt.toISOString(), id: page.at(-1)!.id }) : null,
      };
    },

    /** Ranked candidates with reasons (智能匹配). */
    async candidates(ctx: RequestCtx, id: string) {
      const { o, roles } = await load(ctx, id);
      if (!roles.has('staff')) throw forbidden({ zh: '仅限工作人员', en: 'Staff only' });
      // The team and the volunteer facts are independent: asked for side by side.
      const nearbyVolunteers = async () => {
        let { lat, lng } = o;
        if (lat === null || lng === null) {
          const org = await deps.orgs.byId(o.orgId);
          lat = org?.lat ?? null;
          lng = org?.lng ?? null;
        }
        return lat !== null && lng !== null ? orders.volunteerFacts(o.cityCode, o.category, lat, lng, CANDIDATE_RADIUS_M, 50) : [];
      };
      const [item, teamFacts, volunteerFacts] = await Promise.all([
        o.serviceItemId ? deps.items.byId(o.serviceItemId) : null,
        orders.teamFacts(o.cityCode, o.orgPath),
        nearbyVolunteers(),
      ]);
      const teams = teamFacts.map((t) =>
        scoreTeam({
          kind: 'team',
          id: t.id,
          name: t.name,
          categoryMatch: t.category === o.category,
          levelsAbove: Number(t.levels_above),
          onMenuItem: !!item?.teamIds.includes(t.id),
          memberCount: Number(t.member_count),
          avgRating: t.avg_rating === null ? null : Number(t.avg_rating),
          ratedCount: Number(t.rated_count),
          openOrders: Number(t.open_orders),
          orgName: t.org_name,
        }),
      );
      const d = localDate(now());
      const period = periodOfHour(d.hour);
      const vols = volunteerFacts.map((v) =>
        scoreVolunteer({
          kind: 'volunteer',
          id: v.id,
          name: v.real_name,
          skillMatch: true,
          distanceM: Number(v.distance),
          radiusM: CANDIDATE_RADIUS_M,
          availableNow: !!period && (v.availability ?? []).some((a) => a.weekday === d.weekday && a.period === period),
          avgRating: v.avg_rating === null ? null : Number(v.avg_rating),
          ratedCount: Number(v.rated_count),
          openOrders: Number(v.open_orders),
        }),
      );
      return rankCandidates([...teams.filter((t) => t.score >= 40 || teams.length <= 10), ...vols]).slice(0, 30);
    },

    async dispatch(ctx: RequestCtx, id: string, body: { teamId?: string; volunteerId?: string; note?: string }) {
      let notifyUsers: string[] = [];
      return fire(ctx, id, 'dispatch', {
        note: body.note ?? null,
        check: async (o) => {
          if (body.teamId) {
            const t = await deps.teams.byId(body.teamId);
            if (!t || t.cityCode !== o.cityCode || t.status !== 'active') throw notFound({ zh: '队伍不存在', en: 'No such team' });
            if (!t.leaderUserId) throw ruleViolation({ zh: '该队伍尚未设置队长，无法接单', en: 'The team has no leader to accept orders' });
            notifyUsers = [t.leaderUserId];
          } else {
            const v = await deps.volunteers.byId(body.volunteerId!);
            if (!v || v.cityCode !== o.cityCode) throw notFound({ zh: '志愿者不存在', en: 'No such volunteer' });
            if (v.status !== 'active') throw ruleViolation({ zh: '该志愿者已暂停服务', en: 'The volunteer is suspended' });
            notifyUsers = [v.userId];
          }
        },
        patch: { assigneeTeamId: body.teamId ?? null, assigneeVolunteerId: body.volunteerId ?? null, dispatchedAt: now() },
        data: { teamId: body.teamId, volunteerId: body.volunteerId },
        then: async (tx, o) => {
          await notify(tx, o, notifyUsers, 'order.dispatched', `新派单 ${o.code}，请及时接单`, o.content.slice(0, 60));
          await notify(tx, o, [o.requesterId], 'order.progress', `您的工单 ${o.code} 已派单`);
        },
      });
    },

    async forward(ctx: RequestCtx, id: string, body: { departmentId: string; note?: string }) {
      let officers: string[] = [];
      return fire(ctx, id, 'forward', {
        note: body.note ?? null,
        check: async (o) => {
          const d = await deps.departments.byId(body.departmentId);
          if (!d || d.cityCode !== o.cityCode) throw notFound({ zh: '职能部门不存在', en: 'No such department' });
          officers = await deps.users.officersOf(o.cityCode, d.id);
        },
        patch: { departmentId: body.departmentId, forwardedAt: now() },
        then: async (tx, o) => {
          await notify(tx, o, officers, 'order.forwarded', `转办工单 ${o.code}`, o.content.slice(0, 60));
          await notify(tx, o, [o.requesterId], 'order.progress', `您的工单 ${o.code} 已转交职能部门办理`);
        },
      });
    },

    async reject(ctx: RequestCtx, id: string, reason: string) {
      return fire(ctx, id, 'reject', {
        note: reason,
        patch: { rejectReason: reason, closedAt: now() },
        then: (tx, o) => notify(tx, o, [o.requesterId], 'order.progress', `您的工单 ${o.code} 未受理`, reason),
      });
    },

    async accept(ctx: RequestCtx, id: string, body: { volunteerIds?: string[] }) {
      let servers: string[] = [];
      return fire(ctx, id, 'accept', {
        check: async (o) => {
          if (o.assigneeVolunteerId) {
            servers = [o.assigneeVolunteerId];
            if (body.volunteerIds?.length) throw ruleViolation({ zh: '个人接单不能指定其他队员', en: 'A volunteer accepting alone names no members' });
            return;
          }
          const ids = [...new Set(body.volunteerIds ?? [])];
          for (const v of ids)
            if (!(await deps.teams.isMember(o.cityCode, o.assigneeTeamId!, v)))
              throw ruleViolation({ zh: '所选志愿者不是本队队员', en: 'A named volunteer is not a member of the team' });
          servers = ids;
        },
        patch: { acceptedAt: now() },
        data: { volunteerIds: body.volunteerIds },
        then: async (tx, o) => {
          await orders.addServers(tx, o.cityCode, o.id, servers);
          await notify(tx, o, [o.requesterId], 'order.progress', `您的工单 ${o.code} 已有志愿者接单`);
        },
      });
    },

    async decline(ctx: RequestCtx, id: string, reason: string) {
      return fire(ctx, id, 'decline', {
        note: reason,
        patch: { assigneeTeamId: null, assigneeVolunteerId: null },
        then: async (tx, o) => notify(tx, o, await deskUsers(o.cityCode, o.handlingOrgPath, tx), 'order.declined', `工单 ${o.code} 被婉拒，请重新派单`, reason),
      });
    },

    async start(ctx: RequestCtx, id: string) {
      return fire(ctx, id, 'start', {
        patch: { startedAt: now() },
        then: (tx, o) => notify(tx, o, [o.requesterId], 'order.progress', `志愿者已开始为您服务（${o.code}）`),
      });
    },

    /** Completion creates one pending service record per serving volunteer. */
    async complete(ctx: RequestCtx, id: string, body: { report: string; hours: number }) {
      const hours = Math.round(body.hours * 10) / 10;
      if (hours <= 0) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'hours', message: msg('服务时长须大于0', 'Hours must be positive') }]);
      return fire(ctx, id, 'complete', {
        note: body.report,
        patch: { report: body.report, hours, completedAt: now() },
        then: async (tx, o) => {
          const servers = await orders.servers(o.cityCode, o.id, tx);
          const ids = servers.length ? servers.map((s) => s.volunteerId) : o.assigneeVolunteerId ? [o.assigneeVolunteerId] : [];
          for (const volunteerId of ids)
            await deps.records.createPending(tx, {
              cityCode: o.cityCode,
              volunteerId,
              orgId: o.orgId,
              teamId: o.assigneeTeamId,
              sourceType: 'order',
              sourceId: o.id,
              hours,
              startedAt: o.startedAt,
              endedAt: now(),
              title: `工单 ${o.code}`,
            });
          await notify(tx, o, [o.requesterId], 'order.completed', `服务已完成，请为本次服务评价（${o.code}）`);
        },
      });
    },

    async resolve(ctx: RequestCtx, id: string, reply: string) {
      return fire(ctx, id, 'resolve', {
        note: reply,
        patch: { reply, resolvedAt: now() },
        then: (tx, o) => notify(tx, o, [o.requesterId], 'order.completed', `职能部门已答复您的工单 ${o.code}，请评价`, reply.slice(0, 60)),
      });
    },

    async rate(ctx: RequestCtx, id: string, body: { score: number; comment?: string }) {
      return fire(ctx, id, 'rate', {
        note: body.comment ?? null,
        data: { score: body.score },
        patch: { rating: body.score, ratingComment: body.comment ?? null, ratedAt: now(), closedAt: now() },
        then: async (tx, o) => {
          if (body.score <= 2)
            await notify(
              tx,
              o,
              await deskUsers(o.cityCode, o.handlingOrgPath, tx),
              'order.revisit',
              `工单 ${o.code} 评价较低（${body.score}星），请回访`,
              body.comment,
            );
          // 五星好评奖励: the site's bonus for each volunteer who served, once per order.
          if (body.score === 5 && deps.earning) {
            const servers = await orders.servers(o.cityCode, o.id, tx);
            const single = !servers.length && o.assigneeVolunteerId ? await deps.volunteers.byId(o.assigneeVolunteerId, tx) : null;
            await deps.earning.onOrderRated(tx, o, body.score, servers.length ? servers.map((x) => x.userId) : single ? [single.userId] : []);
          }
        },
      });
    },

    async cancel(ctx: RequestCtx, id: string) {
      return fire(ctx, id, 'cancel', {
        patch: { closedAt: now() },
        then: async (tx, o) => {
          const team = o.assigneeTeamId ? await deps.teams.byId(o.assigneeTeamId, tx) : null;
          const vol = o.assigneeVolunteerId ? await deps.volunteers.byId(o.assigneeVolunteerId, tx) : null;
          await notify(tx, o, [team?.leaderUserId, vol?.userId], 'order.cancelled', `工单 ${o.code} 已被群众取消`);
        },
      });
    },

    /** After a revisit of a low rating, staff reopen the order for another round. */
    async reopen(ctx: RequestCtx, id: string, reason: string) {
      return fire(ctx, id, 'reopen', {
        note: reason,
        check: (o) => {
          if (o.rating === null || o.rating > 2)
            throw ruleViolation({ zh: '只有差评（1–2星）的工单可以回访重办', en: 'Only orders rated 1–2 can be reopened' });
        },
        patch: {
          assigneeTeamId: null,
          assigneeVolunteerId: null,
          departmentId: null,
          rating: null,
          ratingComment: null,
          ratedAt: null,
          closedAt: null,
          acceptDueAt: acceptDueAt(now(), 'urgent'),
        },
      });
    },

    /** The dispatcher corrects the triage; the correction becomes a labelled example. */
    async correctTriage(ctx: RequestCtx, id: string, body: { category?: string; nature?: string; urgency?: string }) {
      const { actor, o, roles } = await load(ctx, id);
      if (!roles.has('staff')) throw forbidden({ zh: '仅限工作人员', en: 'Staff only' });
      if (o.state !== 'submitted') throw invalidState({ zh: '只有待派单的工单可以修改研判结果', en: 'Only submitted orders can be re-triaged' });
      if (body.category && !(await deps.catalogues.categories()).some((c) => c.code === body.category))
        throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'category', message: msg('无效的服务类别', 'Invalid category code') }]);
      const next = { category: body.category ?? o.category, nature: (body.nature ?? o.nature) as 'service', urgency: (body.urgency ?? o.urgency) as Urgency };
      await db.transaction(async (tx) => {
        const sla = await slaMinutes(o.cityCode, o.orgPath, tx);
        const patch = { ...next, acceptDueAt: next.urgency !== o.urgency ? acceptDueAt(o.createdAt, next.urgency, sla) : o.acceptDueAt };
        const updated = await orders.transition(tx, o.cityCode, o.id, 'submitted', 'submitted', patch);
        if (!updated) throw invalidState();
        await orders.addEvent(tx, {
          cityCode: o.cityCode,
          id: newId(),
          orderId: o.id,
          actorId: actor.userId,
          action: 'retriage',
          fromState: 'submitted',
          toState: 'submitted',
          note: null,
          data: { from: { category: o.category, nature: o.nature, urgency: o.urgency }, to: next },
          at: now(),
        });
        await orders.saveTriageExample(tx, {
          cityCode: o.cityCode,
          id: newId(),
          orderId: o.id,
          text: [o.title, o.content].filter(Boolean).join('。'),
          ...next,
          createdBy: actor.userId,
        });
      });
      return present(actor, (await orders.byId(id))!);
    },

    /**
     * 催单: a reminder to the assignee when a quarter of the time between dispatch and the accept
     * deadline is left; once per dispatch (reminded_at), claimed with FOR UPDATE SKIP LOCKED.
     */
    async remindDue(batch = 100): Promise<number> {
      const t = now();
      let total = 0;
      for (const cityCode of await orders.citiesWithReminders(t)) {
        await inTx(async (tx) => {
          for (const r of await orders.lockReminders(tx, cityCode, t, batch)) {
            await orders.update(tx, cityCode, r.id, { remindedAt: t });
            await orders.addEvent(tx, {
              cityCode,
              id: newId(),
              orderId: r.id,
              actorId: null,
              action: 'remind',
              fromState: 'dispatched',
              toState: 'dispatched',
              note: '接单时限将到，系统催单',
              at: t,
            });
            const team = r.assignee_team_id ? await deps.teams.byId(r.assignee_team_id, tx) : null;
            const vol = r.assignee_volunteer_id ? await deps.volunteers.byId(r.assignee_volunteer_id, tx) : null;
            await notify(
              tx,
              { cityCode, id: r.id, code: r.code },
              [team?.leaderUserId, vol?.userId],
              'order.reminder',
              `催单：工单 ${r.code} 即将超时，请尽快接单`,
            );
            total++;
          }
        });
      }
      return total;
    },

    /**
     * SLA escalation (中心吹哨): overdue submitted/dispatched orders climb to the parent org's
     * desk, with a new accept window, a timeline row and a notice to that desk. Safe to run in
     * many processes at once: rows are claimed with FOR UPDATE SKIP LOCKED and the update is
     * conditional on the order still being overdue.
     */
    async escalateOverdue(batch = 100): Promise<number> {
      const t = now();
      let total = 0;
      for (const cityCode of await orders.citiesWithOverdue(t)) {
        await inTx(async (tx) => {
          const rows = await orders.lockOverdue(tx, cityCode, t, batch);
          for (const r of rows) {
            // The order climbs above its current desk (the nearest staffed org at or above it).
            const handling = await orders.orgById(cityCode, r.handling_org_id, tx);
            const desk = handling ? await orders.deskOrgOf(cityCode, handling.path, tx) : null;
            const parentId = desk ? desk.parent_id : (handling?.parentId ?? null);
            const target = parentId ?? r.handling_org_id;
            const targetOrg = await orders.orgById(cityCode, target, tx);
            const sla = await slaMinutes(cityCode, targetOrg!.path, tx);
            await orders.update(tx, cityCode, r.id, {
              remindedAt: null,
              handlingOrgId: target,
              escalationLevel: (await orders.byId(r.id, tx))!.escalationLevel + 1,
              acceptDueAt: acceptDueAt(t, r.urgency, sla),
            });
            await orders.addEvent(tx, {
              cityCode,
              id: newId(),
              orderId: r.id,
              actorId: null,
              action: 'escalate',
              fromState: r.state,
              toState: r.state,
              note: parentId ? `超时未接单，上报至${targetOrg!.name}` : '超时未接单（已在最高一级）',
              data: { from: r.handling_org_id, to: target },
              at: t,
            });
            await notify(
              tx,
              { cityCode, id: r.id, code: r.code },
              await deskUsers(cityCode, targetOrg!.path, tx),
              'order.escalated',
              `超时工单 ${r.code} 已上报，请督办`,
            );
            total++;
          }
        });
      }
      return total;
    },
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
