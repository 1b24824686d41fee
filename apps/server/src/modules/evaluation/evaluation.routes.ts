import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ZComputeBody,
  ZCreateIndicatorBody,
  ZEvaluationExportQuery,
  ZEvaluationsQuery,
  ZId,
  ZIndicatorSystemBody,
  ZIndicatorsQuery,
  ZScorecardQuery,
  ZUpdateIndicatorBody,
} from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import { sendXlsx } from '../../lib/xlsx.ts';
import { evaluationWorkbook } from './evaluation-sheet.ts';
import type { EvaluationService } from './evaluation.service.ts';

export function evaluationRoutes(app: FastifyInstance, deps: { evaluation: EvaluationService }) {
  const r = typed(app);
  const s = deps.evaluation;
  const c = { tags: ['evaluation'], security: SECURED };
  r.get(`${API}/evaluation-indicators`, {
    schema: { ...c, summary: '指标体系：本阵地下级适用的指标（自有、继承或平台默认）', querystring: ZIndicatorsQuery },
    handler: async (req) => s.indicators(req.ctx, req.query.orgId),
  });
  r.put(`${API}/evaluation-indicators`, {
    schema: { ...c, summary: '整体保存本阵地的指标体系（各层级权重合计须为100；空列表=恢复继承）', body: ZIndicatorSystemBody },
    handler: async (req) => s.replaceSystem(req.ctx, req.body),
  });
  r.post(`${API}/evaluation-indicators`, {
    schema: { ...c, summary: '新增一项指标（保存后各层级权重合计仍须为100）', body: ZCreateIndicatorBody },
    handler: async (req, reply) => reply.status(201).send(await s.createIndicator(req.ctx, req.body)),
  });
  r.patch(`${API}/evaluation-indicators/:id`, {
    schema: { ...c, summary: '修改一项指标', params: ZIdParams, body: ZUpdateIndicatorBody },
    handler: async (req) => s.updateIndicator(req.ctx, req.params.id, req.body),
  });
  r.delete(`${API}/evaluation-indicators/:id`, {
    schema: { ...c, summary: '删除一项指标', params: ZIdParams },
    handler: async (req, reply) => {
      await s.deleteIndicator(req.ctx, req.params.id);
      return reply.status(204).send();
    },
  });
  r.post(`${API}/evaluations/compute`, {
    schema: { ...c, summary: '计算评估期（月度=过程性，年度=终结性）；已结束且已计算的期不变，除非超级管理员 force', body: ZComputeBody },
    handler: async (req) => s.compute(req.ctx, req.body),
  });
  r.get(`${API}/evaluations`, {
    schema: { ...c, summary: '评估结果排名（同一上级下同级阵地排名），可按层级、是否有诊断问题筛选', querystring: ZEvaluationsQuery },
    handler: async (req) => s.list(req.ctx, req.query),
  });
  r.get(`${API}/evaluations/export`, {
    schema: { ...c, summary: '导出评估结果（.xlsx：排名、指标明细）', querystring: ZEvaluationExportQuery },
    handler: async (req, reply) => {
      const rows = await s.exportRows(req.ctx, req.query);
      const file = await evaluationWorkbook(req.query.period, rows);
      return sendXlsx(reply, `成效评估-${req.query.period}.xlsx`, file, `evaluation-${req.query.period}.xlsx`);
    },
  });
  r.get(`${API}/evaluations/:orgId/scorecard`, {
    schema: { ...c, summary: '站点评分卡：各指标实际值、得分、排名、诊断与改进建议', params: z.object({ orgId: ZId }), querystring: ZScorecardQuery },
    handler: async (req) => s.scorecard(req.ctx, req.params.orgId, req.query.period),
  });
}
