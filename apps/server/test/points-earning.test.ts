import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { loadConfig } from '../src/config.ts';

const inMinutes = (m: number) => new Date(testNow().getTime() + m * 60_000).toISOString();

describe.each(DATABASES)('earning rules, expiry and reconciliation on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let xdAdmin: Caller;
  let wcAdmin: Caller;
  let wcDispatcher: Caller;
  let pcAdmin: Caller;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    xdAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    wcAdmin = await staff(ctx, 'org_admin', t.wucheng, '坞城所管理员');
    wcDispatcher = await staff(ctx, 'dispatcher', t.wucheng, '坞城调度员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng, '平城区管理员');
  });
  afterAll(() => ctx.close());

  const rules = (orgId: string, as: Caller) => ctx.request({ method: 'GET', url: `/api/v1/points/rules?orgId=${orgId}`, as });
  const setRules = (payload: object, as: Caller) => ctx.request({ method: 'PUT', url: '/api/v1/points/rules', payload, as });
  const me = async (u: Caller) => (await ctx.request({ method: 'GET', url: '/api/v1/points/me', as: u })).json();
  const verify = (id: string, as: Caller) => ctx.request({ method: 'POST', url: `/api/v1/service-records/${id}/verify`, payload: {}, as });
  const recordsOf = async (v: Caller & { volunteerId: string }) =>
    (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}/records`, as: v })).json().items as {
      id: string;
      source: string;
      sourceId: string;
      status: string;
    }[];

  it('sets the rules per site, inherited down the tree, and shows where each value comes from', async () => {
    // Defaults before anyone sets anything.
    const d = await rules(t.shifanjie, wcAdmin);
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({
      orgId: t.shifanjie,
      own: { pointsPerHour: null, pointsPerActivity: null, fiveStarBonus: null, pointsPerPairingVisit: null },
      effective: { pointsPerHour: 10, pointsPerActivity: 0, fiveStarBonus: 0, pointsPerPairingVisit: 0 },
      from: { pointsPerHour: null },
      canEdit: true,
    });

    const set = await setRules({ orgId: t.xiaodian, pointsPerHour: 12, pointsPerActivity: 5, fiveStarBonus: 20, pointsPerPairingVisit: 8 }, xdAdmin);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ pointsPerHour: 12, effective: 12, rules: { own: { pointsPerActivity: 5 } } });
    // The institute overrides one rule; the rest are inherited from the district.
    expect((await setRules({ orgId: t.wucheng, pointsPerActivity: 6 }, wcAdmin)).statusCode).toBe(200);
    const below = (await rules(t.shifanjie, wcDispatcher)).json();
    expect(below.effective).toEqual({ pointsPerHour: 12, pointsPerActivity: 6, fiveStarBonus: 20, pointsPerPairingVisit: 8 });
    expect(below.from.pointsPerHour).toMatchObject({ orgId: t.xiaodian });
    expect(below.from.pointsPerActivity).toMatchObject({ orgId: t.wucheng, orgName: '坞城街道新时代文明实践所' });
    expect(below.canEdit).toBe(false); // a dispatcher reads, does not edit
    // Leaving a rule out keeps it; null goes back to inheriting.
    expect((await setRules({ orgId: t.wucheng, pointsPerHour: 15 }, wcAdmin)).json().rules.own).toMatchObject({ pointsPerHour: 15, pointsPerActivity: 6 });
    expect((await setRules({ orgId: t.wucheng, pointsPerHour: null }, wcAdmin)).json()).toMatchObject({ pointsPerHour: null, effective: 12 });

    // Bad input and scope.
    for (const bad of [
      { orgId: t.wucheng },
      { orgId: t.wucheng, pointsPerActivity: -1 },
      { orgId: t.wucheng, fiveStarBonus: 1001 },
      { orgId: t.wucheng, pointsPerHour: 1.5 },
      { orgId: 'x', pointsPerHour: 1 },
    ]) {
      const res = await setRules(bad, wcAdmin);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await setRules({ orgId: t.wucheng, pointsPerActivity: 1 }, wcDispatcher)).statusCode).toBe(403);
    expect((await setRules({ orgId: t.wucheng, pointsPerActivity: 1 }, pcAdmin)).statusCode).toBe(403);
    expect((await rules(t.wucheng, pcAdmin)).statusCode).toBe(403);
    expect((await rules(t.wucheng, await ctx.register())).statusCode).toBe(403);
    expect((await rules(crypto.randomUUID(), wcAdmin)).statusCode).toBe(404);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/points/rules', as: wcAdmin })).statusCode).toBe(400);
  });

  it('credits an attended activity and a 5-star rating once each, beside the hours, and reverses them on revoke', async () => {
    const vol = await volunteer(ctx, t.shifanjie, { name: '活动积分志愿者', skills: ['health'], lat: 37.8, lng: 112.56 });
    // An activity at the station: signed up, attendance recorded, finished, the record verified.
    const created = await ctx.request({
      method: 'POST',
      url: '/api/v1/activities',
      payload: {
        orgId: t.shifanjie,
        title: '社区义诊',
        category: 'health',
        startsAt: inMinutes(-70),
        endsAt: inMinutes(50),
        signupDeadline: inMinutes(30),
        volunteerQuota: 3,
        publicQuota: 0,
      },
      as: wcAdmin,
    });
    expect(created.statusCode, created.body).toBe(201);
    const actId = created.json().id as string;
    await ctx.request({ method: 'POST', url: `/api/v1/activities/${actId}/publish`, payload: {}, as: wcAdmin });
    const su = await ctx.request({ method: 'POST', url: `/api/v1/activities/${actId}/signups`, payload: { role: 'volunteer' }, as: vol });
    expect(su.statusCode, su.body).toBe(201);
    const act = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${actId}`, as: wcAdmin })).json();
    const att = await ctx.request({
      method: 'POST',
      url: `/api/v1/activities/${actId}/attendance`,
      payload: { signupId: su.json().id, checkinAt: act.startsAt, checkoutAt: inMinutes(-10), reason: '现场登记' },
      as: wcAdmin,
    });
    expect(att.statusCode, att.body).toBe(200);
    const fin = await ctx.request({
      method: 'POST',
      url: `/api/v1/activities/${actId}/finish`,
      payload: { overrides: [{ signupId: su.json().id, reason: '提前结束' }] },
      as: wcAdmin,
    });
    expect(fin.statusCode, fin.body).toBe(200);
    const rec = (await recordsOf(vol)).find((r) => r.source === 'activity')!;
    // Ten verifications at once: one succeeds, the credits are written once.
    const results = await Promise.all(Array.from({ length: 10 }, () => verify(rec.id, wcAdmin)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    const after = await me(vol);
    const byReason = (reason: string) => after.items.filter((i: { reason: string }) => i.reason === reason);
    expect(byReason('activity_attendance')).toEqual([expect.objectContaining({ delta: 6, refType: 'activity', refId: actId })]); // the institute's 6
    expect(byReason('service_hours')).toEqual([expect.objectContaining({ delta: 12 })]); // 1 h × the district's 12
    expect(after.balance).toBe(18);

    // An order served by the volunteer and rated 5 stars: the district's bonus, once.
    const resident = await ctx.register('评分居民');
    const o = (
      await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content: '想请医生上门量血压', orgId: t.shifanjie }, as: resident })
    ).json();
    const step = (action: string, as: Caller, payload: object = {}) => ctx.request({ method: 'POST', url: `/api/v1/orders/${o.id}/${action}`, payload, as });
    expect((await step('dispatch', ctx.admin, { volunteerId: vol.volunteerId })).statusCode).toBe(200);
    expect((await step('accept', vol)).statusCode).toBe(200);
    expect((await step('start', vol)).statusCode).toBe(200);
    expect((await step('complete', vol, { report: '量了血压', hours: 1 })).statusCode).toBe(200);
    const rated = await step('rate', resident, { score: 5, comment: '很好' });
    expect(rated.statusCode, rated.body).toBe(200);
    expect((await step('rate', resident, { score: 5 })).statusCode).toBe(409);
    const bonus = (await me(vol)).items.filter((i: { reason: string }) => i.reason === 'five_star_bonus');
    expect(bonus).toEqual([expect.objectContaining({ delta: 20, refType: 'order', refId: o.id })]);
    expect((await me(vol)).balance).toBe(38);

    // Revoking the activity record takes back exactly what it credited (hours and attendance).
    const revoked = await ctx.request({ method: 'POST', url: `/api/v1/service-records/${rec.id}/revoke`, payload: { reason: '重复登记' }, as: wcAdmin });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const end = await me(vol);
    expect(end.balance).toBe(20);
    expect(end.items.map((i: { reason: string }) => i.reason)).toEqual(expect.arrayContaining(['service_hours_revoked', 'activity_attendance_revoked']));
    expect((await ctx.app.modules.points.reconcile()).ok).toBe(true);
  });

  it('credits a verified pairing visit once, and nothing for ratings below 5', async () => {
    const vol = await volunteer(ctx, t.shifanjie, { name: '结对志愿者' });
    const recId = crypto.randomUUID();
    // Pairing visits (结对帮扶) arrive as pending service records of source "pairing".
    await ctx.database.raw.query(
      `INSERT INTO service_records (city_code, id, volunteer_id, org_id, source_type, source_id, hours, title) VALUES ('1401', $1, $2, $3, 'pairing', $4, 0.5, '走访独居老人')`,
      [recId, vol.volunteerId, t.shifanjie, crypto.randomUUID()],
    );
    expect((await verify(recId, wcAdmin)).statusCode).toBe(200);
    const items = (await me(vol)).items;
    expect(items.filter((i: { reason: string }) => i.reason === 'pairing_visit')).toEqual([
      expect.objectContaining({ delta: 8, refType: 'service_record', refId: recId }),
    ]);
    expect((await me(vol)).balance).toBe(6 + 8); // 0.5 h × 12, plus the visit

    const resident = await ctx.register();
    const o = (await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content: '帮忙修水管', orgId: t.shifanjie }, as: resident })).json();
    const step = (action: string, as: Caller, payload: object = {}) => ctx.request({ method: 'POST', url: `/api/v1/orders/${o.id}/${action}`, payload, as });
    await step('dispatch', ctx.admin, { volunteerId: vol.volunteerId });
    await step('accept', vol);
    await step('start', vol);
    await step('complete', vol, { report: '修好了', hours: 1 });
    expect((await step('rate', resident, { score: 4 })).statusCode).toBe(200);
    expect((await me(vol)).items.some((i: { reason: string }) => i.reason === 'five_star_bonus')).toBe(false);
  });

  it('expires points first in, first out, keeping balance = sum(ledger); reconciliation proves it', async () => {
    const u = await ctx.register('过期测试');
    // 100 earned 30 months ago, 40 spent since, 50 earned last month.
    const grant = async (delta: number) => {
      const req = await ctx.request({
        method: 'POST',
        url: '/api/v1/points/adjustments',
        payload: { userId: u.userId, orgId: t.shifanjie, delta, reason: '垃圾分类' },
        as: wcAdmin,
      });
      expect(req.statusCode, req.body).toBe(201);
      expect((await ctx.request({ method: 'POST', url: `/api/v1/points/adjustments/${req.json().id}/approve`, payload: {}, as: xdAdmin })).statusCode).toBe(
        200,
      );
      return req.json().id as string;
    };
    const old = await grant(100);
    // Back-dated from the app's clock, which draws the expiry cut-off (not PostgreSQL's now()).
    const backdate = (sourceId: string, days: number) =>
      ctx.database.raw.query(`UPDATE points_ledger SET created_at = $2 WHERE source_id = $1`, [sourceId, inMinutes(-days * 1440)]);
    await backdate(old, 30 * 31);
    await grant(-40);
    const recent = await grant(50);
    await backdate(recent, 31);
    expect((await me(u)).balance).toBe(110);

    const points = ctx.app.modules.points;
    const first = await points.expire(24);
    expect(first).toMatchObject({ accounts: 1, expired: 60 });
    const after = await me(u);
    expect(after.balance).toBe(50); // of the old 100, 40 were spent: 60 expire; the recent 50 stay
    expect(after.items[0]).toMatchObject({ reason: 'expiry', delta: -60 });
    // Again: nothing more to expire, nothing written.
    await points.expire(24);
    expect((await me(u)).items.filter((i: { reason: string }) => i.reason === 'expiry')).toHaveLength(1);
    // Off by default in config.
    expect(loadConfig({}).POINTS_EXPIRY_MONTHS).toBe(0);

    const r = await points.reconcile();
    expect(r).toMatchObject({ ok: true, mismatches: [], orphans: 0, redemptions: [] });
    expect(r.totals.balance).toBe(r.totals.ledger);
    // A tampered balance is caught.
    await ctx.database.raw.query(`UPDATE points_accounts SET balance = balance + 1 WHERE user_id = $1`, [u.userId]);
    const bad = await points.reconcile();
    expect(bad.ok).toBe(false);
    expect(bad.mismatches).toEqual([expect.objectContaining({ user_id: u.userId, balance: 51, ledger: 50 })]);
    await ctx.database.raw.query(`UPDATE points_accounts SET balance = balance - 1 WHERE user_id = $1`, [u.userId]);
    expect((await points.reconcile()).ok).toBe(true);
  });
});
