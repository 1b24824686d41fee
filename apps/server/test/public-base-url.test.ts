import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createTestContext, DATABASES, type TestContext } from './helpers/test-app.ts';

/** Issue 17: PUBLIC_BASE_URL is the address of every QR code and link sent out; without it, the request's own origin. */
describe('PUBLIC_BASE_URL setting', () => {
  it('takes an http(s) address, without its trailing slash', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://wm.taiyuan.gov.cn/' }).PUBLIC_BASE_URL).toBe('https://wm.taiyuan.gov.cn');
    expect(loadConfig({}).PUBLIC_BASE_URL).toBeUndefined();
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'wm.taiyuan.gov.cn' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'ftp://wm.taiyuan.gov.cn' })).toThrow(ConfigError);
  });
});

describe.each(DATABASES)('GET /public-config on %s', (kind) => {
  let set: TestContext;
  let unset: TestContext;
  beforeAll(async () => {
    set = await createTestContext(kind, { PUBLIC_BASE_URL: 'https://wm.taiyuan.gov.cn' });
    unset = await createTestContext(kind);
  });
  afterAll(async () => {
    await set.close();
    await unset.close();
  });

  it('answers the setting to anyone, signed in or not', async () => {
    const res = await set.request({ method: 'GET', url: '/api/v1/public-config', headers: { host: '10.0.0.8:3000' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ publicBaseUrl: 'https://wm.taiyuan.gov.cn' });
  });

  it('without the setting, the request’s own origin', async () => {
    const res = await unset.request({ method: 'GET', url: '/api/v1/public-config', headers: { host: '10.0.0.8:3000' } });
    expect(res.json()).toEqual({ publicBaseUrl: 'http://10.0.0.8:3000' });
  });
});
