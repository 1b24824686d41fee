import type { FastifyInstance } from 'fastify';
import { ZCreateDepartmentBody, ZDepartmentStatsQuery, ZListDepartmentsQuery, ZUpdateDepartmentBody } from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';

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
  r.get(`${API}/departments/stats`, {
    schema: { ...common, summary: '部门考核：签收率·按时办结率·满意率·退单率（样本不足时为 null）', querystring: ZDepartmentStatsQuery },
    handler: async (req) => deps.departments.figures(req.ctx, req.query),
  });
  r.get(`${API}/departments/:id`, {
    schema: { ...common, summary: '职能部门与派单目录', params: ZIdParams },
    handler: async (req) => deps.departments.get(req.ctx, req.params.id),
  });
  r.patch(`${API}/departments/:id`, {
    schema: { ...common, summary: '编辑派单目录：职责类别、诉求性质、关键词、管辖范围、联系方式、办理时限', params: ZIdParams, body: ZUpdateDepartmentBody },
    handler: async (req) => deps.departments.update(req.ctx, req.params.id, req.body),
  });
}
