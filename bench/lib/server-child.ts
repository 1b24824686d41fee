/**
 * The server under test for `npm run bench -- --scale`, run in a child process of its own (so the
 * load generator does not share its event loop, and its RSS can be read from /proc/<pid>/status).
 *
 * It is the real application — buildApp with the production plugins, auth hook and pool size —
 * plus, for the benchmark only, two trivial authenticated routes (the HTTP ceiling) and a recorder
 * of the statements the pool executes (the SQL ceiling). Nothing here is part of the product.
 *
 * Talks to the parent over IPC (advanced serialisation, so Dates and Buffers survive):
 *   parent → child  { type: 'capture', on: boolean }  start / stop recording statements
 *                   { type: 'rollup' }                 time one run of the statistics rollup
 *   child → parent  { type: 'ready', port }           listening on 127.0.0.1:port
 *                   { type: 'capturing' }             recording from now on
 *                   { type: 'captured', statements }  what ran while recording
 *                   { type: 'rollup', ms, rolled } | { type: 'error', message }
 */
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { openPostgres } from '../../apps/server/src/db/client.ts';
import type { CapturedStatement } from './sql-replay.ts';
import { BENCH_PING } from './routes.ts';

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL is not set');
const poolSize = Number(process.env.BENCH_POOL_SIZE ?? 10);

// --- the statement recorder: wraps pg.Client#query in this process only -----------------------
let recording: CapturedStatement[] | null = null;
const clientIds = new WeakMap<object, number>();
let nextClientId = 1;
type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
const proto = pg.Client.prototype as unknown as { query: QueryFn };
const original = proto.query;
proto.query = function (this: pg.Client, ...args: unknown[]) {
  if (!recording) return original.apply(this, args);
  const first = args[0] as string | { text?: string; values?: unknown[]; rowMode?: string; types?: unknown; name?: string; submit?: unknown };
  if (typeof first === 'object' && first && typeof first.submit === 'function') return original.apply(this, args); // a Submittable (COPY, cursors): not replayed
  let clientId = clientIds.get(this);
  if (!clientId) clientIds.set(this, (clientId = nextClientId++));
  const text = typeof first === 'string' ? first : (first?.text ?? '');
  const values = (Array.isArray(args[1]) ? args[1] : typeof first === 'object' && first ? first.values : undefined) as unknown[] | undefined;
  const rec: CapturedStatement = {
    clientId,
    text,
    values: values ? [...values] : [],
    rowMode: typeof first === 'object' && first?.rowMode === 'array' ? 'array' : undefined,
    rawTypes: typeof first === 'object' && first?.types !== undefined,
    t0: performance.now(),
    t1: 0,
  };
  recording.push(rec);
  const done = () => {
    rec.t1 = performance.now();
  };
  const cb = args.findIndex((a) => typeof a === 'function');
  if (cb >= 0) {
    const inner = args[cb] as (...a: unknown[]) => void;
    args[cb] = (...a: unknown[]) => {
      done();
      inner(...a);
    };
    return original.apply(this, args);
  }
  const out = original.apply(this, args);
  if (out && typeof (out as Promise<unknown>).then === 'function') (out as Promise<unknown>).then(done, done);
  else done();
  return out;
};

// --- the application -------------------------------------------------------------------------
const config = {
  ...loadConfig(process.env),
  DATABASE_URL: url,
  // BENCH_SERVER_LOG_LEVEL=error shows what the server under test logs (e.g. the cause of a 500).
  LOG_LEVEL: (process.env.BENCH_SERVER_LOG_LEVEL ?? 'silent') as 'silent',
  WENMING_SEED: 'none' as const,
  // The load generator is one client with a handful of tokens: the per-client limit is not what is measured.
  RATE_LIMIT_PER_MINUTE: 1_000_000_000,
};
const database = openPostgres(url, poolSize);
const app = await buildApp({ config, database, webDist: null });
// The HTTP ceiling: the same plugins, rate limiter and auth hook (a session look-up), and nothing else.
app.get(BENCH_PING, async (req) => ({ ok: true, userId: req.ctx.actor?.userId ?? null }));
app.post(BENCH_PING, async (req) => ({ ok: true, userId: req.ctx.actor?.userId ?? null, bytes: JSON.stringify(req.body ?? null).length }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.BENCH_PORT ?? 0) });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;

type Msg = { type: 'capture'; on: boolean } | { type: 'rollup' } | { type: 'stop' };
process.on('message', (m: Msg) => {
  void (async () => {
    try {
      if (m.type === 'capture') {
        if (m.on) {
          recording = [];
          process.send!({ type: 'capturing' });
        } else {
          const statements = (recording ?? []).map((s) => ({ ...s, t1: s.t1 || performance.now() }));
          recording = null;
          process.send!({ type: 'captured', statements });
        }
      } else if (m.type === 'rollup') {
        const t0 = performance.now();
        const rolled = await app.modules.stats.refreshRollups();
        process.send!({ type: 'rollup', ms: performance.now() - t0, rolled });
      } else if (m.type === 'stop') {
        await app.close();
        await database.close();
        process.exit(0);
      }
    } catch (e) {
      process.send!({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
process.send!({ type: 'ready', port });
