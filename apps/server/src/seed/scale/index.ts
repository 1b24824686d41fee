import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../db/client.ts';
import { orgs as orgsTable } from '../../db/schema.ts';
import { hashPassword } from '../../lib/password.ts';
import { createPii, loadDataKey } from '../../lib/pii.ts';
import { buildDemoOrgs } from '../demo-orgs.ts';
import { ACTIVITY_COLS, RATING_COLS, SIGNUP_COLS, activityRows, ratingRows, signupRows } from './activities.ts';
import { BOOKING_COLS, RESOURCE_COLS, REVIEW_COLS, bookingRows, resourceRows, reviewRows, venuesPlan } from './bookings.ts';
import { issueSampleCertificates } from './certificates.ts';
import { computeEvaluations } from './evaluations.ts';
import {
  PAIR_PLAN_COLS,
  PAIR_PLAN_RESIDENT_COLS,
  PAIR_PLAN_VOLUNTEER_COLS,
  PAIR_RESIDENT_COLS,
  PAIR_TASK_COLS,
  pairPlanResidentRows,
  pairPlanRows,
  pairPlanVolunteerRows,
  pairResidentRows,
  pairTaskRows,
} from './pairing.ts';
import { captureDdl, dropDdl, restoreDdl, restoreStatements, type CapturedDdl } from './ddl.ts';
import { loaderFor, type Conn } from './loader.ts';
import { COUNTER_COLS, EVENT_COLS, ORDER_COLS, SERVER_COLS, counterRows, eventRows, orderRows, ordersPlan, serverRows } from './orders.ts';
import {
  GRANT_COLS,
  TEAM_COLS,
  TEAM_MEMBER_COLS,
  USER_COLS,
  VOLUNTEER_COLS,
  grantRows,
  USER_CITY_COLS,
  userCityRows,
  teamMemberRows,
  teamRows,
  userRows,
  volunteerFacts,
  volunteerRows,
} from './people.ts';
import { ACCOUNT_COLS, LEDGER_COLS, RECORD_COLS, accountRows, ledgerRows, recordRows, recordTotals } from './records.ts';
import { REDEMPTION_COLS, REWARD_COLS, redemptionLedgerRows, redemptionRows, rewardRows, rewardsPlan } from './rewards.ts';
import { esc, tenths } from './text.ts';
import { planWorld, residentPhone, sizesFor, volunteerPhone, type World } from './world.ts';

export interface SeedScaleOptions {
  city?: '1401' | '1402';
  /** 1.0 = the source reports' figures (434,710 volunteers for Taiyuan …). */
  factor?: number;
  /** The password of every generated account (default `wenming-scale`). */
  password?: string;
  log?: (m: string) => void;
  /** The master key for personal data (default: WENMING_DATA_KEY, else DATA_DIR/data.key, as the server reads it). */
  dataKey?: Buffer;
  seed?: number;
}

export interface SeedScaleResult {
  city: string;
  counts: Record<string, number>;
  samplePhones: { volunteer: string[]; resident: string[]; districtAdmin: string; dispatcher: string; cityAdmin: string };
  password: string;
  timings: { totalSeconds: number; copySeconds: number; restoreSeconds: number; rawRowsPerSecond: number; rawTable: string; loadedRowsPerSecond: number };
}

export const DEFAULT_SCALE_PASSWORD = 'wenming-scale';

/** Closed months whose evaluation the seed computes (the job computes the ones after). */
const EVALUATED_MONTHS = 3;

/** Departments complaints and petitions are forwarded to: the city's and each district's. */
function departmentNames(cityName: string, district: string | null): string[] {
  if (district === null) return [`${cityName}信访局`, `${cityName}民政局`, `${cityName}住房和城乡建设局`, `${cityName}城乡管理局`];
  return ['住房和城乡建设局', '民政局', '城市管理局', '卫生健康局', '市场监督管理局', '人力资源和社会保障局'];
}

/**
 * Everything a city's people, activities and orders leave behind, replaced by the generated city.
 * Reference catalogues, the org tree, departments and site settings stay; admin accounts are kept.
 */
const REPLACED = [
  'users',
  'user_cities',
  'sessions',
  'login_failures',
  'login_throttles',
  'activation_codes',
  'notifications',
  'audit_logs',
  'idempotency_keys',
  'uploads',
  'role_grants',
  'volunteers',
  'teams',
  'team_members',
  'service_records',
  'points_accounts',
  'points_ledger',
  'service_items',
  'order_code_counters',
  'orders',
  'order_events',
  'order_servers',
  'triage_examples',
  'activities',
  'activity_signups',
  'activity_ratings',
  'certificates',
  'resources',
  'bookings',
  'booking_reviews',
  'rewards',
  'redemptions',
  'points_adjustments',
  'volunteer_imports',
  'volunteer_import_errors',
  'stats_daily',
  'stats_rollup_state',
  'pairing_residents',
  'pairing_plans',
  'pairing_plan_volunteers',
  'pairing_plan_residents',
  'pairing_tasks',
  'evaluation_indicators',
  'evaluation_runs',
  'evaluation_results',
  'content_columns',
  'contents',
];

/** The tables loaded by COPY, in dependency order. */
const LOADED = [
  'users',
  'user_cities',
  'role_grants',
  'volunteers',
  'teams',
  'team_members',
  'activities',
  'activity_signups',
  'activity_ratings',
  'orders',
  'order_events',
  'order_servers',
  'order_code_counters',
  'service_records',
  'rewards',
  'redemptions',
  'points_accounts',
  'points_ledger',
  'resources',
  'bookings',
  'booking_reviews',
  'pairing_residents',
  'pairing_plans',
  'pairing_plan_volunteers',
  'pairing_plan_residents',
  'pairing_tasks',
] as const;

/**
 * Generates the seeds' city at full scale (factor 1.0: 434,710 volunteers, 4,334 teams, 84,885
 * activities, ~2 M service records, 200,000 orders … for Taiyuan) into the database, on the real
 * org tree. Rows are streamed as COPY text from a seeded plan; keys and indexes are dropped
 * before and rebuilt after, exactly as the catalog had them.
 */
export async function seedScale(database: Database, opts: SeedScaleOptions = {}): Promise<SeedScaleResult> {
  const log = opts.log ?? (() => {});
  const city = opts.city ?? '1401';
  const factor = opts.factor ?? 1;
  if (!(factor > 0 && factor <= 4)) throw new Error('规模系数须在 0 到 4 之间 / the factor must be in (0, 4]');
  const password = opts.password ?? DEFAULT_SCALE_PASSWORD;
  const seed = opts.seed ?? 20_261_207;
  const t0 = performance.now();
  const secs = (from: number) => (performance.now() - from) / 1000;
  const loader = loaderFor(database);
  const dataKey = opts.dataKey ?? loadDataKey({ dataKey: process.env.WENMING_DATA_KEY, dataDir: process.env.DATA_DIR ?? './data' });
  const pii = createPii(dataKey);
  const cityName = city === '1401' ? '太原市' : '大同市';

  // ------------------------------------------------------------------ the org tree and departments
  const [{ n: orgCount } = { n: 0 }] = await database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs');
  if (Number(orgCount) === 0) {
    const rows = buildDemoOrgs();
    for (let i = 0; i < rows.length; i += 500) await database.db.insert(orgsTable).values(rows.slice(i, i + 500));
    log(`阵地树：${rows.length} 个阵地（真实行政区划）`);
  }
  const orgRows = await database.raw.query<{
    id: string;
    parent_id: string | null;
    level: 'city';
    name: string;
    region_code: string | null;
    address: string | null;
    lat: number | null;
    lng: number | null;
    path: string;
  }>('SELECT id::text, parent_id::text, level, name, region_code, address, lat, lng, path::text FROM orgs WHERE city_code = $1', [city]);
  const places = orgRows.filter((o) => o.level === 'city' || o.level === 'center');
  for (const o of places) {
    const names =
      o.level === 'city'
        ? departmentNames(cityName, null)
        : departmentNames(cityName, o.region_code).map((n) => `${o.name.replace(/新时代文明实践中心$/, '')}${n}`);
    for (const name of names)
      await database.raw.query('INSERT INTO departments (city_code, id, org_id, name) VALUES ($1, gen_random_uuid(), $2, $3) ON CONFLICT DO NOTHING', [
        city,
        o.id,
        name,
      ]);
  }
  const departments = await database.raw.query<{ id: string; org_id: string; name: string }>(
    'SELECT id::text, org_id::text, name FROM departments WHERE city_code = $1 ORDER BY name',
    [city],
  );

  // ------------------------------------------------------------------ the plan
  const tPlan = performance.now();
  const sizes = sizesFor(city, factor);
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const w: World = planWorld({
    city,
    cityName,
    seed,
    now,
    sizes,
    orgRows,
    passwordHash: await hashPassword(password),
    departments: departments.map((d) => ({ id: d.id, orgId: d.org_id, name: d.name })),
  });
  const plan = ordersPlan(w);
  const allLedgerRows = function* () {
    yield* ledgerRows(w, plan);
    yield* redemptionLedgerRows(w, store);
  };
  const totals = recordTotals(w, plan);
  const store = rewardsPlan(w, totals.points, sizes.redemptions);
  const venues = venuesPlan(w);
  log(
    `规划完成：${sizes.volunteers} 名志愿者、${w.teams.length} 支队伍、${sizes.activities} 场活动、${sizes.orders} 个工单、${totals.records} 条服务记录（${tenths(totals.totalTenths)} 小时），用时 ${secs(tPlan).toFixed(1)} s`,
  );

  // ------------------------------------------------------------------ load
  const counts: Record<string, number> = {};
  const sizesByTable = new Map<string, number>();
  let conn: Conn = await loader.connect();
  let copySeconds = 0;
  let loadedRows = 0;
  const copy = async (table: string, cols: readonly string[], rows: Iterable<string>) => {
    const t = performance.now();
    const n = await conn.copy(table, cols, rows, { freeze: true });
    const s = secs(t);
    copySeconds += s;
    loadedRows += n;
    counts[table] = (counts[table] ?? 0) + n;
    sizesByTable.set(table, n);
    copyTime.set(table, s);
    log(
      `  ${table.padEnd(20)} ${String(n).padStart(9)} 行  ${rate(n, s).padStart(9)} 行/秒  ${s.toFixed(1).padStart(6)} s   （累计 ${secs(t0).toFixed(0)} s）`,
    );
  };
  const copyTime = new Map<string, number>();
  let restoreFile: string | null = null;
  let ddl: CapturedDdl | undefined;
  try {
    await conn.exec('BEGIN');
    if (loader.kind === 'postgres') for (const s of ['SET LOCAL synchronous_commit = off', "SET LOCAL maintenance_work_mem = '512MB'"]) await conn.exec(s);
    // Admin accounts stay (read before the users table is emptied, put back with the rest).
    const admins = await conn.query<Record<string, string>>(
      'SELECT id::text, phone, name, password_hash, is_admin::text, status, created_at::text, updated_at::text FROM users WHERE is_admin',
    );
    const keep = admins.map((a) => USER_COLS.map((c) => esc(String(a[c]))).join('\t'));
    const existing = await conn.query<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace AND relname = ANY($1)`,
      [REPLACED],
    );
    await conn.exec(`TRUNCATE ${existing.map((t) => t.relname).join(', ')} CASCADE`);
    ddl = await captureDdl(conn, LOADED);
    const r = restoreStatements(ddl);
    restoreFile = path.join(os.tmpdir(), `wenming-scale-restore-${process.pid}.sql`);
    fs.writeFileSync(restoreFile, [...r.perTable.flatMap((t) => t.stmts), ...r.addFks, ...r.validate.map((v) => v.stmt)].map((s) => `${s};`).join('\n'));
    await dropDdl(conn, ddl);
    log(
      `已移除 ${ddl.fks.length} 个外键、${ddl.tables.reduce((s, t) => s + t.keys.length, 0)} 个主键/唯一约束、${ddl.tables.reduce((s, t) => s + t.indexes.length, 0)} 个索引（装载后按目录中的定义重建；万一中断，重建语句在 ${restoreFile}）`,
    );
    log('装载（COPY）：');
    await copy('users', USER_COLS, userRows(w, keep));
    await copy('user_cities', USER_CITY_COLS, userCityRows(w));
    await copy('role_grants', GRANT_COLS, grantRows(w, admins[0]?.id ?? null));
    await copy('volunteers', VOLUNTEER_COLS, volunteerRows(w, pii, totals.hours));
    await copy('teams', TEAM_COLS, teamRows(w));
    await copy('team_members', TEAM_MEMBER_COLS, teamMemberRows(w));
    await copy('activities', ACTIVITY_COLS, activityRows(w));
    await copy('activity_signups', SIGNUP_COLS, signupRows(w));
    await copy('activity_ratings', RATING_COLS, ratingRows(w));
    await copy('orders', ORDER_COLS, orderRows(w, plan));
    await copy('order_events', EVENT_COLS, eventRows(w, plan));
    await copy('order_servers', SERVER_COLS, serverRows(w, plan));
    await copy('order_code_counters', COUNTER_COLS, counterRows(w, plan));
    await copy('service_records', RECORD_COLS, recordRows(w, plan));
    await copy('rewards', REWARD_COLS, rewardRows(w, store));
    await copy('redemptions', REDEMPTION_COLS, redemptionRows(w, store));
    await copy('points_accounts', ACCOUNT_COLS, accountRows(w, totals, store.spent, store.refunded));
    await copy('points_ledger', LEDGER_COLS, allLedgerRows());
    await copy('resources', RESOURCE_COLS, resourceRows(w, venues));
    await copy('bookings', BOOKING_COLS, bookingRows(w, venues));
    await copy('booking_reviews', REVIEW_COLS, reviewRows(w, venues));
    await copy('pairing_residents', PAIR_RESIDENT_COLS, pairResidentRows(w));
    await copy('pairing_plans', PAIR_PLAN_COLS, pairPlanRows(w));
    await copy('pairing_plan_volunteers', PAIR_PLAN_VOLUNTEER_COLS, pairPlanVolunteerRows(w));
    await copy('pairing_plan_residents', PAIR_PLAN_RESIDENT_COLS, pairPlanResidentRows(w));
    await copy('pairing_tasks', PAIR_TASK_COLS, pairTaskRows(w));
    // The waitlist sequence continues after the generated sign-ups.
    await conn.query(`SELECT setval('activity_signup_seq', greatest((SELECT max(seq) FROM activity_signups), 1))`);
    await conn.exec('COMMIT');
  } catch (e) {
    await conn.exec('ROLLBACK').catch(() => {});
    conn.release();
    if (restoreFile) fs.rmSync(restoreFile, { force: true });
    throw e;
  }
  conn.release();

  // ------------------------------------------------------------------ the raw COPY rate of the biggest table, for comparison
  const biggest = [...sizesByTable.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const rawGen = biggest === 'points_ledger' ? { cols: LEDGER_COLS, rows: () => allLedgerRows() } : { cols: RECORD_COLS, rows: () => recordRows(w, plan) };
  const rawTable = biggest === 'points_ledger' ? 'points_ledger' : 'service_records';
  const rawRate = await (async () => {
    const c = await loader.connect();
    try {
      await c.exec('DROP TABLE IF EXISTS scale_seed_raw_copy');
      await c.exec(`CREATE UNLOGGED TABLE scale_seed_raw_copy (LIKE ${rawTable} INCLUDING DEFAULTS)`);
      const t = performance.now();
      const n = await c.copy('scale_seed_raw_copy', rawGen.cols, rawGen.rows());
      const r = n / secs(t);
      await c.exec('DROP TABLE scale_seed_raw_copy');
      return r;
    } finally {
      c.release();
    }
  })();
  const loadedRate = (sizesByTable.get(rawTable) ?? 0) / Math.max(1e-9, copyTime.get(rawTable) ?? 0);
  log(
    `原始 COPY 速率（同样的 ${rawTable} 行装入无索引、无约束的 UNLOGGED 表）：${rate(rawRate, 1)} 行/秒；本次装入 ${rawTable}：${rate(loadedRate, 1)} 行/秒（${Math.round((100 * loadedRate) / Math.max(1, rawRate))}%）`,
  );

  // ------------------------------------------------------------------ keys, indexes, foreign keys
  const tRestore = performance.now();
  log('重建主键、唯一约束、索引与外键：');
  if (!ddl) throw new Error('装载前未能读取索引与约束的定义');
  await restoreDdl(loader, ddl, sizesByTable, log);
  if (restoreFile) fs.rmSync(restoreFile, { force: true });
  const restoreSeconds = secs(tRestore);
  conn = await loader.connect();
  try {
    // The org tree and the catalogues too: the tree was written just before and never analysed, and
    // with its default estimates the dispatch desk's plan took 7.4 s instead of 40 ms.
    await conn.exec(`ANALYZE ${[...LOADED, 'orgs', 'departments', 'org_settings', 'categories'].join(', ')}`);
  } finally {
    conn.release();
  }
  const tCert = performance.now();
  counts.certificates = await issueSampleCertificates(database, w, totals.hours, sizes.certificates, dataKey);
  log(`  志愿服务证明（应用自己的出具用例）：${counts.certificates} 份，${secs(tCert).toFixed(1)} s`);
  const tEval = performance.now();
  const evaluated = await computeEvaluations(database, w, EVALUATED_MONTHS, dataKey);
  counts.evaluation_results = evaluated.results;
  log(`  阵地评估（应用自己的计算用例）：${evaluated.periods.join('、')}，${evaluated.results} 条结果，${secs(tEval).toFixed(1)} s`);
  const totalSeconds = secs(t0);
  log(
    `完成：${loadedRows.toLocaleString('en-US')} 行，COPY ${copySeconds.toFixed(0)} s（${rate(loadedRows, copySeconds)} 行/秒），重建 ${restoreSeconds.toFixed(0)} s，共 ${totalSeconds.toFixed(0)} s（${rate(loadedRows, totalSeconds)} 行/秒）`,
  );

  const xd = w.districts.find((d) => d.code === (city === '1401' ? '140105' : '140213')) ?? w.districts[0]!;
  const xo = w.orgs[xd.orgIdx]!;
  const sampleVolunteers: string[] = [];
  for (let i = xo.vLo; i < xo.vHi && sampleVolunteers.length < 5; i += Math.max(1, Math.floor((xo.vHi - xo.vLo) / 7)))
    if (!volunteerFacts(w, i).suspended) sampleVolunteers.push(volunteerPhone(w, i));
  const sampleResidents: string[] = [];
  for (let i = xo.rLo; i < xo.rHi && sampleResidents.length < 5; i += Math.max(1, Math.floor((xo.rHi - xo.rLo) / 7))) sampleResidents.push(residentPhone(w, i));
  const desk = w.desk[w.districts.indexOf(xd)]!;
  return {
    city,
    counts,
    samplePhones: {
      volunteer: sampleVolunteers,
      resident: sampleResidents,
      districtAdmin: desk.admin.phone,
      dispatcher: desk.dispatcher.phone,
      cityAdmin: w.cityAdmin.phone,
    },
    password,
    timings: { totalSeconds, copySeconds, restoreSeconds, rawRowsPerSecond: rawRate, rawTable, loadedRowsPerSecond: loadedRate },
  };
}

function rate(n: number, s: number): string {
  return s > 0 ? Math.round(n / s).toLocaleString('en-US') : '—';
}

/** What to tell whoever ran the seed: how to sign in as anyone generated. */
export function printScaleReport(r: SeedScaleResult, print: (m: string) => void) {
  print('');
  print('================ 城市规模数据 / the city at scale ================');
  print(
    `  城市 ${r.city}：${Object.entries(r.counts)
      .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
      .join('，')}`,
  );
  print(`  所有生成账号的密码：${r.password}`);
  print(`  志愿者（小店区）：${r.samplePhones.volunteer.join('  ')}`);
  print(`  居民：${r.samplePhones.resident.join('  ')}`);
  print(`  市级管理员 ${r.samplePhones.cityAdmin}；区中心管理员 ${r.samplePhones.districtAdmin}；区中心调度员 ${r.samplePhones.dispatcher}`);
  print(
    `  用时 ${r.timings.totalSeconds.toFixed(0)} s（COPY ${r.timings.copySeconds.toFixed(0)} s，重建索引与约束 ${r.timings.restoreSeconds.toFixed(0)} s）；${r.timings.rawTable} 装入 ${Math.round(r.timings.loadedRowsPerSecond).toLocaleString('en-US')} 行/秒，原始 COPY ${Math.round(r.timings.rawRowsPerSecond).toLocaleString('en-US')} 行/秒`,
  );
  print('==================================================================');
  print('');
}
