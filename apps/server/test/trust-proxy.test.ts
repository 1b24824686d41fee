import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './helpers/test-app.ts';
import { ConfigError, loadConfig } from '../src/config.ts';

/**
 * Issue 15, item 7: X-Forwarded-For is believed only from configured proxies (TRUST_PROXY), and a
 * signed-in caller's rate limit is keyed on the user, not on the spelling of the header.
 * Rate limits are per process and in memory, so PGlite alone proves the HTTP behaviour.
 */
describe('client address and rate-limit keys', () => {
  let direct: TestContext;
  let proxied: TestContext;
  let signedIn: TestContext;
  beforeAll(async () => {
    signedIn = await createTestContext('pglite', { RATE_LIMIT_PER_MINUTE: 5 });
    direct = await createTestContext('pglite', { RATE_LIMIT_PER_MINUTE: 5 });
    proxied = await createTestContext('pglite', { RATE_LIMIT_PER_MINUTE: 5, TRUST_PROXY: 1 });
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
    await signedIn.close();
  });

  const categories = (ctx: TestContext, headers: Record<string, string>) => ctx.request({ method: 'GET', url: '/api/v1/categories', headers });

  it('by default a client cannot pick its own address with X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await categories(direct, { 'x-forwarded-for': `203.0.113.${i}` })).statusCode);
    // One bucket for all of them (the admin's sign-in at set-up used one request of it too).
    expect(statuses.filter((x) => x === 200).length).toBeLessThanOrEqual(5);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const limited = await categories(direct, { 'x-forwarded-for': '198.51.100.7' });
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('behind one trusted proxy (TRUST_PROXY=1) each forwarded client has its own bucket, and only the nearest hop counts', async () => {
    for (let i = 0; i < 8; i++) expect((await categories(proxied, { 'x-forwarded-for': `203.0.113.${i}` })).statusCode).toBe(200);
    // A client that prepends its own X-Forwarded-For entries is still known by the address the proxy saw.
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await categories(proxied, { 'x-forwarded-for': `10.9.9.${i}, 198.51.100.9` })).statusCode);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });

  it('a signed-in user is one bucket, whatever the spelling of the header or the number of sessions', async () => {
    const user = await signedIn.register('限流测试');
    const second = await signedIn.login(user.phone, 'password123');
    const spellings = [`Bearer ${user.token}`, `bearer ${user.token}`, `BEARER   ${user.token}`, `Bearer ${second.token}`, `bEaReR ${second.token}`];
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await signedIn.request({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: spellings[i % spellings.length]!, 'x-forwarded-for': `192.0.2.${i}` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Another user is not held back by the first one's bucket.
    const other = await signedIn.register('另一个用户');
    expect((await signedIn.request({ method: 'GET', url: '/api/v1/me', as: other })).statusCode).toBe(200);
  });

  it('TRUST_PROXY takes a hop count or addresses, and nothing else', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,loopback' }).TRUST_PROXY).toEqual(['127.0.0.1', '10.0.0.0/8', 'loopback']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: 'any proxy' })).toThrow(ConfigError);
  });
});
