import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { testNow } from './helpers/clock.ts';

const inDays = (days: number) => new Date(testNow().getTime() + days * 86_400_000);
const chinaDate = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * 服务人次 (issue 21): what a finished activity's organiser enters, what a completed order's
 * server says (default 1), one elder per verified pairing visit — the same figures live and after
 * the rollup; and the sites' pilot and plaque status with the 1+N layout and 挂牌率.
 */
describe.each(DATABASES)('people served and site status on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let xdAdmin: Caller;
  let otherAdmin: Caller;
  let resident: Caller;
  let v1: Awaited<ReturnType<typeof volunteer>>;
  let v2: Awaited<ReturnType<typeof volunteer>>;
  let activityId = '';

  const req = (method: 'GET' | 'POST' | 'PATCH', url: string, as: Caller | null, payload?: object) =>
    ctx.request({ method, url: `/api/v1${url}`, payload, as });
  const served = async () => (await req('GET', `/stats/overview?orgId=${t.xiaodian}`, xdAdmin)).json().peopleServed;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    xdAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    otherAdmin = await staff(ctx, 'org_admin', t.wanbailin, '万柏林区管理员');
    resident = await ctx.register('居民');
    v1 = await volunteer(ctx, t.shifanjie, { name: '吴丽娟' });
    v2 = await volunteer(ctx, t.shifanjie, { name: '王建国' });
  });
  afterAll(() => ctx.close());

  async function completedOrder(peopleServed?: number) {
    const o = await req('POST', '/orders', resident, { content: '社区老人需要理发服务', orgId: t.shifanjie, category: 'health' });
    expect(o.statusCode, o.body).toBe(201);
    const id = o.json().id as string;
    expect((await req('POST', `/orders/${id}/dispatch`, xdAdmin, { volunteerId: v1.volunteerId })).statusCode).toBe(200);
    expect((await req('POST', `/orders/${id}/accept`, v1, {})).statusCode).toBe(200);
    expect((await req('POST', `/orders/${id}/start`, v1, {})).statusCode).toBe(200);
    const done = await req('POST', `/orders/${id}/complete`, v1, { report: '为老人理发', hours: 1, ...(peopleServed ? { peopleServed } : {}) });
    expect(done.statusCode, done.body).toBe(200);
    return id;
  }

  it('counts the people a completed order served (1 unless the server says more)', async () => {
    expect(await served()).toEqual({ total: 0, activities: 0, orders: 0, pairing: 0 });
    await completedOrder(3);
    await completedOrder();
    expect(await served()).toEqual({ total: 4, activities: 0, orders: 4, pairing: 0 });
    const bad = await req('POST', '/orders', resident, { content: '需要帮忙', orgId: t.shifanjie, category: 'health' });
    const id = bad.json().id as string;
    await req('POST', `/orders/${id}/dispatch`, xdAdmin, { volunteerId: v1.volunteerId });
    await req('POST', `/orders/${id}/accept`, v1, {});
    await req('POST', `/orders/${id}/start`, v1, {});
    expect((await req('POST', `/orders/${id}/complete`, v1, { report: '已完成', hours: 1, peopleServed: 0 })).statusCode).toBe(400);
  });

  it('records an activity’s participants and people served at its close and its report', async () => {
    const res = await req('POST', '/activities', ctx.admin, {
      orgId: t.wucheng,
      title: '重阳节义诊',
      category: 'health',
      startsAt: inDays(7).toISOString(),
      endsAt: new Date(inDays(7).getTime() + 7_200_000).toISOString(),
      volunteerQuota: 5,
    });
    expect(res.statusCode, res.body).toBe(201);
    activityId = res.json().id;
    expect((await req('POST', `/activities/${activityId}/publish`, ctx.admin, {})).statusCode).toBe(200);
    await ctx.database.raw.query(`UPDATE activities SET starts_at = $2, ends_at = $3, signup_deadline = $2 WHERE id = $1`, [
      activityId,
      inDays(-2),
      new Date(inDays(-2).getTime() + 7_200_000),
    ]);
    expect((await req('POST', `/activities/${activityId}/finish`, otherAdmin, { participants: 12, peopleServed: 30 })).statusCode).toBe(403);
    const fin = await req('POST', `/activities/${activityId}/finish`, ctx.admin, { participants: 12, peopleServed: 30 });
    expect(fin.statusCode, fin.body).toBe(200);
    expect(fin.json()).toMatchObject({ participants: 12, peopleServed: 30 });
    expect((await served()).activities).toBe(30);
    const rep = await req('POST', `/activities/${activityId}/report`, ctx.admin, { summary: '为120位老人义诊', peopleServed: 120 });
    expect(rep.statusCode, rep.body).toBe(200);
    expect(rep.json()).toMatchObject({ participants: 12, peopleServed: 120 });
    expect(await served()).toMatchObject({ activities: 120, orders: 4, total: 124 });
  });

  it('counts the elder of a verified pairing visit once, however many volunteers went', async () => {
    const elder = await req('POST', '/pairing/residents', xdAdmin, {
      orgId: t.shifanjie,
      name: '张奶奶',
      address: '师范街 12 号楼',
      phone: '13612345678',
      birthYear: 1938,
      tags: ['独居'],
    });
    expect(elder.statusCode, elder.body).toBe(201);
    const today = chinaDate(testNow());
    const wd = new Date(`${today}T00:00:00Z`).getUTCDay();
    const plan = await req('POST', '/pairing/plans', xdAdmin, {
      orgId: t.wucheng,
      name: '3+1晚霞行动',
      volunteerIds: [v1.volunteerId, v2.volunteerId],
      residentIds: [elder.json().id],
      rules: { weekly: [{ weekday: wd, time: '09:30' }], monthly: [], holidays: [] },
      startsOn: today,
      visitHours: 1.5,
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const [task] = await ctx.database.raw.query<{ id: string }>(`SELECT id FROM pairing_tasks WHERE plan_id = $1 AND due_on = $2::date`, [
      plan.json().id,
      today,
    ]);
    const log = await req('POST', `/pairing/tasks/${task!.id}/log`, v1, {
      hours: 1.5,
      volunteerIds: [v1.volunteerId, v2.volunteerId],
      visitedAt: testNow().toISOString(),
    });
    expect(log.statusCode, log.body).toBe(200);
    expect((await served()).pairing).toBe(0);
    const recs = await ctx.database.raw.query<{ id: string }>(`SELECT id FROM service_records WHERE source_id = $1 ORDER BY volunteer_id`, [task!.id]);
    expect(recs).toHaveLength(2);
    for (const r of recs) expect((await req('POST', `/service-records/${r.id}/verify`, ctx.admin, {})).statusCode).toBe(200);
    expect(await served()).toEqual({ total: 125, activities: 120, orders: 4, pairing: 1 });
  });

  it('keeps the same figures after the rollup, and trend and districts show them', async () => {
    // Move the facts into the past so the job rolls them (the live tail is then empty of them).
    const back = `((%s AT TIME ZONE 'UTC') - interval '3 days') AT TIME ZONE 'UTC'`;
    const ago = (c: string) => back.replace('%s', c);
    await ctx.database.raw.query(`UPDATE order_events SET at = ${ago('at')}`);
    await ctx.database.raw.query(`UPDATE orders SET created_at = ${ago('created_at')}, first_accept_due_at = ${ago('first_accept_due_at')}`);
    await ctx.database.raw.query(
      `UPDATE service_records SET started_at = ${ago('started_at')}, ended_at = ${ago('ended_at')}, created_at = ${ago('created_at')}`,
    );
    await ctx.app.modules.stats.refreshRollups();
    expect(await served()).toEqual({ total: 125, activities: 120, orders: 4, pairing: 1 });
    // A report written after the day was rolled: the next run rolls that day again.
    expect((await req('POST', `/activities/${activityId}/report`, ctx.admin, { summary: '更正', peopleServed: 100 })).statusCode).toBe(200);
    await ctx.app.modules.stats.refreshRollups();
    expect(await served()).toEqual({ total: 105, activities: 100, orders: 4, pairing: 1 });
    const trend = (await req('GET', `/stats/trend?orgId=${t.xiaodian}&months=2`, xdAdmin)).json();
    expect(trend.series.peopleServed.reduce((a: number, b: number) => a + b, 0)).toBe(105);
    const districts = (await req('GET', `/stats/districts?orgId=${t.xiaodian}`, xdAdmin)).json();
    expect(districts.items.find((d: { orgId: string }) => d.orgId === t.wucheng).peopleServed).toBe(105);
  });

  it('edits a site’s pilot and plaque status; figures show the 1+N layout and 挂牌率', async () => {
    expect((await req('PATCH', `/orgs/${t.shifanjie}`, otherAdmin, { plaqued: true })).statusCode).toBe(403);
    const p = await req('PATCH', `/orgs/${t.shifanjie}`, xdAdmin, { plaqued: true, plaquedOn: '2024-05-01', pilotLevel: 'provincial' });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json()).toMatchObject({ plaqued: true, plaquedOn: '2024-05-01', pilotLevel: 'provincial' });
    expect((await req('PATCH', `/orgs/${t.wucheng}`, xdAdmin, { plaquedOn: '2024-05-01' })).statusCode).toBe(400);
    expect((await req('PATCH', `/orgs/${t.wucheng}`, xdAdmin, { pilotLevel: 'county' })).statusCode).toBe(400);
    expect((await req('PATCH', `/orgs/${t.xiaodian}`, xdAdmin, { plaqued: true, pilotLevel: 'national' })).statusCode).toBe(200);
    const o = (await req('GET', `/stats/overview?orgId=${t.xiaodian}`, xdAdmin)).json();
    expect(o.layout).toBe('1+1+1+0');
    expect(o.plaque).toEqual({ plaqued: 2, sites: 3, rate: 0.6667 });
    expect(o.pilots).toEqual({ national: 1, provincial: 1, city: 0 });
    // Taking the plaque down clears its date.
    const down = await req('PATCH', `/orgs/${t.shifanjie}`, xdAdmin, { plaqued: false });
    expect(down.json()).toMatchObject({ plaqued: false, plaquedOn: null });
    const d = (await req('GET', `/stats/districts?orgId=${t.xiaodian}`, xdAdmin)).json();
    expect(d.items.find((x: { orgId: string }) => x.orgId === t.wucheng)).toMatchObject({ sites: 2, plaqued: 0 });
  });
});
