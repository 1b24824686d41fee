import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTime, zonedInstant } from '@wenming/domain';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';

/**
 * Idempotency-Key on the routes that claim the key in the request's own transaction (every keyed
 * POST but POST /orders and the multipart ones): the claim, the writes and the stored answer
 * commit together or not at all (plugins/idempotency.ts, db/ambient.ts). Bookings, sign-ups and
 * redemptions, as API.md names them: replay, another body, racing twins, a failed write.
 */
const TZ = 'Asia/Shanghai';
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
const dayAhead = (n: number) => localTime(new Date(testNow().getTime() + n * 86_400_000), TZ).date;
const at = (date: string, hhmm: string) => zonedInstant(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), TZ).toISOString();
const inMinutes = (m: number) => new Date(testNow().getTime() + m * 60_000).toISOString();

describe.each(DATABASES)('Idempotency-Key in the request’s transaction on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let manager: Caller;
  let second: Caller;
  let resource: string;
  let activity: string;
  let reward: string;

  const count = async (sql: string, params: unknown[] = []) => (await ctx.database.raw.query<{ n: number }>(sql, params))[0]!.n;
  const keys = async (key: string) =>
    (
      await ctx.database.raw.query<{ n: number; answered: number }>(
        'SELECT count(*)::int AS n, count(status_code)::int AS answered FROM idempotency_keys WHERE key = $1',
        [key],
      )
    )[0]!;
  const post = (url: string, payload: object, as: Caller, key: string) =>
    ctx.request({ method: 'POST', url, payload, as, headers: { 'idempotency-key': key } });
  const book = (as: Caller, key: string, date: string, from = '09:00', to = '10:00', purpose = '广场舞排练') =>
    post(`/api/v1/resources/${resource}/bookings`, { purpose, startsAt: at(date, from), endsAt: at(date, to) }, as, key);
  const bookings = (userId: string) => count('SELECT count(*)::int AS n FROM bookings WHERE user_id = $1', [userId]);
  const signup = (as: Caller, key: string, role = 'volunteer') => post(`/api/v1/activities/${activity}/signups`, { role }, as, key);
  const signups = (userId: string) => count('SELECT count(*)::int AS n FROM activity_signups WHERE user_id = $1', [userId]);
  const redeem = (as: Caller, key: string, quantity = 1) => post(`/api/v1/rewards/${reward}/redeem`, { quantity }, as, key);
  const redemptions = (userId: string) => count('SELECT count(*)::int AS n FROM redemptions WHERE user_id = $1', [userId]);
  const balance = async (u: Caller) => (await ctx.request({ method: 'GET', url: '/api/v1/points/me', as: u })).json().balance as number;

  async function grant(user: Caller, delta: number) {
    const req = await ctx.request({
      method: 'POST',
      url: '/api/v1/points/adjustments',
      payload: { userId: user.userId, orgId: t.shifanjie, delta, reason: '垃圾分类积极分子' },
      as: manager,
    });
    expect(req.statusCode, req.body).toBe(201);
    const ok = await ctx.request({ method: 'POST', url: `/api/v1/points/adjustments/${req.json().id}/approve`, payload: {}, as: second });
    expect(ok.statusCode, ok.body).toBe(200);
  }

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    manager = await staff(ctx, 'org_admin', t.wucheng, '坞城所管理员');
    second = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    const r = await ctx.request({
      method: 'POST',
      url: '/api/v1/resources',
      payload: { orgId: t.shifanjie, bookable: true, name: '多功能室', type: 'multi_room', openHours: ALL_DAY, requiresApproval: false },
      as: manager,
    });
    expect(r.statusCode, r.body).toBe(201);
    resource = r.json().id;
    const a = await ctx.request({
      method: 'POST',
      url: '/api/v1/activities',
      payload: {
        orgId: t.shifanjie,
        title: '社区义诊进万家',
        category: 'health',
        startsAt: inMinutes(60),
        endsAt: inMinutes(180),
        signupDeadline: inMinutes(50),
        volunteerQuota: 20,
        publicQuota: 20,
      },
      as: manager,
    });
    expect(a.statusCode, a.body).toBe(201);
    activity = a.json().id;
    expect((await ctx.request({ method: 'POST', url: `/api/v1/activities/${activity}/publish`, payload: {}, as: manager })).statusCode).toBe(200);
    const w = await ctx.request({ method: 'POST', url: '/api/v1/rewards', payload: { orgId: t.shifanjie, name: '食用油', cost: 10, stock: 50 }, as: manager });
    expect(w.statusCode, w.body).toBe(201);
    reward = w.json().id;
  });
  afterAll(async () => {
    // No key is ever left claimed without its answer.
    if (ctx) expect(await count('SELECT count(*)::int AS n FROM idempotency_keys WHERE status_code IS NULL')).toBe(0);
    await ctx?.close();
  });

  it('booking: replays the committed answer; another body under the key is 409; one booking', async () => {
    const resident = await ctx.register('预约居民');
    const d = dayAhead(2);
    const first = await book(resident, 'b-1', d);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await keys('b-1')).toEqual({ n: 1, answered: 1 });
    const again = await book(resident, 'b-1', d);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await book(resident, 'b-1', d, '11:00', '12:00');
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await bookings(resident.userId)).toBe(1);
  });

  it('booking: of racing twins under one key exactly one books, and every twin gets its answer', async () => {
    const resident = await ctx.register('预约居民');
    const d = dayAhead(3);
    const twins = await Promise.all(Array.from({ length: 8 }, () => book(resident, 'b-2', d)));
    expect(twins.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    expect(new Set(twins.map((r) => r.json().id)).size).toBe(1);
    expect(twins.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(7);
    expect(await bookings(resident.userId)).toBe(1);
  });

  it('booking: a refusal (the slot is taken) is the stored answer of its key, and the service’s failed step leaves the request’s transaction usable', async () => {
    const [a, b] = [await ctx.register('甲'), await ctx.register('乙')];
    const d = dayAhead(4);
    expect((await book(a, 'b-3', d)).statusCode).toBe(201);
    // The exclusion constraint fails inside the service's savepoint: 409, stored, replayed.
    const taken = await book(b, 'b-4', d);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('BOOKING_CONFLICT');
    expect(await keys('b-4')).toEqual({ n: 1, answered: 1 });
    const replay = await book(b, 'b-4', d);
    expect(replay.statusCode).toBe(409);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await bookings(b.userId)).toBe(0);
  });

  it('sign-up: replay, 409 for another body, racing twins sign up once', async () => {
    const v = await volunteer(ctx, t.shifanjie, { name: '报名志愿者' });
    const first = await signup(v, 's-1');
    expect(first.statusCode, first.body).toBe(201);
    const again = await signup(v, 's-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await signup(v, 's-1', 'resident');
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await signups(v.userId)).toBe(1);

    const resident = await ctx.register('报名居民');
    const twins = await Promise.all(Array.from({ length: 8 }, () => signup(resident, 's-2', 'resident')));
    expect(twins.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    expect(new Set(twins.map((r) => r.json().id)).size).toBe(1);
    expect(await signups(resident.userId)).toBe(1);
    // A second sign-up under a new key is refused by the once-only rule, and that refusal is its answer.
    const dup = await signup(resident, 's-3', 'resident');
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('DUPLICATE');
    expect((await signup(resident, 's-3', 'resident')).headers['idempotent-replayed']).toBe('true');
  });

  it('redemption: racing twins debit the points once and all get the same pick-up code; another quantity is 409', async () => {
    const resident = await ctx.register('兑换居民');
    await grant(resident, 100);
    const twins = await Promise.all(Array.from({ length: 8 }, () => redeem(resident, 'r-1')));
    expect(twins.map((r) => r.statusCode)).toEqual(Array(8).fill(twins[0]!.statusCode));
    expect(twins[0]!.statusCode, twins[0]!.body).toBeLessThan(300);
    expect(new Set(twins.map((r) => r.json().pickupCode)).size).toBe(1);
    expect(await redemptions(resident.userId)).toBe(1);
    expect(await balance(resident)).toBe(90);
    const other = await redeem(resident, 'r-1', 2);
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await balance(resident)).toBe(90);
  });

  it('a write that fails after the service’s own transaction leaves nothing: no key, no row, no points gone; the retry runs once', async () => {
    // The answer cannot be stored (a trigger refuses it): the request fails with 500 after the
    // service's transaction finished. Before, that transaction had committed and the key was
    // deleted, so a retry redeemed twice; now the redemption, the debit and the key roll back together.
    await ctx.database.raw.exec(`
      CREATE FUNCTION idem_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.key LIKE 'fail-%' AND NEW.status_code IS NOT NULL THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER idem_test_refuse BEFORE UPDATE ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION idem_test_refuse();`);
    const resident = await ctx.register('失败重试居民');
    await grant(resident, 50);
    const d = dayAhead(5);
    try {
      const failed = await redeem(resident, 'fail-r');
      expect(failed.statusCode).toBe(500);
      const failedBooking = await book(resident, 'fail-b', d);
      expect(failedBooking.statusCode).toBe(500);
      const failedSignup = await signup(resident, 'fail-s', 'resident');
      expect(failedSignup.statusCode).toBe(500);
      expect(await keys('fail-r')).toEqual({ n: 0, answered: 0 });
      expect(await keys('fail-b')).toEqual({ n: 0, answered: 0 });
      expect(await keys('fail-s')).toEqual({ n: 0, answered: 0 });
      expect(await redemptions(resident.userId)).toBe(0);
      expect(await bookings(resident.userId)).toBe(0);
      expect(await signups(resident.userId)).toBe(0);
      expect(await balance(resident)).toBe(50);
    } finally {
      await ctx.database.raw.exec('DROP TRIGGER idem_test_refuse ON idempotency_keys; DROP FUNCTION idem_test_refuse();');
    }
    // The retries with the same keys run, once each.
    const retries = [await redeem(resident, 'fail-r'), await book(resident, 'fail-b', d), await signup(resident, 'fail-s', 'resident')];
    for (const r of retries) {
      expect(r.statusCode, r.body).toBeLessThan(300);
      expect(r.headers['idempotent-replayed']).toBeUndefined();
    }
    expect(await redemptions(resident.userId)).toBe(1);
    expect(await bookings(resident.userId)).toBe(1);
    expect(await signups(resident.userId)).toBe(1);
    expect(await balance(resident)).toBe(40);
    expect((await redeem(resident, 'fail-r')).headers['idempotent-replayed']).toBe('true');
  });

  it('the other creates the web app sends with a key (a weekly activity series, a pairing resident) replay their committed answer', async () => {
    const series = {
      orgId: t.shifanjie,
      title: '每周太极拳',
      category: 'health',
      startsAt: inMinutes(24 * 60),
      endsAt: inMinutes(24 * 60 + 90),
      volunteerQuota: 2,
      repeatWeeks: 4,
    };
    const first = await post('/api/v1/activities', series, manager, 'a-1');
    expect(first.statusCode, first.body).toBe(201);
    const again = await post('/api/v1/activities', series, manager, 'a-1');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await count("SELECT count(*)::int AS n FROM activities WHERE title = '每周太极拳'")).toBe(4);

    const person = { orgId: t.shifanjie, name: '独居老人王大爷', address: '师范街3号' };
    const twins = await Promise.all(Array.from({ length: 4 }, () => post('/api/v1/pairing/residents', person, manager, 'p-1')));
    expect(twins.map((r) => r.statusCode)).toEqual(Array(4).fill(twins[0]!.statusCode));
    expect(twins[0]!.statusCode, twins[0]!.body).toBe(201);
    expect(new Set(twins.map((r) => r.json().id)).size).toBe(1);
  });

  it('requests without a key are untouched: each runs on its own', async () => {
    const resident = await ctx.register('无键居民');
    const d = dayAhead(6);
    const plain = () =>
      ctx.request({
        method: 'POST',
        url: `/api/v1/resources/${resource}/bookings`,
        payload: { purpose: '无键预约', startsAt: at(d, '14:00'), endsAt: at(d, '15:00') },
        as: resident,
      });
    expect((await plain()).statusCode).toBe(201);
    expect((await plain()).statusCode).toBe(409);
    expect(await bookings(resident.userId)).toBe(1);
  });
});
