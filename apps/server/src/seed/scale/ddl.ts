import type { Conn, Loader } from './loader.ts';
import { runParallel } from './loader.ts';

/**
 * Loading fast means loading without the indexes and keys, then building them once. This file
 * reads their exact definitions from the catalog (pg_get_indexdef / pg_get_constraintdef, never
 * copied by hand), drops them, and puts them back as the migrations made them: indexes and
 * primary / unique / exclusion constraints per table, then foreign keys added NOT VALID and
 * validated in one pass each (what the migrations declared, and validated, as before).
 */
export interface TableDdl {
  table: string;
  /** CREATE INDEX statements of indexes that back no constraint. */
  indexes: { name: string; def: string }[];
  /** Primary key, unique and exclusion constraints. */
  keys: { name: string; def: string }[];
}
export interface CapturedDdl {
  tables: TableDdl[];
  /** Foreign keys from or to the loaded tables. */
  fks: { table: string; name: string; def: string }[];
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function captureDdl(conn: Conn, tables: readonly string[]): Promise<CapturedDdl> {
  const keys = await conn.query<{ tbl: string; name: string; def: string }>(
    `SELECT r.relname AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
     WHERE r.relnamespace = current_schema()::regnamespace AND r.relname = ANY($1) AND c.contype IN ('p', 'u', 'x')
     ORDER BY c.contype, c.conname`,
    [tables],
  );
  const indexes = await conn.query<{ tbl: string; name: string; def: string }>(
    `SELECT t.relname AS tbl, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
     ORDER BY ic.relname`,
    [tables],
  );
  const fks = await conn.query<{ tbl: string; name: string; def: string }>(
    `SELECT r.relname AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_class f ON f.oid = c.confrelid
     WHERE c.contype = 'f' AND r.relnamespace = current_schema()::regnamespace AND (r.relname = ANY($1) OR f.relname = ANY($1))
     ORDER BY r.relname, c.conname`,
    [tables],
  );
  return {
    tables: tables.map((t) => ({
      table: t,
      indexes: indexes.filter((i) => i.tbl === t).map(({ name, def }) => ({ name, def })),
      keys: keys.filter((k) => k.tbl === t).map(({ name, def }) => ({ name, def })),
    })),
    fks: fks.map((f) => ({ table: f.tbl, name: f.name, def: f.def })),
  };
}

/** Drops what captureDdl found: foreign keys first, then keys, then plain indexes. */
export async function dropDdl(conn: Conn, ddl: CapturedDdl): Promise<void> {
  const stmts: string[] = [];
  for (const f of ddl.fks) stmts.push(`ALTER TABLE ${q(f.table)} DROP CONSTRAINT ${q(f.name)}`);
  for (const t of ddl.tables) for (const k of t.keys) stmts.push(`ALTER TABLE ${q(t.table)} DROP CONSTRAINT ${q(k.name)}`);
  for (const t of ddl.tables) for (const i of t.indexes) stmts.push(`DROP INDEX ${q(i.name)}`);
  // One statement at a time: Citus propagates DDL by its query string and refuses several in one.
  for (const s of stmts) await conn.exec(s);
}

/** The statements that put everything back, in the order they must run. */
export function restoreStatements(ddl: CapturedDdl) {
  return {
    perTable: ddl.tables.map((t) => ({
      table: t.table,
      stmts: [...t.keys.map((k) => `ALTER TABLE ${q(t.table)} ADD CONSTRAINT ${q(k.name)} ${k.def}`), ...t.indexes.map((i) => i.def)],
    })),
    addFks: ddl.fks.map((f) => `ALTER TABLE ${q(f.table)} ADD CONSTRAINT ${q(f.name)} ${f.def} NOT VALID`),
    validate: ddl.fks.map((f) => ({ table: f.table, stmt: `ALTER TABLE ${q(f.table)} VALIDATE CONSTRAINT ${q(f.name)}` })),
  };
}

/**
 * Rebuilds keys and indexes (tables spread over the loader's connections, biggest first), then
 * adds the foreign keys NOT VALID on one connection and validates them in parallel.
 */
export async function restoreDdl(loader: Loader, ddl: CapturedDdl, sizes: Map<string, number>, log: (m: string) => void): Promise<void> {
  const r = restoreStatements(ddl);
  const tasks = [...r.perTable].filter((t) => t.stmts.length).sort((a, b) => (sizes.get(b.table) ?? 0) - (sizes.get(a.table) ?? 0));
  await runParallel(loader, tasks, async (conn, t) => {
    await tune(conn, loader);
    const t0 = performance.now();
    for (const s of t.stmts) await conn.exec(s);
    log(`  索引 ${t.table}: ${t.stmts.length} 个键和索引，${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
  const conn = await loader.connect();
  try {
    for (const s of r.addFks) await conn.exec(s);
  } finally {
    conn.release();
  }
  const byTable = new Map<string, string[]>();
  for (const v of r.validate) byTable.set(v.table, [...(byTable.get(v.table) ?? []), v.stmt]);
  const vtasks = [...byTable.entries()].sort((a, b) => (sizes.get(b[0]) ?? 0) - (sizes.get(a[0]) ?? 0));
  await runParallel(loader, vtasks, async (c, [table, stmts]) => {
    await tune(c, loader);
    const t0 = performance.now();
    for (const s of stmts) await c.exec(s);
    log(`  外键 ${table}: ${stmts.length} 个已校验，${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
}

async function tune(conn: Conn, loader: Loader) {
  if (loader.kind !== 'postgres') return;
  // Session settings only (the server's configuration is left alone): memory for sorts of
  // index builds, and no extra parallel workers on top of our own connections.
  for (const s of [`SET maintenance_work_mem = '512MB'`, `SET max_parallel_maintenance_workers = 0`, `SET work_mem = '128MB'`]) await conn.exec(s);
}

/** Every index and constraint of the schema with its definition (what a restore must give back). */
export async function catalogDefinitions(conn: Pick<Conn, 'query'>): Promise<string[]> {
  const idx = await conn.query<{ line: string }>(
    `SELECT 'index ' || t.relname || ' ' || ic.relname || ': ' || pg_get_indexdef(i.indexrelid) AS line
     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE t.relnamespace = current_schema()::regnamespace`,
  );
  const con = await conn.query<{ line: string }>(
    `SELECT 'constraint ' || r.relname || ' ' || c.conname || ' ' || c.contype::text || ' ' || c.convalidated::text || ': ' || pg_get_constraintdef(c.oid) AS line
     FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
     WHERE r.relnamespace = current_schema()::regnamespace`,
  );
  return [...idx, ...con].map((r) => r.line).sort();
}
