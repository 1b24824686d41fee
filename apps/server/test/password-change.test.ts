import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PHONE, createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { resetAdmin } from '../src/seed/seed.ts';

/** Issue 15, item 11: POST /auth/password, and every password reset ends the user's sessions. */
describe.each(DATABASES)('changing and resetting passwords on %s', (kind) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(kind);
  });
  afterAll(() => ctx.close());

  const me = (as: Caller) => ctx.request({ method: 'GET', url: '/api/v1/me', as });
  const change = (as: Caller | null, payload?: object) => ctx.request({ method: 'POST', url: '/api/v1/auth/password', as, payload });

  it('needs the current password; then ends every other session of the user and keeps the caller’s', async () => {
    const user = await ctx.register('改密码的人');
    const phone2 = await ctx.login(user.phone, 'password123');
    const laptop = await ctx.login(user.phone, 'password123');
    const other = await ctx.register('旁人');

    expect((await change(null, { oldPassword: 'password123', newPassword: 'new-password-1' })).statusCode).toBe(401);
    const missing = await change(user, { newPassword: 'new-password-1' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].path).toBe('oldPassword');
    const wrong = await change(user, { oldPassword: 'not-my-password', newPassword: 'new-password-1' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('RULE_VIOLATION');
    expect((await change(user, { oldPassword: 'password123', newPassword: 'short' })).statusCode).toBe(400);
    expect((await change(user)).statusCode).toBe(400);

    const ok = await change(user, { oldPassword: 'password123', newPassword: 'new-password-1' });
    expect(ok.statusCode, ok.body).toBe(204);
    expect((await me(user)).statusCode).toBe(200);
    expect((await me(phone2)).statusCode).toBe(401);
    expect((await me(laptop)).statusCode).toBe(401);
    expect((await me(other)).statusCode).toBe(200);

    const oldLogin = await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone: user.phone, password: 'password123' } });
    expect(oldLogin.statusCode).toBe(401);
    await ctx.login(user.phone, 'new-password-1');
  });

  it('wrong current passwords count against the sign-in throttle (a stolen session cannot guess it)', async () => {
    const user = await ctx.register('被盗会话');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await change(user, { oldPassword: `guess-${i}-xx`, newPassword: 'attacker-pass-1' })).statusCode);
    expect(statuses.slice(0, 5)).toEqual([422, 422, 422, 422, 422]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('a cookie session must pass CSRF to change the password', async () => {
    const user = await ctx.register('用 Cookie 的人');
    const login = await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone: user.phone, password: 'password123' } });
    const sid = login.cookies.find((c) => c.name === 'sid')!.value;
    const csrf = login.cookies.find((c) => c.name === 'csrf')!.value;
    const body = { oldPassword: 'password123', newPassword: 'cookie-pass-123' };
    const noToken = await ctx.request({ method: 'POST', url: '/api/v1/auth/password', cookies: { sid, csrf }, payload: body });
    expect(noToken.statusCode).toBe(403);
    const withToken = await ctx.request({
      method: 'POST',
      url: '/api/v1/auth/password',
      cookies: { sid, csrf },
      headers: { 'x-csrf-token': csrf },
      payload: body,
    });
    expect(withToken.statusCode).toBe(204);
    // The cookie session that changed it stays; the bearer session from registration is gone.
    expect((await ctx.request({ method: 'GET', url: '/api/v1/me', cookies: { sid } })).statusCode).toBe(200);
    expect((await me(user)).statusCode).toBe(401);
  });

  it('`wenming create-admin` (resetAdmin) ends every session of the admin', async () => {
    const before = await ctx.login(ADMIN_PHONE, 'admin-pass-123');
    expect((await me(before)).statusCode).toBe(200);
    await resetAdmin(ctx.database, ADMIN_PHONE, 'reset-admin-pass-1');
    expect((await me(before)).statusCode).toBe(401);
    expect((await me(ctx.admin)).statusCode).toBe(401);
    await ctx.login(ADMIN_PHONE, 'reset-admin-pass-1');
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await ctx.request({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const op = doc.paths['/api/v1/auth/password'].post;
    expect(op.requestBody.content['application/json'].schema.required).toEqual(['newPassword']);
    expect(op.security).toBeTruthy();
  });
});
