import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type TestContext } from './helpers/test-app.ts';

describe.each(DATABASES)('platform on %s', (kind) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(kind, { BODY_LIMIT_BYTES: 64 * 1024 });
  });
  afterAll(() => ctx.close());

  it('answers health and readiness', async () => {
    expect((await ctx.request({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await ctx.request({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().database).toBe(kind);
  });

  it('serves an OpenAPI 3.1 document listing every route with its full path', async () => {
    const res = await ctx.request({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.1/);
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/api/v1/auth/register',
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/me',
      '/api/v1/users',
      '/api/v1/users/{id}/roles',
      '/api/v1/orgs',
      '/api/v1/orgs/{id}',
      '/api/v1/departments',
      '/api/v1/categories',
      '/api/v1/resource-types',
    ])
      expect(paths).toContain(p);
    // Request schemas come from the same zod schemas that validate.
    const register = doc.paths['/api/v1/auth/register'].post;
    expect(register.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['phone', 'password', 'name']));
  });

  it('lists the eight categories first and at least 40 resource types in five categories', async () => {
    const cats = (await ctx.request({ method: 'GET', url: '/api/v1/categories' })).json();
    expect(cats.slice(0, 8).map((c: { code: string }) => c.code)).toEqual([
      'theory',
      'culture',
      'education',
      'health',
      'science',
      'legal',
      'environment',
      'poverty',
    ]);
    expect(cats[0].name).toBe('理论政策宣讲');
    const en = (await ctx.request({ method: 'GET', url: '/api/v1/categories', headers: { 'accept-language': 'en' } })).json();
    expect(en[0].name).toBe('Theory and policy outreach');
    const types = (await ctx.request({ method: 'GET', url: '/api/v1/resource-types' })).json();
    expect(types.length).toBeGreaterThanOrEqual(40);
    expect(new Set(types.map((t: { category: string }) => t.category))).toEqual(new Set(['venue', 'base', 'facility', 'talent', 'equipment']));
    for (const name of [
      '活动室',
      '棋牌室',
      '舞蹈室',
      '翰墨室',
      '法律服务室',
      '红色影院',
      '图书馆',
      '多功能室',
      '红色记忆厅',
      '青少年科技厅',
      '农家书屋',
      '村史馆',
      '文化广场',
      '宣讲员',
      '医生',
      '律师',
      '心理咨询师',
      '音响设备',
    ])
      expect(types.map((t: { name: string }) => t.name)).toContain(name);
  });

  it('unknown routes are 404 in the error body shape', async () => {
    for (const url of ['/api/v1/nothing-here', '/api/v2/orgs', '/no-such-page.js']) {
      const res = await ctx.request({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: '记录不存在' } });
    }
    const en = await ctx.request({ method: 'DELETE', url: '/api/v1/nothing', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.json().error.message).toBe('Not found');
  });

  it('malformed JSON is 400 VALIDATION_FAILED', async () => {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: '{"phone": "1380', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('a body over the limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await ctx.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: JSON.stringify({ phone: '13812345678', password: 'x'.repeat(100_000), name: 'a' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('schema failures list field paths, in Chinese or English', async () => {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/auth/register', payload: { phone: '12345', password: 7 } });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe('请求参数不正确');
    expect(err.details.map((d: { path: string }) => d.path).sort()).toEqual(['name', 'password', 'phone']);
    expect(err.details.find((d: { path: string }) => d.path === 'phone').message).toBe('请输入11位手机号');
    expect(err.details.find((d: { path: string }) => d.path === 'password').message).toMatch(/[\u4e00-\u9fa5]/);
    const en = (await ctx.request({ method: 'POST', url: '/api/v1/auth/register', payload: { phone: '12345' }, headers: { 'accept-language': 'en' } })).json()
      .error;
    expect(en.message).toBe('The request is invalid');
    expect(en.details.find((d: { path: string }) => d.path === 'phone').message).toBe('Enter an 11-digit mainland mobile number');
    expect(en.details.find((d: { path: string }) => d.path === 'name').message).toMatch(/^Invalid input/);
  });

  it('query failures name the query field', async () => {
    const res = await ctx.request({ method: 'GET', url: '/api/v1/orgs?limit=1000', as: ctx.admin });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('query.limit');
    const cursor = await ctx.request({ method: 'GET', url: '/api/v1/orgs?cursor=bm90LWpzb24', as: ctx.admin });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().error.details[0].path).toBe('query.cursor');
  });

  it('every signed-in route refuses anonymous callers with 401', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/orgs'],
      ['POST', '/api/v1/orgs'],
      ['GET', '/api/v1/sites'],
      ['GET', '/api/v1/users'],
      ['POST', '/api/v1/departments'],
      ['GET', '/api/v1/audit-logs'],
    ] as const) {
      const res = await ctx.request({ method, url, payload: method === 'POST' ? {} : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('rate limits beyond the configured requests per minute with Retry-After', async () => {
    const limited = await createTestContext(kind, { RATE_LIMIT_PER_MINUTE: 3 });
    try {
      const codes: number[] = [];
      let last: Awaited<ReturnType<typeof limited.request>> | undefined;
      for (let i = 0; i < 5; i++) {
        last = await limited.request({ method: 'GET', url: '/api/v1/categories', remoteAddress: '10.1.2.3' });
        codes.push(last.statusCode);
      }
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      expect(last!.json().error.code).toBe('RATE_LIMITED');
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      // Another client is not affected.
      expect((await limited.request({ method: 'GET', url: '/api/v1/categories', remoteAddress: '10.9.9.9' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('serves the web app shell for client-side routes, and 404 bodies for the rest', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-web-'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>文明实践云</title>');
    const { buildApp } = await import('../src/app.ts');
    const { testConfig } = await import('../src/config.ts');
    const web = await buildApp({ config: testConfig(), database: ctx.database, webDist: dir });
    try {
      for (const [url, accept] of [
        ['/h5', '*/*'],
        ['/admin/orgs', 'text/html,application/xhtml+xml'],
        ['/', '*/*'],
      ] as const) {
        const res = await web.inject({ method: 'GET', url, headers: { accept } });
        expect(res.statusCode, url).toBe(200);
        expect(res.body).toContain('文明实践云');
      }
      expect((await web.inject({ method: 'GET', url: '/missing.js' })).json().error.code).toBe('NOT_FOUND');
      expect((await web.inject({ method: 'GET', url: '/api/v1/nothing', headers: { accept: 'text/html' } })).json().error.code).toBe('NOT_FOUND');
      expect((await web.inject({ method: 'GET', url: '/h5', headers: { accept: 'application/json' } })).statusCode).toBe(404);
    } finally {
      await web.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
