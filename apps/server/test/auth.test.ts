import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNow } from './helpers/clock.ts';
import { ADMIN_PHONE, createTestContext, DATABASES, freshPhone, type TestContext } from './helpers/test-app.ts';

function cookiesOf(res: { headers: Record<string, unknown> }): Record<string, string> {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw as string] : [];
  return Object.fromEntries(list.map((c: string) => c.split(';')[0]!.split('=') as [string, string]));
}

describe.each(DATABASES)('auth on %s', (kind) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(kind);
  });
  afterAll(() => ctx.close());

  it('registers with a mobile number and returns the user and a token', async () => {
    const phone = freshPhone();
    const res = await ctx.request({ method: 'POST', url: '/api/v1/auth/register', payload: { phone, password: 'password123', name: '张大妈' } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user).toMatchObject({ name: '张大妈', phone, roles: [] });
    expect(typeof body.token).toBe('string');
    const me = await ctx.request({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${body.token}` } });
    expect(me.json()).toMatchObject({ id: body.user.id, phone, name: '张大妈', roles: [] });
    // The password is stored hashed with a memory-hard KDF.
    const [row] = await ctx.database.raw.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE phone = $1', [phone]);
    expect(row!.password_hash).toMatch(/^scrypt\$16384\$8\$5\$/);
  });

  it('refuses a phone that is already registered with 409 DUPLICATE', async () => {
    const phone = freshPhone();
    await ctx.request({ method: 'POST', url: '/api/v1/auth/register', payload: { phone, password: 'password123', name: 'a' } });
    const again = await ctx.request({ method: 'POST', url: '/api/v1/auth/register', payload: { phone, password: 'otherpass1', name: 'b' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toEqual({ code: 'DUPLICATE', message: '该手机号已注册' });
  });

  it('refuses concurrent registrations of one phone but one', async () => {
    const phone = freshPhone();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        ctx.request({ method: 'POST', url: '/api/v1/auth/register', payload: { phone, password: 'password123', name: `n${i}` } }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('validates registration input', async () => {
    for (const payload of [
      {},
      { phone: '1381234567', password: 'password123', name: 'a' },
      { phone: '13812345678', password: 'short', name: 'a' },
      { phone: '13812345678', password: 'password123', name: '' },
      { phone: 13812345678, password: 'password123', name: 'a' },
      { phone: '13812345678', password: 'password123', name: 'x'.repeat(51) },
    ]) {
      const res = await ctx.request({ method: 'POST', url: '/api/v1/auth/register', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('logs in with bearer token and cookie; the failure message is the same whether the phone exists or not', async () => {
    const user = await ctx.register('王阿姨');
    const ok = await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone: user.phone, password: 'password123' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.name).toBe('王阿姨');
    const cookies = cookiesOf(ok);
    expect(cookies.sid).toBeTruthy();
    expect(cookies.csrf).toBeTruthy();
    expect(String(ok.headers['set-cookie'])).toMatch(/sid=[^;]+;.*HttpOnly/i);
    expect(String(ok.headers['set-cookie'])).toMatch(/SameSite=Lax/i);

    const wrongPw = await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone: user.phone, password: 'wrong-password' } });
    const noUser = await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone: freshPhone(), password: 'wrong-password' } });
    expect(wrongPw.statusCode).toBe(401);
    expect(noUser.statusCode).toBe(401);
    expect(wrongPw.json()).toEqual(noUser.json());
    expect(wrongPw.json().error).toEqual({ code: 'UNAUTHENTICATED', message: '手机号或密码错误' });
  });

  it('throttles after 5 failures per phone in 15 minutes, even with the right password', async () => {
    const user = await ctx.register();
    for (let i = 0; i < 5; i++) {
      const res = await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone: user.phone, password: `bad-${i}-password` } });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone: user.phone, password: 'password123' } });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Other phones are unaffected.
    const other = await ctx.register();
    expect((await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone: other.phone, password: 'password123' } })).statusCode).toBe(200);
  });

  it('requires the CSRF header for cookie-authenticated mutations, not for bearer ones', async () => {
    const user = await ctx.register();
    const login = await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone: user.phone, password: 'password123' } });
    const { sid, csrf } = cookiesOf(login);
    const cookie = `sid=${sid}; csrf=${csrf}`;
    // Reads with the cookie work.
    expect((await ctx.request({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    // A mutation without the header is refused; with a wrong one too.
    const noHeader = await ctx.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().error.code).toBe('FORBIDDEN');
    const wrong = await ctx.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': 'nope' } });
    expect(wrong.statusCode).toBe(403);
    const right = await ctx.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': csrf! } });
    expect(right.statusCode).toBe(204);
    // The session is gone.
    expect((await ctx.request({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('logout ends a bearer session', async () => {
    const user = await ctx.register();
    const res = await ctx.request({ method: 'POST', url: '/api/v1/auth/logout', as: user });
    expect(res.statusCode).toBe(204);
    const me = await ctx.request({ method: 'GET', url: '/api/v1/me', as: user });
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses malformed and unknown bearer tokens with 401', async () => {
    for (const authorization of ['Bearer', 'Basic abc', 'Bearer not-a-token', `Bearer ${'x'.repeat(500)}`]) {
      const res = await ctx.request({ method: 'GET', url: '/api/v1/me', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('sessions live in the database: a second app on the same database accepts the token', async () => {
    const user = await ctx.register();
    const { buildApp } = await import('../src/app.ts');
    const { testConfig } = await import('../src/config.ts');
    const second = await buildApp({ config: testConfig(), database: ctx.database, webDist: null, clock: testNow });
    try {
      const me = await second.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${user.token}` } });
      expect(me.statusCode).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('shows the admin role to the bootstrap admin', async () => {
    const me = await ctx.request({ method: 'GET', url: '/api/v1/me', as: ctx.admin });
    expect(me.json()).toMatchObject({ phone: ADMIN_PHONE, roles: [{ role: 'admin' }] });
  });
});
