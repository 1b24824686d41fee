import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTime, zonedInstant } from '@wenming/domain';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, type Tree } from './helpers/fixtures.ts';

const TZ = 'Asia/Shanghai';
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
const date = (n: number) => localTime(new Date(testNow().getTime() + n * 86_400_000), TZ).date;
const at = (d: string, hhmm: string) => zonedInstant(d, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), TZ).toISOString();
/** An instant `m` minutes from the tests' now (negative: ago): slots moved in SQL take their times from the app's clock, not PostgreSQL's now(). */
const inMinutes = (m: number) => new Date(testNow().getTime() + m * 60_000).toISOString();
const PHOTO = '0195f7a0-0000-7000-8000-000000000001';

describe.each(DATABASES)('resource edits, utilisation, reminders and returns on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let manager: Caller;
  let dispatcher: Caller;
  let pcAdmin: Caller;
  let resident: Caller & { phone: string };

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    manager = await staff(ctx, 'org_admin', t.wucheng, '坞城所管理员');
    dispatcher = await staff(ctx, 'dispatcher', t.wucheng, '坞城所调度员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng);
    resident = await ctx.register('居民');
  });
  afterAll(() => ctx.close());

  const create = async (body: object, orgId = t.shifanjie) => {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/resources', payload: { orgId, bookable: true, ...body }, as: manager });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const patch = (id: string, payload: object, as: Caller = manager) => ctx.request({ method: 'PATCH', url: `/api/v1/resources/${id}`, payload, as });
  const book = (id: string, body: object, as: Caller = resident) =>
    ctx.request({ method: 'POST', url: `/api/v1/resources/${id}/bookings`, payload: { purpose: '合唱排练', ...body }, as });

  it('PATCH changes what is given, clears with null, keeps the rest; audited', async () => {
    const r = await create({
      name: '舞蹈室',
      type: 'dance_room',
      capacity: 30,
      openHours: ALL_DAY,
      maxPerWeek: 2,
      description: '木地板，带镜子',
      photoIds: [PHOTO],
    });
    expect(r).toMatchObject({ photoIds: [PHOTO], photos: [`/api/v1/uploads/${PHOTO}`], status: 'active', allowedActions: ['book', 'edit'] });
    const res = await patch(r.id, {
      name: '舞蹈排练室',
      capacity: 40,
      maxPerWeek: null,
      openHours: [
        { weekday: 1, open: '09:00', close: '12:00' },
        { weekday: 1, open: '14:00', close: '17:30' },
      ],
      closedDates: [date(10)],
      slotMinutes: 30,
      maxDaysAhead: 14,
      requiresApproval: false,
      lat: 37.81,
      lng: 112.57,
      photoIds: [],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: '舞蹈排练室',
      capacity: 40,
      maxPerWeek: null,
      slotMinutes: 30,
      maxDaysAhead: 14,
      requiresApproval: false,
      closedDates: [date(10)],
      description: '木地板，带镜子',
      lat: 37.81,
      lng: 112.57,
      photoIds: [],
      type: 'dance_room',
    });
    expect(res.json().openHours).toHaveLength(2);
    const audit = await ctx.database.raw.query<{ action: string }>(`SELECT action FROM audit_logs WHERE entity_id = $1 ORDER BY id`, [r.id]);
    expect(audit.map((a) => a.action)).toEqual(['resource.create', 'resource.update']);
    // Cleared description; an empty body changes nothing.
    expect((await patch(r.id, { description: null })).json().description).toBeNull();
    expect((await patch(r.id, {})).json().name).toBe('舞蹈排练室');
  });

  it('PATCH refuses bad input, other sites, switching kinds, duplicate names — writing nothing', async () => {
    const room = await create({ name: '会议室', type: 'meeting_room', openHours: ALL_DAY });
    const tent = await create({ name: '帐篷', type: 'tent', quantity: 10, openHours: ALL_DAY });
    const cases: [object, number, string][] = [
      [{ capacity: 0 }, 400, 'VALIDATION_FAILED'],
      [{ openHours: [{ weekday: 8, open: '09:00', close: '10:00' }] }, 400, 'VALIDATION_FAILED'],
      [{ openHours: [{ weekday: 1, open: '18:00', close: '09:00' }] }, 400, 'VALIDATION_FAILED'],
      [{ closedDates: ['2026-13-01'] }, 400, 'VALIDATION_FAILED'],
      [{ type: 'spaceship' }, 400, 'VALIDATION_FAILED'],
      [{ type: 'no_such_type' }, 400, 'VALIDATION_FAILED'],
      [{ lat: null }, 400, 'VALIDATION_FAILED'],
      [{ photoIds: ['not-an-id'] }, 400, 'VALIDATION_FAILED'],
      [{ photoIds: Array.from({ length: 10 }, () => PHOTO) }, 400, 'VALIDATION_FAILED'],
      [{ orgId: t.wucheng }, 400, 'VALIDATION_FAILED'],
      [{ status: 'gone' }, 400, 'VALIDATION_FAILED'],
      [{ quantity: 3 }, 422, 'RULE_VIOLATION'],
      [{ name: '帐篷' }, 409, 'DUPLICATE'],
    ];
    for (const [body, status, code] of cases) {
      const res = await patch(room.id, body);
      expect(res.statusCode, JSON.stringify(body) + res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    expect((await patch(tent.id, { quantity: null })).statusCode).toBe(422);
    expect((await patch(tent.id, { quantity: 12 })).json().quantity).toBe(12);
    expect((await patch(room.id, { name: 'x' }, pcAdmin)).statusCode).toBe(403);
    expect((await patch(room.id, { name: 'x' }, resident)).statusCode).toBe(403);
    // A dispatcher reads the subtree but does not manage it.
    expect((await patch(room.id, { name: 'x' }, dispatcher)).statusCode).toBe(403);
    expect((await patch('0195f7a0-0000-7000-8000-0000000000ff', { name: 'x' })).statusCode).toBe(404);
    const after = (await ctx.request({ method: 'GET', url: `/api/v1/resources/${room.id}`, as: resident })).json();
    expect(after).toMatchObject({ name: '会议室', capacity: null, quantity: null, type: 'meeting_room' });
  });

  it('retiring takes a resource off the library and refuses bookings; staff list and restore it', async () => {
    const r = await create({ name: '书画室', type: 'calligraphy_room', openHours: ALL_DAY, requiresApproval: false });
    expect((await patch(r.id, { status: 'retired' })).json().status).toBe('retired');
    const listed = (await ctx.request({ method: 'GET', url: `/api/v1/resources?orgId=${t.shifanjie}`, as: resident })).json();
    expect(listed.items.map((x: { id: string }) => x.id)).not.toContain(r.id);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/resources/${r.id}`, as: resident })).statusCode).toBe(404);
    expect((await book(r.id, { startsAt: at(date(2), '09:00'), endsAt: at(date(2), '10:00') })).statusCode).toBe(404);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/resources?status=retired', as: resident })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/resources?status=retired', as: pcAdmin })).json().items).toEqual([]);
    const retired = (await ctx.request({ method: 'GET', url: '/api/v1/resources?status=retired', as: manager })).json();
    expect(retired.items.map((x: { id: string }) => x.id)).toEqual([r.id]);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/resources/${r.id}`, as: manager })).statusCode).toBe(200);
    expect((await patch(r.id, { status: 'active' })).json().allowedActions).toContain('book');
    expect((await book(r.id, { startsAt: at(date(2), '09:00'), endsAt: at(date(2), '10:00') })).statusCode).toBe(201);
  });

  it('reports utilisation per resource and per site over a chosen period, scoped', async () => {
    // Open 08:00–12:00 every day: 4 h a day.
    const MORNINGS = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '08:00', close: '12:00' }));
    const org = (
      await ctx.request({ method: 'POST', url: '/api/v1/orgs', payload: { parentId: t.wucheng, level: 'station', name: '利用率测试站' }, as: ctx.admin })
    ).json().id as string;
    const room = await create({ name: '活动室', type: 'activity_room', openHours: MORNINGS, closedDates: [date(-3)] }, org);
    const speakers = await create({ name: '音响', type: 'sound_system', quantity: 2, openHours: MORNINGS }, org);
    const insert = (resourceId: string, startsAt: string, endsAt: string, status: string, quantity = 1, exclusive = true) =>
      ctx.database.raw.query(
        `INSERT INTO bookings (city_code, id, resource_id, user_id, starts_at, ends_at, exclusive, quantity, purpose, status)
         VALUES ('1401', gen_random_uuid(), $1, $2, $3, $4, $5, $6, '测试', $7)`,
        [resourceId, resident.userId, startsAt, endsAt, exclusive, quantity, status],
      );
    const d5 = date(-5);
    const d4 = date(-4);
    await insert(room.id, at(d5, '08:00'), at(d5, '10:00'), 'completed');
    await insert(room.id, at(d4, '09:00'), at(d4, '10:00'), 'no_show');
    await insert(room.id, at(d4, '10:00'), at(d4, '11:00'), 'cancelled');
    // Straddles the window's start: only the part inside counts.
    await insert(room.id, at(date(-6), '11:00'), at(date(-6), '12:00'), 'completed');
    await insert(speakers.id, at(d5, '08:00'), at(d5, '12:00'), 'completed', 2, false);
    const from = d5;
    const to = date(-2); // 4 days, one of them closed for the room
    const res = await ctx.request({ method: 'GET', url: `/api/v1/resources/utilization?orgId=${org}&from=${from}&to=${to}`, as: manager });
    expect(res.statusCode, res.body).toBe(200);
    const u = res.json();
    expect(u).toMatchObject({ from, to, days: 4 });
    const r = u.resources.find((x: { id: string }) => x.id === room.id);
    expect(r).toMatchObject({ openHours: 12, capacityHours: 12, bookedHours: 2, utilization: 0.1667, bookings: 2, noShows: 1 });
    const s = u.resources.find((x: { id: string }) => x.id === speakers.id);
    expect(s).toMatchObject({ openHours: 16, capacityHours: 32, bookedHours: 8, utilization: 0.25, quantity: 2 });
    expect(u.sites).toEqual([
      { orgId: org, orgName: '利用率测试站', resources: 2, capacityHours: 44, bookedHours: 10, utilization: 0.2273, bookings: 3, noShows: 1 },
    ]);
    expect(u).toMatchObject({ capacityHours: 44, bookedHours: 10, utilization: 0.2273 });
    // Scope: another city's admin may not ask for this site; a resident may not ask at all.
    expect((await ctx.request({ method: 'GET', url: `/api/v1/resources/utilization?orgId=${org}&from=${from}&to=${to}`, as: pcAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/resources/utilization?from=${from}&to=${to}`, as: resident })).statusCode).toBe(403);
    const theirs = (await ctx.request({ method: 'GET', url: `/api/v1/resources/utilization?from=${from}&to=${to}`, as: pcAdmin })).json();
    expect(theirs.resources).toEqual([]);
    expect(theirs.utilization).toBeNull();
    // The dispatcher of the subtree reads it too.
    expect(
      (await ctx.request({ method: 'GET', url: `/api/v1/resources/utilization?orgId=${org}&from=${from}&to=${to}`, as: dispatcher })).json().bookedHours,
    ).toBe(10);
    // Bad periods.
    for (const qs of [`from=${to}&to=${from}`, `from=${from}`, 'from=2026-01-01&to=2027-06-01', `from=x&to=${to}`]) {
      const bad = await ctx.request({ method: 'GET', url: `/api/v1/resources/utilization?${qs}`, as: manager });
      expect(bad.statusCode, qs).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('reminds the booker once before an approved slot; not pending ones, not far-off ones', async () => {
    const r = await create({ name: '乒乓球室', type: 'sports_court', openHours: ALL_DAY, requiresApproval: false });
    const soon = await book(r.id, { startsAt: at(date(3), '09:00'), endsAt: at(date(3), '10:00') });
    const later = await book(r.id, { startsAt: at(date(4), '09:00'), endsAt: at(date(4), '10:00') });
    expect(soon.statusCode).toBe(201);
    expect(later.statusCode).toBe(201);
    // Move the first to start in an hour.
    await ctx.database.raw.query(`UPDATE bookings SET starts_at = $2, ends_at = $3 WHERE id = $1`, [soon.json().id, inMinutes(60), inMinutes(120)]);
    const reminded = await ctx.app.modules.resources.remindUpcoming();
    expect(reminded).toBeGreaterThanOrEqual(1);
    expect(await ctx.app.modules.resources.remindUpcoming()).toBe(0);
    const inbox = (await ctx.request({ method: 'GET', url: '/api/v1/notifications', as: resident })).json().items as {
      kind: string;
      refId: string;
      title: string;
    }[];
    const notes = inbox.filter((n) => n.kind === 'booking.reminder');
    expect(notes.map((n) => n.refId)).toEqual([soon.json().id]);
    expect(notes[0]!.title).toMatch(/^预约提醒：乒乓球室 \d\d:\d\d 开始$/);
  });

  it('staff mark a loan returned (completed); bookers then review; lists carry who booked', async () => {
    const r = await create({ name: '投影仪', type: 'projector', quantity: 2, openHours: ALL_DAY, requiresApproval: false });
    const b = (await book(r.id, { startsAt: at(date(2), '09:00'), endsAt: at(date(2), '12:00'), quantity: 1 })).json();
    expect(b.status).toBe('approved');
    // Not before the slot begins; not by the booker.
    expect((await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b.id}/complete`, payload: {}, as: manager })).statusCode).toBe(422);
    await ctx.database.raw.query(`UPDATE bookings SET starts_at = $2, ends_at = $3 WHERE id = $1`, [b.id, inMinutes(-60), inMinutes(60)]);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b.id}/complete`, payload: {}, as: resident })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b.id}/complete`, payload: {}, as: pcAdmin })).statusCode).toBe(403);
    const staffView = (await ctx.request({ method: 'GET', url: `/api/v1/bookings/${b.id}`, as: manager })).json();
    expect(staffView.allowedActions).toContain('complete');
    expect(staffView.userName).toBe('居民');
    expect(staffView.userPhone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(staffView.orgName).toBe('师范街社区新时代文明实践站');
    const done = await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b.id}/complete`, payload: {}, as: manager });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('completed');
    expect((await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b.id}/complete`, payload: {}, as: manager })).statusCode).toBe(409);
    const mine = (await ctx.request({ method: 'GET', url: `/api/v1/bookings/${b.id}`, as: resident })).json();
    expect(mine).toMatchObject({ allowedActions: ['review'], reviewScore: null, userPhone: resident.phone });
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/bookings/${b.id}/review`, payload: { score: 4, comment: '好用' }, as: resident })).statusCode,
    ).toBe(201);
    const reviewed = (await ctx.request({ method: 'GET', url: `/api/v1/bookings/${b.id}`, as: resident })).json();
    expect(reviewed).toMatchObject({ reviewScore: 4, allowedActions: [] });
    // The week view of the subtree: the staff's list by time range.
    const week = (
      await ctx.request({
        method: 'GET',
        url: `/api/v1/bookings?orgId=${t.wucheng}&from=${encodeURIComponent(at(date(-1), '00:00'))}&to=${encodeURIComponent(at(date(6), '00:00'))}`,
        as: dispatcher,
      })
    ).json();
    expect(week.items.some((x: { id: string; userName: string }) => x.id === b.id && x.userName === '居民')).toBe(true);
  });
});
