import type { FastifyInstance } from 'fastify';
import {
  ZAcceptBody,
  ZAssistedOrderBody,
  ZCompleteBody,
  ZCorrectTriageBody,
  ZCoUnitBody,
  ZExtensionRequestBody,
  ZNoteBody,
  ZReassignBody,
  ZDispatchBody,
  ZForwardBody,
  ZListOrdersQuery,
  ZRateBody,
  ZReasonRequired,
  ZResolveBody,
  ZSubmitOrderBody,
} from '@wenming/contracts';
import { z } from 'zod';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import { sendXlsx } from '../../lib/xlsx.ts';
import type { OrdersService } from './orders.service.ts';

/** The day in China, for file names. */
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');

export function ordersRoutes(app: FastifyInstance, deps: { orders: OrdersService }) {
  const r = typed(app);
  const s = deps.orders;
  const common = { tags: ['orders'], security: SECURED };
  const params = ZIdParams;

  r.post(`${API}/orders`, {
    schema: { ...common, summary: '群众点单（支持 Idempotency-Key）', body: ZSubmitOrderBody },
    config: { idempotencyInWrite: true },
    handler: async (req, reply) => reply.status(201).send(await s.submit(req.ctx, req.body)),
  });
  r.post(`${API}/orders/assisted`, {
    schema: {
      ...common,
      summary: '代点单：工作人员为来电、来访、网格员转报或 12345 热线的群众登记工单（按手机号找到或开通群众账号；支持 Idempotency-Key）',
      body: ZAssistedOrderBody,
    },
    config: { idempotencyInWrite: true },
    handler: async (req, reply) => reply.status(201).send(await s.submitAssisted(req.ctx, req.body)),
  });
  r.get(`${API}/orders/export`, {
    schema: {
      ...common,
      summary: '导出工单台账（.xlsx，流式；与列表相同的检索与筛选条件；手机号按列表规则显示；导出留痕）',
      querystring: ZListOrdersQuery.omit({ limit: true, cursor: true }),
    },
    handler: async (req, reply) => sendXlsx(reply, `工单台账-${today()}.xlsx`, await s.exportXlsx(req.ctx, req.query)),
  });
  r.get(`${API}/orders`, {
    schema: { ...common, summary: '工单列表：工作人员看管辖范围，群众看自己的；desk=true 为本级调度台', querystring: ZListOrdersQuery },
    handler: async (req) => s.list(req.ctx, req.query),
  });
  r.get(`${API}/orders/:id`, { schema: { ...common, summary: '工单详情与时间线', params }, handler: async (req) => s.get(req.ctx, req.params.id) });
  r.get(`${API}/orders/:id/candidates`, {
    schema: { ...common, summary: '智能匹配：候选队伍与志愿者（含理由）', params },
    handler: async (req) => s.candidates(req.ctx, req.params.id),
  });
  r.post(`${API}/orders/:id/dispatch`, {
    schema: { ...common, summary: '中心派单', params, body: ZDispatchBody },
    handler: async (req) => s.dispatch(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/orders/:id/forward`, {
    schema: { ...common, summary: '转办职能部门', params, body: ZForwardBody },
    handler: async (req) => s.forward(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/orders/:id/reject`, {
    schema: { ...common, summary: '退回', params, body: ZReasonRequired },
    handler: async (req) => s.reject(req.ctx, req.params.id, req.body.reason),
  });
  r.post(`${API}/orders/:id/accept`, {
    schema: { ...common, summary: '志愿者接单', params, body: ZAcceptBody.optional() },
    handler: async (req) => s.accept(req.ctx, req.params.id, req.body ?? {}),
  });
  r.post(`${API}/orders/:id/decline`, {
    schema: { ...common, summary: '婉拒', params, body: ZReasonRequired },
    handler: async (req) => s.decline(req.ctx, req.params.id, req.body.reason),
  });
  r.post(`${API}/orders/:id/start`, {
    schema: { ...common, summary: '开始服务', params, body: z.object({}).optional() },
    handler: async (req) => s.start(req.ctx, req.params.id),
  });
  r.post(`${API}/orders/:id/complete`, {
    schema: { ...common, summary: '服务完成', params, body: ZCompleteBody },
    handler: async (req) => s.complete(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/orders/:id/resolve`, {
    schema: { ...common, summary: '部门办结', params, body: ZResolveBody },
    handler: async (req) => s.resolve(req.ctx, req.params.id, req.body.reply),
  });
  r.post(`${API}/orders/:id/reassign`, {
    schema: { ...common, summary: '改派：接单前改派给其他队伍或志愿者（须说明理由）', params, body: ZReassignBody },
    handler: async (req) => s.reassign(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/orders/:id/acknowledge`, {
    schema: { ...common, summary: '部门签收（接诉即办）', params, body: ZNoteBody.optional() },
    handler: async (req) => s.acknowledge(req.ctx, req.params.id, req.body ?? {}),
  });
  r.post(`${API}/orders/:id/dispute`, {
    schema: { ...common, summary: '派单异议：部门退回非本部门职责的工单（须说明理由）', params, body: ZReasonRequired },
    handler: async (req) => s.dispute(req.ctx, req.params.id, req.body.reason),
  });
  r.post(`${API}/orders/:id/extension`, {
    schema: { ...common, summary: '部门申请延期（由转办的调度台审批）', params, body: ZExtensionRequestBody },
    handler: async (req) => s.requestExtension(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/orders/:id/extension/grant`, {
    schema: { ...common, summary: '同意延期', params, body: ZNoteBody.optional() },
    handler: async (req) => s.decideExtension(req.ctx, req.params.id, true, req.body ?? {}),
  });
  r.post(`${API}/orders/:id/extension/refuse`, {
    schema: { ...common, summary: '不同意延期', params, body: ZNoteBody.optional() },
    handler: async (req) => s.decideExtension(req.ctx, req.params.id, false, req.body ?? {}),
  });
  r.post(`${API}/orders/:id/co-units`, {
    schema: { ...common, summary: '主办部门请协办单位', params, body: ZCoUnitBody },
    handler: async (req) => s.addCoUnit(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/orders/:id/rate`, {
    schema: { ...common, summary: '群众评单', params, body: ZRateBody },
    handler: async (req) => s.rate(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/orders/:id/cancel`, {
    schema: { ...common, summary: '取消', params, body: z.object({}).optional() },
    handler: async (req) => s.cancel(req.ctx, req.params.id),
  });
  r.post(`${API}/orders/:id/reopen`, {
    schema: { ...common, summary: '回访重办', params, body: ZReasonRequired },
    handler: async (req) => s.reopen(req.ctx, req.params.id, req.body.reason),
  });
  r.post(`${API}/orders/:id/triage`, {
    schema: { ...common, summary: '修正智能研判结果（作为新的训练样本）', params, body: ZCorrectTriageBody },
    handler: async (req) => s.correctTriage(req.ctx, req.params.id, req.body),
  });
}
