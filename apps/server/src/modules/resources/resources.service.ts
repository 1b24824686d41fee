import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { msg, type TCreateResourceBody } from '@wenming/contracts';
import { BOOKING_RULE_MESSAGES, checkBooking, localTime, nextBookingState, openIntervals, zonedInstant, type BookingEvent } from '@wenming/domain';
import type { Db } from '../../db/client.ts';
import { AppError, duplicate, forbidden, invalidState, notFound, pgCode, PG, ruleViolation } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { DEFAULT_TZ, toIso } from '../../lib/time.ts';
import { assertInScope, assertStaff, inScope, MANAGE_ROLES, READ_ROLES, requireActor, scopeCondition, scopeOf, type Actor, type RequestCtx } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { OrgsRepository } from '../orgs/orgs.repository.ts';
import { narrowToOrg } from '../orgs/org-filter.ts';
import type { NotificationsRepository } from '../notifications/notifications.repository.ts';
import type { BookingRow, ResourceRow, ResourcesRepository } from './resources.repository.ts';

const ZCursor = z.object({ name: z.string(), id: z.string().uuid() });
const resourceNotFound = () => notFound({ zh: '资源不存在', en: 'No such resource' });
const bookingNotFound = () => notFound({ zh: '预约不存在', en: 'No such booking' });
const conflict = () => new AppError('BOOKING_CONFLICT', { zh: '该时段已被预约，请选择其他时间', en: 'The slot overlaps another booking' });

export function createResourcesService(deps: { db: Db; resources: ResourcesRepository; orgs: OrgsRepository; notifications: NotificationsRepository; audit: AuditRepository; clock?: () => Date }) {
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
      allowedActions: [...(r.bookable ? ['book'] : []), ...(manage ? ['edit'] : [])],
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
    if (mine && b.status === 'completed') actions.push('review');
    return {
      id: b.id,
      resourceId: b.resourceId,
      resourceName: b.resourceName,
      orgId: b.orgId,
      userId: b.userId,
      startsAt: toIso(b.startsAt),
      endsAt: toIso(b.endsAt),
      purpose: b.purpose,
      attendees: b.attendees,
      quantity: b.quantity,
      status: b.status,
      reason: b.reason,
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

  async function moveBooking(ctx: RequestCtx, id: string, event: BookingEvent, who: 'staff' | 'staff_or_booker', patch: Record<string, unknown> = {}, notice?: string) {
    const actor = requireActor(ctx);
    const b = await resources.bookingById(id);
    if (!b) throw bookingNotFound();
    const staff = isStaffOf(actor, b.orgPath, b.cityCode);
    if (!(staff || (who === 'staff_or_booker' && b.userId === actor.userId))) throw forbidden({ zh: '无权处理该预约', en: 'You may not act on this booking' });
    const to = nextBookingState(b.status, event);
    if (!to) throw invalidState({ zh: '预约当前状态不允许此操作', en: `Cannot ${event} a ${b.status} booking` });
    await db.transaction(async (tx) => {
      const updated = await resources.transition(tx, b.cityCode, b.id, b.status, to, patch);
      if (!updated) throw invalidState({ zh: '预约状态已变化，请刷新', en: 'The booking changed meanwhile' });
      if (notice && b.userId !== actor.userId)
        await deps.notifications.add(tx, { userIds: [b.userId], cityCode: b.cityCode, kind: `booking.${event}`, title: `${notice}：${b.resourceName}`, body: (patch.reason as string | undefined) ?? null, refType: 'booking', refId: b.id });
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
            },
            tx,
          );
          if (!ok) throw duplicate({ zh: '该阵地已有同名资源', en: 'This site already has a resource of that name' });
          await deps.audit.record(ctx, { cityCode: org.cityCode, action: 'resource.create', entityType: 'resource', entityId: id, after: body }, tx);
        });
      } catch (e) {
        if (pgCode(e) === PG.foreignKeyViolation) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'type', message: msg('无效的资源类型', 'Invalid resource type') }]);
        throw e;
      }
      return presentResource(actor, (await resources.byId(id))!);
    },

    async get(ctx: RequestCtx, id: string) {
      const { actor, r } = await loadResource(ctx, id);
      return presentResource(actor, r);
    },

    /** The resource library is open to every signed-in user (residents look for rooms to book). */
    async list(ctx: RequestCtx, q: { orgId?: string; type?: string; category?: string; q?: string; limit: number; cursor?: string }) {
      const actor = requireActor(ctx);
      let orgPath: string | undefined;
      if (q.orgId) {
        const org = await deps.orgs.byId(q.orgId);
        if (!org) throw notFound({ zh: '阵地不存在', en: 'No such site' });
        orgPath = org.path;
      }
      const rows = await resources.list({ orgPath, type: q.type, category: q.category, q: q.q, limit: q.limit + 1, after: q.cursor ? decodeCursor(q.cursor, ZCursor) : undefined });
      const page = rows.slice(0, q.limit);
      return { items: page.map((r) => presentResource(actor, r)), nextCursor: rows.length > q.limit ? encodeCursor({ name: page.at(-1)!.name, id: page.at(-1)!.id }) : null };
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
      if (r.quantity === null && qty !== 1) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'quantity', message: msg('该资源按整体预约，数量只能为1', 'This resource is booked as a whole') }]);
      const rule = checkBooking({ startsAt, endsAt, attendees: body.attendees }, { openHours: r.openHours, closedDates: r.closedDates, capacity: r.capacity, maxDaysAhead: r.maxDaysAhead, timeZone: tz }, now());
      if (rule) throw ruleViolation(BOOKING_RULE_MESSAGES[rule]);
      const bookingId = newId();
      try {
        await db.transaction(async (tx) => {
          await resources.lock(tx, r.cityCode, r.id);
          if (r.maxPerWeek) {
            const lt = localTime(startsAt, tz);
            const monday = zonedInstant(lt.date, 0, tz).getTime() - (lt.weekday - 1) * 86_400_000;
            const n = await resources.countInWeek(tx, r.cityCode, r.id, actor.userId, new Date(monday), new Date(monday + 7 * 86_400_000));
            if (n >= r.maxPerWeek) throw ruleViolation({ zh: `每人每周最多预约 ${r.maxPerWeek} 次`, en: `At most ${r.maxPerWeek} bookings per person per week` });
          }
          if (r.quantity !== null) {
            const taken = await resources.reservedQuantity(tx, r.cityCode, r.id, startsAt, endsAt);
            if (taken + qty > r.quantity)
              throw new AppError('BOOKING_CONFLICT', { zh: `该时段可借数量不足（剩余 ${Math.max(0, r.quantity - taken)}）`, en: `Only ${Math.max(0, r.quantity - taken)} left for that period` });
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
    reject: (ctx: RequestCtx, id: string, reason: string) => moveBooking(ctx, id, 'reject', 'staff', { decidedBy: ctx.actor?.userId, decidedAt: now(), reason }, '预约未通过'),

    async cancel(ctx: RequestCtx, id: string) {
      const actor = requireActor(ctx);
      const b = await resources.bookingById(id);
      if (!b) throw bookingNotFound();
      // pending and approved bookings can be cancelled; the state decides which transition applies
      if (b.status !== 'pending' && b.status !== 'approved') throw invalidState({ zh: '该预约已不能取消', en: 'This booking can no longer be cancelled' });
      return moveBooking(ctx, id, 'cancel', 'staff_or_booker', {}, b.userId === actor.userId ? undefined : '预约已被取消');
    },

    async checkin(ctx: RequestCtx, id: string) {
      const b = await resources.bookingById(id);
      if (!b) throw bookingNotFound();
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
      const ok = await db.transaction((tx) => resources.addReview(tx, { cityCode: b.cityCode, bookingId: b.id, resourceId: b.resourceId, userId: actor.userId, score: body.score, comment: body.comment ?? null }));
      if (!ok) throw duplicate({ zh: '您已评价过这次预约', en: 'Already reviewed' });
      return { bookingId: b.id, score: body.score, comment: body.comment ?? null };
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
