import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, type Tree } from './helpers/fixtures.ts';

/** Service categories "8+N" (issue 18): 生活服务 is there, and a super admin adds or edits one in the console, no SQL. */
describe.each(DATABASES)('custom service categories on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let orgAdmin: Caller;
  let resident: Caller;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    orgAdmin = await staff(ctx, 'org_admin', t.xiaodian, '区管理员');
    resident = await ctx.register('王奶奶');
  });
  afterAll(() => ctx.close());

  const list = async () =>
    (await ctx.request({ method: 'GET', url: '/api/v1/categories', as: null })).json<{ code: string; name: string; builtin: boolean }[]>();

  it('offers 生活服务 as the ninth category, and the triage files a leaking pipe under it', async () => {
    const cats = await list();
    expect(cats.map((c) => c.code)).toEqual(['theory', 'culture', 'education', 'health', 'science', 'legal', 'environment', 'poverty', 'household']);
    expect(cats.at(-1)).toMatchObject({ name: '生活服务', builtin: false });
    const res = await ctx.request({
      method: 'POST',
      url: '/api/v1/orders',
      payload: { content: '我家厨房的水管漏水了，柜子里全是水，我一个老太太不会弄', orgId: t.shifanjie },
      as: resident,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().category).toBe('household');
  });

  it('lets only a super admin add a category; the triage learns it from its keywords at once', async () => {
    const body = { code: 'ceremony', name: '红白理事', keywords: ['红白理事会', '婚事简办', '丧事简办'] };
    expect((await ctx.request({ method: 'POST', url: '/api/v1/categories', payload: body, as: orgAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'POST', url: '/api/v1/categories', payload: body, as: resident })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'POST', url: '/api/v1/categories', payload: body, as: null })).statusCode).toBe(401);
    const created = await ctx.request({ method: 'POST', url: '/api/v1/categories', payload: body, as: ctx.admin });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ code: 'ceremony', name: '红白理事', builtin: false, sort: 10, keywords: body.keywords });
    expect((await list()).map((c) => c.code)).toContain('ceremony');
    // The same code or the same name again: 409, never a second row.
    expect((await ctx.request({ method: 'POST', url: '/api/v1/categories', payload: body, as: ctx.admin })).statusCode).toBe(409);
    expect((await ctx.request({ method: 'POST', url: '/api/v1/categories', payload: { ...body, code: 'ceremony2' }, as: ctx.admin })).statusCode).toBe(409);
    // A bad code is a 400 with the field named.
    const bad = await ctx.request({ method: 'POST', url: '/api/v1/categories', payload: { ...body, code: 'Bad Code' }, as: ctx.admin });
    expect(bad.statusCode).toBe(400);
    const order = await ctx.request({
      method: 'POST',
      url: '/api/v1/orders',
      payload: { content: '闺女下个月结婚，想请红白理事会的人帮着婚事简办', orgId: t.shifanjie },
      as: resident,
    });
    expect(order.statusCode, order.body).toBe(201);
    expect(order.json().category).toBe('ceremony');
  });

  it('edits a category’s name, order and keywords (a built-in one keeps its code), audited', async () => {
    const res = await ctx.request({
      method: 'PATCH',
      url: '/api/v1/categories/household',
      payload: { name: '便民生活服务', keywords: ['修水管', '修水管', '换锁'] },
      as: ctx.admin,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ code: 'household', name: '便民生活服务', keywords: ['修水管', '换锁'] });
    expect((await ctx.request({ method: 'PATCH', url: '/api/v1/categories/health', payload: { sort: 4 }, as: orgAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'PATCH', url: '/api/v1/categories/nosuch', payload: { sort: 4 }, as: ctx.admin })).statusCode).toBe(404);
    const unchanged = await ctx.request({ method: 'PATCH', url: '/api/v1/categories/health', payload: {}, as: ctx.admin });
    expect(unchanged.statusCode).toBe(200);
    expect(unchanged.json()).toMatchObject({ code: 'health', name: '医疗健身', sort: 4 });
    expect((await ctx.request({ method: 'PATCH', url: '/api/v1/categories/health', payload: { name: '红白理事' }, as: ctx.admin })).statusCode).toBe(409);
    const manage = (await ctx.request({ method: 'GET', url: '/api/v1/categories/manage', as: ctx.admin })).json<{ code: string; builtin: boolean }[]>();
    expect(manage.find((c) => c.code === 'health')).toMatchObject({ builtin: true });
    expect((await ctx.request({ method: 'GET', url: '/api/v1/categories/manage', as: orgAdmin })).statusCode).toBe(403);
    const log = (await ctx.request({ method: 'GET', url: '/api/v1/audit-logs?entityType=category', as: ctx.admin })).json();
    const actions = (log.items as { action: string }[]).map((i) => i.action);
    expect(actions).toEqual(expect.arrayContaining(['category.create', 'category.update']));
  });
});
