import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, freshPhone, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';

/**
 * The rollup tables are denormalised copies of the facts (docs/statistics.md): stats_monthly and
 * stats_totals must always equal a recomputation from the raw rows — after the
 * first run, after history written with past dates (an import, a generator: no change time of
 * the fact reveals it), and after corrections of rolled days (a revoked record, a retriaged
 * order, a cancelled order, a suspended volunteer, a cancelled activity). The API figures are
 * checked against plain counts of the raw rows too.
 */
describe.each(DATABASES)('statistics rollups are exact on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let resident: Caller;
  let v1: Awaited<ReturnType<typeof volunteer>>;
  let teamId: string;
  let recordId: string;
  const sqlq = <T = Record<string, unknown>>(q: string, p: unknown[] = []) => ctx.database.raw.query<T>(q, p);
  const get = (url: string) => ctx.request({ method: 'GET', url, as: ctx.admin });
  const act = (id: string, a: string, as: Caller, payload: object = {}) => ctx.request({ method: 'POST', url: `/api/v1/orders/${id}/${a}`, payload, as });
  const roll = () => ctx.app.modules.stats.refreshRollups();

  /** The account of an imported volunteer, in its city (user_cities, 0042: the volunteer row refers to it). */
  async function importedAccount(tag: string, run: (q: string, p: unknown[]) => Promise<unknown> = sqlq): Promise<string> {
    const id = crypto.randomUUID();
    await run(`INSERT INTO users (id, phone, name, password_hash) VALUES ($1, $2, '导入' || $3, 'x')`, [id, freshPhone(), tag]);
    await run(`INSERT INTO user_cities (user_id, city_code) VALUES ($1, '1401')`, [id]);
    return id;
  }

  /** Facts written straight into the tables with past dates, as an import or a generator does. */
  async function backdate(daysAgo: number, tag: string) {
    const at = `now() - interval '${daysAgo} days'`;
    const [vol] = await sqlq<{ id: string }>(
      `INSERT INTO volunteers (city_code, id, user_id, org_id, real_name, id_number_enc, id_number_hash, id_number_masked, skills, created_at, updated_at)
       VALUES ('1401', gen_random_uuid(), $3, $1, '导入' || $2, 'x', 'h-' || $2, '1401**', '{legal,culture}', ${at}, ${at}) RETURNING id`,
      [t.shifanjie, tag, await importedAccount(tag)],
    );
    await sqlq(
      `INSERT INTO service_records (city_code, id, volunteer_id, org_id, team_id, source_type, source_id, hours, started_at, ended_at, status, decided_at, created_at)
       VALUES ('1401', gen_random_uuid(), $1, $2, $3, 'manual', gen_random_uuid(), 3.5, ${at}, ${at} + interval '2 hours', 'verified', ${at} + interval '1 day', ${at})`,
      [vol!.id, t.shifanjie, teamId],
    );
    await sqlq(
      `INSERT INTO activities (city_code, id, org_id, title, category, starts_at, ends_at, signup_deadline, volunteer_quota, state, created_by, created_at, published_at, finished_at)
       VALUES ('1401', gen_random_uuid(), $1, '导入活动' || $2, 'culture', ${at}, ${at} + interval '2 hours', ${at}, 5, 'finished', gen_random_uuid(), ${at}, ${at}, ${at} + interval '3 hours')`,
      [t.wucheng, tag],
    );
    const [o] = await sqlq<{ id: string }>(
      `INSERT INTO orders (city_code, id, code, org_id, handling_org_id, requester_id, content, category, nature, urgency, triage, state, accept_due_at, first_accept_due_at,
         accepted_at, completed_at, rating, rated_at, created_at, updated_at)
       VALUES ('1401', gen_random_uuid(), 'I' || $2, $1, $1, $3, '导入的需求', 'health', 'service', 'normal', '{}', 'rated', ${at} + interval '1 hour', ${at} + interval '1 hour',
         ${at} + interval '30 minutes', ${at} + interval '1 day', 5, ${at} + interval '2 days', ${at}, ${at} + interval '2 days') RETURNING id`,
      [t.shifanjie, tag, resident.userId],
    );
    await sqlq(
      `INSERT INTO order_events (city_code, id, order_id, at, action, from_state, to_state, data)
       SELECT '1401', gen_random_uuid(), $1, ${at} + e.dt, e.action, e.f, e.t, e.data FROM (VALUES
         (interval '0', 'submit', NULL, 'submitted', NULL::jsonb),
         (interval '30 minutes', 'accept', 'submitted', 'accepted', NULL),
         (interval '1 day', 'complete', 'accepted', 'completed', NULL),
         (interval '2 days', 'rate', 'completed', 'rated', '{"score": 5}'::jsonb)) AS e(dt, action, f, t, data)`,
      [o!.id],
    );
    // And one still waiting, long past its deadline.
    const [w] = await sqlq<{ id: string }>(
      `INSERT INTO orders (city_code, id, code, org_id, handling_org_id, requester_id, content, category, nature, urgency, triage, state, accept_due_at, first_accept_due_at, created_at, updated_at)
       VALUES ('1401', gen_random_uuid(), 'W' || $2, $1, $1, $3, '导入的需求', 'legal', 'service', 'normal', '{}', 'submitted', ${at} + interval '1 hour', ${at} + interval '1 hour', ${at}, ${at}) RETURNING id`,
      [t.shifanjie, tag, resident.userId],
    );
    await sqlq(
      `INSERT INTO order_events (city_code, id, order_id, at, action, from_state, to_state) VALUES ('1401', gen_random_uuid(), $1, ${at}, 'submit', NULL, 'submitted')`,
      [w!.id],
    );
    return { volunteerId: vol!.id, orderId: o!.id, waitingId: w!.id };
  }

  /** stats_monthly and stats_totals equal the measures recomputed from the raw rows for all rolled days. */
  async function expectRollupsExact() {
    const [st] = await sqlq<{ through: string }>(`SELECT rolled_through::text AS through FROM stats_rollup_state WHERE city_code = '1401'`);
    const { measures, FAMILIES } = await import('../src/modules/stats/stats-measures.ts');
    const { dayStart, addDays } = await import('../src/modules/stats/stats-days.ts');
    const { sql } = await import('drizzle-orm');
    const w = { city: '1401', lo: dayStart('2000-01-01'), hi: dayStart(addDays(st!.through, 1)) };
    const raw = sql`SELECT org_id, day, metric, dim, value FROM (${sql.join(
      FAMILIES.map((f) => measures(f, w)),
      sql` UNION ALL `,
    )}) m`;
    const diff = async (query: ReturnType<typeof sql>): Promise<unknown[]> => {
      const res: unknown = await ctx.database.db.execute(query);
      return (res as { rows: unknown[] }).rows;
    };
    // Each table against the raw recomputation at its grain, both ways (EXCEPT ALL on exact numerics).
    // Each table against the raw recomputation at its grain, both ways (EXCEPT ALL on exact numerics).
    const monthlyRaw = sql`SELECT org_id, date_trunc('month', day)::date, metric, dim, sum(value) FROM (${raw}) r GROUP BY 1, 2, 3, 4 HAVING sum(value) <> 0`;
    const totalsRaw = sql`SELECT org_id, metric, dim, sum(value) FROM (${raw}) r GROUP BY 1, 2, 3 HAVING sum(value) <> 0`;
    for (const [table, stored, fromRaw] of [
      ['stats_monthly', sql`SELECT org_id, month, metric, dim, value FROM stats_monthly WHERE city_code = '1401'`, monthlyRaw],
      ['stats_totals', sql`SELECT org_id, metric, dim, value FROM stats_totals WHERE city_code = '1401'`, totalsRaw],
    ] as const) {
      expect(await diff(sql`(${stored}) EXCEPT ALL (${fromRaw})`), `${table} has rows the facts do not give`).toEqual([]);
      expect(await diff(sql`(${fromRaw}) EXCEPT ALL (${stored})`), `${table} lacks rows the facts give`).toEqual([]);
    }
  }

  /** The city's overview against plain counts of the raw rows. */
  async function expectOverviewMatchesRaw() {
    const o = (await get(`/api/v1/stats/overview?orgId=${t.taiyuan}`)).json();
    const [r] = await sqlq<{ vols: number; hours: number; acts: number; orders: number }>(`
      SELECT (SELECT count(*)::int FROM volunteers WHERE city_code = '1401' AND status = 'active') AS vols,
             (SELECT coalesce(sum(hours), 0)::float8 FROM service_records WHERE city_code = '1401' AND status = 'verified') AS hours,
             (SELECT count(*)::int FROM activities WHERE city_code = '1401' AND state IN ('published', 'finished')) AS acts,
             (SELECT count(*)::int FROM orders WHERE city_code = '1401') AS orders`);
    const states = await sqlq<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM orders WHERE city_code = '1401' GROUP BY state`);
    expect(o).toMatchObject({ volunteers: r!.vols, activities: r!.acts, serviceHours: Math.round(r!.hours * 10) / 10 });
    expect(o.orders.total).toBe(r!.orders);
    expect(o.orders.byState).toEqual(Object.fromEntries(states.map((s) => [s.state, s.n])));
    return o;
  }

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    resident = await ctx.register('居民');
    const dispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '调度员');
    v1 = await volunteer(ctx, t.shifanjie, { name: '赵志愿', skills: ['health'] });
    teamId = (
      await ctx.request({
        method: 'POST',
        url: '/api/v1/teams',
        payload: { orgId: t.wucheng, name: '坞城服务队', tier: 'unit', type: 'social', category: 'health', leaderUserId: v1.userId },
        as: ctx.admin,
      })
    ).json().id;
    // Today's facts through the API: one order through the whole loop with verified hours.
    const o = (
      await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content: '帮忙修水管', orgId: t.shifanjie, category: 'poverty' }, as: resident })
    ).json();
    await act(o.id, 'dispatch', dispatcher, { volunteerId: v1.volunteerId });
    await act(o.id, 'accept', v1);
    await act(o.id, 'start', v1);
    await act(o.id, 'complete', v1, { report: '修好了', hours: 1.5 });
    const rec = (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v1.volunteerId}/records`, as: ctx.admin })).json().items[0];
    // Started and completed at once here: the 1.5 h pass with a reason (hours plausibility).
    await ctx.request({
      method: 'POST',
      url: `/api/v1/service-records/${rec.id}/verify`,
      payload: { overrideReason: '测试：服务在平台外计时' },
      as: ctx.admin,
    });
    recordId = rec.id;
    // Moved 30 days back (before anything is rolled), as if it had happened then.
    const back = `interval '30 days'`;
    // Moved in UTC (timestamp - interval, immutable): Citus refuses timestamptz arithmetic (STABLE) on a column in an UPDATE.
    const ago = (col: string) => `((${col} AT TIME ZONE 'UTC') - ${back}) AT TIME ZONE 'UTC'`;
    await sqlq(
      `UPDATE orders SET created_at = ${ago('created_at')}, first_accept_due_at = ${ago('first_accept_due_at')}, accept_due_at = ${ago('accept_due_at')} WHERE id = $1`,
      [o.id],
    );
    await sqlq(`UPDATE order_events SET at = ${ago('at')} WHERE order_id = $1`, [o.id]);
    await sqlq(
      `UPDATE service_records SET created_at = ${ago('created_at')}, started_at = ${ago('started_at')}, ended_at = ${ago('ended_at')}, decided_at = ${ago('decided_at')} WHERE id = $1`,
      [rec.id],
    );
    // History before the first roll.
    await backdate(40, 'a');
    await backdate(75, 'b');
  });
  afterAll(() => ctx.close());

  it('rolls all history on the first run, exactly', async () => {
    await expectOverviewMatchesRaw();
    await roll();
    await expectRollupsExact();
    await expectOverviewMatchesRaw();
    // A second run finds nothing to change.
    const [before] = await sqlq<{ version: number }>(`SELECT version::int FROM stats_rollup_state WHERE city_code = '1401'`);
    await roll();
    const [after] = await sqlq<{ version: number }>(`SELECT version::int FROM stats_rollup_state WHERE city_code = '1401'`);
    expect(after!.version).toBe(before!.version);
  });

  it('takes in history written later with past dates (also before the first rolled day) on the next run', async () => {
    const before = await expectOverviewMatchesRaw().catch(() => null);
    expect(before).not.toBeNull();
    const trendBefore = (await get(`/api/v1/stats/trend?orgId=${t.taiyuan}&months=12`)).json();
    await backdate(20, 'c');
    await backdate(200, 'd'); // older than anything rolled so far
    // Not yet rolled: the rolled figures do not know them (this is the staleness the job removes).
    const stale = (await get(`/api/v1/stats/overview?orgId=${t.taiyuan}`)).json();
    expect(stale.volunteers).toBe(before!.volunteers);
    await roll();
    await expectRollupsExact();
    const o = await expectOverviewMatchesRaw();
    expect(o.volunteers).toBe(before!.volunteers + 2);
    const trend = (await get(`/api/v1/stats/trend?orgId=${t.taiyuan}&months=12`)).json();
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(trend.series.newVolunteers)).toBe(sum(trendBefore.series.newVolunteers) + 2);
    expect(sum(trend.series.serviceHours)).toBeCloseTo(sum(trendBefore.series.serviceHours) + 7, 5);
  });

  it('re-rolls corrected days: a revoked record, a retriaged and a cancelled order, a suspended volunteer, a cancelled activity', async () => {
    const old = await backdate(30, 'e');
    await roll();
    await expectRollupsExact();
    const catsBefore = (await get(`/api/v1/stats/categories?orgId=${t.taiyuan}`)).json().items as { code: string; orders: number }[];
    // Revoke a record of a rolled day through the API.
    const hoursBefore = (await get(`/api/v1/stats/overview?orgId=${t.taiyuan}`)).json().serviceHours;
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/service-records/${recordId}/revoke`, payload: { reason: '重复录入' }, as: ctx.admin })).statusCode,
    ).toBe(200);
    // Retriage the old waiting order to another category, then cancel it.
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/orders/${old.waitingId}/triage`, payload: { category: 'culture' }, as: ctx.admin })).statusCode,
    ).toBe(200);
    expect((await act(old.waitingId, 'cancel', resident)).statusCode).toBe(200);
    // Suspend the imported volunteer; cancel an imported activity (as their modules do: with a change time).
    await sqlq(`UPDATE volunteers SET status = 'suspended', updated_at = now() WHERE id = $1`, [old.volunteerId]);
    await sqlq(`UPDATE activities SET state = 'cancelled', cancelled_at = now() WHERE title = '导入活动e'`);
    await roll();
    await expectRollupsExact();
    const after = await expectOverviewMatchesRaw();
    expect(after.serviceHours).toBeCloseTo(hoursBefore - 1.5, 5);
    const cats = (await get(`/api/v1/stats/categories?orgId=${t.taiyuan}`)).json().items as { code: string; orders: number }[];
    const n = (xs: typeof cats, c: string) => xs.find((x) => x.code === c)!.orders;
    expect(n(cats, 'culture')).toBe(n(catsBefore, 'culture') + 1);
    expect(n(cats, 'legal')).toBe(n(catsBefore, 'legal') - 1);
  });

  it('gives the same figures for a period from the monthly rollups (and part months from the facts) as from the facts alone', async () => {
    // A period with ragged edges (part months at both ends) and one inside a single month.
    const [d] = await sqlq<{ a: string; b: string; c: string }>(
      `SELECT ((now() - interval '80 days') AT TIME ZONE 'Asia/Shanghai')::date::text AS a, ((now() - interval '10 days') AT TIME ZONE 'Asia/Shanghai')::date::text AS b,
              ((now() - interval '35 days') AT TIME ZONE 'Asia/Shanghai')::date::text AS c`,
    );
    for (const [from, to] of [
      [d!.a, d!.b],
      [d!.c, d!.b],
      [d!.a, d!.a],
    ]) {
      const rolled = (await get(`/api/v1/stats/districts?orgId=${t.taiyuan}&from=${from}&to=${to}`)).json();
      const rolledCats = (await get(`/api/v1/stats/categories?orgId=${t.taiyuan}&from=${from}&to=${to}`)).json();
      // The same period with nothing rolled: everything from the facts.
      await sqlq(`UPDATE stats_rollup_state SET rolled_through = NULL, version = version + 1 WHERE city_code = '1401'`);
      const live = (await get(`/api/v1/stats/districts?orgId=${t.taiyuan}&from=${from}&to=${to}`)).json();
      const liveCats = (await get(`/api/v1/stats/categories?orgId=${t.taiyuan}&from=${from}&to=${to}`)).json();
      await sqlq(
        `UPDATE stats_rollup_state SET rolled_through = ((now() AT TIME ZONE 'Asia/Shanghai')::date - 1), version = version + 1 WHERE city_code = '1401'`,
      );
      expect(rolled, `${from}..${to}`).toEqual(live);
      expect(rolledCats, `${from}..${to}`).toEqual(liveCats);
    }
  });

  it.runIf(kind === 'postgres')('does not lose a backdated fact whose transaction was still open while the job ran', async () => {
    const client = new pg.Client({ connectionString: ctx.database.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO volunteers (city_code, id, user_id, org_id, real_name, id_number_enc, id_number_hash, id_number_masked, created_at, updated_at)
         VALUES ('1401', gen_random_uuid(), $2, $1, '慢事务', 'x', 'h-slow', '1401**', now() - interval '50 days', now() - interval '50 days')`,
        [t.shifanjie, await importedAccount('slow', (q, p) => client.query(q, p))],
      );
      // The job runs (and moves its watermark) while that transaction is open...
      await new Promise((r) => setTimeout(r, 50));
      await roll();
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    // ...and the next run still takes the fact in.
    await roll();
    await expectRollupsExact();
    await expectOverviewMatchesRaw();
  });
});
