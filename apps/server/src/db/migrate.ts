import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { RawRunner } from './client.ts';
import { distributeTables, hasCitus } from './citus.ts';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

/** An arbitrary fixed key: only one process migrates at a time. */
const LOCK_KEY = 7_460_215_001;

/**
 * Applies the forward-only SQL migrations not yet applied, each in its own transaction.
 * An applied migration whose file changed afterwards stops the start: migrations are never edited.
 * `dir` is for tests that add a migration of their own.
 */
export async function migrate(raw: RawRunner, log: (msg: string) => void = () => {}, dir = MIGRATIONS_DIR): Promise<string[]> {
  await raw.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  await raw.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    const applied = new Map(
      (await raw.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations')).map((r) => [r.name, r.checksum]),
    );
    const done: string[] = [];
    // On Citus, a table a migration creates stays a plain table until the distribution step
    // below places it (src/db/citus.ts).
    const citus = await hasCitus(raw);
    if (citus) await raw.exec('SET citus.enable_local_reference_table_foreign_keys = off');
    for (const m of readMigrations(dir)) {
      const prev = applied.get(m.name);
      if (prev !== undefined) {
        if (prev !== m.checksum) throw new Error(`Migration ${m.name} was changed after it was applied; add a new migration instead.`);
        continue;
      }
      log(`applying migration ${m.name}`);
      await raw.exec(`BEGIN;\n${m.sql}\n;INSERT INTO schema_migrations (name, checksum) VALUES ('${m.name}', '${m.checksum}');\nCOMMIT;`).catch(async (e) => {
        await raw.exec('ROLLBACK').catch(() => {});
        throw new Error(`Migration ${m.name} failed: ${(e as Error).message}`);
      });
      done.push(m.name);
    }
    // On Citus, place every table as its kind says (a no-op once they all are).
    if (citus) {
      await raw.exec('RESET citus.enable_local_reference_table_foreign_keys');
      await distributeTables(raw, log);
    }
    return done;
  } finally {
    await raw.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
  }
}
