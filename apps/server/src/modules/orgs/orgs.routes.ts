import type { FastifyInstance } from 'fastify';
import { ZCreateOrgBody, ZListOrgsQuery, ZUpdateOrgBody } from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';

import type { OrgsService } from './orgs.service.ts';

export function orgsRoutes(app: FastifyInstance, deps: { orgs: OrgsService }) {
  const r = typed(app);
  const s = deps.orgs;
  const common = { tags: ['orgs'], security: SECURED };

  r.post(`${API}/orgs`, {
    schema: { ...common, summary: '新建阵地', body: ZCreateOrgBody },
    handler: async (req, reply) => reply.status(201).send(await s.create(req.ctx, req.body)),
  });
  r.get(`${API}/orgs`, {
    schema: { ...common, summary: '阵地列表：下级、搜索或管辖范围的根', querystring: ZListOrgsQuery },
    handler: async (req) => s.list(req.ctx, req.query),
  });
  r.get(`${API}/orgs/:id`, {
    schema: { ...common, summary: '阵地详情', params: ZIdParams },
    handler: async (req) => s.get(req.ctx, req.params.id),
  });
  r.patch(`${API}/orgs/:id`, {
    schema: { ...common, summary: '修改阵地', params: ZIdParams, body: ZUpdateOrgBody },
    handler: async (req) => s.update(req.ctx, req.params.id, req.body),
  });
  r.get(`${API}/sites`, {
    schema: { tags: ['orgs'], security: SECURED, summary: '阵地目录（群众选择所在社区）', querystring: ZListOrgsQuery },
    handler: async (req) => s.directory(req.query),
  });
}
