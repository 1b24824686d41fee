import type { FastifyInstance } from 'fastify';
import {
  ZCreatePairingPlanBody,
  ZCreatePairingResidentBody,
  ZListPairingPlansQuery,
  ZListPairingResidentsQuery,
  ZListPairingTasksQuery,
  ZLogPairingVisitBody,
  ZMissPairingVisitBody,
  ZMyPairingTasksQuery,
  ZPairingPlanStateBody,
  ZUpdatePairingPlanBody,
  ZUpdatePairingResidentBody,
} from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import type { PairingService } from './pairing.service.ts';

/** 结对帮扶 routes: cared-for residents, plans, visit tasks. */
export function pairingRoutes(app: FastifyInstance, deps: { pairing: PairingService }) {
  const r = typed(app);
  const s = deps.pairing;
  const common = { tags: ['pairing'], security: SECURED };
  const params = ZIdParams;

  r.post(`${API}/pairing/residents`, {
    schema: { ...common, summary: '登记帮扶对象（工作人员，本阵地及下级）', body: ZCreatePairingResidentBody },
    handler: async (req, reply) => reply.status(201).send(await s.createResident(req.ctx, req.body)),
  });
  r.get(`${API}/pairing/residents`, {
    schema: { ...common, summary: '帮扶对象列表（工作人员，管辖范围内）', querystring: ZListPairingResidentsQuery },
    handler: async (req) => s.listResidents(req.ctx, req.query),
  });
  r.get(`${API}/pairing/residents/:id`, {
    schema: { ...common, summary: '帮扶对象详情（电话仅对结对志愿者、本人和超级管理员完整显示）', params },
    handler: async (req) => s.getResident(req.ctx, req.params.id),
  });
  r.patch(`${API}/pairing/residents/:id`, {
    schema: { ...common, summary: '修改帮扶对象', params, body: ZUpdatePairingResidentBody },
    handler: async (req) => s.updateResident(req.ctx, req.params.id, req.body),
  });

  r.post(`${API}/pairing/plans`, {
    schema: { ...common, summary: '新建结对帮扶计划（志愿者 + 帮扶对象 + 探访规则），并生成近两周的探访任务', body: ZCreatePairingPlanBody },
    handler: async (req, reply) => reply.status(201).send(await s.createPlan(req.ctx, req.body)),
  });
  r.get(`${API}/pairing/plans`, {
    schema: { ...common, summary: '结对帮扶计划列表（工作人员，管辖范围内）', querystring: ZListPairingPlansQuery },
    handler: async (req) => s.listPlans(req.ctx, req.query),
  });
  r.get(`${API}/pairing/plans/:id`, { schema: { ...common, summary: '结对帮扶计划详情', params }, handler: async (req) => s.getPlan(req.ctx, req.params.id) });
  r.patch(`${API}/pairing/plans/:id`, {
    schema: { ...common, summary: '修改计划（今天起的任务随规则调整）', params, body: ZUpdatePairingPlanBody },
    handler: async (req) => s.updatePlan(req.ctx, req.params.id, req.body),
  });
  for (const event of ['pause', 'resume', 'end'] as const) {
    const summary = { pause: '暂停（取消今天起未完成的任务）', resume: '恢复（重新生成任务）', end: '结束' }[event];
    r.post(`${API}/pairing/plans/:id/${event}`, {
      schema: { ...common, summary, params, body: ZPairingPlanStateBody.nullish() },
      handler: async (req) => s.transition(req.ctx, req.params.id, event, req.body?.reason ?? null),
    });
  }
  r.get(`${API}/pairing/plans/:id/tasks`, {
    schema: { ...common, summary: '计划的探访任务（upcoming / past / today / all）', params, querystring: ZListPairingTasksQuery },
    handler: async (req) => s.planTasks(req.ctx, req.params.id, req.query),
  });

  r.get(`${API}/pairing/tasks`, {
    schema: { ...common, summary: '我的结对探访任务（志愿者：今天 / 近期 / 已完成 / 逾期）', querystring: ZMyPairingTasksQuery },
    handler: async (req) => s.myTasks(req.ctx, req.query),
  });
  r.get(`${API}/pairing/tasks/:id`, { schema: { ...common, summary: '探访任务详情', params }, handler: async (req) => s.getTask(req.ctx, req.params.id) });
  r.post(`${API}/pairing/tasks/:id/log`, {
    schema: { ...common, summary: '登记探访（每位服务的志愿者生成一条待审核的服务记录；重复登记 409）', params, body: ZLogPairingVisitBody },
    handler: async (req) => s.logVisit(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/pairing/tasks/:id/miss`, {
    schema: { ...common, summary: '标记未能探访（填写原因）', params, body: ZMissPairingVisitBody },
    handler: async (req) => s.markMissed(req.ctx, req.params.id, req.body.reason),
  });
}
