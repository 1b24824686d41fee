import { ConfigError, loadConfig, type Config } from './config.ts';
import { buildApp } from './app.ts';
import { prepareDatabase, printReport } from './boot.ts';
import { openDatabase } from './db/client.ts';
import { startJobs } from './jobs/runner.ts';
import { purgeIdempotencyKeys } from './plugins/idempotency.ts';
import { migrate } from './db/migrate.ts';
import { resetAdmin, seedDemo, ensureAdmin, generatePassword } from './seed/seed.ts';

const USAGE = `用法 / usage: wenming <command>
  serve                 迁移数据库、首次运行时初始化数据，并启动服务 (default)
  migrate               只执行数据库迁移
  seed demo|none        初始化：demo = 演示数据（太原、大同阵地树等）；none = 仅超级管理员和固定目录
  retrain-triage        用语料和调度员修正过的样本重新训练智能研判，并报告样本数
  create-admin          按 WENMING_ADMIN_PHONE / WENMING_ADMIN_PASSWORD 创建或重置超级管理员`;

const log = (m: string) => console.log(m);

async function main(argv: string[]) {
  const [cmd = 'serve', arg] = argv;
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`配置错误，服务未启动 / configuration error:\n${e.problems.map((p) => `  - ${p}`).join('\n')}`);
      process.exit(2);
    }
    throw e;
  }

  switch (cmd) {
    case 'serve': {
      const { database, report } = await prepareDatabase(config, log);
      const app = await buildApp({ config, database });
      const address = await app.listen({ port: config.PORT, host: config.HOST });
      const stopJobs = startJobs(
        [
          { name: 'escalate-overdue-orders', everyMs: 30_000, run: () => app.modules.orders.escalateOverdue() },
          { name: 'remind-assignees', everyMs: 60_000, run: () => app.modules.orders.remindDue() },
          // The day-before reminder of activities (each activity once, claimed with SKIP LOCKED).
          { name: 'remind-activities', everyMs: 5 * 60_000, run: () => app.modules.activities.remindUpcoming() },
          { name: 'close-ended-bookings', everyMs: 60_000, run: () => app.modules.resources.closeEnded() },
          // 结对帮扶: visit tasks of the next 14 days (idempotent; also once right after start, below).
          { name: 'generate-pairing-tasks', everyMs: 15 * 60_000, run: () => app.modules.pairing.generateTasks() },
          { name: 'purge-idempotency-keys', everyMs: 3_600_000, run: () => purgeIdempotencyKeys(database.db, new Date(Date.now() - 24 * 3_600_000)) },
        ],
        (m, e) => app.log.error({ err: e }, m),
      );
      app.modules.pairing.generateTasks().catch((e: unknown) => app.log.error({ err: e }, 'job generate-pairing-tasks failed'));
      printReport(report, `http://localhost:${config.PORT}`, log);
      log(`文明实践云已启动 ${address}（数据库：${database.kind === 'pglite' ? `内嵌 PGlite，${config.DATA_DIR}` : 'PostgreSQL'}）`);
      const stop = async () => {
        await stopJobs();
        await app.close();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    case 'migrate': {
      const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
      const applied = await database.session((raw) => migrate(raw, log));
      log(applied.length ? `已应用 ${applied.length} 个迁移` : '数据库已是最新');
      await database.close();
      return;
    }
    case 'seed': {
      if (arg !== 'demo' && arg !== 'none') throw new Error(USAGE);
      const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
      await database.session((raw) => migrate(raw, log));
      const admin = await ensureAdmin(database, config.WENMING_ADMIN_PHONE, config.WENMING_ADMIN_PASSWORD);
      const report = { adminCreated: admin.created, adminPhone: config.WENMING_ADMIN_PHONE, generatedPassword: admin.password } as Parameters<typeof printReport>[0];
      if (arg === 'demo') {
        const pw = config.WENMING_ADMIN_PASSWORD ?? admin.password ?? generatePassword();
        const demo = await seedDemo(database, pw, log, config);
        if (demo) report.demo = { ...demo, password: config.WENMING_ADMIN_PASSWORD ? undefined : pw };
        else log('已有阵地数据，跳过演示数据');
      }
      printReport(report, `http://localhost:${config.PORT}`, log);
      await database.close();
      return;
    }
    case 'retrain-triage': {
      const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
      const { createModules } = await import('./modules/index.ts');
      const n = await createModules({ config, database }).retrainTriage();
      log(`智能研判模型已用 ${n} 条样本（语料 + 调度员修正）重新训练；服务进程在下次启动时加载修正样本`);
      await database.close();
      return;
    }
    case 'create-admin': {
      if (!config.WENMING_ADMIN_PASSWORD) throw new Error('create-admin 需要设置 WENMING_ADMIN_PASSWORD（至少8位）');
      const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
      await database.session((raw) => migrate(raw, log));
      await resetAdmin(database, config.WENMING_ADMIN_PHONE, config.WENMING_ADMIN_PASSWORD);
      log(`超级管理员 ${config.WENMING_ADMIN_PHONE} 已就绪`);
      await database.close();
      return;
    }
    default:
      console.error(USAGE);
      process.exit(1);
  }
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
