import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type TestContext } from './helpers/test-app.ts';

/** 长辈模式 is kept with the account (issue 19): chosen on one phone, found on the next sign-in anywhere. */
describe.each(DATABASES)('长辈模式 on the account on %s', (kind) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(kind);
  });
  afterAll(() => ctx.close());

  it('is off by default, kept by PATCH /me, and found again by a new session', async () => {
    const u = await ctx.register('李大爷');
    const first = await ctx.login(u.phone, 'password123');
    expect((await ctx.request({ method: 'GET', url: '/api/v1/me', as: first })).json().elderMode).toBe(false);
    const on = await ctx.request({ method: 'PATCH', url: '/api/v1/me', payload: { elderMode: true }, as: first });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json()).toMatchObject({ elderMode: true, name: '李大爷' });
    // Another phone: a new sign-in finds it on.
    const second = await ctx.login(u.phone, 'password123');
    expect((await ctx.request({ method: 'GET', url: '/api/v1/me', as: second })).json().elderMode).toBe(true);
    // Changing the name leaves it as it is; turning it off is kept too.
    expect((await ctx.request({ method: 'PATCH', url: '/api/v1/me', payload: { name: '李建国' }, as: second })).json().elderMode).toBe(true);
    expect((await ctx.request({ method: 'PATCH', url: '/api/v1/me', payload: { elderMode: false }, as: second })).json().elderMode).toBe(false);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/me', as: first })).json().elderMode).toBe(false);
  });

  it('refuses anything but a boolean, and anonymous callers', async () => {
    const u = await ctx.register('王秀兰');
    const bad = await ctx.request({ method: 'PATCH', url: '/api/v1/me', payload: { elderMode: 'yes' }, as: u });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect((await ctx.request({ method: 'PATCH', url: '/api/v1/me', payload: { elderMode: true }, as: null })).statusCode).toBe(401);
  });
});
