import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type TestContext } from './helpers/test-app.ts';
import { buildTree, type Tree } from './helpers/fixtures.ts';

/** Issue 17: the resident's community and address live on the account (PATCH /me), read by every device from GET /me. */
describe.each(DATABASES)('PATCH /me on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
  });
  afterAll(() => ctx.close());

  const patch = (as: { token: string; userId: string } | null, payload: Record<string, unknown>) =>
    ctx.request({ method: 'PATCH', url: '/api/v1/me', payload, as });

  it('sets the community, the address and the name; GET /me from another session shows them', async () => {
    const me = await ctx.register('王奶奶');
    const res = await patch(me, { homeOrgId: t.shifanjie, address: ' 师范街12号楼3单元 ', name: '王桂兰' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: me.userId,
      name: '王桂兰',
      homeOrgId: t.shifanjie,
      homeOrgName: '师范街社区新时代文明实践站',
      address: '师范街12号楼3单元',
    });
    // A second phone: the same account, the same community.
    const other = await ctx.login(me.phone, 'password123');
    const got = await ctx.request({ method: 'GET', url: '/api/v1/me', as: other });
    expect(got.json()).toMatchObject({ homeOrgId: t.shifanjie, homeOrgName: '师范街社区新时代文明实践站', address: '师范街12号楼3单元', name: '王桂兰' });

    // Only what is given changes; null clears.
    expect((await patch(me, { address: null })).json()).toMatchObject({ homeOrgId: t.shifanjie, address: null, name: '王桂兰' });
    expect((await patch(me, { homeOrgId: null })).json()).toMatchObject({ homeOrgId: null, homeOrgName: null });
  });

  it('a new account has no community yet', async () => {
    const me = await ctx.register();
    expect((await ctx.request({ method: 'GET', url: '/api/v1/me', as: me })).json()).toMatchObject({ homeOrgId: null, homeOrgName: null, address: null });
  });

  it('refuses a site people do not live at, an unknown site, bad input and strangers', async () => {
    const me = await ctx.register();
    const institute = await patch(me, { homeOrgId: t.wucheng });
    expect(institute.statusCode).toBe(422);
    expect(institute.json().error).toMatchObject({ code: 'RULE_VIOLATION', message: '请选择社区（村）实践站或实践点' });
    expect((await patch(me, { homeOrgId: '0190c8e1-0000-7000-8000-000000000000' })).statusCode).toBe(404);
    expect((await patch(me, { homeOrgId: 'not-an-id' })).statusCode).toBe(400);
    expect((await patch(me, { address: '长'.repeat(201) })).statusCode).toBe(400);
    expect((await patch(me, { name: '' })).statusCode).toBe(400);
    expect((await patch(null, { address: 'x' })).statusCode).toBe(401);
  });
});
