import crypto from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { testConfig, type Config } from '../../src/config.ts';
import { openPglite, openPostgres, type Database } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { resetAdmin } from '../../src/seed/seed.ts';
import { withDatabase } from './global-setup.ts';
import type { Channel } from '../../src/lib/channels.ts';
import type { SmsSender } from '../../src/lib/sms/sms.ts';
import { testNow } from './clock.ts';

export const ADMIN_PHONE = '13800000000';
export const ADMIN_PASSWORD = 'admin-pass-123';

/**
 * Which databases integration tests run on: PGlite always, PostgreSQL when TEST_DATABASE_URL is
 * set; TEST_PGLITE=0 leaves PGlite out (CI's Citus stage, which follows a run that had it).
 */
export const DATABASES: ('pglite' | 'postgres')[] = process.env.TEST_DATABASE_URL
  ? process.env.TEST_PGLITE === '0'
    ? ['postgres']
    : ['pglite', 'postgres']
  : ['pglite'];

/** A fresh, migrated, isolated database of the given kind. */
export async function freshDatabase(kind: 'pglite' | 'postgres'): Promise<Database & { drop(): Promise<void>; url?: string }> {
  if (kind === 'pglite') {
    const database = await openPglite(undefined);
    await migrate(database.raw);
    return { ...database, drop: () => database.close() };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const name = `wm_t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  // On Citus, the same copy on every worker first, then on the coordinator (global-setup.ts).
  const nodes = [...inject('citusWorkers'), url];
  for (const node of nodes) await onAdmin(node, `CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
  const database = openPostgres(withDatabase(url, name), 12);
  return {
    ...database,
    url: withDatabase(url, name),
    drop: async () => {
      await database.close();
      for (const node of [...nodes].reverse()) await dropDatabase(node, name);
    },
  };
}

/**
 * DROP … WITH (FORCE) ends the database's sessions, but on Citus the maintenance daemon (a
 * background worker, not a session) may connect again between the ending and the drop, which then
 * fails with 55006 "being accessed by other users": try again a few times.
 */
async function dropDatabase(url: string, name: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await onAdmin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== '55006' || attempt >= 20) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function onAdmin(url: string, statement: string) {
  const c = new pg.Client({ connectionString: url });
  c.on('notice', () => {});
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

export interface Caller {
  token: string;
  userId: string;
}

export interface TestContext {
  kind: 'pglite' | 'postgres';
  app: FastifyInstance;
  database: Database & { url?: string };
  admin: Caller;
  request(opts: InjectOptions & { as?: Caller | null }): Promise<LightMyRequestResponse>;
  /** Registers a user with a fresh phone and returns their bearer token. */
  register(name?: string): Promise<Caller & { phone: string }>;
  login(phone: string, password: string): Promise<Caller>;
  close(): Promise<void>;
}

let phoneCounter = 0;
export function freshPhone(): string {
  phoneCounter++;
  return `139${String(process.pid % 10000).padStart(4, '0')}${String(phoneCounter).padStart(4, '0')}`;
}

export async function createTestContext(
  kind: 'pglite' | 'postgres',
  overrides: Partial<Config> = {},
  opts: { channels?: Channel[]; clock?: () => Date; sms?: SmsSender } = {},
): Promise<TestContext> {
  const database = await freshDatabase(kind);
  const config = testConfig({ WENMING_SEED: 'none', ...overrides });
  await resetAdmin(database, ADMIN_PHONE, ADMIN_PASSWORD);
  const app = await buildApp({ config, database, webDist: null, channels: opts.channels, sms: opts.sms, clock: opts.clock ?? testNow });
  await app.ready();

  const request: TestContext['request'] = (opts) => {
    const { as, ...rest } = opts;
    const headers = { ...(rest.headers ?? {}) } as Record<string, string>;
    if (as) headers.authorization = `Bearer ${as.token}`;
    return app.inject({ ...rest, headers });
  };
  const login = async (phone: string, password: string): Promise<Caller> => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { phone, password } });
    if (res.statusCode !== 200) throw new Error(`login ${phone} failed: ${res.statusCode} ${res.body}`);
    const body = res.json();
    return { token: body.token, userId: body.user.id };
  };
  const admin = await login(ADMIN_PHONE, ADMIN_PASSWORD);
  return {
    kind,
    app,
    database,
    admin,
    request,
    login,
    async register(name = '测试用户') {
      const phone = freshPhone();
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { phone, password: 'password123', name } });
      if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
      const body = res.json();
      return { token: body.token, userId: body.user.id, phone };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
