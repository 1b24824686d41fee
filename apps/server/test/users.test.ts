import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, freshPhone, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, type Tree } from './helpers/fixtures.ts';

describe.each(DATABASES)('users, roles and departments on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let xdAdmin: Caller;
  let pcAdmin: Caller;
  let xdDispatcher: Caller;
  let resident: Caller;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    xdAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng, '平城区管理员');
    xdDispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '小店区调度员');
    resident = await ctx.register('居民');
  });
  afterAll(() => ctx.close());

  const post = (url: string, payload: unknown, as: Caller | null) => ctx.request({ method: 'POST', url, payload: payload as object, as });

  it('staff create users; residents and dispatchers cannot; duplicates are 409', async () => {
    const phone = freshPhone();
    const created = await post('/api/v1/users', { phone, name: '新同事', password: 'password123' }, xdAdmin);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: '新同事', phone: `${phone.slice(0, 3)}****${phone.slice(7)}`, roles: [] });
    expect((await post('/api/v1/users', { phone: freshPhone(), name: 'x', password: 'password123' }, resident)).statusCode).toBe(403);
    expect((await post('/api/v1/users', { phone: freshPhone(), name: 'x', password: 'password123' }, xdDispatcher)).statusCode).toBe(403);
    expect((await post('/api/v1/users', { phone: freshPhone(), name: 'x', password: 'password123' }, null)).statusCode).toBe(401);
    const dup = await post('/api/v1/users', { phone, name: '重复', password: 'password123' }, ctx.admin);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('DUPLICATE');
    expect((await post('/api/v1/users', { phone: '123', name: '', password: 'x' }, ctx.admin)).statusCode).toBe(400);
    // The admin sees the full phone.
    const byAdmin = await ctx.request({ method: 'GET', url: `/api/v1/users/${created.json().id}`, as: ctx.admin });
    expect(byAdmin.json().phone).toBe(phone);
  });

  it('an org_admin grants org_admin/dispatcher only inside their subtree', async () => {
    const u = await ctx.register('候选人');
    const inside = await post(`/api/v1/users/${u.userId}/roles`, { role: 'dispatcher', orgId: t.wucheng }, xdAdmin);
    expect(inside.statusCode).toBe(201);
    const again = await post(`/api/v1/users/${u.userId}/roles`, { role: 'dispatcher', orgId: t.wucheng }, xdAdmin);
    expect(again.statusCode).toBe(409);
    expect((await post(`/api/v1/users/${u.userId}/roles`, { role: 'org_admin', orgId: t.xinwang }, xdAdmin)).statusCode).toBe(403);
    expect((await post(`/api/v1/users/${u.userId}/roles`, { role: 'org_admin', orgId: t.taiyuan }, xdAdmin)).statusCode).toBe(403);
    expect((await post(`/api/v1/users/${u.userId}/roles`, { role: 'org_admin', orgId: t.wucheng }, xdDispatcher)).statusCode).toBe(403);
    expect((await post(`/api/v1/users/${u.userId}/roles`, { role: 'org_admin', orgId: t.wucheng }, resident)).statusCode).toBe(403);
    expect((await post(`/api/v1/users/${u.userId}/roles`, { role: 'admin', orgId: t.wucheng }, ctx.admin)).statusCode).toBe(400);
    expect((await post(`/api/v1/users/${u.userId}/roles`, { role: 'org_admin' }, ctx.admin)).statusCode).toBe(400);
    expect((await post(`/api/v1/users/01900000-0000-7000-8000-000000000000/roles`, { role: 'org_admin', orgId: t.wucheng }, ctx.admin)).statusCode).toBe(404);
    // The grant takes effect at once: the user now sees 坞城's subtree and nothing above it.
    const login = await ctx.login(u.phone, 'password123');
    const me = (await ctx.request({ method: 'GET', url: '/api/v1/me', as: login })).json();
    expect(me.roles).toEqual([expect.objectContaining({ role: 'dispatcher', orgId: t.wucheng, orgName: '坞城街道新时代文明实践所' })]);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/orgs/${t.shifanjie}`, as: login })).statusCode).toBe(200);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/orgs/${t.xiaodian}`, as: login })).statusCode).toBe(403);
  });

  it('revokes a role within scope, and the revocation is audited', async () => {
    const u = await ctx.register('临时调度员');
    const grant = await post(`/api/v1/users/${u.userId}/roles`, { role: 'dispatcher', orgId: t.xiaodian }, ctx.admin);
    const grantId = grant.json().id;
    expect((await ctx.request({ method: 'DELETE', url: `/api/v1/users/${u.userId}/roles/${grantId}`, as: pcAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'DELETE', url: `/api/v1/users/${u.userId}/roles/${grantId}`, as: xdAdmin })).statusCode).toBe(204);
    expect((await ctx.request({ method: 'DELETE', url: `/api/v1/users/${u.userId}/roles/${grantId}`, as: xdAdmin })).statusCode).toBe(404);
    const logs = await ctx.database.raw.query<{ action: string }>("SELECT action FROM audit_logs WHERE entity_type = 'user' AND entity_id = $1 ORDER BY id", [
      u.userId,
    ]);
    expect(logs.map((l) => l.action)).toEqual(['role.grant', 'role.revoke']);
  });

  it('dept_officer is granted by admins only, with a department', async () => {
    const dept = await post('/api/v1/departments', { orgId: t.xiaodian, name: '小店区住房和城乡建设局' }, xdAdmin);
    expect(dept.statusCode).toBe(201);
    expect(dept.json()).toMatchObject({ orgId: t.xiaodian, orgName: '小店区新时代文明实践中心', name: '小店区住房和城乡建设局' });
    const u = await ctx.register('住建局专员');
    expect((await post(`/api/v1/users/${u.userId}/roles`, { role: 'dept_officer', departmentId: dept.json().id }, xdAdmin)).statusCode).toBe(403);
    const ok = await post(`/api/v1/users/${u.userId}/roles`, { role: 'dept_officer', departmentId: dept.json().id }, ctx.admin);
    expect(ok.statusCode).toBe(201);
    const me = (await ctx.request({ method: 'GET', url: '/api/v1/me', as: await ctx.login(u.phone, 'password123') })).json();
    expect(me.roles).toEqual([expect.objectContaining({ role: 'dept_officer', departmentId: dept.json().id, departmentName: '小店区住房和城乡建设局' })]);
  });

  it('departments: unique per site, listed within scope', async () => {
    await post('/api/v1/departments', { orgId: t.pingcheng, name: '平城区城市管理局' }, pcAdmin);
    const dup = await post('/api/v1/departments', { orgId: t.pingcheng, name: '平城区城市管理局' }, pcAdmin);
    expect(dup.statusCode).toBe(409);
    expect((await post('/api/v1/departments', { orgId: t.pingcheng, name: '' }, pcAdmin)).statusCode).toBe(400);
    expect((await post('/api/v1/departments', { orgId: 'nope', name: 'x' }, pcAdmin)).statusCode).toBe(400);
    const pcList = (await ctx.request({ method: 'GET', url: '/api/v1/departments', as: pcAdmin })).json();
    expect(pcList.items.map((d: { name: string }) => d.name)).toEqual(['平城区城市管理局']);
    const all = (await ctx.request({ method: 'GET', url: '/api/v1/departments', as: ctx.admin })).json();
    expect(all.items.length).toBeGreaterThanOrEqual(2);
  });

  it('lists users within scope; exact phone finds anyone to grant', async () => {
    const list = (await ctx.request({ method: 'GET', url: '/api/v1/users?limit=200', as: xdAdmin })).json();
    const names = list.items.map((u: { name: string }) => u.name);
    expect(names).toContain('小店区调度员');
    expect(names).not.toContain('平城区管理员');
    expect(names).not.toContain('居民');
    const stranger = await ctx.register('陌生人');
    const exact = (await ctx.request({ method: 'GET', url: `/api/v1/users?q=${stranger.phone}`, as: xdAdmin })).json();
    expect(exact.items.map((u: { id: string }) => u.id)).toEqual([stranger.userId]);
    expect(exact.items[0].phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/users', as: resident })).statusCode).toBe(403);
    const lookedUp = await ctx.request({ method: 'GET', url: `/api/v1/users/${stranger.userId}`, as: pcAdmin });
    expect(lookedUp.statusCode).toBe(200);
    expect(lookedUp.json().phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/users/${stranger.userId}`, as: resident })).statusCode).toBe(403);
    // Pagination.
    const p1 = (await ctx.request({ method: 'GET', url: '/api/v1/users?limit=2', as: ctx.admin })).json();
    const p2 = (await ctx.request({ method: 'GET', url: `/api/v1/users?limit=2&cursor=${p1.nextCursor}`, as: ctx.admin })).json();
    expect(p1.items).toHaveLength(2);
    expect(p2.items.map((u: { id: string }) => u.id)).not.toContain(p1.items[0].id);
  });

  it('the audit log is for admins (district admins: their district, audit-log.test.ts)', async () => {
    const res = await ctx.request({ method: 'GET', url: '/api/v1/audit-logs?entityType=org', as: ctx.admin });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBeGreaterThan(0);
    expect(res.json().items[0].at).toMatch(/\+08:00$/);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/audit-logs', as: xdDispatcher })).statusCode).toBe(403);
  });
});
