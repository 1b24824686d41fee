import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ZCreateJoinRequestBody,
  ZCreateOrganisationBody,
  ZId,
  ZJoinTargetsQuery,
  ZListJoinRequestsQuery,
  ZListOrganisationsQuery,
  ZListQuery,
  ZOrganisationAdminBody,
  ZOrganisationMemberBody,
  ZOrganisationTeamBody,
  ZRefuseJoinRequestBody,
  ZUpdateOrganisationBody,
} from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import type { OrganisationsService } from './organisations.service.ts';

export function organisationsRoutes(app: FastifyInstance, deps: { organisations: OrganisationsService }) {
  const r = typed(app);
  const s = deps.organisations;
  const common = { tags: ['organisations'], security: SECURED };
  r.post(`${API}/organisations`, {
    schema: { ...common, summary: '登记志愿服务组织', body: ZCreateOrganisationBody },
    handler: async (req, reply) => reply.status(201).send(await s.create(req.ctx, req.body)),
  });
  r.get(`${API}/organisations`, {
    schema: { ...common, summary: '志愿服务组织列表（管辖范围内，及本人管理的组织）', querystring: ZListOrganisationsQuery },
    handler: async (req) => s.list(req.ctx, req.query),
  });
  r.get(`${API}/organisations/mine`, {
    schema: { ...common, summary: '我的组织：我管理的组织、我加入的组织与队伍' },
    handler: async (req) => s.mine(req.ctx),
  });
  r.get(`${API}/organisations/:id`, {
    schema: { ...common, summary: '组织详情：服务区域、队伍、管理员与数据', params: ZIdParams },
    handler: async (req) => s.get(req.ctx, req.params.id),
  });
  r.patch(`${API}/organisations/:id`, {
    schema: { ...common, summary: '修改组织信息', params: ZIdParams, body: ZUpdateOrganisationBody },
    handler: async (req) => s.update(req.ctx, req.params.id, req.body),
  });
  r.get(`${API}/organisations/:id/members`, {
    schema: { ...common, summary: '组织成员', params: ZIdParams, querystring: ZListQuery },
    handler: async (req) => s.members(req.ctx, req.params.id, req.query),
  });
  r.post(`${API}/organisations/:id/members`, {
    schema: { ...common, summary: '添加组织成员', params: ZIdParams, body: ZOrganisationMemberBody },
    handler: async (req, reply) => reply.status(201).send(await s.addMember(req.ctx, req.params.id, req.body.volunteerId)),
  });
  r.delete(`${API}/organisations/:id/members/:volunteerId`, {
    schema: { ...common, summary: '移除组织成员', params: z.object({ id: ZId, volunteerId: ZId }) },
    handler: async (req, reply) => {
      await s.removeMember(req.ctx, req.params.id, req.params.volunteerId);
      return reply.status(204).send();
    },
  });
  r.post(`${API}/organisations/:id/teams`, {
    schema: { ...common, summary: '将队伍纳入组织', params: ZIdParams, body: ZOrganisationTeamBody },
    handler: async (req, reply) => reply.status(201).send(await s.addTeam(req.ctx, req.params.id, req.body.teamId)),
  });
  r.delete(`${API}/organisations/:id/teams/:teamId`, {
    schema: { ...common, summary: '将队伍移出组织', params: z.object({ id: ZId, teamId: ZId }) },
    handler: async (req, reply) => {
      await s.removeTeam(req.ctx, req.params.id, req.params.teamId);
      return reply.status(204).send();
    },
  });
  r.post(`${API}/organisations/:id/admins`, {
    schema: { ...common, summary: '设置组织管理员', params: ZIdParams, body: ZOrganisationAdminBody },
    handler: async (req, reply) => reply.status(201).send(await s.addAdmin(req.ctx, req.params.id, req.body.userId)),
  });
  r.delete(`${API}/organisations/:id/admins/:userId`, {
    schema: { ...common, summary: '取消组织管理员', params: z.object({ id: ZId, userId: ZId }) },
    handler: async (req, reply) => {
      await s.removeAdmin(req.ctx, req.params.id, req.params.userId);
      return reply.status(204).send();
    },
  });

  const jr = { tags: ['join-requests'], security: SECURED };
  r.post(`${API}/join-requests`, {
    schema: { ...jr, summary: '申请加入队伍或组织（志愿者）', body: ZCreateJoinRequestBody },
    handler: async (req, reply) => reply.status(201).send(await s.requestToJoin(req.ctx, req.body)),
  });
  r.get(`${API}/join-requests/mine`, {
    schema: { ...jr, summary: '我的加入申请' },
    handler: async (req) => s.myRequests(req.ctx),
  });
  r.get(`${API}/join-requests`, {
    schema: { ...jr, summary: '待我审核的加入申请（队长、组织管理员、阵地管理员）', querystring: ZListJoinRequestsQuery },
    handler: async (req) => s.requestsToDecide(req.ctx, req.query),
  });
  r.post(`${API}/join-requests/:id/approve`, {
    schema: { ...jr, summary: '通过加入申请', params: ZIdParams },
    handler: async (req) => s.decide(req.ctx, req.params.id, { approve: true }),
  });
  r.post(`${API}/join-requests/:id/refuse`, {
    schema: { ...jr, summary: '拒绝加入申请（须说明理由）', params: ZIdParams, body: ZRefuseJoinRequestBody },
    handler: async (req) => s.decide(req.ctx, req.params.id, { approve: false, reason: req.body.reason }),
  });
  r.post(`${API}/join-requests/:id/withdraw`, {
    schema: { ...jr, summary: '撤回加入申请（申请人）', params: ZIdParams },
    handler: async (req) => s.withdraw(req.ctx, req.params.id),
  });
  r.get(`${API}/join-targets`, {
    schema: { ...jr, summary: '可申请加入的队伍与组织（本市）', querystring: ZJoinTargetsQuery },
    handler: async (req) => s.joinTargets(req.ctx, req.query),
  });
}
