import path from 'node:path';
import fs from 'node:fs';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import * as schema from './schema.ts';
import { joinAmbientTransaction } from './ambient.ts';

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
  /** LISTEN on a channel; returns an unlisten function. On PostgreSQL the LISTEN survives the database's restarts (openPostgres). */
  listen(channel: string, onMessage: (payload: string) => void, onResume?: (downSince: Date) => void): Promise<() => Promise<void>>;
  /** PostgreSQL only: the LISTEN connection now — none needed yet, up, or being re-established after a loss. */
  listenState?(): 'idle' | 'listening' | 'reconnecting';
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
  // Joins a request's own transaction when it runs in one (db/ambient.ts).
  const db = joinAmbientTransaction(drizzlePglite(client, { schema }) as Db);
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

/** Timeouts of a PostgreSQL connection pool, in milliseconds (docs/operations.md); 0 or absent: none. */
export interface PgTimeouts {
  /** To open a connection, or to wait for a free one when all are busy. */
  connectMs?: number;
  /** PostgreSQL's statement_timeout: the server cancels a longer statement (SQLSTATE 57014). */
  statementMs?: number;
  /** The client gives up on an unanswered query and drops the connection (a hung or paused server). */
  queryMs?: number;
}

/**
 * node-postgres's client, made safe for a database that goes away:
 * - a client that loses its connection while checked out of the pool (in a transaction) emits
 *   'error' with nobody listening, which would crash the process; here its queries fail instead;
 * - a query that times out on the client side (`query_timeout`) leaves its connection waiting
 *   for an answer that may never come, and the next queries would queue behind it; here the
 *   connection is dropped, so the pool discards the client and opens a fresh one.
 */
class ResilientClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', () => {});
  }
}

// Every form of pg's query() goes through here: the callback form (pool.query), the promise form
// (Drizzle) and submittables (COPY streams, left as they are). Assigned to the prototype so the
// class keeps pg's typed overloads. pg's own query() is looked up at each call, so a wrapper put on
// pg.Client.prototype later (the benchmark's statement recorder) still sees every statement.
const baseQuery = function (this: pg.Client, ...a: unknown[]): unknown {
  return (Reflect.get(pg.Client.prototype, 'query') as (this: pg.Client, ...b: unknown[]) => unknown).apply(this, a);
};
(ResilientClient.prototype as unknown as { query: unknown }).query = function (this: ResilientClient, ...args: unknown[]): unknown {
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback === 'function') {
    args[last] = (err: unknown, res: unknown) => {
      dropIfTimedOut(this, err);
      (callback as (e: unknown, r: unknown) => void)(err, res);
    };
    return baseQuery.apply(this, args);
  }
  const result = baseQuery.apply(this, args);
  if (result instanceof Promise)
    return result.catch((err: unknown) => {
      dropIfTimedOut(this, err);
      throw err;
    });
  return result;
};

function dropIfTimedOut(client: pg.Client, err: unknown) {
  if (err instanceof Error && err.message === 'Query read timeout') dropConnection(client);
}

/** Closes the socket under a client: its queries fail at once, and the pool discards it. */
function dropConnection(client: pg.Client) {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/** Reconnect delays of the LISTEN connection: doubling from the first, never above the last. */
const LISTEN_BACKOFF = { firstMs: 200, maxMs: 5_000 };
/** How often an idle LISTEN connection proves it is still alive (a paused or vanished server sends nothing). */
const LISTEN_HEARTBEAT_MS = 15_000;

export function openPostgres(url: string, max = 10, timeouts: PgTimeouts = {}): Database {
  const connectionTimeoutMillis = timeouts.connectMs || undefined;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: 'wenming',
    Client: ResilientClient,
    keepAlive: true,
    connectionTimeoutMillis,
    statement_timeout: timeouts.statementMs || undefined,
    query_timeout: timeouts.queryMs || undefined,
  });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => {});
  // Joins a request's own transaction when it runs in one (db/ambient.ts).
  const db = joinAmbientTransaction(drizzlePg(pool, { schema }));
  const listener = createListener(url, timeouts);
  return {
    db,
    kind: 'postgres',
    raw: {
      exec: async (sql) => {
        await pool.query(sql);
      },
      query: async <T>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as T[],
    },
    // Migrations and other maintenance: a connection of its own, without the statement and query
    // timeouts (a migration may rewrite a big table), still with the connect timeout.
    session: async (fn) => {
      const conn = new ResilientClient({ connectionString: url, application_name: 'wenming', connectionTimeoutMillis });
      await conn.connect();
      try {
        return await fn({
          exec: async (sql) => {
            await conn.query(sql);
          },
          query: async <T>(sql: string, params?: unknown[]) => (await conn.query(sql, params)).rows as T[],
        });
      } finally {
        await conn.end().catch(() => {});
      }
    },
    listen: (channel, onMessage, onResume) => listener.listen(channel, onMessage, onResume),
    listenState: () => listener.state(),
    close: async () => {
      await listener.close();
      await pool.end();
    },
  };
}

/**
 * The one LISTEN connection of a process. It outlives the database's restarts: when the
 * connection is lost (or a heartbeat gets no answer) it reconnects with backoff and LISTENs
 * again on every channel, so subscribers keep receiving without a restart of the server.
 * What is NOTIFYed while it is away is not delivered; `onResume` callbacks are told, once it is
 * back, since when it was away (the notification hub pushes the inbox rows of that time).
 */
function createListener(url: string, timeouts: PgTimeouts) {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const resumers = new Set<(downSince: Date) => void>();
  /** When the connection was lost; null while connected, or before it was ever up. */
  let downSince: Date | null = null;
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let retry: NodeJS.Timeout | null = null;
  let failures = 0;
  let closed = false;

  const heartbeat = setInterval(() => {
    const c = client;
    if (!c) return;
    c.query('SELECT 1').catch(() => lost(c));
  }, LISTEN_HEARTBEAT_MS);
  heartbeat.unref();

  /** A connection (the live one, or an attempt) failed: drop it, remember since when we are away, try again later. */
  function lost(c: pg.Client) {
    c.removeAllListeners('notification');
    dropConnection(c);
    if (client && client !== c) return; // a late event of a connection already replaced
    client = null;
    if (handlers.size) downSince ??= new Date();
    scheduleReconnect();
  }

  function scheduleReconnect() {
    if (closed || retry || connecting || client) return;
    const delay = Math.min(LISTEN_BACKOFF.maxMs, LISTEN_BACKOFF.firstMs * 2 ** Math.min(failures, 10));
    failures++;
    retry = setTimeout(
      () => {
        retry = null;
        void ensure();
      },
      delay * (0.75 + Math.random() * 0.5),
    );
    retry.unref();
  }

  async function connect() {
    const c = new ResilientClient({
      connectionString: url,
      application_name: 'wenming-listen',
      keepAlive: true,
      connectionTimeoutMillis: timeouts.connectMs || undefined,
      // The heartbeat's deadline; LISTEN itself answers at once.
      query_timeout: timeouts.queryMs || 10_000,
    });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    c.on('notification', (n) => {
      for (const h of handlers.get(n.channel) ?? []) h(n.payload ?? '');
    });
    try {
      await c.connect();
      for (const channel of handlers.keys()) await c.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (e) {
      lost(c);
      throw e;
    }
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    failures = 0;
    const since = downSince;
    downSince = null;
    if (since) for (const r of resumers) r(since);
  }

  /** Connects now unless connected or connecting; a failure leaves a reconnect scheduled. */
  function ensure(): Promise<void> {
    if (closed || client) return Promise.resolve();
    connecting ??= connect()
      .catch(() => {})
      .finally(() => {
        connecting = null;
        scheduleReconnect();
      });
    return connecting;
  }

  return {
    state: (): 'idle' | 'listening' | 'reconnecting' => (client ? 'listening' : handlers.size ? 'reconnecting' : 'idle'),
    /**
     * Registers the handler and LISTENs. Resolves once listening, or once the attempt failed
     * (the database is away): the handler stays registered and is served after the reconnect.
     */
    async listen(channel: string, onMessage: (payload: string) => void, onResume?: (downSince: Date) => void): Promise<() => Promise<void>> {
      if (onResume) resumers.add(onResume);
      let set = handlers.get(channel);
      const isNew = !set;
      if (!set) handlers.set(channel, (set = new Set()));
      set.add(onMessage);
      if (connecting) await connecting;
      const c = client;
      if (c && isNew) await c.query(`LISTEN ${quoteIdent(channel)}`).catch(() => lost(c));
      else if (!c) await ensure();
      return async () => {
        set.delete(onMessage);
        if (onResume) resumers.delete(onResume);
      };
    },
    async close() {
      closed = true;
      clearInterval(heartbeat);
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners('end');
        await c.end().catch(() => {});
      }
    },
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; pgliteSharedBuffers?: string; timeouts?: PgTimeouts }): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, 10, opts.timeouts);
  const dir = path.join(path.resolve(opts.dataDir), 'pgdata');
  // First start: a copy of the migrated template made by the build, when there is one for these
  // migrations, instead of initdb and every migration (pglite-template.ts).
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) (await import('./pglite-template.ts')).copyPgliteTemplate(dir);
  return openPglite(dir, { sharedBuffers: opts.pgliteSharedBuffers });
}
