import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ZListQuery } from '@wenming/contracts';
import { API, SECURED, typed } from '../../lib/http.ts';
import { forbidden } from '../../lib/errors.ts';
import { requireActor } from '../../lib/policy.ts';
import { toIso } from '../../lib/time.ts';
import type { AuditRepository } from './audit.repository.ts';

/** The audit log (administrators): who changed what, when, before and after. */
export function auditRoutes(app: FastifyInstance, deps: { audit: AuditRepository }) {
  typed(app).get(`${API}/audit-logs`, {
    schema: {
      tags: ['audit'],
      security: SECURED,
      summary: '操作审计日志',
      querystring: ZListQuery.extend({ entityType: z.string().max(40).optional(), entityId: z.string().max(80).optional() }),
    },
    handler: async (req) => {
      if (!requireActor(req.ctx).isAdmin) throw forbidden();
      const q = req.query;
      const beforeId = q.cursor ? Number(q.cursor) : undefined;
      const rows = await deps.audit.list({
        entityType: q.entityType,
        entityId: q.entityId,
        limit: q.limit + 1,
        beforeId: Number.isSafeInteger(beforeId) ? beforeId : undefined,
      });
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((r) => ({ ...r.log, actorName: r.actorName, at: toIso(r.log.at) })),
        nextCursor: rows.length > q.limit ? String(page.at(-1)!.log.id) : null,
      };
    },
  });
}
