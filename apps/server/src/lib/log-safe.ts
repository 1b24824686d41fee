import type { FastifyRequest } from 'fastify';
import { pgConstraint } from './errors.ts';

/**
 * What the logs may say about a request and an error (issue 15, item 10): personal data stays
 * out. A failed query's error carries its SQL and bound parameters (phones, names, password
 * hashes) in its message, and PostgreSQL's `detail` quotes the offending values; both are left
 * out — the SQLSTATE, the constraint and a query name (verb + first table) say what failed.
 */

interface DbErrorLike {
  code?: unknown;
  constraint?: unknown;
  query?: unknown;
  cause?: unknown;
  name?: unknown;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** `insert users`, `select orders`, …: the statement's verb and the first table it names. */
export function queryName(sql: string): string {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? 'query';
  const table = /\b(?:from|into|update|join)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?/i.exec(sql)?.[1];
  return table ? `${verb} ${table}` : verb;
}

/** The database facts of an error (its own or a wrapped cause's), or null when it is not a database error. */
function dbFacts(err: unknown): { sqlState?: string; constraint?: string; query?: string } | null {
  let query: string | undefined;
  for (let e = err as DbErrorLike | undefined, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause as DbErrorLike | undefined, depth++) {
    if (typeof e.query === 'string') query ??= queryName(e.query);
    if (typeof e.code === 'string' && SQLSTATE.test(e.code)) {
      const constraint = pgConstraint(e);
      return { sqlState: e.code, ...(constraint ? { constraint } : {}), ...(query ? { query } : {}) };
    }
  }
  return query ? { query } : null;
}

/** The `err` serializer of the logger: database errors by SQLSTATE and query name only (stack frames kept); others as usual. */
export function safeErr(err: unknown): { type: string; message: string; stack: string } & Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err, message: String(err), stack: '' };
  const db = dbFacts(err);
  if (db) {
    const frames = (err.stack ?? '')
      .split('\n')
      .filter((l) => /^\s+at /.test(l))
      .join('\n');
    return { type: err.name, message: `database error${db.sqlState ? ` ${db.sqlState}` : ''}${db.query ? ` in ${db.query}` : ''}`, stack: frames, ...db };
  }
  return { type: err.name, message: err.message, stack: err.stack ?? '', ...('code' in err && typeof err.code === 'string' ? { code: err.code } : {}) };
}

/** A URL with its query values left out (`/api/v1/volunteers?q=…&limit=…`): searches carry phones and names. */
export function redactQuery(url: string): string {
  const i = url.indexOf('?');
  if (i < 0) return url;
  const names = url
    .slice(i + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=…`);
  return `${url.slice(0, i)}?${names.join('&')}`;
}

/** The `req` serializer of the logger: Fastify's fields, with the query values redacted. */
export function safeReq(req: FastifyRequest): { method: string; url: string; host?: string; remoteAddress?: string; remotePort?: number } {
  return { method: req.method, url: redactQuery(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}
