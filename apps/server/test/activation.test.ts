import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { NO_PASSWORD } from '../src/modules/volunteers/volunteer-bulk.service.ts';

describe.each(DATABASES)('activation codes (激活码) on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let xdAdmin: Caller;
  let xdDispatcher: Caller;
  let wblAdmin: Caller;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    xdAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    xdDispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '小店区调度员');
    wblAdmin = await staff(ctx, 'org_admin', t.wanbailin, '万柏林区管理员');
  });
  afterAll(() => ctx.close());

  const issue = (volunteerId: string, as: Caller) => ctx.request({ method: 'POST', url: `/api/v1/volunteers/${volunteerId}/activation-code`, as });
  const activate = (payload: object) => ctx.request({ method: 'POST', url: '/api/v1/auth/activate', payload });
  const login = (phone: string, password: string) => ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone, password } });

  /** A volunteer in the state a bulk import leaves them: an account nobody can sign in to. */
  async function imported(name: string) {
    const v = await volunteer(ctx, t.shifanjie, { name });
    await ctx.database.raw.query('UPDATE users SET password_hash = $1 WHERE id = $2', [NO_PASSWORD, v.userId]);
    await ctx.database.raw.query('DELETE FROM sessions WHERE user_id = $1', [v.userId]);
    return v;
  }

  it('lets staff who manage the volunteer issue an 8-digit code; the imported person sets a password with it and is signed in', async () => {
    const v = await imported('王桂英');
    expect((await login(v.phone, 'password123')).statusCode).toBe(401);
    const detail = await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}`, as: xdAdmin });
    expect(detail.json().allowedActions).toContain('activationCode');

    const res = await issue(v.volunteerId, xdAdmin);
    expect(res.statusCode, res.body).toBe(201);
    const { code, expiresAt } = res.json();
    expect(code).toMatch(/^\d{8}$/);
    const hours = (Date.parse(expiresAt) - testNow().getTime()) / 3600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);
    // Stored as an HMAC only, and the issue is audited without the code.
    const [row] = await ctx.database.raw.query<{ code_hash: string }>('SELECT code_hash FROM activation_codes WHERE user_id = $1', [v.userId]);
    expect(row!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.code_hash).not.toContain(code);
    const audits = await ctx.database.raw.query<{ after: unknown }>(
      "SELECT after FROM audit_logs WHERE action = 'volunteer.activation_code' AND entity_id = $1",
      [v.volunteerId],
    );
    expect(audits.length).toBe(1);
    expect(JSON.stringify(audits[0]!.after)).not.toContain(code);

    // Spaces as people type them are fine.
    const ok = await activate({ phone: v.phone, code: `${code.slice(0, 4)} ${code.slice(4)}`, password: 'wangguiying-2026' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().user.id).toBe(v.userId);
    expect(ok.headers['set-cookie']).toBeTruthy();
    const me = await ctx.request({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${ok.json().token}` } });
    expect(me.json().volunteerId).toBe(v.volunteerId);
    expect((await login(v.phone, 'wangguiying-2026')).statusCode).toBe(200);
    // The code works once.
    const again = await activate({ phone: v.phone, code, password: 'someone-else-1' });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('UNAUTHENTICATED');
    expect((await login(v.phone, 'wangguiying-2026')).statusCode).toBe(200);
  });

  it('resets a forgotten password: a new code replaces the old one, and older sessions end', async () => {
    const v = await volunteer(ctx, t.shifanjie, { name: '赵国庆' });
    const first = (await issue(v.volunteerId, xdAdmin)).json().code as string;
    const second = (await issue(v.volunteerId, xdAdmin)).json().code as string;
    if (first !== second) expect((await activate({ phone: v.phone, code: first, password: 'new-password-1' })).statusCode).toBe(401);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/me', as: v })).statusCode).toBe(200);
    const ok = await activate({ phone: v.phone, code: second, password: 'new-password-1' });
    expect(ok.statusCode, ok.body).toBe(200);
    // The session opened before the reset is gone; the old password no longer works.
    expect((await ctx.request({ method: 'GET', url: '/api/v1/me', as: v })).statusCode).toBe(401);
    expect((await login(v.phone, 'password123')).statusCode).toBe(401);
    expect((await login(v.phone, 'new-password-1')).statusCode).toBe(200);
  });

  it('is for staff who manage the volunteer; a colleague with a staff role gets a code only from a platform admin', async () => {
    const v = await imported('钱文华');
    const other = await volunteer(ctx, t.shifanjie, { name: '孙志强' });
    expect((await issue(v.volunteerId, other)).statusCode).toBe(403);
    expect((await issue(v.volunteerId, v)).statusCode).toBe(401); // signed out: the import left no session
    expect([403, 404]).toContain((await issue(v.volunteerId, wblAdmin)).statusCode);
    expect((await issue(v.volunteerId, xdDispatcher)).statusCode).toBe(403); // dispatchers read, org admins manage
    expect((await ctx.request({ method: 'POST', url: `/api/v1/volunteers/${v.volunteerId}/activation-code` })).statusCode).toBe(401);
    expect((await issue('01a20906-8ab6-7550-b075-2cd52b0286ef', xdAdmin)).statusCode).toBe(404);

    // A volunteer who is also a site's staff: the district's org admin cannot reset their password.
    const colleague = await volunteer(ctx, t.shifanjie, { name: '周建国' });
    const grant = await ctx.request({
      method: 'POST',
      url: `/api/v1/users/${colleague.userId}/roles`,
      payload: { role: 'dispatcher', orgId: t.wucheng },
      as: xdAdmin,
    });
    expect(grant.statusCode, grant.body).toBe(201);
    const refused = await issue(colleague.volunteerId, xdAdmin);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('超级管理员');
    expect((await issue(colleague.volunteerId, ctx.admin)).statusCode).toBe(201);
    expect((await ctx.database.raw.query('SELECT 1 FROM activation_codes WHERE user_id = $1', [v.userId])).length).toBe(0);
  });

  it('refuses wrong, expired and malformed codes with the documented errors, changing nothing, and throttles guessing', async () => {
    const v = await imported('李淑珍');
    const { code } = (await issue(v.volunteerId, xdAdmin)).json();
    const wrong = code === '12345678' ? '87654321' : '12345678';

    const malformed = await activate({ phone: v.phone, code: '12ab', password: 'lishuzhen-2026' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('VALIDATION_FAILED');
    expect((await activate({ phone: v.phone, code, password: 'short' })).statusCode).toBe(400);
    expect((await activate({ phone: '12345', code, password: 'lishuzhen-2026' })).statusCode).toBe(400);
    // An unknown phone looks the same as a wrong code.
    const unknown = await activate({ phone: '13199999999', code, password: 'lishuzhen-2026' });
    expect(unknown.statusCode).toBe(401);
    const bad = await activate({ phone: v.phone, code: wrong, password: 'lishuzhen-2026' });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.message).toBe(unknown.json().error.message);

    // Expired: nothing is set.
    // A minute before the app's now (its clock, not PostgreSQL's now(), decides what has expired).
    await ctx.database.raw.query('UPDATE activation_codes SET expires_at = $2 WHERE user_id = $1', [v.userId, new Date(testNow().getTime() - 60_000)]);
    expect((await activate({ phone: v.phone, code, password: 'lishuzhen-2026' })).statusCode).toBe(401);
    const [user] = await ctx.database.raw.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [v.userId]);
    expect(user!.password_hash).toBe(NO_PASSWORD);

    // Failures count with sign-in failures: after five, even the right code waits.
    const fresh = (await issue(v.volunteerId, xdAdmin)).json().code as string;
    for (let i = 0; i < 3; i++) expect((await activate({ phone: v.phone, code: wrong, password: 'lishuzhen-2026' })).statusCode).toBe(401);
    const limited = await activate({ phone: v.phone, code: fresh, password: 'lishuzhen-2026' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeTruthy();
    expect((await ctx.database.raw.query('SELECT 1 FROM activation_codes WHERE user_id = $1', [v.userId])).length).toBe(1);
  });

  it('lets exactly one of several concurrent activations with one code through', async () => {
    const v = await imported('张玉梅');
    const { code } = (await issue(v.volunteerId, xdAdmin)).json();
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => activate({ phone: v.phone, code, password: `zhangyumei-${i}-2026` })));
    const ok = results.filter((r) => r.statusCode === 200);
    expect(ok.length).toBe(1);
    expect(results.filter((r) => r.statusCode === 401).length).toBe(3);
    const winner = results.indexOf(ok[0]!);
    expect((await login(v.phone, `zhangyumei-${winner}-2026`)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) if (i !== winner) expect((await login(v.phone, `zhangyumei-${i}-2026`)).statusCode).toBe(401);
  });
});
