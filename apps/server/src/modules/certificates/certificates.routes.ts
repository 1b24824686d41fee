import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ZListQuery, ZReasonBody } from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import type { CertificatesService } from './certificates.service.ts';

/** Serials are matched in the service (an unknown or malformed one is the same 404 to the public). */
const ZSerialParams = z.object({ serial: z.string().min(1).max(64) });

/** Where the verification page lives: the origin the caller used (behind a proxy: X-Forwarded-*). */
const originOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

export function certificatesRoutes(app: FastifyInstance, deps: { certificates: CertificatesService }) {
  const r = typed(app);
  const s = deps.certificates;
  const tags = ['certificates'];

  r.post(`${API}/volunteers/:id/certificates`, {
    schema: { tags, security: SECURED, summary: '出具志愿服务记录证明（本人或所属阵地工作人员；每次出具新编号）', params: ZIdParams },
    handler: async (req, reply) => reply.status(201).send(await s.issue(req.ctx, req.params.id, originOf(req))),
  });
  r.get(`${API}/volunteers/:id/certificates`, {
    schema: { tags, security: SECURED, summary: '志愿者的服务证明列表', params: ZIdParams, querystring: ZListQuery },
    handler: async (req) => s.listOfVolunteer(req.ctx, req.params.id, req.query, originOf(req)),
  });
  r.get(`${API}/certificates/:serial`, {
    schema: { tags, security: SECURED, summary: '服务证明全文（持有人或所属阵地工作人员）', params: ZSerialParams },
    handler: async (req) => s.get(req.ctx, req.params.serial, originOf(req)),
  });
  r.get(`${API}/certificates/:serial/verify`, {
    config: { public: true },
    schema: { tags, summary: '核验服务证明（公开，无需登录；姓名脱敏，不含联系方式和证件号）', params: ZSerialParams },
    handler: async (req) => s.verify(req.params.serial),
  });
  r.post(`${API}/certificates/:serial/revoke`, {
    schema: { tags, security: SECURED, summary: '作废服务证明（所属阵地管理员）', params: ZSerialParams, body: ZReasonBody },
    handler: async (req) => s.revoke(req.ctx, req.params.serial, req.body.reason, originOf(req)),
  });
}
