import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ZAdjustBody,
  ZAdjustmentsQuery,
  ZCreateRewardBody,
  ZFulfillBody,
  ZId,
  ZPointsReportQuery,
  ZPointsRuleBody,
  ZRedeemBody,
  ZRedemptionsQuery,
  ZRestockBody,
} from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import { sendXlsx } from '../../lib/xlsx.ts';
import type { PointsService } from '../points/index.ts';
import type { RewardsService } from './rewards.service.ts';
import { pointsReportWorkbook, redemptionsWorkbook } from './rewards.export.ts';

export function rewardsRoutes(app: FastifyInstance, deps: { rewards: RewardsService; points: PointsService }) {
  const r = typed(app);
  const s = deps.rewards;
  const p = deps.points;
  const c = { tags: ['points'], security: SECURED };
  const params = ZIdParams;
  const empty = z.object({}).optional();
  const { limit: _l, cursor: _c, ...exportFilters } = ZRedemptionsQuery.shape;
  const ZRedemptionsExportQuery = z.object(exportFilters);

  r.post(`${API}/rewards`, {
    schema: { ...c, summary: '上架奖品（爱心超市）', body: ZCreateRewardBody },
    handler: async (req, reply) => reply.status(201).send(await s.create(req.ctx, req.body)),
  });
  r.get(`${API}/rewards`, {
    schema: {
      ...c,
      summary: '奖品列表（orgId：该阵地及上级的在售奖品；orgId + subtree=true：工作人员管理该阵地及下级的全部奖品）',
      querystring: z.object({ orgId: ZId.optional(), subtree: z.enum(['true', 'false']).optional() }),
    },
    handler: async (req) => s.list(req.ctx, req.query.orgId, req.query.subtree === 'true'),
  });
  r.get(`${API}/rewards/available`, {
    schema: { ...c, summary: '积分商城：我可兑换的奖品（我报到或获得积分的阵地及其上级的爱心超市）' },
    handler: async (req) => s.available(req.ctx),
  });
  r.post(`${API}/rewards/:id/restock`, {
    schema: { ...c, summary: '补货', params, body: ZRestockBody },
    handler: async (req) => s.restock(req.ctx, req.params.id, req.body.add),
  });
  r.post(`${API}/rewards/:id/retire`, { schema: { ...c, summary: '下架', params, body: empty }, handler: async (req) => s.retire(req.ctx, req.params.id) });
  r.post(`${API}/rewards/:id/redeem`, {
    schema: { ...c, summary: '积分兑换（支持 Idempotency-Key）', params, body: ZRedeemBody },
    handler: async (req, reply) => reply.status(201).send(await s.redeem(req.ctx, req.params.id, req.body.quantity)),
  });
  r.get(`${API}/rewards/redemptions`, {
    schema: { ...c, summary: '兑换记录（工作人员，本辖区，可按阵地、奖品、状态、日期筛选）', querystring: ZRedemptionsQuery },
    handler: async (req) => s.redemptions(req.ctx, req.query),
  });
  r.get(`${API}/rewards/redemptions.xlsx`, {
    schema: { ...c, summary: '导出兑换记录（Excel）', querystring: ZRedemptionsExportQuery },
    handler: async (req, reply) => sendXlsx(reply, '兑换记录.xlsx', await redemptionsWorkbook(await s.redemptionsForExport(req.ctx, req.query))),
  });
  r.get(`${API}/redemptions/mine`, { schema: { ...c, summary: '我的兑换' }, handler: async (req) => s.mine(req.ctx) });
  r.get(`${API}/redemptions`, {
    schema: { ...c, summary: '按取货码查询（工作人员）', querystring: z.object({ pickupCode: ZFulfillBody.shape.pickupCode }) },
    handler: async (req) => s.findByCode(req.ctx, req.query.pickupCode),
  });
  r.post(`${API}/redemptions/:id/cancel`, {
    schema: { ...c, summary: '取消兑换（退回积分、恢复库存）', params, body: empty },
    handler: async (req) => s.cancel(req.ctx, req.params.id),
  });
  r.post(`${API}/redemptions/:id/fulfill`, {
    schema: { ...c, summary: '核销取货', params, body: ZFulfillBody },
    handler: async (req) => s.fulfill(req.ctx, req.params.id, req.body.pickupCode),
  });
  r.post(`${API}/points/adjustments`, {
    schema: { ...c, summary: '申请手工调整积分（需另一人审批）', body: ZAdjustBody },
    handler: async (req, reply) => reply.status(201).send(await s.requestAdjustment(req.ctx, req.body)),
  });
  r.get(`${API}/points/adjustments`, {
    schema: { ...c, summary: '积分调整申请（本辖区，待审批在前）', querystring: ZAdjustmentsQuery },
    handler: async (req) => s.adjustments(req.ctx, req.query),
  });
  r.post(`${API}/points/adjustments/:id/approve`, {
    schema: { ...c, summary: '审批通过', params, body: empty },
    handler: async (req) => s.decideAdjustment(req.ctx, req.params.id, true),
  });
  r.post(`${API}/points/adjustments/:id/reject`, {
    schema: { ...c, summary: '驳回', params, body: empty },
    handler: async (req) => s.decideAdjustment(req.ctx, req.params.id, false),
  });
  r.get(`${API}/points/rules`, {
    schema: { ...c, summary: '积分规则：本阵地设置、生效值及其来源（下级继承上级）', querystring: z.object({ orgId: ZId }) },
    handler: async (req) => p.rules(req.ctx, req.query.orgId),
  });
  r.put(`${API}/points/rules`, {
    schema: { ...c, summary: '设置积分规则（每小时、每次活动、五星好评、结对走访；null 为继承上级）', body: ZPointsRuleBody },
    handler: async (req) => p.setRules(req.ctx, req.body),
  });
  r.get(`${API}/points/report`, {
    schema: { ...c, summary: '积分月报：各阵地每月发放与兑换积分、库存', querystring: ZPointsReportQuery },
    handler: async (req) => p.report(req.ctx, req.query),
  });
  r.get(`${API}/points/report.xlsx`, {
    schema: { ...c, summary: '导出积分月报（Excel）', querystring: ZPointsReportQuery },
    handler: async (req, reply) => {
      const report = await p.report(req.ctx, req.query);
      return sendXlsx(reply, `积分月报_${report.orgName}_${report.from}_${report.to}.xlsx`, await pointsReportWorkbook(report));
    },
  });
}
