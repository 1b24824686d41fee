import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ZCreateUserBody, ZGrantRoleBody, ZId, ZListUsersQuery } from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';

import type { UsersService } from './users.service.ts';

export function usersRoutes(app: FastifyInstance, deps: { users: UsersService }) {
  const r = typed(app);
  const s = deps.users;
  const common = { tags: ['users'], security: SECURED };

  r.post(`${API}/users`, {
    schema: { ...common, summary: '创建工作人员账号', body: ZCreateUserBody },
    handler: async (req, reply) => reply.status(201).send(await s.create(req.ctx, req.body)),
  });
  r.get(`${API}/users`, {
    schema: { ...common, summary: '用户列表（管辖范围内）', querystring: ZListUsersQuery },
    handler: async (req) => s.list(req.ctx, req.query),
  });
  r.get(`${API}/users/:id`, {
    schema: { ...common, summary: '用户详情', params: ZIdParams },
    handler: async (req) => s.get(req.ctx, req.params.id),
  });
  r.post(`${API}/users/:id/roles`, {
    schema: { ...common, summary: '授予角色', params: ZIdParams, body: ZGrantRoleBody },
    handler: async (req, reply) => reply.status(201).send(await s.grant(req.ctx, req.params.id, req.body)),
  });
  r.delete(`${API}/users/:id/roles/:grantId`, {
    schema: { ...common, summary: '撤销角色', params: z.object({ id: ZId, grantId: ZId }) },
    handler: async (req, reply) => {
      await s.revoke(req.ctx, req.params.id, req.params.grantId);
      return reply.status(204).send();
    },
  });
}
