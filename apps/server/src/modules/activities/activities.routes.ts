import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ZActivityReportBody,
  ZAttendanceBody,
  ZCheckinBody,
  ZCreateActivityBody,
  ZFinishBody,
  ZListActivitiesQuery,
  ZPublishActivityBody,
  ZRateActivityBody,
  ZSignupBody,
  ZUpdateActivityBody,
} from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import { sendXlsx, XLSX_TYPE } from '../../lib/xlsx.ts';
import type { ActivitiesService } from './activities.service.ts';

export function activitiesRoutes(app: FastifyInstance, deps: { activities: ActivitiesService }) {
  const r = typed(app);
  const s = deps.activities;
  const common = { tags: ['activities'], security: SECURED };
  const params = ZIdParams;
  const empty = z.object({}).optional();

  r.post(`${API}/activities`, {
    schema: { ...common, summary: '新建活动（草稿）', body: ZCreateActivityBody },
    handler: async (req, reply) => reply.status(201).send(await s.create(req.ctx, req.body)),
  });
  // Public (docs/channels.md "A public face"): a 公众号 menu link shows activities and 活动风采 without signing in.
  r.get(`${API}/activities`, {
    schema: { ...common, summary: '活动列表（公开：未登录也可看已发布和已结束的活动、活动风采 report=true）', querystring: ZListActivitiesQuery },
    config: { public: true },
    handler: async (req) => s.list(req.ctx, req.query),
  });
  r.get(`${API}/activities/:id`, {
    schema: { ...common, summary: '活动详情（公开；草稿仅组织者可见）', params },
    config: { public: true },
    handler: async (req) => s.get(req.ctx, req.params.id),
  });
  r.patch(`${API}/activities/:id`, {
    schema: { ...common, summary: '修改草稿', params, body: ZUpdateActivityBody },
    handler: async (req) => s.update(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/activities/:id/publish`, {
    schema: { ...common, summary: '发布（series=true 时同时发布整个周期系列的草稿）', params, body: ZPublishActivityBody.optional() },
    handler: async (req) => s.publish(req.ctx, req.params.id, req.body ?? {}),
  });
  r.post(`${API}/activities/:id/rating`, {
    schema: { ...common, summary: '评价活动（签到参加者，活动结束后一次）', params, body: ZRateActivityBody },
    handler: async (req, reply) => reply.status(201).send(await s.rate(req.ctx, req.params.id, req.body)),
  });
  r.get(`${API}/activities/:id/ratings`, {
    schema: { ...common, summary: '活动评价（姓名脱敏）', params },
    handler: async (req) => ({ items: await s.ratings(req.ctx, req.params.id) }),
  });
  r.post(`${API}/activities/:id/report`, {
    schema: { ...common, summary: '发布活动报道（宣传展示：总结与照片）', params, body: ZActivityReportBody },
    handler: async (req) => s.report(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/activities/:id/cancel`, {
    schema: { ...common, summary: '取消（通知已报名者）', params, body: empty },
    handler: async (req) => s.cancel(req.ctx, req.params.id),
  });
  r.post(`${API}/activities/:id/finish`, {
    schema: { ...common, summary: '结束并按出勤生成服务时长', params, body: ZFinishBody.optional() },
    handler: async (req) => s.finish(req.ctx, req.params.id, req.body ?? {}),
  });
  r.post(`${API}/activities/:id/signups`, {
    schema: { ...common, summary: '报名（名额满则候补；支持 Idempotency-Key）', params, body: ZSignupBody },
    handler: async (req, reply) => reply.status(201).send(await s.signup(req.ctx, req.params.id, req.body.role)),
  });
  r.delete(`${API}/activities/:id/signups/me`, {
    schema: { ...common, summary: '取消报名（候补第一位递补）', params },
    handler: async (req, reply) => {
      await s.withdraw(req.ctx, req.params.id);
      return reply.status(204).send();
    },
  });
  r.get(`${API}/activities/:id/signups`, {
    schema: { ...common, summary: '报名与出勤名单（组织者）', params },
    handler: async (req) => s.signups(req.ctx, req.params.id),
  });
  r.get(`${API}/activities/:id/signups/export`, {
    schema: { ...common, summary: '导出报名与出勤名单（Excel .xlsx，组织者；手机号按权限脱敏）', params, produces: [XLSX_TYPE] },
    handler: async (req, reply) => {
      const { fileName, data } = await s.exportSignups(req.ctx, req.params.id);
      return sendXlsx(reply, fileName, data, 'signups.xlsx');
    },
  });
  r.get(`${API}/activities/:id/checkin-code`, {
    schema: { ...common, summary: '当前签到码（每30秒轮换）', params },
    handler: async (req) => s.checkinCode(req.ctx, req.params.id),
  });
  r.post(`${API}/activities/:id/checkin`, {
    schema: { ...common, summary: '扫码签到', params, body: ZCheckinBody },
    handler: async (req) => s.stamp(req.ctx, req.params.id, 'checkin', req.body),
  });
  r.post(`${API}/activities/:id/checkout`, {
    schema: { ...common, summary: '扫码签退', params, body: ZCheckinBody },
    handler: async (req) => s.stamp(req.ctx, req.params.id, 'checkout', req.body),
  });
  r.post(`${API}/activities/:id/attendance`, {
    schema: { ...common, summary: '手工补录出勤（需填写原因）', params, body: ZAttendanceBody },
    handler: async (req) => s.attendance(req.ctx, req.params.id, req.body),
  });
}
