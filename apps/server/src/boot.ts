import type { Config } from './config.ts';
import { openDatabase, type Database, type PgTimeouts } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { loadDataKey } from './lib/pii.ts';
import { ensureAdmin, generatePassword, seedDemo, type SeedReport } from './seed/seed.ts';

/** The serving pool's timeouts (docs/operations.md). */
export function pgTimeouts(config: Config): PgTimeouts {
  return { connectMs: config.DATABASE_CONNECT_TIMEOUT_MS, statementMs: config.DATABASE_STATEMENT_TIMEOUT_MS, queryMs: config.DATABASE_QUERY_TIMEOUT_MS };
}

/**
 * Opens the database, applies migrations, and seeds on first run (admin; demo data when asked).
 * Migrating and seeding run without statement and query timeouts (the city at scale COPYs tables
 * for minutes); on PostgreSQL the database handed back for serving is then reopened with them.
 */
export async function prepareDatabase(config: Config, log: (m: string) => void): Promise<{ database: Database; report: SeedReport }> {
  const opts = { databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS };
  const setup = await openDatabase({ ...opts, timeouts: { connectMs: config.DATABASE_CONNECT_TIMEOUT_MS } });
  const report = await migrateAndSeed(setup, config, log);
  if (setup.kind !== 'postgres') return { database: setup, report };
  await setup.close();
  return { database: await openDatabase({ ...opts, timeouts: pgTimeouts(config) }), report };
}

async function migrateAndSeed(database: Database, config: Config, log: (m: string) => void): Promise<SeedReport> {
  const applied = await database.session((raw) => migrate(raw, log));
  if (applied.length) log(`数据库迁移完成：${applied.join(', ')}`);
  const admin = await ensureAdmin(database, config.WENMING_ADMIN_PHONE, config.WENMING_ADMIN_PASSWORD);
  const report: SeedReport = { adminCreated: admin.created, adminPhone: config.WENMING_ADMIN_PHONE, generatedPassword: admin.password };
  // The generated password is shown before any seeding: a first start killed mid-seed has shown it already.
  printCredentials({ adminPhone: config.WENMING_ADMIN_PHONE, adminPassword: admin.password, demoShares: config.WENMING_SEED === 'demo' }, log);
  if (config.WENMING_SEED === 'demo') {
    const demoPassword = config.WENMING_ADMIN_PASSWORD ?? admin.password ?? generatePassword();
    const shown = config.WENMING_ADMIN_PASSWORD ? undefined : demoPassword;
    const demo = await seedDemo(database, demoPassword, log, config, {}, () => {
      if (shown && shown !== admin.password) printCredentials({ adminPhone: config.WENMING_ADMIN_PHONE, demoPassword: shown }, log);
      log('正在写入演示数据（首次启动需要几分钟；中途停止也无妨，下次启动会重新写入）…');
    });
    if (demo) report.demo = { ...demo, password: shown };
  }
  if (config.WENMING_SEED === 'scale') {
    // First start only: the generated city replaces nothing once volunteers exist.
    const [row] = await database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM volunteers');
    if (Number(row?.n ?? 0) === 0) {
      const { seedScale, printScaleReport } = await import('./seed/scale/index.ts');
      const r = await seedScale(database, {
        city: '1401',
        factor: config.WENMING_SCALE_FACTOR,
        log,
        dataKey: loadDataKey({ dataKey: config.WENMING_DATA_KEY, dataDir: config.DATA_DIR, log }),
      });
      printScaleReport(r, log);
    }
  }
  return report;
}

/**
 * The credentials a first start generated, printed at once (before the long seeding) where they
 * cannot be missed; the report at the end repeats them with the demo accounts.
 */
export function printCredentials(c: { adminPhone: string; adminPassword?: string; demoPassword?: string; demoShares?: boolean }, print: (m: string) => void) {
  if (!c.adminPassword && !c.demoPassword) return;
  print('');
  print('================ 文明实践云 · 登录信息 ================');
  if (c.adminPassword) {
    print(`  超级管理员: ${c.adminPhone}`);
    print(`  初始密码:   ${c.adminPassword}   (仅显示这一次，请立即记下${c.demoShares ? '；演示账号共用此密码' : ''})`);
  }
  if (c.demoPassword) print(`  演示账号密码: ${c.demoPassword}   (13900000001 等演示账号共用)`);
  print('=======================================================');
  print('');
}

export function printReport(report: SeedReport, url: string, print: (m: string) => void) {
  if (report.adminCreated || report.demo) {
    print('');
    print('================ 文明实践云 ================');
    print(`  访问地址:   ${url}`);
    if (report.adminCreated) {
      print(`  超级管理员: ${report.adminPhone}`);
      if (report.generatedPassword) print(`  初始密码:   ${report.generatedPassword}   (仅显示这一次，请登录后妥善保管)`);
      else print('  初始密码:   WENMING_ADMIN_PASSWORD 所设的密码');
    }
    if (report.demo) {
      const pw = report.demo.password ?? 'WENMING_ADMIN_PASSWORD 所设的密码';
      print(`  演示数据:   ${report.demo.orgs} 个阵地；演示账号（密码 ${pw}）：`);
      for (const a of report.demo.accounts) print(`              ${a.phone}  ${a.name}  ${a.role}`);
    }
    print('============================================');
    print('');
  }
}
