import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { msg, type TCreateResourceBody, type TUpdateResourceBody } from '@wenming/contracts';
import {
  BOOKING_RULE_MESSAGES,
  checkBooking,
  localTime,
  maskPhone,
  nextBookingState,
  openIntervals,
  openMinutesBetween,
  zonedInstant,
  type BookingEvent,
} from '@wenming/domain';
import type { Db } from '../../db/client.ts';
import { AppError, duplicate, forbidden, invalidState, notFound, pgCode, PG, ruleViolation } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { DEFAULT_TZ, toIso } from '../../lib/time.ts';
import {
  assertInScope,
  assertStaff,
  inScope,
  MANAGE_ROLES,
  READ_ROLES,
  requireActor,
  scopeCondition,
  scopeOf,
  type Actor,
  type RequestCtx,
} from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import { narrowToOrg } from '../orgs/index.ts';
import type { NotificationsRepository } from '../notifications/index.ts';
import type { BookingRow, ResourceRow, ResourcesRepository } from './resources.repository.ts';

const ZCursor = z.object({ name: z.string(), id: z.string().uuid() });
const resourceNotFound = () => notFound({ zh: '资源不存在', en: 'No such resource' });
const bookingNotFound = () => notFound({ zh: '预约不存在', en: 'No such booking' });
const conflict = () => new AppError('BOOKING_CONFLICT', { zh: '该时段已被预约，请选择其他时间', en: 'The slot overlaps another booking' });
const uploadUrl = (id: string) => `/api/v1/uploads/${id}`;
/** How long before an approved slot its booker is reminded. */
export const BOOKING_REMINDER_MS = 2 * 3600_000;
const round1 = (n: number) => Math.round(n * 10) / 10;
const ratio = (num: number, den: number) => (den > 0 ? Math.min(1, Math.round((num / den) * 10000) / 10000) : null);

export function createResourcesService(deps: {
  db: Db;
  resources: ResourcesRepository;
  orgs: OrgsRepository;
  notifications: NotificationsRepository;
  audit: AuditRepository;
  clock?: () => Date;
}) {
  const { db, resources } = deps;
  const now = deps.clock ?? (() => new Date());
  const tz = DEFAULT_TZ;

  const isStaffOf = (actor: Actor, orgPath: string, cityCode: string) => inScope(scopeOf(actor, READ_ROLES), { cityCode, path: orgPath });

  function presentResource(actor: Actor, r: ResourceRow) {
    const manage = inScope(scopeOf(actor, MANAGE_ROLES), { cityCode: r.cityCode, path: r.orgPath });
    return {
      id: r.id,
      orgId: r.orgId,
      orgName: r.orgName,
      name: r.name,
      type: r.type,
      typeName: r.typeName,
      category: r.category,
      description: r.description,
      capacity: r.capacity,
      quantity: r.quantity,
      bookable: r.bookable,
      requiresApproval: r.requiresApproval,
      openHours: r.openHours,
      closedDates: r.closedDates,
      slotMinutes: r.slotMinutes,
      maxDaysAhead: r.maxDaysAhead,
      maxPerWeek: r.maxPerWeek,
      address: r.address,
      lat: r.lat,
      lng: r.lng,
      rating: r.avgScore === null ? null : Math.round(r.avgScore * 10) / 10,
      reviewCount: r.reviewCount,
      photoIds: r.photoIds,
      photos: r.photoIds.map(uploadUrl),
      status: r.status,
      allowedActions: [...(r.bookable && r.status === 'active' ? ['book'] : []), ...(manage ? ['edit'] : [])],
    };
  }

  function presentBooking(actor: Actor, b: BookingRow) {
    const staff = isStaffOf(actor, b.orgPath, b.cityCode);
    const mine = b.userId === actor.userId;
    const t = now();
    const actions: string[] = [];
    if (staff && nextBookingState(b.status, 'approve')) actions.push('approve', 'reject');
    if ((staff || mine) && nextBookingState(b.status, 'cancel') && t < b.endsAt) actions.push('cancel');
    if ((staff || mine) && b.status === 'approved' && t >= new Date(b.startsAt.getTime() - 15 * 60_000) && t <= b.endsAt) actions.push('checkin');
    if (staff && (b.status === 'checked_in' || (b.status === 'approved' && t >= b.startsAt))) actions.push('complete');
    if (mine && b.status === 'completed' && b.reviewScore === null) actions.push('review');
    return {
      id: b.id,
      resourceId: b.resourceId,
      resourceName: b.resourceName,
      orgId: b.orgId,
      orgName: b.orgName,
      userId: b.userId,
      userName: staff || mine ? b.userName : null,
      userPhone: mine ? b.userPhone : staff && b.userPhone ? maskPhone(b.userPhone) : null,
      reviewScore: b.reviewScore,
      startsAt: toIso(b.startsAt),
      endsAt: toIso(b.endsAt),
      purpose: b.purpose,
      attendees: b.attendees,
      quantity: b.quantity,
      status: b.status,
      reason: b.reason,
      decidedAt: b.decidedAt ? toIso(b.decidedAt) : null,
      checkedInAt: b.checkedInAt ? toIso(b.checkedInAt) : null,
      createdAt: toIso(b.createdAt),
      allowedActions: actions,
    };
  }

  async function loadResource(ctx: RequestCtx, id: string) {
    const actor = requireActor(ctx);
    const r = await resources.byId(id);
    if (!r || r.status !== 'active') throw resourceNotFound();
    return { actor, r };
  }

  /**
   * Throws 403 unless the actor may act on the booking: staff of its site's subtree, or (`who`
   * permitting) its booker. Checked before anything about the booking's state or time, so that a
   * stranger learns nothing of it (issue 15: 422 before 403).
   */
  function assertMayActOn(actor: Actor, b: { orgPath: string; cityCode: string; userId: string }, who: 'staff' | 'staff_or_booker') {
    const staff = isStaffOf(actor, b.orgPath, b.cityCode);
    if (!(staff || (who === 'staff_or_booker' && b.userId === actor.userId))) throw forbidden({ zh: '无权处理该预约', en: 'You may not act on this booking' });
  }

  async function moveBooking(
    ctx: RequestCtx,
    id: string,
    event: BookingEvent,
    who: 'staff' | 'staff_or_booker',
    patch: Record<string, unknown> = {},
    notice?: string,
  ) {
    const actor = requireActor(ctx);
    const b = await resources.bookingById(id);
    if (!b) throw bookingNotFound();
    assertMayActOn(actor, b, who);
    const to = nextBookingState(b.status, event);
    if (!to) throw invalidState({ zh: '预约当前状态不允许此操作', en: `Cannot ${event} a ${b.status} booking` });
    await db.transaction(async (tx) => {
      const updated = await resources.transition(tx, b.cityCode, b.id, b.status, to, patch);
      if (!updated) throw invalidState({ zh: '预约状态已变化，请刷新', en: 'The booking changed meanwhile' });
      if (notice && b.userId !== actor.userId)
        await deps.notifications.add(tx, {
          userIds: [b.userId],
          cityCode: b.cityCode,
          kind: `booking.${event}`,
          title: `${notice}：${b.resourceName}`,
          body: (patch.reason as string | undefined) ?? null,
          refType: 'booking',
          refId: b.id,
        });
    });
    return presentBooking(actor, (await resources.bookingById(id))!);
  }

  return {
    async create(ctx: RequestCtx, body: TCreateResourceBody) {
      const actor = requireActor(ctx);
      const org = await deps.orgs.byId(body.orgId);
      if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
      assertInScope(actor, MANAGE_ROLES, { cityCode: org.cityCode, path: org.path });
      if ((body.lat === undefined) !== (body.lng === undefined))
        throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'lat', message: msg('经纬度须同时填写', 'Give latitude and longitude together') }]);
      const id = newId();
      try {
        await db.transaction(async (tx) => {
          const ok = await resources.insert(
            {
              cityCode: org.cityCode,
              id,
              orgId: org.id,
              name: body.name,
              type: body.type,
              description: body.description ?? null,
              capacity: body.capacity ?? null,
              quantity: body.quantity ?? null,
              bookable: body.bookable,
              requiresApproval: body.requiresApproval ?? true,
              openHours: body.openHours ?? [],
              closedDates: body.closedDates ?? [],
              slotMinutes: body.slotMinutes ?? 60,
              maxDaysAhead: body.maxDaysAhead ?? 30,
              maxPerWeek: body.maxPerWeek ?? null,
              address: body.address ?? org.address,
              lat: body.lat ?? org.lat,
              lng: body.lng ?? org.lng,
              photoIds: body.photoIds ?? [],
            },
            tx,
          );
          if (!ok) throw duplicate({ zh: '该阵地已有同名资源', en: 'This site already has a resource of that name' });
          await deps.audit.record(ctx, { cityCode: org.cityCode, action: 'resource.create', entityType: 'resource', entityId: id, after: body }, tx);
        });
      } catch (e) {
        if (pgCode(e) === PG.foreignKeyViolation)
          throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'type', message: msg('无效的资源类型', 'Invalid resource type') }]);
        throw e;
      }
      return presentResource(actor, (await resources.byId(id))!);
    },

    async get(ctx: RequestCtx, id: string) {
      const actor = requireActor(ctx);
      const r = await resources.byId(id);
      // A retired resource is still shown to the staff who manage it (to put it back).
      if (!r || (r.status !== 'active' && !inScope(scopeOf(actor, MANAGE_ROLES), { cityCode: r.cityCode, path: r.orgPath }))) throw resourceNotFound();
      return presentResource(actor, r);
    },

    /** PATCH /resources/{id} (org admins of the resource's subtree). */
    async update(ctx: RequestCtx, id: string, body: TUpdateResourceBody) {
      const actor = requireActor(ctx);
      const r = await resources.byId(id);
      if (!r) throw resourceNotFound();
      if (!inScope(scopeOf(actor, MANAGE_ROLES), { cityCode: r.cityCode, path: r.orgPath })) {
        if (r.status !== 'active') throw resourceNotFound();
        throw forbidden({ zh: '该资源不在您的管辖范围内', en: 'This resource is outside your scope' });
      }
      const lat = body.lat === undefined ? r.lat : body.lat;
      const lng = body.lng === undefined ? r.lng : body.lng;
      if ((lat === null) !== (lng === null))
        throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'lat', message: msg('经纬度须同时填写', 'Give latitude and longitude together') }]);
      if (body.quantity !== undefined && (body.quantity === null) !== (r.quantity === null))
        throw ruleViolation({
          zh: r.quantity === null ? '整体预约的资源不能改为按数量借用，请另行登记物资' : '按数量借用的物资不能改为整体预约，请另行登记资源',
          en: 'A resource cannot switch between whole bookings and loans by quantity',
        });
      const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Partial<TUpdateResourceBody>;
      if (!Object.keys(patch).length) return presentResource(actor, r);
      try {
        await db.transaction(async (tx) => {
          const ok = await resources.update(tx, r.cityCode, r.id, patch);
          if (!ok) throw resourceNotFound();
          const before = Object.fromEntries(Object.keys(patch).map((k) => [k, (r as Record<string, unknown>)[k]]));
          await deps.audit.record(ctx, { cityCode: r.cityCode, action: 'resource.update', entityType: 'resource', entityId: r.id, before, after: patch }, tx);
        });
      } catch (e) {
        if (pgCode(e) === PG.uniqueViolation) throw duplicate({ zh: '该阵地已有同名资源', en: 'This site already has a resource of that name' });
        if (pgCode(e) === PG.foreignKeyViolation)
          throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'type', message: msg('无效的资源类型', 'Invalid resource type') }]);
        throw e;
      }
      return presentResource(actor, (await resources.byId(id))!);
    },

    /**
     * 利用率: per resource and per site of the caller's scope (or one subtree), over local dates
     * [from, to] (both inclusive): hours used (approved, checked in, completed; equipment × quantity)
     * over the hours open (equipment × its quantity). No-shows and pending requests are counted apart.
     */
    async utilization(ctx: RequestCtx, q: { orgId?: string; from: string; to: string }) {
      const actor = requireActor(ctx);
      const { scope, orgPath } = await narrowToOrg(deps.orgs, assertStaff(actor), q.orgId);
      const cond = scopeCondition(scope, sql`o.city_code`, sql`o.path`);
      const days = Math.round((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000) + 1;
      const from = zonedInstant(q.from, 0, tz);
      const to = zonedInstant(q.to, 24 * 60, tz);
      const LIMIT = 2000;
      const [list, figures] = await Promise.all([resources.forUtilization(cond, orgPath, LIMIT + 1), resources.bookingFiguresBetween(cond, orgPath, from, to)]);
      const byId = new Map(figures.map((f) => [f.id, f]));
      const items = list.slice(0, LIMIT).map((r) => {
        const f = byId.get(r.id);
        const openHours = openMinutesBetween(r.open_hours, r.closed_dates, q.from, days, tz) / 60;
        const capacityHours = openHours * (r.quantity ?? 1);
        const bookedHours = Number(f?.booked_hours ?? 0);
        return {
          id: r.id,
          name: r.name,
          type: r.type,
          typeName: r.type_name,
          category: r.category,
          orgId: r.org_id,
          orgName: r.org_name,
          quantity: r.quantity,
          openHours: round1(openHours),
          capacityHours: round1(capacityHours),
          bookedHours: round1(bookedHours),
          utilization: ratio(bookedHours, capacityHours),
          bookings: Number(f?.bookings ?? 0),
          noShows: Number(f?.no_shows ?? 0),
          pending: Number(f?.pending ?? 0),
          _capacity: capacityHours,
          _booked: bookedHours,
        };
      });
      const sites = new Map<
        string,
        { orgId: string; orgName: string; resources: number; capacity: number; booked: number; bookings: number; noShows: number }
      >();
      for (const it of items) {
        const s = sites.get(it.orgId) ?? { orgId: it.orgId, orgName: it.orgName, resources: 0, capacity: 0, booked: 0, bookings: 0, noShows: 0 };
        s.resources++;
        s.capacity += it._capacity;
        s.booked += it._booked;
        s.bookings += it.bookings;
        s.noShows += it.noShows;
        sites.set(it.orgId, s);
      }
      const totalCapacity = items.reduce((a, x) => a + x._capacity, 0);
      const totalBooked = items.reduce((a, x) => a + x._booked, 0);
      return {
        from: q.from,
        to: q.to,
        days,
        capacityHours: round1(totalCapacity),
        bookedHours: round1(totalBooked),
        utilization: ratio(totalBooked, totalCapacity),
        bookings: items.reduce((a, x) => a + x.bookings, 0),
        noShows: items.reduce((a, x) => a + x.noShows, 0),
        truncated: list.length > LIMIT,
        resources: items.map(({ _capacity: _c, _booked: _b, ...rest }) => rest),
        sites: [...sites.values()]
          .map((s) => ({
            orgId: s.orgId,
            orgName: s.orgName,
            resources: s.resources,
            capacityHours: round1(s.capacity),
            bookedHours: round1(s.booked),
            utilization: ratio(s.booked, s.capacity),
            bookings: s.bookings,
            noShows: s.noShows,
          }))
          .sort((a, b) => (b.utilization ?? -1) - (a.utilization ?? -1) || a.orgName.localeCompare(b.orgName, 'zh')),
      };
    },

    /** The resource library is open to every signed-in user (residents look for rooms to book). */
    async list(
      ctx: RequestCtx,
      q: { orgId?: string; type?: string; category?: string; q?: string; status?: 'active' | 'retired' | 'all'; limit: number; cursor?: string },
    ) {
      const actor = requireActor(ctx);
      let orgPath: string | undefined;
      if (q.orgId) {
        const org = await deps.orgs.byId(q.orgId);
        if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
        orgPath = org.path;
      }
      // Retired resources are for the staff who manage them only.
      const status = q.status ?? 'active';
      const scope = status === 'active' ? undefined : scopeCondition(assertStaff(actor, MANAGE_ROLES), sql`orgs.city_code`, sql`orgs.path`);
      const rows = await resources.list({
        orgPath,
        type: q.type,
        category: q.category,
        q: q.q,
        status,
        scope,
        limit: q.limit + 1,
        after: q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined,
      });
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((r) => presentResource(actor, r)),
        nextCursor: rows.length > q.limit ? encodeCursor({ name: page.at(-1)!.name, id: page.at(-1)!.id }) : null,
      };
    },

    /** Open intervals of a local date and what is already taken. */
    async availability(ctx: RequestCtx, id: string, date: string) {
      const { r } = await loadResource(ctx, id);
      const dayStart = zonedInstant(date, 0, tz);
      const weekday = localTime(new Date(dayStart.getTime() + 12 * 3600_000), tz).weekday;
      const open = r.closedDates.includes(date)
        ? []
        : openIntervals(r.openHours, weekday).map(([o, c]) => ({ startsAt: toIso(zonedInstant(date, o, tz)), endsAt: toIso(zonedInstant(date, c, tz)) }));
      const booked = await resources.bookingsBetween(r.cityCode, r.id, dayStart, zonedInstant(date, 24 * 60, tz));
      return {
        date,
        closed: r.closedDates.includes(date),
        slotMinutes: r.slotMinutes,
        quantity: r.quantity,
        open,
        booked: booked.map((b) => ({ startsAt: toIso(b.startsAt), endsAt: toIso(b.endsAt), quantity: b.quantity, status: b.status })),
      };
    },

    async book(ctx: RequestCtx, id: string, body: { startsAt: string; endsAt: string; purpose: string; attendees?: number; quantity?: number }) {
      const { actor, r } = await loadResource(ctx, id);
      if (!r.bookable) throw ruleViolation({ zh: '该资源不开放预约', en: 'This resource is not bookable' });
      const startsAt = new Date(body.startsAt);
      const endsAt = new Date(body.endsAt);
      const qty = body.quantity ?? 1;
      if (r.quantity === null && qty !== 1)
        throw new AppError('VALIDATION_FAILED', undefined, [
          { path: 'quantity', message: msg('该资源按整体预约，数量只能为1', 'This resource is booked as a whole') },
        ]);
      const rule = checkBooking(
        { startsAt, endsAt, attendees: body.attendees },
        { openHours: r.openHours, closedDates: r.closedDates, capacity: r.capacity, maxDaysAhead: r.maxDaysAhead, timeZone: tz },
        now(),
      );
      if (rule) throw ruleViolation(BOOKING_RULE_MESSAGES[rule]);
      const bookingId = newId();
      try {
        await db.transaction(async (tx) => {
          await resources.lock(tx, r.cityCode, r.id);
          if (r.maxPerWeek) {
            const lt = localTime(startsAt, tz);
            const monday = zonedInstant(lt.date, 0, tz).getTime() - (lt.weekday - 1) * 86_400_000;
            const n = await resources.countInWeek(tx, r.cityCode, r.id, actor.userId, new Date(monday), new Date(monday + 7 * 86_400_000));
            if (n >= r.maxPerWeek)
              throw ruleViolation({ zh: `每人每周最多预约 ${r.maxPerWeek} 次`, en: `At most ${r.maxPerWeek} bookings per person per week` });
          }
          if (r.quantity !== null) {
            const taken = await resources.reservedQuantity(tx, r.cityCode, r.id, startsAt, endsAt);
            if (taken + qty > r.quantity)
              throw new AppError('BOOKING_CONFLICT', {
                zh: `该时段可借数量不足（剩余 ${Math.max(0, r.quantity - taken)}）`,
                en: `Only ${Math.max(0, r.quantity - taken)} left for that period`,
              });
          }
          await resources.insertBooking(tx, {
            cityCode: r.cityCode,
            id: bookingId,
            resourceId: r.id,
            userId: actor.userId,
            startsAt,
            endsAt,
            exclusive: r.quantity === null,
            quantity: qty,
            purpose: body.purpose,
            attendees: body.attendees ?? 1,
            status: r.requiresApproval ? 'pending' : 'approved',
          });
        });
      } catch (e) {
        if (pgCode(e) === PG.exclusionViolation) throw conflict();
        throw e;
      }
      return presentBooking(actor, (await resources.bookingById(bookingId))!);
    },

    async getBooking(ctx: RequestCtx, id: string) {
      const actor = requireActor(ctx);
      const b = await resources.bookingById(id);
      if (!b) throw bookingNotFound();
      if (b.userId !== actor.userId && !isStaffOf(actor, b.orgPath, b.cityCode)) throw forbidden({ zh: '无权查看该预约', en: 'You may not see this booking' });
      return presentBooking(actor, b);
    },

    async listBookings(ctx: RequestCtx, q: { mine?: string; orgId?: string; resourceId?: string; status?: string; from?: string; to?: string; limit: number }) {
      const actor = requireActor(ctx);
      const statuses = q.status?.split(',') as BookingRow['status'][] | undefined;
      const common = { resourceId: q.resourceId, statuses, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, limit: q.limit };
      const staffScope = scopeOf(actor, READ_ROLES);
      if (q.mine === 'true' || !(staffScope.all || staffScope.subtrees.length)) {
        return { items: (await resources.listBookings({ ...common, userId: actor.userId })).map((b) => presentBooking(actor, b)), nextCursor: null };
      }
      const { scope } = await narrowToOrg(deps.orgs, assertStaff(actor), q.orgId);
      const rows = await resources.listBookings({ ...common, scope: scopeCondition(scope, sql`orgs.city_code`, sql`orgs.path`) });
      return { items: rows.map((b) => presentBooking(actor, b)), nextCursor: null };
    },

    approve: (ctx: RequestCtx, id: string) => moveBooking(ctx, id, 'approve', 'staff', { decidedBy: ctx.actor?.userId, decidedAt: now() }, '预约已通过'),
    reject: (ctx: RequestCtx, id: string, reason: string) =>
      moveBooking(ctx, id, 'reject', 'staff', { decidedBy: ctx.actor?.userId, decidedAt: now(), reason }, '预约未通过'),

    async cancel(ctx: RequestCtx, id: string) {
      const actor = requireActor(ctx);
      const b = await resources.bookingById(id);
      if (!b) throw bookingNotFound();
      assertMayActOn(actor, b, 'staff_or_booker');
      // pending and approved bookings can be cancelled; the state decides which transition applies
      if (b.status !== 'pending' && b.status !== 'approved') throw invalidState({ zh: '该预约已不能取消', en: 'This booking can no longer be cancelled' });
      return moveBooking(ctx, id, 'cancel', 'staff_or_booker', {}, b.userId === actor.userId ? undefined : '预约已被取消');
    },

    async checkin(ctx: RequestCtx, id: string) {
      const actor = requireActor(ctx);
      const b = await resources.bookingById(id);
      if (!b) throw bookingNotFound();
      assertMayActOn(actor, b, 'staff_or_booker');
      const t = now();
      if (b.status === 'approved' && (t < new Date(b.startsAt.getTime() - 15 * 60_000) || t > b.endsAt))
        throw ruleViolation({ zh: '请在预约时段内签到（可提前15分钟）', en: 'Check in during the booked slot (15 minutes early at most)' });
      return moveBooking(ctx, id, 'checkin', 'staff_or_booker', { checkedInAt: t });
    },

    async review(ctx: RequestCtx, id: string, body: { score: number; comment?: string }) {
      const actor = requireActor(ctx);
      const b = await resources.bookingById(id);
      if (!b) throw bookingNotFound();
      if (b.userId !== actor.userId) throw forbidden({ zh: '只有预约人可以评价', en: 'Only the booker reviews' });
      if (b.status !== 'completed') throw invalidState({ zh: '使用完成后才能评价', en: 'Review after use' });
      const ok = await db.transaction((tx) =>
        resources.addReview(tx, {
          cityCode: b.cityCode,
          bookingId: b.id,
          resourceId: b.resourceId,
          userId: actor.userId,
          score: body.score,
          comment: body.comment ?? null,
        }),
      );
      if (!ok) throw duplicate({ zh: '您已评价过这次预约', en: 'Already reviewed' });
      return { bookingId: b.id, score: body.score, comment: body.comment ?? null };
    },

    /** 使用完毕 / 物资归还 (staff of the subtree): checked in (or approved, once the slot began) → completed. */
    async complete(ctx: RequestCtx, id: string) {
      const actor = requireActor(ctx);
      const b = await resources.bookingById(id);
      if (!b) throw bookingNotFound();
      assertMayActOn(actor, b, 'staff');
      if (b.status === 'approved' && now() < b.startsAt) throw ruleViolation({ zh: '预约时段尚未开始', en: 'The slot has not begun' });
      return moveBooking(ctx, id, 'complete', 'staff', {}, '预约已完成，欢迎评价');
    },

    /** Reminds bookers of approved slots that start within BOOKING_REMINDER_MS; once per booking. */
    async remindUpcoming(batch = 200): Promise<number> {
      const t = now();
      const until = new Date(t.getTime() + BOOKING_REMINDER_MS);
      let n = 0;
      for (const city of await resources.citiesToRemind(t, until)) {
        await db.transaction(async (tx) => {
          for (const row of await resources.lockToRemind(tx, city, t, until, batch)) {
            const b = await resources.bookingById(row.id, tx);
            if (!b || !(await resources.markReminded(tx, city, row.id, t))) continue;
            const lt = localTime(b.startsAt, tz);
            const hhmm = `${String(Math.floor(lt.minutes / 60)).padStart(2, '0')}:${String(lt.minutes % 60).padStart(2, '0')}`;
            await deps.notifications.add(tx, {
              userIds: [b.userId],
              cityCode: city,
              kind: 'booking.reminder',
              title: `预约提醒：${b.resourceName} ${hhmm} 开始`,
              body: `请按时到达${b.orgName}，到场后在“我的预约”中签到。`,
              refType: 'booking',
              refId: b.id,
            });
            n++;
          }
        });
      }
      return n;
    },

    /** After the slot: approved bookings nobody checked in become no_show; checked-in ones complete. */
    async closeEnded(batch = 200): Promise<number> {
      const t = now();
      let n = 0;
      for (const city of await resources.citiesWithEnded(t)) {
        await db.transaction(async (tx) => {
          for (const row of await resources.lockEnded(tx, city, t, batch)) {
            await resources.transition(tx, city, row.id, row.status, row.status === 'approved' ? 'no_show' : 'completed');
            n++;
          }
        });
      }
      return n;
    },
  };
}

export type ResourcesService = ReturnType<typeof createResourcesService>;
