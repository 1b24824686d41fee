import type { CategoryAdminDto, TCreateCategoryBody, TUpdateCategoryBody } from '@wenming/contracts';
import type { Db } from '../../db/client.ts';
import { duplicate, forbidden, notFound } from '../../lib/errors.ts';
import { requireActor, type RequestCtx } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { CategoryRow, createCataloguesRepository } from './catalogues.repository.ts';

export const presentCategory = (c: CategoryRow): CategoryAdminDto => ({
  code: c.code,
  name: c.name,
  nameEn: c.nameEn,
  builtin: c.builtin,
  sort: c.sort,
  keywords: c.keywords,
});

/** Keywords trimmed, without repeats, in the order given. */
const cleanKeywords = (ks: readonly string[]) => [...new Set(ks.map((k) => k.trim()).filter(Boolean))];

/**
 * The service categories (8+N) as the console manages them. Categories are one catalogue for
 * every city (a reference table), so only a super admin adds or edits one. A built-in category
 * keeps its code and stays; its names, order and keywords may change. `changed` runs after each
 * change (the triage is trained again with the new category and keywords).
 */
export function createCataloguesService(deps: {
  db: Db;
  catalogues: ReturnType<typeof createCataloguesRepository>;
  audit: AuditRepository;
  changed?: () => void;
}) {
  const { db, catalogues, audit } = deps;
  const requireSuperAdmin = (ctx: RequestCtx) => {
    if (!requireActor(ctx).isAdmin) throw forbidden({ zh: '服务类别由系统管理员维护', en: 'Only a super admin manages categories' });
  };
  return {
    async listForAdmin(ctx: RequestCtx): Promise<CategoryAdminDto[]> {
      requireSuperAdmin(ctx);
      return (await catalogues.categories()).map(presentCategory);
    },
    async create(ctx: RequestCtx, body: TCreateCategoryBody): Promise<CategoryAdminDto> {
      requireSuperAdmin(ctx);
      const all = await catalogues.categories();
      const row = {
        code: body.code,
        name: body.name,
        nameEn: body.nameEn ?? body.code,
        sort: body.sort ?? Math.max(0, ...all.map((c) => c.sort)) + 1,
        keywords: cleanKeywords(body.keywords ?? []),
      };
      if (all.some((c) => c.name === row.name)) throw duplicate({ zh: '已有同名的服务类别', en: 'A category of that name exists' });
      const created = await db.transaction(async (tx) => {
        if (!(await catalogues.insertCategory(row, tx))) return false;
        await audit.record(ctx, { cityCode: null, action: 'category.create', entityType: 'category', entityId: row.code, after: row }, tx);
        return true;
      });
      if (!created) throw duplicate({ zh: '该类别代码已存在', en: 'That category code exists' });
      deps.changed?.();
      return presentCategory((await catalogues.categoryByCode(row.code))!);
    },
    async update(ctx: RequestCtx, code: string, body: TUpdateCategoryBody): Promise<CategoryAdminDto> {
      requireSuperAdmin(ctx);
      const before = await catalogues.categoryByCode(code);
      if (!before) throw notFound({ zh: '服务类别不存在', en: 'No such category' });
      if (body.name !== undefined && body.name !== before.name && (await catalogues.categories()).some((c) => c.name === body.name))
        throw duplicate({ zh: '已有同名的服务类别', en: 'A category of that name exists' });
      const patch = {
        ...(body.name !== undefined && { name: body.name }),
        ...(body.nameEn !== undefined && { nameEn: body.nameEn }),
        ...(body.sort !== undefined && { sort: body.sort }),
        ...(body.keywords !== undefined && { keywords: cleanKeywords(body.keywords) }),
      };
      if (Object.keys(patch).length === 0) return presentCategory(before);
      await db.transaction(async (tx) => {
        await catalogues.updateCategory(code, patch, tx);
        await audit.record(
          ctx,
          { cityCode: null, action: 'category.update', entityType: 'category', entityId: code, before: presentCategory(before), after: patch },
          tx,
        );
      });
      deps.changed?.();
      return presentCategory((await catalogues.categoryByCode(code))!);
    },
  };
}
export type CataloguesService = ReturnType<typeof createCataloguesService>;
