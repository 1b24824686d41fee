import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, type Tree } from './helpers/fixtures.ts';
import { testNow } from './helpers/clock.ts';

/**
 * Issue 17, "A public face": a 公众号 menu link opens news, the activity list and an activity's
 * page without signing in; signing up still needs an account (401, the H5 then asks to sign in),
 * and a draft stays its organisers' only.
 */
describe.each(DATABASES)('public reading without signing in on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let organizer: Caller;
  const inMinutes = (m: number) => new Date(testNow().getTime() + m * 60_000).toISOString();
  const base = () => ({
    orgId: t.shifanjie,
    title: '社区义诊进万家',
    category: 'health',
    startsAt: inMinutes(60 * 24),
    endsAt: inMinutes(60 * 26),
    signupDeadline: inMinutes(60 * 20),
    volunteerQuota: 3,
    publicQuota: 2,
  });

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    organizer = await staff(ctx, 'org_admin', t.wucheng, '坞城所管理员');
  });
  afterAll(() => ctx.close());

  it('a visitor reads the published activities and one of them, not a draft, and is asked to sign in to sign up', async () => {
    const made = await ctx.request({ method: 'POST', url: '/api/v1/activities', payload: base(), as: organizer });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json<{ id: string }>().id;
    const draft = await ctx.request({ method: 'POST', url: '/api/v1/activities', payload: { ...base(), title: '尚未发布的活动' }, as: organizer });
    expect((await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/publish`, payload: {}, as: organizer })).statusCode).toBe(200);

    const list = await ctx.request({ method: 'GET', url: '/api/v1/activities' });
    expect(list.statusCode, list.body).toBe(200);
    const titles = list.json<{ items: { id: string; title: string }[] }>().items.map((a) => a.title);
    expect(titles).toContain('社区义诊进万家');
    expect(titles).not.toContain('尚未发布的活动');
    // "Mine" of a visitor is nothing; 活动风采 (report=true) reads too.
    expect((await ctx.request({ method: 'GET', url: '/api/v1/activities?mine=true' })).json<{ items: unknown[] }>().items).toEqual([]);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/activities?report=true' })).statusCode).toBe(200);

    const one = await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}` });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toMatchObject({ title: '社区义诊进万家', allowedActions: ['signup'] });
    expect((await ctx.request({ method: 'GET', url: `/api/v1/activities/${draft.json<{ id: string }>().id}` })).statusCode).toBe(404);

    // 报名 asks for an account.
    const signup = await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/signups`, payload: { role: 'public' } });
    expect(signup.statusCode).toBe(401);
    // What a visitor may not see stays closed: the sign-up list, the organiser's actions.
    expect((await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}/signups` })).statusCode).toBe(401);
  });

  it('news (资讯) reads without signing in', async () => {
    expect((await ctx.request({ method: 'GET', url: '/api/v1/contents' })).statusCode).toBe(200);
  });
});
