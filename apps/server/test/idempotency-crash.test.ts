import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar, localTime, zonedInstant } from '@wenming/domain';
import { openDatabase } from '../src/db/client.ts';
import { createPgCluster, findPgBin, freePortIn, type PgCluster } from './helpers/pg-cluster.ts';

/**
 * Issue 15's crash test (docs/operations.md, "Idempotency-Key across a crash"): the real server as
 * a child process, concurrent writes with Idempotency-Keys (orders, bookings, sign-ups,
 * redemptions), `kill -9` mid-load, a restart on the same database, and every unanswered request
 * retried with its key. Then: every acknowledged write is there, every retry got the committed
 * answer or ran once, nothing is half-written, and `wenming reconcile-points` passes. On a
 * PostgreSQL cluster of the test's own (skipped only without PostgreSQL binaries) and on the
 * embedded PGlite data folder. The moment of the kill varies from run to run; what is asserted
 * holds for every moment, so the outcome does not.
 */

const PG_BIN = findPgBin();
const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../../..');
const WENMING = path.resolve(here, '../bin/wenming.mjs');
/** This test's ports (the coordinator's assignment), so it never collides with another's servers. */
const PORTS = { from: 4100, to: 4199 };

const ADMIN_PHONE = '13800000000';
const ADMIN_PASSWORD = 'admin-pass-123';
const TZ = 'Asia/Shanghai';
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));

/** The load: RESIDENTS people, each sending every kind of write; KILL_AFTER acknowledged answers, then kill -9. */
const RESIDENTS = 8;
const PER_RESIDENT = { orders: 2, bookings: 3, redemptions: 3 };
const IN_FLIGHT = 12;
const KILL_AFTER = 24;
const GRANT = 100;
const COST = 5;

type Answer = { status: number; body: Record<string, unknown>; replayed: boolean };
interface Write {
  kind: 'order' | 'booking' | 'signup' | 'redemption';
  key: string;
  url: string;
  body: Record<string, unknown>;
  resident: number;
  /** What the first attempt got, if anything (undefined: cut off by the kill, or never sent). */
  first?: Answer;
  /** What the retry after the restart got. */
  retry?: Answer;
}

const kinds = [...(PG_BIN ? (['postgres'] as const) : []), 'pglite'] as const;
if (!PG_BIN) console.warn('idempotency-crash: the PostgreSQL half skipped — no PostgreSQL server binaries (initdb, pg_ctl)');

describe.each(kinds)('kill -9 under concurrent keyed writes, on %s', (kind) => {
  let pg: PgCluster | undefined;
  let server: ChildProcess | undefined;
  let output = '';
  let base = '';
  let port = 0;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-crash-'));

  const env = () => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    WENMING_FROM_SOURCE: '1',
    ...(pg ? { DATABASE_URL: pg.url } : {}),
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    WEB_DIST: path.join(dataDir, 'no-web'),
    WENMING_SEED: 'none',
    WENMING_ADMIN_PHONE: ADMIN_PHONE,
    WENMING_ADMIN_PASSWORD: ADMIN_PASSWORD,
    WENMING_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
    RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
  });

  async function start() {
    output = '';
    const child = spawn(process.execPath, [WENMING, 'serve'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: env() });
    server = child;
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}):\n${output}`))));
    const up = (async () => {
      for (;;) {
        const r = await fetch(`${base}/readyz`).catch(() => null);
        if (r?.status === 200) return;
        await new Promise((res) => setTimeout(res, 200));
      }
    })();
    await Promise.race([up, exited]);
    exited.catch(() => {});
  }

  async function stop(signal: 'SIGTERM' | 'SIGKILL') {
    const child = server;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(timer);
  }

  async function call(method: string, url: string, opts: { token?: string; body?: unknown; key?: string } = {}): Promise<Answer> {
    const res = await fetch(base + url, {
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
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown>, replayed: res.headers.get('idempotent-replayed') === 'true' };
  }
  const ok = (r: Answer, what: string) => {
    expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body;
  };

  afterAll(async () => {
    await stop('SIGKILL');
    await pg?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('every acknowledged write survives, every unanswered one retried with its key is answered with the committed result or runs once, and the points reconcile', async () => {
    if (kind === 'postgres') pg = await createPgCluster(PG_BIN!, { port: await freePortIn(PORTS.from, PORTS.to) });
    port = await freePortIn(PORTS.from, PORTS.to);
    base = `http://127.0.0.1:${port}`;
    await start();

    // The stage: a site, two district admins (points need two people), a room, an activity, a reward, the residents with points.
    const admin = ok(await call('POST', '/api/v1/auth/login', { body: { phone: ADMIN_PHONE, password: ADMIN_PASSWORD } }), 'login').token as string;
    const org = async (body: object) => ok(await call('POST', '/api/v1/orgs', { token: admin, body }), 'org').id as string;
    const city = await org({ level: 'city', name: '太原市', regionCode: '1401' });
    const center = await org({ parentId: city, level: 'center', name: '小店区新时代文明实践中心', regionCode: '140105' });
    const institute = await org({ parentId: center, level: 'institute', name: '坞城街道新时代文明实践所', regionCode: '140105001' });
    const site = await org({ parentId: institute, level: 'station', name: '师范街社区新时代文明实践站', regionCode: '140105001001' });
    let phone = 13900000100;
    const register = async (name: string) => {
      const b = ok(await call('POST', '/api/v1/auth/register', { body: { phone: String(phone++), password: 'password123', name } }), 'register');
      return { token: b.token as string, userId: (b.user as { id: string }).id };
    };
    const orgAdmin = async (orgId: string, name: string) => {
      const u = await register(name);
      ok(await call('POST', `/api/v1/users/${u.userId}/roles`, { token: admin, body: { role: 'org_admin', orgId } }), 'role');
      return u;
    };
    const manager = await orgAdmin(institute, '坞城所管理员');
    const second = await orgAdmin(center, '小店区管理员');
    const resource = ok(
      await call('POST', '/api/v1/resources', {
        token: manager.token,
        body: { orgId: site, bookable: true, name: '多功能室', type: 'multi_room', openHours: ALL_DAY, requiresApproval: false },
      }),
      'resource',
    ).id as string;
    const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const activity = ok(
      await call('POST', '/api/v1/activities', {
        token: manager.token,
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
    ok(await call('POST', `/api/v1/activities/${activity}/publish`, { token: manager.token, body: {} }), 'publish');
    const reward = ok(await call('POST', '/api/v1/rewards', { token: manager.token, body: { orgId: site, name: '食用油', cost: COST, stock: 1000 } }), 'reward')
      .id as string;
    const residents: { token: string; userId: string }[] = [];
    for (let i = 0; i < RESIDENTS; i++) {
      const r = await register(`居民${i + 1}`);
      // Reported in at the site as a volunteer: the tie that lets its staff grant them points.
      const first17 = `14010519800101${String(100 + i)}`;
      ok(
        await call('POST', '/api/v1/volunteers', {
          token: r.token,
          body: { realName: `居民${i + 1}`, idNumber: first17 + idNumberCheckChar(first17), orgId: site, skills: ['health'] },
        }),
        'volunteer',
      );
      const adj = ok(
        await call('POST', '/api/v1/points/adjustments', {
          token: manager.token,
          body: { userId: r.userId, orgId: site, delta: GRANT, reason: '垃圾分类积极分子' },
        }),
        'adjustment',
      );
      ok(await call('POST', `/api/v1/points/adjustments/${String(adj.id)}/approve`, { token: second.token, body: {} }), 'approve');
      residents.push(r);
    }

    // The writes: each its own key and, for bookings, its own hour, so none refuses another.
    const days = [2, 3].map((n) => localTime(new Date(Date.now() + n * 86_400_000), TZ).date);
    const writes: Write[] = [];
    let slot = 0;
    for (let i = 0; i < RESIDENTS; i++) {
      for (let j = 0; j < PER_RESIDENT.orders; j++) {
        const key = `crash-order-${i}-${j}`;
        writes.push({ kind: 'order', key, url: '/api/v1/orders', body: { content: `楼道灯坏了请帮忙修一下（${key}）`, orgId: site }, resident: i });
      }
      for (let j = 0; j < PER_RESIDENT.bookings; j++, slot++) {
        const key = `crash-booking-${i}-${j}`;
        const day = days[Math.floor(slot / 24)]!;
        const hour = slot % 24;
        writes.push({
          kind: 'booking',
          key,
          url: `/api/v1/resources/${resource}/bookings`,
          body: {
            purpose: `排练（${key}）`,
            startsAt: zonedInstant(day, hour * 60, TZ).toISOString(),
            endsAt: zonedInstant(day, hour * 60 + 60, TZ).toISOString(),
          },
          resident: i,
        });
      }
      writes.push({ kind: 'signup', key: `crash-signup-${i}`, url: `/api/v1/activities/${activity}/signups`, body: { role: 'resident' }, resident: i });
      for (let j = 0; j < PER_RESIDENT.redemptions; j++)
        writes.push({ kind: 'redemption', key: `crash-redeem-${i}-${j}`, url: `/api/v1/rewards/${reward}/redeem`, body: { quantity: 1 }, resident: i });
    }
    // Interleave the kinds, so the kill falls among all of them.
    writes.sort((a, b) => (a.key.split('-').at(-1)! + a.key).localeCompare(b.key.split('-').at(-1)! + b.key));
    const send = (w: Write) => call('POST', w.url, { token: residents[w.resident]!.token, body: w.body, key: w.key });

    // The load, IN_FLIGHT at a time; kill -9 once KILL_AFTER answers are in.
    let next = 0;
    let acknowledged = 0;
    let killed: Promise<void> | null = null;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < writes.length && !killed) {
          const w = writes[next++]!;
          try {
            w.first = await send(w);
          } catch {
            continue; // cut off by the kill: unanswered
          }
          if (++acknowledged >= KILL_AFTER) killed ??= stop('SIGKILL');
        }
      }),
    );
    // (Set by the workers above; TypeScript does not follow assignments in callbacks.)
    await (killed as Promise<void> | null);
    const answered = writes.filter((w) => w.first);
    const unanswered = writes.filter((w) => !w.first);
    expect(answered.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(unanswered.length).toBeGreaterThan(0);
    for (const w of answered) ok(w.first!, `${w.key} before the kill`);

    // Restart on the same database; retry every unanswered request with its key, concurrently, and replay the answered ones.
    await start();
    await Promise.all(unanswered.map(async (w) => (w.retry = await send(w))));
    for (const w of unanswered) {
      ok(w.retry!, `${w.key} retried`);
      // The retry either found the write committed (its stored answer) or ran it now: a second retry replays it.
      const again = await send(w);
      expect(again.replayed, w.key).toBe(true);
      expect(again.body).toEqual(w.retry!.body);
    }
    for (const w of answered) {
      const again = await send(w);
      expect(again.replayed, w.key).toBe(true);
      expect(again.status).toBe(w.first!.status);
      expect(again.body, w.key).toEqual(w.first!.body);
    }
    // Balances as the residents see them: each redemption debited once.
    for (let i = 0; i < RESIDENTS; i++) {
      const me = ok(await call('GET', '/api/v1/points/me', { token: residents[i]!.token }), 'points');
      expect(me.balance).toBe(GRANT - COST * PER_RESIDENT.redemptions);
    }
    await stop('SIGTERM');

    // wenming reconcile-points on the same database: every balance = its ledger, every redemption debited once.
    const reconcile = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [WENMING, 'reconcile-points'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: env() });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) => resolve({ code, out }));
    });
    expect(reconcile.code, reconcile.out).toBe(0);
    expect(reconcile.out).toContain('对账通过');

    // The rows themselves: one per write, the one its answer names; nothing half-written.
    const database = await openDatabase({ databaseUrl: pg?.url, dataDir });
    try {
      const q = <T>(sql: string, params: unknown[] = []) => database.raw.query<T>(sql, params);
      const final = (w: Write) => (w.first ?? w.retry)!.body;
      for (const w of writes.filter((x) => x.kind === 'order')) {
        const rows = await q<{ id: string; events: number }>(
          `SELECT o.id, (SELECT count(*)::int FROM order_events e WHERE e.city_code = o.city_code AND e.order_id = o.id AND e.action = 'submit') AS events
             FROM orders o WHERE o.content = $1`,
          [w.body.content],
        );
        expect(rows, w.key).toEqual([{ id: final(w).id, events: 1 }]);
      }
      for (const w of writes.filter((x) => x.kind === 'booking')) {
        const rows = await q<{ id: string }>('SELECT id FROM bookings WHERE purpose = $1', [w.body.purpose]);
        expect(rows, w.key).toEqual([{ id: final(w).id }]);
      }
      for (const w of writes.filter((x) => x.kind === 'signup')) {
        const rows = await q<{ id: string }>('SELECT id FROM activity_signups WHERE activity_id = $1 AND user_id = $2', [
          activity,
          residents[w.resident]!.userId,
        ]);
        expect(rows, w.key).toEqual([{ id: final(w).id }]);
      }
      // The activity's counter agrees with its rows.
      const [counter] = await q<{ counted: number; rows: number }>(
        `SELECT a.public_registered AS counted,
                (SELECT count(*)::int FROM activity_signups s WHERE s.city_code = a.city_code AND s.activity_id = a.id AND s.role = 'resident' AND s.status = 'registered') AS rows
           FROM activities a WHERE a.id = $1`,
        [activity],
      );
      expect(counter).toEqual({ counted: RESIDENTS, rows: RESIDENTS });
      for (let i = 0; i < RESIDENTS; i++) {
        const rows = await q<{ id: string }>('SELECT id FROM redemptions WHERE user_id = $1 ORDER BY id', [residents[i]!.userId]);
        const expected = writes
          .filter((w) => w.kind === 'redemption' && w.resident === i)
          .map((w) => final(w).id as string)
          .sort();
        expect(rows.map((r) => r.id)).toEqual(expected);
      }
      // Every key has its answer: none stuck.
      const [keys] = await q<{ n: number; unanswered: number }>(
        "SELECT count(*)::int AS n, count(*) FILTER (WHERE status_code IS NULL)::int AS unanswered FROM idempotency_keys WHERE key LIKE 'crash-%'",
      );
      expect(keys).toEqual({ n: writes.length, unanswered: 0 });
    } finally {
      await database.close();
    }
  }, 240_000);
});
