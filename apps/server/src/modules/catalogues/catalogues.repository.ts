import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { categories, resourceCategories, resourceTypes } from '../../db/schema.ts';

export function createCataloguesRepository(db: Executor) {
  return {
    categories: () => db.select().from(categories).orderBy(asc(categories.sort), asc(categories.code)),
    resourceTypes: () =>
      db
        .select({ code: resourceTypes.code, name: resourceTypes.name, category: resourceTypes.category, categoryName: resourceCategories.name })
        .from(resourceTypes)
        .innerJoin(resourceCategories, eq(resourceCategories.code, resourceTypes.category))
        .orderBy(asc(resourceCategories.sort), asc(resourceTypes.sort)),
  };
}
