import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ZCreateColumnBody, ZCreateContentBody, ZListColumnsQuery, ZListContentsQuery, ZUpdateContentBody } from '@wenming/contracts';
import { API, SECURED, ZIdParams, typed } from '../../lib/http.ts';
import type { ContentService } from './content.service.ts';

export function contentRoutes(app: FastifyInstance, deps: { content: ContentService }) {
  const r = typed(app);
  const s = deps.content;
  const tags = ['content'];
  const params = ZIdParams;
  const empty = z.object({}).optional();
  r.post(`${API}/contents`, {
    schema: { tags, security: SECURED, summary: '新建内容（资讯/政策解读/云讲堂/掌上悦读），草稿', body: ZCreateContentBody },
    handler: async (req, reply) => reply.status(201).send(await s.create(req.ctx, req.body)),
  });
  r.get(`${API}/contents`, {
    schema: { tags, summary: '内容列表（公开：已发布；manage=true：工作人员管辖范围内全部）；q 为中文分词搜索', querystring: ZListContentsQuery },
    config: { public: true },
    handler: async (req) => s.list(req.ctx, req.query),
  });
  r.get(`${API}/contents/:id`, {
    schema: { tags, summary: '内容详情（已发布的公开，计阅读数）', params },
    config: { public: true },
    handler: async (req) => s.get(req.ctx, req.params.id),
  });
  r.patch(`${API}/contents/:id`, {
    schema: { tags, security: SECURED, summary: '修改内容（草稿或已下线）', params, body: ZUpdateContentBody },
    handler: async (req) => s.update(req.ctx, req.params.id, req.body),
  });
  r.post(`${API}/contents/:id/publish`, {
    schema: { tags, security: SECURED, summary: '发布', params, body: empty },
    handler: async (req) => s.publish(req.ctx, req.params.id),
  });
  r.post(`${API}/contents/:id/withdraw`, {
    schema: { tags, security: SECURED, summary: '下线', params, body: empty },
    handler: async (req) => s.withdraw(req.ctx, req.params.id),
  });
  r.post(`${API}/content-columns`, {
    schema: { tags, security: SECURED, summary: '新建栏目（如 云讲堂《党史记忆》）', body: ZCreateColumnBody },
    handler: async (req, reply) => reply.status(201).send(await s.createColumn(req.ctx, req.body)),
  });
  r.get(`${API}/content-columns`, {
    schema: { tags, summary: '栏目列表（本阵地、上级与下级阵地的栏目）', querystring: ZListColumnsQuery },
    config: { public: true },
    handler: async (req) => ({ items: await s.listColumns(req.query) }),
  });
}
