import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, type Tree } from './helpers/fixtures.ts';

describe.each(DATABASES)('orgs on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let xdAdmin: Caller;
  let xdDispatcher: Caller;
  let pcAdmin: Caller;
  let resident: Caller;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    xdAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    xdDispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '小店区调度员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng, '平城区管理员');
    resident = await ctx.register('居民');
  });
  afterAll(() => ctx.close());

  const get = (url: string, as: Caller | null) => ctx.request({ method: 'GET', url, as });

  it('returns a site with its level, region code, address and parent chain', async () => {
    const res = await get(`/api/v1/orgs/${t.shifanjie}`, ctx.admin);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: t.shifanjie,
      parentId: t.wucheng,
      level: 'station',
      name: '师范街社区新时代文明实践站',
      regionCode: '140105001001',
      lat: 37.8,
      lng: 112.56,
      cityCode: '1401',
      path: [t.taiyuan, t.xiaodian, t.wucheng],
      pathNames: ['太原市', '小店区新时代文明实践中心', '坞城街道新时代文明实践所'],
      childCount: 0,
    });
  });

  it('enforces the level rules with 422 RULE_VIOLATION', async () => {
    const cases: [string | undefined, string, number][] = [
      [t.taiyuan, 'institute', 422],
      [t.taiyuan, 'station', 422],
      [t.taiyuan, 'point', 422],
      [t.xiaodian, 'station', 422],
      [t.xiaodian, 'center', 422],
      [t.wucheng, 'institute', 422],
      [t.shifanjie, 'station', 422],
      [t.taiyuan, 'city', 422],
      [undefined, 'center', 422],
      [t.xiaodian, 'point', 201],
      [t.wucheng, 'point', 201],
      [t.shifanjie, 'point', 201],
    ];
    for (const [parentId, level, status] of cases) {
      const res = await ctx.request({
        method: 'POST',
        url: '/api/v1/orgs',
        payload: { parentId, level, name: `规则测试${level}${parentId?.slice(-4)}` },
        as: ctx.admin,
      });
      expect(res.statusCode, `${level} under ${parentId}: ${res.body}`).toBe(status);
      if (status === 422) {
        expect(res.json().error.code).toBe('RULE_VIOLATION');
        expect(res.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
      }
    }
    // A point cannot have children.
    const point = await ctx.request({
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { parentId: t.wucheng, level: 'point', name: '坞城法治长廊' },
      as: ctx.admin,
    });
    const under = await ctx.request({ method: 'POST', url: '/api/v1/orgs', payload: { parentId: point.json().id, level: 'point', name: 'x' }, as: ctx.admin });
    expect(under.statusCode).toBe(422);
  });

  it('only an admin creates a city; its code must be 4 digits and unique', async () => {
    expect(
      (await ctx.request({ method: 'POST', url: '/api/v1/orgs', payload: { level: 'city', name: '阳泉市', regionCode: '1403' }, as: xdAdmin })).statusCode,
    ).toBe(403);
    expect((await ctx.request({ method: 'POST', url: '/api/v1/orgs', payload: { level: 'city', name: '阳泉市' }, as: ctx.admin })).statusCode).toBe(422);
    const dup = await ctx.request({ method: 'POST', url: '/api/v1/orgs', payload: { level: 'city', name: '太原市2', regionCode: '1401' }, as: ctx.admin });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('DUPLICATE');
    const ok = await ctx.request({ method: 'POST', url: '/api/v1/orgs', payload: { level: 'city', name: '阳泉市', regionCode: '1403' }, as: ctx.admin });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().cityCode).toBe('1403');
  });

  it('refuses a sibling with the same name and a reused region code with 409, writing nothing', async () => {
    const before = await ctx.database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs');
    const sameName = await ctx.request({
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { parentId: t.xiaodian, level: 'institute', name: '坞城街道新时代文明实践所' },
      as: ctx.admin,
    });
    expect(sameName.statusCode).toBe(409);
    expect(sameName.json().error.code).toBe('DUPLICATE');
    const sameCode = await ctx.request({
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { parentId: t.xiaodian, level: 'institute', name: '另一个所', regionCode: '140105001' },
      as: ctx.admin,
    });
    expect(sameCode.statusCode).toBe(409);
    const after = await ctx.database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('validates the body: missing fields, wrong types, bad ids, half coordinates', async () => {
    const bad = [
      {},
      { level: 'station' },
      { level: 'station', name: '' },
      { parentId: 'not-a-uuid', level: 'station', name: 'x' },
      { parentId: t.wucheng, level: 'station', name: 'x', lat: 'north' },
      { parentId: t.wucheng, level: 'station', name: 'x', lat: 37.8 },
      { parentId: t.wucheng, level: 'station', name: 'x', regionCode: 'abc' },
      { parentId: t.wucheng, level: 'station', name: 'x'.repeat(101) },
    ];
    for (const payload of bad) {
      const res = await ctx.request({ method: 'POST', url: '/api/v1/orgs', payload, as: ctx.admin });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.details.length).toBeGreaterThan(0);
    }
    const missingParent = await ctx.request({
      method: 'POST',
      url: '/api/v1/orgs',
      payload: { parentId: '01900000-0000-7000-8000-000000000000', level: 'station', name: 'x' },
      as: ctx.admin,
    });
    expect(missingParent.statusCode).toBe(404);
  });

  it('lists scope roots, children and search results, sorted and paginated', async () => {
    const roots = (await get('/api/v1/orgs', ctx.admin)).json();
    expect(roots.items.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['太原市', '大同市']));
    expect(roots.items.every((o: { level: string }) => o.level === 'city')).toBe(true);

    const xdRoots = (await get('/api/v1/orgs', xdAdmin)).json();
    expect(xdRoots.items.map((o: { id: string }) => o.id)).toEqual([t.xiaodian]);

    const children = (await get(`/api/v1/orgs?parentId=${t.taiyuan}&limit=1`, ctx.admin)).json();
    expect(children.items).toHaveLength(1);
    expect(children.nextCursor).toBeTruthy();
    const next = (await get(`/api/v1/orgs?parentId=${t.taiyuan}&limit=1&cursor=${children.nextCursor}`, ctx.admin)).json();
    expect(next.items).toHaveLength(1);
    expect(next.items[0].id).not.toBe(children.items[0].id);
    expect(next.nextCursor).toBeNull();
    expect(new Set([children.items[0].id, next.items[0].id])).toEqual(new Set([t.xiaodian, t.wanbailin]));

    const search = (await get(`/api/v1/orgs?q=${encodeURIComponent('小井峪')}`, ctx.admin)).json();
    expect(search.items.map((o: { id: string }) => o.id)).toEqual([t.xiaojingyu]);
    expect(search.items[0].pathNames).toEqual(['太原市', '万柏林区新时代文明实践中心']);
    // Search stays inside the caller's subtree.
    expect((await get(`/api/v1/orgs?q=${encodeURIComponent('小井峪')}`, xdAdmin)).json().items).toEqual([]);
    expect((await get(`/api/v1/orgs?q=${encodeURIComponent('师范街')}`, xdAdmin)).json().items[0].id).toBe(t.shifanjie);
    // LIKE wildcards are literal.
    expect((await get(`/api/v1/orgs?q=${encodeURIComponent('%')}`, ctx.admin)).json().items).toEqual([]);
    // By region code too.
    expect((await get('/api/v1/orgs?q=140109011', ctx.admin)).json().items[0].id).toBe(t.xiaojingyu);
  });

  it('draws allowedActions from the caller’s rights', async () => {
    expect((await get(`/api/v1/orgs/${t.wucheng}`, xdAdmin)).json().allowedActions).toEqual(
      expect.arrayContaining(['update', 'createChild', 'createDepartment', 'grantRole']),
    );
    expect((await get(`/api/v1/orgs/${t.wucheng}`, xdDispatcher)).json().allowedActions).toEqual([]);
  });

  it('updates a site and audits the change', async () => {
    const res = await ctx.request({ method: 'PATCH', url: `/api/v1/orgs/${t.shifanjie}`, payload: { address: '太原市小店区师范街1号' }, as: xdAdmin });
    expect(res.statusCode).toBe(200);
    expect(res.json().address).toBe('太原市小店区师范街1号');
    const [log] = await ctx.database.raw.query<{ action: string; actor_id: string; before: { address: string | null }; after: { address: string } }>(
      "SELECT action, actor_id, before, after FROM audit_logs WHERE entity_id = $1 AND action = 'org.update'",
      [t.shifanjie],
    );
    expect(log).toMatchObject({ action: 'org.update', actor_id: xdAdmin.userId, after: { address: '太原市小店区师范街1号' } });
    expect(log!.before.address).toBeNull();
  });

  it('scopes every org route to the caller’s subtree (matrix)', async () => {
    let n = 0;
    const routes: { name: string; run: (as: Caller | null) => Promise<number> }[] = [
      { name: 'GET /orgs/:id', run: async (as) => (await get(`/api/v1/orgs/${t.wucheng}`, as)).statusCode },
      { name: 'GET /orgs?parentId', run: async (as) => (await get(`/api/v1/orgs?parentId=${t.xiaodian}`, as)).statusCode },
      {
        name: 'POST /orgs',
        run: async (as) =>
          (await ctx.request({ method: 'POST', url: '/api/v1/orgs', payload: { parentId: t.wucheng, level: 'station', name: `矩阵测试站${++n}` }, as }))
            .statusCode,
      },
      {
        name: 'PATCH /orgs/:id',
        run: async (as) => (await ctx.request({ method: 'PATCH', url: `/api/v1/orgs/${t.wucheng}`, payload: { address: `坞城路${++n}号` }, as })).statusCode,
      },
      {
        name: 'POST /departments',
        run: async (as) =>
          (await ctx.request({ method: 'POST', url: '/api/v1/departments', payload: { orgId: t.xiaodian, name: `矩阵部门${++n}` }, as })).statusCode,
      },
      { name: 'GET /departments?orgId', run: async (as) => (await get(`/api/v1/departments?orgId=${t.xiaodian}`, as)).statusCode },
    ];
    const expected: Record<string, number[]> = {
      //                         admin inside dispatcher outside resident anonymous
      'GET /orgs/:id': [200, 200, 200, 403, 403, 401],
      'GET /orgs?parentId': [200, 200, 200, 403, 403, 401],
      'POST /orgs': [201, 201, 403, 403, 403, 401],
      'PATCH /orgs/:id': [200, 200, 403, 403, 403, 401],
      'POST /departments': [201, 201, 403, 403, 403, 401],
      'GET /departments?orgId': [200, 200, 200, 403, 403, 401],
    };
    for (const r of routes) {
      const got = [];
      for (const as of [ctx.admin, xdAdmin, xdDispatcher, pcAdmin, resident, null]) got.push(await r.run(as));
      expect(got, r.name).toEqual(expected[r.name]);
    }
  });

  it('the directory of sites is open to every signed-in user', async () => {
    const res = await get(`/api/v1/sites?q=${encodeURIComponent('师范街')}`, resident);
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toMatchObject({ id: t.shifanjie, level: 'station', allowedActions: [] });
    expect((await get('/api/v1/sites', resident)).json().items.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['太原市', '大同市']));
    expect((await get('/api/v1/sites', null)).statusCode).toBe(401);
  });
});
