import { and, asc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import { idMatch } from '../../db/city-id.ts';
import type { Executor } from '../../db/client.ts';
import { cities, orgs } from '../../db/schema.ts';

export type OrgRow = typeof orgs.$inferSelect & { childCount: number };

// Qualified by hand: Drizzle leaves columns unqualified in single-table selects.
const childCount = sql<number>`(SELECT count(*)::int FROM orgs c WHERE c.city_code = orgs.city_code AND c.parent_id = orgs.id)`;
const columns = {
  cityCode: orgs.cityCode,
  id: orgs.id,
  parentId: orgs.parentId,
  level: orgs.level,
  name: orgs.name,
  regionCode: orgs.regionCode,
  address: orgs.address,
  lat: orgs.lat,
  lng: orgs.lng,
  path: sql<string>`${orgs.path}::text`,
  createdAt: orgs.createdAt,
  updatedAt: orgs.updatedAt,
  pilotLevel: orgs.pilotLevel,
  plaqued: orgs.plaqued,
  plaquedOn: orgs.plaquedOn,
  childCount,
};

export interface OrgListFilter {
  scope: SQL;
  parentId?: string;
  level?: string;
  q?: string;
  /** Restrict to these subtree roots (used for "roots of my scope"). */
  ids?: string[];
  after?: { name: string; id: string };
  limit: number;
}

export function createOrgsRepository(db: Executor) {
  return {
    async byId(id: string, tx: Executor = db): Promise<OrgRow | null> {
      const [row] = await tx.select(columns).from(orgs).where(idMatch(orgs, id));
      return row ?? null;
    },

    /** Locks the org row (FOR KEY SHARE would do for children; FOR UPDATE for edits). */
    async lockById(cityCode: string, id: string, tx: Executor) {
      const res = await tx.execute(sql`SELECT id FROM orgs WHERE city_code = ${cityCode} AND id = ${id} FOR UPDATE`);
      return (res as { rows: unknown[] }).rows.length > 0;
    },

    async namesByIds(cityCode: string, ids: string[], tx: Executor = db): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await tx
        .select({ id: orgs.id, name: orgs.name })
        .from(orgs)
        .where(and(eq(orgs.cityCode, cityCode), inArray(orgs.id, ids)));
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    async list(f: OrgListFilter, tx: Executor = db): Promise<OrgRow[]> {
      const conds: (SQL | undefined)[] = [f.scope];
      if (f.parentId) conds.push(eq(orgs.parentId, f.parentId));
      if (f.ids) conds.push(f.ids.length ? inArray(orgs.id, f.ids) : sql`FALSE`);
      if (f.level) conds.push(eq(orgs.level, f.level as OrgRow['level']));
      if (f.q) {
        const like = `%${f.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
        conds.push(or(sql`${orgs.name} ILIKE ${like}`, sql`${orgs.address} ILIKE ${like}`, eq(orgs.regionCode, f.q)));
      }
      if (f.after) conds.push(or(gt(orgs.name, f.after.name), and(eq(orgs.name, f.after.name), gt(orgs.id, f.after.id))));
      const q = f.q?.replace(/[%_\\]/g, (m) => `\\${m}`);
      // A search ranks name matches first (prefix, then anywhere), higher levels before lower.
      const order = q
        ? [
            sql`(${orgs.name} ILIKE ${`${q}%`}) DESC`,
            sql`(${orgs.name} ILIKE ${`%${q}%`}) DESC`,
            sql`array_position(ARRAY['city','center','institute','station','point'], ${orgs.level})`,
            asc(orgs.name),
            asc(orgs.id),
          ]
        : [asc(orgs.name), asc(orgs.id)];
      return tx
        .select(columns)
        .from(orgs)
        .where(and(...conds))
        .orderBy(...order)
        .limit(f.limit);
    },

    async insert(row: Omit<typeof orgs.$inferInsert, 'createdAt' | 'updatedAt'>, tx: Executor = db) {
      await tx.insert(orgs).values(row);
    },

    async update(
      cityCode: string,
      id: string,
      patch: Partial<Pick<typeof orgs.$inferInsert, 'name' | 'address' | 'lat' | 'lng' | 'pilotLevel' | 'plaqued' | 'plaquedOn'>>,
      tx: Executor = db,
    ) {
      await tx
        .update(orgs)
        .set({ ...patch, updatedAt: new Date() })
        .where(and(eq(orgs.cityCode, cityCode), eq(orgs.id, id)));
    },

    async ensureCity(cityCode: string, name: string, tx: Executor = db) {
      await tx.insert(cities).values({ cityCode, name, provinceName: '', timeZone: 'Asia/Shanghai' }).onConflictDoNothing();
    },

    /** Number of orgs per level in a subtree condition. */
    async countByLevel(scope: SQL, tx: Executor = db) {
      return tx
        .select({ level: orgs.level, n: sql<number>`count(*)::int` })
        .from(orgs)
        .where(scope)
        .groupBy(orgs.level);
    },
  };
}

export type OrgsRepository = ReturnType<typeof createOrgsRepository>;
export { orgs as orgsTable };
