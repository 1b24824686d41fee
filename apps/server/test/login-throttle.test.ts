import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';

/**
 * Issue 15, item 8: the sign-in throttle takes its slot in the database before the password is
 * checked, so parallel wrong guesses cannot all be tried. Raced over real HTTP connections.
 */
describe.each(DATABASES)('sign-in throttle under parallel guesses on %s', (kind) => {
  let ctx: TestContext;
  let base: string;
  let skewMs = 0;

  beforeAll(async () => {
    // The app's clock can be moved on, to see the window end.
    ctx = await createTestContext(kind, { RATE_LIMIT_PER_MINUTE: 10_000 }, { clock: () => new Date(testNow().getTime() + skewMs) });
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => ctx.close());

  const login = (phone: string, password: string) =>
    fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, password }) });

  it('of 40 parallel wrong guesses exactly 5 are checked (401) and 35 refused (429); then even the right password waits', async () => {
    const { phone } = await ctx.register('被撞库的用户');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(phone, `wrong-guess-${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    const refused = answers.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect((await login(phone, 'password123')).status).toBe(429);

    // The window ends 15 minutes after it started: then the right password signs in and the count starts over.
    skewMs += 15 * 60_000 + 1_000;
    expect((await login(phone, 'password123')).status).toBe(200);
    const again = await Promise.all(Array.from({ length: 12 }, () => login(phone, 'still-wrong')));
    expect(again.filter((r) => r.status === 401)).toHaveLength(5);
  });

  it('a phone with no account is throttled the same way (the answer does not reveal which phones exist)', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => login('13700001111', 'whatever-123')));
    expect(answers.filter((r) => r.status === 401)).toHaveLength(5);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(15);
  });

  it('a successful sign-in forgets earlier failures', async () => {
    const { phone } = await ctx.register('记错密码的用户');
    for (let i = 0; i < 4; i++) expect((await login(phone, 'nope-nope-nope')).status).toBe(401);
    expect((await login(phone, 'password123')).status).toBe(200);
    const next = await Promise.all(Array.from({ length: 6 }, () => login(phone, 'nope-nope-nope')));
    expect(next.filter((r) => r.status === 401)).toHaveLength(5);
  });
});
