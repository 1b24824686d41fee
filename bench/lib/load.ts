/**
 * HTTP load on the server under test: autocannon (programmatic API) at N connections for a bounded
 * time, with every response's latency kept so p50/p95/p99 are exact; or, for a path too slow for
 * that, requests one after another (so a path that takes seconds does not leave minutes of queued
 * work behind it for the next measurement).
 */
import autocannon, { type AutocannonRequest } from 'autocannon';
import { performance } from 'node:perf_hooks';
import { percentile } from './stats.ts';

export interface LoadResult {
  mode: 'autocannon' | 'sequential';
  connections: number;
  requests: number;
  /** Responses that were not 2xx, plus connection errors and time-outs. */
  failures: number;
  firstFailure?: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  seconds: number;
}

export interface LoadSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Varies each request (e.g. a fresh Idempotency-Key, another resident's token). */
  vary?: () => { headers?: Record<string, string>; body?: string };
}

export async function autocannonLoad(base: string, spec: LoadSpec, opts: { connections: number; durationS: number; timeoutS: number }): Promise<LoadResult> {
  const lat: number[] = [];
  let bad = 0;
  const codes = new Map<number, number>();
  const request: AutocannonRequest = {
    method: spec.method,
    path: spec.path,
    headers: { ...spec.headers, ...(spec.body ? { 'content-type': 'application/json' } : {}) },
    body: spec.body,
  };
  if (spec.vary) {
    const vary = spec.vary;
    request.setupRequest = (req) => {
      const v = vary();
      return { ...req, headers: { ...req.headers, ...v.headers }, body: v.body ?? req.body };
    };
  }
  const t0 = performance.now();
  const result = await new Promise<{ errors: number; timeouts: number }>((resolve, reject) => {
    const inst = autocannon({ url: base, connections: opts.connections, duration: opts.durationS, timeout: opts.timeoutS, requests: [request] }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
    inst.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      lat.push(responseTime);
      if (statusCode < 200 || statusCode >= 300) {
        bad++;
        codes.set(statusCode, (codes.get(statusCode) ?? 0) + 1);
      }
    });
  });
  const seconds = (performance.now() - t0) / 1000;
  const ok = lat.length - bad;
  return {
    mode: 'autocannon',
    connections: opts.connections,
    requests: lat.length,
    failures: bad + result.errors + (lat.length ? 0 : 1),
    firstFailure: codes.size
      ? `HTTP ${[...codes].map(([c, n]) => `${c}×${n}`).join(', ')}`
      : result.errors
        ? `${result.errors} errors (${result.timeouts} time-outs)`
        : !lat.length
          ? 'no response completed within the run (requests still in flight at the end are not counted)'
          : undefined,
    rps: ok / Math.min(seconds, opts.durationS),
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
    p99: percentile(lat, 99),
    seconds,
  };
}

/** One request (fetch); returns its latency, status and body. */
export async function once(base: string, spec: LoadSpec): Promise<{ ms: number; status: number; body: string }> {
  const v = spec.vary?.() ?? {};
  const t0 = performance.now();
  const res = await fetch(base + spec.path, {
    method: spec.method,
    headers: { ...spec.headers, ...v.headers, ...(spec.body || v.body ? { 'content-type': 'application/json' } : {}) },
    body: v.body ?? spec.body,
  });
  const body = await res.text();
  return { ms: performance.now() - t0, status: res.status, body };
}

/**
 * Requests one after another until `durationS` has passed (at least `min` of them). `done` are the
 * latencies of requests already made the same way (they count as samples and as time spent).
 */
export async function sequentialLoad(base: string, spec: LoadSpec, opts: { durationS: number; min: number; done?: number[] }): Promise<LoadResult> {
  const lat: number[] = [...(opts.done ?? [])];
  let failures = 0;
  let firstFailure: string | undefined;
  const t0 = performance.now() - lat.reduce((a, b) => a + b, 0);
  while (lat.length + failures < opts.min || performance.now() - t0 < opts.durationS * 1000) {
    const r = await once(base, spec).catch((e: unknown) => ({ ms: NaN, status: 0, body: String(e) }));
    if (r.status >= 200 && r.status < 300) lat.push(r.ms);
    else {
      failures++;
      firstFailure ??= `HTTP ${r.status} ${r.body.slice(0, 120)}`;
    }
    if (lat.length + failures >= opts.min * 20) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    mode: 'sequential',
    connections: 1,
    requests: lat.length,
    failures,
    firstFailure,
    rps: lat.length / seconds,
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
    p99: percentile(lat, 99),
    seconds,
  };
}
