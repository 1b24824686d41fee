import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { testConfig } from '../src/config.ts';
import { openPostgres } from '../src/db/client.ts';
import { listenSse, waitFor } from './helpers/sse.ts';
import { testNow } from './helpers/clock.ts';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';

type NotificationEvent = { kind: string; title: string; refId: string };
const listen = (port: number, token: string) => listenSse<NotificationEvent>(port, token, '/api/v1/events', 'notification');

describe.each(DATABASES)('notifications and statistics on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let dispatcher: Caller;
  let resident: Caller;
  let vol: Awaited<ReturnType<typeof volunteer>>;
  let port: number;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    dispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '调度员');
    resident = await ctx.register('居民');
    vol = await volunteer(ctx, t.shifanjie, { name: '志愿者小王', skills: ['health', 'environment', 'science'], lat: 37.8, lng: 112.56 });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ctx.app.server.address() as { port: number }).port;
  });
  afterAll(() => ctx.close());

  const submit = async (content: string) =>
    (await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content, orgId: t.shifanjie }, as: resident })).json();
  const act = (id: string, a: string, as: Caller, payload: object = {}) => ctx.request({ method: 'POST', url: `/api/v1/orders/${id}/${a}`, payload, as });

  it('pushes a dispatched order to the volunteer over SSE, and keeps it in the inbox', async () => {
    const stream = listen(port, vol.token);
    expect(await stream.ready).toBe(200);
    const o = await submit('家门口垃圾好几天没人清运了');
    await act(o.id, 'dispatch', dispatcher, { volunteerId: vol.volunteerId });
    await waitFor(() => stream.events.some((e) => e.refId === o.id));
    expect(stream.events.find((e) => e.refId === o.id)).toMatchObject({ kind: 'order.dispatched' });
    stream.close();
    const inbox = (await ctx.request({ method: 'GET', url: '/api/v1/notifications', as: vol })).json();
    expect(inbox.unread).toBeGreaterThan(0);
    expect((await ctx.request({ method: 'POST', url: '/api/v1/notifications/read', payload: {}, as: vol })).json().unread).toBe(0);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/events' })).statusCode).toBe(401);
  });

  it.runIf(kind === 'postgres')('delivers across two server processes sharing one PostgreSQL (LISTEN/NOTIFY)', async () => {
    const second = openPostgres(ctx.database.url!, 4);
    const other: FastifyInstance = await buildApp({ config: testConfig(), database: second, webDist: null, clock: testNow });
    try {
      const stream = listen(port, resident.token);
      await stream.ready;
      // The change is made through the other process; the resident is connected to this one.
      const o = (
        await other.inject({
          method: 'POST',
          url: '/api/v1/orders',
          payload: { content: '想请人教我用手机挂号', orgId: t.shifanjie },
          headers: { authorization: `Bearer ${resident.token}` },
        })
      ).json();
      await other.inject({
        method: 'POST',
        url: `/api/v1/orders/${o.id}/dispatch`,
        payload: { volunteerId: vol.volunteerId },
        headers: { authorization: `Bearer ${dispatcher.token}` },
      });
      await waitFor(() => stream.events.some((e) => e.refId === o.id && e.kind === 'order.progress'));
      stream.close();
    } finally {
      await other.close();
      await second.close();
    }
  });

  it('computes the three rates and the average time to accept for a subtree', async () => {
    const station = (
      await ctx.request({
        method: 'POST',
        url: '/api/v1/orgs',
        payload: { parentId: t.wucheng, level: 'station', name: '统计测试社区新时代文明实践站', lat: 37.8, lng: 112.56 },
        as: ctx.admin,
      })
    ).json().id;
    const submitAt = async (content: string) =>
      (await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content, orgId: station }, as: resident })).json();
    for (const score of [5, 4, 2]) {
      const o = await submitAt('帮忙测量血压');
      await act(o.id, 'dispatch', dispatcher, { volunteerId: vol.volunteerId });
      expect((await act(o.id, 'accept', vol)).statusCode).toBe(200);
      await act(o.id, 'start', vol);
      await act(o.id, 'complete', vol, { report: '已完成', hours: 1 });
      expect((await act(o.id, 'rate', resident, { score })).statusCode).toBe(200);
    }
    const late = await submitAt('一直没人来');
    // Due an hour ago on the app's clock (which judges what is overdue), not PostgreSQL's now().
    const hourAgo = new Date(testNow().getTime() - 3_600_000);
    await ctx.database.raw.query(`UPDATE orders SET first_accept_due_at = $2, accept_due_at = $2 WHERE id = $1`, [late.id, hourAgo]);
    await submitAt('刚刚提交，还没到期'); // open and not yet due: in neither denominator
    const cancelled = await submitAt('不需要了');
    await act(cancelled.id, 'cancel', resident);
    const s = (await ctx.request({ method: 'GET', url: `/api/v1/stats/overview?orgId=${station}`, as: dispatcher })).json();
    expect(s.orgs).toMatchObject({ station: 1, institute: 0 });
    expect(s.orders.total).toBe(6);
    expect(s.orders.byState).toEqual({ rated: 3, submitted: 2, cancelled: 1 });
    expect(s.orders.responseRate).toBe(0.75); // 3 accepted in time of 4 due
    expect(s.orders.resolutionRate).toBe(0.75); // 3 completed of 3 closed + 1 overdue
    expect(s.orders.satisfactionRate).toBeCloseTo(2 / 3, 4);
    expect(s.orders.avgAcceptMinutes).toBeGreaterThanOrEqual(0);
    expect(s.orders.avgAcceptMinutes).toBeLessThan(5);
    // The subtree above includes it; residents and outside staff are refused.
    const up = (await ctx.request({ method: 'GET', url: `/api/v1/stats/overview?orgId=${t.xiaodian}`, as: dispatcher })).json();
    expect(up.orders.total).toBeGreaterThanOrEqual(6);
    expect(up.volunteers).toBe(1);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/stats/overview', as: resident })).statusCode).toBe(403);
    const pc = await staff(ctx, 'org_admin', t.pingcheng);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/stats/overview?orgId=${t.wucheng}`, as: pc })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/stats/overview', as: pc })).json().orders.total).toBe(0);
  });
});
