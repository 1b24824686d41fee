/**
 * Scoping rules closed for issue 15 (item 12 and the Low list), each on both databases:
 * points deductions only of the org's own people and of points they hold from its subtree; user
 * look-ups within the caller's subtree; an activity's team and resource, and a service item's
 * teams, from the site's own line of the tree; manual hour records only for the caller's own
 * volunteers; bookings authorize before they look at state or time; multipart routes document
 * their body; rich text keeps only the platform's own pictures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(Math.floor((testNow().getTime() + ms) / HOUR) * HOUR).toISOString();

describe.each(DATABASES)('authorization scoping (issue 15) on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let xdAdmin: Caller; // 小店区, asks
  let xdAdmin2: Caller; // 小店区, approves
  let wblAdmin: Caller; // 万柏林区, asks
  let wblAdmin2: Caller; // 万柏林区, approves

  const req = (method: string, url: string, as: Caller | null, payload?: unknown) =>
    ctx.request({ method: method, url: `/api/v1${url}`, payload: payload as object, as });

  /** An adjustment asked for by one admin and decided by the other; returns the approval's answer. */
  async function adjust(asker: Caller, approver: Caller, orgId: string, userId: string, delta: number) {
    const asked = await req('POST', '/points/adjustments', asker, { userId, orgId, delta, reason: '调整' });
    if (asked.statusCode !== 201) return asked;
    return req('POST', `/points/adjustments/${asked.json<{ id: string }>().id}/approve`, approver, {});
  }
  const balance = async (who: Caller) => (await req('GET', '/points/me', who)).json<{ balance: number }>().balance;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    xdAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店甲');
    xdAdmin2 = await staff(ctx, 'org_admin', t.xiaodian, '小店乙');
    wblAdmin = await staff(ctx, 'org_admin', t.wanbailin, '万柏林甲');
    wblAdmin2 = await staff(ctx, 'org_admin', t.wanbailin, '万柏林乙');
  });
  afterAll(() => ctx?.close());

  it('item 12: an org deducts only points its own people hold from its subtree', async () => {
    // A volunteer of 万柏林 who earned 100 points there, and 20 at 小店 (a credit may reward anyone).
    const v = await volunteer(ctx, t.xiaojingyu, { name: '万柏林志愿者' });
    expect((await adjust(wblAdmin, wblAdmin2, t.xiaojingyu, v.userId, 100)).statusCode).toBe(200);
    expect((await adjust(xdAdmin, xdAdmin2, t.shifanjie, v.userId, 20)).statusCode).toBe(200);
    expect(await balance(v)).toBe(120);
    // 小店 may take back its own 20, never the 100 earned in 万柏林.
    const tooMuch = await req('POST', '/points/adjustments', xdAdmin, { userId: v.userId, orgId: t.xiaodian, delta: -50, reason: '扣减' });
    expect(tooMuch.statusCode, tooMuch.body).toBe(422);
    expect(tooMuch.json().error.code).toBe('INSUFFICIENT_POINTS');
    expect((await adjust(xdAdmin, xdAdmin2, t.xiaodian, v.userId, -20)).statusCode).toBe(200);
    expect(await balance(v)).toBe(100);
    // A resident with no tie to 小店 (points only from 万柏林): no deduction at all.
    const r = await ctx.register('万柏林居民');
    expect((await adjust(wblAdmin, wblAdmin2, t.wanbailin, r.userId, 30)).statusCode).toBe(200);
    const stranger = await req('POST', '/points/adjustments', xdAdmin, { userId: r.userId, orgId: t.xiaodian, delta: -1, reason: '扣减' });
    expect(stranger.statusCode, stranger.body).toBe(403);
    // A volunteer reported in at 小店 with points only from elsewhere: related, but nothing of 小店's to take.
    const xv = await volunteer(ctx, t.shifanjie, { name: '小店志愿者' });
    expect((await adjust(wblAdmin, wblAdmin2, t.wanbailin, xv.userId, 40)).statusCode).toBe(200);
    expect((await req('POST', '/points/adjustments', xdAdmin, { userId: xv.userId, orgId: t.xiaodian, delta: -1, reason: '扣减' })).statusCode).toBe(422);
    expect(await balance(xv)).toBe(40);
    // The city (admin) still corrects anything.
    expect((await adjust(ctx.admin, wblAdmin, t.wanbailin, r.userId, -30)).statusCode).toBe(200);
  });

  it('item 12: two deductions approved at once cannot both spend the same points of the subtree', async () => {
    const v = await volunteer(ctx, t.shifanjie, { name: '并发志愿者' });
    expect((await adjust(wblAdmin, wblAdmin2, t.wanbailin, v.userId, 100)).statusCode).toBe(200);
    expect((await adjust(xdAdmin, xdAdmin2, t.shifanjie, v.userId, 10)).statusCode).toBe(200);
    // Each asks for all 10 of 小店's points; both are pending before either is approved.
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const asked = await req('POST', '/points/adjustments', xdAdmin, { userId: v.userId, orgId: t.shifanjie, delta: -10, reason: `冲正${i}` });
      expect(asked.statusCode, asked.body).toBe(201);
      ids.push(asked.json<{ id: string }>().id);
    }
    const answers = await Promise.all(ids.map((id) => req('POST', `/points/adjustments/${id}/approve`, xdAdmin2, {})));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 422, 422, 422]);
    expect(await balance(v)).toBe(100);
  });

  it("GET /users/{id}: people of the caller's subtree, unattached accounts, never another district's", async () => {
    const wblVolunteer = await volunteer(ctx, t.xiaojingyu, { name: '万柏林人' });
    const xdVolunteer = await volunteer(ctx, t.shifanjie, { name: '小店人' });
    const wblStaff = await ctx.register('万柏林调度');
    expect((await req('POST', `/users/${wblStaff.userId}/roles`, ctx.admin, { role: 'dispatcher', orgId: t.xiaojingyu })).statusCode).toBe(201);
    const fresh = await ctx.register('新账号');
    expect((await req('GET', `/users/${wblVolunteer.userId}`, xdAdmin)).statusCode).toBe(403);
    expect((await req('GET', `/users/${wblStaff.userId}`, xdAdmin)).statusCode).toBe(403);
    expect((await req('GET', `/users/${xdVolunteer.userId}`, xdAdmin)).statusCode).toBe(200);
    expect((await req('GET', `/users/${fresh.userId}`, xdAdmin)).statusCode).toBe(200);
    expect((await req('GET', `/users/${wblStaff.userId}`, wblAdmin)).statusCode).toBe(200);
    expect((await req('GET', `/users/${wblStaff.userId}`, ctx.admin)).statusCode).toBe(200);
    // Once given a role in 小店, the fresh account is 小店's and no longer 万柏林's to read.
    expect((await req('POST', `/users/${fresh.userId}/roles`, xdAdmin, { role: 'dispatcher', orgId: t.wucheng })).statusCode).toBe(201);
    expect((await req('GET', `/users/${fresh.userId}`, wblAdmin)).statusCode).toBe(403);
    expect((await req('GET', '/users/7d0f6a2e-1b3c-4d5e-8f90-a1b2c3d4e5f6', xdAdmin)).statusCode).toBe(404);
  });

  it("activities take a team and a resource of the site's own line only, and a resource that exists", async () => {
    const leader = await volunteer(ctx, t.xiaojingyu, { name: '万柏林队长' });
    const wblTeam = await req('POST', '/teams', wblAdmin, {
      orgId: t.xiaojingyu,
      name: '小井峪服务队',
      tier: 'unit',
      type: 'social',
      category: 'health',
      leaderUserId: leader.userId,
    });
    expect(wblTeam.statusCode, wblTeam.body).toBe(201);
    const xdTeam = await req('POST', '/teams', xdAdmin, { orgId: t.xiaodian, name: '小店区服务总队', tier: 'corps', type: 'social', category: 'health' });
    expect(xdTeam.statusCode, xdTeam.body).toBe(201);
    const types = (await req('GET', '/resource-types', null)).json<{ code: string }[]>();
    const wblRoom = await req('POST', '/resources', wblAdmin, { orgId: t.xiaojingyu, name: '小井峪活动室', type: types[0]!.code, bookable: false });
    expect(wblRoom.statusCode, wblRoom.body).toBe(201);
    const activity = (extra: Record<string, unknown>) =>
      req('POST', '/activities', xdAdmin, {
        orgId: t.shifanjie,
        title: '义诊',
        category: 'health',
        startsAt: at(3 * DAY),
        endsAt: at(3 * DAY + 2 * HOUR),
        volunteerQuota: 3,
        ...extra,
      });
    expect((await activity({ teamId: wblTeam.json().id })).statusCode).toBe(422);
    expect((await activity({ resourceId: wblRoom.json().id })).statusCode).toBe(422);
    expect((await activity({ resourceId: '7d0f6a2e-1b3c-4d5e-8f90-a1b2c3d4e5f6' })).statusCode).toBe(404);
    // The district's own corps (a site above 师范街) is fine.
    const ok = await activity({ teamId: xdTeam.json().id });
    expect(ok.statusCode, ok.body).toBe(201);
    // Service items: the same rule for the teams that provide them.
    const item = (teamIds: string[]) =>
      req('POST', '/service-items', xdAdmin, { orgId: t.shifanjie, name: `上门理发${teamIds.length}`, category: 'health', teamIds });
    expect((await item([wblTeam.json().id])).statusCode).toBe(422);
    expect((await item([xdTeam.json().id])).statusCode).toBe(201);
  });

  it("manual hour records only for the caller's own volunteers", async () => {
    const wblVolunteer = await volunteer(ctx, t.xiaojingyu, { name: '万柏林志愿者乙' });
    const xdVolunteer = await volunteer(ctx, t.shifanjie, { name: '小店志愿者乙' });
    const body = (volunteerId: string) => ({
      volunteerId,
      orgId: t.shifanjie,
      hours: 2,
      startedAt: at(-2 * DAY),
      endedAt: at(-2 * DAY + 2 * HOUR),
      title: '社区清扫',
    });
    expect((await req('POST', '/service-records', xdAdmin, body(wblVolunteer.volunteerId))).statusCode).toBe(403);
    const ok = await req('POST', '/service-records', xdAdmin, body(xdVolunteer.volunteerId));
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('bookings: a stranger gets 403 for check-in, complete and cancel, whatever the state or time', async () => {
    const types = (await req('GET', '/resource-types', null)).json<{ code: string }[]>();
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
    const room = await req('POST', '/resources', xdAdmin, {
      orgId: t.shifanjie,
      name: '多功能厅',
      type: types[0]!.code,
      bookable: true,
      requiresApproval: false,
      openHours: allDay,
    });
    expect(room.statusCode, room.body).toBe(201);
    const booker = await ctx.register('预约人');
    const stranger = await ctx.register('路人');
    // Approved (no approval needed), tomorrow: too early to check in (422) or complete (422) for those allowed.
    const booking = await req('POST', `/resources/${room.json().id}/bookings`, booker, { startsAt: at(DAY), endsAt: at(DAY + HOUR), purpose: '排练' });
    expect(booking.statusCode, booking.body).toBe(201);
    const id = booking.json<{ id: string }>().id;
    for (const action of ['checkin', 'complete', 'cancel']) {
      expect((await req('POST', `/bookings/${id}/${action}`, stranger, {})).statusCode, action).toBe(403);
      expect((await req('POST', `/bookings/${id}/${action}`, wblAdmin, {})).statusCode, action).toBe(403);
    }
    expect((await req('POST', `/bookings/${id}/checkin`, booker, {})).statusCode).toBe(422);
    expect((await req('POST', `/bookings/${id}/complete`, booker, {})).statusCode).toBe(403);
    expect((await req('POST', `/bookings/${id}/complete`, xdAdmin, {})).statusCode).toBe(422);
    expect((await req('POST', `/bookings/${id}/cancel`, booker, {})).statusCode).toBe(200);
    // Cancelled: the booker hears 409, a stranger still only 403.
    expect((await req('POST', `/bookings/${id}/cancel`, booker, {})).statusCode).toBe(409);
    expect((await req('POST', `/bookings/${id}/cancel`, stranger, {})).statusCode).toBe(403);
  });

  it('the multipart routes document their body; rich text keeps only our own pictures', async () => {
    const doc = (await req('GET', '/openapi.json', null)).json<{
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>>;
    }>();
    for (const path of ['/api/v1/uploads', '/api/v1/volunteers/imports']) {
      const body = doc.paths[path]!.post!.requestBody;
      expect(body?.content['multipart/form-data']?.schema.required, path).toEqual(['file']);
    }
    const created = await req('POST', '/contents', xdAdmin, {
      orgId: t.xiaodian,
      kind: 'news',
      title: '活动回顾',
      bodyHtml: '<p>正文</p><img src="https://tracker.example/p.gif?u=1"><img src="/api/v1/uploads/0190f1a2-0000-7000-8000-000000000000">',
    });
    expect(created.statusCode, created.body).toBe(201);
    const html = (await req('GET', `/contents/${created.json().id}`, xdAdmin)).json<{ bodyHtml: string }>().bodyHtml;
    expect(html).not.toContain('tracker.example');
    expect(html).toContain('/api/v1/uploads/0190f1a2-0000-7000-8000-000000000000');
  });
});
