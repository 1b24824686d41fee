import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { testConfig } from '../src/config.ts';
import { aliyunSignature, aliyunSms } from '../src/lib/sms/aliyun.ts';
import { smsChannel } from '../src/lib/channels.ts';
import { createNotificationsRepository } from '../src/modules/notifications/notifications.repository.ts';
import { createOutboxRepository } from '../src/modules/notifications/outbox.repository.ts';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { testNow } from './helpers/clock.ts';

/**
 * Issue 17, "Delivery that does not lose messages": every SMS / WeChat message is an outbox row
 * written in the statement of the event; the sender claims it, tries, backs off, gives up after
 * OUTBOX_MAX_ATTEMPTS, and a process that stops between the commit and the send loses nothing.
 * The provider is a local fake of Aliyun SendSms that checks the signature and the parameters and
 * can be told to fail (isp.SYSTEM_ERROR, as Aliyun answers an outage) or to be unreachable.
 */

const REPLY_SECRET = 'reply-secret-0123456789abcdef';
const KEY = { id: 'LTAI5tOutboxKey', secret: 'outbox-fake-secret', sign: '文明实践云' };
const TEMPLATES: Record<string, string> = { SMS_CODE_9: 'code', SMS_DISPATCH_9: 'title', SMS_DONE_9: 'title' };

interface FakeAliyun {
  url: string;
  delivered: { phone: string; title: string }[];
  /** Requests to refuse with isp.SYSTEM_ERROR before answering OK again. */
  failNext: number;
  refused: number;
  close(): Promise<void>;
}

async function readBody(req: http.IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Listens on a free port of 4300–4399 (this session's range). */
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

async function fakeAliyun(): Promise<FakeAliyun> {
  const fake: FakeAliyun = { url: '', delivered: [], failNext: 0, refused: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    void (async () => {
      const answer = (status: number, code: string, message = code) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ RequestId: 'req', Code: code, Message: message, ...(code === 'OK' ? { BizId: `${fake.delivered.length}^0` } : {}) }));
      };
      const p = Object.fromEntries(new URLSearchParams(await readBody(req)));
      const missing = ['AccessKeyId', 'Action', 'PhoneNumbers', 'SignName', 'SignatureNonce', 'TemplateCode', 'Timestamp', 'Version', 'Signature'].filter(
        (k) => !p[k],
      );
      if (missing.length) return answer(400, 'MissingParameter', missing.join(','));
      if (p.AccessKeyId !== KEY.id) return answer(404, 'InvalidAccessKeyId.NotFound');
      if (aliyunSignature('POST', p, KEY.secret) !== p.Signature) return answer(400, 'SignatureDoesNotMatch');
      if (p.SignName !== KEY.sign) return answer(200, 'isv.SMS_SIGNATURE_ILLEGAL');
      const variable = TEMPLATES[p.TemplateCode!];
      if (!variable) return answer(200, 'isv.SMS_TEMPLATE_ILLEGAL');
      const vars = JSON.parse(p.TemplateParam ?? '{}') as Record<string, string>;
      if (Object.keys(vars).join() !== variable) return answer(200, 'isv.TEMPLATE_PARAMS_ILLEGAL');
      if (fake.failNext > 0) {
        fake.failNext--;
        fake.refused++;
        return answer(200, 'isp.SYSTEM_ERROR');
      }
      fake.delivered.push({ phone: p.PhoneNumbers!, title: vars.title! });
      answer(200, 'OK');
    })();
  });
  const port = await listen(server);
  fake.url = `http://127.0.0.1:${port}/`;
  fake.close = () => new Promise((r) => server.close(() => r()));
  return fake;
}

describe.each(DATABASES)('the message outbox on %s', (kind) => {
  let ctx: TestContext;
  let fake: FakeAliyun;
  let t: Tree;
  let dispatcher: Caller;
  let resident: Caller & { phone: string };
  let v: Awaited<ReturnType<typeof volunteer>>;
  let endpoint: string;
  const config = () =>
    testConfig({ WENMING_SEED: 'none', OUTBOX_MAX_ATTEMPTS: 3, SMS_PROVIDER: 'aliyun', SMS_ENDPOINT: endpoint, SMS_SIGN_NAME: KEY.sign } as never);
  const sender = () =>
    aliyunSms({
      accessKeyId: KEY.id,
      accessKeySecret: KEY.secret,
      signName: KEY.sign,
      templates: { verification: 'SMS_CODE_9', 'order.dispatched': 'SMS_DISPATCH_9', 'order.completed': 'SMS_DONE_9' },
      endpoint,
    });

  beforeAll(async () => {
    fake = await fakeAliyun();
    endpoint = fake.url;
    ctx = await createTestContext(kind, { OUTBOX_MAX_ATTEMPTS: 3, SMS_REPLY_SECRET: REPLY_SECRET }, { channels: [smsChannel(sender())] });
    t = await buildTree(ctx);
    dispatcher = await staff(ctx, 'dispatcher', t.wucheng, '坞城调度员');
    resident = await ctx.register('提交居民');
    v = await volunteer(ctx, t.shifanjie, { name: '短信志愿者' });
  });
  /** The process started in the restart test (the last one). */
  let restarted: FastifyInstance | null = null;
  afterAll(async () => {
    if (restarted) {
      await restarted.close();
      // The context's database handle is the fresh one, which can drop itself (helpers/test-app.ts freshDatabase).
      await (ctx.database as typeof ctx.database & { drop(): Promise<void> }).drop();
    } else await ctx.close();
    await fake.close();
  });

  const submit = async (content: string) => {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content, orgId: t.shifanjie }, as: resident });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; code: string }>();
  };
  const dispatch = async (app: FastifyInstance, id: string) => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/orders/${id}/dispatch`,
      payload: { volunteerId: v.volunteerId },
      headers: { authorization: `Bearer ${dispatcher.token}` },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const rows = async (code: string) =>
    ctx.database.raw.query<{ id: string; channel: string; status: string; attempts: number; last_error: string | null }>(
      `SELECT id, channel, status, attempts, last_error FROM message_outbox WHERE title LIKE $1 AND channel = 'sms' ORDER BY created_at`,
      [`%${code}%`],
    );
  const toVolunteer = (code: string) => fake.delivered.filter((m) => m.phone === v.phone && m.title.includes(code));
  const later = (minutes: number) => new Date(testNow().getTime() + minutes * 60_000);

  it('the provider refuses the first two attempts: the retries deliver the message exactly once', async () => {
    const o = await submit('想请人帮忙量血压');
    fake.failNext = 2;
    const refusedBefore = fake.refused;
    // The dispatch answers 200 although the provider refused: the message waits in the outbox.
    await dispatch(ctx.app, o.id);
    expect(fake.refused - refusedBefore).toBe(1);
    expect(toVolunteer(o.code)).toHaveLength(0);
    let [row] = await rows(o.code);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'isp.SYSTEM_ERROR' });
    // Not due yet (backoff): the job sends nothing now.
    await ctx.app.modules.outbox.deliverDue();
    expect(toVolunteer(o.code)).toHaveLength(0);
    // After the backoff: refused again, then delivered.
    await ctx.app.modules.outbox.deliverDue({ at: later(1) });
    expect(toVolunteer(o.code)).toHaveLength(0);
    await ctx.app.modules.outbox.deliverDue({ at: later(10) });
    expect(toVolunteer(o.code)).toHaveLength(1);
    [row] = await rows(o.code);
    expect(row).toMatchObject({ status: 'sent', attempts: 3 });
    // Further runs, even racing each other, send nothing again.
    await Promise.all([ctx.app.modules.outbox.deliverDue({ at: later(120) }), ctx.app.modules.outbox.deliverDue({ at: later(120) })]);
    expect(toVolunteer(o.code)).toHaveLength(1);
  });

  it('a provider down for good: the message is given up after OUTBOX_MAX_ATTEMPTS, and shown to staff, masked', async () => {
    const o = await submit('想找人陪同去医院');
    fake.failNext = 1000;
    await dispatch(ctx.app, o.id);
    await ctx.app.modules.outbox.deliverDue({ at: later(5) });
    await ctx.app.modules.outbox.deliverDue({ at: later(60) });
    const [row] = await rows(o.code);
    expect(row).toMatchObject({ status: 'dead', attempts: 3, last_error: 'isp.SYSTEM_ERROR' });
    await ctx.app.modules.outbox.deliverDue({ at: later(600) });
    expect((await rows(o.code))[0]!.attempts).toBe(3);

    const list = await ctx.request({ method: 'GET', url: '/api/v1/message-outbox?status=dead', as: ctx.admin });
    expect(list.statusCode, list.body).toBe(200);
    const item = list.json<{ items: { id: string; title: string; recipient: string; status: string }[] }>().items.find((i) => i.id === row!.id);
    expect(item).toMatchObject({ status: 'dead', recipient: `${v.phone.slice(0, 3)}****${v.phone.slice(7)}` });
    expect(list.body).not.toContain(v.phone);
    // Neither a resident nor a dispatcher reads the message log.
    expect((await ctx.request({ method: 'GET', url: '/api/v1/message-outbox', as: resident })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/message-outbox', as: dispatcher })).statusCode).toBe(403);

    fake.failNext = 0;
  });

  it('an event written twice (a job in two processes) is one message per person and channel', async () => {
    const notices = createNotificationsRepository(ctx.database.db);
    const n = { userIds: [resident.userId], cityCode: '1401', kind: 'order.completed', title: '工单 TWICE01 已办结', eventKey: 'test:twice' };
    await notices.add(ctx.database.db, n);
    await notices.add(ctx.database.db, n);
    const out = await ctx.database.raw.query<{ channel: string }>(`SELECT channel FROM message_outbox WHERE event_key = 'test:twice' ORDER BY channel`);
    expect(out.map((r) => r.channel)).toEqual(['sms', 'wechat']);
    await ctx.app.modules.outbox.deliverDue({ at: later(200) });
    expect(fake.delivered.filter((m) => m.title.includes('TWICE01'))).toHaveLength(1);
    // wechat is not configured in this process: recorded as skipped, not lost silently.
    const [w] = await ctx.database.raw.query<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM message_outbox WHERE event_key = 'test:twice' AND channel = 'wechat'`,
    );
    expect(w).toEqual({ status: 'skipped', last_error: 'NOT_CONFIGURED' });
  });

  it('消息设置: a person turns a kind off by SMS and it is skipped; a duty notice cannot be turned off', async () => {
    const get = await ctx.request({ method: 'GET', url: '/api/v1/me/notice-settings', as: resident });
    expect(get.statusCode, get.body).toBe(200);
    expect(get.json<{ items: { kind: string; sms: boolean }[] }>().items.find((i) => i.kind === 'order.completed')).toMatchObject({ sms: true });
    const off = await ctx.request({
      method: 'PUT',
      url: '/api/v1/me/notice-settings',
      payload: { kind: 'order.completed', channel: 'sms', enabled: false },
      as: resident,
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json<{ items: { kind: string; sms: boolean; wechat: boolean }[] }>().items.find((i) => i.kind === 'order.completed')).toMatchObject({
      sms: false,
      wechat: true,
    });
    const duty = await ctx.request({
      method: 'PUT',
      url: '/api/v1/me/notice-settings',
      payload: { kind: 'order.dispatched', channel: 'sms', enabled: false },
      as: v,
    });
    expect(duty.statusCode).toBe(400);

    const notices = createNotificationsRepository(ctx.database.db);
    await notices.add(ctx.database.db, {
      userIds: [resident.userId],
      cityCode: '1401',
      kind: 'order.completed',
      title: '工单 OPTOUT1 已办结',
      eventKey: 'test:optout',
    });
    await ctx.app.modules.outbox.deliverDue({ at: later(300) });
    expect(fake.delivered.filter((m) => m.title.includes('OPTOUT1'))).toHaveLength(0);
    const [r] = await ctx.database.raw.query<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM message_outbox WHERE event_key = 'test:optout' AND channel = 'sms'`,
    );
    expect(r).toEqual({ status: 'skipped', last_error: 'OPTED_OUT' });
  });
  it('回复TD退订: a reply pushed by the provider (Tencent one by one, Aliyun in batches) turns the optional SMS notices off', async () => {
    const other = await ctx.register('另一位居民');
    const reply = (secret: string, payload: object) => ctx.request({ method: 'POST', url: `/api/v1/sms/replies/${secret}`, payload });
    expect((await reply('wrong-secret-0123456789abcdef', { mobile: resident.phone, nationcode: '86', text: 'TD' })).statusCode).toBe(404);
    // Not a stop word: nothing recorded.
    const hello = await reply(REPLY_SECRET, { mobile: resident.phone, nationcode: '86', text: '谢谢', time: 1, sign: KEY.sign, extend: '' });
    expect(hello.json()).toEqual({ result: 0, errmsg: 'OK' });
    const settingsOf = async (c: Caller) =>
      (await ctx.request({ method: 'GET', url: '/api/v1/me/notice-settings', as: c })).json<{
        smsRepliedStop: boolean;
        items: { kind: string; sms: boolean }[];
      }>();
    expect((await settingsOf(resident)).smsRepliedStop).toBe(false);
    const tencent = await reply(REPLY_SECRET, { mobile: `+86${resident.phone}`, nationcode: '86', text: ' td ', time: 1, sign: KEY.sign, extend: '' });
    expect(tencent.json()).toEqual({ result: 0, errmsg: 'OK' });
    const aliyun = await reply(REPLY_SECRET, [
      { phone_number: other.phone, content: '退订', send_time: '2026-12-07 10:00:00', sign_name: KEY.sign, dest_code: '1', sequence_id: 1 },
    ]);
    expect(aliyun.json()).toEqual({ code: 0, msg: '成功' });
    const s = await settingsOf(resident);
    expect(s.smsRepliedStop).toBe(true);
    expect(s.items.find((i) => i.kind === 'booking.approve')).toMatchObject({ sms: false });
    expect(s.items.find((i) => i.kind === 'order.dispatched')).toMatchObject({ sms: true });
    expect((await settingsOf(other)).smsRepliedStop).toBe(true);

    const notices = createNotificationsRepository(ctx.database.db);
    await notices.add(ctx.database.db, {
      userIds: [other.userId],
      cityCode: '1401',
      kind: 'booking.approve',
      title: '预约已通过 TDSTOP1',
      eventKey: 'test:td1',
    });
    await notices.add(ctx.database.db, {
      userIds: [other.userId],
      cityCode: '1401',
      kind: 'order.completed',
      title: '工单 TDSTOP2 已办结',
      eventKey: 'test:td2',
    });
    await ctx.app.modules.outbox.deliverDue({ at: later(400) });
    expect(fake.delivered.filter((m) => m.title.includes('TDSTOP'))).toHaveLength(0);
    // Turning one kind back on restores that kind only.
    const on = await ctx.request({
      method: 'PUT',
      url: '/api/v1/me/notice-settings',
      payload: { kind: 'order.completed', channel: 'sms', enabled: true },
      as: other,
    });
    const after = on.json<{ smsRepliedStop: boolean; items: { kind: string; sms: boolean }[] }>();
    expect(after.smsRepliedStop).toBe(false);
    expect(after.items.find((i) => i.kind === 'order.completed')).toMatchObject({ sms: true });
    expect(after.items.find((i) => i.kind === 'booking.approve')).toMatchObject({ sms: false });
    await notices.add(ctx.database.db, {
      userIds: [other.userId],
      cityCode: '1401',
      kind: 'order.completed',
      title: '工单 TDSTOP3 已办结',
      eventKey: 'test:td3',
    });
    await ctx.app.modules.outbox.deliverDue({ at: later(401) });
    expect(fake.delivered.filter((m) => m.title.includes('TDSTOP')).map((m) => m.title)).toEqual(['工单 TDSTOP3 已办结']);
  });

  it('the server stops between the commit and the send, and during a send: after the restart each message goes out once', async () => {
    // The first process: the provider cannot be reached at all (its address refuses connections).
    await fake.close();
    const first = await submit('楼道灯坏了想找人修');
    await dispatch(ctx.app, first.id);
    expect((await rows(first.code))[0]).toMatchObject({ status: 'pending', attempts: 1, last_error: 'NETWORK' });
    // A second message is claimed by a sender that then dies (killed mid-send: no outcome recorded).
    const second = await submit('想请人帮忙买菜');
    const outbox = createOutboxRepository(ctx.database.db);
    const notices = createNotificationsRepository(ctx.database.db);
    await notices.add(ctx.database.db, {
      userIds: [v.userId],
      cityCode: '1401',
      kind: 'order.dispatched',
      title: `新派单 ${second.code}`,
      eventKey: `test:${second.id}`,
    });
    const claimed = await outbox.claim({ now: testNow(), leaseUntil: later(2), limit: 50, maxAttempts: 3, eventKeys: [`test:${second.id}`] });
    expect(claimed.filter((m) => m.channel === 'sms')).toHaveLength(1);
    await ctx.app.close();

    // The restart: a new process on the same database, the provider back.
    fake = await fakeAliyun();
    endpoint = fake.url;
    const second_ = await buildApp({ config: config(), database: ctx.database, webDist: null, channels: [smsChannel(sender())], clock: testNow });
    restarted = second_;
    // While the dead sender's lease runs, its message is not taken; the first one is due after its backoff.
    await second_.modules.outbox.deliverDue({ at: later(1) });
    expect(toVolunteer(first.code)).toHaveLength(1);
    expect(toVolunteer(second.code)).toHaveLength(0);
    await second_.modules.outbox.deliverDue({ at: later(5) });
    expect(toVolunteer(second.code)).toHaveLength(1);
    await second_.modules.outbox.deliverDue({ at: later(90) });
    expect(toVolunteer(first.code)).toHaveLength(1);
    expect(toVolunteer(second.code)).toHaveLength(1);
  });
});
