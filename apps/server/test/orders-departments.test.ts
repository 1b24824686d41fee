import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, type Tree } from './helpers/fixtures.ts';

/** 接诉即办, the department half of the loop (issue 18): routing directory, deadlines, supervision, figures. */
describe.each(DATABASES)('department handling (接诉即办) on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let dispatcher: Caller;
  let cityDispatcher: Caller;
  let resident: Caller & { phone: string };
  let env: string;
  let housing: string;
  let urban: string;
  let envOfficer: Caller;
  let envOfficer2: Caller;
  let housingOfficer: Caller;
  let urbanOfficer: Caller;
  const sent: { phone: string; kind: string; title: string }[] = [];

  const dept = async (name: string, duties: object) => {
    const id = (await ctx.request({ method: 'POST', url: '/api/v1/departments', payload: { orgId: t.xiaodian, name }, as: ctx.admin })).json().id as string;
    const res = await ctx.request({ method: 'PATCH', url: `/api/v1/departments/${id}`, payload: duties, as: ctx.admin });
    expect(res.statusCode, res.body).toBe(200);
    return id;
  };
  const officerOf = async (departmentId: string, name: string) => {
    const u = await ctx.register(name);
    const r = await ctx.request({ method: 'POST', url: `/api/v1/users/${u.userId}/roles`, payload: { role: 'dept_officer', departmentId }, as: ctx.admin });
    expect(r.statusCode, r.body).toBe(201);
    return ctx.login(u.phone, 'password123');
  };

  beforeAll(async () => {
    ctx = await createTestContext(kind, {}, { channels: [{ name: 'sms', send: async (m) => void sent.push(m) }] });
    t = await buildTree(ctx);
    dispatcher = await staff(ctx, 'dispatcher', t.wucheng, '坞城调度员');
    // 小店区 (the center) is left unstaffed on purpose: escalations must skip it and reach the city.
    cityDispatcher = await staff(ctx, 'dispatcher', t.taiyuan, '太原市调度员');
    resident = await ctx.register('李大爷');
    env = await dept('小店区生态环境分局', {
      categories: ['environment'],
      natures: ['complaint', 'petition'],
      keywords: ['噪音', '扰民', '油烟', '烧烤'],
      contact: '0351-7654321',
      ackMinutes: 60,
      resolveMinutes: 3 * 24 * 60,
    });
    housing = await dept('小店区住房和城乡建设局', { keywords: ['物业', '电梯', '漏水', '供暖'], natures: ['complaint'] });
    urban = await dept('小店区城市管理局', { keywords: ['占道经营', '小广告', '摊贩'], natures: ['complaint'] });
    envOfficer = await officerOf(env, '环境分局专员');
    envOfficer2 = await officerOf(env, '环境分局值班员');
    housingOfficer = await officerOf(housing, '住建局专员');
    urbanOfficer = await officerOf(urban, '城管局专员');
  });
  afterAll(() => ctx.close());

  const submit = (content: string, extra: object = {}) =>
    ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content, orgId: t.shifanjie, ...extra }, as: resident });
  const act = (id: string, action: string, as: Caller | null, payload: object = {}) =>
    ctx.request({ method: 'POST', url: `/api/v1/orders/${id}/${action}`, payload, as });
  const get = (id: string, as: Caller = ctx.admin) => ctx.request({ method: 'GET', url: `/api/v1/orders/${id}`, as });
  const inbox = async (as: Caller) =>
    (await ctx.request({ method: 'GET', url: '/api/v1/notifications?limit=200', as })).json().items as { kind: string; refId: string; title: string }[];
  const minutesFromNow = (m: number) => new Date(testNow().getTime() + m * 60_000);

  it('keeps a routing directory per department, managed by its site’s admins only', async () => {
    const d = (await ctx.request({ method: 'GET', url: `/api/v1/departments/${env}`, as: envOfficer })).json();
    expect(d).toMatchObject({
      name: '小店区生态环境分局',
      categories: ['environment'],
      natures: ['complaint', 'petition'],
      areaOrgId: t.xiaodian,
      ackMinutes: 60,
    });
    expect(d.keywords).toEqual(['噪音', '扰民', '油烟', '烧烤']);
    expect((await ctx.request({ method: 'PATCH', url: `/api/v1/departments/${env}`, payload: { keywords: ['x'] }, as: dispatcher })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'PATCH', url: `/api/v1/departments/${env}`, payload: { keywords: ['x'] }, as: envOfficer })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'PATCH', url: `/api/v1/departments/${env}`, payload: { categories: ['nosuch'] }, as: ctx.admin })).statusCode).toBe(
      422,
    );
    expect((await ctx.request({ method: 'PATCH', url: `/api/v1/departments/${env}`, payload: { natures: ['service'] }, as: ctx.admin })).statusCode).toBe(400);
    expect((await ctx.request({ method: 'PATCH', url: `/api/v1/departments/${env}`, payload: { areaOrgId: t.pingcheng }, as: ctx.admin })).statusCode).toBe(
      422,
    );
    const pc = await staff(ctx, 'org_admin', t.pingcheng, '平城区管理员');
    expect((await ctx.request({ method: 'GET', url: `/api/v1/departments/${env}`, as: pc })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/departments/${env}`, as: resident })).statusCode).toBe(403);
  });

  it('suggests the responsible department first for a complaint, with reasons; a service need gets none', async () => {
    const o = (await submit('楼下烧烤摊每天晚上闹到凌晨两点，噪音扰民，投诉好几次了', { nature: 'complaint', category: 'environment' })).json();
    const cands = (await ctx.request({ method: 'GET', url: `/api/v1/orders/${o.id}/candidates`, as: dispatcher })).json();
    expect(cands[0]).toMatchObject({ kind: 'department', id: env, name: '小店区生态环境分局' });
    expect(cands[0].reasons[0]).toContain('噪音');
    // The housing bureau takes complaints too, but nothing in this one is its business: it comes after.
    const ids = cands.map((c: { id: string }) => c.id);
    expect(ids.indexOf(housing)).toBeGreaterThan(ids.indexOf(env));
    expect(cands.find((c: { id: string }) => c.id === housing).reasons.join()).not.toContain('诉求提到');
    const stall = (await submit('小区门口占道经营，还贴满了小广告', { nature: 'complaint' })).json();
    const c2 = (await ctx.request({ method: 'GET', url: `/api/v1/orders/${stall.id}/candidates`, as: dispatcher })).json();
    expect(c2[0]).toMatchObject({ kind: 'department', id: urban });
    // Whatever the model guesses, a gas leak at an elderly person's home is 特急, and 投诉 a complaint.
    const gas = (await submit('我家老人一个人住，厨房燃气好像漏气了，味道很大，我在外地赶不回去')).json();
    expect(gas.urgency).toBe('critical');
    expect((await submit('投诉：小区门口占道经营，晚上噪音扰民')).json()).toMatchObject({ nature: 'complaint', category: 'environment', urgency: 'urgent' });
    const service = (await submit('想请志愿者陪我去医院', { nature: 'service' })).json();
    const c3 = (await ctx.request({ method: 'GET', url: `/api/v1/orders/${service.id}/candidates`, as: dispatcher })).json();
    expect(c3.some((c: { kind: string }) => c.kind === 'department')).toBe(false);
  });

  it('runs 转办 → 签收 → 延期 → 答复 → 评价 with deadlines; of concurrent acknowledgements exactly one wins', async () => {
    const o = (await submit('隔壁饭店油烟直排进我家窗户，投诉', { nature: 'complaint', category: 'environment' })).json();
    const fwd = await act(o.id, 'forward', dispatcher, { departmentId: env, note: '请核查油烟直排' });
    expect(fwd.statusCode, fwd.body).toBe(200);
    const f = fwd.json();
    expect(f).toMatchObject({ state: 'forwarded', assignee: { departmentId: env } });
    // The department's own limits: 签收 within 60 minutes, 办理时限 3 days.
    expect(new Date(f.ackDueAt).getTime() - new Date(f.updatedAt).getTime()).toBeLessThanOrEqual(60 * 60_000 + 5_000);
    expect(f.stageDueAt).toBe(f.ackDueAt);
    expect(new Date(f.resolveDueAt).getTime()).toBeGreaterThan(new Date(f.ackDueAt).getTime() + 2 * 24 * 3600_000);
    expect(f.allowedActions).toEqual([]);
    expect((await inbox(envOfficer)).some((n) => n.kind === 'order.forwarded' && n.refId === o.id)).toBe(true);

    // The officer sees the complainant's whole phone, and the view is audited.
    const seen = (await get(o.id, envOfficer)).json();
    expect(seen.requesterPhone).toBe(resident.phone);
    expect(seen.allowedActions).toEqual(['acknowledge', 'resolve', 'dispute']);
    expect((await get(o.id, dispatcher)).json().requesterPhone).toMatch(/^\d{3}\*{4}\d{4}$/);
    const audited = await ctx.database.raw.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_logs WHERE action = 'order.phone_view' AND entity_id = $1",
      [o.id],
    );
    expect(audited[0]!.n).toBeGreaterThanOrEqual(1);

    const acks = await Promise.all([envOfficer, envOfficer2, envOfficer, envOfficer2].map((who) => act(o.id, 'acknowledge', who)));
    expect(acks.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(acks.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'INVALID_STATE')).toBe(true);
    const acked = (await get(o.id, envOfficer)).json();
    expect(acked).toMatchObject({ state: 'acknowledged' });
    expect(acked.stageDueAt).toBe(acked.resolveDueAt);
    expect(acked.allowedActions).toEqual(['resolve', 'dispute', 'request_extension', 'add_co_unit']);

    // 申请延期: a reason and a later limit; the desk decides; grant and refuse race, one wins.
    expect((await act(o.id, 'extension', envOfficer, { until: minutesFromNow(10).toISOString(), reason: '需现场监测' })).statusCode).toBe(422);
    expect((await act(o.id, 'extension', envOfficer, { until: minutesFromNow(10 * 24 * 60).toISOString() })).statusCode).toBe(400);
    expect((await act(o.id, 'extension', dispatcher, { until: minutesFromNow(10 * 24 * 60).toISOString(), reason: 'x' })).statusCode).toBe(403);
    const until = minutesFromNow(10 * 24 * 60).toISOString();
    const req = await act(o.id, 'extension', envOfficer, { until, reason: '需委托第三方夜间监测油烟浓度' });
    expect(req.statusCode, req.body).toBe(200);
    expect(req.json()).toMatchObject({ state: 'extension_requested', extension: { reason: '需委托第三方夜间监测油烟浓度', pending: true } });
    expect((await inbox(dispatcher)).some((n) => n.kind === 'order.extension_requested' && n.refId === o.id)).toBe(true);
    expect((await act(o.id, 'extension/grant', envOfficer)).statusCode).toBe(403);
    const decisions = await Promise.all([act(o.id, 'extension/grant', dispatcher, { note: '同意' }), act(o.id, 'extension/refuse', dispatcher)]);
    expect(decisions.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const decided = (await get(o.id, envOfficer)).json();
    expect(decided.state).toBe('acknowledged');
    if (decisions[0].statusCode === 200) {
      expect(new Date(decided.resolveDueAt).toISOString()).toBe(new Date(until).toISOString());
      expect(decided.stageDueAt).toBe(decided.resolveDueAt);
    } else expect(new Date(decided.resolveDueAt).getTime()).toBeLessThan(new Date(until).getTime());

    const resolved = await act(o.id, 'resolve', envOfficer, { reply: '已现场检查，责令饭店加装油烟净化器，复查达标' });
    expect(resolved.json()).toMatchObject({ state: 'resolved', stageDueAt: null });
    expect((await inbox(dispatcher)).some((n) => n.kind === 'order.resolved' && n.refId === o.id)).toBe(true);
    expect((await act(o.id, 'rate', resident, { score: 5 })).json().state).toBe('rated');
    const actions = (await get(o.id)).json().timeline.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'submit',
      'forward',
      'acknowledge',
      'request_extension',
      decisions[0].statusCode === 200 ? 'grant_extension' : 'refuse_extension',
      'resolve',
      'rate',
    ]);
  });

  it('lets a department return a misrouted order (派单异议) with a reason; the desk re-routes it; the dispute counts', async () => {
    const o = (await submit('小区电梯坏了一个星期了，物业不管，投诉', { nature: 'complaint' })).json();
    await act(o.id, 'forward', dispatcher, { departmentId: env });
    expect((await act(o.id, 'dispute', envOfficer, {})).statusCode).toBe(400);
    expect((await act(o.id, 'dispute', housingOfficer, { reason: 'x' })).statusCode).toBe(403);
    const back = await act(o.id, 'dispute', envOfficer, { reason: '电梯维保属住建部门职责，非本局职责' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ state: 'submitted', disputeCount: 1, stageDueAt: null });
    expect(back.json().assignee.departmentId).toBeUndefined();
    expect((await inbox(dispatcher)).some((n) => n.kind === 'order.disputed' && n.refId === o.id)).toBe(true);
    // The returned order leaves the department's queue; the desk re-routes it.
    expect((await get(o.id, envOfficer)).statusCode).toBe(403);
    const again = await act(o.id, 'forward', dispatcher, { departmentId: housing, note: '请住建局处理' });
    expect(again.json()).toMatchObject({ state: 'forwarded', disputeCount: 1, assignee: { departmentId: housing } });
    expect((await act(o.id, 'acknowledge', housingOfficer)).statusCode).toBe(200);
    const dispute = (await get(o.id)).json().timeline.find((e: { action: string }) => e.action === 'dispute');
    expect(dispute).toMatchObject({ note: '电梯维保属住建部门职责，非本局职责', fromState: 'forwarded', toState: 'submitted' });
  });

  it('hands a co-unit (协办) the order to see; only the lead unit answers', async () => {
    const o = (await submit('夜市摊贩占道经营，噪音扰民到半夜', { nature: 'complaint' })).json();
    await act(o.id, 'forward', dispatcher, { departmentId: urban });
    await act(o.id, 'acknowledge', urbanOfficer);
    expect((await act(o.id, 'co-units', urbanOfficer, { departmentId: urban })).statusCode).toBe(422);
    const co = await act(o.id, 'co-units', urbanOfficer, { departmentId: env, note: '请协助夜间噪音监测' });
    expect(co.statusCode, co.body).toBe(200);
    expect(co.json().coDepartmentIds).toEqual([env]);
    expect((await act(o.id, 'co-units', urbanOfficer, { departmentId: env })).statusCode).toBe(422);
    expect((await inbox(envOfficer)).some((n) => n.kind === 'order.co_unit' && n.refId === o.id)).toBe(true);
    const asCo = await get(o.id, envOfficer);
    expect(asCo.statusCode).toBe(200);
    expect(asCo.json().allowedActions).toEqual([]);
    expect(asCo.json().requesterPhone).toMatch(/\*{4}/);
    expect((await act(o.id, 'resolve', envOfficer, { reply: 'x' })).statusCode).toBe(403);
    const queue = (await ctx.request({ method: 'GET', url: '/api/v1/orders?assigned=true&sort=deadline', as: envOfficer })).json();
    expect(queue.items.map((x: { id: string }) => x.id)).toContain(o.id);
    expect((await act(o.id, 'resolve', urbanOfficer, { reply: '已联合执法清理占道摊贩' })).json().state).toBe('resolved');
  });

  it('reminds before the limit and supervises (督办) an overdue department once, to a staffed desk, even with concurrent runners', async () => {
    const a = (await submit('广场舞音响太吵，晚上十点还不停，投诉', { nature: 'complaint' })).json();
    const b = (await submit('工地夜间施工噪音，投诉', { nature: 'complaint' })).json();
    await act(a.id, 'forward', dispatcher, { departmentId: env });
    await act(b.id, 'forward', dispatcher, { departmentId: env });
    await act(b.id, 'acknowledge', envOfficer);
    // a: three quarters of its 签收 window gone → one reminder; b: past its 办理时限 → supervised.
    await ctx.database.raw.query('UPDATE orders SET stage_started_at = $2, stage_due_at = $3 WHERE id = $1', [a.id, minutesFromNow(-50), minutesFromNow(10)]);
    await ctx.database.raw.query('UPDATE orders SET stage_started_at = $2, stage_due_at = $3 WHERE id = $1', [b.id, minutesFromNow(-600), minutesFromNow(-1)]);
    const reminders = await Promise.all([ctx.app.modules.orders.remindStages(), ctx.app.modules.orders.remindStages()]);
    expect(reminders[0] + reminders[1]).toBe(1);
    expect(await ctx.app.modules.orders.remindStages()).toBe(0);
    expect((await inbox(envOfficer2)).some((n) => n.kind === 'order.reminder' && n.refId === a.id)).toBe(true);

    const runs = await Promise.all([0, 1, 2].map(() => ctx.app.modules.orders.superviseStages()));
    expect(runs.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await ctx.app.modules.orders.superviseStages()).toBe(0);
    const sup = (await get(b.id, envOfficer)).json();
    expect(sup).toMatchObject({ state: 'acknowledged', overdue: true, escalationLevel: 1 });
    expect(sup.supervision.note).toContain('督办');
    // The unstaffed center (小店区) is skipped: the city's desk hears it, and the forwarding desk too.
    expect(sup.supervision.note).toContain('太原市');
    expect((await inbox(cityDispatcher)).some((n) => n.kind === 'order.supervised' && n.refId === b.id)).toBe(true);
    expect((await inbox(dispatcher)).some((n) => n.kind === 'order.supervised' && n.refId === b.id)).toBe(true);
    expect((await inbox(envOfficer)).some((n) => n.kind === 'order.supervised' && n.refId === b.id)).toBe(true);
    expect(sup.timeline.filter((e: { action: string }) => e.action === 'escalate')).toHaveLength(1);
    // A granted extension starts a new stage, which may be supervised again.
    await act(b.id, 'extension', envOfficer, { until: minutesFromNow(3 * 24 * 60).toISOString(), reason: '需协调施工方' });
    await act(b.id, 'extension/grant', dispatcher);
    expect((await get(b.id, envOfficer)).json().overdue).toBe(false);
  });

  it('gives an accepted service order a completion deadline, supervised when it passes', async () => {
    const leaderUser = await ctx.register('服务队长');
    const leader = await ctx.login(leaderUser.phone, 'password123');
    const team = await ctx.request({
      method: 'POST',
      url: '/api/v1/teams',
      payload: { orgId: t.wucheng, name: '坞城便民服务队', tier: 'unit', type: 'social', category: 'poverty', leaderUserId: leader.userId },
      as: ctx.admin,
    });
    const o = (await submit('家里水管漏水，老人独居不会修', { nature: 'service' })).json();
    await act(o.id, 'dispatch', dispatcher, { teamId: team.json().id });
    const acc = (await act(o.id, 'accept', leader)).json();
    expect(acc.state).toBe('accepted');
    expect(new Date(acc.stageDueAt).getTime()).toBeGreaterThan(testNow().getTime());
    await ctx.database.raw.query('UPDATE orders SET stage_due_at = $2 WHERE id = $1', [o.id, minutesFromNow(-1)]);
    expect(await ctx.app.modules.orders.superviseStages()).toBe(1);
    expect((await inbox(leader)).some((n) => n.kind === 'order.supervised' && n.refId === o.id)).toBe(true);
    expect((await get(o.id, leader)).json().supervision.note).toContain('服务完成');
  });

  it('reassigns a dispatched order (改派) with a reason, telling both sides; it races the old assignee’s acceptance cleanly', async () => {
    const mk = async (name: string) => {
      const u = await ctx.register(name);
      const leader = await ctx.login(u.phone, 'password123');
      const team = await ctx.request({
        method: 'POST',
        url: '/api/v1/teams',
        payload: { orgId: t.wucheng, name, tier: 'unit', type: 'social', category: 'poverty', leaderUserId: leader.userId },
        as: ctx.admin,
      });
      return { leader, teamId: team.json().id as string };
    };
    const a = await mk('坞城助老一队');
    const b = await mk('坞城助老二队');
    const o = (await submit('想请人帮忙去超市买米面油，扛不动', { nature: 'service' })).json();
    await act(o.id, 'dispatch', dispatcher, { teamId: a.teamId });
    expect((await act(o.id, 'reassign', dispatcher, { teamId: b.teamId })).statusCode).toBe(400);
    expect((await act(o.id, 'reassign', dispatcher, { teamId: a.teamId, reason: '换一支' })).statusCode).toBe(422);
    expect((await act(o.id, 'reassign', a.leader, { teamId: b.teamId, reason: 'x' })).statusCode).toBe(403);
    const moved = await act(o.id, 'reassign', dispatcher, { teamId: b.teamId, reason: '一队今天都在外出活动，改派二队' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ state: 'dispatched', assignee: { teamId: b.teamId } });
    expect((await inbox(a.leader)).some((n) => n.kind === 'order.reassigned' && n.refId === o.id)).toBe(true);
    expect((await inbox(b.leader)).some((n) => n.kind === 'order.dispatched' && n.refId === o.id)).toBe(true);
    expect((await act(o.id, 'accept', a.leader)).statusCode).toBe(403);
    // The new assignee accepting and the desk reassigning again, at once: exactly one wins.
    const race = await Promise.all([act(o.id, 'accept', b.leader), act(o.id, 'reassign', dispatcher, { teamId: a.teamId, reason: '再改回一队' })]);
    expect(race.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const final = (await get(o.id)).json();
    expect(final.state).toBe(race[0].statusCode === 200 ? 'accepted' : 'dispatched');
    expect(final.timeline.filter((e: { action: string }) => e.action === 'reassign').length).toBe(race[1].statusCode === 200 ? 2 : 1);
  });

  it('finds orders at the desk by code, phone or words, and filters by date, category, nature and urgency', async () => {
    const o = (await submit('楼道里贴满了开锁小广告，撕了又贴', { nature: 'complaint', category: 'environment', urgency: 'urgent' })).json();
    const find = async (query: string, as: Caller = dispatcher) =>
      ((await ctx.request({ method: 'GET', url: `/api/v1/orders?limit=200&${query}`, as })).json().items as { id: string }[]).map((x) => x.id);
    expect(await find(`q=${o.code}`)).toEqual([o.id]);
    expect(await find(`q=${o.code.toLowerCase()}`)).toEqual([o.id]);
    expect(await find(`q=${resident.phone}`)).toContain(o.id);
    expect(await find(`q=${encodeURIComponent('开锁小广告')}`)).toEqual([o.id]);
    expect(await find(`q=${encodeURIComponent('100%_')}`)).toEqual([]);
    expect(await find('q=13000000000')).toEqual([]);
    const from = encodeURIComponent(minutesFromNow(-5).toISOString());
    const to = encodeURIComponent(minutesFromNow(5).toISOString());
    expect(await find(`from=${from}&to=${to}&category=environment&nature=complaint&urgency=urgent`)).toContain(o.id);
    expect(await find(`to=${from}`)).not.toContain(o.id);
    expect(await find('urgency=critical')).not.toContain(o.id);
    expect(await find('category=health')).not.toContain(o.id);
    // Outside staff find nothing, whatever they search for.
    const pc = await staff(ctx, 'dispatcher', t.pingcheng, '平城区调度员二');
    expect(await find(`q=${o.code}`, pc)).toEqual([]);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/orders?from=yesterday', as: dispatcher })).statusCode).toBe(400);
  });

  it('escalates an overdue unaccepted order past an unstaffed level to the nearest staffed desk, and tells the desk it left', async () => {
    const o = (await submit('需要帮忙买菜')).json();
    await ctx.database.raw.query('UPDATE orders SET accept_due_at = $2 WHERE id = $1', [o.id, minutesFromNow(-1)]);
    expect(await ctx.app.modules.orders.escalateOverdue()).toBeGreaterThanOrEqual(1);
    const e = (await get(o.id)).json();
    expect(e.handlingOrgId).toBe(t.taiyuan);
    expect((await inbox(cityDispatcher)).some((n) => n.kind === 'order.escalated' && n.refId === o.id)).toBe(true);
    expect((await inbox(dispatcher)).some((n) => n.kind === 'order.escalated' && n.refId === o.id)).toBe(true);
    // At the top, with nobody above, it stays and its desk is told again.
    await ctx.database.raw.query('UPDATE orders SET accept_due_at = $2 WHERE id = $1', [o.id, minutesFromNow(-1)]);
    await ctx.app.modules.orders.escalateOverdue();
    const top = (await get(o.id)).json();
    expect(top.handlingOrgId).toBe(t.taiyuan);
    expect(top.escalationLevel).toBe(2);
  });

  it('gives figures per department (三率), scoped, with 样本不足 below the minimum sample', async () => {
    // The departments sit at 小店区: the city's desk sees them, 坞城's (below them) does not.
    expect((await ctx.request({ method: 'GET', url: '/api/v1/departments/stats', as: dispatcher })).json().items).toEqual([]);
    const before = (await ctx.request({ method: 'GET', url: '/api/v1/departments/stats', as: cityDispatcher })).json();
    const h0 = before.items.find((x: { departmentId: string }) => x.departmentId === housing);
    expect(h0).toMatchObject({ disputes: 0, satisfactionRate: null });
    const e0 = before.items.find((x: { departmentId: string }) => x.departmentId === env);
    expect(e0.disputes).toBe(1);
    expect(e0).toMatchObject({ received: 4, ackRate: null, satisfactionRate: null }); // 油烟, 广场舞, 工地 and the returned 电梯 order: 样本不足
    // Five answered and rated complaints: the housing bureau's rates appear and move.
    for (let i = 0; i < 5; i++) {
      const o = (await submit(`小区物业不作为第${i}次，投诉`, { nature: 'complaint' })).json();
      await act(o.id, 'forward', dispatcher, { departmentId: housing });
      await act(o.id, 'acknowledge', housingOfficer);
      await act(o.id, 'resolve', housingOfficer, { reply: '已约谈物业公司' });
      await act(o.id, 'rate', resident, { score: i === 0 ? 2 : 5 });
    }
    const after = (await ctx.request({ method: 'GET', url: `/api/v1/departments/stats?orgId=${t.xiaodian}`, as: cityDispatcher })).json();
    const h = after.items.find((x: { departmentId: string }) => x.departmentId === housing);
    expect(h).toMatchObject({ rated: 5, satisfied: 4, satisfactionRate: 0.8, ackRate: 1, onTimeRate: 1, minSample: 5 });
    expect(h.avgHandleHours).toBeGreaterThanOrEqual(0);
    // An officer sees their own department only; a resident nothing.
    const own = (await ctx.request({ method: 'GET', url: '/api/v1/departments/stats', as: housingOfficer })).json();
    expect(own.items.map((x: { departmentId: string }) => x.departmentId)).toEqual([housing]);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/departments/stats', as: resident })).statusCode).toBe(403);
    const pc = await staff(ctx, 'dispatcher', t.pingcheng, '平城区调度员');
    expect((await ctx.request({ method: 'GET', url: '/api/v1/departments/stats', as: pc })).json().items).toEqual([]);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/departments/stats?orgId=${t.xiaodian}`, as: pc })).statusCode).toBe(403);
  });
});
