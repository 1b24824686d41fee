/** The benchmark-only route of the server under test (registered by bench/lib/server-child.ts, never by the product). */
export const BENCH_PING = '/api/v1/__bench/ping';
