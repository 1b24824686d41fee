import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';

/**
 * With TEST_DATABASE_URL set, integration tests also run on a real PostgreSQL server:
 * one migrated template database per run, and each test context gets its own copy of it.
 *
 * When the URL's database has the `citus` extension with workers (a Citus coordinator, e.g.
 * scripts/citus.sh's postgres://postgres@127.0.0.1:9700/postgres), the databases are real Citus
 * databases: the template is made on the coordinator and on every worker, with the extension in
 * each, the workers joined to the coordinator's, and migrated there (which distributes the
 * tables, src/db/citus.ts). Then no one may stay connected to it (not even Citus' maintenance
 * daemon), and each test's database is a copy of it on every node under one name: the
 * coordinator's metadata names the shards, which the workers' copies hold.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const template = `wm_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const workers = await citusWorkers(admin, url);
  const workerAdmins = await Promise.all(
    workers.map(async (w) => {
      const c = new pg.Client({ connectionString: w });
      await c.connect();
      return c;
    }),
  );
  for (const c of [admin, ...workerAdmins]) {
    c.on('notice', () => {});
    await c.query(`CREATE DATABASE ${template}`);
  }
  if (workers.length) {
    for (const w of workers) await onDatabase(withDatabase(w, template), ['CREATE EXTENSION citus']);
    const u = new URL(url);
    await onDatabase(withDatabase(url, template), [
      'CREATE EXTENSION citus',
      `SELECT citus_set_coordinator_host('${u.hostname}', ${Number(u.port || 5432)})`,
      ...workers.map((w) => `SELECT citus_add_node('${new URL(w).hostname}', ${Number(new URL(w).port || 5432)})`),
    ]);
  }
  const database = openPostgres(withDatabase(url, template), 1);
  await database.session((raw) => migrate(raw));
  await database.close();
  if (workers.length) for (const c of [admin, ...workerAdmins]) await closeDatabase(c, template);
  project.provide('pgTemplate', template);
  project.provide('citusWorkers', workers);
  return async () => {
    for (const c of [admin, ...workerAdmins]) {
      const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`wm_t_${process.pid}_%`]);
      for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await c.end();
    }
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The workers' URLs (same user and password) when `url` is a Citus coordinator; [] otherwise. */
async function citusWorkers(admin: pg.Client, url: string): Promise<string[]> {
  const { rows } = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'citus'`);
  if (!rows[0]!.n) return [];
  const nodes = await admin.query<{ nodename: string; nodeport: number }>(
    `SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' AND isactive ORDER BY nodeid`,
  );
  return nodes.rows.map((n) => {
    const u = new URL(url);
    u.hostname = n.nodename;
    u.port = String(n.nodeport);
    return u.toString();
  });
}

async function onDatabase(url: string, statements: string[]) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}

/** No connections to the template from now on, so that CREATE DATABASE … TEMPLATE can copy it. */
async function closeDatabase(admin: pg.Client, name: string) {
  await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
  for (let i = 0; i < 100; i++) {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [name],
    );
    if (!rows[0]!.n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`template ${name} still has connections`);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
    /** The Citus workers' URLs when TEST_DATABASE_URL is a Citus coordinator; empty otherwise. */
    citusWorkers: string[];
  }
}
