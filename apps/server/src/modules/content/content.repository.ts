import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { contentColumns, contents, orgs, users } from '../../db/schema.ts';

type ContentState = 'draft' | 'published' | 'withdrawn';
export type ContentRow = typeof contents.$inferSelect & { orgName: string; orgPath: string; columnName: string | null; authorName: string | null };
export type ColumnRow = typeof contentColumns.$inferSelect & { orgName: string; orgPath: string };

/** Published content of the org's chain (the org and its ancestors) and of its subtree. */
export const chainOrSubtree = (orgPath: string) => sql`(${orgs.path} @> ${orgPath}::ltree OR ${orgs.path} <@ ${orgPath}::ltree)`;

export function createContentRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select({ c: contents, orgName: orgs.name, orgPath: sql<string>`${orgs.path}::text`, columnName: contentColumns.name, authorName: users.name })
      .from(contents)
      .innerJoin(orgs, and(eq(orgs.cityCode, contents.cityCode), eq(orgs.id, contents.orgId)))
      .leftJoin(contentColumns, and(eq(contentColumns.cityCode, contents.cityCode), eq(contentColumns.id, contents.columnId)))
      .leftJoin(users, eq(users.id, contents.authorId));
  const flat = (r: {
    c: typeof contents.$inferSelect;
    orgName: string;
    orgPath: string;
    columnName: string | null;
    authorName: string | null;
  }): ContentRow => ({
    ...r.c,
    orgName: r.orgName,
    orgPath: r.orgPath,
    columnName: r.columnName,
    authorName: r.authorName,
  });

  return {
    async insert(row: typeof contents.$inferInsert, tx: Executor = db) {
      await tx.insert(contents).values(row);
    },

    async byId(id: string, tx: Executor = db): Promise<ContentRow | null> {
      const [r] = await base(tx).where(eq(contents.id, id));
      return r ? flat(r) : null;
    },

    /** Changes fields only while the item is in one of `states` (a conditional update). */
    async update(cityCode: string, id: string, states: ContentState[], patch: Partial<typeof contents.$inferInsert>, tx: Executor = db) {
      const [r] = await tx
        .update(contents)
        .set({ ...patch, updatedAt: new Date() })
        .where(and(eq(contents.cityCode, cityCode), eq(contents.id, id), inArray(contents.state, states)))
        .returning({ id: contents.id });
      return r !== undefined;
    },

    /** Counts one read of a published item and returns the new count. */
    async countRead(cityCode: string, id: string, tx: Executor = db): Promise<number | null> {
      const [r] = await tx
        .update(contents)
        .set({ readCount: sql`${contents.readCount} + 1` })
        .where(and(eq(contents.cityCode, cityCode), eq(contents.id, id), eq(contents.state, 'published')))
        .returning({ readCount: contents.readCount });
      return r ? Number(r.readCount) : null;
    },

    /**
     * A page of items, newest first (published time, else last change) with a keyset cursor; with
     * `words`, the items matching all of them (or the raw text in the title), best ranked first.
     */
    async list(
      f: {
        visible: SQL;
        orgPath?: string;
        kind?: string;
        columnId?: string;
        state?: ContentState;
        words?: string[];
        raw?: string;
        limit: number;
        after?: { at: Date; id: string };
      },
      tx: Executor = db,
    ): Promise<ContentRow[]> {
      const at = sql`coalesce(${contents.publishedAt}, ${contents.updatedAt})`;
      const conds: (SQL | undefined)[] = [f.visible];
      if (f.orgPath) conds.push(chainOrSubtree(f.orgPath));
      if (f.kind) conds.push(eq(contents.kind, f.kind as ContentRow['kind']));
      if (f.columnId) conds.push(eq(contents.columnId, f.columnId));
      if (f.state) conds.push(eq(contents.state, f.state));
      if (f.words) {
        const query = sql`plainto_tsquery('simple', ${f.words.join(' ')})`;
        const like = `%${(f.raw ?? '').replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
        conds.push(f.words.length ? sql`(contents.search @@ ${query} OR ${contents.title} ILIKE ${like})` : sql`${contents.title} ILIKE ${like}`);
        // No search words (only stop words, punctuation or emoji): newest first. (A constant rank
        // here once built `ORDER BY 0`, which PostgreSQL reads as a column position: a 500.)
        const order = f.words.length ? [desc(sql`ts_rank(contents.search, ${query})`), desc(at), desc(contents.id)] : [desc(at), desc(contents.id)];
        const rows = await base(tx)
          .where(and(...conds))
          .orderBy(...order)
          .limit(f.limit);
        return rows.map(flat);
      }
      if (f.after) conds.push(sql`(${at}, ${contents.id}) < (${f.after.at}, ${f.after.id})`);
      const rows = await base(tx)
        .where(and(...conds))
        .orderBy(desc(at), desc(contents.id))
        .limit(f.limit);
      return rows.map(flat);
    },

    async insertColumn(row: typeof contentColumns.$inferInsert, tx: Executor = db): Promise<boolean> {
      const r = await tx.insert(contentColumns).values(row).onConflictDoNothing().returning({ id: contentColumns.id });
      return r.length > 0;
    },

    async columnById(id: string, tx: Executor = db): Promise<ColumnRow | null> {
      const [r] = await tx
        .select({ c: contentColumns, orgName: orgs.name, orgPath: sql<string>`${orgs.path}::text` })
        .from(contentColumns)
        .innerJoin(orgs, and(eq(orgs.cityCode, contentColumns.cityCode), eq(orgs.id, contentColumns.orgId)))
        .where(eq(contentColumns.id, id));
      return r ? { ...r.c, orgName: r.orgName, orgPath: r.orgPath } : null;
    },

    async listColumns(f: { orgPath?: string; kind?: string }, tx: Executor = db): Promise<ColumnRow[]> {
      const conds: (SQL | undefined)[] = [];
      if (f.orgPath) conds.push(chainOrSubtree(f.orgPath));
      if (f.kind) conds.push(eq(contentColumns.kind, f.kind as ColumnRow['kind']));
      const rows = await tx
        .select({ c: contentColumns, orgName: orgs.name, orgPath: sql<string>`${orgs.path}::text` })
        .from(contentColumns)
        .innerJoin(orgs, and(eq(orgs.cityCode, contentColumns.cityCode), eq(orgs.id, contentColumns.orgId)))
        .where(and(...conds))
        .orderBy(asc(contentColumns.sort), asc(contentColumns.name))
        .limit(500);
      return rows.map((r) => ({ ...r.c, orgName: r.orgName, orgPath: r.orgPath }));
    },
  };
}
export type ContentRepository = ReturnType<typeof createContentRepository>;
