import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { createTestContext, type Caller, type TestContext } from './helpers/test-app.ts';

/**
 * Issue 16, "no fan-out on hot paths": on Citus, the requests a city makes all day long must each
 * route to the city's one shard group — a statement without `city_code` on a distributed table is
 * sent to every shard of every worker. Citus counts, per database, the statements it ran on one
 * shard and on several (`citus_stat_counters`, with `citus.enable_stat_counters` on, as
 * scripts/citus.sh sets it); this test reads the count of multi-shard statements before and after
 * each request. It runs where the test database is a Citus database (CI's Citus stage) and is
 * skipped elsewhere, where nothing fans out.
 */

const url = process.env.TEST_DATABASE_URL;

async function isCitus(): Promise<boolean> {
  if (!url) return false;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'citus' AND installed_version IS NOT NULL`)).rowCount === 1;
  } finally {
    await c.end();
  }
}

const citus = await isCitus();
if (!citus) console.warn('citus-routing: skipped — the test database is not a Citus database');

describe.runIf(citus)('hot paths on Citus route to one shard group', () => {
  let ctx: TestContext;
  let t: Tree;
  let counters: pg.Client;
  let dispatcher: Caller;
  let resident: Caller;
  let vol: Awaited<ReturnType<typeof volunteer>>;
  let teamId: string;

  const multiShard = async () =>
    Number(
      (await counters.query<{ n: string }>(`SELECT query_execution_multi_shard AS n FROM citus_stat_counters WHERE name = current_database()`)).rows[0]!.n,
    );

  /** Runs the request and answers how many multi-shard statements it caused. */
  async function fanOut(what: string, run: () => Promise<{ statusCode: number; body: string }>): Promise<number> {
    const before = await multiShard();
    const res = await run();
    expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(300);
    return (await multiShard()) - before;
  }

  beforeAll(async () => {
    ctx = await createTestContext('postgres');
    counters = new pg.Client({ connectionString: ctx.database.url });
    await counters.connect();
    const on = (await counters.query<{ v: string }>(`SELECT current_setting('citus.enable_stat_counters') AS v`)).rows[0]!.v;
    expect(on, 'citus.enable_stat_counters must be on (scripts/citus.sh sets it)').toBe('on');
    t = await buildTree(ctx);
    dispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '调度员');
    resident = await ctx.register('居民');
    vol = await volunteer(ctx, t.shifanjie, { name: '志愿者甲', skills: ['health'] });
    const team = await ctx.request({
      method: 'POST',
      url: '/api/v1/teams',
      payload: { orgId: t.wucheng, name: '坞城健康服务队', tier: 'unit', type: 'professional', category: 'health' },
      as: ctx.admin,
    });
    expect(team.statusCode, team.body).toBe(201);
    teamId = team.json().id as string;
    await ctx.request({ method: 'POST', url: `/api/v1/teams/${teamId}/members`, payload: { volunteerId: vol.volunteerId }, as: ctx.admin });
  }, 120_000);

  afterAll(async () => {
    await counters?.end();
    await ctx?.close();
  });

  /**
   * Each hot path with the multi-shard statements it may cause. 0 is the aim; a path above 0 names
   * what still fans out (docs/scale-out.md "Hot paths on Citus"), and the number may only go down.
   */
  it('each hot path stays within its count of multi-shard statements', async () => {
    const report: Record<string, { got: number; budget: number }> = {};
    const measure = async (what: string, budget: number, run: () => Promise<{ statusCode: number; body: string }>) => {
      report[what] = { got: await fanOut(what, run), budget };
    };
    // The caller is resolved in the account's cities (user_cities): nothing fans out for it.
    // Orgs, orders, teams, volunteers and activities made now carry their city in their id (newCityId): found by id, they route.
    await measure('GET /categories (resident)', 0, () => ctx.request({ method: 'GET', url: '/api/v1/categories', as: resident }));
    await measure('GET /categories (dispatcher)', 0, () => ctx.request({ method: 'GET', url: '/api/v1/categories', as: dispatcher }));
    await measure('GET /notifications (volunteer)', 0, () => ctx.request({ method: 'GET', url: '/api/v1/notifications', as: vol }));
    await measure('GET /me (resident)', 1, () => ctx.request({ method: 'GET', url: '/api/v1/me', as: resident }));
    await measure('GET /me (dispatcher)', 1, () => ctx.request({ method: 'GET', url: '/api/v1/me', as: dispatcher }));
    let orderId = '';
    await measure('POST /orders', 1, async () => {
      const r = await ctx.request({
        method: 'POST',
        url: '/api/v1/orders',
        payload: { content: '家里老人想找人陪同去医院看病', orgId: t.shifanjie },
        as: resident,
      });
      orderId = r.json().id as string;
      return r;
    });
    await measure('GET /orders?mine (resident)', 2, () => ctx.request({ method: 'GET', url: '/api/v1/orders?mine=true', as: resident }));
    await measure('GET /orders?desk (dispatcher)', 1, () => ctx.request({ method: 'GET', url: '/api/v1/orders?desk=true&state=submitted', as: dispatcher }));
    await measure('GET /orders/:id (dispatcher)', 0, () => ctx.request({ method: 'GET', url: `/api/v1/orders/${orderId}`, as: dispatcher }));
    await measure('GET /orders/:id/candidates', 1, () => ctx.request({ method: 'GET', url: `/api/v1/orders/${orderId}/candidates`, as: dispatcher }));
    await measure('POST /orders/:id/dispatch', 0, () =>
      ctx.request({ method: 'POST', url: `/api/v1/orders/${orderId}/dispatch`, payload: { volunteerId: vol.volunteerId }, as: dispatcher }),
    );
    await measure('GET /orders?assigned (volunteer)', 2, () => ctx.request({ method: 'GET', url: '/api/v1/orders?assigned=true', as: vol }));
    await measure('POST /orders/:id/accept', 0, () => ctx.request({ method: 'POST', url: `/api/v1/orders/${orderId}/accept`, payload: {}, as: vol }));
    await measure('GET /activities', 2, () => ctx.request({ method: 'GET', url: `/api/v1/activities?orgId=${t.shifanjie}`, as: resident }));
    await measure('GET /volunteers (dispatcher)', 1, () => ctx.request({ method: 'GET', url: '/api/v1/volunteers', as: dispatcher }));
    await measure('GET /teams/:id', 1, () => ctx.request({ method: 'GET', url: `/api/v1/teams/${teamId}`, as: dispatcher }));
    console.log(
      Object.entries(report)
        .map(([what, r]) => `${what}: ${r.got} (at most ${r.budget})`)
        .join('\n'),
    );
    for (const [what, r] of Object.entries(report)) expect(r.got, `${what} fans out`).toBeLessThanOrEqual(r.budget);
  });
});
