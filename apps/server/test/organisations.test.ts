/**
 * 志愿服务组织 and join requests (issue 21): an organisation under a site, scoped like the site's
 * org_admins; its own admins manage that organisation only; volunteers ask to join teams and
 * organisations, and a decision is taken once however many approvals race.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '@wenming/domain';
import type { JoinRequestDto, JoinTargetsDto, MyOrganisationsDto, OrganisationDetailDto, OrganisationDto } from '@wenming/contracts';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';

let codeSeq = 0;
/** A fresh valid 统一社会信用代码 (民政 social organisation, 太原 小店区). */
function creditCode(): string {
  codeSeq++;
  const first17 = `5214010550${String((process.pid * 31 + codeSeq) % 10_000_000).padStart(7, '0')}`;
  return first17 + creditCodeCheckChar(first17)!;
}

describe.each(DATABASES)('volunteer organisations and join requests on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let xiaodianAdmin: Caller;
  let wanbailinAdmin: Caller;
  let orgAdminUser: Caller & { phone: string };
  let organisationId: string;
  let teamId: string;
  let leader: Awaited<ReturnType<typeof volunteer>>;

  const body = (over: Record<string, unknown> = {}) => ({
    orgId: t.shifanjie,
    name: '龙城义工联合会',
    creditCode: creditCode(),
    registrationAuthority: '太原市小店区民政局',
    contactName: '赵海生',
    contactPhone: '13912345678',
    categories: ['health', 'culture'],
    serviceOrgIds: [t.shifanjie, t.wucheng],
    ...over,
  });

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    xiaodianAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    wanbailinAdmin = await staff(ctx, 'org_admin', t.wanbailin, '万柏林区管理员');
    orgAdminUser = await ctx.register('组织管理员');
    leader = await volunteer(ctx, t.shifanjie, { name: '队长' });
    const team = await ctx.request({
      method: 'POST',
      url: '/api/v1/teams',
      payload: { orgId: t.shifanjie, name: '师范街志愿服务队', tier: 'unit', type: 'social', category: 'health', leaderUserId: leader.userId },
      as: xiaodianAdmin,
    });
    expect(team.statusCode, team.body).toBe(201);
    teamId = team.json<{ id: string }>().id;
  });
  afterAll(() => ctx?.close());

  it('an org_admin registers an organisation under a site of their subtree; the credit code and service area are checked', async () => {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/organisations', payload: body(), as: xiaodianAdmin });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json<OrganisationDto>();
    organisationId = o.id;
    expect(o).toMatchObject({ name: '龙城义工联合会', orgName: '师范街社区新时代文明实践站', status: 'active', memberCount: 0, teamCount: 0 });
    expect(o.allowedActions).toEqual(expect.arrayContaining(['update', 'manageMembers', 'manageTeams', 'manageAdmins']));

    // A wrong check character: 400 with API.md's error body naming the field.
    const good = creditCode();
    const wrong = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const bad = await ctx.request({ method: 'POST', url: '/api/v1/organisations', payload: body({ creditCode: wrong }), as: xiaodianAdmin });
    expect(bad.statusCode, bad.body).toBe(400);
    const err = bad.json<{ error: { code: string; details: { path: string; message: string }[] } }>();
    expect(err.error.code).toBe('VALIDATION_FAILED');
    expect(err.error.details[0]).toMatchObject({ path: 'creditCode' });
    // Letters the standard leaves out, and the wrong length: refused by the schema.
    for (const c of ['52140105500000O01X', '5214010550000001']) {
      const r = await ctx.request({ method: 'POST', url: '/api/v1/organisations', payload: body({ creditCode: c }), as: xiaodianAdmin });
      expect(r.statusCode, c).toBe(400);
      expect(r.json<{ error: { code: string } }>().error.code).toBe('VALIDATION_FAILED');
    }
    // The same code twice in a city: 409.
    const dup = await ctx.request({ method: 'POST', url: '/api/v1/organisations', payload: body({ creditCode: o.creditCode }), as: xiaodianAdmin });
    expect(dup.statusCode).toBe(409);
    // A service area outside the city, an unknown category: 400.
    const far = await ctx.request({ method: 'POST', url: '/api/v1/organisations', payload: body({ serviceOrgIds: [t.pingcheng] }), as: xiaodianAdmin });
    expect(far.statusCode, far.body).toBe(400);
    const cat = await ctx.request({ method: 'POST', url: '/api/v1/organisations', payload: body({ categories: ['no_such_thing'] }), as: xiaodianAdmin });
    expect(cat.statusCode, cat.body).toBe(400);
  });

  it("another district's org_admin cannot create under, read, edit or list the organisation", async () => {
    const create = await ctx.request({ method: 'POST', url: '/api/v1/organisations', payload: body(), as: wanbailinAdmin });
    expect(create.statusCode).toBe(403);
    for (const [method, url, payload] of [
      ['GET', `/api/v1/organisations/${organisationId}`, undefined],
      ['PATCH', `/api/v1/organisations/${organisationId}`, { name: '改名' }],
      ['GET', `/api/v1/organisations/${organisationId}/members`, undefined],
      ['POST', `/api/v1/organisations/${organisationId}/admins`, { userId: orgAdminUser.userId }],
    ] as const) {
      const res = await ctx.request({ method, url, payload, as: wanbailinAdmin });
      expect([403, 404], `${method} ${url}`).toContain(res.statusCode);
    }
    const list = await ctx.request({ method: 'GET', url: '/api/v1/organisations', as: wanbailinAdmin });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: OrganisationDto[] }>().items.map((o) => o.id)).not.toContain(organisationId);
    const own = await ctx.request({ method: 'GET', url: `/api/v1/organisations?q=${encodeURIComponent('龙城')}`, as: xiaodianAdmin });
    expect(own.json<{ items: OrganisationDto[] }>().items.map((o) => o.id)).toEqual([organisationId]);
    // A plain resident is no staff: 403 on the list, 404 on the organisation.
    const resident = await ctx.register('居民');
    expect((await ctx.request({ method: 'GET', url: '/api/v1/organisations', as: resident })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/organisations/${organisationId}`, as: resident })).statusCode).toBe(404);
  });

  it('the organisation’s own admin manages it (edit, members) but not its teams or admins, and no other organisation', async () => {
    const grant = await ctx.request({
      method: 'POST',
      url: `/api/v1/organisations/${organisationId}/admins`,
      payload: { userId: orgAdminUser.userId },
      as: xiaodianAdmin,
    });
    expect(grant.statusCode, grant.body).toBe(201);
    const again = await ctx.request({
      method: 'POST',
      url: `/api/v1/organisations/${organisationId}/admins`,
      payload: { userId: orgAdminUser.userId },
      as: xiaodianAdmin,
    });
    expect(again.statusCode).toBe(409);
    const other = await ctx.request({ method: 'POST', url: '/api/v1/organisations', payload: body({ name: '赵海生雷锋团' }), as: xiaodianAdmin });
    expect(other.statusCode).toBe(201);
    const otherId = other.json<OrganisationDto>().id;

    const list = await ctx.request({ method: 'GET', url: '/api/v1/organisations', as: orgAdminUser });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: OrganisationDto[] }>().items.map((o) => o.id)).toEqual([organisationId]);
    const mine = await ctx.request({ method: 'GET', url: '/api/v1/organisations/mine', as: orgAdminUser });
    expect(mine.json<MyOrganisationsDto>().administered.map((o) => o.id)).toEqual([organisationId]);

    const edit = await ctx.request({
      method: 'PATCH',
      url: `/api/v1/organisations/${organisationId}`,
      payload: { contactName: '李四', serviceOrgIds: [t.shifanjie] },
      as: orgAdminUser,
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json<OrganisationDto>()).toMatchObject({ contactName: '李四' });
    expect(edit.json<OrganisationDto>().allowedActions).not.toContain('manageTeams');
    expect(
      (await ctx.request({ method: 'PATCH', url: `/api/v1/organisations/${otherId}`, payload: { contactName: '李四' }, as: orgAdminUser })).statusCode,
    ).toBe(404);
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/organisations/${organisationId}/teams`, payload: { teamId }, as: orgAdminUser })).statusCode,
    ).toBe(403);

    const team = await ctx.request({ method: 'POST', url: `/api/v1/organisations/${organisationId}/teams`, payload: { teamId }, as: xiaodianAdmin });
    expect(team.statusCode, team.body).toBe(201);
    // A team belongs to one organisation at most.
    const twice = await ctx.request({ method: 'POST', url: `/api/v1/organisations/${otherId}/teams`, payload: { teamId }, as: xiaodianAdmin });
    expect(twice.statusCode).toBe(409);

    const detail = await ctx.request({ method: 'GET', url: `/api/v1/organisations/${organisationId}`, as: orgAdminUser });
    expect(detail.statusCode).toBe(200);
    const d = detail.json<OrganisationDetailDto>();
    expect(d.serviceSites.map((s) => s.id)).toEqual([t.shifanjie]);
    expect(d.teams.map((x) => x.id)).toEqual([teamId]);
    expect(d.admins.map((a) => a.userId)).toEqual([orgAdminUser.userId]);
    expect(d.figures).toMatchObject({ teams: 1, volunteers: 0, activities: 0, hours: 0 });
  });

  it("the organisation's admin manages the members of its teams (like the leader), and of no other team", async () => {
    const v = await volunteer(ctx, t.shifanjie, { name: '组织队员' });
    const other = await ctx.request({
      method: 'POST',
      url: '/api/v1/teams',
      payload: { orgId: t.shifanjie, name: '不属于组织的队伍', tier: 'unit', type: 'social', category: 'health' },
      as: xiaodianAdmin,
    });
    const otherTeam = other.json<{ id: string }>().id;
    const seen = await ctx.request({ method: 'GET', url: `/api/v1/teams/${teamId}`, as: orgAdminUser });
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json<{ allowedActions: string[] }>().allowedActions).toContain('addMember');
    const add = await ctx.request({ method: 'POST', url: `/api/v1/teams/${teamId}/members`, payload: { volunteerId: v.volunteerId }, as: orgAdminUser });
    expect(add.statusCode, add.body).toBe(201);
    const gone = await ctx.request({ method: 'DELETE', url: `/api/v1/teams/${teamId}/members/${v.volunteerId}`, as: orgAdminUser });
    expect(gone.statusCode).toBe(204);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/teams/${otherTeam}`, as: orgAdminUser })).statusCode).toBe(403);
    const refused = await ctx.request({ method: 'POST', url: `/api/v1/teams/${otherTeam}/members`, payload: { volunteerId: v.volunteerId }, as: orgAdminUser });
    expect(refused.statusCode).toBe(403);
  });

  it('a volunteer belongs to several organisations', async () => {
    const v = await volunteer(ctx, t.shifanjie, { name: '多组织志愿者' });
    const second = await ctx.request({ method: 'POST', url: '/api/v1/organisations', payload: body({ name: '心静源志愿服务社' }), as: xiaodianAdmin });
    const secondId = second.json<OrganisationDto>().id;
    for (const id of [organisationId, secondId]) {
      const res = await ctx.request({ method: 'POST', url: `/api/v1/organisations/${id}/members`, payload: { volunteerId: v.volunteerId }, as: xiaodianAdmin });
      expect(res.statusCode, res.body).toBe(201);
    }
    const dup = await ctx.request({
      method: 'POST',
      url: `/api/v1/organisations/${secondId}/members`,
      payload: { volunteerId: v.volunteerId },
      as: xiaodianAdmin,
    });
    expect(dup.statusCode).toBe(409);
    const mine = (await ctx.request({ method: 'GET', url: '/api/v1/organisations/mine', as: v })).json<MyOrganisationsDto>();
    expect(mine.memberOf.map((m) => m.name).sort()).toEqual(['心静源志愿服务社', '龙城义工联合会'].sort());
    // A member sees their organisation; the organisation admin lists its members.
    expect((await ctx.request({ method: 'GET', url: `/api/v1/organisations/${organisationId}`, as: v })).statusCode).toBe(200);
    const members = await ctx.request({ method: 'GET', url: `/api/v1/organisations/${organisationId}/members`, as: orgAdminUser });
    expect(members.json<{ items: { volunteerId: string }[] }>().items.map((m) => m.volunteerId)).toContain(v.volunteerId);
    const gone = await ctx.request({ method: 'DELETE', url: `/api/v1/organisations/${secondId}/members/${v.volunteerId}`, as: xiaodianAdmin });
    expect(gone.statusCode).toBe(204);
  });

  it('a volunteer asks to join a team and an organisation; one pending request per target; refusal needs a reason; the requester withdraws', async () => {
    const v = await volunteer(ctx, t.shifanjie, { name: '申请人' });
    const targets = (await ctx.request({ method: 'GET', url: '/api/v1/join-targets', as: v })).json<JoinTargetsDto>();
    expect(targets.teams.map((x) => x.id)).toContain(teamId);
    expect(targets.organisations.map((x) => x.id)).toContain(organisationId);

    const ask = await ctx.request({ method: 'POST', url: '/api/v1/join-requests', payload: { teamId, message: '我会急救' }, as: v });
    expect(ask.statusCode, ask.body).toBe(201);
    const req = ask.json<JoinRequestDto>();
    expect(req).toMatchObject({ kind: 'team', targetName: '师范街志愿服务队', status: 'pending', allowedActions: ['withdraw'] });
    const again = await ctx.request({ method: 'POST', url: '/api/v1/join-requests', payload: { teamId }, as: v });
    expect(again.statusCode).toBe(409);
    // Both targets at once, or none: 400.
    expect((await ctx.request({ method: 'POST', url: '/api/v1/join-requests', payload: { teamId, organisationId }, as: v })).statusCode).toBe(400);
    expect((await ctx.request({ method: 'POST', url: '/api/v1/join-requests', payload: {}, as: v })).statusCode).toBe(400);
    // Someone who is not a volunteer cannot ask.
    expect((await ctx.request({ method: 'POST', url: '/api/v1/join-requests', payload: { teamId }, as: xiaodianAdmin })).statusCode).toBe(403);

    // The leader sees it (the team's requests); the other district's admin neither sees nor decides it.
    const forLeader = (await ctx.request({ method: 'GET', url: '/api/v1/join-requests', as: leader })).json<{ items: JoinRequestDto[] }>();
    expect(forLeader.items.map((x) => x.id)).toContain(req.id);
    const forOther = (await ctx.request({ method: 'GET', url: '/api/v1/join-requests', as: wanbailinAdmin })).json<{ items: JoinRequestDto[] }>();
    expect(forOther.items.map((x) => x.id)).not.toContain(req.id);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/join-requests/${req.id}/approve`, as: wanbailinAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/join-requests/${req.id}/approve`, as: v })).statusCode).toBe(403);

    // Refusing without a reason: 400; with one: refused, and the reason reaches the volunteer.
    expect((await ctx.request({ method: 'POST', url: `/api/v1/join-requests/${req.id}/refuse`, payload: { reason: '' }, as: leader })).statusCode).toBe(400);
    const refused = await ctx.request({ method: 'POST', url: `/api/v1/join-requests/${req.id}/refuse`, payload: { reason: '本队暂不招新' }, as: leader });
    expect(refused.statusCode, refused.body).toBe(200);
    const mine = (await ctx.request({ method: 'GET', url: '/api/v1/join-requests/mine', as: v })).json<{ items: JoinRequestDto[] }>();
    expect(mine.items[0]).toMatchObject({ id: req.id, status: 'refused', reason: '本队暂不招新' });
    // The leader was told of the request, the volunteer of the refusal and its reason.
    const inbox = async (as: Caller) =>
      (await ctx.request({ method: 'GET', url: '/api/v1/notifications', as })).json<{
        items: { refType: string; refId: string; title: string; body: string | null }[];
      }>().items;
    expect((await inbox(leader)).find((n) => n.refType === 'join_request' && n.refId === req.id)?.title).toBe('申请人 申请加入「师范街志愿服务队」');
    expect((await inbox(v)).find((n) => n.refType === 'join_request' && n.refId === req.id)).toMatchObject({
      title: '加入申请未通过：师范街志愿服务队',
      body: '本队暂不招新',
    });
    expect((await ctx.request({ method: 'POST', url: `/api/v1/join-requests/${req.id}/approve`, as: leader })).statusCode).toBe(409);

    // After a refusal, a new request may be made; the requester withdraws it.
    const second = await ctx.request({ method: 'POST', url: '/api/v1/join-requests', payload: { organisationId }, as: v });
    expect(second.statusCode, second.body).toBe(201);
    const sid = second.json<JoinRequestDto>().id;
    expect((await ctx.request({ method: 'POST', url: `/api/v1/join-requests/${sid}/withdraw`, as: leader })).statusCode).toBe(404);
    const w = await ctx.request({ method: 'POST', url: `/api/v1/join-requests/${sid}/withdraw`, as: v });
    expect(w.json<JoinRequestDto>().status).toBe('withdrawn');
  });

  it('two approvals racing (leader and organisation admin) approve once: one 200, one 409, one membership, one audit row', async () => {
    const v = await volunteer(ctx, t.shifanjie, { name: '抢批申请人' });
    const ask = await ctx.request({ method: 'POST', url: '/api/v1/join-requests', payload: { teamId }, as: v });
    const id = ask.json<JoinRequestDto>().id;
    // The organisation's admin decides its teams' requests too.
    const forOrgAdmin = (await ctx.request({ method: 'GET', url: `/api/v1/join-requests?organisationId=${organisationId}`, as: orgAdminUser })).json<{
      items: JoinRequestDto[];
    }>();
    expect(forOrgAdmin.items.map((x) => x.id)).toContain(id);

    const results = await Promise.all(
      [leader, orgAdminUser, xiaodianAdmin].map((as) => ctx.request({ method: 'POST', url: `/api/v1/join-requests/${id}/approve`, as })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const team = await ctx.request({ method: 'GET', url: `/api/v1/teams/${teamId}`, as: xiaodianAdmin });
    expect(team.json<{ members: { volunteerId: string }[] }>().members.filter((m) => m.volunteerId === v.volunteerId)).toHaveLength(1);
    const audits = await ctx.database.raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_logs WHERE action = 'joinRequest.approve' AND entity_id = $1`,
      [id],
    );
    expect(Number(audits[0]!.n)).toBe(1);
    // Now a member: asking again is a duplicate.
    expect((await ctx.request({ method: 'POST', url: '/api/v1/join-requests', payload: { teamId }, as: v })).statusCode).toBe(409);
  });

  it('two requests for the same target racing: one is created, the other is a 409', async () => {
    const v = await volunteer(ctx, t.shifanjie, { name: '并发申请人' });
    const results = await Promise.all([1, 2].map(() => ctx.request({ method: 'POST', url: '/api/v1/join-requests', payload: { organisationId }, as: v })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const id = results.find((r) => r.statusCode === 201)!.json<JoinRequestDto>().id;
    const ok = await ctx.request({ method: 'POST', url: `/api/v1/join-requests/${id}/approve`, as: orgAdminUser });
    expect(ok.statusCode, ok.body).toBe(200);
    const d = (await ctx.request({ method: 'GET', url: `/api/v1/organisations/${organisationId}`, as: orgAdminUser })).json<OrganisationDetailDto>();
    expect(d.memberCount).toBeGreaterThanOrEqual(1);
    const mine = (await ctx.request({ method: 'GET', url: '/api/v1/organisations/mine', as: v })).json<MyOrganisationsDto>();
    expect(mine.memberOf.map((m) => m.id)).toEqual([organisationId]);
  });
});
