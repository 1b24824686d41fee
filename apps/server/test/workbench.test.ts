import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, type Tree } from './helpers/fixtures.ts';
import { chinaDayStart } from '../src/modules/workbench/workbench.service.ts';

interface Workbench {
  roles: string[];
  scope: string[];
  todos: { key: string; label: string; count: number; urgent: boolean }[];
  figures: { key: string; today: number; yesterday: number }[];
  upcoming: { id: string; title: string; signups: number }[];
}

/** 工作台 (issue 19): each role's to-dos in its own scope, today's figures, the coming week's activities. */
describe.each(DATABASES)('the workbench on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let now = testNow();
  let dispatcher: Caller;
  let otherDistrict: Caller;
  let resident: Caller;
  let officer: Caller;
  let dept: string;

  beforeAll(async () => {
    ctx = await createTestContext(kind, {}, { clock: () => now });
    t = await buildTree(ctx);
    dispatcher = await staff(ctx, 'dispatcher', t.wucheng, '坞城调度员');
    otherDistrict = await staff(ctx, 'org_admin', t.wanbailin, '万柏林区管理员');
    resident = await ctx.register('孙桂兰');
    dept = (await ctx.request({ method: 'POST', url: '/api/v1/departments', payload: { orgId: t.xiaodian, name: '小店区民政局' }, as: ctx.admin })).json().id;
    const u = await ctx.register('民政局专员');
    const g = await ctx.request({
      method: 'POST',
      url: `/api/v1/users/${u.userId}/roles`,
      payload: { role: 'dept_officer', departmentId: dept },
      as: ctx.admin,
    });
    expect(g.statusCode, g.body).toBe(201);
    officer = await ctx.login(u.phone, 'password123');
  });
  afterAll(() => ctx.close());

  const get = async (as: Caller) => {
    const res = await ctx.request({ method: 'GET', url: '/api/v1/workbench', as });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Workbench>();
  };
  const count = (w: Workbench, key: string) => w.todos.find((x) => x.key === key)?.count;
  const submit = async (content: string) => {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content, orgId: t.shifanjie }, as: resident });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };

  it('starts the China day at 00:00 in Beijing', () => {
    expect(chinaDayStart(new Date('2026-12-07T15:59:00Z')).toISOString()).toBe('2026-12-06T16:00:00.000Z');
    expect(chinaDayStart(new Date('2026-12-07T16:00:00Z')).toISOString()).toBe('2026-12-07T16:00:00.000Z');
  });

  it('is for staff, department officers and team leaders only', async () => {
    expect((await ctx.request({ method: 'GET', url: '/api/v1/workbench', as: null })).statusCode).toBe(401);
    const res = await ctx.request({ method: 'GET', url: '/api/v1/workbench', as: resident });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('工作台');
  });

  it("counts a desk's orders to dispatch and overdue in its own subtree only, beside today's figures", async () => {
    const before = await get(dispatcher);
    expect(before.roles).toEqual(['调度员']);
    expect(before.scope).toEqual(['坞城街道新时代文明实践所']);
    expect(count(before, 'orders_to_dispatch')).toBe(0);
    await submit('楼道灯坏了，晚上看不见');
    await submit('想请志愿者教我用手机挂号');
    const w = await get(dispatcher);
    expect(count(w, 'orders_to_dispatch')).toBe(2);
    expect(count(w, 'orders_overdue')).toBe(0);
    expect(w.todos.find((x) => x.key === 'orders_to_dispatch')!.urgent).toBe(true);
    expect(w.figures.find((f) => f.key === 'orders_new')).toMatchObject({ today: 2 });
    // Another district's admin sees none of it.
    const other = await get(otherDistrict);
    expect(count(other, 'orders_to_dispatch')).toBe(0);
    expect(other.figures.find((f) => f.key === 'orders_new')).toMatchObject({ today: 0 });
    // A day and a half later nobody took them (the escalation job has not run): overdue, and not new today.
    now = new Date(now.getTime() + 36 * 3600_000);
    const late = await get(dispatcher);
    expect(count(late, 'orders_overdue')).toBe(2);
    expect(late.figures.find((f) => f.key === 'orders_new')).toMatchObject({ today: 0 });
  });

  it("shows a department officer what waits for their department's signature", async () => {
    const id = await submit('申请低保的材料交了两个月没有回音');
    const before = await get(officer);
    expect(before.roles).toEqual(['职能部门专员']);
    expect(count(before, 'dept_to_sign')).toBe(0);
    expect(count(before, 'orders_to_dispatch')).toBeUndefined();
    const fwd = await ctx.request({ method: 'POST', url: `/api/v1/orders/${id}/forward`, payload: { departmentId: dept, note: '请核实' }, as: dispatcher });
    expect(fwd.statusCode, fwd.body).toBe(200);
    const w = await get(officer);
    expect(count(w, 'dept_to_sign')).toBe(1);
    expect(w.figures).toEqual([]);
    const ack = await ctx.request({ method: 'POST', url: `/api/v1/orders/${id}/acknowledge`, payload: {}, as: officer });
    expect(ack.statusCode, ack.body).toBe(200);
    const after = await get(officer);
    expect(count(after, 'dept_to_sign')).toBe(0);
    expect(count(after, 'dept_in_progress')).toBe(1);
  });

  it("gives a team leader their team's hours to review, and nothing of the desk", async () => {
    const u = await ctx.register('周志刚');
    const team = await ctx.request({
      method: 'POST',
      url: '/api/v1/teams',
      payload: { orgId: t.shifanjie, name: '师范街医疗健身服务队', tier: 'unit', type: 'professional', category: 'health', leaderUserId: u.userId },
      as: ctx.admin,
    });
    expect(team.statusCode, team.body).toBe(201);
    const w = await get(await ctx.login(u.phone, 'password123'));
    expect(w.roles).toEqual(['志愿服务队队长']);
    expect(w.scope).toEqual(['师范街医疗健身服务队']);
    expect(w.todos.map((x) => x.key)).toEqual(['records_pending']);
    expect(w.figures).toEqual([]);
  });

  it('lists the published activities of the coming week in scope, with their sign-ups', async () => {
    const at = (h: number) => new Date(now.getTime() + h * 3600_000).toISOString();
    const admin = await staff(ctx, 'org_admin', t.wucheng, '坞城所管理员');
    const create = async (title: string, startsInHours: number) => {
      const res = await ctx.request({
        method: 'POST',
        url: '/api/v1/activities',
        payload: {
          orgId: t.shifanjie,
          title,
          category: 'health',
          startsAt: at(startsInHours),
          endsAt: at(startsInHours + 2),
          volunteerQuota: 3,
          publicQuota: 5,
        },
        as: admin,
      });
      expect(res.statusCode, res.body).toBe(201);
      const pub = await ctx.request({ method: 'POST', url: `/api/v1/activities/${res.json().id}/publish`, payload: {}, as: admin });
      expect(pub.statusCode, pub.body).toBe(200);
      return res.json<{ id: string }>().id;
    };
    const soon = await create('社区义诊', 26);
    await create('十天后的读书会', 240);
    const s = await ctx.request({ method: 'POST', url: `/api/v1/activities/${soon}/signups`, payload: { role: 'resident' }, as: resident });
    expect(s.statusCode, s.body).toBe(201);
    const w = await get(dispatcher);
    expect(w.upcoming).toEqual([expect.objectContaining({ id: soon, title: '社区义诊', signups: 1 })]);
    expect((await get(otherDistrict)).upcoming).toEqual([]);
  });
});
