import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';

interface Cand {
  kind: string;
  id: string;
  name: string;
  score: number;
  reasons: string[];
  warning?: string;
}

/**
 * Matching by geography (issue 18): a capable team 220 m away at the neighbouring community is
 * offered; when nothing near serves the category the district's teams are, then the city's; an
 * order in a county without teams gets candidates from the city; far volunteers carry a warning.
 */
describe.each(DATABASES)('matching by geography on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let dispatcher: Caller;
  let resident: Caller;
  let tiyulu: string;
  let louyanSite: string;
  const team: Record<string, string> = {};

  const org = async (body: object) => {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/orgs', payload: body, as: ctx.admin });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const newTeam = async (orgId: string, name: string, category: string) => {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/teams', payload: { orgId, name, tier: 'unit', type: 'social', category }, as: ctx.admin });
    expect(res.statusCode, res.body).toBe(201);
    team[name] = res.json().id as string;
  };
  const candidatesFor = async (orgId: string, category: string, content = '想请人来帮个忙') => {
    const o = await ctx.request({
      method: 'POST',
      url: '/api/v1/orders',
      payload: { content, orgId, category, nature: 'service', urgency: 'normal' },
      as: resident,
    });
    expect(o.statusCode, o.body).toBe(201);
    const res = await ctx.request({ method: 'GET', url: `/api/v1/orders/${o.json().id}/candidates`, as: dispatcher });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Cand[]>();
  };
  const teamsOf = (cs: Cand[]) => cs.filter((c) => c.kind === 'team');

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    dispatcher = await staff(ctx, 'dispatcher', t.taiyuan, '市级调度员');
    resident = await ctx.register('张大妈');
    // 师范街 is at (37.8, 112.56). 体育路社区, its neighbour under the same street, 0.002° north: ~222 m.
    tiyulu = await org({ parentId: t.wucheng, level: 'station', name: '体育路社区新时代文明实践站', regionCode: '140105001002', lat: 37.802, lng: 112.56 });
    // Another street of 小店区, ~5.6 km east.
    const beiying = await org({ parentId: t.xiaodian, level: 'institute', name: '北营街道新时代文明实践所', regionCode: '140105005', lat: 37.8, lng: 112.624 });
    // 万柏林区, another district, ~9 km west.
    const wbl = await org({
      parentId: t.xiaojingyu,
      level: 'station',
      name: '小井峪社区新时代文明实践站',
      regionCode: '140109011001',
      lat: 37.82,
      lng: 112.46,
    });
    // 娄烦县: a county of the city with sites and no team at all, ~60 km away.
    const louyan = await org({ parentId: t.taiyuan, level: 'center', name: '娄烦县新时代文明实践中心', regionCode: '140123' });
    const louyanTown = await org({ parentId: louyan, level: 'institute', name: '娄烦镇新时代文明实践所', regionCode: '140123100' });
    louyanSite = await org({ parentId: louyanTown, level: 'station', name: '娄烦村新时代文明实践站', regionCode: '140123100001', lat: 38.07, lng: 111.79 });
    await newTeam(tiyulu, '体育路医疗志愿服务队', 'health');
    await newTeam(beiying, '北营法律援助服务队', 'legal');
    await newTeam(wbl, '小井峪法律服务队', 'legal');
    await newTeam(wbl, '小井峪科普服务队', 'science');
    await newTeam(t.xiaodian, '小店区文艺轻骑兵', 'culture');
  });
  afterAll(() => ctx.close());

  it('offers the team of the neighbouring community 220 m away, with the distance in words', async () => {
    const teams = teamsOf(await candidatesFor(t.shifanjie, 'health'));
    const near = teams.find((c) => c.id === team['体育路医疗志愿服务队']);
    expect(near, JSON.stringify(teams)).toBeDefined();
    expect(near!.reasons).toContain('距离 220 米 · 邻近社区（体育路社区新时代文明实践站）');
    expect(near!.reasons).toContain('服务类别对口');
    expect(near!.warning).toBeUndefined();
    // A team that covers the site (the district's) is still there, by the tree; the far ones are not.
    expect(teams.find((c) => c.id === team['小店区文艺轻骑兵'])?.reasons).toContain('上2级阵地队伍（小店区新时代文明实践中心）');
    expect(teams.some((c) => c.id === team['小井峪法律服务队'])).toBe(false);
    expect(teams[0]!.id).toBe(team['体育路医疗志愿服务队']);
  });

  it('falls back to the district when nothing near serves the category, with a warning', async () => {
    const teams = teamsOf(await candidatesFor(t.shifanjie, 'legal'));
    const district = teams.find((c) => c.id === team['北营法律援助服务队']);
    expect(district, JSON.stringify(teams)).toBeDefined();
    expect(district!.reasons[1]).toMatch(/^距离 5\.\d 公里 · 本区县其他阵地队伍（北营街道新时代文明实践所）$/);
    expect(district!.warning).toBe('附近没有对口队伍，已扩大到本区县范围');
    // The district has one: the city's (万柏林区) is not offered.
    expect(teams.some((c) => c.id === team['小井峪法律服务队'])).toBe(false);
  });

  it('falls back to the city when the district has none of the category', async () => {
    const teams = teamsOf(await candidatesFor(t.shifanjie, 'science'));
    const city = teams.find((c) => c.id === team['小井峪科普服务队']);
    expect(city, JSON.stringify(teams)).toBeDefined();
    expect(city!.warning).toBe('本区县没有对口队伍，已扩大到全市范围');
    expect(city!.reasons.join(' ')).toContain('本市其他区县队伍（小井峪社区新时代文明实践站）');
  });

  it('gives an order in a county without teams candidates from the city, nearest first', async () => {
    const teams = teamsOf(await candidatesFor(louyanSite, 'legal'));
    expect(teams.map((c) => c.id)).toEqual([team['小井峪法律服务队'], team['北营法律援助服务队']]);
    for (const c of teams) expect(c.warning).toBe('本区县没有对口队伍，已扩大到全市范围');
    expect(teams[0]!.reasons[1]).toMatch(/^距离 \d+\.\d 公里 · 本市其他区县队伍/);
  });

  it('shows volunteers beyond the radius with a warning when few are near', async () => {
    const near = await volunteer(ctx, t.shifanjie, { name: '近处志愿者', skills: ['health'], lat: 37.801, lng: 112.561 });
    const far = await volunteer(ctx, t.shifanjie, { name: '远处志愿者', skills: ['health'], lat: 37.91, lng: 112.56 });
    const vols = (await candidatesFor(t.shifanjie, 'health')).filter((c) => c.kind === 'volunteer');
    const n = vols.find((c) => c.id === near.volunteerId);
    const f = vols.find((c) => c.id === far.volunteerId);
    expect(n?.warning, JSON.stringify(vols)).toBeUndefined();
    expect(f?.warning, JSON.stringify(vols)).toMatch(/^超出 5\.0 公里服务半径（距离 12\.\d 公里），请确认能否到场$/);
    expect(vols.indexOf(n!)).toBeLessThan(vols.indexOf(f!));
  });
});
