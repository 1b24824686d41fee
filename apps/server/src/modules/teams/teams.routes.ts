import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ZAddMemberBody, ZCreateTeamBody, ZId, ZListTeamsQuery } from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import type { TeamsService } from './teams.service.ts';

export function teamsRoutes(app: FastifyInstance, deps: { teams: TeamsService }) {
  const r = typed(app);
  const s = deps.teams;
  const common = { tags: ['teams'], security: SECURED };
  r.post(`${API}/teams`, {
    schema: { ...common, summary: '新建志愿服务队伍', body: ZCreateTeamBody },
    handler: async (req, reply) => reply.status(201).send(await s.create(req.ctx, req.body)),
  });
  r.get(`${API}/teams`, {
    schema: { ...common, summary: '队伍列表（管辖范围内）', querystring: ZListTeamsQuery },
    handler: async (req) => s.list(req.ctx, req.query),
  });
  r.get(`${API}/teams/:id`, {
    schema: { ...common, summary: '队伍详情与队员', params: ZIdParams },
    handler: async (req) => s.get(req.ctx, req.params.id),
  });
  r.post(`${API}/teams/:id/members`, {
    schema: { ...common, summary: '添加队员', params: ZIdParams, body: ZAddMemberBody },
    handler: async (req, reply) => reply.status(201).send(await s.addMember(req.ctx, req.params.id, req.body.volunteerId)),
  });
  r.delete(`${API}/teams/:id/members/:volunteerId`, {
    schema: { ...common, summary: '移除队员', params: z.object({ id: ZId, volunteerId: ZId }) },
    handler: async (req, reply) => {
      await s.removeMember(req.ctx, req.params.id, req.params.volunteerId);
      return reply.status(204).send();
    },
  });
}
