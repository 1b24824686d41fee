import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, freshPhone, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import type { SmsMessage, SmsSender } from '../src/lib/sms/sms.ts';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5fd3a5b0000000049454e44ae426082',
  'hex',
);

function multipart(bytes: Buffer) {
  const boundary = '----wenming-intake-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="现场.png"\r\nContent-Type: image/png\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function sheetRows(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  const out: string[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v as string | number)))));
  return { name: ws.name, rows: out };
}

/** Issue 18: 代点单 (assisted intake), the 工单台账 export, and pictures on orders. */
describe.each(DATABASES)('assisted intake, ledger export and order photos on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let clerk: Caller;
  let otherClerk: Caller;
  let outsider: Caller;
  let resident: Caller & { phone: string };
  const sms: SmsMessage[] = [];
  const sender: SmsSender = {
    provider: 'log',
    handles: (k: string): k is SmsMessage['kind'] => k === 'verification',
    async send(m) {
      sms.push(m);
      return { id: null };
    },
  };

  beforeAll(async () => {
    ctx = await createTestContext(kind, { RATE_LIMIT_PER_MINUTE: 100_000 }, { sms: sender });
    t = await buildTree(ctx);
    clerk = await staff(ctx, 'dispatcher', t.wucheng, '坞城街道值班员');
    otherClerk = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    outsider = await staff(ctx, 'dispatcher', t.xiaojingyu, '小井峪调度员');
    resident = await ctx.register('王奶奶');
  });
  afterAll(() => ctx.close());

  const assisted = (body: object, as: Caller = clerk, headers: Record<string, string> = {}) =>
    ctx.request({ method: 'POST', url: '/api/v1/orders/assisted', payload: { orgId: t.shifanjie, channel: 'phone', ...body }, as, headers });
  const act = (id: string, action: string, as: Caller, payload: object = {}) =>
    ctx.request({ method: 'POST', url: `/api/v1/orders/${id}/${action}`, payload, as });
  const inbox = async (as: Caller) =>
    (await ctx.request({ method: 'GET', url: '/api/v1/notifications?limit=100', as })).json().items as { kind: string; refId: string; title: string }[];

  it('enters an order for a resident found by phone: the order is theirs, they are told, and they rate it', async () => {
    const res = await assisted({
      residentName: '王奶奶',
      residentPhone: resident.phone,
      content: '家里水管漏水，老人行动不便，请帮忙找人修一修',
      channel: 'visit',
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect(o).toMatchObject({ state: 'submitted', requesterId: resident.userId, requesterName: '王奶奶', channel: 'visit', assisted: true });
    expect(o.timeline).toEqual([expect.objectContaining({ action: 'submit', actorId: clerk.userId, note: '坞城街道值班员代为登记（来访）' })]);
    // The resident sees it among their own orders, and was told it was entered.
    const mine = (await ctx.request({ method: 'GET', url: '/api/v1/orders?mine=true', as: resident })).json().items;
    expect(mine.map((x: { id: string }) => x.id)).toContain(o.id);
    expect(await inbox(resident)).toContainEqual(expect.objectContaining({ kind: 'order.entered', refId: o.id, title: `工作人员已为您登记诉求（${o.code}）` }));
    // The desk (the same clerk's 坞城) was told of the new order as for any other.
    expect(await inbox(clerk)).toContainEqual(expect.objectContaining({ kind: 'order.submitted', refId: o.id }));

    // The loop runs as for a resident's own order; the resident gets the notices and rates.
    const v = await volunteer(ctx, t.shifanjie, { name: '修理志愿者', skills: ['poverty'] });
    expect((await act(o.id, 'dispatch', clerk, { volunteerId: v.volunteerId })).statusCode).toBe(200);
    expect((await act(o.id, 'accept', v)).statusCode).toBe(200);
    expect((await act(o.id, 'start', v)).statusCode).toBe(200);
    expect((await act(o.id, 'complete', v, { report: '换了阀门', hours: 0.1 })).statusCode).toBe(200);
    expect(await inbox(resident)).toContainEqual(expect.objectContaining({ kind: 'order.completed', refId: o.id }));
    expect((await act(o.id, 'rate', clerk, { score: 5 })).statusCode).toBe(403);
    const rated = await act(o.id, 'rate', resident, { score: 5, comment: '师傅很耐心' });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json().state).toBe('rated');

    // The entry is audited with its channel.
    const log = (await ctx.request({ method: 'GET', url: '/api/v1/audit-logs?action=order.assisted_submit&limit=50', as: ctx.admin })).json();
    expect(JSON.stringify(log)).toContain(o.id);
  });

  it('signs up a resident who has no account; they sign in later by SMS code and find their order', async () => {
    const phone = freshPhone();
    const res = await assisted({ residentName: '赵大爷', residentPhone: phone, content: '楼道灯坏了，晚上看不见', channel: 'hotline' });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect(o).toMatchObject({ requesterName: '赵大爷', channel: 'hotline', assisted: true });
    // Staff see the phone masked, as on any order.
    expect(o.requesterPhone).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    // No password was set: a password sign-in cannot succeed.
    expect((await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone, password: '!assisted-no-password' } })).statusCode).toBe(401);
    expect((await ctx.request({ method: 'POST', url: '/api/v1/auth/sms-codes', payload: { phone, purpose: 'login' } })).statusCode).toBe(202);
    const code = [...sms].reverse().find((m) => m.phone === phone)!.params[0]![1];
    const login = await ctx.request({ method: 'POST', url: '/api/v1/auth/sms-login', payload: { phone, code, consent: true } });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json()).toMatchObject({ created: false, user: { name: '赵大爷' } });
    const me = { token: login.json().token as string, userId: login.json().user.id as string };
    expect(me.userId).toBe(o.requesterId);
    const got = (await ctx.request({ method: 'GET', url: `/api/v1/orders/${o.id}`, as: me })).json();
    expect(got).toMatchObject({ id: o.id, requesterPhone: phone, allowedActions: ['cancel'] });
    expect(await inbox(me)).toContainEqual(expect.objectContaining({ kind: 'order.entered', refId: o.id }));

    // A second entry for the same phone finds the account (the name given does not rename it).
    const again = await assisted({ residentName: '赵某', residentPhone: phone, content: '楼道灯还是不亮', channel: 'grid' }, otherClerk);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ requesterId: o.requesterId, requesterName: '赵大爷', channel: 'grid' });
  });

  it('makes one account when two desks enter the same new resident at once', async () => {
    const phone = freshPhone();
    const results = await Promise.all(
      [clerk, otherClerk, clerk, otherClerk].map((as, i) =>
        assisted({ residentName: '孙阿姨', residentPhone: phone, content: `第${i + 1}次来电：小区门口占道经营` }, as),
      ),
    );
    for (const r of results) expect(r.statusCode, r.body).toBe(201);
    const requesters = new Set(results.map((r) => r.json().requesterId as string));
    expect(requesters.size).toBe(1);
    const codes = new Set(results.map((r) => r.json().code as string));
    expect(codes.size).toBe(4);
    const users = (await ctx.request({ method: 'GET', url: `/api/v1/users?q=${phone}`, as: ctx.admin })).json().items;
    expect(users.filter((u: { phone: string }) => u.phone === phone)).toHaveLength(1);
  });

  it('replays a retried entry with the same Idempotency-Key instead of entering it twice', async () => {
    const phone = freshPhone();
    const body = { residentName: '钱叔', residentPhone: phone, content: '想咨询医保报销政策' };
    const headers = { 'idempotency-key': `intake-${phone}` };
    const [a, b] = await Promise.all([assisted(body, clerk, headers), assisted(body, clerk, headers)]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).toBe(b.json().id);
    const mine = await ctx.request({ method: 'GET', url: `/api/v1/orders?q=${phone}&limit=50`, as: clerk });
    expect(mine.json().items).toHaveLength(1);
  });

  it('is for staff of the site’s subtree only, and checks its input', async () => {
    const body = { residentName: '周伯', residentPhone: freshPhone(), content: '需要帮忙' };
    expect((await assisted(body, resident)).statusCode).toBe(403);
    expect((await assisted(body, outsider)).statusCode).toBe(403);
    expect((await assisted(body, null as unknown as Caller)).statusCode).toBe(401);
    for (const bad of [{ residentPhone: '12345' }, { residentName: '' }, { channel: 'app' }, { channel: 'fax' }, { content: '' }]) {
      const res = await assisted({ ...body, ...bad });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    // Nothing was made for the refused ones.
    expect((await ctx.request({ method: 'GET', url: `/api/v1/users?q=${body.residentPhone}`, as: ctx.admin })).json().items).toHaveLength(0);
  });

  it('takes up to six pictures the caller uploaded, and shows them to the desk and the servers', async () => {
    const up = async (as: Caller) => {
      const res = await ctx.request({ method: 'POST', url: '/api/v1/uploads', ...multipart(PNG), as });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const mine = [await up(resident), await up(resident)];
    const theirs = await up(clerk);
    const submit = (photoIds: string[]) =>
      ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content: '楼道堆满杂物，有消防隐患', orgId: t.shifanjie, photoIds }, as: resident });
    const bad = await submit([mine[0]!, theirs]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([expect.objectContaining({ path: 'photoIds.1' })]);
    expect((await submit(Array.from({ length: 7 }, () => mine[0]!))).statusCode).toBe(400);
    const ok = await submit(mine);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().photos).toEqual(mine.map((id) => ({ id, url: `/api/v1/uploads/${id}` })));
    const asDesk = (await ctx.request({ method: 'GET', url: `/api/v1/orders/${ok.json().id}`, as: clerk })).json();
    expect(asDesk.photos.map((p: { id: string }) => p.id)).toEqual(mine);
    // Staff entering for a resident attach their own pictures.
    const entered = await assisted({ residentName: '王奶奶', residentPhone: resident.phone, content: '墙皮脱落', photoIds: [theirs] });
    expect(entered.statusCode, entered.body).toBe(201);
    expect(entered.json().photos).toEqual([{ id: theirs, url: `/api/v1/uploads/${theirs}` }]);
  });

  it('exports the filtered ledger as .xlsx with the list’s filters, audited, for staff and officers only', async () => {
    const stamp = `台账${testNow().getTime()}`;
    const a = await assisted({ residentName: '王奶奶', residentPhone: resident.phone, content: `${stamp} 夜里广场舞噪音扰民`, channel: 'phone' });
    const b = await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content: `${stamp} 想学智能手机`, orgId: t.shifanjie }, as: resident });
    const other = await ctx.request({
      method: 'POST',
      url: '/api/v1/orders',
      payload: { content: `${stamp} 小井峪的诉求`, orgId: t.xiaojingyu },
      as: resident,
    });
    for (const r of [a, b, other]) expect(r.statusCode, r.body).toBe(201);

    const res = await ctx.request({ method: 'GET', url: `/api/v1/orders/export?q=${encodeURIComponent(stamp)}`, as: clerk });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain('attachment');
    const { name, rows } = await sheetRows(res.rawPayload);
    expect(name).toBe('工单台账');
    expect(rows[0]).toEqual(expect.arrayContaining(['工单编号', '状态', '来源渠道', '诉求内容', '联系电话']));
    const head = rows[0]!;
    const col = (h: string) => head.indexOf(h);
    // Only 坞城's two (the clerk's scope), newest first.
    expect(rows.slice(1).map((r) => r[col('工单编号')])).toEqual([b.json().code, a.json().code]);
    const rowA = rows.find((r) => r[col('工单编号')] === a.json().code)!;
    expect(rowA[col('来源渠道')]).toBe('电话');
    expect(rowA[col('状态')]).toBe('待派单');
    expect(rowA[col('群众')]).toBe('王奶奶');
    expect(rowA[col('联系电话')]).toBe(`${resident.phone.slice(0, 3)}****${resident.phone.slice(7)}`);
    expect(rowA[col('诉求内容')]).toContain('广场舞');
    expect(rows.find((r) => r[col('工单编号')] === b.json().code)![col('来源渠道')]).toBe('群众自助');

    // The same filters as the list: by nature.
    const narrow = await ctx.request({
      method: 'GET',
      url: `/api/v1/orders/export?q=${encodeURIComponent(stamp)}&nature=service&category=${b.json().category}`,
      as: clerk,
    });
    const list = await ctx.request({
      method: 'GET',
      url: `/api/v1/orders?q=${encodeURIComponent(stamp)}&nature=service&category=${b.json().category}&limit=50`,
      as: clerk,
    });
    expect((await sheetRows(narrow.rawPayload)).rows.slice(1).map((r) => r[0])).toEqual(list.json().items.map((o: { code: string }) => o.code));

    // Residents cannot export; bad filters are a 400; the export is audited with its filter.
    expect((await ctx.request({ method: 'GET', url: '/api/v1/orders/export', as: resident })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/orders/export?urgency=soon', as: clerk })).statusCode).toBe(400);
    const log = (await ctx.request({ method: 'GET', url: '/api/v1/audit-logs?action=order.export&limit=50', as: ctx.admin })).json();
    expect(JSON.stringify(log)).toContain(stamp);
  });

  it('streams a ledger longer than one page (500 rows) whole: no row lost or repeated at the seam', async () => {
    const stamp = `长台账${testNow().getTime()}`;
    const seed = await assisted({ residentName: '王奶奶', residentPhone: resident.phone, content: `${stamp} 第0件` });
    expect(seed.statusCode, seed.body).toBe(201);
    // 520 more copies of it, a second apart, written directly (the export's paging is what is tested).
    await ctx.database.raw.query(
      `INSERT INTO orders (city_code, id, code, org_id, handling_org_id, requester_id, content, category, nature, urgency, triage,
         accept_due_at, first_accept_due_at, channel, entered_by, created_at, updated_at)
       SELECT o.city_code, gen_random_uuid(), 'D9' || lpad(g::text, 9, '0'), o.org_id, o.handling_org_id, o.requester_id,
         o.content || '-' || g, o.category, o.nature, o.urgency, o.triage, o.accept_due_at, o.first_accept_due_at, o.channel, o.entered_by,
         o.created_at - g * interval '1 second', o.updated_at
       FROM orders o CROSS JOIN generate_series(1, 520) g WHERE o.id = $1`,
      [seed.json().id],
    );
    const res = await ctx.request({ method: 'GET', url: `/api/v1/orders/export?q=${encodeURIComponent(stamp)}`, as: clerk });
    expect(res.statusCode).toBe(200);
    const codes = (await sheetRows(res.rawPayload)).rows.slice(1).map((r) => r[0]);
    expect(codes).toHaveLength(521);
    expect(new Set(codes).size).toBe(521);
    expect(codes[0]).toBe(seed.json().code);
    expect(codes.at(-1)).toBe('D9000000520');
  });

  it('lets a department officer export their queue, with their complainants’ whole phones (the export audited)', async () => {
    const dept = (
      await ctx.request({ method: 'POST', url: '/api/v1/departments', payload: { orgId: t.xiaodian, name: '小店区城市管理局' }, as: ctx.admin })
    ).json().id as string;
    const u = await ctx.register('城管局专员');
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/users/${u.userId}/roles`, payload: { role: 'dept_officer', departmentId: dept }, as: ctx.admin }))
        .statusCode,
    ).toBe(201);
    const officer = await ctx.login(u.phone, 'password123');
    const stamp = `部门台账${testNow().getTime()}`;
    const o = (await assisted({ residentName: '王奶奶', residentPhone: resident.phone, content: `${stamp} 小区门口占道经营` })).json();
    const other = (await assisted({ residentName: '王奶奶', residentPhone: resident.phone, content: `${stamp} 别的事` })).json();
    expect((await act(o.id, 'forward', clerk, { departmentId: dept })).statusCode).toBe(200);
    const res = await ctx.request({ method: 'GET', url: `/api/v1/orders/export?q=${encodeURIComponent(stamp)}`, as: officer });
    expect(res.statusCode, res.body).toBe(200);
    const { rows } = await sheetRows(res.rawPayload);
    const col = (h: string) => rows[0]!.indexOf(h);
    expect(rows.slice(1).map((r) => r[col('工单编号')])).toEqual([o.code]);
    expect(rows[1]![col('联系电话')]).toBe(resident.phone);
    expect(rows[1]![col('承办队伍/志愿者/部门')]).toBe('小店区城市管理局');
    expect(rows.slice(1).map((r) => r[0])).not.toContain(other.code);
  });
});
