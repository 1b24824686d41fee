import { and, desc, eq, lt } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { auditLogs, users } from '../../db/schema.ts';
import type { RequestCtx } from '../../lib/policy.ts';

export interface AuditEntry {
  cityCode: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export function createAuditRepository(db: Executor) {
  return {
    /** Appends one audit row; call it inside the transaction that makes the change. */
    async record(ctx: RequestCtx, entry: AuditEntry, tx: Executor = db) {
      await tx.insert(auditLogs).values({
        cityCode: entry.cityCode,
        actorId: ctx.actor?.userId ?? null,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        before: entry.before ?? null,
        after: entry.after ?? null,
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
    },

    async list(opts: { entityType?: string; entityId?: string; limit: number; beforeId?: number }, tx: Executor = db) {
      const conds = [];
      if (opts.entityType) conds.push(eq(auditLogs.entityType, opts.entityType));
      if (opts.entityId) conds.push(eq(auditLogs.entityId, opts.entityId));
      if (opts.beforeId) conds.push(lt(auditLogs.id, opts.beforeId));
      return tx
        .select({ log: auditLogs, actorName: users.name })
        .from(auditLogs)
        .leftJoin(users, eq(users.id, auditLogs.actorId))
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(auditLogs.id))
        .limit(opts.limit);
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
