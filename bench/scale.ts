/**
 * `npm run bench -- --scale`: the hot paths at city scale on PostgreSQL (BENCH_DATABASE_URL), each
 * next to its ceilings measured in the same run — because this machine is shared and noisy, the
 * ratios are the figures to read, not the absolute times (docs/performance.md, 基准测试).
 *
 * - HTTP ceiling: a trivial authenticated route of the same server (same plugins, rate limiter and
 *   auth hook), under the same load generator (autocannon, 50 connections).
 * - SQL ceiling: the statements one request of the path made the server's pool execute, replayed
 *   through node-postgres with the same pool size and concurrency (bench/lib/sql-replay.ts).
 * The server runs in a child process (bench/lib/server-child.ts); its peak RSS is read from /proc.
 * Options: --duration <s> (per path, default 10), --only <name,…>, --skip <name,…>,
 * --connections <n> (50), --pool <n> (10), --op-timeout <s> (single runs, default 300),
 * --residents <n> (distinct residents for POST /orders, default 100), --factor <f> (generation),
 * --show-sql (print each path's recorded statements), --cpu-prof <dir> (the server under test
 * writes a V8 CPU profile there when it stops: open it in Chrome DevTools or read its top frames). Names for --only / --skip: ceiling-get,
 * ceiling-post, orders-submit, candidates, orders-desk, overview-city, overview-district, screen-map,
 * screen-trend, screen-categories, screen-top, screen-districts, volunteers-first,
 * volunteers-page50, orgs-search, login, export-district, rollup, evaluation-city-month,
 * cold-start (a trailing * matches a prefix: --only 'screen-*').
 * It only ever sends traffic to 127.0.0.1, and never asserts anything about time.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { openPglite, openPostgres, type Database } from '../apps/server/src/db/client.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { prepareDataset, DISTRICT, type BenchDataset } from './lib/dataset.ts';
import { seedScale } from '../apps/server/src/seed/scale/index.ts';
import { autocannonLoad, once, sequentialLoad, type LoadSpec, type LoadResult } from './lib/load.ts';
import { planReplay, replayLoad, type CapturedStatement } from './lib/sql-replay.ts';
import { cpuSecondsOf, memoryOf, watchMemory } from './lib/proc.ts';
import { renderTable, writeJson, type PathRow, type SingleRow } from './lib/report.ts';
import { BENCH_PING } from './lib/routes.ts';
// @ts-expect-error -- a plain .mjs build script without types
import { bundleServer } from '../scripts/bundle-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const API = '/api/v1';
const SERVER_APP = 'wenming-bench-server';
/** A path whose single warm-up request takes longer than this is measured one request at a time. */
const SLOW_MS = 1000;
/** The first roll of a generated city's whole history takes minutes. */
const ROLLUP_TIMEOUT_S = 1800;
/** What "flat memory" allows an export to add to the server's RSS. */
const FLAT_MB = 64;

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  strict: false,
  options: {
    scale: { type: 'boolean' },
    duration: { type: 'string', default: '10' },
    only: { type: 'string' },
    skip: { type: 'string' },
    connections: { type: 'string', default: '50' },
    pool: { type: 'string', default: '10' },
    'op-timeout': { type: 'string', default: '300' },
    residents: { type: 'string', default: '100' },
    factor: { type: 'string', default: '1' },
    'show-sql': { type: 'boolean' },
    'cpu-prof': { type: 'string' },
  },
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const POOL = Number(args.pool);
const OP_TIMEOUT_S = Number(args['op-timeout']);
const only = typeof args.only === 'string' ? new Set(args.only.split(',').map((s) => s.trim())) : null;
const skip = new Set(typeof args.skip === 'string' ? args.skip.split(',').map((s) => s.trim()) : []);
const wanted = (name: string) => (!only || only.has(name) || [...only].some((o) => o.endsWith('*') && name.startsWith(o.slice(0, -1)))) && !skip.has(name);
const log = (m: string) => console.error(`[bench] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withAppName(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
}

/** Previous calendar month in Asia/Shanghai, as YYYY-MM. */
function previousMonth(): string {
  const d = new Date(Date.now() + 8 * 3_600_000);
  const y = d.getUTCMonth() === 0 ? d.getUTCFullYear() - 1 : d.getUTCFullYear();
  const m = d.getUTCMonth() === 0 ? 12 : d.getUTCMonth();
  return `${y}-${String(m).padStart(2, '0')}`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

// --- the server under test ---------------------------------------------------------------------
type ChildMsg =
  | { type: 'ready'; port: number }
  | { type: 'capturing' }
  | { type: 'captured'; statements: CapturedStatement[] }
  | { type: 'rollup'; ms: number; rolled: number }
  | { type: 'error'; message: string };

class ServerUnderTest {
  private waiters: { type: ChildMsg['type']; resolve: (m: ChildMsg) => void; reject: (e: Error) => void }[] = [];
  base = '';
  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: ChildMsg) => {
      const i = m.type === 'error' ? 0 : this.waiters.findIndex((w) => w.type === m.type);
      const w = i >= 0 ? this.waiters.splice(i, 1)[0] : undefined;
      if (!w) return;
      if (m.type === 'error') w.reject(new Error(m.message));
      else w.resolve(m);
    });
    child.on('exit', (code) => {
      for (const w of this.waiters.splice(0)) w.reject(new Error(`the server under test exited (${code})`));
    });
  }
  static async start(url: string): Promise<ServerUnderTest> {
    // The server is bundled as production runs it (scripts/bundle-server.mjs, like dist/main.mjs),
    // not through tsx: tsx's compiler and its cache would add ~40 MB to the RSS measured.
    const bundle = path.join(root, 'apps/server/dist/bench-server.mjs');
    await bundleServer(
      path.join(here, 'lib/server-child.ts'),
      bundle,
      '// The server under test of bench/scale.ts, bundled from bench/lib/server-child.ts; do not edit.',
    );
    const child = fork(bundle, [], {
      execArgv: typeof args['cpu-prof'] === 'string' ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args['cpu-prof'])}`] : [],
      serialization: 'advanced',
      env: { ...process.env, BENCH_DATABASE_URL: withAppName(url, SERVER_APP), BENCH_POOL_SIZE: String(POOL), LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    process.once('exit', () => child.kill());
    const s = new ServerUnderTest(child);
    const ready = (await s.wait('ready', 120_000)) as { port: number };
    s.base = `http://127.0.0.1:${ready.port}`;
    return s;
  }
  get pid() {
    return this.child.pid!;
  }
  wait(type: ChildMsg['type'], timeoutMs: number): Promise<ChildMsg> {
    return new Promise((resolve, reject) => {
      const w = { type, resolve, reject };
      this.waiters.push(w);
      setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`no '${type}' from the server under test within ${timeoutMs} ms`));
        }
      }, timeoutMs).unref();
    });
  }
  /** The statements the server's pool ran during fn (and 250 ms after it, for work after the response). */
  async capture(fn: () => Promise<unknown>): Promise<CapturedStatement[]> {
    const on = this.wait('capturing', 10_000);
    this.child.send({ type: 'capture', on: true });
    await on;
    await fn();
    await sleep(250);
    const got = this.wait('captured', 10_000);
    this.child.send({ type: 'capture', on: false });
    return ((await got) as { statements: CapturedStatement[] }).statements;
  }
  async rollup(timeoutMs: number): Promise<{ ms: number; rolled: number }> {
    const p = this.wait('rollup', timeoutMs);
    this.child.send({ type: 'rollup' });
    return (await p) as { ms: number; rolled: number };
  }
  async stop() {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'stop' });
    await Promise.race([exited, sleep(10_000)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/**
 * Waits until what the last measurement left behind has drained: the server's connections are
 * idle and its event loop answers /healthz promptly (CPU-bound work such as password hashing).
 */
async function settle(database: Database, maxMs = 180_000, base?: string): Promise<void> {
  const t0 = performance.now();
  if (base)
    for (let quick = 0; quick < 3 && performance.now() - t0 < maxMs;) {
      const t = performance.now();
      const ok = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      quick = ok && performance.now() - t < 20 ? quick + 1 : 0;
      await sleep(50);
    }
  for (;;) {
    const [r] = await database.raw.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND state NOT IN ('idle') AND pid <> pg_backend_pid()`,
      [SERVER_APP],
    );
    if (Number(r?.n ?? 0) === 0) return;
    if (performance.now() - t0 > maxMs) {
      log('the server is still busy: cancelling its statements');
      await database.raw.query(`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'`, [SERVER_APP]);
      return;
    }
    await sleep(200);
  }
}

// --- the run -----------------------------------------------------------------------------------
interface PathDef {
  name: string;
  label: string;
  writes?: boolean;
  /** Skip the SQL ceiling (the HTTP ceilings themselves). */
  noSql?: boolean;
  ceiling?: 'ceiling-get' | 'ceiling-post';
  target?: string;
  check?: (r: PathRow) => boolean;
  /** The load; `capture` is the same request from one fixed caller (two recordings must align). */
  spec: () => Promise<{ load: LoadSpec; capture: LoadSpec }>;
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    console.error('npm run bench -- --scale needs BENCH_DATABASE_URL (a PostgreSQL database; an empty one is filled with the scale data set first)');
    process.exit(2);
  }
  const startedAt = new Date();
  // Read at the start: what the server under test was built from.
  let commit = '';
  let uncommitted: string[] = [];
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    // The tree this ran from may hold work not committed yet: name it, so figures are not credited to the wrong commit.
    uncommitted = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3));
  } catch {
    // not a git checkout: the figures carry no commit
  }
  const database = openPostgres(withAppName(url, 'wenming-bench-setup'), 4);
  const ds: BenchDataset = await prepareDataset(database, log, { factor: Number(args.factor), residents: Number(args.residents) });
  log(
    `data set: ${ds.kind} (${ds.source}); ${Object.entries(ds.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );

  const one = async <T>(sql: string, params: unknown[] = []) => (await database.raw.query<T>(sql, params))[0];
  const cityOrg = await one<{ id: string }>(`SELECT id FROM orgs WHERE level = 'city' AND region_code = $1`, [ds.city]);
  const districtOrg = await one<{ id: string }>(`SELECT id FROM orgs WHERE level = 'center' AND region_code = $1`, [DISTRICT]);
  const stations = (
    await database.raw.query<{ id: string }>(`SELECT id FROM orgs WHERE level = 'station' AND region_code LIKE $1 ORDER BY region_code LIMIT 20`, [
      `${DISTRICT}%`,
    ])
  ).map((r) => r.id);
  if (!cityOrg || !districtOrg || !stations.length) throw new Error('the data set has no 太原市 / 小店区 org tree');

  const server = await ServerUnderTest.start(url);
  const base = server.base;
  log(`server under test: pid ${server.pid}, ${base}, pool ${POOL}`);
  const idle = memoryOf(server.pid);

  // Sign-ins.
  const login = async (phone: string): Promise<string | null> => {
    const r = await once(base, { method: 'POST', path: `${API}/auth/login`, headers: {}, body: JSON.stringify({ phone, password: ds.password }) });
    return r.status === 200 ? (JSON.parse(r.body) as { token: string }).token : null;
  };
  const must = async (phone: string, who: string) => {
    const t = await login(phone);
    if (!t) throw new Error(`cannot sign in as the ${who} ${phone} (BENCH_PASSWORD?)`);
    return t;
  };
  const adminTok = await must(ds.adminPhone, 'bench admin');
  const dispatcherTok = await must(ds.dispatcher, 'dispatcher');
  const districtTok = await must(ds.districtAdmin, 'district admin');
  const cityTok = ds.cityAdmin ? await must(ds.cityAdmin, 'city admin') : adminTok;
  const residentToks: string[] = [];
  const residentPhones: string[] = [];
  for (let i = 0; i < ds.residents.length; i += 4) {
    const batch = ds.residents.slice(i, i + 4);
    const toks = await Promise.all(batch.map(login));
    toks.forEach((t, k) => {
      if (t) {
        residentToks.push(t);
        residentPhones.push(batch[k]!);
      }
    });
  }
  if (ds.kind === 'demo') {
    // The demo has one resident: register more (the bench's own, 1770000xxxx), so submissions come from many.
    for (let i = 0; residentToks.length < Number(args.residents) && i < Number(args.residents) * 2; i++) {
      const phone = `1770000${String(i).padStart(4, '0')}`;
      let t = await login(phone);
      if (!t) {
        const r = await once(base, {
          method: 'POST',
          path: `${API}/auth/register`,
          headers: {},
          body: JSON.stringify({ phone, password: ds.password, name: `压测居民${i}` }),
        });
        t = r.status === 201 ? (JSON.parse(r.body) as { token: string }).token : null;
      }
      if (t) {
        residentToks.push(t);
        residentPhones.push(phone);
      }
    }
  }
  if (!residentToks.length) throw new Error('no resident could sign in');
  log(
    `signed in: ${residentToks.length} residents, dispatcher ${ds.dispatcher}, district admin ${ds.districtAdmin}, city ${ds.cityAdmin ?? `(bench admin ${ds.adminPhone})`}`,
  );

  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  // As a browser asks: it accepts a compressed answer.
  const get = (p: string, tok: string): LoadSpec => ({ method: 'GET', path: p, headers: { ...bearer(tok), 'accept-encoding': 'gzip, deflate, br' } });
  const same = (s: LoadSpec) => ({ load: s, capture: s });
  const texts = [
    '我家老人血压高，想请医生上门量量血压',
    '楼道灯坏了好几天了，请帮忙修一下',
    '想给孩子找个周末辅导功课的志愿者',
    '小区门口垃圾堆了好多天没人清理',
    '想咨询一下低保怎么申请',
  ];
  const runId = Date.now().toString(36);
  let seq = 0;
  const orderBody = (i: number) => JSON.stringify({ content: `${texts[i % texts.length]}（压测 ${runId}-${i}）`, orgId: stations[i % stations.length] });
  const q = (o: Record<string, string>) => new URLSearchParams(o).toString();
  const p95 = (limit: number) => (r: PathRow) => (r.http?.p95 ?? Infinity) <= limit;

  const paths: PathDef[] = [
    { name: 'ceiling-get', label: 'HTTP ceiling: GET (auth only)', noSql: true, spec: async () => same(get(BENCH_PING, dispatcherTok)) },
    {
      name: 'ceiling-post',
      label: 'HTTP ceiling: POST (auth, JSON body)',
      noSql: true,
      spec: async () => {
        const s: LoadSpec = {
          method: 'POST',
          path: BENCH_PING,
          headers: {},
          body: orderBody(0),
          vary: () => ({ headers: bearer(residentToks[seq++ % residentToks.length]!) }),
        };
        return same(s);
      },
    },
    {
      name: 'orders-submit',
      label: 'POST /orders',
      writes: true,
      ceiling: 'ceiling-post',
      target: '≥ 50 % SQL, ≥ 500/s, p99 ≤ 250 ms',
      check: (r) => !!r.http && !!r.sql && r.http.rps >= 0.5 * r.sql.rps && r.http.rps >= 500 && r.http.p99 <= 250,
      spec: async () => {
        const load: LoadSpec = {
          method: 'POST',
          path: `${API}/orders`,
          headers: {},
          body: orderBody(0),
          vary: () => {
            const i = seq++;
            return { headers: { ...bearer(residentToks[i % residentToks.length]!), 'idempotency-key': `bench-${runId}-${i}` }, body: orderBody(i) };
          },
        };
        const capture: LoadSpec = {
          ...load,
          vary: () => {
            const i = seq++;
            return {
              headers: { ...bearer(residentToks[0]!), 'idempotency-key': `bench-${runId}-${i}` },
              body: JSON.stringify({ content: `${texts[0]}（压测 ${runId}-${i}）`, orgId: stations[0] }),
            };
          },
        };
        return { load, capture };
      },
    },
    {
      name: 'candidates',
      label: 'GET /orders/{id}/candidates',
      ceiling: 'ceiling-get',
      target: 'p99 ≤ 50 ms, ≤ 2× SQL',
      check: (r) => !!r.http && !!r.sql && r.http.p99 <= 50 && r.http.p99 <= 2 * r.sql.p99,
      spec: async () => {
        const r = await once(base, {
          method: 'POST',
          path: `${API}/orders`,
          headers: bearer(residentToks[0]!),
          body: JSON.stringify({ content: '我家老人血压高，想请医生上门量血压', orgId: stations[0], category: 'health' }),
        });
        if (r.status !== 201) throw new Error(`cannot create the order for candidates: ${r.status} ${r.body.slice(0, 200)}`);
        return same(get(`${API}/orders/${(JSON.parse(r.body) as { id: string }).id}/candidates`, dispatcherTok));
      },
    },
    {
      name: 'orders-desk',
      label: 'GET /orders?desk=true (district dispatcher)',
      ceiling: 'ceiling-get',
      spec: async () => same(get(`${API}/orders?desk=true`, dispatcherTok)),
    },
    {
      name: 'overview-city',
      label: 'GET /stats/overview (city)',
      ceiling: 'ceiling-get',
      target: 'p95 ≤ 100 ms',
      check: p95(100),
      spec: async () => same(get(`${API}/stats/overview?orgId=${cityOrg.id}`, cityTok)),
    },
    {
      name: 'overview-district',
      label: 'GET /stats/overview (district)',
      ceiling: 'ceiling-get',
      target: 'p95 ≤ 100 ms',
      check: p95(100),
      spec: async () => same(get(`${API}/stats/overview?orgId=${districtOrg.id}`, districtTok)),
    },
    // What /screen/dashboard asks for (apps/web/src/features/stats), for the city; overview is above.
    {
      name: 'screen-map',
      label: '大屏 GET /stats/map (city)',
      ceiling: 'ceiling-get',
      target: 'p95 ≤ 100 ms',
      check: p95(100),
      spec: async () => same(get(`${API}/stats/map?${q({ orgId: cityOrg.id })}`, cityTok)),
    },
    {
      name: 'screen-trend',
      label: '大屏 GET /stats/trend (city, 12 months)',
      ceiling: 'ceiling-get',
      target: 'p95 ≤ 100 ms',
      check: p95(100),
      spec: async () => same(get(`${API}/stats/trend?${q({ orgId: cityOrg.id, months: '12' })}`, cityTok)),
    },
    {
      name: 'screen-categories',
      label: '大屏 GET /stats/categories (city)',
      ceiling: 'ceiling-get',
      target: 'p95 ≤ 100 ms',
      check: p95(100),
      spec: async () => same(get(`${API}/stats/categories?${q({ orgId: cityOrg.id })}`, cityTok)),
    },
    {
      name: 'screen-top',
      label: '大屏 GET /stats/top (city)',
      ceiling: 'ceiling-get',
      target: 'p95 ≤ 100 ms',
      check: p95(100),
      spec: async () => same(get(`${API}/stats/top?${q({ orgId: cityOrg.id })}`, cityTok)),
    },
    {
      name: 'screen-districts',
      label: '大屏 GET /stats/districts (city)',
      ceiling: 'ceiling-get',
      target: 'p95 ≤ 100 ms',
      check: p95(100),
      spec: async () => same(get(`${API}/stats/districts?${q({ orgId: cityOrg.id })}`, cityTok)),
    },
    {
      name: 'volunteers-first',
      label: 'GET /volunteers page 1 (district admin)',
      ceiling: 'ceiling-get',
      spec: async () => same(get(`${API}/volunteers?limit=50`, districtTok)),
    },
    {
      name: 'volunteers-page50',
      label: 'GET /volunteers page 50 (district admin)',
      ceiling: 'ceiling-get',
      spec: async () => {
        let cursor: string | null = null;
        let page = 1;
        for (; page < 50; page++) {
          const r = await once(base, get(`${API}/volunteers?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, districtTok));
          if (r.status !== 200) throw new Error(`volunteer list: ${r.status} ${r.body.slice(0, 200)}`);
          const next = (JSON.parse(r.body) as { nextCursor: string | null }).nextCursor;
          if (!next) break;
          cursor = next;
        }
        if (page < 50) log(`volunteer list: only ${page} pages; measuring the last`);
        return same(get(`${API}/volunteers?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, districtTok));
      },
    },
    {
      name: 'orgs-search',
      label: 'GET /orgs?q=社区 (dispatcher)',
      ceiling: 'ceiling-get',
      spec: async () => same(get(`${API}/orgs?${q({ q: '社区', limit: '50' })}`, dispatcherTok)),
    },
    {
      name: 'login',
      label: 'POST /auth/login',
      writes: true,
      ceiling: 'ceiling-post',
      spec: async () => {
        const body = (phone: string) => JSON.stringify({ phone, password: ds.password });
        const load: LoadSpec = {
          method: 'POST',
          path: `${API}/auth/login`,
          headers: {},
          body: body(residentPhones[0]!),
          vary: () => ({ body: body(residentPhones[seq++ % residentPhones.length]!) }),
        };
        return { load, capture: { ...load, vary: undefined } };
      },
    },
  ];

  const rows: PathRow[] = [];
  const singles: SingleRow[] = [];
  const ceilings = new Map<string, number>();
  let loadPeak = idle.peak;

  // --- single runs (helpers) -----------------------------------------------------------------
  const timed = async (
    label: string,
    fn: () => Promise<string>,
    name: string,
    target?: string,
    check?: (s: number) => boolean,
    watch = true,
    force = false,
  ) => {
    if (!wanted(name) && !force) return;
    await settle(database, 180_000, server.base);
    const row: SingleRow = { name, label, seconds: null, detail: '', target };
    singles.push(row);
    const mem = watch ? watchMemory(server.pid) : null;
    const t0 = performance.now();
    try {
      row.detail = await fn();
      row.seconds = (performance.now() - t0) / 1000;
      row.met = check ? check(row.seconds) : null;
    } catch (e) {
      row.error = e instanceof Error ? e.message : String(e);
      row.met = check ? false : null;
    }
    if (mem) row.rss = mem.stop();
    log(`${name}: ${row.seconds === null ? row.error : `${row.seconds.toFixed(1)} s`}`);
  };
  const withTimeout = async (p: (signal: AbortSignal) => Promise<string>) => {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), OP_TIMEOUT_S * 1000);
    try {
      return await p(ac.signal);
    } catch (e) {
      if (ac.signal.aborted) {
        await settle(database, 1000);
        throw new Error(`stopped after ${OP_TIMEOUT_S} s (--op-timeout)`, { cause: e });
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  };

  // The statistics rollup first: the screen is read in the state the job keeps it in (it runs every
  // minute), so the paths below must not measure a city nobody has rolled up yet. Timed twice: as
  // found (on a freshly generated city: the first roll of all its history), then the run right after
  // (the job's steady state). The nightly run (adding yesterday) is not simulated: the rollups are
  // kept by difference, and moving the state back would count a day twice in the data set.
  const statsWanted = paths.some((p) => (p.name.startsWith('overview') || p.name.startsWith('screen')) && wanted(p.name));
  if (wanted('rollup') || statsWanted) {
    await timed(
      'statistics rollup of the city',
      async () => {
        const asFound = await server.rollup(ROLLUP_TIMEOUT_S * 1000);
        const again = await server.rollup(ROLLUP_TIMEOUT_S * 1000);
        return `as found ${(asFound.ms / 1000).toFixed(1)} s (${asFound.rolled} rolled); the next run ${(again.ms / 1000).toFixed(1)} s (${again.rolled} rolled)`;
      },
      'rollup',
      '≤ 10 s',
      undefined,
      true,
      true,
    );
    const rollupRow = singles.find((x) => x.name === 'rollup');
    const m = rollupRow && !rollupRow.error ? /the next run ([\d.]+) s/.exec(rollupRow.detail) : null;
    if (rollupRow && m) {
      rollupRow.seconds = Number(m[1]);
      rollupRow.met = rollupRow.seconds <= 10;
    }
  }

  for (const p of paths) {
    if (!wanted(p.name) && !(p.name.startsWith('ceiling') && paths.some((x) => x.ceiling === p.name && wanted(x.name)))) continue;
    const row: PathRow = { name: p.name, label: p.label, request: '', target: p.target };
    rows.push(row);
    try {
      await settle(database, 180_000, server.base);
      const { load, capture } = await p.spec();
      row.request = `${load.method} ${load.path.split('?')[0]}`;
      // The first request may pay for what is loaded lazily (the triage model, caches): not a measure.
      const warm = await once(base, load);
      if (warm.status < 200 || warm.status >= 300) throw new Error(`HTTP ${warm.status}: ${warm.body.slice(0, 200)}`);
      let a: CapturedStatement[] = [];
      let b: CapturedStatement[] | null = null;
      let second = 0;
      const timedOnce = async () => {
        const r = await once(base, capture);
        if (r.status < 200 || r.status >= 300) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
        second = r.ms;
      };
      if (p.noSql) await timedOnce();
      else a = await server.capture(timedOnce);
      const slow = second > SLOW_MS && (p.noSql || warm.ms > SLOW_MS);
      if (!p.noSql && (p.writes || !slow)) b = await server.capture(() => once(base, capture));
      log(
        `${p.name}: ${slow ? `slow (${second.toFixed(0)} ms): one request at a time` : `${CONNECTIONS} connections`}, ${DURATION} s${p.noSql ? '' : `; ${a.length} statements per request`}`,
      );
      await settle(database, 180_000, server.base);
      const mem = watchMemory(server.pid);
      // A slow path: the recorded request counts as the first sample (each one costs seconds).
      const http: LoadResult = slow
        ? await sequentialLoad(base, load, { durationS: DURATION, min: 1, done: [second] })
        : await autocannonLoad(base, load, { connections: CONNECTIONS, durationS: DURATION, timeoutS: 30 });
      row.rss = mem.stop();
      loadPeak = Math.max(loadPeak, row.rss.peak);
      row.http = http;
      if (p.name.startsWith('ceiling')) ceilings.set(p.name, http.rps);
      if (p.ceiling && ceilings.has(p.ceiling)) row.httpCeiling = { name: p.ceiling, rps: ceilings.get(p.ceiling)! };
      if (!p.noSql && a.length) {
        await settle(database, 180_000, server.base);
        const plan = planReplay(a, b, { writes: !!p.writes });
        if (args['show-sql'])
          for (const w of plan.waves)
            log(
              `  ${w.map((u) => `${u.kind === 'tx' ? 'TX ' : ''}${u.stmts.map((s) => `${s.text.replace(/\s+/g, ' ').slice(0, 90)}${s.fresh.size ? ` [fresh ${[...s.fresh].join(',')}]` : ''}`).join(' ; ')}`).join('  ||  ')}`,
            );
        if (p.writes && !plan.aligned) row.note = 'two recordings differed: replayed without fresh values';
        const sql = await replayLoad(url, plan, { poolSize: POOL, concurrency: slow ? 1 : CONNECTIONS, durationS: DURATION, warm: !slow });
        row.sql = { ...sql, statements: plan.statements, transactions: plan.transactions, aligned: plan.aligned, writes: plan.writes };
      }
      row.met = p.check ? p.check(row) : null;
      log(`${p.name}: ${http.rps.toFixed(1)} req/s, p99 ${http.p99.toFixed(1)} ms${row.sql ? `; SQL ${row.sql.rps.toFixed(1)}/s` : ''}`);
    } catch (e) {
      row.error = e instanceof Error ? e.message : String(e);
      log(`${p.name}: ${row.error}`);
    }
  }

  // --- single runs -------------------------------------------------------------------------
  await timed(
    'district volunteer export (streamed)',
    () =>
      withTimeout(async (signal) => {
        const t0 = performance.now();
        const res = await fetch(`${base}${API}/volunteers/export`, { headers: bearer(districtTok), signal });
        if (res.status !== 200) throw new Error(`HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
        let bytes = 0;
        let first = 0;
        for await (const chunk of res.body!) {
          first ||= performance.now() - t0;
          bytes += (chunk as Uint8Array).byteLength;
        }
        const size = bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
        return `${size} .xlsx, first byte after ${first.toFixed(0)} ms`;
      }),
    'export-district',
    '≤ 20 s, flat memory',
    (s) => s <= 20,
  );
  const exportRow = singles.find((s) => s.name === 'export-district');
  if (exportRow?.rss) {
    exportRow.detail += `; RSS ${exportRow.rss.start.toFixed(0)} → peak ${exportRow.rss.peak.toFixed(0)} MB`;
    // Flat memory: the server grows by no more than FLAT_MB while it streams the district.
    if (exportRow.met) exportRow.met = exportRow.rss.peak - exportRow.rss.start <= FLAT_MB;
  }

  const period = previousMonth();
  await timed(
    `POST /evaluations/compute (city, ${period})`,
    () =>
      withTimeout(async (signal) => {
        const res = await fetch(`${base}${API}/evaluations/compute`, {
          method: 'POST',
          headers: { ...bearer(adminTok), 'content-type': 'application/json' },
          body: JSON.stringify({ period, orgId: cityOrg.id, force: true }),
          signal,
        });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`HTTP ${res.status} ${text.slice(0, 200)}`);
        const runs = (JSON.parse(text) as { runs: { sites?: number; siteCount?: number }[] }).runs;
        return `${runs.length} city run(s), recomputed with force`;
      }),
    'evaluation-city-month',
    '≤ 60 s',
    (s) => s <= 60,
  );

  const serverRss = { idle: idle.rss, peakUnderLoad: loadPeak };
  await server.stop();

  if (wanted('cold-start')) {
    const row: SingleRow = { name: 'cold-start', label: 'cold start, embedded (spawn → /readyz 200)', seconds: null, detail: '', target: '≤ 5 s, ≤ 400 MB' };
    singles.push(row);
    try {
      const r = await coldStart(ds);
      row.seconds = r.seconds;
      row.rss = { start: r.rss, peak: r.rss };
      row.detail = `${r.data}; ${r.cpu.toFixed(1)} CPU-seconds to ready; RSS at ready ${r.rss.toFixed(0)} MB`;
      row.met = r.seconds <= 5 && r.rss <= 400;
    } catch (e) {
      row.error = e instanceof Error ? e.message : String(e);
    }
    log(`cold-start: ${row.seconds === null ? row.error : `${row.seconds.toFixed(1)} s`}`);
  }

  // --- report ------------------------------------------------------------------------------
  if (rows.length)
    singles.push({
      name: 'server-rss',
      label: 'server RSS, peak under load',
      seconds: null,
      detail: `idle ${serverRss.idle.toFixed(0)} MB after start; peak ${serverRss.peakUnderLoad.toFixed(0)} MB over the load above`,
      rss: { start: serverRss.idle, peak: serverRss.peakUnderLoad },
      target: '≤ 300 MB',
      met: Number.isFinite(serverRss.peakUnderLoad) ? serverRss.peakUnderLoad <= 300 : null,
    });
  const table = renderTable(rows, singles);
  const header = `文明实践云 bench --scale · ${startedAt.toISOString()} · ${ds.kind} data (${ds.source}: ${ds.counts.volunteers} volunteers, ${ds.counts.orders} orders) · ${DURATION} s per path, ${CONNECTIONS} connections, pool ${POOL} · ${os.cpus().length} CPUs, load ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;
  console.log(`\n${header}\n\n${table}\n`);
  const file = writeJson(path.join(here, 'results'), {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    commit,
    uncommitted,
    options: { duration: DURATION, connections: CONNECTIONS, pool: POOL, only: only ? [...only] : null },
    machine: { cpus: os.cpus().length, loadavg: os.loadavg(), node: process.version },
    dataset: { kind: ds.kind, source: ds.source, city: ds.city, counts: ds.counts, residents: residentToks.length },
    paths: rows,
    singles,
    serverRss,
    table,
  });
  console.log(`figures written to ${path.relative(process.cwd(), file)}`);
  await database.close();
}

/** The embedded database with the district-scale data (generated once into BENCH_EMBEDDED_DIR), started as `wenming serve`. */
async function coldStart(ds: BenchDataset): Promise<{ seconds: number; cpu: number; rss: number; data: string }> {
  const dir = path.resolve(process.env.BENCH_EMBEDDED_DIR ?? path.join(here, '.cache', 'embedded-district'));
  let data = 'district-scale data (factor 0.15)';
  // The folder is made again when the migrations changed since (a server refuses a changed migration).
  const migrations = path.join(root, 'apps/server/src/db/migrations');
  const hash = crypto.createHash('sha256');
  for (const f of fs.readdirSync(migrations).sort()) hash.update(f).update(fs.readFileSync(path.join(migrations, f)));
  const fingerprint = hash.digest('hex');
  const stamp = path.join(dir, 'migrations.sha256');
  if (fs.existsSync(path.join(dir, 'pgdata')) && (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== fingerprint)) {
    log(`cold start: the migrations changed since ${dir} was made: making it again`);
    fs.rmSync(path.join(dir, 'pgdata'), { recursive: true, force: true });
  }
  if (!fs.existsSync(path.join(dir, 'pgdata'))) {
    log(`cold start: generating ${dir} (once; factor 0.15 on the embedded database) …`);
    fs.mkdirSync(dir, { recursive: true });
    // The server started on this folder reads its data key from DATA_DIR/data.key, so the generator uses that one.
    const keyFile = path.join(dir, 'data.key');
    if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, crypto.randomBytes(32).toString('base64'), { mode: 0o600 });
    const db = await openPglite(path.join(dir, 'pgdata'));
    try {
      await db.session((raw) => migrate(raw));
      await seedScale(db, { city: '1401', factor: 0.15, password: ds.password, dataKey: Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64'), log });
    } finally {
      await db.close();
    }
    fs.writeFileSync(stamp, fingerprint);
  } else data += ` in ${path.relative(root, dir)}`;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', WENMING_SEED: 'none', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.WENMING_DATA_KEY;
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'apps/server/bin/wenming.mjs'), 'serve'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-2000);
  });
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`the server exited (${child.exitCode}) before it was ready: ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
      if (performance.now() - t0 > 120_000) throw new Error('no 200 from /readyz within 120 s');
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) break;
      await sleep(50);
    }
    const seconds = (performance.now() - t0) / 1000;
    // CPU time to ready compares fairly on a busy machine, where the wall time waits for a core.
    const cpu = cpuSecondsOf(child.pid!);
    await sleep(200);
    return { seconds, cpu, rss: memoryOf(child.pid!).rss, data };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
