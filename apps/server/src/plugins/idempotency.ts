import fp from 'fastify-plugin';
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.ts';
import { beginOpenTransaction, closeAmbientScope, newAmbientScope, runInAmbientScope, type AmbientScope, type OpenTransaction } from '../db/ambient.ts';
import { idempotencyKeys } from '../db/schema.ts';
import { AppError } from '../lib/errors.ts';
import { msg } from '@wenming/contracts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A multipart route: its body is read by the handler, so the key is claimed there, once the
     * parts are in, by `claimIdempotencyWithParts` (a multipart request has no `req.body` to hash).
     */
    idempotencyAfterParts?: boolean;
    /**
     * The handler writes in one statement and stores its answer with it (`idempotentAnswer`): the
     * key is claimed by that statement, not before the handler, so the write, the claim and the
     * answer commit together or not at all (a crash leaves either all three or none).
     */
    idempotencyInWrite?: boolean;
  }
  interface FastifyRequest {
    /** The caller's key and the request's own transaction (null until the key is claimed). */
    idempotency: IdempotencyState | null;
  }
}

/**
 * A keyed request: the transaction that claimed its key, which the handler's writes join (the
 * ambient scope) and which stores the answer before it commits.
 */
interface IdempotencyState {
  caller: string;
  key: string;
  scope: AmbientScope;
  open: OpenTransaction | null;
}

const MAX_KEY = 200;

/** Canonical JSON: object keys sorted, so the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** One part of a multipart request, as the handler received it. */
export interface ReceivedPart {
  field: string;
  filename?: string;
  mimetype?: string;
  bytes: Buffer;
}

const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/** What makes two requests "the same": method, route, URL and the body (JSON, or the multipart parts with their bytes' hash). */
function requestHash(req: FastifyRequest, body: unknown) {
  return sha256(`${req.method} ${req.routeOptions.url ?? req.url} ${req.url}\n${canonical(body ?? null)}`);
}

/** The claim, inside the request's transaction: a twin's claim waits here until that transaction ends. */
async function insertClaim(tx: Executor, caller: string, key: string, hash: string): Promise<boolean> {
  const res = await tx.execute(sql`
    INSERT INTO idempotency_keys (caller, key, request_hash) VALUES (${caller}, ${key}, ${hash})
    ON CONFLICT DO NOTHING
    RETURNING caller`);
  return (res as { rows: unknown[] }).rows.length > 0;
}

/**
 * Claims (caller, key) for this request in a transaction of its own, which stays open: the
 * handler's writes join it (db/ambient.ts) and the answer is stored in it before it commits
 * (onSend), so the key, the writes and the answer commit together or not at all. Or answers the
 * request from the stored first response. Returns true when the reply was sent (a replay); throws
 * 409 IDEMPOTENCY_CONFLICT when the key belongs to another request.
 *
 * A concurrent twin's claim waits on the key's row until the first transaction ends: after its
 * COMMIT the twin finds the answer and replays it; after its ROLLBACK (a failed write, a 5xx, a
 * crash) nothing of it is left, the key included, and the twin runs the request itself.
 */
async function claim(db: Db, reply: FastifyReply, state: IdempotencyState, hash: string): Promise<boolean> {
  const { caller, key } = state;
  for (let attempt = 0; ; attempt++) {
    const open = await beginOpenTransaction(db);
    let row: typeof idempotencyKeys.$inferSelect | undefined;
    try {
      if (await insertClaim(open.tx, caller, key, hash)) {
        state.open = open;
        state.scope.tx = open.tx;
        return false;
      }
      [row] = await open.tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key)));
    } catch (e) {
      await open.rollback().catch(() => {});
      throw e;
    }
    await open.rollback();
    // Purged between the two statements: claim it again.
    if (!row && attempt < 3) continue;
    if (!row || row.requestHash !== hash) throw new AppError('IDEMPOTENCY_CONFLICT');
    // Every claim commits with its answer; a key without one was claimed by an older version of the
    // server (before its request's fate was tied to the key) and ages out with the others.
    if (row.statusCode === null)
      throw new AppError('IDEMPOTENCY_CONFLICT', { zh: '相同的请求正在处理中，请稍后重试', en: 'The same request is still being processed' });
    reply.header('idempotent-replayed', 'true');
    reply
      .status(row.statusCode)
      .type('application/json; charset=utf-8')
      .send(row.responseBody ?? '');
    return true;
  }
}

/** The key of a request whose handler claims it in its own write (`idempotencyInWrite` routes). */
export interface IdempotentWrite {
  caller: string;
  key: string;
  hash: string;
}

/**
 * For `idempotencyInWrite` routes: the claim with the answer, as a part of the handler's one
 * write statement (none without a key). The claim is a plain INSERT: when the key is taken, the
 * whole statement fails on the key's primary key, and `replayOfTakenKey` answers instead. A
 * concurrent twin's INSERT waits for the first one's commit, then fails the same way and replays
 * the committed answer; if the first rolled back, the twin runs.
 */
export function idempotentAnswer(idem: IdempotentWrite | undefined, status: number, answer: unknown): SQL[] {
  if (!idem) return [];
  return [
    sql`INSERT INTO idempotency_keys (caller, key, request_hash, status_code, response_body) VALUES (${idem.caller}, ${idem.key}, ${idem.hash}, ${status}, ${JSON.stringify(answer)})`,
  ];
}

/** Whether err is the failure of an `idempotentAnswer` claim on a key already taken. */
function isTakenKey(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const x = e as { code?: string; constraint?: string; message?: string };
    if (x.code === '23505' && (x.constraint === 'idempotency_keys_pkey' || x.message?.includes('idempotency_keys_pkey'))) return true;
  }
  return false;
}

/**
 * After a failed `idempotentAnswer` write: the first answer stored under the key (parsed), marked
 * as a replay; 409 IDEMPOTENCY_CONFLICT when the key belongs to another request (or to one that
 * stored no answer). Returns null when err is not about the key: the caller rethrows it.
 */
export async function replayOfTakenKey<T>(db: Db, ctx: { idempotency?: IdempotentWrite; replayed?: boolean }, err: unknown): Promise<T | null> {
  const idem = ctx.idempotency;
  if (!idem || !isTakenKey(err)) return null;
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.caller, idem.caller), eq(idempotencyKeys.key, idem.key)));
  if (!row || row.requestHash !== idem.hash || row.statusCode === null || row.responseBody === null) throw new AppError('IDEMPOTENCY_CONFLICT');
  ctx.replayed = true;
  return JSON.parse(row.responseBody) as T;
}

/** Requests whose key waits for their parts, with the database to claim it in. */
const awaitingParts = new WeakMap<FastifyRequest, Db>();

/**
 * For routes with `config: { idempotencyAfterParts: true }`: call once the multipart parts are read,
 * before anything is created. Same key and same parts (names, file names, types, bytes) replay the
 * first answer; same key with another file is 409 IDEMPOTENCY_CONFLICT. Returns true when the reply
 * was sent from the stored answer: the handler then returns `reply` and does nothing else.
 */
export async function claimIdempotencyWithParts(req: FastifyRequest, reply: FastifyReply, parts: ReceivedPart[]): Promise<boolean> {
  const state = req.idempotency;
  const db = awaitingParts.get(req);
  if (!state || state.open || !db) return false;
  awaitingParts.delete(req);
  const body = {
    multipart: parts.map((p) => ({
      field: p.field,
      filename: p.filename ?? null,
      mimetype: p.mimetype ?? null,
      size: p.bytes.length,
      sha256: sha256(p.bytes),
    })),
  };
  return claim(db, reply, state, requestHash(req, body));
}

const isMultipart = (req: FastifyRequest) => /^multipart\//i.test(String(req.headers['content-type'] ?? ''));

/** Whether err says the transaction had already failed (a statement in it failed and nobody rolled back to a savepoint). */
const isAbortedTransaction = (err: unknown) => {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) if ((e as { code?: string }).code === '25P02') return true;
  return false;
};

/**
 * `Idempotency-Key` on POST (API.md): the first response to (caller, key) is stored and replayed
 * for the same request; the same key with another request is 409 IDEMPOTENCY_CONFLICT.
 *
 * The guarantee, across crashes too: a retry gets the answer of the write that committed, or runs
 * the write exactly once. The key is claimed in a transaction the request holds open; the handler
 * runs in its ambient scope (db/ambient.ts), so every repository call joins that transaction (a
 * service's own transaction becomes a savepoint of it); the answer is stored in it and then it
 * commits, before the answer leaves. A 5xx, a failed commit or a crash rolls back the key with
 * the writes. Multipart routes claim the key in the handler once the parts are read
 * (`claimIdempotencyWithParts`); `idempotencyInWrite` routes (POST /orders) claim it in their one
 * write statement (`idempotentAnswer`).
 */
export const idempotencyPlugin = fp(async (app: FastifyInstance, opts: { db: Db }) => {
  const { db } = opts;
  app.decorateRequest('idempotency', null);

  // Every handler runs in its request's ambient scope when it has one.
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
      const scope = req.idempotency?.scope;
      return scope ? runInAmbientScope(scope, () => handler.call(this, req, reply)) : handler.call(this, req, reply);
    };
  });

  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || !req.url.startsWith('/api/')) return;
    const key = req.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY)
      throw new AppError('VALIDATION_FAILED', undefined, [
        { path: 'Idempotency-Key', message: msg('幂等键须为1至200个字符', 'The Idempotency-Key must have 1 to 200 characters') },
      ]);
    const caller = req.ctx.actor ? `u:${req.ctx.actor.userId}` : `ip:${req.ip}`;
    if (req.routeOptions.config.idempotencyInWrite && !isMultipart(req)) {
      // Claimed by the handler's write, with its answer (idempotentAnswer).
      req.ctx.idempotency = { caller, key, hash: requestHash(req, req.body) };
      return;
    }
    const state: IdempotencyState = { caller, key, scope: newAmbientScope(), open: null };
    req.idempotency = state;
    if (req.routeOptions.config.idempotencyAfterParts && isMultipart(req)) {
      // The body is still unread: the handler claims the key with the parts' fingerprint.
      awaitingParts.set(req, db);
      return;
    }
    if (await claim(db, reply, state, requestHash(req, req.body))) return reply;
  });

  /** Ends the request's transaction: stores the answer and commits, or rolls back (5xx: the writes and the key go). */
  async function finish(state: IdempotencyState, status: number, payload: unknown): Promise<void> {
    const open = state.open!;
    state.open = null;
    // Whatever the request started and left running now works on the database itself.
    state.scope.tx = null;
    if (status >= 500) {
      await open.rollback().catch(() => {});
      closeAmbientScope(state.scope, false);
      return;
    }
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    try {
      // The answer leaves only once durable, whatever the handler set for its own statements.
      await open.tx.execute(sql`
        UPDATE idempotency_keys SET status_code = ${status}, response_body = ${body}
        FROM (SELECT set_config('synchronous_commit', 'on', true)) AS durable
        WHERE caller = ${state.caller} AND key = ${state.key}`);
      await open.commit();
    } catch (e) {
      await open.rollback().catch(() => {});
      closeAmbientScope(state.scope, false);
      // A refusal (4xx) whose failed statement left the transaction unusable: nothing of it can
      // commit, so the refusal goes out unstored and the key stays free. A success must commit.
      if (status >= 400 && isAbortedTransaction(e)) return;
      throw e;
    }
    closeAmbientScope(state.scope, true);
  }

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.ctx?.replayed) reply.header('idempotent-replayed', 'true');
    const state = req.idempotency;
    if (!state?.open) return payload;
    await finish(state, reply.statusCode, payload);
    return payload;
  });

  // Should a response end without onSend (never expected), its transaction must not stay open.
  app.addHook('onResponse', async (req) => {
    const state = req.idempotency;
    if (!state?.open) return;
    const open = state.open;
    state.open = null;
    state.scope.tx = null;
    await open.rollback().catch(() => {});
    closeAmbientScope(state.scope, false);
  });
});

/** Keys are kept for a day; the maintenance job purges older ones. */
export async function purgeIdempotencyKeys(db: Db, before: Date) {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before));
}
