import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, freshIdNumber, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { createPointsRepository } from '../src/modules/points/points.repository.ts';
import { createVolunteersRepository } from '../src/modules/volunteers/volunteers.repository.ts';
import { newId } from '../src/lib/ids.ts';

describe.each(DATABASES)('volunteers, teams and the hours ledger on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let xdAdmin: Caller;
  let xdDispatcher: Caller;
  let pcAdmin: Caller;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    xdAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    xdDispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '小店区调度员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng, '平城区管理员');
  });
  afterAll(() => ctx.close());

  /** A pending record inserted as an order or activity would (those modules create them). */
  async function pendingRecord(volunteerId: string, hours: number, teamId: string | null = null) {
    const id = newId();
    await ctx.database.raw.query(
      `INSERT INTO service_records (city_code, id, volunteer_id, org_id, team_id, source_type, source_id, hours, title)
       VALUES ('1401', $1, $2, $3, $4, 'activity', $5, $6, '测试活动')`,
      [id, volunteerId, t.shifanjie, teamId, newId(), hours],
    );
    return id;
  }

  it('registers a volunteer; the ID number is encrypted at rest and masked everywhere', async () => {
    const user = await ctx.register('李秀兰');
    const idNumber = freshIdNumber('19650312');
    const res = await ctx.request({
      method: 'POST',
      url: '/api/v1/volunteers',
      payload: {
        realName: '李秀兰',
        idNumber,
        orgId: t.shifanjie,
        skills: ['health', 'culture'],
        politicalStatus: 'party',
        workUnit: '太原市第一中学',
        lat: 37.81234,
        lng: 112.56789,
      },
      as: user,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'active',
      realName: '李秀兰',
      idNumber: `${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`,
      totalHours: 0,
      star: 0,
      points: 0,
      politicalStatus: 'party',
    });
    const [raw] = await ctx.database.raw.query<Record<string, string>>('SELECT * FROM volunteers WHERE id = $1', [body.id]);
    for (const value of Object.values(raw!)) expect(JSON.stringify(value)).not.toContain(idNumber.slice(4, 14));
    expect(raw!.id_number_enc).toMatch(/^v1\./);
    // /me knows the volunteer now.
    expect((await ctx.request({ method: 'GET', url: '/api/v1/me', as: user })).json().volunteerId).toBe(body.id);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/volunteers/me', as: user })).json().id).toBe(body.id);
    // Staff see it masked too, and the view is audited.
    const byStaff = await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${body.id}`, as: xdDispatcher });
    expect(byStaff.statusCode).toBe(200);
    expect(byStaff.json().idNumber).toBe(body.idNumber);
    expect(byStaff.json().phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    const views = await ctx.database.raw.query("SELECT 1 FROM audit_logs WHERE action = 'volunteer.view' AND entity_id = $1", [body.id]);
    expect(views.length).toBe(1);
    const openapi = JSON.stringify(byStaff.json());
    expect(openapi).not.toContain(idNumber);
  });

  it('refuses invalid ID numbers, unknown skills, a city as site, and duplicates', async () => {
    const user = await ctx.register();
    const bad = async (payload: object) => ctx.request({ method: 'POST', url: '/api/v1/volunteers', payload, as: user });
    const base = { realName: '王', orgId: t.shifanjie, skills: ['health'] };
    const wrongCheck = freshIdNumber().slice(0, 17) + 'Y';
    expect((await bad({ ...base, idNumber: wrongCheck })).statusCode).toBe(400);
    const valid = freshIdNumber();
    const flipped = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    const r1 = await bad({ ...base, idNumber: flipped });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.details[0].path).toBe('idNumber');
    expect((await bad({ ...base, idNumber: '14010519800230123X' })).statusCode).toBe(400);
    expect((await bad({ ...base, idNumber: valid, skills: ['cooking'] })).statusCode).toBe(400);
    expect((await bad({ ...base, idNumber: valid, orgId: t.taiyuan })).statusCode).toBe(422);
    expect((await bad({ ...base, idNumber: valid, lat: 37.8 })).statusCode).toBe(400);
    expect((await bad({ ...base, idNumber: valid })).statusCode).toBe(201);
    const again = await bad({ ...base, idNumber: freshIdNumber() });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('DUPLICATE');
    const other = await ctx.register();
    const sameId = await ctx.request({ method: 'POST', url: '/api/v1/volunteers', payload: { ...base, idNumber: valid.toLowerCase() }, as: other });
    expect(sameId.statusCode).toBe(409);
  });

  it('scopes volunteer reads: self, staff of the subtree, team leaders; nobody else', async () => {
    const v = await volunteer(ctx, t.shifanjie, { name: '赵大姐' });
    const stranger = await ctx.register();
    const got = async (as: Caller | null) => (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}`, as })).statusCode;
    expect([await got(v), await got(ctx.admin), await got(xdAdmin), await got(xdDispatcher), await got(pcAdmin), await got(stranger), await got(null)]).toEqual(
      [200, 200, 200, 200, 403, 403, 401],
    );
    const list = (await ctx.request({ method: 'GET', url: `/api/v1/volunteers?q=${encodeURIComponent('赵大姐')}`, as: xdAdmin })).json();
    expect(list.items.map((x: { id: string }) => x.id)).toContain(v.volunteerId);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers?q=${encodeURIComponent('赵大姐')}`, as: pcAdmin })).json().items).toEqual([]);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/volunteers', as: stranger })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers?orgId=${t.xiaodian}`, as: pcAdmin })).statusCode).toBe(403);
    // Filters: phone tail and skill.
    const tail = v.phone.slice(-4);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers?q=${tail}`, as: xdAdmin })).json().items.map((x: { id: string }) => x.id)).toContain(
      v.volunteerId,
    );
    expect(
      (await ctx.request({ method: 'GET', url: '/api/v1/volunteers?skill=legal', as: xdAdmin })).json().items.map((x: { id: string }) => x.id),
    ).not.toContain(v.volunteerId);
  });

  it('suspends and reactivates with a reason (org_admin only), once', async () => {
    const v = await volunteer(ctx, t.shifanjie);
    const post = (url: string, as: Caller, payload: object = { reason: '长期未参加服务' }) => ctx.request({ method: 'POST', url, payload, as });
    expect((await post(`/api/v1/volunteers/${v.volunteerId}/suspend`, xdDispatcher)).statusCode).toBe(403);
    expect((await post(`/api/v1/volunteers/${v.volunteerId}/suspend`, xdAdmin, {})).statusCode).toBe(400);
    const s = await post(`/api/v1/volunteers/${v.volunteerId}/suspend`, xdAdmin);
    expect(s.statusCode).toBe(200);
    expect(s.json()).toMatchObject({ status: 'suspended', statusReason: '长期未参加服务', allowedActions: ['reactivate', 'activationCode'] });
    expect((await post(`/api/v1/volunteers/${v.volunteerId}/suspend`, xdAdmin)).statusCode).toBe(409);
    expect((await post(`/api/v1/volunteers/${v.volunteerId}/reactivate`, xdAdmin, { reason: '已恢复' })).json().status).toBe('active');
  });

  it('teams: create in three tiers, leader manages members, scoping', async () => {
    const leader = await ctx.register('队长');
    const corps = await ctx.request({
      method: 'POST',
      url: '/api/v1/teams',
      payload: { orgId: t.xiaodian, name: '小店区志愿服务总队', tier: 'corps', type: 'party', category: 'theory' },
      as: xdAdmin,
    });
    expect(corps.statusCode, corps.body).toBe(201);
    const unit = await ctx.request({
      method: 'POST',
      url: '/api/v1/teams',
      payload: {
        orgId: t.shifanjie,
        name: '师范街医疗服务队',
        tier: 'unit',
        type: 'professional',
        category: 'health',
        parentTeamId: corps.json().id,
        leaderUserId: leader.userId,
      },
      as: xdAdmin,
    });
    expect(unit.statusCode, unit.body).toBe(201);
    const teamId = unit.json().id;
    // Rules and bad input.
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/teams',
          payload: { orgId: t.shifanjie, name: '倒挂总队', tier: 'corps', type: 'party', category: 'health', parentTeamId: teamId },
          as: xdAdmin,
        })
      ).statusCode,
    ).toBe(422);
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/teams',
          payload: { orgId: t.shifanjie, name: '师范街医疗服务队', tier: 'unit', type: 'social', category: 'health' },
          as: xdAdmin,
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/teams',
          payload: { orgId: t.shifanjie, name: 'x', tier: 'unit', type: 'social', category: 'cooking' },
          as: xdAdmin,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/teams',
          payload: { orgId: t.shifanjie, name: 'x', tier: 'legion', type: 'social', category: 'health' },
          as: xdAdmin,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/teams',
          payload: { orgId: t.shifanjie, name: 'y', tier: 'unit', type: 'social', category: 'health' },
          as: pcAdmin,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: '/api/v1/teams',
          payload: { orgId: t.shifanjie, name: 'y', tier: 'unit', type: 'social', category: 'health' },
          as: xdDispatcher,
        })
      ).statusCode,
    ).toBe(403);

    const v1 = await volunteer(ctx, t.shifanjie, { name: '队员甲' });
    const v2 = await volunteer(ctx, t.shifanjie, { name: '队员乙' });
    const leaderCaller = await ctx.login(leader.phone, 'password123');
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/teams/${teamId}/members`, payload: { volunteerId: v1.volunteerId }, as: leaderCaller })).statusCode,
    ).toBe(201);
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/teams/${teamId}/members`, payload: { volunteerId: v2.volunteerId }, as: xdAdmin })).statusCode,
    ).toBe(201);
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/teams/${teamId}/members`, payload: { volunteerId: v2.volunteerId }, as: xdAdmin })).statusCode,
    ).toBe(409);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/teams/${teamId}/members`, payload: { volunteerId: v2.volunteerId }, as: v1 })).statusCode).toBe(
      403,
    );
    const team = (await ctx.request({ method: 'GET', url: `/api/v1/teams/${teamId}`, as: v1 })).json();
    expect(team).toMatchObject({ name: '师范街医疗服务队', tier: 'unit', leaderName: '队长', memberCount: 2 });
    expect(team.members.map((m: { realName: string }) => m.realName)).toEqual(['队员甲', '队员乙']);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/teams/${teamId}`, as: pcAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'DELETE', url: `/api/v1/teams/${teamId}/members/${v2.volunteerId}`, as: leaderCaller })).statusCode).toBe(204);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/teams?orgId=${t.xiaodian}`, as: xdAdmin })).json().items.length).toBe(2);
    // The leader can see a member's profile.
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v1.volunteerId}`, as: leaderCaller })).statusCode).toBe(200);
  });

  it('lists each volunteer of a page with exactly their teams, in the order they joined them', async () => {
    const as = ctx.admin;
    const createTeam = async (orgId: string, name: string) => {
      const res = await ctx.request({ method: 'POST', url: '/api/v1/teams', payload: { orgId, name, tier: 'unit', type: 'social', category: 'health' }, as });
      expect(res.statusCode, res.body).toBe(201);
      return { id: res.json().id as string, name };
    };
    // Created in an order that is neither the names' order nor the order anyone joins them.
    const yi = await createTeam(t.xiaojingyu, '小井峪乙队');
    const jia = await createTeam(t.xiaojingyu, '小井峪甲队');
    const bing = await createTeam(t.xiaojingyu, '小井峪丙队');
    const datongTeam = await createTeam(t.xinwang, '新旺街道服务队');
    const a = await volunteer(ctx, t.xiaojingyu, { name: '多队甲' });
    const b = await volunteer(ctx, t.xiaojingyu, { name: '多队乙' });
    const c = await volunteer(ctx, t.xiaojingyu, { name: '无队丙' });
    const d = await volunteer(ctx, t.xinwang, { name: '大同丁' });
    const e = await volunteer(ctx, t.xiaojingyu, { name: '多队戊' });
    const join = async (team: { id: string }, v: { volunteerId: string }) =>
      expect((await ctx.request({ method: 'POST', url: `/api/v1/teams/${team.id}/members`, payload: { volunteerId: v.volunteerId }, as })).statusCode).toBe(
        201,
      );
    await join(bing, a);
    await join(yi, e);
    await join(yi, a);
    await join(jia, b);
    await join(jia, a);
    await join(datongTeam, d);
    await join(bing, e);
    // Leaving and joining again puts the team last.
    expect((await ctx.request({ method: 'DELETE', url: `/api/v1/teams/${yi.id}/members/${a.volunteerId}`, as })).statusCode).toBe(204);
    await join(yi, a);
    const expected: Record<string, { id: string; name: string }[]> = {
      [a.volunteerId]: [bing, jia, yi],
      [b.volunteerId]: [jia],
      [c.volunteerId]: [],
      [d.volunteerId]: [datongTeam],
      [e.volunteerId]: [yi, bing],
    };

    /** Every page of the list, `limit` at a time. */
    async function listAll(query: string, limit = 200) {
      const items: { id: string; teams: { id: string; name: string }[] }[] = [];
      let cursor: string | null = null;
      do {
        const res = await ctx.request({
          method: 'GET',
          url: `/api/v1/volunteers?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          as,
        });
        expect(res.statusCode, res.body).toBe(200);
        items.push(...res.json().items);
        cursor = res.json().nextCursor;
      } while (cursor);
      return items;
    }
    // Both cities on the platform admin's pages: all on one page, and 2 to a page.
    const all = await listAll('');
    for (const page of [all, await listAll('', 2)])
      for (const [id, teams] of Object.entries(expected)) expect(page.filter((v) => v.id === id).map((v) => v.teams)).toEqual([teams]);
    // Narrowed to the institute: the same teams.
    const here = await listAll(`&orgId=${t.xiaojingyu}`);
    expect(here.map((v) => v.id).sort()).toEqual([a, b, c, e].map((v) => v.volunteerId).sort());
    for (const v of here) expect(v.teams).toEqual(expected[v.id]);
    // Filtered by one team: its members, each still with all of their teams.
    const ofYi = await listAll(`&teamId=${yi.id}`);
    expect(Object.fromEntries(ofYi.map((v) => [v.id, v.teams]))).toEqual({
      [a.volunteerId]: expected[a.volunteerId],
      [e.volunteerId]: expected[e.volunteerId],
    });
    // The detail presents a volunteer exactly as the list does.
    for (const v of [a, d])
      expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}`, as })).json()).toEqual(all.find((x) => x.id === v.volunteerId));
  });

  it('verifying credits hours, star and points exactly once, even under concurrency', async () => {
    const v = await volunteer(ctx, t.shifanjie, { name: '钱师傅' });
    const recordId = await pendingRecord(v.volunteerId, 2.5);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ctx.request({ method: 'POST', url: `/api/v1/service-records/${recordId}/verify`, payload: {}, as: i % 2 ? xdAdmin : xdDispatcher }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(9);
    const records = (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}/records`, as: v })).json();
    expect(records).toMatchObject({ totalHours: 2.5, star: 0, items: [{ id: recordId, status: 'verified', hours: 2.5, source: 'activity' }] });
    const points = (await ctx.request({ method: 'GET', url: '/api/v1/points/me', as: v })).json();
    expect(points.balance).toBe(25);
    expect(points.items).toEqual([expect.objectContaining({ delta: 25, reason: 'service_hours', refType: 'service_record', refId: recordId })]);
    // Reject after verify is an invalid transition.
    expect((await ctx.request({ method: 'POST', url: `/api/v1/service-records/${recordId}/reject`, payload: { reason: 'x' }, as: xdAdmin })).statusCode).toBe(
      409,
    );
    // Out of scope and residents cannot decide.
    const other = await pendingRecord(v.volunteerId, 1);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/service-records/${other}/verify`, payload: {}, as: pcAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/service-records/${other}/verify`, payload: {}, as: v })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/service-records/${newId()}/verify`, payload: {}, as: xdAdmin })).statusCode).toBe(404);
  });

  it('climbs stars from verified hours; points follow the org setting; revocation reverses both', async () => {
    const v = await volunteer(ctx, t.shifanjie, { name: '孙大爷' });
    const points = createPointsRepository(ctx.database.db);
    await points.setPointsPerHour('1401', t.xiaodian, 12);
    for (let i = 0; i < 5; i++) {
      const id = await pendingRecord(v.volunteerId, 20);
      expect((await ctx.request({ method: 'POST', url: `/api/v1/service-records/${id}/verify`, payload: {}, as: xdAdmin })).statusCode).toBe(200);
    }
    const profile = (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}`, as: v })).json();
    expect(profile).toMatchObject({ totalHours: 100, star: 1, hoursToNextStar: 200, points: 1200 });
    const last = (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}/records?limit=1`, as: v })).json().items[0];
    const revoked = await ctx.request({ method: 'POST', url: `/api/v1/service-records/${last.id}/revoke`, payload: { reason: '重复登记' }, as: xdAdmin });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().status).toBe('revoked');
    const after = (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}`, as: v })).json();
    expect(after).toMatchObject({ totalHours: 80, star: 0, points: 960 });
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/service-records/${last.id}/revoke`, payload: { reason: 'again' }, as: xdAdmin })).statusCode,
    ).toBe(409);
    // Reconciliation: balances equal ledger sums; totals equal verified records.
    expect(await points.mismatches()).toEqual([]);
    expect(await createVolunteersRepository(ctx.database.db).hourMismatches()).toEqual([]);
  });

  it('a manual record needs a second staff member to verify it', async () => {
    const v = await volunteer(ctx, t.shifanjie);
    const body = {
      volunteerId: v.volunteerId,
      orgId: t.wucheng,
      hours: 3,
      startedAt: '2026-11-20T09:00:00+08:00',
      endedAt: '2026-11-20T12:00:00+08:00',
      title: '社区义诊',
      note: '纸质签到表已存档',
    };
    const created = await ctx.request({ method: 'POST', url: '/api/v1/service-records', payload: body, as: xdAdmin });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ status: 'pending', source: 'manual', allowedActions: [] });
    const id = created.json().id;
    expect((await ctx.request({ method: 'POST', url: `/api/v1/service-records/${id}/verify`, payload: {}, as: xdAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/service-records/${id}/verify`, payload: {}, as: xdDispatcher })).statusCode).toBe(200);
    for (const bad of [
      { ...body, hours: 0 },
      { ...body, hours: 25 },
      { ...body, hours: -1 },
      { ...body, endedAt: '2026-11-20T08:00:00+08:00' },
      { ...body, startedAt: 'yesterday' },
    ]) {
      const res = await ctx.request({ method: 'POST', url: '/api/v1/service-records', payload: bad, as: xdAdmin });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect((await ctx.request({ method: 'POST', url: '/api/v1/service-records', payload: body, as: pcAdmin })).statusCode).toBe(403);
    // The queue shows pending records in scope.
    const queue = (await ctx.request({ method: 'GET', url: '/api/v1/service-records?status=verified', as: xdAdmin })).json();
    expect(queue.items.map((r: { id: string }) => r.id)).toContain(id);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/service-records', as: v })).statusCode).toBe(403);
  });
});
