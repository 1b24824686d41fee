import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';

async function sheet(body: Buffer, index = 0) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[index]!;
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { name: ws.name, rows };
}

describe.each(DATABASES)('the love supermarket: lists, races, reports and exports on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let wcAdmin: Caller;
  let xdAdmin: Caller;
  let wcDispatcher: Caller;
  let pcAdmin: Caller;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    wcAdmin = await staff(ctx, 'org_admin', t.wucheng, '坞城所管理员');
    xdAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    wcDispatcher = await staff(ctx, 'dispatcher', t.wucheng, '坞城调度员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng, '平城区管理员');
  });
  afterAll(() => ctx.close());

  async function grant(user: Caller, delta: number, orgId = t.shifanjie) {
    const req = await ctx.request({
      method: 'POST',
      url: '/api/v1/points/adjustments',
      payload: { userId: user.userId, orgId, delta, reason: '垃圾分类积极分子' },
      as: wcAdmin,
    });
    expect(req.statusCode, req.body).toBe(201);
    const ok = await ctx.request({ method: 'POST', url: `/api/v1/points/adjustments/${req.json().id}/approve`, payload: {}, as: xdAdmin });
    expect(ok.statusCode, ok.body).toBe(200);
  }
  const reward = async (body: object, as: Caller = wcAdmin) => {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/rewards', payload: { orgId: t.shifanjie, name: '食用油', cost: 10, stock: 3, ...body }, as });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const redeem = (id: string, as: Caller, quantity = 1) => ctx.request({ method: 'POST', url: `/api/v1/rewards/${id}/redeem`, payload: { quantity }, as });
  const balance = async (u: Caller) => (await ctx.request({ method: 'GET', url: '/api/v1/points/me', as: u })).json().balance as number;
  const stock = async (id: string) => (await ctx.database.raw.query<{ stock: number }>('SELECT stock FROM rewards WHERE id = $1', [id]))[0]!.stock;

  it('50 concurrent redemptions from ten accounts for a stock of 10: exactly 10 succeed, each debited once', async () => {
    const people: Caller[] = [];
    for (let i = 0; i < 10; i++) {
      const u = await ctx.register(`抢购${i}`);
      await grant(u, 100);
      people.push(u);
    }
    const id = await reward({ name: '爱心大米', cost: 10, stock: 10 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => redeem(id, people[i % 10]!)));
    const ok = results.filter((r) => r.statusCode === 201);
    expect(ok).toHaveLength(10);
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'OUT_OF_STOCK')).toBe(true);
    expect(ok.length + results.filter((r) => r.statusCode === 409).length).toBe(50);
    expect(await stock(id)).toBe(0);
    expect(new Set(ok.map((r) => r.json().pickupCode)).size).toBe(10);
    const balances = await Promise.all(people.map(balance));
    expect(balances.reduce((s, b) => s + b, 0)).toBe(1000 - 10 * 10);
    expect(balances.every((b) => b >= 0 && (100 - b) % 10 === 0)).toBe(true);
    const debits = await ctx.database.raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM points_ledger l JOIN redemptions d ON d.city_code = l.city_code AND d.id = l.source_id WHERE d.reward_id = $1 AND l.reason = 'redeem'`,
      [id],
    );
    expect(debits[0]!.n).toBe(10);
    expect((await ctx.app.modules.points.reconcile()).ok).toBe(true);
  });

  it('one account redeeming concurrently past its balance: never below zero, reconciled after', async () => {
    const u = await ctx.register('余额有限');
    await grant(u, 35);
    const id = await reward({ name: '洗洁精', cost: 10, stock: 100 });
    const results = await Promise.all(Array.from({ length: 12 }, () => redeem(id, u)));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(3);
    expect(results.filter((r) => r.statusCode === 422).every((r) => r.json().error.code === 'INSUFFICIENT_POINTS')).toBe(true);
    expect(await balance(u)).toBe(5);
    expect(await stock(id)).toBe(97);
    const r = await ctx.app.modules.points.reconcile();
    expect(r).toMatchObject({ ok: true, mismatches: [], redemptions: [], orphans: 0 });
  });

  it('offers the rewards of my sites and above, refuses a foreign site’s reward, and shows my month', async () => {
    const vol = await volunteer(ctx, t.shifanjie, { name: '商城志愿者' });
    await grant(vol, 50);
    const own = await reward({ name: '毛巾', cost: 5, stock: 4, perUserLimit: 2, description: '纯棉毛巾一条' });
    const district = await reward({ orgId: t.xiaodian, name: '保温杯', cost: 30, stock: 1 }, xdAdmin);
    const datong = await reward({ orgId: t.pingcheng, name: '平城特产', cost: 5, stock: 10 }, pcAdmin);
    const other = await reward({ orgId: t.xiaojingyu, name: '小井峪奖品', cost: 5, stock: 10 }, ctx.admin);
    const list = await ctx.request({ method: 'GET', url: '/api/v1/rewards/available', as: vol });
    expect(list.statusCode, list.body).toBe(200);
    const ids = list.json().map((r: { id: string }) => r.id);
    expect(ids).toEqual(expect.arrayContaining([own, district]));
    expect(ids).not.toContain(datong);
    expect(ids).not.toContain(other);
    const towel = list.json().find((r: { id: string }) => r.id === own);
    expect(towel).toMatchObject({ name: '毛巾', description: '纯棉毛巾一条', perUserLimit: 2, myMonthQuantity: 0, photoIds: [], allowedActions: ['redeem'] });

    // A reward of another site's supermarket: refused, nothing written.
    for (const id of [datong, other]) {
      const res = await redeem(id, vol);
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('RULE_VIOLATION');
    }
    expect(await balance(vol)).toBe(50);
    expect(await stock(other)).toBe(10);

    expect((await redeem(own, vol, 2)).statusCode).toBe(201);
    const again = (await ctx.request({ method: 'GET', url: '/api/v1/rewards/available', as: vol })).json().find((r: { id: string }) => r.id === own);
    expect(again).toMatchObject({ myMonthQuantity: 2, stock: 2, allowedActions: [] }); // the monthly limit is reached
    // A new resident with no site and no points sees nothing to redeem.
    expect((await ctx.request({ method: 'GET', url: '/api/v1/rewards/available', as: await ctx.register() })).json()).toEqual([]);
    // Staff manage a subtree, retired rewards too; a site's residents see it and the sites above.
    await ctx.request({ method: 'POST', url: `/api/v1/rewards/${district}/retire`, payload: {}, as: xdAdmin });
    const managed = (await ctx.request({ method: 'GET', url: `/api/v1/rewards?orgId=${t.xiaodian}&subtree=true`, as: xdAdmin })).json();
    expect(managed.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([own, district]));
    expect(managed.find((r: { id: string }) => r.id === district).status).toBe('retired');
    expect((await ctx.request({ method: 'GET', url: `/api/v1/rewards?orgId=${t.xiaodian}&subtree=true`, as: wcAdmin })).statusCode).toBe(403);
    const residentView = (await ctx.request({ method: 'GET', url: `/api/v1/rewards?orgId=${t.shifanjie}`, as: vol })).json();
    expect(residentView.map((r: { id: string }) => r.id)).not.toContain(district);
  });

  it('takes reward pictures by upload id and refuses unknown ones', async () => {
    const missing = await ctx.request({
      method: 'POST',
      url: '/api/v1/rewards',
      payload: { orgId: t.shifanjie, name: '围巾', cost: 10, stock: 1, photoIds: [crypto.randomUUID()] },
      as: wcAdmin,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].path).toBe('photoIds.0');
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/rewards',
          payload: { orgId: t.shifanjie, name: '围巾', cost: 10, stock: 1, photoIds: ['x'] },
          as: wcAdmin,
        })
      ).statusCode,
    ).toBe(400);
    const uploadId = crypto.randomUUID();
    await ctx.database.raw.query(`INSERT INTO uploads (id, owner_id, content_type, byte_size, sha256) VALUES ($1, $2, 'image/png', 10, $3)`, [
      uploadId,
      wcAdmin.userId,
      'a'.repeat(64),
    ]);
    const ok = await ctx.request({
      method: 'POST',
      url: '/api/v1/rewards',
      payload: {
        orgId: t.shifanjie,
        name: '围巾',
        cost: 10,
        stock: 1,
        photoIds: [uploadId],
        availableFrom: '2026-01-01T00:00:00+08:00',
        availableTo: '2099-01-01T00:00:00+08:00',
      },
      as: wcAdmin,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ photoIds: [uploadId], availableFrom: '2026-01-01T00:00:00+08:00' });
  });

  it('lists and exports a site’s redemptions with filters, scoped to the caller', async () => {
    const u = await ctx.register('王大妈');
    await grant(u, 100);
    const soap = await reward({ name: '香皂', cost: 4, stock: 20 });
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) codes.push((await redeem(soap, u)).json().pickupCode);
    const first = (await ctx.request({ method: 'GET', url: `/api/v1/redemptions?pickupCode=${codes[0]}`, as: wcAdmin })).json()[0];
    expect(first).toMatchObject({ status: 'pending_pickup', userName: '王大妈', rewardName: '香皂', allowedActions: ['fulfill'] });
    expect(first.userPhone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    await ctx.request({ method: 'POST', url: `/api/v1/redemptions/${first.id}/fulfill`, payload: { pickupCode: codes[0] }, as: wcDispatcher });
    // The stale code still finds the redemption, marked as picked up, with nothing left to do.
    const stale = (await ctx.request({ method: 'GET', url: `/api/v1/redemptions?pickupCode=${codes[0]}`, as: wcAdmin })).json()[0];
    expect(stale).toMatchObject({ status: 'fulfilled', allowedActions: [] });
    expect(stale.fulfilledAt).toBeTruthy();

    const page1 = await ctx.request({ method: 'GET', url: `/api/v1/rewards/redemptions?rewardId=${soap}&limit=2`, as: wcAdmin });
    expect(page1.statusCode, page1.body).toBe(200);
    expect(page1.json().items).toHaveLength(2);
    const page2 = (
      await ctx.request({ method: 'GET', url: `/api/v1/rewards/redemptions?rewardId=${soap}&limit=2&cursor=${page1.json().nextCursor}`, as: wcAdmin })
    ).json();
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    const fulfilled = (await ctx.request({ method: 'GET', url: `/api/v1/rewards/redemptions?rewardId=${soap}&status=fulfilled`, as: wcAdmin })).json().items;
    expect(fulfilled.map((d: { pickupCode: string }) => d.pickupCode)).toEqual([codes[0]]);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(testNow());
    expect(
      (await ctx.request({ method: 'GET', url: `/api/v1/rewards/redemptions?rewardId=${soap}&from=${today}&to=${today}`, as: wcAdmin })).json().items,
    ).toHaveLength(3);
    expect(
      (await ctx.request({ method: 'GET', url: `/api/v1/rewards/redemptions?rewardId=${soap}&from=2020-01-01&to=2020-01-31`, as: wcAdmin })).json().items,
    ).toHaveLength(0);
    // Scope and bad input.
    expect((await ctx.request({ method: 'GET', url: `/api/v1/rewards/redemptions?orgId=${t.wucheng}`, as: pcAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/rewards/redemptions?rewardId=${soap}`, as: pcAdmin })).json().items).toEqual([]);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/rewards/redemptions', as: u })).statusCode).toBe(403);
    for (const q of ['status=lost', 'from=2026-13-01', 'limit=0', 'cursor=nonsense', 'from=2026-05-02&to=2026-05-01'])
      expect((await ctx.request({ method: 'GET', url: `/api/v1/rewards/redemptions?${q}`, as: wcAdmin })).statusCode, q).toBe(400);

    const x = await ctx.request({ method: 'GET', url: `/api/v1/rewards/redemptions.xlsx?rewardId=${soap}`, as: wcAdmin });
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(x.headers['content-disposition']).toContain('attachment');
    const { name, rows } = await sheet(x.rawPayload);
    expect(name).toBe('兑换记录');
    expect(rows[0]).toEqual(['兑换时间', '奖品', '数量', '积分', '兑换人', '手机号', '取货码', '状态', '领取时间', '所属阵地', '取货地点']);
    expect(
      rows
        .slice(1)
        .map((r) => r[6])
        .sort(),
    ).toEqual([...codes].sort());
    expect(rows.slice(1).find((r) => r[6] === codes[0])![7]).toBe('已领取');
    expect((await ctx.request({ method: 'GET', url: `/api/v1/rewards/redemptions.xlsx?orgId=${t.wucheng}`, as: pcAdmin })).statusCode).toBe(403);
  });

  it('lists pending adjustments with who may decide them; by phone too; a second person decides once', async () => {
    const u = await ctx.register('李大爷');
    const byPhone = await ctx.request({
      method: 'POST',
      url: '/api/v1/points/adjustments',
      payload: { phone: u.phone, orgId: t.shifanjie, delta: 30, reason: '文明家庭' },
      as: wcAdmin,
    });
    expect(byPhone.statusCode, byPhone.body).toBe(201);
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/points/adjustments',
          payload: { phone: '13000000000', orgId: t.shifanjie, delta: 30, reason: '文明家庭' },
          as: wcAdmin,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await ctx.request({ method: 'POST', url: '/api/v1/points/adjustments', payload: { orgId: t.shifanjie, delta: 30, reason: '文明家庭' }, as: wcAdmin }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/points/adjustments',
          payload: { userId: crypto.randomUUID(), orgId: t.shifanjie, delta: 30, reason: 'x' },
          as: wcAdmin,
        })
      ).statusCode,
    ).toBe(404);
    const mineList = (await ctx.request({ method: 'GET', url: '/api/v1/points/adjustments?status=pending', as: wcAdmin })).json();
    const row = mineList.find((a: { id: string }) => a.id === byPhone.json().id);
    expect(row).toMatchObject({
      userId: u.userId,
      userName: '李大爷',
      delta: 30,
      reason: '文明家庭',
      status: 'pending',
      requestedByName: '坞城所管理员',
      allowedActions: [],
    });
    const other = (await ctx.request({ method: 'GET', url: '/api/v1/points/adjustments?status=pending', as: xdAdmin }))
      .json()
      .find((a: { id: string }) => a.id === byPhone.json().id);
    expect(other.allowedActions).toEqual(['approve', 'reject']);
    expect(
      (await ctx.request({ method: 'GET', url: '/api/v1/points/adjustments', as: pcAdmin })).json().some((a: { id: string }) => a.id === byPhone.json().id),
    ).toBe(false);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/points/adjustments?status=maybe', as: wcAdmin })).statusCode).toBe(400);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/points/adjustments', as: u })).statusCode).toBe(403);
    const decisions = await Promise.all(
      [1, 2, 3].map(() => ctx.request({ method: 'POST', url: `/api/v1/points/adjustments/${byPhone.json().id}/approve`, payload: {}, as: xdAdmin })),
    );
    expect(decisions.map((d) => d.statusCode).sort()).toEqual([200, 409, 409]);
    expect(await balance(u)).toBe(30);
    const decided = (await ctx.request({ method: 'GET', url: '/api/v1/points/adjustments?status=approved', as: wcAdmin }))
      .json()
      .find((a: { id: string }) => a.id === byPhone.json().id);
    expect(decided).toMatchObject({ status: 'approved', decidedByName: '小店区管理员', allowedActions: [] });
  });

  it('reports points issued vs. redeemed per site per month, with the stock, and exports it', async () => {
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(testNow()).slice(0, 7);
    const res = await ctx.request({ method: 'GET', url: `/api/v1/points/report?orgId=${t.xiaodian}&from=${month}&to=${month}`, as: xdAdmin });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ orgId: t.xiaodian, from: month, to: month });
    // Everything in this file happened at 师范街 (under 坞城) or at 小店区 itself: grouped by the sites directly below.
    const wc = r.rows.find((x: { orgId: string }) => x.orgId === t.wucheng);
    expect(wc).toBeTruthy();
    expect(wc.month).toBe(month);
    const ledger = await ctx.database.raw.query<{ issued: number; redeemed: number; n: number }>(
      `SELECT coalesce(sum(delta) FILTER (WHERE delta > 0 AND reason <> 'redeem_cancel'), 0)::int AS issued,
              coalesce(-sum(delta) FILTER (WHERE reason IN ('redeem', 'redeem_cancel')), 0)::int AS redeemed,
              (count(*) FILTER (WHERE reason = 'redeem') - count(*) FILTER (WHERE reason = 'redeem_cancel'))::int AS n
       FROM points_ledger l JOIN orgs o ON o.city_code = l.city_code AND o.id = l.org_id WHERE o.path <@ (SELECT path FROM orgs WHERE id = $1)`,
      [t.wucheng],
    );
    expect({ issued: wc.issued, redeemed: wc.redeemed, redemptions: wc.redemptions }).toEqual({
      issued: ledger[0]!.issued,
      redeemed: ledger[0]!.redeemed,
      redemptions: ledger[0]!.n,
    });
    expect(wc.issued).toBeGreaterThan(1000);
    expect(wc.redeemed).toBeGreaterThan(0);
    expect(r.totals.issued).toBe(r.rows.reduce((s: number, x: { issued: number }) => s + x.issued, 0));
    const rice = r.stock.find((s: { name: string }) => s.name === '爱心大米');
    expect(rice).toMatchObject({ stock: 0, redeemedInPeriod: 10, cost: 10, status: 'active' });
    // The institute sees its stations; another district cannot look.
    const inst = (await ctx.request({ method: 'GET', url: `/api/v1/points/report?orgId=${t.wucheng}`, as: wcAdmin })).json();
    expect(inst.rows.some((x: { orgId: string }) => x.orgId === t.shifanjie)).toBe(true);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/points/report?orgId=${t.xiaodian}`, as: pcAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/points/report', as: await ctx.register() })).statusCode).toBe(403);
    // Without orgId: the caller's own site.
    expect((await ctx.request({ method: 'GET', url: '/api/v1/points/report', as: wcAdmin })).json().orgId).toBe(t.wucheng);
    for (const q of ['from=2026-13', 'from=2026-05&to=2026-04', 'from=2020-01&to=2026-01', 'to=tomorrow'])
      expect((await ctx.request({ method: 'GET', url: `/api/v1/points/report?${q}`, as: wcAdmin })).statusCode, q).toBe(400);

    const x = await ctx.request({ method: 'GET', url: `/api/v1/points/report.xlsx?orgId=${t.xiaodian}&from=${month}&to=${month}`, as: xdAdmin });
    expect(x.statusCode).toBe(200);
    const s1 = await sheet(x.rawPayload, 0);
    expect(s1.name).toBe('积分月报');
    expect(s1.rows[0]).toEqual(['月份', '阵地', '发放积分', '兑换积分', '兑换次数', '扣减积分（撤销、调减）']);
    const wcRow = s1.rows.find((row) => row[1] === '坞城街道新时代文明实践所')!;
    expect(wcRow.slice(2, 5)).toEqual([wc.issued, wc.redeemed, wc.redemptions]);
    expect(s1.rows.at(-1)![0]).toBe('合计');
    const s2 = await sheet(x.rawPayload, 1);
    expect(s2.name).toBe('奖品库存');
    expect(s2.rows.some((row) => row[0] === '爱心大米' && row[3] === 0)).toBe(true);
  });
});
