import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, freshPhone, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { logSms, SmsError, type SmsMessage, type SmsSender } from '../src/lib/sms/sms.ts';

/**
 * Issue 17, SMS sign-in: POST /auth/sms-codes, /auth/sms-login and /auth/password-reset. The
 * sender records what it would send, so the test reads the code as the person's phone would.
 */
function recordingSms() {
  const sent: SmsMessage[] = [];
  let failNext = 0;
  const sender: SmsSender = {
    provider: 'log',
    handles: (k: string): k is SmsMessage['kind'] => k === 'verification',
    async send(m) {
      if (failNext > 0) {
        failNext--;
        throw new SmsError('isv.BUSINESS_LIMIT_CONTROL', 'provider refused');
      }
      sent.push(m);
      return { id: null };
    },
  };
  return {
    sender,
    sent,
    failOnce: () => (failNext = 1),
    lastCodeFor: (phone: string) => [...sent].reverse().find((m) => m.phone === phone && m.kind === 'verification')?.params[0]?.[1],
  };
}

describe.each(DATABASES)('SMS sign-in on %s', (kind) => {
  let ctx: TestContext;
  let base: string;
  const sms = recordingSms();
  let at = testNow().getTime();
  const move = (ms: number) => (at += ms);

  beforeAll(async () => {
    ctx = await createTestContext(kind, { RATE_LIMIT_PER_MINUTE: 100_000 }, { clock: () => new Date(at), sms: sms.sender });
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => ctx.close());
  // Every test starts well past the last one's 60-second gaps.
  beforeEach(() => void move(10 * 60_000));

  let client = 0;
  /** Each test asks from its own client address, so the per-client limit is its own. */
  const newClient = () => `10.17.${Math.floor(++client / 250)}.${client % 250}`;
  const askCode = (phone: string, purpose: 'login' | 'reset' = 'login', remoteAddress = '10.0.0.1') =>
    ctx.request({ method: 'POST', url: '/api/v1/auth/sms-codes', payload: { phone, purpose }, remoteAddress });
  const smsLogin = (payload: Record<string, unknown>) => ctx.request({ method: 'POST', url: '/api/v1/auth/sms-login', payload });
  const httpLogin = (payload: Record<string, unknown>) =>
    fetch(`${base}/api/v1/auth/sms-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });

  it('a first sign-in by code creates a resident, but only with consent to 用户协议 and 隐私政策', async () => {
    const phone = freshPhone();
    const ask = await askCode(phone, 'login', newClient());
    expect(ask.statusCode).toBe(202);
    expect(ask.json()).toEqual({ resendAfter: 60, expiresIn: 300 });
    const code = sms.lastCodeFor(phone)!;
    expect(code).toMatch(/^\d{6}$/);

    const noConsent = await smsLogin({ phone, code });
    expect(noConsent.statusCode).toBe(422);
    expect(noConsent.json().error.code).toBe('RULE_VIOLATION');
    expect(noConsent.json().error.message).toContain('用户协议');

    const first = await smsLogin({ phone, code, consent: true });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.created).toBe(true);
    expect(body.user.name).toBe(`居民${phone.slice(-4)}`);
    expect(body.user.roles).toEqual([]);
    const me = await ctx.request({ method: 'GET', url: '/api/v1/me', as: { token: body.token, userId: body.user.id } });
    expect(me.statusCode).toBe(200);
    const [row] = await ctx.database.raw.query<{ terms_accepted_at: unknown; password_hash: string }>(
      'SELECT terms_accepted_at, password_hash FROM users WHERE phone = $1',
      [phone],
    );
    expect(row!.terms_accepted_at).not.toBeNull();
    // No password: signing in by password is refused until one is set.
    expect((await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone, password: row!.password_hash } })).statusCode).toBe(401);

    // The same code again: used.
    const again = await smsLogin({ phone, code, consent: true });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('UNAUTHENTICATED');

    // A later sign-in needs no consent and creates nothing; a name given then is not a new account.
    move(61_000);
    expect((await askCode(phone, 'login', newClient())).statusCode).toBe(202);
    const second = await smsLogin({ phone, code: sms.lastCodeFor(phone), name: '王奶奶' });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ created: false, user: { id: body.user.id } });
  });

  it('a new account takes the name given; an existing account signs in by code without consent', async () => {
    const phone = freshPhone();
    await askCode(phone, 'login', newClient());
    const res = await smsLogin({ phone, code: sms.lastCodeFor(phone), name: ' 李大爷 ', consent: true });
    expect(res.json()).toMatchObject({ created: true, user: { name: '李大爷' } });

    const registered = await ctx.register('密码用户');
    await askCode(registered.phone, 'login', newClient());
    const byCode = await smsLogin({ phone: registered.phone, code: sms.lastCodeFor(registered.phone) });
    expect(byCode.statusCode).toBe(200);
    expect(byCode.json()).toMatchObject({ created: false, user: { id: registered.userId, name: '密码用户' } });
  });

  it('the code is stored hashed, never as it is', async () => {
    const phone = freshPhone();
    await askCode(phone, 'login', newClient());
    const code = sms.lastCodeFor(phone)!;
    const rows = await ctx.database.raw.query<{ code_hash: string }>('SELECT * FROM sms_codes WHERE phone = $1', [phone]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(rows[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('of 12 racing sign-ins with the right code exactly one gets in (the code is used once)', async () => {
    const phone = freshPhone();
    await askCode(phone, 'login', newClient());
    const code = sms.lastCodeFor(phone);
    const answers = await Promise.all(Array.from({ length: 12 }, () => httpLogin({ phone, code, consent: true })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(11);
    const users = await ctx.database.raw.query('SELECT id FROM users WHERE phone = $1', [phone]);
    expect(users).toHaveLength(1);
  });

  it('5 wrong tries kill the code, even under racing guesses; each wrong answer says how many are left', async () => {
    const phone = freshPhone();
    await askCode(phone, 'login', newClient());
    const code = sms.lastCodeFor(phone)!;
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await smsLogin({ phone, code: wrong, consent: true });
    expect(first.statusCode).toBe(401);
    expect(first.json().error.message).toBe('验证码不正确，还可以再试4次');
    // 10 racing wrong guesses: only 4 more are counted, the rest find no live code.
    const racing = await Promise.all(Array.from({ length: 10 }, () => httpLogin({ phone, code: wrong, consent: true })));
    expect(racing.every((r) => r.status === 401)).toBe(true);
    const [row] = await ctx.database.raw.query<{ tries: number }>('SELECT tries FROM sms_codes WHERE phone = $1', [phone]);
    expect(row!.tries).toBe(5);
    const right = await smsLogin({ phone, code, consent: true });
    expect(right.statusCode).toBe(401);
    expect(right.json().error.message).toContain('请重新获取验证码');
  });

  it('a code lives 5 minutes', async () => {
    const phone = freshPhone();
    await askCode(phone, 'login', newClient());
    const code = sms.lastCodeFor(phone);
    move(5 * 60_000 + 1_000);
    expect((await smsLogin({ phone, code, consent: true })).statusCode).toBe(401);
    move(-2_000);
    // (Just inside 5 minutes it would still have worked: the clock is moved back only to prove the edge.)
    expect((await smsLogin({ phone, code, consent: true })).statusCode).toBe(200);
  });

  it('one code per phone per 60 s, also when 10 requests race; the refusal says when to come back', async () => {
    const phone = freshPhone();
    const ip = newClient();
    const racing = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${base}/api/v1/auth/sms-codes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ phone, purpose: 'login' }),
        }),
      ),
    );
    expect(racing.filter((r) => r.status === 202)).toHaveLength(1);
    expect(racing.filter((r) => r.status === 429)).toHaveLength(9);
    expect(sms.sent.filter((m) => m.phone === phone)).toHaveLength(1);

    move(20_000);
    const early = await askCode(phone, 'login', ip);
    expect(early.statusCode).toBe(429);
    expect(early.json().error).toMatchObject({ code: 'RATE_LIMITED', message: '验证码已发送，请40秒后再重新获取' });
    expect(early.headers['retry-after']).toBe('40');
    move(40_000);
    expect((await askCode(phone, 'login', ip)).statusCode).toBe(202);
  });

  it('at most 10 codes a day per phone; the next China day starts afresh', async () => {
    const phone = freshPhone();
    // Noon in China, so ten minutes of sends stay on one day whenever the test runs.
    const day = new Date(at + 8 * 3600_000).toISOString().slice(0, 10);
    at = Date.parse(`${day}T12:00:00+08:00`) + 24 * 3600_000;
    for (let i = 0; i < 10; i++) {
      expect((await askCode(phone, 'login', newClient())).statusCode).toBe(202);
      move(61_000);
    }
    const eleventh = await askCode(phone, 'login', newClient());
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json().error.message).toMatch(/^该手机号今天获取验证码已达10次，请明天（\d+小时后）再试$/);
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(11 * 3600);
    expect(Number(eleventh.headers['retry-after'])).toBeLessThanOrEqual(12 * 3600);
    at = Date.parse(`${new Date(at + 8 * 3600_000 + 24 * 3600_000).toISOString().slice(0, 10)}T00:00:01+08:00`);
    expect((await askCode(phone, 'login', newClient())).statusCode).toBe(202);
  });

  it('one client may ask for 20 codes an hour, whatever the phones; a refusal for the phone costs the client nothing', async () => {
    const ip = newClient();
    const phone = freshPhone();
    expect((await askCode(phone, 'login', ip)).statusCode).toBe(202);
    // Refused for the phone (60 s): these do not count against the client.
    for (let i = 0; i < 3; i++) expect((await askCode(phone, 'login', ip)).statusCode).toBe(429);
    for (let i = 0; i < 19; i++) expect((await askCode(freshPhone(), 'login', ip)).statusCode).toBe(202);
    const refused = await askCode(freshPhone(), 'login', ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toBe('获取验证码过于频繁，请60分钟后再试');
    expect(Number(refused.headers['retry-after'])).toBe(3600);
    expect((await askCode(freshPhone(), 'login', newClient())).statusCode).toBe(202);
    move(3600_000);
    expect((await askCode(freshPhone(), 'login', ip)).statusCode).toBe(202);
  });

  it('the same answer for a reset code whether or not the phone has an account; only an account gets the SMS', async () => {
    const nobody = freshPhone();
    const res = await askCode(nobody, 'reset', newClient());
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ resendAfter: 60, expiresIn: 300 });
    expect(sms.sent.some((m) => m.phone === nobody)).toBe(false);
    const { phone } = await ctx.register();
    const known = await askCode(phone, 'reset', newClient());
    expect(known.statusCode).toBe(202);
    expect(known.body).toBe(res.body);
    expect(sms.lastCodeFor(phone)).toMatch(/^\d{6}$/);
  });

  it('password reset by SMS code sets the password and ends every session of the account', async () => {
    const user = await ctx.register('忘记密码的人');
    const other = await ctx.login(user.phone, 'password123');
    await askCode(user.phone, 'reset', newClient());
    const code = sms.lastCodeFor(user.phone);
    // A login code is not a reset code.
    expect((await smsLogin({ phone: user.phone, code })).statusCode).toBe(401);
    const reset = await ctx.request({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { phone: user.phone, code, newPassword: 'new-password-456' },
    });
    expect(reset.statusCode).toBe(204);
    for (const s of [user, other]) expect((await ctx.request({ method: 'GET', url: '/api/v1/me', as: s })).statusCode).toBe(401);
    expect((await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone: user.phone, password: 'password123' } })).statusCode).toBe(401);
    expect((await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone: user.phone, password: 'new-password-456' } })).statusCode).toBe(
      200,
    );
    // Used once.
    const twice = await ctx.request({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { phone: user.phone, code, newPassword: 'third-password-789' },
    });
    expect(twice.statusCode).toBe(401);
  });

  it('bad input is a 400 with the field named', async () => {
    const res = await smsLogin({ phone: '12345', code: '12a' });
    expect(res.statusCode).toBe(400);
    const paths = (res.json().error.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['phone', 'code']));
    expect((await ctx.request({ method: 'POST', url: '/api/v1/auth/sms-codes', payload: { phone: freshPhone(), purpose: 'spam' } })).statusCode).toBe(400);
  });

  it('when the provider refuses, the request says so (503) and the phone may ask again at once', async () => {
    const phone = freshPhone();
    sms.failOnce();
    const failed = await askCode(phone, 'login', newClient());
    expect(failed.statusCode).toBe(503);
    expect(failed.json().error.message).toBe('短信发送失败，请稍后再试');
    expect((await askCode(phone, 'login', newClient())).statusCode).toBe(202);
  });
});

describe.each(DATABASES)('SMS_CLIENT_LIMIT_PER_HOUR on %s', (kind) => {
  let ctx: TestContext;
  const sms = recordingSms();
  beforeAll(async () => {
    ctx = await createTestContext(kind, { SMS_CLIENT_LIMIT_PER_HOUR: 2 }, { sms: sms.sender });
  });
  afterAll(() => ctx.close());

  it('sets how many codes one client may ask for in an hour', async () => {
    const ask = () =>
      ctx.request({ method: 'POST', url: '/api/v1/auth/sms-codes', payload: { phone: freshPhone(), purpose: 'login' }, remoteAddress: '10.9.9.9' });
    expect((await ask()).statusCode).toBe(202);
    expect((await ask()).statusCode).toBe(202);
    expect((await ask()).statusCode).toBe(429);
  });
});

describe('the log-only SMS sender', () => {
  it('masks the phone and shows a code only in the demo', async () => {
    const lines: string[] = [];
    await logSms((l) => lines.push(l), { showCodes: false }).send({ phone: '13912345678', kind: 'verification', params: [['code', '123456']] });
    await logSms((l) => lines.push(l), { showCodes: true }).send({ phone: '13912345678', kind: 'verification', params: [['code', '654321']] });
    expect(lines[0]).toContain('139****5678');
    expect(lines.join('\n')).not.toContain('13912345678');
    expect(lines[0]).not.toContain('123456');
    expect(lines[1]).toContain('654321');
  });
});
