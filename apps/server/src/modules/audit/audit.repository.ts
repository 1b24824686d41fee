import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { AuditAction } from '@wenming/contracts';
import type { Executor } from '../../db/client.ts';
import { auditLogs, users } from '../../db/schema.ts';
import { scopeCondition, type RequestCtx, type Scope } from '../../lib/policy.ts';

export interface AuditEntry {
  cityCode: string | null;
  /** A code of the one label table (`AUDIT_ACTION_LABELS` in the contracts): no label, no compile. */
  action: AuditAction;
  entityType: string;
  entityId: string;
  /** The site the change concerns; when not given, the acting staff member's desk (their narrowest staff role in the city). */
  orgPath?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditListFilter {
  scope: Scope;
  entityType?: string;
  entityId?: string;
  action?: string;
  actorId?: string;
  /** Instants: from inclusive, to exclusive. */
  from?: Date;
  to?: Date;
  limit: number;
  beforeId?: number;
}

/** Where a change without a named site belongs: the actor's narrowest staff desk (in the change's city when it has one). */
/** audit_logs.org_path (0028), by name: the table's Drizzle declaration is shared with others' changes. */
const ORG_PATH = sql`audit_logs.org_path`;

/** A jsonb parameter (null stays SQL null). */
const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

function deskOf(ctx: RequestCtx, cityCode: string | null): { cityCode: string; path: string } | null {
  const grants = (ctx.actor?.grants ?? []).filter((g) => (g.role === 'org_admin' || g.role === 'dispatcher') && (cityCode === null || g.cityCode === cityCode));
  if (!grants.length) return null;
  const g = grants.reduce((a, b) => (b.orgPath.length > a.orgPath.length ? b : a));
  return { cityCode: g.cityCode, path: g.orgPath };
}

export function createAuditRepository(db: Executor) {
  return {
    /** Appends one audit row; call it inside the transaction that makes the change. */
    async record(ctx: RequestCtx, entry: AuditEntry, tx: Executor = db) {
      const desk = entry.orgPath ? null : deskOf(ctx, entry.cityCode);
      const orgPath = entry.orgPath ?? desk?.path ?? null;
      await tx.execute(sql`
        INSERT INTO audit_logs (city_code, actor_id, action, entity_type, entity_id, before, after, ip, request_id, org_path)
        VALUES (${entry.cityCode ?? desk?.cityCode ?? null}, ${ctx.actor?.userId ?? null}, ${entry.action}, ${entry.entityType}, ${entry.entityId},
          ${json(entry.before)}::jsonb, ${json(entry.after)}::jsonb, ${ctx.ip}, ${ctx.requestId}, ${orgPath}::ltree)`);
    },

    /** Newest first, inside the caller's scope (rows of no site are for super admins only). */
    async list(f: AuditListFilter, tx: Executor = db) {
      const conds: SQL[] = [];
      if (!f.scope.all) conds.push(scopeCondition(f.scope, auditLogs.cityCode, ORG_PATH));
      if (f.entityType) conds.push(eq(auditLogs.entityType, f.entityType));
      if (f.entityId) conds.push(eq(auditLogs.entityId, f.entityId));
      if (f.action) conds.push(eq(auditLogs.action, f.action));
      if (f.actorId) conds.push(eq(auditLogs.actorId, f.actorId));
      if (f.from) conds.push(gte(auditLogs.at, f.from));
      if (f.to) conds.push(lt(auditLogs.at, f.to));
      if (f.beforeId) conds.push(lt(auditLogs.id, f.beforeId));
      return tx
        .select({ log: auditLogs, actorName: users.name })
        .from(auditLogs)
        .leftJoin(users, eq(users.id, auditLogs.actorId))
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(auditLogs.id))
        .limit(f.limit);
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
