import type { RawRunner } from './client.ts';
import { placementOnCitus, type Placement } from './table-kinds.ts';

/**
 * The distribution step (docs/scale-out.md "Citus"). On a database where the `citus` extension
 * exists, every table of the schema is placed as its kind says (src/db/table-kinds.ts): city
 * tables distributed by `city_code` and co-located with `orgs`, catalogues and `users` as
 * reference tables, the rest left on the coordinator. The migrator runs it after every run, so a
 * table added by a later migration is placed too; tables already placed are left alone, so a
 * second run does nothing.
 *
 * Citus distributes a table only when no foreign key ties it to a table it cannot reach yet, so
 * the foreign keys touching the tables to place are dropped first and added again afterwards
 * (all in one transaction: a failure leaves the database as it was). While migrations run, the
 * migrator keeps Citus from turning a new table with a foreign key to a reference table into a
 * Citus-managed local table at once (`citus.enable_local_reference_table_foreign_keys`), which
 * would refuse its other foreign keys to distributed tables; this step places it afterwards.
 */
export async function hasCitus(raw: RawRunner): Promise<boolean> {
  const rows = await raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'citus'`);
  return rows[0]!.n > 0;
}

interface Placed {
  name: string;
  /** 'h' hash-distributed; 'n' reference (repmodel 't') or a Citus-managed local table. */
  partmethod: string | null;
  repmodel: string | null;
  /** Whether a foreign key of this table refers to a table Citus manages. */
  refers_to_citus: boolean;
}

function isPlaced(t: Placed, want: Placement): boolean {
  if (want === 'distributed') return t.partmethod === 'h';
  if (want === 'reference') return t.partmethod === 'n' && t.repmodel === 't';
  // On the coordinator: a plain table, unless it refers to a reference table (users), which Citus
  // then manages as a local table beside the coordinator's copy (its foreign keys are added anew).
  return t.partmethod !== null || !t.refers_to_citus;
}

/** What the step would do now: the tables not yet where their kind puts them. */
export async function pendingPlacements(raw: RawRunner): Promise<{ name: string; placement: Placement }[]> {
  const tables = await raw.query<Placed>(`
    SELECT c.relname AS name, p.partmethod::text AS partmethod, p.repmodel::text AS repmodel,
      EXISTS (SELECT 1 FROM pg_constraint f JOIN pg_dist_partition r ON r.logicalrelid = f.confrelid
              WHERE f.contype = 'f' AND f.conrelid = c.oid) AS refers_to_citus
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_dist_partition p ON p.logicalrelid = c.oid
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY c.relname`);
  return tables
    .map((t) => ({ t, placement: placementOnCitus(t.name) }))
    .filter(({ t, placement }) => !isPlaced(t, placement))
    .map(({ t, placement }) => ({ name: t.name, placement }));
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Places the pending tables; returns their names. */
export async function distributeTables(raw: RawRunner, log: (msg: string) => void = () => {}): Promise<string[]> {
  const pending = await pendingPlacements(raw);
  if (!pending.length) return [];
  const names = pending.map((p) => p.name);
  const inList = names.map(literal).join(', ');
  const fks = await raw.query<{ tbl: string; name: string; def: string }>(`
    SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def
    FROM pg_constraint
    WHERE contype = 'f' AND connamespace = 'public'::regnamespace
      AND (conrelid::regclass::text IN (${inList}) OR confrelid::regclass::text IN (${inList}))
    ORDER BY conrelid::regclass::text, conname`);
  const steps: string[] = [];
  for (const fk of fks) steps.push(`ALTER TABLE ${ident(fk.tbl)} DROP CONSTRAINT ${ident(fk.name)}`);
  for (const p of pending.filter((p) => p.placement === 'reference')) steps.push(`SELECT create_reference_table(${literal(p.name)})`);
  // orgs first: every other city table is co-located with it.
  const distributed = pending.filter((p) => p.placement === 'distributed').sort((a, b) => Number(b.name === 'orgs') - Number(a.name === 'orgs'));
  for (const p of distributed) {
    const colocate = p.name === 'orgs' ? `'none'` : `'orgs'`;
    steps.push(`SELECT create_distributed_table(${literal(p.name)}, 'city_code', colocate_with => ${colocate})`);
  }
  for (const fk of fks) steps.push(`ALTER TABLE ${ident(fk.tbl)} ADD CONSTRAINT ${ident(fk.name)} ${fk.def}`);
  log(`citus: placing ${pending.map((p) => `${p.name} (${p.placement})`).join(', ')}`);
  // One transaction (raw is one connection: the migrator's session), statement by statement:
  // Citus refuses DDL it must propagate inside a multi-statement query string. Sequential mode,
  // as Citus asks when a transaction creates distributed tables beside foreign keys to reference
  // tables.
  await raw.exec('BEGIN');
  try {
    await raw.exec(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
    for (const step of steps) await raw.exec(step);
    await raw.exec('COMMIT');
  } catch (e) {
    await raw.exec('ROLLBACK').catch(() => {});
    throw new Error(`Citus distribution failed: ${(e as Error).message}`, { cause: e });
  }
  return names;
}
