import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ZAwardNominationBody, ZCreateHonourRoundBody, ZCreateNominationBody, ZListHonourRoundsQuery, ZReviewNominationBody } from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import type { HonoursService } from './honours.service.ts';

/** 评选表彰 routes: rounds, nominations by sites, review, public voting, the honour roll. */
export function honoursRoutes(app: FastifyInstance, deps: { honours: HonoursService }) {
  const r = typed(app);
  const s = deps.honours;
  const common = { tags: ['honours'], security: SECURED };
  const params = ZIdParams;
  const empty = z.object({}).nullish();

  r.post(`${API}/honours/rounds`, {
    schema: { ...common, summary: '发起评选（如 平城最美志愿者、星级志愿服务队；组织方管理员）', body: ZCreateHonourRoundBody },
    handler: async (req, reply) => reply.status(201).send(await s.createRound(req.ctx, req.body)),
  });
  r.get(`${API}/honours/rounds`, {
    schema: { ...common, summary: '评选列表（投票中与已结束的公开；推荐中的限组织方与下级阵地工作人员）', querystring: ZListHonourRoundsQuery },
    handler: async (req) => s.listRounds(req.ctx, req.query),
  });
  r.get(`${API}/honours/rounds/:id`, {
    schema: { ...common, summary: '评选详情与推荐名单（公众只见通过审核的）', params },
    handler: async (req) => s.getRound(req.ctx, req.params.id),
  });
  r.post(`${API}/honours/rounds/:id/open-voting`, {
    schema: { ...common, summary: '截止推荐、开始公众投票', params, body: empty },
    handler: async (req) => s.transition(req.ctx, req.params.id, 'openVoting'),
  });
  r.post(`${API}/honours/rounds/:id/close`, {
    schema: { ...common, summary: '结束评选（获评者进入光荣榜）', params, body: empty },
    handler: async (req) => s.transition(req.ctx, req.params.id, 'close'),
  });
  r.post(`${API}/honours/rounds/:id/nominations`, {
    schema: { ...common, summary: '推荐（下级阵地管理员推荐本阵地的志愿者或队伍）', params, body: ZCreateNominationBody },
    handler: async (req, reply) => reply.status(201).send(await s.nominate(req.ctx, req.params.id, req.body)),
  });
  r.post(`${API}/honours/nominations/:id/review`, {
    schema: { ...common, summary: '审核推荐（组织方管理员）', params, body: ZReviewNominationBody },
    handler: async (req) => s.review(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/honours/nominations/:id/award`, {
    schema: { ...common, summary: '评定获评（授予荣誉称号；组织方管理员）', params, body: ZAwardNominationBody },
    handler: async (req) => s.award(req.ctx, req.params.id, req.body.award),
  });
  r.post(`${API}/honours/nominations/:id/votes`, {
    schema: { ...common, summary: '投票（每个账号每天每项评选一票；重复 409）', params, body: empty },
    handler: async (req, reply) => reply.status(201).send(await s.vote(req.ctx, req.params.id)),
  });
  r.get(`${API}/honours/roll`, {
    schema: { ...common, summary: '光荣榜（已结束评选的获评者）', querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(100) }) },
    handler: async (req) => s.roll(req.ctx, req.query),
  });
  r.get(`${API}/volunteers/:id/honours`, {
    schema: { ...common, summary: '志愿者获得的表彰（本人或所属阵地工作人员）', params },
    handler: async (req) => s.volunteerHonours(req.ctx, req.params.id),
  });
}
