import { seedDemoHistory } from './demo-history.ts';
import crypto from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.ts';
import { REFERENCE_TABLES } from '../db/table-kinds.ts';
import { createAuditRepository } from '../modules/audit/index.ts';
import { departments, orgs, roleGrants, sessions, userCities, users } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { hashPassword } from '../lib/password.ts';
import { buildDemoOrgs, type SeedOrg } from './demo-orgs.ts';
import { seedDemoLoop } from './demo-loop.ts';
import { seedDemoPairing } from './demo-pairing.ts';
import { seedDemoResources } from './demo-resources.ts';
import { seedDemoContent } from './demo-content.ts';
import { seedDemoUpcoming } from './demo-upcoming.ts';
import type { Config } from '../config.ts';

export interface SeedReport {
  adminCreated: boolean;
  adminPhone: string;
  /** Set when a password was generated (nothing was given): print it once. */
  generatedPassword?: string;
  demo?: { orgs: number; password?: string; accounts: { phone: string; name: string; role: string }[] };
}

/** Creates the super admin when no user with that phone exists; never changes an existing one. */
export async function ensureAdmin(database: Database, phone: string, password: string | undefined): Promise<{ created: boolean; password?: string }> {
  const [existing] = await database.db.select({ id: users.id }).from(users).where(eq(users.phone, phone));
  if (existing) return { created: false };
  const pw = password ?? generatePassword();
  const inserted = await database.db
    .insert(users)
    .values({ id: newId(), phone, name: '超级管理员', passwordHash: await hashPassword(pw), isAdmin: true })
    .onConflictDoNothing()
    .returning();
  return { created: inserted.length > 0, password: password ? undefined : pw };
}

/**
 * Makes the admin's password what is given now (CLI `create-admin`), and ends every session the
 * account had: a reset is often done because the old password leaked.
 */
export async function resetAdmin(database: Database, phone: string, password: string, name = '超级管理员') {
  const hash = await hashPassword(password);
  await database.db.transaction(async (tx) => {
    const [admin] = await tx
      .insert(users)
      .values({ id: newId(), phone, name, passwordHash: hash, isAdmin: true })
      .onConflictDoUpdate({ target: users.phone, set: { passwordHash: hash, isAdmin: true, status: 'active', updatedAt: new Date() } })
      .returning({ id: users.id });
    await tx.delete(sessions).where(eq(sessions.userId, admin!.id));
  });
}

export function generatePassword(): string {
  return `wm-${crypto.randomBytes(9).toString('base64url')}`;
}

const DEMO_ACCOUNTS = [
  { phone: '13900000001', name: '王建华', role: 'org_admin', orgRegion: '140105', label: '小店区中心管理员' },
  { phone: '13900000002', name: '刘晓燕', role: 'dispatcher', orgRegion: '140105', label: '小店区中心调度员' },
  { phone: '13900000003', name: '赵文杰', role: 'org_admin', orgRegion: '140109011', label: '小井峪街道实践所管理员' },
  { phone: '13900000004', name: '张丽萍', role: 'org_admin', orgRegion: '140213', label: '平城区中心管理员' },
  { phone: '13900000005', name: '陈志强', role: 'dept_officer', orgRegion: '140105', dept: '小店区住房和城乡建设局', label: '小店区住建局专员' },
  { phone: '13900000010', name: '李大爷', role: 'resident', orgRegion: '140105006004', label: '小店区永康北路社区居民' },
  // Staffed desks at every level an overdue order escalates to: each demo district's center and each city.
  { phone: '13900000011', name: '郭海燕', role: 'dispatcher', orgRegion: '1401', label: '太原市文明实践中心调度员' },
  { phone: '13900000012', name: '贾俊峰', role: 'dispatcher', orgRegion: '1402', label: '大同市文明实践中心调度员' },
  { phone: '13900000013', name: '任红梅', role: 'dispatcher', orgRegion: '140108', label: '尖草坪区中心调度员' },
  { phone: '13900000014', name: '田立新', role: 'dispatcher', orgRegion: '140109', label: '万柏林区中心调度员' },
  { phone: '13900000015', name: '范春燕', role: 'dispatcher', orgRegion: '140110', label: '晋源区中心调度员' },
  { phone: '13900000016', name: '孙桂兰', role: 'resident', orgRegion: '140110003002', label: '晋源区新城社区居民' },
] as const;

const DEMO_DEPARTMENTS: { orgRegion: string; names: string[] }[] = [
  { orgRegion: '1401', names: ['太原市信访局', '太原市民政局'] },
  { orgRegion: '140105', names: ['小店区住房和城乡建设局', '小店区民政局', '小店区城市管理局', '小店区卫生健康局'] },
  { orgRegion: '140110', names: ['晋源区民政局'] },
  { orgRegion: '1402', names: ['大同市信访局'] },
  { orgRegion: '140213', names: ['平城区城市管理局', '平城区民政局'] },
];

/** The districts the demo's named sites, teams and accounts live in (小店, 尖草坪, 万柏林, 晋源; 平城). */
export const DEMO_DISTRICTS = ['140105', '140108', '140109', '140110', '140213'];

/** How much of the demo to write: all of it by default; tests take a smaller slice of the same data. */
export interface DemoSize {
  /** Only these districts' institutes, stations and points (every city and center stays). */
  districts?: string[];
  /** Days of backdated history (default 365). */
  historyDays?: number;
  /** The clock the demo's days around now are dated from (activities of the last ten days and the coming two weeks). */
  now?: () => Date;
}

/** The demo org tree, whole or cut to some districts (parents always precede children). */
export function demoTree(districts?: string[]): SeedOrg[] {
  const rows = buildDemoOrgs();
  if (!districts) return rows;
  const keep = new Set(districts);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const districtOf = (r: SeedOrg): string | null => {
    let o: SeedOrg | undefined = r;
    while (o && o.level !== 'center') o = o.parentId ? byId.get(o.parentId) : undefined;
    return o?.regionCode ?? null;
  };
  return rows.filter((r) => r.level === 'city' || r.level === 'center' || keep.has(districtOf(r) ?? ''));
}

/** What the demo seed has left in the database (its markers in audit_logs, written as the system). */
export type DemoSeedState = 'none' | 'started' | 'finished';

const DEMO_MARK = { entityType: 'seed', entityId: 'demo' } as const;
/** Session lock key of the demo seed: one process seeds (or repairs) at a time. */
const DEMO_SEED_LOCK = 4_711_019;

export async function demoSeedState(database: Database): Promise<DemoSeedState> {
  const rows = await database.raw.query<{ action: string }>('SELECT action FROM audit_logs WHERE entity_type = $1 AND entity_id = $2', [
    DEMO_MARK.entityType,
    DEMO_MARK.entityId,
  ]);
  const actions = new Set(rows.map((r) => r.action));
  return actions.has('seed.demo.finish') ? 'finished' : actions.has('seed.demo.start') ? 'started' : 'none';
}

const markDemo = (action: 'seed.demo.start' | 'seed.demo.finish', tx: Executor) =>
  createAuditRepository(tx).record({ actor: null, ip: '127.0.0.1', requestId: 'seed' }, { cityCode: null, action, ...DEMO_MARK });

/**
 * Removes what an interrupted demo seed wrote: every table but the fixed catalogues, the
 * migrations and the audit log is emptied, and every account but the super admins is deleted.
 */
async function clearUnfinishedDemo(database: Database, log: (m: string) => void) {
  const keep = new Set([...REFERENCE_TABLES, 'schema_migrations', 'audit_logs', 'users']);
  const tables = (await database.raw.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"))
    .map((t) => t.name)
    .filter((t) => !keep.has(t));
  log(`上次写入演示数据时中断：清除不完整的演示数据（${tables.length} 张表）后重新写入`);
  await database.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')}`));
    await tx.execute(sql`DELETE FROM users WHERE NOT is_admin`);
  });
}

/**
 * The demo data: the org tree of Taiyuan and Datong from real divisions, departments, and
 * a few staff and resident accounts, then (with `config`) the life of the demo city.
 *
 * All or nothing across restarts: the org tree's transaction also writes a start marker, and the
 * last part a finish marker. A start found without its finish (the first start was killed
 * mid-seed) clears what was written and seeds again; orgs without any marker (data of a seed
 * before the markers, `seed scale`, or sites made by hand) are never touched. Returns null when
 * there is nothing to do.
 */
export async function seedDemo(
  database: Database,
  password: string,
  log: (m: string) => void = () => {},
  config?: Config,
  size: DemoSize = {},
  /** Called once it is decided that the demo will be written, before anything is: print its credentials here. */
  beforeWriting: () => void = () => {},
): Promise<SeedReport['demo'] | null> {
  return database.session(async (lock) => {
    await lock.query('SELECT pg_advisory_lock($1)', [DEMO_SEED_LOCK]);
    try {
      const state = await demoSeedState(database);
      const [{ n } = { n: 0 }] = await database.db.select({ n: count() }).from(orgs);
      if (state === 'finished' || (state === 'none' && Number(n) > 0)) return null;
      beforeWriting();
      if (state === 'started') await clearUnfinishedDemo(database, log);
      return await writeDemo(database, password, log, config, size);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [DEMO_SEED_LOCK]);
    }
  });
}

async function writeDemo(database: Database, password: string, log: (m: string) => void, config: Config | undefined, size: DemoSize) {
  const rows = demoTree(size.districts);
  const byRegion = new Map(rows.filter((r) => r.regionCode).map((r) => [r.regionCode!, r]));
  const passwordHash = await hashPassword(password);
  await database.db.transaction(async (tx) => {
    await markDemo('seed.demo.start', tx);
    const CHUNK = 500;
    for (let i = 0; i < rows.length; i += CHUNK) {
      await tx.insert(orgs).values(rows.slice(i, i + CHUNK));
      log(`演示阵地 ${Math.min(i + CHUNK, rows.length)}/${rows.length}`);
    }
    const deptIds = new Map<string, { id: string; cityCode: string; orgId: string }>();
    for (const d of DEMO_DEPARTMENTS) {
      const org = byRegion.get(d.orgRegion);
      if (!org) continue;
      for (const name of d.names) {
        const id = newId();
        await tx.insert(departments).values({ cityCode: org.cityCode, id, orgId: org.id, name });
        deptIds.set(name, { id, cityCode: org.cityCode, orgId: org.id });
      }
    }
    for (const a of DEMO_ACCOUNTS) {
      const userId = newId();
      // A resident's community is part of the account (the phone, the banner and the orders agree).
      const home = a.role === 'resident' ? byRegion.get(a.orgRegion) : undefined;
      const inserted = await tx
        .insert(users)
        .values({ id: userId, phone: a.phone, name: a.name, passwordHash, ...(home ? { homeCityCode: home.cityCode, homeOrgId: home.id } : {}) })
        .onConflictDoNothing()
        .returning();
      if (!inserted.length || a.role === 'resident') continue;
      const cityCode = a.role === 'dept_officer' ? deptIds.get(a.dept)!.cityCode : byRegion.get(a.orgRegion)!.cityCode;
      await tx.insert(userCities).values({ userId, cityCode }).onConflictDoNothing();
      if (a.role === 'dept_officer') {
        const d = deptIds.get(a.dept)!;
        await tx.insert(roleGrants).values({ cityCode: d.cityCode, id: newId(), userId, role: 'dept_officer', orgId: d.orgId, departmentId: d.id });
      } else {
        const org = byRegion.get(a.orgRegion);
        if (!org) continue; // a slice of the demo without this district
        await tx.insert(roleGrants).values({ cityCode: org.cityCode, id: newId(), userId, role: a.role, orgId: org.id });
      }
    }
  });
  const accounts: { phone: string; name: string; role: string }[] = DEMO_ACCOUNTS.map((a) => ({ phone: a.phone, name: a.name, role: a.label }));
  if (config) {
    await seedDemoLoop(database, config, passwordHash, log);
    await seedDemoPairing(database, config, log);
    await seedDemoResources(database, config, log);
    await seedDemoContent(database, config, log);
    await seedDemoHistory(database, log, size.historyDays);
    await seedDemoUpcoming(database, config, log, { now: size.now });
    accounts.push(
      { phone: '13900000006', name: '周志刚', role: '小店街道医疗健身志愿服务队队长' },
      { phone: '13900000007', name: '吴丽娟', role: '志愿者（永康北路社区）' },
    );
  }
  await markDemo('seed.demo.finish', database.db);
  return { orgs: rows.length, accounts };
}
