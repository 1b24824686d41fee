import path from 'node:path';
import fs from 'node:fs';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The Drizzle database, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A transaction or the database itself: repositories accept either. */
export type Executor = Pick<Db, 'select' | 'selectDistinct' | 'insert' | 'update' | 'delete' | 'execute' | 'transaction'>;

/** The raw SQL runner used by the migrator and by tools. */
export interface RawRunner {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Database {
  db: Db;
  raw: RawRunner;
  kind: 'pglite' | 'postgres';
  /** Runs fn on one connection held for its whole duration (session-level locks, migrations). */
  session<T>(fn: (raw: RawRunner) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; returns an unlisten function. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** The embedded database only: a gzipped tarball of its data folder (PGlite `dumpDataDir`). */
  dumpDataDir?(): Promise<Blob>;
}

/**
 * PGlite and its drivers are imported only when the embedded database is used: a process on
 * PostgreSQL (DATABASE_URL) never loads the WebAssembly PostgreSQL (~60 MB of RSS less).
 */
async function loadPglite() {
  const [{ PGlite }, { ltree }, { btree_gist }, { cube }, { earthdistance }, { pg_trgm }, { drizzle }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/ltree'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('@electric-sql/pglite/contrib/cube'),
    import('@electric-sql/pglite/contrib/earthdistance'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('drizzle-orm/pglite'),
  ]);
  return { PGlite, extensions: { ltree, btree_gist, cube, earthdistance, pg_trgm }, drizzle };
}

/** The extensions the schema needs, for whoever creates a PGlite of their own (templates, tools). */
export async function pgliteExtensions(): Promise<NonNullable<PGliteOptions['extensions']>> {
  return (await loadPglite()).extensions;
}

/**
 * Opens the embedded database in `dataDir` (in memory when undefined). `sharedBuffers` (default
 * 64MB, PGlite's own is 128MB): measured on an existing data folder, RSS after open is ~240 MB at
 * 64MB, ~275 MB at 96MB and ~500 MB at 128MB, where the WebAssembly memory has to grow past its
 * initial 128 MB.
 */
export async function openPglite(dataDir: string | undefined, opts: { sharedBuffers?: string } = {}): Promise<Database> {
  const { PGlite, extensions, drizzle } = await loadPglite();
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${opts.sharedBuffers ?? '64MB'}`];
  const client = await PGlite.create({ dataDir, extensions, startParams });
  return wrapPglite(client, drizzle);
}

export function wrapPglite(client: PGlite, drizzlePglite: (client: PGlite, config: { schema: Schema }) => unknown): Database {
  const db = drizzlePglite(client, { schema }) as Db;
  const raw: RawRunner = {
    exec: async (sql) => {
      await client.exec(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await client.query<T>(sql, params as never)).rows,
  };
  return {
    db,
    kind: 'pglite',
    raw,
    session: (fn) => fn(raw),
    listen: async (channel, onMessage) => {
      const unsub = await client.listen(channel, onMessage);
      return async () => unsub();
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
    dumpDataDir: () => client.dumpDataDir('gzip'),
  };
}

export function openPostgres(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'wenming' });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  let listener: pg.Client | null = null;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  return {
    db,
    kind: 'postgres',
    raw: {
      exec: async (sql) => {
        await pool.query(sql);
      },
      query: async <T>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as T[],
    },
    session: async (fn) => {
      const conn = await pool.connect();
      try {
        return await fn({
          exec: async (sql) => {
            await conn.query(sql);
          },
          query: async <T>(sql: string, params?: unknown[]) => (await conn.query(sql, params)).rows as T[],
        });
      } finally {
        conn.release();
      }
    },
    listen: async (channel, onMessage) => {
      if (!listener) {
        listener = new pg.Client({ connectionString: url, application_name: 'wenming-listen' });
        listener.on('error', () => {});
        await listener.connect();
        listener.on('notification', (n) => {
          for (const h of handlers.get(n.channel) ?? []) h(n.payload ?? '');
        });
      }
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await listener.query(`LISTEN ${quoteIdent(channel)}`);
      }
      set.add(onMessage);
      return async () => {
        set.delete(onMessage);
      };
    },
    close: async () => {
      if (listener) await listener.end().catch(() => {});
      await pool.end();
    },
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; pgliteSharedBuffers?: string }): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  const dir = path.join(path.resolve(opts.dataDir), 'pgdata');
  // First start: a copy of the migrated template made by the build, when there is one for these
  // migrations, instead of initdb and every migration (pglite-template.ts).
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) (await import('./pglite-template.ts')).copyPgliteTemplate(dir);
  return openPglite(dir, { sharedBuffers: opts.pgliteSharedBuffers });
}
