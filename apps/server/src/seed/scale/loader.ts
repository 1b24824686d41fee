import { once } from 'node:events';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../db/client.ts';

/**
 * Bulk loading through COPY on either engine: node-postgres with pg-copy-streams (rows streamed
 * with back-pressure), or PGlite with `COPY … FROM '/dev/blob'` (rows handed over in blobs of
 * a few megabytes). Rows come from a generator of COPY text lines, so nothing is held in memory.
 */
export interface Conn {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** COPY rows (text format, one line each without the newline) into table (columns); returns the row count. */
  copy(table: string, columns: readonly string[], rows: Iterable<string>, opts?: { freeze?: boolean }): Promise<number>;
  release(): void;
}

export interface Loader {
  kind: 'pglite' | 'postgres';
  /** A connection held until released (one and the same connection on PGlite). */
  connect(): Promise<Conn>;
  /** How many connections may work at once (index builds in parallel on PostgreSQL). */
  parallel: number;
}

const CHUNK_CHARS = 1 << 18;
const BLOB_CHARS = 8 << 20;

export function loaderFor(database: Database): Loader {
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.kind === 'pglite') {
    const pgl = client as PGlite;
    let busy = false;
    return {
      kind: 'pglite',
      parallel: 1,
      async connect() {
        if (busy) throw new Error('PGlite has one connection');
        busy = true;
        return {
          exec: async (sql) => {
            await pgl.exec(sql);
          },
          query: async <T>(sql: string, params?: unknown[]) => (await pgl.query<T>(sql, params as never)).rows,
          async copy(table, columns, rows, opts = {}) {
            const sql = `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'${opts.freeze ? ' WITH (FREEZE)' : ''}`;
            let parts: string[] = [];
            let buf = '';
            let size = 0;
            let n = 0;
            const flush = async () => {
              if (buf) parts.push(buf);
              buf = '';
              if (!parts.length) return;
              await pgl.query(sql, [], { blob: new Blob(parts) });
              parts = [];
              size = 0;
            };
            for (const line of rows) {
              buf += line + '\n';
              n++;
              if (buf.length > CHUNK_CHARS) {
                parts.push(buf);
                size += buf.length;
                buf = '';
                if (size > BLOB_CHARS) await flush();
              }
            }
            await flush();
            return n;
          },
          release() {
            busy = false;
          },
        };
      },
    };
  }
  const pool = client as pg.Pool;
  return {
    kind: 'postgres',
    parallel: 2,
    async connect() {
      const conn = await pool.connect();
      return {
        exec: async (sql) => {
          await conn.query(sql);
        },
        query: async <T>(sql: string, params?: unknown[]) => (await conn.query(sql, params)).rows as T[],
        async copy(table, columns, rows, opts = {}) {
          const stream = conn.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN${opts.freeze ? ' WITH (FREEZE)' : ''}`));
          // Set by the stream's error event (a callback: kept in an object so the checks below see it).
          const state: { failed: Error | null } = { failed: null };
          stream.on('error', (e: Error) => {
            state.failed = e;
          });
          const done = once(stream, 'finish');
          done.catch(() => {});
          let buf = '';
          let n = 0;
          for (const line of rows) {
            buf += line + '\n';
            n++;
            if (buf.length > CHUNK_CHARS) {
              if (state.failed) throw state.failed;
              // once() rejects when the stream errors meanwhile, so a failed COPY does not hang here.
              if (!stream.write(buf)) await once(stream, 'drain');
              buf = '';
            }
          }
          if (state.failed) throw state.failed;
          stream.end(buf);
          await done;
          return n;
        },
        release: () => conn.release(),
      };
    },
  };
}

/** Runs tasks on up to `parallel` connections; a failure stops the rest and is rethrown. */
export async function runParallel<T>(loader: Loader, tasks: T[], run: (conn: Conn, task: T) => Promise<void>): Promise<void> {
  const queue = [...tasks];
  const failure: { error: Error | null } = { error: null };
  const worker = async () => {
    const conn = await loader.connect();
    try {
      while (queue.length && !failure.error) {
        const t = queue.shift()!;
        try {
          await run(conn, t);
        } catch (e) {
          failure.error ??= e instanceof Error ? e : new Error(String(e));
        }
      }
    } finally {
      conn.release();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(loader.parallel, tasks.length)) }, worker));
  if (failure.error) throw failure.error;
}
