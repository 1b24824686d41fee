/**
 * The SQL ceiling: the statements one request made the server's pool execute (recorded by
 * bench/lib/server-child.ts), replayed through node-postgres with the server's pool size and the
 * load generator's concurrency. Nothing but the database and the driver is left in the way.
 *
 * - A request's statements keep their shape: those a transaction ran on one checked-out client
 *   replay as one transaction on one client; the rest through pool.query; statements that ran
 *   side by side (Promise.all) replay side by side.
 * - Writes replay inside BEGIN … ROLLBACK, so the data set is left as it was. (Rolling back skips
 *   the commit's WAL flush: for writes the ceiling is an upper bound.) Values that differ between
 *   two recorded requests (new ids, codes, keys, texts) are made fresh for every replay, so unique
 *   keys neither collide nor wait on each other.
 */
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { newId } from '../../apps/server/src/lib/ids.ts';
import { percentile } from './stats.ts';

export interface CapturedStatement {
  clientId: number;
  text: string;
  values: unknown[];
  rowMode?: 'array';
  /** Issued by Drizzle with its own type parsers (timestamps etc. left as text). */
  rawTypes: boolean;
  t0: number;
  t1: number;
}

interface Stmt {
  text: string;
  values: unknown[];
  rowMode?: 'array';
  rawTypes: boolean;
  /** Parameter positions whose value is the request's own (fresh for every replay). */
  fresh: Set<number>;
}
interface Unit {
  kind: 'tx' | 'single';
  stmts: Stmt[];
  t0: number;
  t1: number;
}
export interface ReplayPlan {
  waves: Unit[][];
  statements: number;
  transactions: number;
  writes: boolean;
  /** True when two recordings matched statement for statement (fresh values could be found). */
  aligned: boolean;
  texts: string[];
}

const BEGIN = /^\s*(begin|start\s+transaction)\b/i;
const END = /^\s*(commit|rollback|end)\b/i;
const WRITE = /^\s*(insert|update|delete|merge)\b|^\s*with\b[\s\S]*\b(insert\s+into|update\s+\S+\s+set|delete\s+from)\b|\bpg_notify\s*\(|^\s*notify\b/i;

function units(statements: CapturedStatement[]): Unit[] {
  const out: Unit[] = [];
  const open = new Map<number, Unit>();
  for (const s of statements) {
    const stmt: Stmt = { text: s.text, values: s.values, rowMode: s.rowMode, rawTypes: s.rawTypes, fresh: new Set() };
    const tx = open.get(s.clientId);
    if (BEGIN.test(s.text)) {
      const u: Unit = { kind: 'tx', stmts: [stmt], t0: s.t0, t1: s.t1 };
      open.set(s.clientId, u);
      out.push(u);
    } else if (tx) {
      tx.stmts.push(stmt);
      tx.t1 = s.t1;
      if (END.test(s.text)) open.delete(s.clientId);
    } else out.push({ kind: 'single', stmts: [stmt], t0: s.t0, t1: s.t1 });
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b))
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return a === b;
}

/**
 * Builds the replay of one request from its recording. With a second recording of the same
 * endpoint (another request of the same caller), the parameters that differ are the request's own.
 */
export function planReplay(a: CapturedStatement[], b: CapturedStatement[] | null, opts: { writes: boolean }): ReplayPlan {
  const us = units(a);
  const aligned = !!b && b.length === a.length && b.every((s, i) => s.text === a[i]!.text && s.values.length === a[i]!.values.length);
  if (aligned) {
    let i = 0;
    for (const u of us)
      for (const s of u.stmts) {
        const other = b?.[i++];
        if (!other) continue;
        s.values.forEach((v, k) => {
          if (!same(v, other.values[k])) s.fresh.add(k);
        });
      }
  }
  // Units that started before every unit of the current wave had finished ran side by side.
  const waves: Unit[][] = [];
  let wave: Unit[] = [];
  let waveEnd = Infinity;
  for (const u of us) {
    if (wave.length && u.t0 < waveEnd) {
      wave.push(u);
      waveEnd = Math.min(waveEnd, u.t1);
    } else {
      if (wave.length) waves.push(wave);
      wave = [u];
      waveEnd = u.t1;
    }
  }
  if (wave.length) waves.push(wave);
  return {
    waves,
    statements: a.length,
    transactions: us.filter((u) => u.kind === 'tx').length,
    writes: opts.writes,
    aligned,
    texts: a.map((s) => s.text),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A fresh stand-in for a request's own value, the same one for every use within a replay. */
function freshen(v: unknown, map: Map<unknown, unknown>, tag: string): unknown {
  if (Array.isArray(v)) return v.map((x) => freshen(x, map, tag));
  if (typeof v !== 'string') return v; // dates, numbers, booleans: not what unique keys are made of here
  if (map.has(v)) return map.get(v);
  // UUIDs: new ones; JSON, array literals and dates: as they were; other texts (codes, keys, hashes): suffixed.
  const out = UUID.test(v) ? newId() : /^\s*[[{]/.test(v) || /^\d{4}-\d{2}-\d{2}/.test(v) ? v : `${v}~${tag}`;
  map.set(v, out);
  return out;
}

const RAW_TYPES = {
  getTypeParser: (oid: number, format?: string) =>
    [pg.types.builtins.TIMESTAMPTZ, pg.types.builtins.TIMESTAMP, pg.types.builtins.DATE, pg.types.builtins.INTERVAL, 1231, 1115, 1185, 1187, 1182].includes(oid)
      ? (v: string) => v
      : pg.types.getTypeParser(oid, format as 'text'),
};

let replayCounter = 0;

async function runOnce(pool: pg.Pool, plan: ReplayPlan): Promise<void> {
  const map = new Map<unknown, unknown>();
  const tag = `b${process.pid.toString(36)}${(replayCounter++).toString(36)}`;
  const cfg = (s: Stmt) => ({
    text: s.text,
    values: s.fresh.size ? s.values.map((v, k) => (s.fresh.has(k) ? freshen(v, map, tag) : v)) : s.values,
    ...(s.rowMode ? { rowMode: s.rowMode } : {}),
    ...(s.rawTypes ? { types: RAW_TYPES } : {}),
  });
  const runUnit = async (u: Unit) => {
    const writes = plan.writes && u.stmts.some((s) => WRITE.test(s.text));
    if (u.kind === 'single' && !writes) {
      await pool.query(cfg(u.stmts[0]!) as pg.QueryConfig);
      return;
    }
    const client = await pool.connect();
    let inTx = false;
    try {
      if (u.kind === 'single') {
        await client.query('BEGIN');
        inTx = true;
        await client.query(cfg(u.stmts[0]!) as pg.QueryConfig);
        await client.query('ROLLBACK');
        inTx = false;
        return;
      }
      for (const s of u.stmts) {
        if (END.test(s.text)) {
          await client.query(plan.writes ? 'ROLLBACK' : s.text);
          inTx = false;
        } else {
          await client.query(cfg(s) as pg.QueryConfig);
          if (BEGIN.test(s.text)) inTx = true;
        }
      }
    } finally {
      if (inTx) await client.query('ROLLBACK').catch(() => {});
      client.release();
    }
  };
  for (const wave of plan.waves) await Promise.all(wave.map(runUnit));
}

export interface ReplayResult {
  requests: number;
  errors: number;
  firstError?: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  seconds: number;
  concurrency: number;
}

/** Replays the plan from `concurrency` workers over one pool of `poolSize` for `durationS` seconds. */
export async function replayLoad(
  url: string,
  plan: ReplayPlan,
  opts: { poolSize: number; concurrency: number; durationS: number; warm?: boolean },
): Promise<ReplayResult> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize, application_name: 'wenming-bench-replay' });
  pool.on('error', () => {});
  const lat: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  try {
    // One untimed replay first (connections, plans), unless a replay costs so much that it is skipped.
    if (opts.warm !== false)
      await runOnce(pool, plan).catch((e: unknown) => {
        firstError = e instanceof Error ? e.message : String(e);
      });
    const t0 = performance.now();
    const end = t0 + opts.durationS * 1000;
    const worker = async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await runOnce(pool, plan);
          lat.push(performance.now() - t);
        } catch (e) {
          errors++;
          firstError ??= e instanceof Error ? e.message : String(e);
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    const seconds = (performance.now() - t0) / 1000;
    return {
      requests: lat.length,
      errors,
      firstError,
      rps: lat.length / seconds,
      p50: percentile(lat, 50),
      p95: percentile(lat, 95),
      p99: percentile(lat, 99),
      seconds,
      concurrency: opts.concurrency,
    };
  } finally {
    await pool.end();
  }
}
