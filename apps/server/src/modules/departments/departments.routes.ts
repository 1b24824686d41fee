import type { FastifyInstance } from 'fastify';
import { ZCreateDepartmentBody, ZListDepartmentsQuery } from '@wenming/contracts';
import { API, SECURED, typed } from '../../lib/http.ts';

import type { DepartmentsService } from './departments.service.ts';

export function departmentsRoutes(app: FastifyInstance, deps: { departments: DepartmentsService }) {
  const r = typed(app);
  const common = { tags: ['departments'], security: SECURED };
  r.post(`${API}/departments`, {
    schema: { ...common, summary: '新建职能部门', body: ZCreateDepartmentBody },
    handler: async (req, reply) => reply.status(201).send(await deps.departments.create(req.ctx, req.body)),
  });
  r.get(`${API}/departments`, {
    schema: { ...common, summary: '职能部门列表', querystring: ZListDepartmentsQuery },
    handler: async (req) => deps.departments.list(req.ctx, req.query),
  });
}
