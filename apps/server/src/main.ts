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
  seed scale [--city 1401|1402] [--factor 1.0]
                        生成城市规模数据：按报道规模（太原 434,710 名志愿者、84,885 场活动、20 万工单……）
                        在真实阵地树上生成人员、队伍、活动、服务记录、积分与工单，替换原有的人员与业务数据
  retrain-triage        用语料和调度员修正过的样本重新训练智能研判，并报告样本数
  create-admin          按 WENMING_ADMIN_PHONE / WENMING_ADMIN_PASSWORD 创建或重置超级管理员
  reconcile-points      积分对账：核对每个账户余额 = 流水合计、每笔兑换只扣一次（不一致时退出码为 1）
  expire-points         按 POINTS_EXPIRY_MONTHS 立即执行一次积分过期（未设置时不执行）
  pglite-template       生成内嵌数据库的首次启动模板（已迁移的空库；npm run build 会自动执行）`;

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
      const every = (ms: number) => config.JOB_INTERVAL_MS ?? ms;
      const stopJobs = startJobs(
        [
          { name: 'escalate-overdue-orders', everyMs: every(30_000), run: () => app.modules.orders.escalateOverdue() },
          { name: 'remind-assignees', everyMs: every(60_000), run: () => app.modules.orders.remindDue() },
          { name: 'supervise-order-stages', everyMs: every(30_000), run: () => app.modules.orders.superviseStages() },
          { name: 'remind-order-stages', everyMs: every(60_000), run: () => app.modules.orders.remindStages() },
          // The day-before reminder of activities (each activity once, claimed with SKIP LOCKED).
          { name: 'remind-activities', everyMs: every(5 * 60_000), run: () => app.modules.activities.remindUpcoming() },
          // SMS / WeChat messages of the outbox: retries with backoff, and whatever a dead process left (docs/channels.md).
          { name: 'deliver-messages', everyMs: every(10_000), run: () => app.modules.outbox.deliverDue() },
          { name: 'roll-up-statistics', everyMs: every(60_000), run: () => app.modules.stats.refreshRollups() },
          { name: 'close-ended-bookings', everyMs: every(60_000), run: () => app.modules.resources.closeEnded() },
          // 结对帮扶: visit tasks of the next 14 days (idempotent; also once right after start, below).
          { name: 'generate-pairing-tasks', everyMs: every(15 * 60_000), run: () => app.modules.pairing.generateTasks() },
          { name: 'remind-bookings', everyMs: every(60_000), run: () => app.modules.resources.remindUpcoming() },
          { name: 'compute-evaluations', everyMs: every(900_000), run: () => app.modules.evaluation.runScheduled() },
          { name: 'purge-idempotency-keys', everyMs: every(3_600_000), run: () => purgeIdempotencyKeys(database.db, new Date(Date.now() - 24 * 3_600_000)) },
          // Optional points expiry (POINTS_EXPIRY_MONTHS > 0): hourly, at most one expiry row per account per day.
          ...(config.POINTS_EXPIRY_MONTHS > 0
            ? [{ name: 'expire-points', everyMs: every(3_600_000), run: () => app.modules.points.expire(config.POINTS_EXPIRY_MONTHS) }]
            : []),
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
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      return;
    }
    case 'migrate': {
      const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS });
      const applied = await database.session((raw) => migrate(raw, log));
      log(applied.length ? `已应用 ${applied.length} 个迁移` : '数据库已是最新');
      await database.close();
      return;
    }
    case 'seed': {
      if (arg === 'scale') {
        const flag = (name: string) => {
          const i = argv.indexOf(`--${name}`);
          return i >= 0 ? argv[i + 1] : undefined;
        };
        const city = flag('city') ?? '1401';
        const factor = Number(flag('factor') ?? config.WENMING_SCALE_FACTOR);
        if (city !== '1401' && city !== '1402') throw new Error(`--city 须为 1401（太原）或 1402（大同）\n${USAGE}`);
        if (!(factor > 0 && factor <= 4)) throw new Error(`--factor 须在 0 到 4 之间\n${USAGE}`);
        const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS });
        await database.session((raw) => migrate(raw, log));
        const admin = await ensureAdmin(database, config.WENMING_ADMIN_PHONE, config.WENMING_ADMIN_PASSWORD);
        if (admin.password) log(`超级管理员 ${config.WENMING_ADMIN_PHONE} 初始密码：${admin.password}（仅显示这一次）`);
        const { seedScale, printScaleReport } = await import('./seed/scale/index.ts');
        const { loadDataKey } = await import('./lib/pii.ts');
        const r = await seedScale(database, { city, factor, log, dataKey: loadDataKey({ dataKey: config.WENMING_DATA_KEY, dataDir: config.DATA_DIR, log }) });
        printScaleReport(r, log);
        await database.close();
        return;
      }
      if (arg !== 'demo' && arg !== 'none') throw new Error(USAGE);
      const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS });
      await database.session((raw) => migrate(raw, log));
      const admin = await ensureAdmin(database, config.WENMING_ADMIN_PHONE, config.WENMING_ADMIN_PASSWORD);
      const report = { adminCreated: admin.created, adminPhone: config.WENMING_ADMIN_PHONE, generatedPassword: admin.password } as Parameters<
        typeof printReport
      >[0];
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
      const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS });
      const { createModules } = await import('./modules/index.ts');
      const n = await createModules({ config, database }).retrainTriage();
      log(`智能研判模型已用 ${n} 条样本（语料 + 调度员修正）重新训练；服务进程在下次启动时加载修正样本`);
      await database.close();
      return;
    }
    case 'create-admin': {
      if (!config.WENMING_ADMIN_PASSWORD) throw new Error('create-admin 需要设置 WENMING_ADMIN_PASSWORD（至少8位）');
      const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS });
      await database.session((raw) => migrate(raw, log));
      await resetAdmin(database, config.WENMING_ADMIN_PHONE, config.WENMING_ADMIN_PASSWORD);
      log(`超级管理员 ${config.WENMING_ADMIN_PHONE} 已就绪`);
      await database.close();
      return;
    }
    case 'reconcile-points': {
      const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS });
      const { createModules } = await import('./modules/index.ts');
      const r = await createModules({ config, database }).points.reconcile();
      log(`积分对账：${r.totals.accounts} 个账户，${r.totals.rows} 条流水；余额合计 ${r.totals.balance}，流水合计 ${r.totals.ledger}`);
      for (const m of r.mismatches.slice(0, 50)) log(`  账户不一致 city=${m.city_code} user=${m.user_id}：余额 ${m.balance}，流水合计 ${m.ledger}`);
      for (const d of r.redemptions.slice(0, 50))
        log(`  兑换不一致 city=${d.city_code} redemption=${d.id}（${d.status}）：应扣 ${d.points}，已扣 ${d.debited}，已退 ${d.refunded}`);
      if (r.orphans) log(`  没有账户的流水：${r.orphans} 条`);
      log(r.ok ? '对账通过：每个账户余额 = 流水合计，每笔兑换只扣一次' : '对账未通过');
      await database.close();
      if (!r.ok) process.exit(1);
      return;
    }
    case 'expire-points': {
      if (config.POINTS_EXPIRY_MONTHS <= 0) {
        log('未设置 POINTS_EXPIRY_MONTHS（积分不过期），未执行');
        return;
      }
      const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS });
      await database.session((raw) => migrate(raw, log));
      const { createModules } = await import('./modules/index.ts');
      const r = await createModules({ config, database }).points.expire(config.POINTS_EXPIRY_MONTHS);
      log(`积分过期：${r.accounts} 个账户共 ${r.expired} 分到期（${r.cutoff} 之前获得的积分）`);
      await database.close();
      return;
    }
    case 'pglite-template': {
      const { makePgliteTemplate, PGLITE_TEMPLATE_DIR } = await import('./db/pglite-template.ts');
      const t0 = Date.now();
      const r = await makePgliteTemplate();
      log(
        `内嵌数据库模板已生成：${PGLITE_TEMPLATE_DIR}（${r.migrations} 个迁移，${(r.bytes / 1024 / 1024).toFixed(1)} MB，${((Date.now() - t0) / 1000).toFixed(1)} s）`,
      );
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
