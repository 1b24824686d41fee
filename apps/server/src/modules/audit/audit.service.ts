import { auditActionLabel, auditEntityLabel, type AuditLogDto, type TAuditLogFilter } from '@wenming/contracts';
import { toIso } from '../../lib/time.ts';
import { cellTime, createWorkbook } from '../../lib/xlsx.ts';
import { forbidden } from '../../lib/errors.ts';
import { MANAGE_ROLES, requireActor, scopeOf, type RequestCtx, type Scope } from '../../lib/policy.ts';
import type { AuditListFilter, AuditRepository } from './audit.repository.ts';

/** Most rows one export holds; narrow the filter for more. */
export const AUDIT_EXPORT_MAX_ROWS = 20_000;

const DAY_MS = 24 * 3600_000;
/** The instant a China day (`2026-12-07`) starts. */
const chinaDayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);

/** 操作日志: super admins read all of it, a site's org_admin the rows of their subtree. */
export function createAuditService(deps: { audit: AuditRepository }) {
  function readScope(ctx: RequestCtx): Scope {
    const actor = requireActor(ctx);
    const scope = scopeOf(actor, MANAGE_ROLES);
    if (!scope.all && scope.subtrees.length === 0) throw forbidden({ zh: '操作日志仅对管理员开放', en: 'The audit log is for administrators' });
    return scope;
  }

  function filterOf(scope: Scope, f: TAuditLogFilter): Omit<AuditListFilter, 'limit'> {
    return {
      scope,
      entityType: f.entityType,
      entityId: f.entityId,
      action: f.action,
      actorId: f.actorId,
      from: f.from ? chinaDayStart(f.from) : undefined,
      to: f.to ? new Date(chinaDayStart(f.to).getTime() + DAY_MS) : undefined,
    };
  }

  const present = (r: Awaited<ReturnType<AuditRepository['list']>>[number]): AuditLogDto => ({
    id: r.log.id,
    cityCode: r.log.cityCode,
    action: r.log.action,
    actionLabel: auditActionLabel(r.log.action),
    entityType: r.log.entityType,
    entityLabel: auditEntityLabel(r.log.entityType),
    entityId: r.log.entityId,
    actorId: r.log.actorId,
    actorName: r.actorName,
    before: r.log.before,
    after: r.log.after,
    at: toIso(r.log.at),
  });

  return {
    async list(ctx: RequestCtx, q: TAuditLogFilter & { limit: number; beforeId?: number }) {
      const rows = await deps.audit.list({ ...filterOf(readScope(ctx), q), limit: q.limit + 1, beforeId: q.beforeId });
      const page = rows.slice(0, q.limit);
      return { items: page.map(present), nextCursor: rows.length > q.limit ? String(page.at(-1)!.log.id) : null };
    },

    /** The filtered log as .xlsx, newest first, the same labels as the page. */
    async exportXlsx(ctx: RequestCtx, q: TAuditLogFilter): Promise<Buffer> {
      const filter = filterOf(readScope(ctx), q);
      const wb = await createWorkbook();
      const ws = wb.addSheet('操作日志', [
        { header: '时间', key: 'at', width: 18 },
        { header: '操作', key: 'actionLabel', width: 16 },
        { header: '对象类型', key: 'entityLabel', width: 12 },
        { header: '对象编号', key: 'entityId', width: 38, text: true },
        { header: '操作人', key: 'actorName', width: 14 },
        { header: '操作代码', key: 'action', width: 24 },
      ]);
      let beforeId: number | undefined;
      let total = 0;
      while (total < AUDIT_EXPORT_MAX_ROWS) {
        const rows = await deps.audit.list({ ...filter, limit: Math.min(1000, AUDIT_EXPORT_MAX_ROWS - total), beforeId });
        for (const r of rows) {
          const d = present(r);
          ws.addRow({ ...d, at: cellTime(d.at), actorName: d.actorName ?? (d.actorId ? d.actorId : '系统') });
        }
        total += rows.length;
        if (rows.length < 1000) break;
        beforeId = rows.at(-1)!.log.id;
      }
      return wb.toBuffer();
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
