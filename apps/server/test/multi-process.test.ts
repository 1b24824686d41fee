import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '@wenming/domain';
import { freePortIn } from './helpers/pg-cluster.ts';
import { listenSse, waitFor } from './helpers/sse.ts';
import { ADMIN_PASSWORD, ADMIN_PHONE, freshDatabase } from './helpers/test-app.ts';

/**
 * Issue 16, "several app processes": two real server processes on one database (PostgreSQL, and
 * in CI's Citus stage a Citus coordinator with two workers). A session made on one works on the
 * other; a notification caused on one reaches an SSE client of the other (LISTEN/NOTIFY); each due
 * job — escalation of overdue orders, the day-before activity reminder, message delivery — runs
 * exactly once across both, with both running every job every 200 ms (JOB_INTERVAL_MS); and a
 * `kill -9` of one under keyed writes loses nothing: each unanswered request, retried with its key
 * on the other, is answered once. The embedded PGlite is one process by design: skipped there.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../../..');
const WENMING = path.resolve(here, '../bin/wenming.mjs');
/** This test's ports (the coordinator's assignment). */
const PORTS = { from: 4400, to: 4499 };

type Answer = { status: number; body: Record<string, unknown> };
interface Server {
  name: string;
  port: number;
  base: string;
  child: ChildProcess;
  output: string;
}

describe.runIf(process.env.TEST_DATABASE_URL)('two server processes on one database', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let sql: pg.Client;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-two-'));
  const servers: Server[] = [];

  async function start(name: string): Promise<Server> {
    const port = await freePortIn(PORTS.from, PORTS.to);
    const s: Server = { name, port, base: `http://127.0.0.1:${port}`, output: '', child: undefined as unknown as ChildProcess };
    s.child = spawn(process.execPath, [WENMING, 'serve'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        WENMING_FROM_SOURCE: '1',
        DATABASE_URL: db.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: path.join(dataDir, name),
        WEB_DIST: path.join(dataDir, 'no-web'),
        WENMING_SEED: 'none',
        WENMING_ADMIN_PHONE: ADMIN_PHONE,
        WENMING_ADMIN_PASSWORD: ADMIN_PASSWORD,
        WENMING_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
        RATE_LIMIT_PER_MINUTE: '100000',
        JOB_INTERVAL_MS: '200',
        LOG_LEVEL: 'warn',
      },
    });
    s.child.stdout!.on('data', (d: Buffer) => (s.output += d.toString()));
    s.child.stderr!.on('data', (d: Buffer) => (s.output += d.toString()));
    const exited = new Promise<never>((_, reject) =>
      s.child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}):\n${s.output}`))),
    );
    exited.catch(() => {});
    const up = (async () => {
      for (;;) {
        if ((await fetch(`${s.base}/readyz`).catch(() => null))?.status === 200) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await Promise.race([up, exited]);
    servers.push(s);
    return s;
  }

  async function kill(s: Server) {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return;
    const gone = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGKILL');
    await gone;
  }

  async function call(s: Server, method: string, url: string, opts: { token?: string; body?: unknown; key?: string } = {}): Promise<Answer> {
    const res = await fetch(s.base + url, {
      method,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body ? { 'content-type': 'application/json' } : {}),
        ...(opts.key ? { 'idempotency-key': opts.key } : {}),
      },
      body: opts.body ? JSON.stringify(opts.body) : undefined,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }
  const ok = (r: Answer, what: string) => {
    expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body;
  };
  const count = async (text: string, values: unknown[]) => Number((await sql.query<{ n: string }>(text, values)).rows[0]!.n);

  let a: Server;
  let b: Server;
  let admin = '';
  let site = '';
  let dispatcher = '';
  let resident = { token: '', userId: '' };
  let volunteerId = '';
  let phone = 13900000500;

  beforeAll(async () => {
    db = await freshDatabase('postgres');
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    [a, b] = [await start('a'), await start('b')];

    admin = ok(await call(a, 'POST', '/api/v1/auth/login', { body: { phone: ADMIN_PHONE, password: ADMIN_PASSWORD } }), 'login').token as string;
    const org = async (body: object) => ok(await call(a, 'POST', '/api/v1/orgs', { token: admin, body }), 'org').id as string;
    const city = await org({ level: 'city', name: '太原市', regionCode: '1401' });
    const center = await org({ parentId: city, level: 'center', name: '小店区新时代文明实践中心', regionCode: '140105' });
    const institute = await org({ parentId: center, level: 'institute', name: '坞城街道新时代文明实践所', regionCode: '140105001' });
    site = await org({ parentId: institute, level: 'station', name: '师范街社区新时代文明实践站', regionCode: '140105001001' });
    const register = async (name: string, on: Server) => {
      const r = ok(await call(on, 'POST', '/api/v1/auth/register', { body: { phone: String(phone++), password: 'password123', name } }), 'register');
      return { token: r.token as string, userId: (r.user as { id: string }).id };
    };
    const d = await register('调度员', b);
    ok(await call(a, 'POST', `/api/v1/users/${d.userId}/roles`, { token: admin, body: { role: 'dispatcher', orgId: center } }), 'role');
    dispatcher = d.token;
    resident = await register('居民', a);
    const v = await register('志愿者', b);
    const first17 = '14010519800101123';
    volunteerId = ok(
      await call(b, 'POST', '/api/v1/volunteers', {
        token: v.token,
        body: { realName: '志愿者', idNumber: first17 + idNumberCheckChar(first17), orgId: site, skills: ['health'] },
      }),
      'volunteer',
    ).id as string;
  }, 240_000);

  afterAll(async () => {
    for (const s of servers) await kill(s);
    await sql?.end();
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a session made on one process works on the other, and a sign-out on the other ends it', async () => {
    const phoneNo = String(phone++);
    ok(await call(a, 'POST', '/api/v1/auth/register', { body: { phone: phoneNo, password: 'password123', name: '两边登录' } }), 'register');
    const token = ok(await call(a, 'POST', '/api/v1/auth/login', { body: { phone: phoneNo, password: 'password123' } }), 'login').token as string;
    expect((await call(b, 'GET', '/api/v1/me', { token })).status).toBe(200);
    ok(await call(b, 'POST', '/api/v1/auth/logout', { token, body: {} }), 'logout');
    expect((await call(a, 'GET', '/api/v1/me', { token })).status).toBe(401);
  });

  it('a notification caused on one process reaches an SSE client of the other', async () => {
    const stream = listenSse<{ kind: string; refId: string }>(b.port, resident.token, '/api/v1/events', 'notification');
    expect(await stream.ready).toBe(200);
    try {
      const order = ok(await call(a, 'POST', '/api/v1/orders', { token: resident.token, body: { content: '想请人教我用手机挂号', orgId: site } }), 'order');
      ok(await call(a, 'POST', `/api/v1/orders/${String(order.id)}/dispatch`, { token: dispatcher, body: { volunteerId } }), 'dispatch');
      await waitFor(() => stream.events.some((e) => e.refId === order.id), 30_000);
    } finally {
      stream.close();
    }
  });

  it('each due escalation and activity reminder is done exactly once, both processes running every job', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push(
        ok(await call(i % 2 ? a : b, 'POST', '/api/v1/orders', { token: resident.token, body: { content: `楼道灯坏了第${i + 1}盏`, orgId: site } }), 'order')
          .id as string,
      );
    // An activity with a sign-up, starting in two days; then moved to tomorrow, into the reminder's window.
    const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const activity = ok(
      await call(a, 'POST', '/api/v1/activities', {
        token: admin,
        body: {
          orgId: site,
          title: '社区义诊进万家',
          category: 'health',
          startsAt: inHours(48),
          endsAt: inHours(50),
          signupDeadline: inHours(47),
          volunteerQuota: 5,
          publicQuota: 100,
        },
      }),
      'activity',
    ).id as string;
    ok(await call(a, 'POST', `/api/v1/activities/${activity}/publish`, { token: admin, body: {} }), 'publish');
    ok(await call(b, 'POST', `/api/v1/activities/${activity}/signups`, { token: resident.token, body: { role: 'resident' } }), 'sign-up');

    // Time passes: the orders' accept deadlines are over, the activity starts in 20 hours.
    await sql.query(`UPDATE orders SET accept_due_at = now() - interval '1 minute' WHERE id = ANY($1::uuid[])`, [ids]);
    await sql.query(
      `UPDATE activities SET starts_at = now() + interval '20 hours', ends_at = now() + interval '22 hours', signup_deadline = now() + interval '19 hours' WHERE id = $1`,
      [activity],
    );
    const escalated = () => count(`SELECT count(*) AS n FROM orders WHERE id = ANY($1::uuid[]) AND escalation_level > 0`, [ids]);
    const reminded = () => count(`SELECT count(*) AS n FROM activities WHERE id = $1 AND reminded_at IS NOT NULL`, [activity]);
    const deadline = Date.now() + 60_000;
    while ((await escalated()) < ids.length || (await reminded()) < 1) {
      expect(Date.now(), 'the jobs did not run').toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Both processes go on running every job every 200 ms for a while longer.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await count(`SELECT count(*) AS n FROM order_events WHERE order_id = ANY($1::uuid[]) AND action = 'escalate'`, [ids])).toBe(ids.length);
    expect(await count(`SELECT count(*) AS n FROM orders WHERE id = ANY($1::uuid[]) AND escalation_level = 1`, [ids])).toBe(ids.length);
    expect(
      await count(`SELECT count(*) AS n FROM notifications WHERE user_id = $1 AND kind = 'activity.reminder' AND ref_id = $2`, [resident.userId, activity]),
    ).toBe(1);
  }, 120_000);

  it('kill -9 of one process under keyed writes: each unanswered write, retried with its key on the other, is done once', async () => {
    const keys = Array.from({ length: 24 }, (_, i) => `two-proc-order-${i}`);
    const first = new Map<string, Answer>();
    let answered = 0;
    const killing = (async () => {
      while (answered < 3) await new Promise((r) => setTimeout(r, 10));
      await kill(a);
    })();
    await Promise.all(
      keys.map(async (key) => {
        const r = await call(a, 'POST', '/api/v1/orders', { token: resident.token, key, body: { content: `水管漏水了（${key}）`, orgId: site } }).catch(
          () => null,
        );
        if (r) {
          first.set(key, r);
          answered++;
        }
      }),
    );
    await killing;
    // Almost always some are cut off by the kill; when all were answered first, the retries are plain replays.
    if (first.size === keys.length) console.warn('multi-process: every write was answered before the kill landed');
    for (const key of keys) {
      const retry = ok(
        await call(b, 'POST', '/api/v1/orders', { token: resident.token, key, body: { content: `水管漏水了（${key}）`, orgId: site } }),
        `retry ${key}`,
      );
      const before = first.get(key);
      if (before && before.status < 300) expect(retry.id).toBe(before.body.id);
      expect(await count(`SELECT count(*) AS n FROM orders WHERE content = $1`, [`水管漏水了（${key}）`])).toBe(1);
    }
  }, 120_000);
});
