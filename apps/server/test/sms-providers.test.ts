import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliyunSignature, aliyunSms } from '../src/lib/sms/aliyun.ts';
import { tc3Authorization, tencentSms } from '../src/lib/sms/tencent.ts';
import { SmsError } from '../src/lib/sms/sms.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createTestContext, DATABASES, freshPhone, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { testNow } from './helpers/clock.ts';

/**
 * Issue 17: the SMS adapters against local fakes of Alibaba Cloud SMS and Tencent Cloud SMS that
 * check what the real services check — the signature (recomputed here, independently of the
 * adapter), every required parameter, the signature name and the registered template with its
 * variables — and answer as they do, with their own error codes. Like uploads-s3.test.ts for S3.
 * The fakes listen on this session's ports (4500–4599).
 */

// ---------------------------------------------------------------- the providers' documented vectors

describe('the signatures match the providers’ documented examples', () => {
  it('Aliyun SendSms (signature version 1.0): the SMS API document’s example', () => {
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };
    expect(aliyunSignature('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('Tencent Cloud TC3-HMAC-SHA256: the signing document’s example (cvm DescribeInstances)', () => {
    const auth = tc3Authorization({
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******',
      host: 'cvm.tencentcloudapi.com',
      service: 'cvm',
      timestamp: 1551113065,
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    });
    expect(auth).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c',
    );
  });
});

// ---------------------------------------------------------------- the fakes

interface Sent {
  provider: 'aliyun' | 'tencent';
  phone: string;
  template: string;
  params: Record<string, string> | string[];
}

const ALIYUN = { id: 'LTAI5tFakeKeyId', secret: 'fake-aliyun-secret-value', sign: '文明实践云' };
const TENCENT = { id: 'AKIDfakeSecretId0001', secret: 'fake-tencent-secret-key', appId: '1400000001', sign: '文明实践云' };
/** The templates "registered" with each fake and the variables each one has. */
const TEMPLATES: Record<string, string[]> = { SMS_CODE_1: ['code'], SMS_DISPATCH_2: ['title'], '100001': ['code'], '100002': ['title'] };

/** RFC 3986 percent-encoding written byte by byte (not the adapter's encodeURIComponent-based one). */
function rfc3986(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function fakeAliyun(sent: Sent[], now: () => number) {
  const nonces = new Set<string>();
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const answer = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ RequestId: crypto.randomUUID(), Code: code, Message: message, ...(code === 'OK' ? { BizId: `${Date.now()}^0` } : {}) }));
    };
    const raw = req.method === 'POST' ? await readBody(req) : ((req.url ?? '').split('?')[1] ?? '');
    if (req.method === 'POST' && !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      return answer(400, 'InvalidParameter', 'content-type');
    const p: Record<string, string> = {};
    for (const pair of raw.split('&').filter(Boolean)) {
      const [k, v = ''] = pair.split('=');
      p[decodeURIComponent(k!)] = decodeURIComponent(v);
    }
    const required = [
      'AccessKeyId',
      'Action',
      'Format',
      'PhoneNumbers',
      'SignName',
      'SignatureMethod',
      'SignatureNonce',
      'SignatureVersion',
      'TemplateCode',
      'Timestamp',
      'Version',
      'Signature',
    ];
    const missing = required.filter((k) => !p[k]);
    if (missing.length) return answer(400, 'MissingParameter', `missing ${missing.join(',')}`);
    if (p.Action !== 'SendSms' || p.Version !== '2017-05-25') return answer(400, 'InvalidAction.NotFound', 'action or version');
    if (p.SignatureMethod !== 'HMAC-SHA1' || p.SignatureVersion !== '1.0') return answer(400, 'InvalidSignatureMethod', 'method');
    if (p.AccessKeyId !== ALIYUN.id) return answer(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(p.Timestamp!) || Math.abs(Date.parse(p.Timestamp!) - now()) > 15 * 60_000)
      return answer(400, 'InvalidTimeStamp.Expired', 'timestamp');
    const canonical = Object.keys(p)
      .filter((k) => k !== 'Signature')
      .sort()
      .map((k) => `${rfc3986(k)}=${rfc3986(p[k]!)}`)
      .join('&');
    const expected = crypto
      .createHmac('sha1', `${ALIYUN.secret}&`)
      .update(`${req.method}&%2F&${rfc3986(canonical)}`)
      .digest('base64');
    if (expected !== p.Signature) return answer(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    if (nonces.has(p.SignatureNonce!)) return answer(400, 'SignatureNonceUsed', 'nonce used');
    nonces.add(p.SignatureNonce!);
    if (p.SignName !== ALIYUN.sign) return answer(200, 'isv.SMS_SIGNATURE_ILLEGAL', '签名不合法');
    const vars = TEMPLATES[p.TemplateCode!];
    if (!vars || !p.TemplateCode!.startsWith('SMS_')) return answer(200, 'isv.SMS_TEMPLATE_ILLEGAL', '模板不合法');
    if (!/^1[3-9]\d{9}$/.test(p.PhoneNumbers!)) return answer(200, 'isv.MOBILE_NUMBER_ILLEGAL', '手机号码格式错误');
    let params: Record<string, string>;
    try {
      params = JSON.parse(p.TemplateParam ?? '{}') as Record<string, string>;
    } catch {
      return answer(200, 'isv.INVALID_JSON_PARAM', 'JSON参数不合法');
    }
    if (vars.some((v) => typeof params[v] !== 'string')) return answer(200, 'isv.TEMPLATE_MISSING_PARAMETERS', '模板缺少变量');
    sent.push({ provider: 'aliyun', phone: p.PhoneNumbers!, template: p.TemplateCode!, params });
    answer(200, 'OK', 'OK');
  };
  return http.createServer((req, res) => void handle(req, res));
}

function fakeTencent(sent: Sent[], now: () => number) {
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const payload = await readBody(req);
    const error = (code: string, message: string) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: crypto.randomUUID() } }));
    };
    const h = req.headers;
    if (req.method !== 'POST') return error('InvalidParameter', 'method');
    if (h['x-tc-action'] !== 'SendSms' || h['x-tc-version'] !== '2021-01-11') return error('InvalidAction', 'action or version');
    if (!h['x-tc-region']) return error('MissingParameter', 'X-TC-Region');
    const ts = Number(h['x-tc-timestamp']);
    if (!Number.isInteger(ts) || Math.abs(ts * 1000 - now()) > 5 * 60_000) return error('AuthFailure.SignatureExpire', 'timestamp');
    const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/sms\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(
      String(h.authorization ?? ''),
    );
    if (!m) return error('AuthFailure.InvalidAuthorization', 'authorization');
    const [, secretId, date, signedHeaders, signature] = m;
    if (secretId !== TENCENT.id) return error('AuthFailure.SecretIdNotFound', 'secret id');
    if (date !== new Date(ts * 1000).toISOString().slice(0, 10)) return error('AuthFailure.InvalidAuthorization', 'date');
    const names = signedHeaders!.split(';');
    if (!names.includes('content-type') || !names.includes('host')) return error('AuthFailure.InvalidAuthorization', 'signed headers');
    const canonicalHeaders = names.map((n) => `${n}:${String(h[n]).trim().toLowerCase()}\n`).join('');
    const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
    const canonicalRequest = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${sha(payload)}`;
    const toSign = `TC3-HMAC-SHA256\n${ts}\n${date}/sms/tc3_request\n${sha(canonicalRequest)}`;
    let key: Buffer = crypto.createHmac('sha256', `TC3${TENCENT.secret}`).update(date).digest();
    key = crypto.createHmac('sha256', key).update('sms').digest();
    key = crypto.createHmac('sha256', key).update('tc3_request').digest();
    if (crypto.createHmac('sha256', key).update(toSign).digest('hex') !== signature) return error('AuthFailure.SignatureFailure', 'signature');
    let body: { PhoneNumberSet?: string[]; SmsSdkAppId?: string; SignName?: string; TemplateId?: string; TemplateParamSet?: string[] };
    try {
      body = JSON.parse(payload) as typeof body;
    } catch {
      return error('InvalidParameter', 'json');
    }
    if (!body.PhoneNumberSet?.length || !body.SmsSdkAppId || !body.TemplateId) return error('MissingParameter', 'PhoneNumberSet/SmsSdkAppId/TemplateId');
    if (body.SmsSdkAppId !== TENCENT.appId) return error('InvalidParameterValue.SdkAppIdNotExist', 'app id');
    if (body.SignName !== TENCENT.sign) return error('FailedOperation.SignatureIncorrectOrUnapproved', 'sign');
    const vars = TEMPLATES[body.TemplateId];
    if (!vars || !/^\d+$/.test(body.TemplateId)) return error('FailedOperation.TemplateIncorrectOrUnapproved', 'template');
    if ((body.TemplateParamSet ?? []).length !== vars.length) return error('FailedOperation.TemplateParamSetNotMatchApprovedTemplate', 'params');
    const phone = body.PhoneNumberSet[0]!;
    if (!/^\+861[3-9]\d{9}$/.test(phone)) return error('InvalidParameterValue.IncorrectPhoneNumber', 'phone');
    sent.push({ provider: 'tencent', phone: phone.slice(3), template: body.TemplateId, params: body.TemplateParamSet ?? [] });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        Response: {
          SendStatusSet: [
            { SerialNo: `2645:${Date.now()}`, PhoneNumber: phone, Fee: 1, SessionContext: '', Code: 'Ok', Message: 'send success', IsoCode: 'CN' },
          ],
          RequestId: crypto.randomUUID(),
        },
      }),
    );
  };
  return http.createServer((req, res) => void handle(req, res));
}

const sent: Sent[] = [];
let aliyunUrl = '';
let tencentUrl = '';
const servers: http.Server[] = [];

beforeAll(async () => {
  const listen = async (server: http.Server, port: number) => {
    servers.push(server);
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  };
  aliyunUrl = await listen(fakeAliyun(sent, Date.now), 4510);
  tencentUrl = await listen(fakeTencent(sent, Date.now), 4511);
});
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
});

const aliyun = (o: { secret?: string; templates?: Record<string, string> } = {}) =>
  aliyunSms({
    accessKeyId: ALIYUN.id,
    accessKeySecret: o.secret ?? ALIYUN.secret,
    signName: ALIYUN.sign,
    templates: o.templates ?? { verification: 'SMS_CODE_1', 'order.dispatched': 'SMS_DISPATCH_2' },
    endpoint: aliyunUrl,
  });
const tencent = (o: { secret?: string; templates?: Record<string, string> } = {}) =>
  tencentSms({
    secretId: TENCENT.id,
    secretKey: o.secret ?? TENCENT.secret,
    sdkAppId: TENCENT.appId,
    signName: TENCENT.sign,
    templates: o.templates ?? { verification: '100001', 'order.dispatched': '100002' },
    endpoint: tencentUrl,
  });

describe('the adapters against the fakes', () => {
  it('Aliyun: a signed SendSms with the template and its variables is accepted', async () => {
    const phone = freshPhone();
    await expect(aliyun().send({ phone, kind: 'verification', params: [['code', '123456']] })).resolves.toMatchObject({ id: expect.any(String) });
    expect(sent.at(-1)).toEqual({ provider: 'aliyun', phone, template: 'SMS_CODE_1', params: { code: '123456' } });
  });

  it('Aliyun: a wrong secret is refused as the real service refuses it (SignatureDoesNotMatch), and so is a tampered request', async () => {
    const err = await aliyun({ secret: 'not-the-secret' })
      .send({ phone: freshPhone(), kind: 'verification', params: [['code', '111111']] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsError);
    expect((err as SmsError).code).toBe('SignatureDoesNotMatch');
    // A correctly signed request with one parameter changed afterwards.
    const params: Record<string, string> = {
      AccessKeyId: ALIYUN.id,
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: '13900000001',
      RegionId: 'cn-hangzhou',
      SignName: ALIYUN.sign,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: crypto.randomUUID(),
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_CODE_1',
      TemplateParam: '{"code":"222222"}',
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    params.Signature = aliyunSignature('POST', params, ALIYUN.secret);
    params.PhoneNumbers = '13900000002';
    const res = await fetch(aliyunUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });
    expect(((await res.json()) as { Code: string }).Code).toBe('SignatureDoesNotMatch');
  });

  it('Aliyun: an unregistered template and missing variables get the provider’s codes', async () => {
    const wrongTemplate = await aliyun({ templates: { verification: 'SMS_NOT_REGISTERED' } })
      .send({ phone: freshPhone(), kind: 'verification', params: [['code', '1']] })
      .catch((e: unknown) => e);
    expect((wrongTemplate as SmsError).code).toBe('isv.SMS_TEMPLATE_ILLEGAL');
    const missing = await aliyun()
      .send({ phone: freshPhone(), kind: 'verification', params: [['other', '1']] })
      .catch((e: unknown) => e);
    expect((missing as SmsError).code).toBe('isv.TEMPLATE_MISSING_PARAMETERS');
  });

  it('Tencent: a TC3-signed SendSms with the template and its parameters is accepted', async () => {
    const phone = freshPhone();
    await expect(tencent().send({ phone, kind: 'order.dispatched', params: [['title', '新派单 D2612070004，请及时接单']] })).resolves.toMatchObject({
      id: expect.any(String),
    });
    expect(sent.at(-1)).toEqual({ provider: 'tencent', phone, template: '100002', params: ['新派单 D2612070004，请及时接单'] });
  });

  it('Tencent: a wrong secret key is refused (AuthFailure.SignatureFailure), a wrong template count too', async () => {
    const err = await tencent({ secret: 'wrong' })
      .send({ phone: freshPhone(), kind: 'verification', params: [['code', '1']] })
      .catch((e: unknown) => e);
    expect((err as SmsError).code).toBe('AuthFailure.SignatureFailure');
    const count = await tencent()
      .send({ phone: freshPhone(), kind: 'verification', params: [] })
      .catch((e: unknown) => e);
    expect((count as SmsError).code).toBe('FailedOperation.TemplateParamSetNotMatchApprovedTemplate');
  });

  it('a provider that cannot be reached is an SmsError, not a crash', async () => {
    const down = aliyunSms({ accessKeyId: 'x', accessKeySecret: 'y', signName: 'z', templates: { verification: 'SMS_1' }, endpoint: 'http://127.0.0.1:4599/' });
    const err = await down.send({ phone: freshPhone(), kind: 'verification', params: [['code', '1']] }).catch((e: unknown) => e);
    expect((err as SmsError).code).toBe('NETWORK');
  });
});

describe('SMS settings', () => {
  it('a real provider needs its keys, a signature and the code template; log needs nothing', () => {
    expect(loadConfig({}).SMS_PROVIDER).toBe('log');
    const err = (() => {
      try {
        loadConfig({ SMS_PROVIDER: 'tencent', SMS_SECRET_ID: 'a' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.problems).toEqual([
      'SMS_SECRET_KEY: is required when SMS_PROVIDER=tencent (got nothing)',
      'SMS_SDK_APP_ID: is required when SMS_PROVIDER=tencent (got nothing)',
      'SMS_SIGN_NAME: is required when SMS_PROVIDER=tencent (got nothing)',
      'SMS_TEMPLATE_CODE: is required when SMS_PROVIDER=tencent (got nothing)',
    ]);
    expect(() =>
      loadConfig({ SMS_PROVIDER: 'aliyun', SMS_ACCESS_KEY_ID: 'a', SMS_ACCESS_KEY_SECRET: 'b', SMS_SIGN_NAME: 'c', SMS_TEMPLATE_CODE: 'SMS_1' }),
    ).not.toThrow();
    expect(() => loadConfig({ SMS_PROVIDER: 'yunpian' })).toThrow(ConfigError);
  });
});

// ---------------------------------------------------------------- through the app, configured only by settings

describe.each(DATABASES)('the app sends through the configured provider on %s', (kind) => {
  for (const provider of ['aliyun', 'tencent'] as const) {
    describe(provider, () => {
      let ctx: TestContext;
      let t: Tree;
      beforeAll(async () => {
        const settings =
          provider === 'aliyun'
            ? {
                SMS_ACCESS_KEY_ID: ALIYUN.id,
                SMS_ACCESS_KEY_SECRET: ALIYUN.secret,
                SMS_TEMPLATE_CODE: 'SMS_CODE_1',
                SMS_TEMPLATE_ORDER_DISPATCHED: 'SMS_DISPATCH_2',
                SMS_TEMPLATE_ORDER_ESCALATED: 'SMS_DISPATCH_2',
              }
            : {
                SMS_SECRET_ID: TENCENT.id,
                SMS_SECRET_KEY: TENCENT.secret,
                SMS_SDK_APP_ID: TENCENT.appId,
                SMS_TEMPLATE_CODE: '100001',
                SMS_TEMPLATE_ORDER_DISPATCHED: '100002',
                SMS_TEMPLATE_ORDER_ESCALATED: '100002',
              };
        ctx = await createTestContext(kind, {
          SMS_PROVIDER: provider,
          SMS_ENDPOINT: provider === 'aliyun' ? aliyunUrl : tencentUrl,
          SMS_SIGN_NAME: '文明实践云',
          ...settings,
        });
      });
      afterAll(() => ctx.close());

      it('a resident signs in with the code the provider delivered', async () => {
        const phone = freshPhone();
        expect((await ctx.request({ method: 'POST', url: '/api/v1/auth/sms-codes', payload: { phone, purpose: 'login' } })).statusCode).toBe(202);
        const delivered = sent.filter((s) => s.provider === provider && s.phone === phone);
        expect(delivered).toHaveLength(1);
        const code = provider === 'aliyun' ? (delivered[0]!.params as Record<string, string>).code : (delivered[0]!.params as string[])[0];
        expect(code).toMatch(/^\d{6}$/);
        const res = await ctx.request({ method: 'POST', url: '/api/v1/auth/sms-login', payload: { phone, code, consent: true } });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().created).toBe(true);
      });

      it('the volunteer an order is dispatched to gets a text message through the provider', async () => {
        t = await buildTree(ctx);
        const dispatcher = await staff(ctx, 'dispatcher', t.wucheng, '坞城调度员');
        const v = await volunteer(ctx, t.shifanjie, { name: '短信志愿者' });
        const resident = await ctx.register('张奶奶');
        const order = await ctx.request({
          method: 'POST',
          url: '/api/v1/orders',
          payload: { content: '想请医生上门量血压', orgId: t.shifanjie },
          as: resident,
        });
        expect(order.statusCode, order.body).toBe(201);
        const d = await ctx.request({
          method: 'POST',
          url: `/api/v1/orders/${order.json().id}/dispatch`,
          payload: { volunteerId: v.volunteerId },
          as: dispatcher,
        });
        expect(d.statusCode, d.body).toBe(200);
        const toVolunteer = sent.filter((s) => s.provider === provider && s.phone === v.phone);
        expect(toVolunteer).toHaveLength(1);
        expect(toVolunteer[0]!.template).toBe(provider === 'aliyun' ? 'SMS_DISPATCH_2' : '100002');
        const title = provider === 'aliyun' ? (toVolunteer[0]!.params as Record<string, string>).title : (toVolunteer[0]!.params as string[])[0];
        expect(title).toBe(`新派单 ${order.json().code}，请及时接单`);
      });

      it('the dispatchers of the desk an overdue order escalates to get a text message through the provider', async () => {
        const centerDispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '小店区调度员');
        const centerPhone = (await ctx.request({ method: 'GET', url: '/api/v1/me', as: centerDispatcher })).json().phone as string;
        const resident = await ctx.register('李大爷');
        const order = await ctx.request({
          method: 'POST',
          url: '/api/v1/orders',
          payload: { content: '楼道灯坏了想找人修', orgId: t.shifanjie },
          as: resident,
        });
        expect(order.statusCode, order.body).toBe(201);
        await ctx.database.raw.query('UPDATE orders SET accept_due_at = $2 WHERE id = $1', [order.json().id, new Date(testNow().getTime() - 3600_000)]);
        expect(await ctx.app.modules.orders.escalateOverdue()).toBeGreaterThanOrEqual(1);
        const told = sent.filter((s) => s.provider === provider && s.phone === centerPhone);
        expect(told).toHaveLength(1);
        const title = provider === 'aliyun' ? (told[0]!.params as Record<string, string>).title : (told[0]!.params as string[])[0];
        expect(title).toBe(`超时工单 ${order.json().code} 已上报，请督办`);
      });
    });
  }
});
