/**
 * The data the scale benchmark runs on, and the accounts it acts as — the one place that knows
 * where they come from:
 * - an empty database is filled by the scale generator (apps/server/src/seed/scale, `seedScale`),
 *   or with BENCH_SEED=demo by the demo seed; the generator's answer names the staff accounts;
 * - a database that already has data (e.g. `wenming_scale`, left by `wenming seed scale`) is
 *   asked for them: the staff of 小店区 (140105) by their grants, residents by having neither a
 *   volunteer profile nor a role. Their password is BENCH_PASSWORD (default: the generator's for
 *   a data set of scale, the bench's own for the demo data).
 * The benchmark also keeps its own super admin (BENCH_ADMIN_PHONE) for what only an admin may do
 * (recomputing a closed evaluation period).
 */
import type { Database } from '../../apps/server/src/db/client.ts';
import { migrate } from '../../apps/server/src/db/migrate.ts';
import { resetAdmin, seedDemo } from '../../apps/server/src/seed/seed.ts';
import { DEFAULT_SCALE_PASSWORD, seedScale, type SeedScaleResult } from '../../apps/server/src/seed/scale/index.ts';

export const DISTRICT = '140105'; // 小店区
export const BENCH_ADMIN_PHONE = process.env.BENCH_ADMIN_PHONE ?? '13800000099';
/** The password the benchmark seeds the demo data with (as `npm run bench` does). */
const DEMO_PASSWORD = 'bench-pass-1';

export interface BenchDataset {
  kind: 'scale' | 'demo';
  source: 'seedScale' | 'demo seed' | 'existing data';
  city: string;
  password: string;
  cityAdmin: string | null;
  districtAdmin: string;
  dispatcher: string;
  residents: string[];
  counts: Record<string, number>;
  adminPhone: string;
}

async function countsOf(database: Database): Promise<Record<string, number>> {
  const tables = ['orgs', 'users', 'volunteers', 'teams', 'activities', 'orders', 'order_events', 'service_records'];
  const out: Record<string, number> = {};
  for (const t of tables) {
    // The planner's estimate for big tables (exact counts of millions of rows cost seconds and measure nothing).
    const [r] = await database.raw.query<{ n: string }>(`SELECT greatest(reltuples, 0)::bigint AS n FROM pg_class WHERE oid = $1::regclass`, [t]);
    let n = Number(r?.n ?? 0);
    if (n < 1_000_000) n = Number((await database.raw.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`))[0]?.n ?? 0);
    out[t] = n;
  }
  return out;
}

async function phones(database: Database, sql: string, params: unknown[]): Promise<string[]> {
  return (await database.raw.query<{ phone: string }>(sql, params)).map((r) => r.phone);
}

const STAFF = `SELECT u.phone FROM role_grants g JOIN users u ON u.id = g.user_id JOIN orgs o ON o.city_code = g.city_code AND o.id = g.org_id
  WHERE g.role = $1 AND o.region_code = $2 AND u.status = 'active' ORDER BY u.phone LIMIT 1`;
const RESIDENTS = `SELECT u.phone FROM users u WHERE NOT u.is_admin AND u.status = 'active'
  AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id) AND NOT EXISTS (SELECT 1 FROM volunteers v WHERE v.user_id = u.id)
  ORDER BY u.phone LIMIT $1`;

export async function prepareDataset(database: Database, log: (m: string) => void, opts: { factor: number; residents: number }): Promise<BenchDataset> {
  await database.session((raw) => migrate(raw));
  const [{ n } = { n: '0' }] = await database.raw.query<{ n: string }>('SELECT count(*) AS n FROM orgs');
  let generated: SeedScaleResult | null = null;
  let source: BenchDataset['source'] = 'existing data';
  if (Number(n) === 0) {
    if (process.env.BENCH_SEED === 'demo') {
      log('empty database: seeding the demo data (BENCH_SEED=demo)');
      await seedDemo(database, DEMO_PASSWORD, log);
      source = 'demo seed';
    } else {
      log(`empty database: generating the scale data set (seedScale, factor ${opts.factor}) …`);
      generated = await seedScale(database, { city: '1401', factor: opts.factor, password: process.env.BENCH_PASSWORD, log });
      source = 'seedScale';
    }
  }
  const counts = generated?.counts ?? (await countsOf(database));
  const kind: BenchDataset['kind'] = generated || (counts.volunteers ?? 0) >= 10_000 ? 'scale' : 'demo';
  const password = process.env.BENCH_PASSWORD ?? generated?.password ?? (kind === 'demo' ? DEMO_PASSWORD : DEFAULT_SCALE_PASSWORD);
  await resetAdmin(database, BENCH_ADMIN_PHONE, password, '压测管理员');

  const s = generated?.samplePhones;
  const districtAdmin = s?.districtAdmin ?? (await phones(database, STAFF, ['org_admin', DISTRICT]))[0];
  const dispatcher = s?.dispatcher ?? (await phones(database, STAFF, ['dispatcher', DISTRICT]))[0];
  const cityAdmin = s?.cityAdmin ?? (await phones(database, STAFF, ['org_admin', '1401']))[0] ?? null;
  if (!districtAdmin || !dispatcher) throw new Error(`no org_admin / dispatcher of ${DISTRICT} in the data set`);
  // The generator names a few residents; the rest are found like any resident (distinct callers for POST /orders).
  const residents = [...new Set([...(s?.resident ?? []), ...(await phones(database, RESIDENTS, [opts.residents]))])].slice(0, opts.residents);
  return { kind, source, city: generated?.city ?? '1401', password, cityAdmin, districtAdmin, dispatcher, residents, counts, adminPhone: BENCH_ADMIN_PHONE };
}
