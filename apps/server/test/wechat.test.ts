import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { testConfig } from '../src/config.ts';
import type { SmsMessage, SmsSender } from '../src/lib/sms/sms.ts';
import { createWechatRepository } from '../src/modules/wechat/index.ts';
import { createTestContext, DATABASES, freshPhone, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { testNow } from './helpers/clock.ts';

/**
 * Issue 17, WeChat 公众号: 网页授权 sign-in and binding, template messages, and the access token
 * shared in the database — against a local fake of the WeChat API that checks what the real one
 * checks: the appid and secret, an OAuth code used once, the access token's validity, the
 * template id and the shape of its data, and whether the person follows the 公众号.
 */

const APP = { id: 'wx0123456789abcdef', secret: 'fake-wechat-app-secret-0001' };
const TEMPLATES: Record<string, string[]> = { 'TPL-ORDER-1': ['thing1', 'time2'] };

interface FakeWechat {
  url: string;
  tokenFetches: number;
  sent: { touser: string; template_id: string; url?: string; data: Record<string, { value: string }> }[];
  /** An OAuth code for this openid, as WeChat hands one to the page after the person authorised. */
  code(openid: string, scope?: 'snsapi_base' | 'snsapi_userinfo'): string;
  follow(openid: string, nickname?: string): void;
  /** Ends every access token (as a token fetched elsewhere, or expired, would be). */
  revokeTokens(): void;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<number> {
  for (let port = 4300 + Math.floor(Math.random() * 100), n = 0; n < 100; n++, port = 4300 + ((port - 4300 + 1) % 100)) {
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) return (server.address() as AddressInfo).port;
  }
  throw new Error('no free port in 4300-4399');
}

async function fakeWechat(): Promise<FakeWechat> {
  const tokens = new Set<string>();
  const codes = new Map<string, { openid: string; scope: string; used: boolean }>();
  const snsTokens = new Map<string, string>();
  const followers = new Map<string, string>();
  const fake: FakeWechat = {
    url: '',
    tokenFetches: 0,
    sent: [],
    code(openid, scope = 'snsapi_base') {
      const c = crypto.randomBytes(16).toString('hex');
      codes.set(c, { openid, scope, used: false });
      return c;
    },
    follow: (openid, nickname = '微信用户') => void followers.set(openid, nickname),
    revokeTokens: () => tokens.clear(),
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const json = (body: object) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const err = (errcode: number, errmsg: string) => json({ errcode, errmsg });
      const url = new URL(req.url ?? '/', 'http://fake');
      const q = url.searchParams;
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');

      if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
        if (q.get('grant_type') !== 'client_credential') return err(40002, 'invalid grant_type');
        if (q.get('appid') !== APP.id) return err(40013, 'invalid appid');
        if (q.get('secret') !== APP.secret) return err(40125, 'invalid appsecret');
        fake.tokenFetches++;
        const t = crypto.randomBytes(24).toString('hex');
        tokens.add(t);
        return json({ access_token: t, expires_in: 7200 });
      }
      if (req.method === 'GET' && url.pathname === '/sns/oauth2/access_token') {
        if (q.get('appid') !== APP.id) return err(40013, 'invalid appid');
        if (q.get('secret') !== APP.secret) return err(40125, 'invalid appsecret');
        if (q.get('grant_type') !== 'authorization_code') return err(40002, 'invalid grant_type');
        const c = codes.get(q.get('code') ?? '');
        if (!c) return err(40029, 'invalid code');
        if (c.used) return err(40163, 'code been used');
        c.used = true;
        const t = crypto.randomBytes(16).toString('hex');
        snsTokens.set(t, c.openid);
        return json({ access_token: t, expires_in: 7200, refresh_token: 'r', openid: c.openid, scope: c.scope });
      }
      if (req.method === 'GET' && url.pathname === '/sns/userinfo') {
        const openid = snsTokens.get(q.get('access_token') ?? '');
        if (!openid) return err(40001, 'invalid credential');
        if (openid !== q.get('openid')) return err(40003, 'invalid openid');
        return json({ openid, nickname: followers.get(openid) ?? '微信用户', sex: 0, headimgurl: '' });
      }
      if (req.method === 'POST' && url.pathname === '/cgi-bin/message/template/send') {
        if (!tokens.has(q.get('access_token') ?? '')) return err(40001, 'invalid credential, access_token is invalid or not latest');
        let body: FakeWechat['sent'][number];
        try {
          body = JSON.parse(raw) as typeof body;
        } catch {
          return err(47001, 'data format error');
        }
        const fields = TEMPLATES[body.template_id];
        if (!fields) return err(40037, 'invalid template_id');
        const keys = Object.keys(body.data ?? {}).sort();
        if (keys.join() !== [...fields].sort().join()) return err(47003, 'argument invalid! data.keys');
        for (const k of keys) {
          const v = body.data[k]?.value;
          if (typeof v !== 'string' || !v) return err(47003, `argument invalid! data.${k}.value`);
          if (k.startsWith('thing') && [...v].length > 20) return err(47003, `argument invalid! data.${k}.value too long`);
          if (k.startsWith('time') && !/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/.test(v)) return err(47003, `argument invalid! data.${k}.value`);
        }
        if (typeof body.touser !== 'string' || !body.touser.startsWith('o')) return err(40003, 'invalid openid');
        if (!followers.has(body.touser)) return err(43004, 'require subscribe');
        fake.sent.push(body);
        return json({ errcode: 0, errmsg: 'ok', msgid: fake.sent.length });
      }
      res.writeHead(404).end();
    })();
  });
  const port = await listen(server);
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () => new Promise((r) => server.close(() => r()));
  return fake;
}

describe.each(DATABASES)('WeChat 公众号 on %s', (kind) => {
  let ctx: TestContext;
  let fake: FakeWechat;
  let t: Tree;
  let dispatcher: Caller;
  const codes: SmsMessage[] = [];
  const sms: SmsSender = {
    provider: 'log',
    handles: (k): k is 'verification' => k === 'verification',
    send: async (m) => {
      codes.push(m);
      return { id: null };
    },
  };
  const settings = () => ({
    WECHAT_APP_ID: APP.id,
    WECHAT_APP_SECRET: APP.secret,
    WECHAT_API_BASE: fake.url,
    WECHAT_OPEN_BASE: 'https://open.weixin.qq.com',
    WECHAT_TEMPLATE_ORDER: 'TPL-ORDER-1',
    PUBLIC_BASE_URL: 'https://wm.example.cn',
  });

  beforeAll(async () => {
    fake = await fakeWechat();
    ctx = await createTestContext(kind, settings(), { sms });
    t = await buildTree(ctx);
    dispatcher = await staff(ctx, 'dispatcher', t.wucheng, '坞城调度员');
  });
  afterAll(async () => {
    await ctx.close();
    await fake.close();
  });

  const codeFor = async (phone: string) => {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/auth/sms-codes', payload: { phone, purpose: 'login' } });
    expect(res.statusCode, res.body).toBe(202);
    return codes.filter((m) => m.phone === phone).at(-1)!.params[0]![1];
  };
  const signIn = (code: string) => ctx.request({ method: 'POST', url: '/api/v1/wechat/sign-in', payload: { code } });

  it('网页授权: the authorisation address names the 公众号, the way back and the scope', async () => {
    const res = await ctx.request({ method: 'GET', url: '/api/v1/wechat/oauth-url?scope=snsapi_userinfo&next=%2Fh5%2Factivities' });
    expect(res.statusCode, res.body).toBe(200);
    const { url, state } = res.json<{ url: string; state: string }>();
    const u = new URL(url);
    expect(u.origin + u.pathname).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
    expect(u.hash).toBe('#wechat_redirect');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      appid: APP.id,
      redirect_uri: 'https://wm.example.cn/wechat-login?next=%2Fh5%2Factivities',
      response_type: 'code',
      scope: 'snsapi_userinfo',
      state,
    });
    // Only a path of this site may be the way back.
    expect((await ctx.request({ method: 'GET', url: '/api/v1/wechat/oauth-url?next=https%3A%2F%2Fevil.example' })).statusCode).toBe(400);
  });

  it('an unknown openid proves a phone by SMS code once, is bound, and then signs in silently; a code works once', async () => {
    const openid = 'oAbCdEfGh-resident-1';
    fake.follow(openid, '老李');
    const code = fake.code(openid, 'snsapi_userinfo');
    const first = await signIn(code);
    expect(first.statusCode, first.body).toBe(200);
    const pending = first.json<{ status: string; ticket: string; nickname: string }>();
    expect(pending).toMatchObject({ status: 'bind_required', nickname: '老李' });
    expect(first.headers['set-cookie']).toBeUndefined();
    // The same code again: WeChat refuses it (40163), and so do we.
    expect((await signIn(code)).statusCode).toBe(401);
    expect((await signIn('not-a-code')).statusCode).toBe(401);

    const phone = freshPhone();
    const smsCode = await codeFor(phone);
    const wrong = await ctx.request({
      method: 'POST',
      url: '/api/v1/wechat/bind',
      payload: { ticket: pending.ticket, phone, code: smsCode === '000000' ? '111111' : '000000', consent: true },
    });
    expect(wrong.statusCode).toBe(401);
    const bound = await ctx.request({
      method: 'POST',
      url: '/api/v1/wechat/bind',
      payload: { ticket: pending.ticket, phone, code: smsCode, consent: true, name: '李大爷' },
    });
    expect(bound.statusCode, bound.body).toBe(200);
    const me = bound.json<{ token: string; user: { id: string; name: string }; created: boolean }>();
    expect(me).toMatchObject({ created: true, user: { name: '李大爷' } });
    // The ticket is used up.
    const again = await ctx.request({
      method: 'POST',
      url: '/api/v1/wechat/bind',
      payload: { ticket: pending.ticket, phone, code: smsCode, consent: true },
    });
    expect(again.statusCode).toBe(401);

    // Next time WeChat opens the H5: signed in at once, the same account, with the session cookie.
    const silent = await signIn(fake.code(openid));
    expect(silent.statusCode, silent.body).toBe(200);
    expect(silent.json()).toMatchObject({ status: 'signed_in', user: { id: me.user.id } });
    expect(String(silent.headers['set-cookie'])).toContain('sid=');
    const settingsRes = await ctx.request({
      method: 'GET',
      url: '/api/v1/me/notice-settings',
      as: { token: silent.json<{ token: string }>().token, userId: me.user.id },
    });
    expect(settingsRes.json()).toMatchObject({ wechatBound: true });
  });

  it('template messages: a dispatch reaches the bound volunteer on WeChat; an expired token is refreshed once; one who does not follow is skipped', async () => {
    const repo = createWechatRepository(ctx.database.db);
    const resident = await ctx.register('下单居民');
    const v = await volunteer(ctx, t.shifanjie, { name: '微信志愿者' });
    await repo.bind(APP.id, 'oVolunteer-000000001', v.userId, null, testNow());
    fake.follow('oVolunteer-000000001');
    const order = async (content: string) => {
      const o = await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content, orgId: t.shifanjie }, as: resident });
      expect(o.statusCode, o.body).toBe(201);
      const { id, code } = o.json<{ id: string; code: string }>();
      const d = await ctx.request({ method: 'POST', url: `/api/v1/orders/${id}/dispatch`, payload: { volunteerId: v.volunteerId }, as: dispatcher });
      expect(d.statusCode, d.body).toBe(200);
      return { id, code };
    };
    const fetchesBefore = fake.tokenFetches;
    const a = await order('想请人帮忙量血压');
    const got = fake.sent.filter((m) => m.data.thing1!.value.includes(a.code));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ touser: 'oVolunteer-000000001', template_id: 'TPL-ORDER-1', url: `https://wm.example.cn/h5/orders/${a.id}` });
    expect(fake.tokenFetches - fetchesBefore).toBeLessThanOrEqual(1);

    // The token ends early (fetched elsewhere): 40001, one refresh, sent.
    fake.revokeTokens();
    const before = fake.tokenFetches;
    const b = await order('想请人帮忙买菜');
    expect(fake.sent.filter((m) => m.data.thing1!.value.includes(b.code))).toHaveLength(1);
    expect(fake.tokenFetches - before).toBe(1);

    // A volunteer bound but not following the 公众号: 43004, recorded as skipped, never retried.
    const w = await volunteer(ctx, t.shifanjie, { name: '未关注志愿者' });
    await repo.bind(APP.id, 'oNotFollowing-00001', w.userId, null, testNow());
    const o = await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content: '楼道灯坏了', orgId: t.shifanjie }, as: resident });
    const { id } = o.json<{ id: string }>();
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/orders/${id}/dispatch`, payload: { volunteerId: w.volunteerId }, as: dispatcher })).statusCode,
    ).toBe(200);
    const [row] = await ctx.database.raw.query<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM message_outbox WHERE user_id = $1 AND channel = 'wechat' AND kind = 'order.dispatched'`,
      [w.userId],
    );
    expect(row).toEqual({ status: 'skipped', last_error: 'NOT_SUBSCRIBED' });
  });

  it('the access token is fetched by one process while two need it, and shared through the database', async () => {
    const second = await buildApp({ config: testConfig({ WENMING_SEED: 'none', ...settings() }), database: ctx.database, webDist: null, sms, clock: testNow });
    try {
      // Both processes find the stored token expired at the same moment.
      await ctx.database.raw.query(`UPDATE wechat_tokens SET expires_at = now() - interval '1 minute'`);
      const before = fake.tokenFetches;
      const [x, y] = await Promise.all([ctx.app.modules.wechat!.tokens.get(), second.modules.wechat!.tokens.get()]);
      expect(x).toBe(y);
      expect(fake.tokenFetches - before).toBe(1);
      const [stored] = await ctx.database.raw.query<{ access_token: string }>(`SELECT access_token FROM wechat_tokens WHERE app_id = $1`, [APP.id]);
      expect(stored!.access_token).toBe(x);
    } finally {
      await second.close();
    }
  });

  it('without WECHAT_* settings the routes answer 404 and WeChat notices stay log lines', async () => {
    const plain = await buildApp({ config: testConfig({ WENMING_SEED: 'none' }), database: ctx.database, webDist: null, clock: testNow });
    try {
      const res = await plain.inject({ method: 'POST', url: '/api/v1/wechat/sign-in', payload: { code: 'x' } });
      expect(res.statusCode).toBe(404);
      expect(plain.modules.wechat).toBeNull();
    } finally {
      await plain.close();
    }
  });
});
