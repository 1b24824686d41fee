import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { DATABASES, freshDatabase } from './helpers/test-app.ts';
import { queryName, redactQuery, safeErr, safeReq } from '../src/lib/log-safe.ts';
import { loggingChannel } from '../src/lib/channels.ts';
import { users } from '../src/db/schema.ts';
import { newId } from '../src/lib/ids.ts';

/** Issue 15, item 10: no personal data in the logs. */
describe.each(DATABASES)('what a failed query logs on %s', (kind) => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterAll(() => database.drop());

  const caught = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e;
    }
    throw new Error('the query did not fail');
  };

  it('the SQLSTATE, constraint and query name, never the bound parameters or the values PostgreSQL quotes', async () => {
    const phone = '13812345678';
    const hash = 'scrypt$32768$8$1$c2VjcmV0LXNhbHQ=$c2VjcmV0LWhhc2g=';
    await database.db.insert(users).values({ id: newId(), phone, name: '张三', passwordHash: hash });
    const duplicate = await caught(database.db.insert(users).values({ id: newId(), phone, name: '张三', passwordHash: hash }));
    const badUuid = await caught(database.db.execute(sql`SELECT * FROM users WHERE phone = ${phone} AND id = ${'not-a-uuid-张三'}::uuid`));
    for (const [err, sqlState, query] of [
      [duplicate, '23505', 'insert users'],
      [badUuid, '22P02', 'select users'],
    ] as const) {
      // What the raw error would have put in the log:
      expect(JSON.stringify({ message: (err as Error).message, cause: String((err as Error).cause) })).toMatch(/13812345678|not-a-uuid/);
      const logged = JSON.stringify(safeErr(err));
      expect(logged).not.toContain(phone);
      expect(logged).not.toContain('张三');
      expect(logged).not.toContain('not-a-uuid');
      expect(logged).not.toContain('c2VjcmV0');
      expect(safeErr(err)).toMatchObject({ sqlState, query });
    }
    expect(safeErr(duplicate).constraint).toBeTruthy();
  });
});

describe('request and channel log lines', () => {
  it('request URLs keep the parameter names, not their values', () => {
    expect(redactQuery('/api/v1/volunteers?q=13812345678&limit=50')).toBe('/api/v1/volunteers?q=…&limit=…');
    expect(redactQuery('/api/v1/orders/abc')).toBe('/api/v1/orders/abc');
    const req = {
      method: 'GET',
      url: '/api/v1/users?q=%E5%BC%A0%E4%B8%89',
      host: 'x',
      ip: '127.0.0.1',
      socket: { remotePort: 1 },
    } as unknown as FastifyRequest;
    expect(safeReq(req)).toEqual({ method: 'GET', url: '/api/v1/users?q=…', host: 'x', remoteAddress: '127.0.0.1', remotePort: 1 });
  });

  it('other errors keep their message and stack', () => {
    const e = safeErr(new TypeError('boom'));
    expect(e).toMatchObject({ type: 'TypeError', message: 'boom' });
    expect(e.stack).toContain('boom');
    expect(queryName('update "orders" set "state" = $1')).toBe('update orders');
  });

  it('an unconfigured SMS/WeChat channel logs the kind and title, not what the resident wrote', async () => {
    const lines: string[] = [];
    const sms = loggingChannel('sms', (l) => lines.push(l));
    await sms.send({ phone: '13812345678', kind: 'order.dispatched', title: '新派单 D2612070004，请及时接单', body: '我家住3号楼2单元，老人患糖尿病需要上门' });
    expect(lines).toEqual(['[sms:未配置，仅记录] 138****5678 order.dispatched 新派单 D2612070004，请及时接单']);
  });
});
