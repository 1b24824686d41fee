import { and, asc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { departments, orgs } from '../../db/schema.ts';

const area = sql`area`;
const columns = {
  cityCode: departments.cityCode,
  id: departments.id,
  orgId: departments.orgId,
  orgName: orgs.name,
  orgPath: sql<string>`${orgs.path}::text`,
  name: departments.name,
  createdAt: departments.createdAt,
  categories: departments.categories,
  natures: departments.natures,
  keywords: departments.keywords,
  areaOrgId: sql<string>`coalesce(${departments.areaOrgId}, ${departments.orgId})`,
  areaOrgName: sql<string>`${area}.name`,
  areaOrgPath: sql<string>`${area}.path::text`,
  contact: departments.contact,
  ackMinutes: departments.ackMinutes,
  resolveMinutes: departments.resolveMinutes,
};

export type DepartmentRow = {
  cityCode: string;
  id: string;
  orgId: string;
  orgName: string;
  orgPath: string;
  name: string;
  createdAt: Date;
  categories: string[];
  natures: string[];
  keywords: string[];
  areaOrgId: string;
  areaOrgName: string;
  areaOrgPath: string;
  contact: string | null;
  ackMinutes: number | null;
  resolveMinutes: number | null;
};

export type DutiesPatch = Partial<{
  name: string;
  categories: string[];
  natures: string[];
  keywords: string[];
  areaOrgId: string | null;
  contact: string | null;
  ackMinutes: number | null;
  resolveMinutes: number | null;
}>;

export interface FiguresRow {
  department_id: string;
  name: string;
  org_name: string;
  received: number;
  open: number;
  overdue: number;
  ack_due: number;
  acked_in_time: number;
  resolve_due: number;
  resolved_in_time: number;
  rated: number;
  satisfied: number;
  disputes: number;
  avg_handle_hours: number | null;
}

export function createDepartmentsRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select(columns)
      .from(departments)
      .innerJoin(orgs, and(eq(orgs.cityCode, departments.cityCode), eq(orgs.id, departments.orgId)))
      .innerJoin(sql`orgs area`, sql`area.city_code = ${departments.cityCode} AND area.id = coalesce(${departments.areaOrgId}, ${departments.orgId})`);
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

    async cities(tx: Executor = db): Promise<string[]> {
      const rows = await tx.selectDistinct({ cityCode: departments.cityCode }).from(departments);
      return rows.map((r) => r.cityCode);
    },

    /** Changes the directory entry (a name taken at the same org fails on its unique key). */
    async update(cityCode: string, id: string, patch: DutiesPatch, now: Date, tx: Executor = db): Promise<void> {
      await tx
        .update(departments)
        .set({ ...patch, updatedAt: now })
        .where(and(eq(departments.cityCode, cityCode), eq(departments.id, id)));
    },

    /**
     * The routing directory at a site: departments whose area covers it (the area org is the site
     * or one of its ancestors) and that list at least one duty, with how many levels the area lies
     * above the site and their open forwarded orders.
     */
    async coveringSite(cityCode: string, sitePath: string, tx: Executor = db) {
      const res = await tx.execute(sql`
        WITH cand AS (
          SELECT d.id, d.name, d.categories, d.natures, d.keywords, a.name AS area_name, nlevel(${sitePath}::ltree) - nlevel(a.path) AS levels_above
          FROM departments d JOIN orgs a ON a.city_code = d.city_code AND a.id = coalesce(d.area_org_id, d.org_id)
          WHERE d.city_code = ${cityCode} AND a.path @> ${sitePath}::ltree
            AND (cardinality(d.categories) > 0 OR cardinality(d.natures) > 0 OR cardinality(d.keywords) > 0)
        ),
        load AS (
          SELECT o.department_id, count(*)::int AS n FROM orders o JOIN cand c ON c.id = o.department_id
          WHERE o.city_code = ${cityCode} AND o.state IN ('forwarded', 'acknowledged', 'extension_requested')
          GROUP BY o.department_id
        )
        SELECT c.*, coalesce(l.n, 0) AS open_orders FROM cand c LEFT JOIN load l ON l.department_id = c.id`);
      return (
        res as {
          rows: {
            id: string;
            name: string;
            categories: string[];
            natures: string[];
            keywords: string[];
            area_name: string;
            levels_above: number;
            open_orders: number;
          }[];
        }
      ).rows;
    },

    /**
     * Figures per department (三率) of the departments selected by `which` (a condition on `d`),
     * computed per city from the department's orders and, for disputes, its timeline rows (a
     * returned order belongs to another department by now).
     */
    async figures(
      cityCode: string,
      which: { all?: boolean; subtrees?: string[]; departmentIds?: string[] },
      now: Date,
      tx: Executor = db,
    ): Promise<FiguresRow[]> {
      const parts: SQL[] = which.all ? [sql`TRUE`] : [];
      for (const p of which.subtrees ?? []) parts.push(sql`o.path <@ ${p}::ltree`);
      if (which.departmentIds?.length)
        parts.push(
          sql`d.id IN (${sql.join(
            which.departmentIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
        );
      if (!parts.length) return [];
      const whichSql = sql`(${sql.join(parts, sql` OR `)})`;
      const res = await tx.execute(sql`
        WITH d AS (
          SELECT d.id, d.name, o.name AS org_name FROM departments d JOIN orgs o ON o.city_code = d.city_code AND o.id = d.org_id
          WHERE d.city_code = ${cityCode} AND ${whichSql}
        ),
        handled AS (
          SELECT x.department_id,
            count(*)::int AS received,
            count(*) FILTER (WHERE x.state IN ('forwarded', 'acknowledged', 'extension_requested'))::int AS open,
            count(*) FILTER (WHERE x.state IN ('forwarded', 'acknowledged', 'extension_requested') AND x.stage_due_at < ${now})::int AS overdue,
            count(*) FILTER (WHERE x.ack_due_at <= ${now} OR x.acknowledged_at IS NOT NULL OR x.resolved_at IS NOT NULL)::int AS ack_due,
            count(*) FILTER (WHERE coalesce(x.acknowledged_at, x.resolved_at) <= x.ack_due_at)::int AS acked_in_time,
            count(*) FILTER (WHERE x.resolve_due_at <= ${now} OR x.resolved_at IS NOT NULL)::int AS resolve_due,
            count(*) FILTER (WHERE x.resolved_at <= x.resolve_due_at)::int AS resolved_in_time,
            count(x.rating)::int AS rated,
            count(*) FILTER (WHERE x.rating >= 4)::int AS satisfied,
            avg(extract(epoch FROM (x.resolved_at - x.forwarded_at)) / 3600.0) FILTER (WHERE x.resolved_at IS NOT NULL)::float AS avg_handle_hours
          FROM orders x JOIN d ON d.id = x.department_id
          WHERE x.city_code = ${cityCode} AND x.forwarded_at IS NOT NULL
          GROUP BY x.department_id
        ),
        disputes AS (
          SELECT (e.data ->> 'departmentId')::uuid AS department_id, count(*)::int AS n
          FROM order_events e
          WHERE e.city_code = ${cityCode} AND e.action = 'dispute' AND (e.data ->> 'departmentId') IN (SELECT id::text FROM d)
          GROUP BY 1
        )
        SELECT d.id AS department_id, d.name, d.org_name,
          coalesce(h.received, 0) + coalesce(s.n, 0) AS received, coalesce(h.open, 0) AS open, coalesce(h.overdue, 0) AS overdue,
          coalesce(h.ack_due, 0) AS ack_due, coalesce(h.acked_in_time, 0) AS acked_in_time,
          coalesce(h.resolve_due, 0) AS resolve_due, coalesce(h.resolved_in_time, 0) AS resolved_in_time,
          coalesce(h.rated, 0) AS rated, coalesce(h.satisfied, 0) AS satisfied, coalesce(s.n, 0) AS disputes, h.avg_handle_hours
        FROM d LEFT JOIN handled h ON h.department_id = d.id LEFT JOIN disputes s ON s.department_id = d.id
        ORDER BY d.name, d.id`);
      return (res as { rows: FiguresRow[] }).rows;
    },
  };
}

export type DepartmentsRepository = ReturnType<typeof createDepartmentsRepository>;
