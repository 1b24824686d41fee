import fp from 'fastify-plugin';
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
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
    /** The caller's key; `claimed` once this request owns it (its answer will be stored). */
    idempotency: { caller: string; key: string; claimed: boolean } | null;
  }
}

const MAX_KEY = 200;
const WAIT_MS = 10_000;

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

/**
 * The claim row, committed without waiting for the WAL flush: whatever the request then writes
 * commits synchronously after it, and that flush carries the claim along; if the process dies
 * before anything was written, losing the claim loses nothing (a retry runs the request anew).
 * Saves one flush wait on every keyed POST.
 */
async function insertClaim(db: Db, caller: string, key: string, hash: string): Promise<boolean> {
  const res = await db.execute(sql`
    WITH async_commit AS (SELECT set_config('synchronous_commit', 'off', true))
    INSERT INTO idempotency_keys (caller, key, request_hash)
    SELECT ${caller}, ${key}, ${hash} FROM async_commit
    ON CONFLICT DO NOTHING
    RETURNING caller`);
  return (res as { rows: unknown[] }).rows.length > 0;
}

/**
 * Claims (caller, key) for this request, or answers it from the stored first response.
 * Returns true when the reply was sent (a replay); throws 409 IDEMPOTENCY_CONFLICT when the key
 * belongs to another request or the same one is still running after WAIT_MS.
 */
async function claim(db: Db, req: FastifyRequest, reply: FastifyReply, idem: { caller: string; key: string }, hash: string): Promise<boolean> {
  const { caller, key } = idem;
  if (await insertClaim(db, caller, key, hash)) {
    req.idempotency = { caller, key, claimed: true };
    return false;
  }
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const [row] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key)));
    if (!row) {
      // The first attempt failed and released the key: claim it now.
      if (await insertClaim(db, caller, key, hash)) {
        req.idempotency = { caller, key, claimed: true };
        return false;
      }
      continue;
    }
    if (row.requestHash !== hash) throw new AppError('IDEMPOTENCY_CONFLICT');
    if (row.statusCode !== null) {
      reply.header('idempotent-replayed', 'true');
      reply
        .status(row.statusCode)
        .type('application/json; charset=utf-8')
        .send(row.responseBody ?? '');
      return true;
    }
    if (Date.now() > deadline)
      throw new AppError('IDEMPOTENCY_CONFLICT', { zh: '相同的请求正在处理中，请稍后重试', en: 'The same request is still being processed' });
    await new Promise((r) => setTimeout(r, 50));
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
  const idem = req.idempotency;
  const db = awaitingParts.get(req);
  if (!idem || idem.claimed || !db) return false;
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
  return claim(db, req, reply, idem, requestHash(req, body));
}

const isMultipart = (req: FastifyRequest) => /^multipart\//i.test(String(req.headers['content-type'] ?? ''));

/**
 * `Idempotency-Key` on POST (API.md): the first response to (caller, key) is stored and replayed
 * for the same request; the same key with another request is 409 IDEMPOTENCY_CONFLICT.
 * The key is claimed with a unique row before the handler runs, so concurrent twins run once;
 * multipart routes claim it in the handler once the parts are read (`claimIdempotencyWithParts`).
 */
export const idempotencyPlugin = fp(async (app: FastifyInstance, opts: { db: Db }) => {
  const { db } = opts;
  app.decorateRequest('idempotency', null);

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
    if (req.routeOptions.config.idempotencyAfterParts && isMultipart(req)) {
      // The body is still unread: the handler claims the key with the parts' fingerprint.
      req.idempotency = { caller, key, claimed: false };
      awaitingParts.set(req, db);
      return;
    }
    if (await claim(db, req, reply, { caller, key }, requestHash(req, req.body))) return reply;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.ctx?.replayed) reply.header('idempotent-replayed', 'true');
    const idem = req.idempotency;
    if (!idem?.claimed) return payload;
    req.idempotency = null;
    const where = and(eq(idempotencyKeys.caller, idem.caller), eq(idempotencyKeys.key, idem.key), isNull(idempotencyKeys.statusCode));
    if (reply.statusCode >= 500) {
      await db.delete(idempotencyKeys).where(where);
    } else {
      await db
        .update(idempotencyKeys)
        .set({ statusCode: reply.statusCode, responseBody: typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '' })
        .where(where);
    }
    return payload;
  });
});

/** Keys are kept for a day; the maintenance job purges older ones. */
export async function purgeIdempotencyKeys(db: Db, before: Date) {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before));
}
