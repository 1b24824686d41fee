import fp from 'fastify-plugin';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { idempotencyKeys } from '../db/schema.ts';
import { AppError } from '../lib/errors.ts';
import { msg } from '@wenming/contracts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { caller: string; key: string } | null;
  }
}

const MAX_KEY = 200;
const WAIT_MS = 10_000;

/** Canonical JSON: object keys sorted, so the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * `Idempotency-Key` on POST (API.md): the first response to (caller, key) is stored and replayed
 * for the same request; the same key with another request is 409 IDEMPOTENCY_CONFLICT.
 * The key is claimed with a unique row before the handler runs, so concurrent twins run once.
 */
export const idempotencyPlugin = fp(async (app: FastifyInstance, opts: { db: Db }) => {
  const { db } = opts;
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || !req.url.startsWith('/api/')) return;
    const key = req.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY)
      throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'Idempotency-Key', message: msg('幂等键须为1至200个字符', 'The Idempotency-Key must have 1 to 200 characters') }]);
    const caller = req.ctx.actor ? `u:${req.ctx.actor.userId}` : `ip:${req.ip}`;
    const requestHash = crypto
      .createHash('sha256')
      .update(`${req.method} ${req.routeOptions.url ?? req.url} ${req.url}\n${canonical(req.body ?? null)}`)
      .digest('hex');
    const claimed = await db.insert(idempotencyKeys).values({ caller, key, requestHash }).onConflictDoNothing().returning();
    if (claimed.length) {
      req.idempotency = { caller, key };
      return;
    }
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const [row] = await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key)));
      if (!row) {
        // The first attempt failed and released the key: claim it now.
        const again = await db.insert(idempotencyKeys).values({ caller, key, requestHash }).onConflictDoNothing().returning();
        if (again.length) {
          req.idempotency = { caller, key };
          return;
        }
        continue;
      }
      if (row.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_CONFLICT');
      if (row.statusCode !== null) {
        reply.header('idempotent-replayed', 'true');
        return reply.status(row.statusCode).type('application/json; charset=utf-8').send(row.responseBody ?? '');
      }
      if (Date.now() > deadline)
        throw new AppError('IDEMPOTENCY_CONFLICT', { zh: '相同的请求正在处理中，请稍后重试', en: 'The same request is still being processed' });
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const idem = req.idempotency;
    if (!idem) return payload;
    req.idempotency = null;
    const where = and(eq(idempotencyKeys.caller, idem.caller), eq(idempotencyKeys.key, idem.key), isNull(idempotencyKeys.statusCode));
    if (reply.statusCode >= 500) {
      await db.delete(idempotencyKeys).where(where);
    } else {
      await db
        .update(idempotencyKeys)
        .set({ statusCode: reply.statusCode, responseBody: typeof payload === 'string' ? payload : payload == null ? '' : String(payload) })
        .where(where);
    }
    return payload;
  });
});

/** Keys are kept for a day; the maintenance job purges older ones. */
export async function purgeIdempotencyKeys(db: Db, before: Date) {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before));
}
