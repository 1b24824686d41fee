/**
 * Fuzz every operation of the API's own OpenAPI document (issue 15, "the project's own proof").
 *
 * For each operation: bad path parameters (ids of nothing, garbage, overlong, NUL, surrogates),
 * bad query values, bad values for each body field (wrong types, null, missing, huge, NUL, lone
 * surrogates, emoji, RTL, negative and huge numbers, invalid ids and dates), and bad bodies as a
 * whole (malformed JSON, non-object JSON, wrong content types, malformed multipart, over the size
 * limit) — sent anonymously and as a signed-in org_admin whose district holds real objects, so
 * that deeper code runs. The test fails on any 5xx, on any 4xx whose body is not exactly API.md's
 * `{ error: { code, message, details? } }`, and on any operation (or /api route) not fuzzed.
 *
 * Deterministic (seeded generator) and bounded: FUZZ_BUDGET (default 30) spoiled requests per
 * operation and caller, on top of a few always sent. `FUZZ_BUDGET=1000` sends every generated case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ADMIN_PHONE, createTestContext, DATABASES, freshPhone, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, freshIdNumber, staff, volunteer } from './helpers/fixtures.ts';
import { buildCases, listOperations, plausible, problemOf, type FuzzCase, type OpenApiDocument, type Operation, type World } from './helpers/fuzz.ts';

const BUDGET = Number(process.env.FUZZ_BUDGET ?? 30);

/**
 * Operations not fuzzed, each with its reason. Empty today: the two Server-Sent Events streams
 * (`GET /events`, `GET /stats/live`) are fuzzed too — a response that opens a stream is read up
 * to its headers and then closed.
 */
const EXCLUDED: Record<string, string> = {};

/** Paths the router serves under /api that are not operations of the document, with the reason. */
const NOT_IN_DOCUMENT: Record<string, string> = {
  'GET /api/v1/openapi.json': 'the document itself',
};

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5fd3a5b0000000049454e44ae426082',
  'hex',
);

interface Reply {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** The routes the router knows under /api, from Fastify's route tree (`printRoutes`). */
function routerRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.replace(/\u00a0/g, ' '));
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack[depth] = m[2]!;
    const path = stack.join('');
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD' && x !== 'OPTIONS')) {
      if (path.startsWith('/api/')) out.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return out;
}

describe.each(DATABASES)('fuzzing every operation of /api/v1/openapi.json on %s', (kind) => {
  let ctx: TestContext;
  let ops: Operation[];
  let signedIn: Caller;
  let signedInPhone: string;
  let signedInPassword = 'password123';
  const cases = new Map<string, FuzzCase[]>();
  const sent = { anonymous: new Map<string, number>(), signedIn: new Map<string, number>() };

  /** Sends one case; a response that opens an event stream is read up to its headers, then closed. */
  async function send(c: FuzzCase, as: Caller | null, extra: Record<string, string> = {}): Promise<Reply> {
    const headers = { ...c.headers, ...extra, ...(as ? { authorization: `Bearer ${as.token}` } : {}) };
    const res = await ctx.app.inject({ method: c.method as 'GET', url: c.url, payload: c.payload, headers, payloadAsStream: true });
    const stream = res.stream();
    if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      stream.destroy();
      (res.raw.res as unknown as { req?: NodeJS.EventEmitter }).req?.emit('close');
      return { statusCode: res.statusCode, headers: res.headers, body: '' };
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { statusCode: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
  }

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    const t = await buildTree(ctx);
    const admin = ctx.admin;
    signedInPhone = freshPhone();
    // The fuzzed caller: an org_admin of 小店区, whose district holds one of most things.
    const u = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { phone: signedInPhone, password: 'password123', name: '模糊测试管理员' },
    });
    expect(u.statusCode, u.body).toBe(201);
    const grant = await ctx.request({
      method: 'POST',
      url: `/api/v1/users/${u.json().user.id}/roles`,
      payload: { role: 'org_admin', orgId: t.xiaodian },
      as: admin,
    });
    expect(grant.statusCode, grant.body).toBe(201);
    signedIn = await ctx.login(signedInPhone, 'password123');
    const dispatcherUser = await ctx.register('调度员');
    const dispatcherGrant = await ctx.request({
      method: 'POST',
      url: `/api/v1/users/${dispatcherUser.userId}/roles`,
      payload: { role: 'dispatcher', orgId: t.shifanjie },
      as: admin,
    });
    await staff(ctx, 'dispatcher', t.xiaodian, '另一个调度员');
    const vol = await volunteer(ctx, t.shifanjie, { name: '模糊志愿者' });
    const resident = await ctx.register('居民');

    const docRes = await ctx.request({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(docRes.statusCode).toBe(200);
    const doc = docRes.json<OpenApiDocument>();
    ops = listOperations(doc);

    const day = 86_400_000;
    const at = (ms: number) => new Date(Math.floor((testNow().getTime() + ms) / 3_600_000) * 3_600_000).toISOString();
    const world: World = {
      ids: { orgs: t.shifanjie, users: dispatcherUser.userId, volunteers: vol.volunteerId },
      params: { grantId: String(dispatcherGrant.json<{ id?: string }>().id ?? ''), orgId: t.xiaodian, volunteerId: vol.volunteerId, code: 'household' },
      now: testNow,
      phone: freshPhone,
      idNumber: () => freshIdNumber(),
    };
    if (!world.params.grantId) delete world.params.grantId;

    /** Creates one object through the API from the document's own schema (plus what the rules need); tolerant: a fixture that cannot be made leaves ids of nothing. */
    const create = async (collection: string, path: string, as: Caller, overrides: Record<string, unknown> = {}) => {
      const schema = doc.paths[path]?.post?.requestBody?.content['application/json']?.schema;
      const body = { ...(plausible(schema, '', world) as Record<string, unknown>), ...overrides };
      const res = await ctx.request({ method: 'POST', url: path, payload: body, as });
      const id = res.statusCode < 300 ? res.json<{ id?: string; serial?: string }>() : null;
      if (id?.id) world.ids[collection] = id.id;
      else if (process.env.FUZZ_DEBUG) console.info(`fixture ${collection}: ${res.statusCode} ${res.body}`);
      return res;
    };
    const types = (await ctx.request({ method: 'GET', url: '/api/v1/resource-types' })).json<{ code: string }[]>();
    await create('departments', '/api/v1/departments', signedIn, { orgId: t.xiaodian });
    await create('teams', '/api/v1/teams', signedIn, { leaderUserId: vol.userId, category: 'health' });
    if (world.ids.teams)
      await ctx.request({ method: 'POST', url: `/api/v1/teams/${world.ids.teams}/members`, payload: { volunteerId: vol.volunteerId }, as: signedIn });
    await create('orders', '/api/v1/orders', resident, { content: '楼道灯坏了，晚上看不见路' });
    await create('activities', '/api/v1/activities', signedIn, { startsAt: at(2 * day), endsAt: at(2 * day + 7_200_000), volunteerQuota: 5, publicQuota: 5 });
    if (world.ids.activities) await ctx.request({ method: 'POST', url: `/api/v1/activities/${world.ids.activities}/publish`, as: signedIn });
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
    await create('resources', '/api/v1/resources', signedIn, { type: types[0]?.code, bookable: true, requiresApproval: true, openHours: allDay });
    if (world.ids.resources) {
      const booking = await ctx.request({
        method: 'POST',
        url: `/api/v1/resources/${world.ids.resources}/bookings`,
        payload: { startsAt: at(day), endsAt: at(day + 3_600_000), purpose: '排练' },
        as: resident,
      });
      if (booking.statusCode === 201) world.ids.bookings = booking.json<{ id: string }>().id;
      else if (process.env.FUZZ_DEBUG) console.info(`fixture bookings: ${booking.statusCode} ${booking.body}`);
    }
    await create('rewards', '/api/v1/rewards', signedIn, { cost: 1, stock: 5 });
    await create('service-records', '/api/v1/service-records', signedIn, { hours: 2, startedAt: at(-2 * day), endedAt: at(-2 * day + 7_200_000) });
    await create('content-columns', '/api/v1/content-columns', signedIn, { orgId: t.xiaodian });
    await create('contents', '/api/v1/contents', signedIn, { orgId: t.xiaodian });
    await create('residents', '/api/v1/pairing/residents', signedIn);
    await create('plans', '/api/v1/pairing/plans', signedIn, { rules: { weekly: [{ weekday: 1, time: '09:00' }] } });
    if (world.ids.plans) {
      const tasks = await ctx.request({ method: 'GET', url: `/api/v1/pairing/plans/${world.ids.plans}/tasks`, as: signedIn });
      const first = tasks.statusCode === 200 ? tasks.json<{ items: { id: string }[] }>().items[0] : undefined;
      if (first) world.ids.tasks = first.id;
    }
    await create('evaluation-indicators', '/api/v1/evaluation-indicators', signedIn, {
      orgId: t.xiaodian,
      code: 'fuzz_ind',
      weight: 100,
      levels: ['institute'],
    });
    await create('adjustments', '/api/v1/points/adjustments', signedIn, { userId: vol.userId, delta: 5 });
    if (world.ids.adjustments) await ctx.request({ method: 'POST', url: `/api/v1/points/adjustments/${world.ids.adjustments}/approve`, as: admin });
    if (world.ids.rewards) {
      const redemption = await ctx.request({ method: 'POST', url: `/api/v1/rewards/${world.ids.rewards}/redeem`, payload: { quantity: 1 }, as: vol });
      if (redemption.statusCode === 201) world.ids.redemptions = redemption.json<{ id: string }>().id;
      else if (process.env.FUZZ_DEBUG) console.info(`fixture redemptions: ${redemption.statusCode} ${redemption.body}`);
    }
    // Something in the fuzzed caller's inbox (the adjustment's and the booking's notices, if any).
    const inbox = await ctx.request({ method: 'GET', url: '/api/v1/notifications', as: signedIn });
    const notice = inbox.statusCode === 200 ? inbox.json<{ items: { id: string }[] }>().items[0] : undefined;
    if (notice) world.ids.notifications = notice.id;
    await create('service-items', '/api/v1/service-items', signedIn, { teamIds: [] });
    const boundary = 'b-fuzz';
    const upload = await ctx.request({
      method: 'POST',
      url: '/api/v1/uploads',
      payload: Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
        PNG,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      as: signedIn,
    });
    if (upload.statusCode === 201) world.ids.uploads = upload.json<{ id: string }>().id;
    const cert = await ctx.request({ method: 'POST', url: `/api/v1/volunteers/${vol.volunteerId}/certificates`, as: signedIn });
    if (cert.statusCode < 300) world.params.serial = cert.json<{ serial?: string }>().serial ?? '';

    // Exploring by hand: FUZZ_AS=admin|volunteer|resident fuzzes as another caller (CI: the org_admin).
    const other = {
      admin: { ...admin, phone: ADMIN_PHONE, password: ADMIN_PASSWORD },
      volunteer: { ...vol, password: 'password123' },
      resident: { ...resident, password: 'password123' },
    }[process.env.FUZZ_AS ?? ''];
    if (other) [signedIn, signedInPhone, signedInPassword] = [other, other.phone, other.password];
    for (const o of ops) if (!EXCLUDED[o.key]) cases.set(o.key, buildCases(o, world, BUDGET));
    if (process.env.FUZZ_DEBUG) console.info(JSON.stringify(world, null, 1));
  });
  afterAll(() => ctx?.close());

  it('every operation of the document, and every /api route the router serves, is fuzzed (or excluded with a reason)', () => {
    const keys = new Set(ops.map((o) => o.key));
    expect(ops.length).toBeGreaterThan(100);
    for (const k of Object.keys(EXCLUDED)) expect(keys.has(k), `stale exclusion ${k}`).toBe(true);
    const uncovered = ops.filter((o) => !EXCLUDED[o.key] && !(cases.get(o.key)?.length ?? 0)).map((o) => o.key);
    expect(uncovered).toEqual([]);
    const routes = routerRoutes(ctx.app.printRoutes({ commonPrefix: false }));
    expect(routes.length).toBeGreaterThan(100);
    for (const k of Object.keys(NOT_IN_DOCUMENT)) expect(routes, `stale entry ${k}`).toContain(k);
    const hidden = routes.filter((r) => !keys.has(r) && !NOT_IN_DOCUMENT[r]);
    expect(hidden, 'routes the router serves that the OpenAPI document (and so this fuzzer) does not know').toEqual([]);
  });

  const run = async (who: 'anonymous' | 'signedIn') => {
    const failures: string[] = [];
    let relogins = 0;
    const statuses = new Map<number, number>();
    const slowest: [number, string][] = [];
    for (const o of ops) {
      const started = performance.now();
      for (const c of cases.get(o.key) ?? []) {
        const as = who === 'signedIn' ? signedIn : null;
        const res = await send(c, as);
        const problem = problemOf(res);
        statuses.set(Math.floor(res.statusCode / 100), (statuses.get(Math.floor(res.statusCode / 100)) ?? 0) + 1);
        if (problem) failures.push(`${who} ${o.key} [${c.label}] ${c.method} ${c.url.slice(0, 160)} → ${problem}`);
        sent[who].set(o.key, (sent[who].get(o.key) ?? 0) + 1);
        // A case may change the caller's password (a spoiled but acceptable one: POST /auth/password)…
        if (who === 'signedIn' && o.path.endsWith('/auth/password') && res.statusCode < 300) {
          const text = (Buffer.isBuffer(c.payload) ? c.payload.toString('utf8') : (c.payload ?? '')).replace(/^\ufeff/, '');
          const changed = (JSON.parse(text) as { newPassword?: unknown }).newPassword;
          if (typeof changed === 'string' && changed !== signedInPassword) {
            // Set it back, so the next cases' current password (a plausible 'password123') is right again.
            const back = await send(
              {
                label: 'restore',
                method: 'POST',
                url: o.path,
                payload: JSON.stringify({ oldPassword: changed, newPassword: 'password123' }),
                headers: { 'content-type': 'application/json' },
              },
              signedIn,
            );
            signedInPassword = back.statusCode < 300 ? 'password123' : changed;
          }
        }
        // …or sign them out (POST /auth/logout): sign in again and go on.
        if (who === 'signedIn' && (res.statusCode === 401 || (o.path.endsWith('/auth/logout') && res.statusCode < 300))) {
          // Wrong current passwords (spoiled POST /auth/password cases) count against the sign-in throttle.
          await ctx.database.raw.query('DELETE FROM login_throttles WHERE phone = $1', [signedInPhone]);
          signedIn = await ctx.login(signedInPhone, signedInPassword);
          relogins++;
        }
      }
      slowest.push([performance.now() - started, o.key]);
      if (who === 'anonymous') {
        // Credentials that are not credentials.
        const c = cases.get(o.key)?.[0];
        if (!c) continue;
        const garbage: Record<string, string>[] = [
          { authorization: 'Bearer garbage' },
          { authorization: `Basic ${'a'.repeat(3000)}` },
          { cookie: 'sid=%00%ED%A0%80; sid=x' },
        ];
        for (const extra of garbage) {
          const res = await send(c, null, extra);
          const problem = problemOf(res);
          if (problem) failures.push(`${who} ${o.key} [${Object.keys(extra)[0]}] ${c.method} ${c.url.slice(0, 160)} → ${problem}`);
          sent[who].set(o.key, (sent[who].get(o.key) ?? 0) + 1);
        }
      }
    }
    const total = [...sent[who].values()].reduce((a, b) => a + b, 0);
    if (process.env.FUZZ_DEBUG)
      console.info(
        slowest
          .sort((x, y) => y[0] - x[0])
          .slice(0, 15)
          .map(([ms, k]) => `${Math.round(ms)} ms ${k}`),
      );
    console.info(
      `fuzz ${kind} ${who}: ${sent[who].size} operations, ${total} requests, ${failures.length} failures, ${relogins} re-sign-ins; ${statuses.get(2) ?? 0} answered 2xx, ${statuses.get(4) ?? 0} 4xx`,
    );
    expect(failures.slice(0, 40), `${failures.length} failures`).toEqual([]);
    expect(ops.filter((o) => !EXCLUDED[o.key] && !sent[who].get(o.key)).map((o) => o.key)).toEqual([]);
  };

  it('anonymous: no 5xx, every 4xx is the API error body', () => run('anonymous'), 300_000);
  it('signed in as an org_admin: no 5xx, every 4xx is the API error body', () => run('signedIn'), 300_000);
});
