import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestContext, DATABASES, freshPhone, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, volunteer, type Tree } from './helpers/fixtures.ts';

const inMinutes = (m: number) => new Date(testNow().getTime() + m * 60_000).toISOString();

/** API.md's error body: `{ error: { code, message, details? } }`, a 4xx, never Fastify's own shape. */
function expectErrorBody(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  return body.error as { code: string; message: string; details?: { path: string; message: string }[] };
}

describe.each(DATABASES)('bad input never gets a 5xx, and action routes take no body, on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let resident: Caller;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    resident = await ctx.register('居民');
  });
  afterAll(() => ctx.close());

  const raw = (method: 'GET' | 'POST', url: string, payload: string | undefined, headers: Record<string, string>, as: Caller | null = null) =>
    ctx.request({ method, url, payload, headers, as });

  describe('a POST without a body', () => {
    const submit = async () => {
      const res = await ctx.request({
        method: 'POST',
        url: '/api/v1/orders',
        payload: { content: '楼道灯坏了，晚上看不见路', orgId: t.shifanjie },
        as: resident,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };

    it('cancels an order with no body at all, with an empty JSON body, and with {}', async () => {
      for (const [payload, headers] of [
        [undefined, {}],
        ['', { 'content-type': 'application/json' }],
        ['{}', { 'content-type': 'application/json' }],
      ] as const) {
        const id = await submit();
        const res = await raw('POST', `/api/v1/orders/${id}/cancel`, payload, headers, resident);
        expect(res.statusCode, `${JSON.stringify(headers)} ${res.body}`).toBe(200);
        expect(res.json().state).toBe('cancelled');
      }
    });

    it('accepts and starts an order, and publishes an activity, with no body', async () => {
      const v = await volunteer(ctx, t.shifanjie, { name: '无正文志愿者' });
      const id = await submit();
      expect(
        (await ctx.request({ method: 'POST', url: `/api/v1/orders/${id}/dispatch`, payload: { volunteerId: v.volunteerId }, as: ctx.admin })).statusCode,
      ).toBe(200);
      const accept = await raw('POST', `/api/v1/orders/${id}/accept`, undefined, {}, v);
      expect(accept.statusCode, accept.body).toBe(200);
      const start = await raw('POST', `/api/v1/orders/${id}/start`, '', { 'content-type': 'application/json' }, v);
      expect(start.statusCode, start.body).toBe(200);
      expect(start.json().state).toBe('in_service');

      const draft = await ctx.request({
        method: 'POST',
        url: '/api/v1/activities',
        payload: { orgId: t.shifanjie, title: '无正文发布', category: 'health', startsAt: inMinutes(600), endsAt: inMinutes(720), volunteerQuota: 2 },
        as: ctx.admin,
      });
      expect(draft.statusCode, draft.body).toBe(201);
      const publish = await raw('POST', `/api/v1/activities/${draft.json().id}/publish`, undefined, {}, ctx.admin);
      expect(publish.statusCode, publish.body).toBe(200);
      expect(publish.json().state).toBe('published');
    });

    it('a route that needs a body names the missing field instead of "received null"', async () => {
      const id = await submit();
      const err = expectErrorBody(await raw('POST', `/api/v1/orders/${id}/dispatch`, undefined, {}, ctx.admin), 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(err)).not.toMatch(/null/);
    });
  });

  describe('text the database cannot take', () => {
    it('a NUL byte or a lone surrogate in any field is a 400 naming the field (register, login, forms, query)', async () => {
      const cases: [string, Record<string, unknown>, string][] = [
        ['/api/v1/auth/register', { phone: freshPhone(), password: 'password123', name: '张\u0000三' }, 'name'],
        ['/api/v1/auth/register', { phone: freshPhone(), password: 'pass\u0000word123', name: '张三' }, 'password'],
        ['/api/v1/auth/register', { phone: freshPhone(), password: 'password123', name: '张\ud800三' }, 'name'],
        ['/api/v1/auth/register', { phone: freshPhone(), password: 'password123', name: '张\udc00三' }, 'name'],
        ['/api/v1/auth/login', { phone: '1391234\u00005678', password: 'password123' }, 'phone'],
        ['/api/v1/auth/login', { phone: freshPhone(), password: '\ud83dx' }, 'password'],
      ];
      for (const [url, body, path] of cases) {
        // JSON.stringify writes lone surrogates as \udXXX escapes, which JSON.parse turns back into them.
        const err = expectErrorBody(await raw('POST', url, JSON.stringify(body), { 'content-type': 'application/json' }), 400, 'VALIDATION_FAILED');
        expect(err.details?.map((d) => d.path)).toContain(path);
      }
      const order = await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content: '路灯\u0000坏了', orgId: t.shifanjie }, as: resident });
      expect(expectErrorBody(order, 400, 'VALIDATION_FAILED').details?.[0]?.path).toBe('content');
      expectErrorBody(await ctx.request({ method: 'GET', url: '/api/v1/orgs?q=%00', as: ctx.admin }), 400, 'VALIDATION_FAILED');
      // A surrogate's UTF-8 bytes in a URL decode to U+FFFD, which is fine text.
      expect((await ctx.request({ method: 'GET', url: '/api/v1/contents?q=%ED%A0%80' })).statusCode).toBe(200);
      // A well-formed pair (an emoji) is fine.
      expect(
        (await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content: '路灯坏了 😀', orgId: t.shifanjie }, as: resident })).statusCode,
      ).toBe(201);
    });

    it('searching for nothing but punctuation, a stop word or an emoji lists the newest, not a 500', async () => {
      for (const q of ['!', '的', '😀', '   ', '%', '_']) {
        const res = await ctx.request({ method: 'GET', url: `/api/v1/contents?q=${encodeURIComponent(q)}` });
        expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
        expect(res.json()).toHaveProperty('items');
      }
    });
  });

  describe('malformed requests', () => {
    it('multipart without a boundary, with an empty or wrong one, or cut short is a 400', async () => {
      for (const url of ['/api/v1/uploads', '/api/v1/volunteers/import']) {
        for (const [ct, body] of [
          ['multipart/form-data', 'garbage'],
          ['multipart/form-data; boundary=', '--\r\nfoo'],
          ['multipart/form-data; boundary=xyz', 'garbage--xyz\r\nfoo'],
          ['multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc'],
          ['multipart/form-data; boundary=xyz', '--xyz\r\nbroken header line\r\n\r\nabc\r\n--xyz--\r\n'],
        ] as const) {
          const res = await raw('POST', url, body, { 'content-type': ct }, ctx.admin);
          expect(res.statusCode, `${url} ${ct} ${JSON.stringify(body)}: ${res.body}`).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, res.body).toBeLessThan(500);
          expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
        }
      }
    });

    it('a path parameter over 100 characters gets the API error body, not Fastify’s 414', async () => {
      for (const url of [`/api/v1/orders/${'a'.repeat(120)}`, `/api/v1/activities/${'9'.repeat(500)}/publish`]) {
        const res = await ctx.request({ method: url.endsWith('publish') ? 'POST' : 'GET', url, as: resident });
        const err = expectErrorBody(res, 400, 'VALIDATION_FAILED');
        expect(res.body).not.toContain('FST_ERR');
        expect(res.body).not.toContain('aaaaaaaaaa');
        expect(err.details?.[0]?.path).toBe('params');
      }
      const en = await ctx.request({ method: 'GET', url: `/api/v1/orders/${'a'.repeat(120)}`, headers: { 'accept-language': 'en' }, as: resident });
      expect(en.json().error.details[0].message).toBe('A path parameter is too long');
    });

    it('an empty JSON body where fields are required, and malformed JSON, are 400s', async () => {
      expectErrorBody(await raw('POST', '/api/v1/auth/login', '', { 'content-type': 'application/json' }), 400, 'VALIDATION_FAILED');
      expectErrorBody(await raw('POST', '/api/v1/auth/login', '{"phone":', { 'content-type': 'application/json' }), 400, 'VALIDATION_FAILED');
      expectErrorBody(await raw('POST', '/api/v1/auth/login', '{"__proto__":{"x":1}}', { 'content-type': 'application/json' }), 400, 'VALIDATION_FAILED');
    });
  });
});
