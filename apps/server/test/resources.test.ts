import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTime, zonedInstant } from '@wenming/domain';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, type Tree } from './helpers/fixtures.ts';

const TZ = 'Asia/Shanghai';
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
/** A local date N days from today with its weekday. */
function day(n: number) {
  const lt = localTime(new Date(testNow().getTime() + n * 86_400_000), TZ);
  return { date: lt.date, weekday: lt.weekday };
}
const at = (date: string, hhmm: string) => zonedInstant(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), TZ).toISOString();
/** An instant `m` minutes from the tests' now (negative: ago): slots moved in SQL take their times from the app's clock, not PostgreSQL's now(). */
const inMinutes = (m: number) => new Date(testNow().getTime() + m * 60_000).toISOString();

describe.each(DATABASES)('resources and bookings on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let manager: Caller;
  let pcAdmin: Caller;
  let resident: Caller;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    manager = await staff(ctx, 'org_admin', t.wucheng, '坞城所管理员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng);
    resident = await ctx.register('居民');
  });
  afterAll(() => ctx.close());

  const create = async (body: object, as: Caller = manager) => {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/resources', payload: { orgId: t.shifanjie, bookable: true, ...body }, as });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const book = (id: string, body: object, as: Caller = resident) =>
    ctx.request({ method: 'POST', url: `/api/v1/resources/${id}/bookings`, payload: { purpose: '广场舞排练', ...body }, as });

  it('registers resources of the five categories; validates; scoped', async () => {
    const id = await create({ name: '舞蹈室', type: 'dance_room', capacity: 30, openHours: ALL_DAY, requiresApproval: true });
    const r = (await ctx.request({ method: 'GET', url: `/api/v1/resources/${id}`, as: resident })).json();
    expect(r).toMatchObject({ name: '舞蹈室', typeName: '舞蹈室', category: 'venue', capacity: 30, rating: null });
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/resources',
          payload: { orgId: t.shifanjie, name: 'x', type: 'spaceship', bookable: true },
          as: manager,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/resources',
          payload: { orgId: t.shifanjie, name: 'x', type: 'dance_room', bookable: true, openHours: [{ weekday: 1, open: '18:00', close: '09:00' }] },
          as: manager,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/resources',
          payload: { orgId: t.shifanjie, name: '舞蹈室', type: 'dance_room', bookable: true },
          as: manager,
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/resources',
          payload: { orgId: t.shifanjie, name: 'y', type: 'dance_room', bookable: true },
          as: pcAdmin,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/resources',
          payload: { orgId: t.shifanjie, name: 'y', type: 'dance_room', bookable: true },
          as: resident,
        })
      ).statusCode,
    ).toBe(403);
    const list = (await ctx.request({ method: 'GET', url: `/api/v1/resources?category=venue&q=${encodeURIComponent('舞蹈')}`, as: resident })).json();
    expect(list.items.map((x: { id: string }) => x.id)).toContain(id);
  });

  it('of 20 concurrent requests for one slot exactly one succeeds; touching slots are fine', async () => {
    const id = await create({ name: '多功能室', type: 'multi_room', openHours: ALL_DAY, requiresApproval: false });
    const d = day(2).date;
    const people = await Promise.all(Array.from({ length: 20 }, () => ctx.register()));
    const results = await Promise.all(people.map((p) => book(id, { startsAt: at(d, '09:00'), endsAt: at(d, '10:00') }, p)));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().error.code).toBe('BOOKING_CONFLICT');
    expect(results.find((r) => r.statusCode === 201)!.json().status).toBe('approved');
    // Touching end-to-start is not an overlap; an overlap by one minute is.
    expect((await book(id, { startsAt: at(d, '10:00'), endsAt: at(d, '11:00') })).statusCode).toBe(201);
    expect((await book(id, { startsAt: at(d, '08:00'), endsAt: at(d, '09:00') })).statusCode).toBe(201);
    expect((await book(id, { startsAt: at(d, '10:59'), endsAt: at(d, '12:00') })).statusCode).toBe(409);
    const avail = (await ctx.request({ method: 'GET', url: `/api/v1/resources/${id}/availability?date=${d}`, as: resident })).json();
    expect(avail.booked).toHaveLength(3);
    expect(avail.open).toHaveLength(1);
  });

  it('quantity loans racing for the last items never over-lend', async () => {
    const id = await create({ name: '帐篷', type: 'tent', quantity: 5, openHours: ALL_DAY, requiresApproval: false });
    const d = day(3).date;
    const people = await Promise.all(Array.from({ length: 8 }, () => ctx.register()));
    const results = await Promise.all(people.map((p) => book(id, { startsAt: at(d, '08:00'), endsAt: at(d, '18:00'), quantity: 2 }, p)));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(2);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(6);
    expect((await book(id, { startsAt: at(d, '09:00'), endsAt: at(d, '10:00'), quantity: 1 })).statusCode).toBe(201);
    expect((await book(id, { startsAt: at(d, '09:00'), endsAt: at(d, '10:00'), quantity: 1 })).statusCode).toBe(409);
    const n = await ctx.database.raw.query<{ n: number }>(
      `SELECT coalesce(sum(quantity), 0)::int AS n FROM bookings WHERE resource_id = $1 AND status IN ('pending','approved')`,
      [id],
    );
    expect(n[0]!.n).toBe(5);
  });

  it('refuses what breaks the rules with the documented error, writing nothing', async () => {
    const monday = [...Array(9).keys()].map((i) => day(i + 1)).find((x) => x.weekday === 1)!.date;
    const id = await create({
      name: '红色影院',
      type: 'red_cinema',
      capacity: 100,
      openHours: [
        { weekday: 1, open: '08:30', close: '12:00' },
        { weekday: 1, open: '14:00', close: '21:00' },
      ],
      closedDates: [day(15).date],
      maxPerWeek: 2,
    });
    const before = (await ctx.database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings WHERE resource_id = $1', [id]))[0]!.n;
    const cases: [object, number, string][] = [
      [{ startsAt: at(monday, '11:00'), endsAt: at(monday, '15:00') }, 422, 'RULE_VIOLATION'], // across the lunch break
      [{ startsAt: at(monday, '07:00'), endsAt: at(monday, '09:00') }, 422, 'RULE_VIOLATION'],
      [{ startsAt: at(monday, '09:00'), endsAt: at(monday, '10:00'), attendees: 101 }, 422, 'RULE_VIOLATION'],
      [{ startsAt: at(day(40).date, '09:00'), endsAt: at(day(40).date, '10:00') }, 422, 'RULE_VIOLATION'],
      [{ startsAt: at(day(-1).date, '09:00'), endsAt: at(day(-1).date, '10:00') }, 422, 'RULE_VIOLATION'],
      [{ startsAt: at(monday, '10:00'), endsAt: at(monday, '09:00') }, 400, 'VALIDATION_FAILED'],
      [{ startsAt: at(monday, '10:00'), endsAt: at(monday, '10:00') }, 400, 'VALIDATION_FAILED'],
      [{ startsAt: at(monday, '09:00'), endsAt: at(monday, '10:00'), purpose: '' }, 400, 'VALIDATION_FAILED'],
      [{ startsAt: at(monday, '09:00'), endsAt: at(monday, '10:00'), quantity: 2 }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await book(id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    expect((await ctx.database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings WHERE resource_id = $1', [id]))[0]!.n).toBe(before);
    // Per-person weekly limit.
    expect((await book(id, { startsAt: at(monday, '09:00'), endsAt: at(monday, '10:00') })).statusCode).toBe(201);
    expect((await book(id, { startsAt: at(monday, '15:00'), endsAt: at(monday, '16:00') })).statusCode).toBe(201);
    const third = await book(id, { startsAt: at(monday, '17:00'), endsAt: at(monday, '18:00') });
    expect(third.statusCode).toBe(422);
    expect(third.json().error.message).toMatch(/每人每周/);
    // A resource that is not bookable.
    const people = await create({ name: '宣讲员王老师', type: 'lecturer', bookable: false });
    expect((await book(people, { startsAt: at(monday, '09:00'), endsAt: at(monday, '10:00') })).statusCode).toBe(422);
  });

  it('approval flow, cancellation, review once, no-show after the slot', async () => {
    const id = await create({ name: '棋牌室', type: 'chess_room', openHours: ALL_DAY, requiresApproval: true });
    const d = day(4).date;
    const b = (await book(id, { startsAt: at(d, '14:00'), endsAt: at(d, '16:00') })).json();
    expect(b).toMatchObject({ status: 'pending', allowedActions: ['cancel'] });
    expect((await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b.id}/approve`, payload: {}, as: resident })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b.id}/approve`, payload: {}, as: pcAdmin })).statusCode).toBe(403);
    const approved = await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b.id}/approve`, payload: {}, as: manager });
    expect(approved.json().status).toBe('approved');
    expect((await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b.id}/approve`, payload: {}, as: manager })).statusCode).toBe(409);
    expect(
      (await ctx.request({ method: 'GET', url: '/api/v1/notifications', as: resident }))
        .json()
        .items.some((n: { kind: string }) => n.kind === 'booking.approve'),
    ).toBe(true);
    // Too early to check in; a review before use is refused.
    expect((await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b.id}/checkin`, payload: {}, as: resident })).statusCode).toBe(422);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b.id}/review`, payload: { score: 5 }, as: resident })).statusCode).toBe(409);
    // Reject with a reason; cancel frees the slot.
    const b2 = (await book(id, { startsAt: at(d, '09:00'), endsAt: at(d, '10:00') })).json();
    expect((await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b2.id}/reject`, payload: {}, as: manager })).statusCode).toBe(400);
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b2.id}/reject`, payload: { reason: '当天有社区活动' }, as: manager })).json(),
    ).toMatchObject({ status: 'rejected', reason: '当天有社区活动' });
    expect((await book(id, { startsAt: at(d, '09:00'), endsAt: at(d, '10:00') })).statusCode).toBe(201);
    const b3 = (await book(id, { startsAt: at(d, '18:00'), endsAt: at(d, '19:00') })).json();
    expect((await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b3.id}/cancel`, payload: {}, as: resident })).json().status).toBe('cancelled');
    expect((await book(id, { startsAt: at(d, '18:00'), endsAt: at(d, '19:00') })).statusCode).toBe(201);
    // After the slot: approved → no_show; checked in → completed, then one review.
    const moveSlot = (bookingId: string, from: number, to: number) =>
      ctx.database.raw.query(`UPDATE bookings SET starts_at = $2, ends_at = $3 WHERE id = $1`, [bookingId, inMinutes(from), inMinutes(to)]);
    await moveSlot(b.id, -180, -60);
    const checkedIn = (await book(id, { startsAt: at(day(5).date, '09:00'), endsAt: at(day(5).date, '10:00') })).json();
    await ctx.request({ method: 'POST', url: `/api/v1/bookings/${checkedIn.id}/approve`, payload: {}, as: manager });
    await moveSlot(checkedIn.id, -20, 40);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/bookings/${checkedIn.id}/checkin`, payload: {}, as: resident })).json().status).toBe(
      'checked_in',
    );
    await moveSlot(checkedIn.id, -50, -1);
    expect(await ctx.app.modules.resources.closeEnded()).toBeGreaterThanOrEqual(2);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/bookings/${b.id}`, as: resident })).json().status).toBe('no_show');
    const done = (await ctx.request({ method: 'GET', url: `/api/v1/bookings/${checkedIn.id}`, as: resident })).json();
    expect(done).toMatchObject({ status: 'completed', allowedActions: ['review'] });
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/bookings/${checkedIn.id}/review`, payload: { score: 5, comment: '干净整洁' }, as: resident }))
        .statusCode,
    ).toBe(201);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/bookings/${checkedIn.id}/review`, payload: { score: 4 }, as: resident })).statusCode).toBe(409);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/resources/${id}`, as: resident })).json()).toMatchObject({ rating: 5, reviewCount: 1 });
    // Lists: mine, and staff's subtree.
    expect((await ctx.request({ method: 'GET', url: '/api/v1/bookings?mine=true', as: resident })).json().items.length).toBeGreaterThanOrEqual(5);
    expect(
      (await ctx.request({ method: 'GET', url: '/api/v1/bookings?status=pending', as: manager }))
        .json()
        .items.every((x: { status: string }) => x.status === 'pending'),
    ).toBe(true);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/bookings', as: pcAdmin })).json().items).toEqual([]);
  });

  it('reports booking utilisation of the subtree in the overview', async () => {
    const id = await create({ name: '统计用活动室', type: 'activity_room', openHours: ALL_DAY, requiresApproval: false }, manager);
    await ctx.database.raw.query(
      `INSERT INTO bookings (city_code, id, resource_id, user_id, starts_at, ends_at, exclusive, purpose, status)
       VALUES ('1401', gen_random_uuid(), $1, $2, $3, $4, true, '测试', 'completed')`,
      [id, resident.userId, inMinutes(-10 * 1440), inMinutes(-10 * 1440 + 36 * 60)],
    );
    const s = (await ctx.request({ method: 'GET', url: `/api/v1/stats/overview?orgId=${t.wucheng}`, as: manager })).json();
    expect(s.bookings.total).toBeGreaterThanOrEqual(1);
    expect(s.bookings.utilization).toBeGreaterThan(0);
    expect(s.bookings.utilization).toBeLessThan(1);
  });
});
