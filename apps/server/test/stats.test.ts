import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenSse, waitFor } from './helpers/sse.ts';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { testNow } from './helpers/clock.ts';

type LiveEvent = { kind: string; text: string; orgId: string; replay?: boolean; categoryName: string };
const listen = (port: number, token: string, path: string) => listenSse<LiveEvent>(port, token, path, 'live');
/** An instant `days` days from the tests' now (negative: ago): the app's clock, which the figures are drawn against, not PostgreSQL's now(). */
const inDays = (days: number) => new Date(testNow().getTime() + days * 86_400_000);
/** The China-time date (YYYY-MM-DD) of an instant. */
const chinaDate = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * A small known dataset, partly moved 40 days into the past, and every figure checked against a
 * hand count — first read live from the facts, then again after the rollup job has rolled the
 * past days into stats_daily (the two must agree), then after corrections to a rolled day.
 */
describe.each(DATABASES)('statistics on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let dispatcher: Caller;
  let otherAdmin: Caller;
  let resident: Caller;
  let leader: Awaited<ReturnType<typeof volunteer>>;
  let v2: Awaited<ReturnType<typeof volunteer>>;
  let teamId: string;
  let pastMonth: string;
  let thisMonth: string;
  const ids: Record<string, string> = {};

  const get = (url: string, as: Caller | null = dispatcher) => ctx.request({ method: 'GET', url, as });
  const act = (id: string, a: string, as: Caller, payload: object = {}) => ctx.request({ method: 'POST', url: `/api/v1/orders/${id}/${a}`, payload, as });
  const submit = async (orgId: string, content: string, category: string) => {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content, orgId, category }, as: resident });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const sqlq = <T = Record<string, unknown>>(q: string, p: unknown[] = []) => ctx.database.raw.query<T>(q, p);

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    dispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '小店调度员');
    otherAdmin = await staff(ctx, 'org_admin', t.xiaojingyu, '小井峪管理员');
    resident = await ctx.register('居民');
    leader = await volunteer(ctx, t.shifanjie, { name: '王建国', skills: ['health', 'environment'], lat: 37.8, lng: 112.56 });
    v2 = await volunteer(ctx, t.xiaojingyu, { name: '李华', skills: ['legal'] });
    teamId = (
      await ctx.request({
        method: 'POST',
        url: '/api/v1/teams',
        payload: { orgId: t.wucheng, name: '坞城健康服务队', tier: 'unit', type: 'professional', category: 'health', leaderUserId: leader.userId },
        as: ctx.admin,
      })
    ).json().id;
    await ctx.request({ method: 'POST', url: `/api/v1/teams/${teamId}/members`, payload: { volunteerId: leader.volunteerId }, as: ctx.admin });

    // o1: the whole loop by the team, 2 hours, rated 5 — then moved 40 days back.
    ids.o1 = await submit(t.shifanjie, '帮老人量血压', 'health');
    expect((await act(ids.o1, 'dispatch', dispatcher, { teamId })).statusCode).toBe(200);
    expect((await act(ids.o1, 'accept', leader, { volunteerIds: [leader.volunteerId] })).statusCode).toBe(200);
    await act(ids.o1, 'start', leader);
    expect((await act(ids.o1, 'complete', leader, { report: '已完成', hours: 2 })).statusCode).toBe(200);
    expect((await act(ids.o1, 'rate', resident, { score: 5 })).statusCode).toBe(200);
    const rec = (await get(`/api/v1/volunteers/${leader.volunteerId}/records`, ctx.admin)).json().items[0];
    // Started and completed at once here: the 2 h pass with a reason (hours plausibility).
    const verified = await ctx.request({
      method: 'POST',
      url: `/api/v1/service-records/${rec.id}/verify`,
      payload: { overrideReason: '测试：服务在平台外计时' },
      as: ctx.admin,
    });
    expect(verified.statusCode).toBe(200);
    // o2 cancelled, o3 overdue and untouched (both today); o4 in another district, accepted.
    ids.o2 = await submit(t.shifanjie, '想咨询法律问题', 'legal');
    await act(ids.o2, 'cancel', resident);
    ids.o3 = await submit(t.shifanjie, '楼道灯坏了没人修', 'health');
    // Its first deadline already passed: at the moment it was made (a deadline before the order
    // existed would fall on yesterday just after midnight, which no real order can do).
    await sqlq(`UPDATE orders SET first_accept_due_at = created_at, accept_due_at = created_at WHERE id = $1`, [ids.o3]);
    ids.o4 = await submit(t.xiaojingyu, '咨询遗嘱怎么写', 'legal');
    await act(ids.o4, 'dispatch', otherAdmin, { volunteerId: v2.volunteerId });
    expect((await act(ids.o4, 'accept', v2)).statusCode).toBe(200);
    // Activities at 坞城: a1 (moved 40 days back) and a2 (next week).
    for (const [k, title] of [
      ['a1', '重阳节文艺汇演'],
      ['a2', '社区合唱排练'],
    ] as const) {
      const startsAt = inDays(7).toISOString();
      const endsAt = new Date(inDays(7).getTime() + 7_200_000).toISOString();
      const res = await ctx.request({
        method: 'POST',
        url: '/api/v1/activities',
        payload: { orgId: t.wucheng, title, category: 'culture', startsAt, endsAt, volunteerQuota: 5 },
        as: ctx.admin,
      });
      expect(res.statusCode, res.body).toBe(201);
      ids[k] = res.json().id;
      expect((await ctx.request({ method: 'POST', url: `/api/v1/activities/${ids[k]}/publish`, payload: {}, as: ctx.admin })).statusCode).toBe(200);
    }
    const back = `interval '40 days'`;
    // Moved in UTC (timestamp - interval, immutable): Citus refuses timestamptz arithmetic (STABLE) on a column in an UPDATE.
    const ago = (col: string) => `((${col} AT TIME ZONE 'UTC') - ${back}) AT TIME ZONE 'UTC'`;
    await sqlq(
      `UPDATE orders SET created_at = ${ago('created_at')}, first_accept_due_at = ${ago('first_accept_due_at')}, accept_due_at = ${ago('accept_due_at')} WHERE id = $1`,
      [ids.o1],
    );
    await sqlq(`UPDATE order_events SET at = ${ago('at')} WHERE order_id = $1`, [ids.o1]);
    await sqlq(
      `UPDATE service_records SET created_at = ${ago('created_at')}, started_at = ${ago('started_at')}, ended_at = ${ago('ended_at')}, decided_at = ${ago('decided_at')} WHERE source_id = $1`,
      [ids.o1],
    );
    await sqlq(`UPDATE volunteers SET created_at = ${ago('created_at')}, updated_at = ${ago('updated_at')} WHERE id = $1`, [leader.volunteerId]);
    await sqlq(
      `UPDATE activities SET starts_at = $2, ends_at = $2::timestamptz + interval '2 hours', signup_deadline = $2, created_at = ${ago('created_at')}, published_at = ${ago('published_at')} WHERE id = $1`,
      [ids.a1, inDays(-40)],
    );
    pastMonth = chinaDate(inDays(-40)).slice(0, 7);
    thisMonth = chinaDate(testNow()).slice(0, 7);
  });
  afterAll(() => ctx.close());

  /** The figures of the known dataset, whatever is rolled up. */
  async function expectKnownFigures() {
    const o = (await get('/api/v1/stats/overview')).json();
    expect(o).toMatchObject({ volunteers: 1, teams: 1, activities: 2, serviceHours: 2 });
    expect(o.orders).toMatchObject({
      total: 3,
      byState: { rated: 1, cancelled: 1, submitted: 1 },
      responseRate: 0.5,
      resolutionRate: 0.5,
      satisfactionRate: 1,
    });
    expect(o.orders.avgAcceptMinutes).toBeGreaterThanOrEqual(0);
    expect(o.orders.avgAcceptMinutes).toBeLessThan(5);
    // The city, seen by the admin: both districts.
    const city = (await get(`/api/v1/stats/overview?orgId=${t.taiyuan}`, ctx.admin)).json();
    expect(city).toMatchObject({ volunteers: 2, teams: 1, activities: 2, serviceHours: 2 });
    expect(city.orders).toMatchObject({
      total: 4,
      byState: { rated: 1, cancelled: 1, submitted: 1, accepted: 1 },
      responseRate: 0.6667,
      resolutionRate: 0.5,
      satisfactionRate: 1,
    });

    const trend = (await get('/api/v1/stats/trend?months=3')).json();
    expect(trend.months).toHaveLength(3);
    expect(trend.months.at(-1)).toBe(thisMonth);
    const at = (mo: string) => trend.months.indexOf(mo);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(trend.series.orders[at(pastMonth)]).toBe(pastMonth === thisMonth ? 3 : 1);
    expect(sum(trend.series.orders)).toBe(3);
    expect(trend.series.solved[at(pastMonth)]).toBe(1);
    expect(trend.series.serviceHours[at(pastMonth)]).toBe(2);
    expect(trend.series.newVolunteers[at(pastMonth)]).toBe(1);
    expect(sum(trend.series.newVolunteers)).toBe(1);
    // a2 starts next week: not in the trend up to today.
    expect(sum(trend.series.activities)).toBe(1);
    expect(trend.series.activities[at(pastMonth)]).toBe(1);

    const cats = (await get('/api/v1/stats/categories')).json().items as {
      code: string;
      orders: number;
      activities: number;
      teams: number;
      volunteers: number;
    }[];
    const c = (code: string) => cats.find((x) => x.code === code)!;
    expect(cats.slice(0, 8).map((x) => x.code)).toEqual(['theory', 'culture', 'education', 'health', 'science', 'legal', 'environment', 'poverty']);
    expect(c('health')).toMatchObject({ orders: 2, teams: 1, volunteers: 1, activities: 0 });
    expect(c('legal')).toMatchObject({ orders: 1, teams: 0, volunteers: 0 });
    expect(c('environment')).toMatchObject({ orders: 0, volunteers: 1 });
    expect(c('culture')).toMatchObject({ activities: 2 });
    // A period: only today's orders and nothing of 40 days ago.
    const today = chinaDate(testNow());
    const todays = (await get(`/api/v1/stats/categories?from=${today}&to=${today}`)).json().items as typeof cats;
    expect(todays.find((x) => x.code === 'health')).toMatchObject({ orders: 1, activities: 0 });
    expect(todays.find((x) => x.code === 'culture')).toMatchObject({ activities: 0 });

    const top = (await get('/api/v1/stats/top')).json();
    expect(top.teams).toEqual([expect.objectContaining({ id: teamId, name: '坞城健康服务队', hours: 2, members: 1 })]);
    expect(top.volunteers).toEqual([expect.objectContaining({ id: leader.volunteerId, name: '王*国', hours: 2 })]);
    expect((await get(`/api/v1/stats/top?from=${today}`)).json().teams).toEqual([]);

    const d = (await get('/api/v1/stats/districts')).json();
    expect(d.parent).toMatchObject({ id: t.xiaodian });
    expect(d.items).toEqual([
      expect.objectContaining({
        orgId: t.wucheng,
        shortName: '坞城街道',
        sites: 2,
        teams: 1,
        volunteers: 1,
        activities: 2,
        orders: 3,
        serviceHours: 2,
        responseRate: 0.5,
        resolutionRate: 0.5,
        satisfactionRate: 1,
      }),
    ]);
    const cd = (await get(`/api/v1/stats/districts?orgId=${t.taiyuan}`, ctx.admin)).json();
    expect(cd.items.find((x: { orgId: string }) => x.orgId === t.xiaodian)).toMatchObject({
      shortName: '小店区',
      regionCode: '140105',
      sites: 3,
      orders: 3,
      volunteers: 1,
    });
    expect(cd.items.find((x: { orgId: string }) => x.orgId === t.wanbailin)).toMatchObject({ sites: 2, orders: 1, volunteers: 1, responseRate: 1 });
  }

  it('computes every figure exactly from the facts (nothing rolled up yet)', async () => {
    const [state] = await sqlq(`SELECT count(*)::int AS n FROM stats_rollup_state`);
    expect(state).toMatchObject({ n: 0 });
    await expectKnownFigures();
  });

  it('gives the same figures after the rollup job, and keeps counting what happens today live', async () => {
    expect(await ctx.app.modules.stats.refreshRollups()).toBeGreaterThan(0);
    const rows = await sqlq<{ n: number }>(`SELECT count(*)::int AS n FROM stats_monthly WHERE city_code = '1401'`);
    expect(rows[0]!.n).toBeGreaterThan(5);
    const [st] = await sqlq<{ rolled_through: string }>(`SELECT rolled_through::text FROM stats_rollup_state WHERE city_code = '1401'`);
    expect(st!.rolled_through).toBe(chinaDate(inDays(-1))); // yesterday, China time
    await expectKnownFigures();
    // A second run changes nothing.
    await ctx.app.modules.stats.refreshRollups();
    await expectKnownFigures();
    // Today's new order counts at once.
    const extra = await submit(t.shifanjie, '需要有人陪同就医', 'poverty');
    expect((await get('/api/v1/stats/overview')).json().orders.total).toBe(4);
    await act(extra, 'cancel', resident);
  });

  it('re-rolls a closed day whose facts were corrected (a cancelled past activity)', async () => {
    await sqlq(`UPDATE activities SET state = 'cancelled', cancelled_at = $2 WHERE id = $1`, [ids.a1, testNow()]);
    await ctx.app.modules.stats.refreshRollups();
    const o = (await get('/api/v1/stats/overview')).json();
    expect(o.activities).toBe(1);
    await sqlq(`UPDATE activities SET state = 'published', cancelled_at = NULL, published_at = $2 WHERE id = $1`, [ids.a1, testNow()]);
    await ctx.app.modules.stats.refreshRollups();
    expect((await get('/api/v1/stats/overview')).json().activities).toBe(2);
    // An order of a rolled day, cancelled after its first deadline: due there, and out of the
    // resolution rate's denominator again on the day it was cancelled (+1 and −1 for one key).
    const o5 = await submit(t.shifanjie, '门口路灯不亮了', 'environment');
    await act(o5, 'cancel', resident);
    await sqlq(
      `UPDATE orders SET created_at = ((created_at AT TIME ZONE 'UTC') - interval '40 days') AT TIME ZONE 'UTC',
        first_accept_due_at = ((created_at AT TIME ZONE 'UTC') - interval '40 days' + interval '1 hour') AT TIME ZONE 'UTC', updated_at = $2 WHERE id = $1`,
      [o5, testNow()],
    );
    await sqlq(
      `UPDATE order_events SET at = ((at AT TIME ZONE 'UTC') - interval '40 days' + CASE WHEN action = 'cancel' THEN interval '3 hours' ELSE interval '0' END) AT TIME ZONE 'UTC' WHERE order_id = $1`,
      [o5],
    );
    await ctx.app.modules.stats.refreshRollups();
    const after = (await get('/api/v1/stats/overview')).json();
    expect(after.orders).toMatchObject({
      total: 5,
      byState: { rated: 1, cancelled: 3, submitted: 1 },
      responseRate: 0.3333,
      resolutionRate: 0.5,
      satisfactionRate: 1,
    });
  });

  it('keeps every endpoint inside the caller’s subtree', async () => {
    const other = { as: otherAdmin };
    for (const path of ['overview', 'trend', 'categories', 'top', 'districts', 'map', 'export']) {
      expect((await get(`/api/v1/stats/${path}?orgId=${t.xiaodian}`, other.as)).statusCode, path).toBe(403);
      expect((await get(`/api/v1/stats/${path}?orgId=${t.pingcheng}`)).statusCode, path).toBe(403);
      expect((await get(`/api/v1/stats/${path}`, resident)).statusCode, path).toBe(403);
      expect((await get(`/api/v1/stats/${path}`, null)).statusCode, path).toBe(401);
    }
    // The 小井峪 admin sees only 小井峪: one order, one volunteer, none of 小店's.
    const mine = (await get('/api/v1/stats/overview', otherAdmin)).json();
    expect(mine).toMatchObject({ volunteers: 1, teams: 0, activities: 0, serviceHours: 0 });
    expect(mine.orders).toMatchObject({ total: 1, byState: { accepted: 1 }, responseRate: 1 });
    expect((await get('/api/v1/stats/top', otherAdmin)).json()).toEqual({ teams: [], volunteers: [] });
    const cats = (await get('/api/v1/stats/categories', otherAdmin)).json().items;
    expect(cats.find((x: { code: string }) => x.code === 'health')).toMatchObject({ orders: 0, teams: 0, volunteers: 0 });
    expect(cats.find((x: { code: string }) => x.code === 'legal')).toMatchObject({ orders: 1, volunteers: 1 });
    const d = (await get('/api/v1/stats/districts', otherAdmin)).json();
    expect(d.parent.id).toBe(t.xiaojingyu);
  });

  it('refuses bad input with the API error body', async () => {
    for (const url of [
      '/api/v1/stats/trend?months=0',
      '/api/v1/stats/trend?months=abc',
      '/api/v1/stats/categories?from=2026-13-01',
      '/api/v1/stats/categories?from=2026-02-30',
      '/api/v1/stats/top?from=2026-05-02&to=2026-05-01',
      '/api/v1/stats/overview?orgId=nope',
      '/api/v1/stats/export?to=yesterday',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code, url).toBe('VALIDATION_FAILED');
    }
    const res = await get('/api/v1/stats/districts?orgId=0190f7a2-0000-7000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('serves the districts’ real boundaries and the sites as points', async () => {
    const city = (await get(`/api/v1/stats/map?orgId=${t.taiyuan}`, ctx.admin)).json();
    expect(city.org).toMatchObject({ id: t.taiyuan, level: 'city' });
    expect(city.mapName).toBe('1401');
    expect(city.geojson.features).toHaveLength(10);
    const xd = city.geojson.features.find((f: { properties: { code: string } }) => f.properties.code === '140105');
    expect(xd.properties).toMatchObject({ name: '小店区', orgId: t.xiaodian });
    expect(xd.geometry.type).toMatch(/Polygon/);
    expect(city.regions).toEqual(expect.arrayContaining([{ orgId: t.wanbailin, name: '万柏林区', code: '140109' }]));
    expect(city.points).toEqual([expect.objectContaining({ id: t.shifanjie, level: 'station', lat: 37.8, lng: 112.56 })]);
    // The dispatcher's default: the district 小店区 and its outline only.
    const mine = (await get('/api/v1/stats/map')).json();
    expect(mine.org.id).toBe(t.xiaodian);
    expect(mine.mapName).toBe('1401-140105');
    expect(mine.geojson.features).toHaveLength(1);
    expect(mine.regions).toEqual([{ orgId: t.wucheng, name: '坞城街道', code: '140105001' }]);
  });

  it('exports the figures to an Excel workbook', async () => {
    const res = await get(`/api/v1/stats/export?orgId=${t.xiaodian}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('attachment');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概览', '月度趋势', '供需对接', '下级阵地', '队伍排行', '志愿者排行']);
    const ov = wb.getWorksheet('概览')!;
    const values = new Map<string, unknown>();
    ov.eachRow((row) => values.set(row.getCell(1).text, row.getCell(2).value));
    expect(values.get('工单总数')).toBe(5); // with the two cancelled in the tests above
    expect(values.get('注册志愿者（在册）')).toBe(1);
    expect(values.get('响应率（%，累计）')).toBe(33.3);
    const cat = wb.getWorksheet('供需对接')!;
    expect(cat.getRow(5).values).toEqual([undefined, '医疗健身', 2, 0, 1, 1]);
    expect(wb.getWorksheet('队伍排行')!.getRow(2).getCell(2).value).toBe('坞城健康服务队');
  });

  it('pushes new orders, acceptances and activities of the subtree to the live feed, without personal data', async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (ctx.app.server.address() as { port: number }).port;
    const feed = listen(port, dispatcher.token, '/api/v1/stats/live');
    expect(await feed.ready).toBe(200);
    // What happened lately comes first (replayed).
    await waitFor(() => feed.events.some((e) => e.replay));
    const before = feed.events.length;
    const inside = await submit(t.shifanjie, '我叫张三，电话13912345678，想请人修水管', 'poverty');
    const outside = await submit(t.xiaojingyu, '万柏林的需求', 'legal');
    await waitFor(() => feed.events.slice(before).some((e) => e.kind === 'order.submitted'));
    const code = (await get(`/api/v1/orders/${inside}`, ctx.admin)).json().code;
    const news = feed.events.slice(before);
    expect(news).toEqual([
      expect.objectContaining({
        kind: 'order.submitted',
        orgId: t.shifanjie,
        categoryName: '扶贫帮困',
        text: `师范街社区 新增「扶贫帮困」需求（工单 ${code}）`,
      }),
    ]);
    expect(JSON.stringify(news)).not.toContain('张三');
    expect(JSON.stringify(news)).not.toContain(outside);
    await act(inside, 'dispatch', dispatcher, { volunteerId: leader.volunteerId });
    await act(inside, 'accept', leader);
    await waitFor(() => feed.events.some((e) => e.kind === 'order.accepted'));
    feed.close();
  });
});
