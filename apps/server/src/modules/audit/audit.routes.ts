import type { FastifyInstance } from 'fastify';
import { ZAuditLogFilter, ZAuditLogQuery } from '@wenming/contracts';
import { API, SECURED, typed } from '../../lib/http.ts';
import { sendXlsx, XLSX_TYPE } from '../../lib/xlsx.ts';
import type { AuditRepository } from './audit.repository.ts';
import { createAuditService } from './audit.service.ts';

/** The audit log: who changed what, when, before and after — each row with its Chinese label. */
export function auditRoutes(app: FastifyInstance, deps: { audit: AuditRepository }) {
  const audit = createAuditService(deps);
  const r = typed(app);
  r.get(`${API}/audit-logs`, {
    schema: {
      tags: ['audit'],
      security: SECURED,
      summary: '操作审计日志（超级管理员：全部；阵地管理员：本辖区）；每行带中文操作名 actionLabel，可按对象类型、操作、操作人、日期筛选',
      querystring: ZAuditLogQuery,
    },
    handler: async (req) => {
      const { cursor, ...q } = req.query;
      const beforeId = cursor ? Number(cursor) : undefined;
      return audit.list(req.ctx, { ...q, beforeId: Number.isSafeInteger(beforeId) && beforeId! > 0 ? beforeId : undefined });
    },
  });
  r.get(`${API}/audit-logs/export`, {
    schema: {
      tags: ['audit'],
      security: SECURED,
      summary: '导出操作日志（.xlsx，筛选条件同列表，最多 20000 行）',
      querystring: ZAuditLogFilter,
      produces: [XLSX_TYPE],
    },
    handler: async (req, reply) => {
      const file = await audit.exportXlsx(req.ctx, req.query);
      return sendXlsx(reply, '操作日志.xlsx', file, 'audit-log.xlsx');
    },
  });
}
