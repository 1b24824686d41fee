import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ZCreateRecordBody, ZListQuery, ZListVolunteersQuery, ZReasonBody, ZRegisterVolunteerBody, ZVerifyRecordBody } from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import type { VolunteersService } from './volunteers.service.ts';
import type { RecordsService } from '../records/index.ts';
import type { PointsService } from '../points/index.ts';
import { notFound } from '../../lib/errors.ts';

const ZRecordStatus = z.enum(['pending', 'verified', 'rejected', 'revoked']);

export function volunteersRoutes(app: FastifyInstance, deps: { volunteers: VolunteersService; records: RecordsService; points: PointsService }) {
  const r = typed(app);
  const v = deps.volunteers;
  const vol = { tags: ['volunteers'], security: SECURED };
  const rec = { tags: ['service-records'], security: SECURED };

  r.post(`${API}/volunteers`, {
    schema: { ...vol, summary: '志愿者报到（当前用户登记为志愿者）', body: ZRegisterVolunteerBody },
    handler: async (req, reply) => reply.status(201).send(await v.register(req.ctx, req.body)),
  });
  r.get(`${API}/volunteers/me`, {
    schema: { ...vol, summary: '我的志愿者档案' },
    handler: async (req) => {
      const mine = await v.mine(req.ctx);
      if (!mine) throw notFound({ zh: '您还没有登记为志愿者', en: 'You are not registered as a volunteer' });
      return mine;
    },
  });
  r.get(`${API}/volunteers`, {
    schema: { ...vol, summary: '志愿者列表（管辖范围内）', querystring: ZListVolunteersQuery },
    handler: async (req) => v.list(req.ctx, req.query),
  });
  r.get(`${API}/volunteers/:id`, {
    schema: { ...vol, summary: '志愿者详情', params: ZIdParams },
    handler: async (req) => v.get(req.ctx, req.params.id),
  });
  r.post(`${API}/volunteers/:id/suspend`, {
    schema: { ...vol, summary: '暂停志愿者', params: ZIdParams, body: ZReasonBody },
    handler: async (req) => v.setStatus(req.ctx, req.params.id, 'suspended', req.body.reason),
  });
  r.post(`${API}/volunteers/:id/reactivate`, {
    schema: { ...vol, summary: '恢复志愿者', params: ZIdParams, body: ZReasonBody },
    handler: async (req) => v.setStatus(req.ctx, req.params.id, 'active', req.body.reason),
  });
  r.post(`${API}/volunteers/:id/activation-code`, {
    schema: { ...vol, summary: '生成激活码（本人凭手机号和激活码设置密码）', params: ZIdParams },
    handler: async (req, reply) => reply.status(201).send(await v.issueActivationCode(req.ctx, req.params.id)),
  });
  r.get(`${API}/volunteers/:id/records`, {
    schema: { ...vol, summary: '志愿服务记录', params: ZIdParams, querystring: ZListQuery.extend({ status: ZRecordStatus.optional() }) },
    handler: async (req) => deps.records.ofVolunteer(req.ctx, req.params.id, req.query),
  });

  r.get(`${API}/service-records`, {
    schema: { ...rec, summary: '服务记录审核队列', querystring: ZListQuery.extend({ status: ZRecordStatus.optional() }) },
    handler: async (req) => deps.records.list(req.ctx, req.query),
  });
  r.post(`${API}/service-records`, {
    schema: { ...rec, summary: '手工补录服务记录（需另一位工作人员审核）', body: ZCreateRecordBody },
    handler: async (req, reply) => reply.status(201).send(await deps.records.createManual(req.ctx, req.body)),
  });
  r.post(`${API}/service-records/:id/verify`, {
    schema: {
      ...rec,
      summary: '审核通过；申报时长超出开始至完成（或活动时间）的记录须填写核定理由 overrideReason',
      params: ZIdParams,
      body: ZVerifyRecordBody.optional(),
    },
    handler: async (req) => deps.records.verify(req.ctx, req.params.id, req.body?.note ?? null, req.body?.overrideReason),
  });
  r.post(`${API}/service-records/:id/reject`, {
    schema: { ...rec, summary: '驳回', params: ZIdParams, body: ZReasonBody.partial().optional() },
    handler: async (req) => deps.records.reject(req.ctx, req.params.id, req.body?.reason ?? '未通过审核'),
  });
  r.post(`${API}/service-records/:id/revoke`, {
    schema: { ...rec, summary: '撤销已审核记录（冲正）', params: ZIdParams, body: ZReasonBody },
    handler: async (req) => deps.records.revoke(req.ctx, req.params.id, req.body.reason),
  });

  r.get(`${API}/points/me`, {
    schema: { tags: ['points'], security: SECURED, summary: '我的积分与明细' },
    handler: async (req) => deps.points.mine(req.ctx),
  });
}
