import { and, asc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { departments, orgs } from '../../db/schema.ts';

const columns = {
  cityCode: departments.cityCode,
  id: departments.id,
  orgId: departments.orgId,
  orgName: orgs.name,
  orgPath: sql<string>`${orgs.path}::text`,
  name: departments.name,
  createdAt: departments.createdAt,
};

export type DepartmentRow = { cityCode: string; id: string; orgId: string; orgName: string; orgPath: string; name: string; createdAt: Date };

export function createDepartmentsRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select(columns)
      .from(departments)
      .innerJoin(orgs, and(eq(orgs.cityCode, departments.cityCode), eq(orgs.id, departments.orgId)));
  return {
    async insert(row: { cityCode: string; id: string; orgId: string; name: string }, tx: Executor = db) {
      const created = await tx.insert(departments).values(row).onConflictDoNothing().returning();
      return created.length > 0;
    },
    async byId(id: string, tx: Executor = db): Promise<DepartmentRow | null> {
      const [row] = await base(tx).where(eq(departments.id, id));
      return row ?? null;
    },
    async list(opts: { scope: SQL; orgId?: string; q?: string; after?: { name: string; id: string }; limit: number }, tx: Executor = db) {
      const conds: (SQL | undefined)[] = [opts.scope];
      if (opts.orgId) conds.push(eq(departments.orgId, opts.orgId));
      if (opts.q) conds.push(ilike(departments.name, `%${opts.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`));
      if (opts.after) conds.push(or(gt(departments.name, opts.after.name), and(eq(departments.name, opts.after.name), gt(departments.id, opts.after.id))));
      return base(tx)
        .where(and(...conds))
        .orderBy(asc(departments.name), asc(departments.id))
        .limit(opts.limit);
    },
  };
}

export type DepartmentsRepository = ReturnType<typeof createDepartmentsRepository>;
