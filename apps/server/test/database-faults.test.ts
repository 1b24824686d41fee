import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgCluster, findPgBin, freePort, type PgCluster } from './helpers/pg-cluster.ts';
import { listenSse, waitFor } from './helpers/sse.ts';

/**
 * Fault tests of issue 15 (docs/operations.md, "When the database fails"): the real server, as a
 * child process, on a PostgreSQL cluster of the test's own, which the test stops, restarts,
 * pauses (SIGSTOP) and resumes under it. Skipped only when no PostgreSQL server binaries exist.
 */

const PG_BIN = findPgBin();
const here = path.dirname(fileURLToPath(import.meta.url));
const WENMING = path.resolve(here, '../bin/wenming.mjs');

/** Short timeouts, so a fault shows within seconds; the defaults are longer (docs/operations.md). */
const T = { connect: 1500, statement: 3000, query: 4000, readyz: 1000 };
/** A request during a fault must be answered within this: the longest timeout plus room for a busy machine. */
const FAIL_FAST_MS = T.query + T.connect + 2500;

/** A JSON answer: the API's error body, or some fields of a record. */
type Body = { error?: { code: string; message: string }; [field: string]: unknown };

const ADMIN_PHONE = '13800000000';
const ADMIN_PASSWORD = 'admin-pass-123';

if (!PG_BIN) console.warn('database-faults: skipped — no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin or PG_BIN_DIR');

describe.skipIf(!PG_BIN)('database faults: the real server on a PostgreSQL of its own, stopped and paused under it', () => {
  let pg: PgCluster;
  let server: ChildProcess;
  let output = '';
  let base = '';
  let port = 0;
  let dataDir = '';
  let admin = '';
  let resident = '';
  let orgId = '';
  let stream: ReturnType<typeof listenSse<{ kind: string; refId: string }>>;

  const call = async (method: string, url: string, opts: { token?: string; body?: unknown } = {}) => {
    const t0 = Date.now();
    const res = await fetch(base + url, {
      method,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body ? { 'content-type': 'application/json' } : {}) },
      body: opts.body ? JSON.stringify(opts.body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Body, ms: Date.now() - t0 };
  };

  /** An order by the resident, turned down by the admin: the resident gets an `order.progress` notification about it. */
  const notifyResident = async () => {
    const order = await call('POST', '/api/v1/orders', { token: resident, body: { content: '楼道灯坏了好几天，晚上很黑', orgId } });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const rejected = await call('POST', `/api/v1/orders/${String(order.body.id)}/reject`, { token: admin, body: { reason: '测试' } });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    return order.body.id as string;
  };

  const expectUnavailable = (r: Awaited<ReturnType<typeof call>>) => {
    expect(r.status, JSON.stringify(r.body)).toBe(503);
    expect(r.body.error?.code).toBe('UNAVAILABLE');
    expect(typeof r.body.error?.message).toBe('string');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  };

  /** Polls /readyz until the database answers (and, with `listening`, the LISTEN connection is back too). */
  const waitUntilReady = async (opts: { listening: boolean }) => {
    const end = Date.now() + 30_000;
    for (;;) {
      const r = await call('GET', '/readyz').catch(() => null);
      if (r?.status === 200 && (!opts.listening || r.body.notifications === 'listening')) return r;
      if (Date.now() > end) throw new Error(`not ready again: ${JSON.stringify(r?.body)}\n${output.slice(-2000)}`);
      await new Promise((res) => setTimeout(res, 200));
    }
  };

  beforeAll(async () => {
    pg = await createPgCluster(PG_BIN!);
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-faults-'));
    server = spawn(process.execPath, [WENMING, 'serve'], {
      cwd: path.resolve(here, '../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        WENMING_FROM_SOURCE: '1',
        DATABASE_URL: pg.url,
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
        DATABASE_CONNECT_TIMEOUT_MS: String(T.connect),
        DATABASE_STATEMENT_TIMEOUT_MS: String(T.statement),
        DATABASE_QUERY_TIMEOUT_MS: String(T.query),
        READYZ_TIMEOUT_MS: String(T.readyz),
      },
    });
    server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<never>((_, reject) => server.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`))));
    const up = (async () => {
      for (;;) {
        const r = await call('GET', '/readyz').catch(() => null);
        if (r?.status === 200) return;
        await new Promise((res) => setTimeout(res, 200));
      }
    })();
    await Promise.race([up, exited]);

    const login = await call('POST', '/api/v1/auth/login', { body: { phone: ADMIN_PHONE, password: ADMIN_PASSWORD } });
    admin = login.body.token as string;
    orgId = (await call('POST', '/api/v1/orgs', { token: admin, body: { level: 'city', name: '太原市', regionCode: '1401' } })).body.id as string;
    const reg = await call('POST', '/api/v1/auth/register', { body: { phone: '13912345678', password: 'password123', name: '居民' } });
    resident = reg.body.token as string;
    expect(resident, JSON.stringify(reg.body)).toBeTruthy();
  });

  afterAll(async () => {
    stream?.close();
    if (server && server.exitCode === null) {
      const gone = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    await pg?.destroy();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('before any fault: requests succeed and the SSE stream receives a notification', async () => {
    stream = listenSse(port, resident, '/api/v1/events', 'notification');
    expect(await stream.ready).toBe(200);
    const id = await notifyResident();
    await waitFor(() => stream.events.some((e) => e.refId === id));
  });

  it('database stopped: every request answers 503 UNAVAILABLE with Retry-After, /readyz 503 within its deadline; the process stays up', async () => {
    await pg.stop();
    expectUnavailable(await call('GET', '/api/v1/me', { token: resident }));
    expectUnavailable(await call('POST', '/api/v1/orders', { token: resident, body: { content: '停库时提交', orgId } }));
    expectUnavailable(await call('POST', '/api/v1/auth/login', { body: { phone: ADMIN_PHONE, password: ADMIN_PASSWORD } }));
    const ready = await call('GET', '/readyz');
    expectUnavailable(ready);
    expect(ready.ms).toBeLessThan(T.readyz + 1000);
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it('database started again: requests succeed and the same SSE stream receives a notification published after recovery, without a server restart', async () => {
    await pg.start();
    await waitUntilReady({ listening: false });
    expect((await call('GET', '/api/v1/me', { token: resident })).status).toBe(200);
    // Published at once, most likely before the LISTEN connection is back (its backoff is still
    // running): the hub pushes what was written while it was away.
    const early = await notifyResident();
    await waitFor(() => stream.events.some((e) => e.refId === early));
    const ready = await waitUntilReady({ listening: true });
    expect(ready.body).toMatchObject({ status: 'ok', database: 'postgres', notifications: 'listening' });
    const later = await notifyResident();
    await waitFor(() => stream.events.some((e) => e.refId === later));
    // Each notification once, however it came (NOTIFY or the catch-up).
    const ids = stream.events.map((e) => e.refId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('database paused (SIGSTOP): requests fail fast with 503 instead of hanging, /readyz 503 within its deadline', async () => {
    expect(pg.signalAll('SIGSTOP')).toBeGreaterThan(1);
    try {
      // More at once than the pool has connections: the ones waiting for a connection time out too.
      const many = await Promise.all(Array.from({ length: 14 }, () => call('GET', '/api/v1/me', { token: resident })));
      for (const r of many) {
        expectUnavailable(r);
        expect(r.ms).toBeLessThan(FAIL_FAST_MS);
      }
      const ready = await call('GET', '/readyz');
      expectUnavailable(ready);
      expect(ready.ms).toBeLessThan(T.readyz + 1000);
    } finally {
      pg.signalAll('SIGCONT');
    }
  });

  it('database resumed (SIGCONT): requests succeed and SSE delivery goes on', async () => {
    await waitUntilReady({ listening: false });
    expect((await call('GET', '/api/v1/me', { token: resident })).status).toBe(200);
    const id = await notifyResident();
    await waitFor(() => stream.events.some((e) => e.refId === id));
    expect(server.exitCode).toBeNull();
  });
});
