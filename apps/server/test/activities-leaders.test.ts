import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';

const inMinutes = (m: number) => new Date(testNow().getTime() + m * 60_000).toISOString();

/** 队长 who are not staff: /me names their teams, and they organise their teams' activities. */
describe.each(DATABASES)('activities organised by team leaders on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let admin: Caller;
  let leader: Caller & { volunteerId: string };
  let other: Caller & { volunteerId: string };
  let teamId: string;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    admin = await staff(ctx, 'org_admin', t.wucheng, '坞城所管理员');
    leader = await volunteer(ctx, t.wucheng, { name: '王队长' });
    other = await volunteer(ctx, t.wucheng, { name: '普通队员' });
    const team = await ctx.request({
      method: 'POST',
      url: '/api/v1/teams',
      payload: { orgId: t.wucheng, name: '坞城文艺服务队', tier: 'unit', type: 'social', category: 'culture', leaderUserId: leader.userId },
      as: admin,
    });
    expect(team.statusCode, team.body).toBe(201);
    teamId = team.json().id;
  });
  afterAll(() => ctx.close());

  const base = () => ({
    title: '社区合唱排练',
    category: 'culture',
    startsAt: inMinutes(60 * 24 * 2),
    endsAt: inMinutes(60 * 24 * 2 + 120),
    volunteerQuota: 5,
    publicQuota: 10,
  });
  const list = async (as: Caller, query: string) => {
    const res = await ctx.request({ method: 'GET', url: `/api/v1/activities?${query}`, as });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as { id: string; state: string }[]).map((a) => a.id);
  };

  it('names the teams a user leads in /me (and an empty list for everyone else)', async () => {
    const me = (await ctx.request({ method: 'GET', url: '/api/v1/me', as: leader })).json();
    expect(me.ledTeams).toEqual([{ id: teamId, name: '坞城文艺服务队', orgId: t.wucheng, orgName: '坞城街道新时代文明实践所' }]);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/me', as: other })).json().ledTeams).toEqual([]);
  });

  it('lets the leader create, see and publish the team activity, at the team site or below only', async () => {
    const own = await ctx.request({ method: 'POST', url: '/api/v1/activities', payload: { ...base(), orgId: t.shifanjie, teamId }, as: leader });
    expect(own.statusCode, own.body).toBe(201);
    // A site outside the team's subtree, or no team at all: not theirs to organise.
    const outside = await ctx.request({ method: 'POST', url: '/api/v1/activities', payload: { ...base(), orgId: t.xiaojingyu, teamId }, as: leader });
    expect(outside.statusCode).toBe(403);
    const noTeam = await ctx.request({ method: 'POST', url: '/api/v1/activities', payload: { ...base(), orgId: t.wucheng }, as: leader });
    expect(noTeam.statusCode).toBe(403);

    // Staff create a draft for the team: the leader organises it too (sees the draft, may publish it).
    const staffDraft = await ctx.request({
      method: 'POST',
      url: '/api/v1/activities',
      payload: { ...base(), title: '重阳节敬老', orgId: t.wucheng, teamId },
      as: admin,
    });
    expect(staffDraft.statusCode, staffDraft.body).toBe(201);
    const unrelated = await ctx.request({ method: 'POST', url: '/api/v1/activities', payload: { ...base(), title: '所里自办', orgId: t.wucheng }, as: admin });
    const published = unrelated.json().id as string;
    expect((await ctx.request({ method: 'POST', url: `/api/v1/activities/${published}/publish`, payload: {}, as: admin })).statusCode).toBe(200);

    const organised = await list(leader, 'organized=true&limit=50');
    expect(organised.sort()).toEqual([own.json().id, staffDraft.json().id].sort());
    // Everything visible: the two drafts they organise and the published one; another volunteer sees only the published one.
    expect((await list(leader, 'limit=50')).sort()).toEqual([own.json().id, staffDraft.json().id, published].sort());
    expect(await list(other, 'limit=50')).toEqual([published]);
    expect(await list(other, 'organized=true&limit=50')).toEqual([]);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/activities/${staffDraft.json().id}`, as: other })).statusCode).toBe(404);

    const detail = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${staffDraft.json().id}`, as: leader })).json();
    expect(detail.allowedActions).toEqual(expect.arrayContaining(['publish', 'edit', 'cancel']));
    const pub = await ctx.request({ method: 'POST', url: `/api/v1/activities/${staffDraft.json().id}/publish`, payload: {}, as: leader });
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().state).toBe('published');
    // Staff of the subtree see every one as organisers.
    expect((await list(admin, 'organized=true&limit=50')).sort()).toEqual([own.json().id, staffDraft.json().id, published].sort());
  });
});
