import type { FastifyInstance } from 'fastify';
import { pickLang, ZCategoryParams, ZCreateCategoryBody, ZUpdateCategoryBody, type CategoryDto, type ResourceTypeDto } from '@wenming/contracts';
import { API, SECURED, typed } from '../../lib/http.ts';
import type { createCataloguesRepository } from './catalogues.repository.ts';
import type { CataloguesService } from './catalogues.service.ts';

/** The fixed catalogues (reference tables, seeded by migration); public. */
export function cataloguesRoutes(
  app: FastifyInstance,
  deps: { catalogues: ReturnType<typeof createCataloguesRepository>; manage: CataloguesService; publicBaseUrl?: string },
) {
  const r = typed(app);
  r.get(`${API}/public-config`, {
    schema: {
      tags: ['catalogues'],
      summary: '公开配置：publicBaseUrl 为二维码、证书与对外链接所用的地址（PUBLIC_BASE_URL，未设置时为本次请求的来源）',
    },
    config: { public: true },
    handler: async (req): Promise<{ publicBaseUrl: string }> => ({ publicBaseUrl: deps.publicBaseUrl ?? `${req.protocol}://${req.host}` }),
  });
  r.get(`${API}/categories`, {
    schema: { tags: ['catalogues'], summary: '服务类别（8+N）' },
    config: { public: true },
    handler: async (req): Promise<(CategoryDto & { builtin: boolean })[]> => {
      const en = pickLang(req.headers['accept-language']) === 'en';
      return (await deps.catalogues.categories()).map((c) => ({ code: c.code, name: en ? c.nameEn : c.name, builtin: c.builtin }));
    },
  });
  r.get(`${API}/resource-types`, {
    schema: { tags: ['catalogues'], summary: '资源库类型（五类）' },
    config: { public: true },
    handler: async (): Promise<(ResourceTypeDto & { categoryName: string })[]> =>
      (await deps.catalogues.resourceTypes()).map((t) => ({ ...t, category: t.category as ResourceTypeDto['category'] })),
  });
  const secured = { tags: ['catalogues'], security: SECURED };
  r.get(`${API}/categories/manage`, {
    schema: { ...secured, summary: '服务类别管理：全部类别及其研判关键词（系统管理员）' },
    handler: async (req) => deps.manage.listForAdmin(req.ctx),
  });
  r.post(`${API}/categories`, {
    schema: { ...secured, summary: '新增自定义服务类别（8+N 中的 N），智能研判随之重新训练（系统管理员）', body: ZCreateCategoryBody },
    handler: async (req, reply) => reply.status(201).send(await deps.manage.create(req.ctx, req.body)),
  });
  r.patch(`${API}/categories/:code`, {
    schema: { ...secured, summary: '编辑服务类别：名称、排序、研判关键词（系统管理员）', params: ZCategoryParams, body: ZUpdateCategoryBody },
    handler: async (req) => deps.manage.update(req.ctx, req.params.code, req.body),
  });
}
