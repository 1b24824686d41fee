import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { categories, resourceCategories, resourceTypes } from '../../db/schema.ts';

export type CategoryRow = typeof categories.$inferSelect;

export function createCataloguesRepository(db: Executor) {
  return {
    categories: () => db.select().from(categories).orderBy(asc(categories.sort), asc(categories.code)),
    async categoryByCode(code: string, tx: Executor = db): Promise<CategoryRow | null> {
      const [c] = await tx.select().from(categories).where(eq(categories.code, code));
      return c ?? null;
    },
    /** Inserts a custom category; false when the code is taken. */
    async insertCategory(row: { code: string; name: string; nameEn: string; sort: number; keywords: string[] }, tx: Executor = db): Promise<boolean> {
      const inserted = await tx
        .insert(categories)
        .values({ ...row, builtin: false })
        .onConflictDoNothing()
        .returning({ code: categories.code });
      return inserted.length === 1;
    },
    async updateCategory(code: string, patch: Partial<Pick<CategoryRow, 'name' | 'nameEn' | 'sort' | 'keywords'>>, tx: Executor = db) {
      await tx
        .update(categories)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(categories.code, code));
    },
    resourceTypes: () =>
      db
        .select({ code: resourceTypes.code, name: resourceTypes.name, category: resourceTypes.category, categoryName: resourceCategories.name })
        .from(resourceTypes)
        .innerJoin(resourceCategories, eq(resourceCategories.code, resourceTypes.category))
        .orderBy(asc(resourceCategories.sort), asc(resourceTypes.sort)),
  };
}
