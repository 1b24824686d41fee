import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ZAdjustBody, ZCreateRewardBody, ZFulfillBody, ZId, ZPointsRuleBody, ZRedeemBody, ZRestockBody } from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import type { RewardsService } from './rewards.service.ts';

export function rewardsRoutes(app: FastifyInstance, deps: { rewards: RewardsService }) {
  const r = typed(app);
  const s = deps.rewards;
  const c = { tags: ['points'], security: SECURED };
  const params = ZIdParams;
  const empty = z.object({}).optional();
  r.post(`${API}/rewards`, { schema: { ...c, summary: '上架奖品（爱心超市）', body: ZCreateRewardBody }, handler: async (req, reply) => reply.status(201).send(await s.create(req.ctx, req.body)) });
  r.get(`${API}/rewards`, { schema: { ...c, summary: '奖品列表', querystring: z.object({ orgId: ZId.optional() }) }, handler: async (req) => s.list(req.ctx, req.query.orgId) });
  r.post(`${API}/rewards/:id/restock`, { schema: { ...c, summary: '补货', params, body: ZRestockBody }, handler: async (req) => s.restock(req.ctx, req.params.id, req.body.add) });
  r.post(`${API}/rewards/:id/retire`, { schema: { ...c, summary: '下架', params, body: empty }, handler: async (req) => s.retire(req.ctx, req.params.id) });
  r.post(`${API}/rewards/:id/redeem`, {
    schema: { ...c, summary: '积分兑换（支持 Idempotency-Key）', params, body: ZRedeemBody },
    handler: async (req, reply) => reply.status(201).send(await s.redeem(req.ctx, req.params.id, req.body.quantity)),
  });
  r.get(`${API}/redemptions/mine`, { schema: { ...c, summary: '我的兑换' }, handler: async (req) => s.mine(req.ctx) });
  r.get(`${API}/redemptions`, { schema: { ...c, summary: '按取货码查询（工作人员）', querystring: z.object({ pickupCode: ZFulfillBody.shape.pickupCode }) }, handler: async (req) => s.findByCode(req.ctx, req.query.pickupCode) });
  r.post(`${API}/redemptions/:id/cancel`, { schema: { ...c, summary: '取消兑换（退回积分、恢复库存）', params, body: empty }, handler: async (req) => s.cancel(req.ctx, req.params.id) });
  r.post(`${API}/redemptions/:id/fulfill`, { schema: { ...c, summary: '核销取货', params, body: ZFulfillBody }, handler: async (req) => s.fulfill(req.ctx, req.params.id, req.body.pickupCode) });
  r.post(`${API}/points/adjustments`, { schema: { ...c, summary: '申请手工调整积分（需另一人审批）', body: ZAdjustBody }, handler: async (req, reply) => reply.status(201).send(await s.requestAdjustment(req.ctx, req.body)) });
  r.post(`${API}/points/adjustments/:id/approve`, { schema: { ...c, summary: '审批通过', params, body: empty }, handler: async (req) => s.decideAdjustment(req.ctx, req.params.id, true) });
  r.post(`${API}/points/adjustments/:id/reject`, { schema: { ...c, summary: '驳回', params, body: empty }, handler: async (req) => s.decideAdjustment(req.ctx, req.params.id, false) });
  r.put(`${API}/points/rules`, { schema: { ...c, summary: '积分规则：每小时积分（下级继承）', body: ZPointsRuleBody }, handler: async (req) => s.setRule(req.ctx, req.body.orgId, req.body.pointsPerHour) });
}
