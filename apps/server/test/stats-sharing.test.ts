import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNow } from './helpers/clock.ts';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, type Tree } from './helpers/fixtures.ts';

/**
 * STATS_FRESH_MS (docs/statistics.md): identical statistics requests — same endpoint, same query,
 * same scope — share one answer for that long; another scope or query is answered anew, and a
 * shared answer is replaced once it is older than that.
 */
describe.each(DATABASES)('shared statistics answers on %s', (kind) => {
  const FRESH_MS = 60_000;
  // The app's clock, which the test moves on by hand: a shared answer's age is read on it.
  let ahead = 0;
  const clock = () => new Date(testNow().getTime() + ahead);
  let ctx: TestContext;
  let t: Tree;
  let dispatcher: Caller;
  let resident: Caller;

  const overview = async (as: Caller, query = '') => {
    const res = await ctx.request({ method: 'GET', url: `/api/v1/stats/overview${query}`, as });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ orders: { total: number } }>();
  };

  beforeAll(async () => {
    ctx = await createTestContext(kind, { STATS_FRESH_MS: FRESH_MS }, { clock });
    t = await buildTree(ctx);
    dispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '小店调度员');
    resident = await ctx.register('居民');
  });
  afterAll(() => ctx?.close());

  it('answers identical requests once, answers other scopes anew, and renews the answer after STATS_FRESH_MS', async () => {
    // Concurrent identical requests get one and the same answer.
    const first = await Promise.all(Array.from({ length: 8 }, () => overview(ctx.admin)));
    for (const a of first) expect(a).toEqual(first[0]);
    expect(first[0]!.orders.total).toBe(0);

    const res = await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content: '帮忙修水管', orgId: t.shifanjie }, as: resident });
    expect(res.statusCode, res.body).toBe(201);

    // The admin's identical request is answered from the shared answer (written before the order)…
    expect((await overview(ctx.admin)).orders.total).toBe(0);
    // …while another query, or another scope, is computed now and sees it.
    expect((await overview(ctx.admin, `?orgId=${t.xiaodian}`)).orders.total).toBe(1);
    expect((await overview(dispatcher)).orders.total).toBe(1);

    // Still shared just before STATS_FRESH_MS has passed; computed again once it has.
    ahead += FRESH_MS - 5_000;
    expect((await overview(ctx.admin)).orders.total).toBe(0);
    ahead += 10_000;
    expect((await overview(ctx.admin)).orders.total).toBe(1);
  });

  it('sends a large answer (the map) gzipped to a client that accepts it, a small one plain', async () => {
    const plain = await ctx.request({ method: 'GET', url: '/api/v1/stats/map', as: ctx.admin });
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await ctx.request({ method: 'GET', url: '/api/v1/stats/map', as: ctx.admin, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('accept-encoding');
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8'))).toEqual(plain.json());
    const small = await ctx.request({ method: 'GET', url: '/api/v1/stats/overview', as: ctx.admin, headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json().orgs.city).toBe(2);
  });

  it('refuses a caller outside the scope every time, while the others are still answered', async () => {
    const other = await staff(ctx, 'org_admin', t.xiaojingyu, '小井峪管理员');
    for (let i = 0; i < 2; i++) {
      const res = await ctx.request({ method: 'GET', url: `/api/v1/stats/overview?orgId=${t.xiaodian}`, as: other });
      expect(res.statusCode, res.body).toBe(403);
    }
    expect((await overview(ctx.admin, `?orgId=${t.xiaodian}`)).orders.total).toBe(1);
  });
});
