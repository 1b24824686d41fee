import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ZBookingBody,
  ZCreateResourceBody,
  ZListBookingsQuery,
  ZListResourcesQuery,
  ZReasonRequired,
  ZReviewBody,
  ZUpdateResourceBody,
  ZUtilizationQuery,
} from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import type { ResourcesService } from './resources.service.ts';

export function resourcesRoutes(app: FastifyInstance, deps: { resources: ResourcesService }) {
  const r = typed(app);
  const s = deps.resources;
  const res = { tags: ['resources'], security: SECURED };
  const bk = { tags: ['bookings'], security: SECURED };
  const params = ZIdParams;
  const empty = z.object({}).optional();

  r.post(`${API}/resources`, {
    schema: { ...res, summary: '登记资源', body: ZCreateResourceBody },
    handler: async (req, reply) => reply.status(201).send(await s.create(req.ctx, req.body)),
  });
  r.get(`${API}/resources`, { schema: { ...res, summary: '资源库', querystring: ZListResourcesQuery }, handler: async (req) => s.list(req.ctx, req.query) });
  r.get(`${API}/resources/utilization`, {
    schema: { ...res, summary: '利用率：各资源、各阵地的已用时长 / 开放时长（工作人员，管辖范围内）', querystring: ZUtilizationQuery },
    handler: async (req) => s.utilization(req.ctx, req.query),
  });
  r.get(`${API}/resources/:id`, { schema: { ...res, summary: '资源详情', params }, handler: async (req) => s.get(req.ctx, req.params.id) });
  r.patch(`${API}/resources/:id`, {
    schema: { ...res, summary: '修改资源（阵地管理员）；status=retired 下架', params, body: ZUpdateResourceBody },
    handler: async (req) => s.update(req.ctx, req.params.id, req.body),
  });
  r.get(`${API}/resources/:id/availability`, {
    schema: { ...res, summary: '某日开放时段与已预约时段', params, querystring: z.object({ date: z.iso.date() }) },
    handler: async (req) => s.availability(req.ctx, req.params.id, req.query.date),
  });
  r.post(`${API}/resources/:id/bookings`, {
    schema: { ...bk, summary: '预约（支持 Idempotency-Key）', params, body: ZBookingBody },
    handler: async (req, reply) => reply.status(201).send(await s.book(req.ctx, req.params.id, req.body)),
  });
  r.get(`${API}/bookings`, {
    schema: { ...bk, summary: '预约列表：mine=true 为我的；工作人员看管辖范围', querystring: ZListBookingsQuery },
    handler: async (req) => s.listBookings(req.ctx, req.query),
  });
  r.get(`${API}/bookings/:id`, { schema: { ...bk, summary: '预约详情', params }, handler: async (req) => s.getBooking(req.ctx, req.params.id) });
  r.post(`${API}/bookings/:id/approve`, { schema: { ...bk, summary: '通过', params, body: empty }, handler: async (req) => s.approve(req.ctx, req.params.id) });
  r.post(`${API}/bookings/:id/reject`, {
    schema: { ...bk, summary: '驳回', params, body: ZReasonRequired },
    handler: async (req) => s.reject(req.ctx, req.params.id, req.body.reason),
  });
  r.post(`${API}/bookings/:id/cancel`, { schema: { ...bk, summary: '取消', params, body: empty }, handler: async (req) => s.cancel(req.ctx, req.params.id) });
  r.post(`${API}/bookings/:id/complete`, {
    schema: { ...bk, summary: '使用完毕 / 物资归还（工作人员）', params, body: empty },
    handler: async (req) => s.complete(req.ctx, req.params.id),
  });
  r.post(`${API}/bookings/:id/checkin`, {
    schema: { ...bk, summary: '到场签到', params, body: empty },
    handler: async (req) => s.checkin(req.ctx, req.params.id),
  });
  r.post(`${API}/bookings/:id/review`, {
    schema: { ...bk, summary: '评价（使用完成后一次）', params, body: ZReviewBody },
    handler: async (req, reply) => reply.status(201).send(await s.review(req.ctx, req.params.id, req.body)),
  });
}
