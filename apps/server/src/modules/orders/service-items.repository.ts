import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { orgs, serviceItems } from '../../db/schema.ts';

export type ServiceItemRow = typeof serviceItems.$inferSelect & { orgName: string; orgPath: string };

export function createServiceItemsRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select({ i: serviceItems, orgName: orgs.name, orgPath: sql<string>`${orgs.path}::text` })
      .from(serviceItems)
      .innerJoin(orgs, and(eq(orgs.cityCode, serviceItems.cityCode), eq(orgs.id, serviceItems.orgId)));
  const flat = (r: { i: typeof serviceItems.$inferSelect; orgName: string; orgPath: string }): ServiceItemRow => ({
    ...r.i,
    orgName: r.orgName,
    orgPath: r.orgPath,
  });
  return {
    async insert(row: typeof serviceItems.$inferInsert, tx: Executor = db) {
      const r = await tx.insert(serviceItems).values(row).onConflictDoNothing().returning({ id: serviceItems.id });
      return r.length > 0;
    },
    async byId(id: string, tx: Executor = db): Promise<ServiceItemRow | null> {
      const [r] = await base(tx).where(eq(serviceItems.id, id));
      return r ? flat(r) : null;
    },
    /** The menu of a site: its own items and those of its ancestors (a district's menu reaches every station). */
    async menuFor(cityCode: string, orgPath: string, tx: Executor = db) {
      return (
        await base(tx)
          .where(and(eq(serviceItems.cityCode, cityCode), eq(serviceItems.status, 'active'), sql`${orgs.path} @> ${orgPath}::ltree`))
          .orderBy(asc(serviceItems.category), asc(serviceItems.name))
      ).map(flat);
    },
    async list(scope: SQL, tx: Executor = db) {
      return (await base(tx).where(scope).orderBy(asc(serviceItems.category), asc(serviceItems.name)).limit(500)).map(flat);
    },
    async setStatus(cityCode: string, id: string, status: 'active' | 'retired', tx: Executor = db) {
      await tx
        .update(serviceItems)
        .set({ status })
        .where(and(eq(serviceItems.cityCode, cityCode), eq(serviceItems.id, id)));
    },
  };
}

export type ServiceItemsRepository = ReturnType<typeof createServiceItemsRepository>;
