import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DATABASES, freshDatabase } from './helpers/test-app.ts';
import { withDatabase } from './helpers/global-setup.ts';
import { distributeTables, hasCitus, pendingPlacements } from '../src/db/citus.ts';
import { migrate, readMigrations } from '../src/db/migrate.ts';
import { openPostgres } from '../src/db/client.ts';
import { placementOnCitus, tableKind } from '../src/db/table-kinds.ts';

/**
 * The distribution step (src/db/citus.ts, docs/scale-out.md "Citus"). Where TEST_DATABASE_URL is
 * a Citus coordinator (scripts/citus.sh), the per-test databases are real Citus databases and
 * this checks what the migrator made of them; elsewhere, that the step stays out of the way.
 */
const onCitus = DATABASES.includes('postgres') && inject('citusWorkers').length > 0;

interface Placed {
  name: string;
  partmethod: string | null;
  repmodel: string | null;
  colocationid: number | null;
}

async function placements(database: { raw: { query<T>(sql: string): Promise<T[]> } }) {
  return database.raw.query<Placed>(`
    SELECT c.relname AS name, p.partmethod::text AS partmethod, p.repmodel::text AS repmodel, p.colocationid
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_dist_partition p ON p.logicalrelid = c.oid
    WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname`);
}

/** The schema's foreign keys (not those of the shards Citus keeps on the coordinator). */
const foreignKeys = async (database: { raw: { query<T>(sql: string): Promise<T[]> } }) =>
  (
    await database.raw.query<{ tbl: string; name: string; def: string }>(
      `SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    )
  ).filter((f) => !/_\d+$/.test(f.tbl));

describe('where each kind of table goes on Citus', () => {
  it('city tables are distributed, catalogues and users are reference tables, the rest stay on the coordinator', () => {
    expect(placementOnCitus('orgs')).toBe('distributed');
    expect(placementOnCitus('orders')).toBe('distributed');
    expect(placementOnCitus('a_table_of_tomorrow')).toBe('distributed');
    expect(placementOnCitus('categories')).toBe('reference');
    expect(placementOnCitus('users')).toBe('reference');
    expect(placementOnCitus('sessions')).toBe('coordinator');
    expect(placementOnCitus('audit_logs')).toBe('coordinator');
    expect(tableKind('users')).toBe('account');
  });
});

describe.each(DATABASES)('the distribution step on %s', (kind) => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterAll(() => database.drop());

  it.runIf(!onCitus || kind === 'pglite')('does nothing where the citus extension is absent', async () => {
    expect(await hasCitus(database.raw)).toBe(false);
    expect(await migrate(database.raw)).toEqual([]);
  });

  it.runIf(onCitus && kind === 'postgres')('places every table by its kind, city tables co-located with orgs, keeping every foreign key', async () => {
    expect(await hasCitus(database.raw)).toBe(true);
    const tables = await placements(database);
    expect(tables.length).toBeGreaterThan(40);
    const orgs = tables.find((t) => t.name === 'orgs')!;
    for (const t of tables) {
      const want = placementOnCitus(t.name);
      if (want === 'distributed')
        expect({ t: t.name, method: t.partmethod, group: t.colocationid }).toEqual({ t: t.name, method: 'h', group: orgs.colocationid });
      else if (want === 'reference') expect({ t: t.name, method: t.partmethod, model: t.repmodel }).toEqual({ t: t.name, method: 'n', model: 't' });
      // On the coordinator: a plain table, or one Citus manages locally because of a foreign key to users.
      else expect({ t: t.name, method: t.partmethod ?? 'n', model: t.repmodel ?? 's' }).toEqual({ t: t.name, method: 'n', model: 's' });
    }
    const cols = await database.raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_dist_partition WHERE partmethod = 'h' AND column_to_column_name(logicalrelid, partkey) <> 'city_code'`,
    );
    expect(cols[0]!.n).toBe(0);

    // The same foreign keys as the migrations make on plain PostgreSQL (a database without the
    // extension on the coordinator is one).
    const url = process.env.TEST_DATABASE_URL!;
    const plainName = `wm_t_${process.pid}_plain${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    admin.on('notice', () => {});
    await admin.query(`CREATE DATABASE ${plainName}`);
    const plain = openPostgres(withDatabase(url, plainName), 1);
    try {
      await plain.session((raw) => migrate(raw));
      const expected = await foreignKeys(plain);
      expect(expected.length).toBeGreaterThan(50);
      expect(await foreignKeys(database)).toEqual(expected);
    } finally {
      await plain.close();
      await admin.query(`DROP DATABASE IF EXISTS ${plainName} WITH (FORCE)`);
      await admin.end();
    }
  });

  it.runIf(onCitus && kind === 'postgres')('is idempotent, and places a table a later migration adds (with its foreign keys)', async () => {
    expect(await pendingPlacements(database.raw)).toEqual([]);
    expect(await database.session((raw) => distributeTables(raw))).toEqual([]);
    expect(await database.session((raw) => migrate(raw))).toEqual([]);

    // What a later migration might add: a city table referring to orgs and to a catalogue.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-migrations-'));
    for (const m of readMigrations()) fs.writeFileSync(path.join(dir, m.name), m.sql);
    fs.writeFileSync(
      path.join(dir, '9999_later_city_things.sql'),
      `CREATE TABLE later_city_things (
        city_code text NOT NULL, id uuid NOT NULL, org_id uuid NOT NULL, category text NOT NULL,
        CONSTRAINT later_city_things_pkey PRIMARY KEY (city_code, id),
        CONSTRAINT later_city_things_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
        CONSTRAINT later_city_things_category_fkey FOREIGN KEY (category) REFERENCES categories (code));`,
    );
    try {
      expect(await database.session((raw) => migrate(raw, () => {}, dir))).toEqual(['9999_later_city_things.sql']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const placed = await placements(database);
    const later = placed.find((t) => t.name === 'later_city_things')!;
    expect(later.partmethod).toBe('h');
    expect(later.colocationid).toBe(placed.find((t) => t.name === 'orgs')!.colocationid);
    const fks = (await foreignKeys(database)).filter((f) => f.tbl === 'later_city_things').map((f) => f.name);
    expect(fks).toEqual(['later_city_things_category_fkey', 'later_city_things_org_fkey']);
    // The foreign key holds on the shards: a row naming an org that does not exist is refused.
    const [category] = await database.raw.query<{ code: string }>('SELECT code FROM categories LIMIT 1');
    await expect(
      database.raw.query(`INSERT INTO later_city_things VALUES ('1401', gen_random_uuid(), gen_random_uuid(), $1)`, [category!.code]),
    ).rejects.toThrow(/later_city_things_org_fkey/);
    expect(await pendingPlacements(database.raw)).toEqual([]);
  });
});
