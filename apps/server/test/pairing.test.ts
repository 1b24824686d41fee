import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoWeekday, localDate } from '@wenming/domain';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { newId } from '../src/lib/ids.ts';

type Vol = Caller & { volunteerId: string; phone: string };

describe.each(DATABASES)('pairing (结对帮扶) on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let wcAdmin: Caller; // 坞城所 org_admin
  let xdDispatcher: Caller; // 小店区 dispatcher (an ancestor's staff)
  let wblAdmin: Caller; // 万柏林区: another district of the same city
  let pcAdmin: Caller; // 平城区: another city
  let v1: Vol;
  let v2: Vol;
  let v3: Vol;
  let far: Vol; // a volunteer of another district
  let elder: string;
  const today = localDate(testNow());
  const wd = isoWeekday(today);

  const req = (method: 'GET' | 'POST' | 'PATCH', url: string, as: Caller | null, payload?: object, headers?: Record<string, string>) =>
    ctx.request({ method, url: `/api/v1${url}`, as, payload, headers });

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    wcAdmin = await staff(ctx, 'org_admin', t.wucheng, '坞城所管理员');
    xdDispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '小店区调度员');
    wblAdmin = await staff(ctx, 'org_admin', t.wanbailin, '万柏林区管理员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng, '平城区管理员');
    v1 = await volunteer(ctx, t.shifanjie, { name: '吴丽娟' });
    v2 = await volunteer(ctx, t.shifanjie, { name: '王建国' });
    v3 = await volunteer(ctx, t.wucheng, { name: '李秀兰' });
    far = await volunteer(ctx, t.xiaojingyu, { name: '远方志愿者' });
    const res = await req('POST', '/pairing/residents', wcAdmin, {
      orgId: t.shifanjie,
      name: '张奶奶',
      address: '师范街 12 号楼 3 单元 201',
      phone: '13612345678',
      birthYear: 1938,
      tags: ['独居', '高龄'],
    });
    expect(res.statusCode, res.body).toBe(201);
    elder = res.json().id;
  });
  afterAll(() => ctx.close());

  const rules = () => ({
    weekly: [{ weekday: wd, time: '09:30' }],
    monthly: [{ day: 31, time: '15:00' }],
    holidays: [{ festival: 'double_ninth', time: '10:00' }],
  });
  const planBody = (extra: object = {}) => ({
    orgId: t.wucheng,
    name: '3+1晚霞行动',
    volunteerIds: [v1.volunteerId, v2.volunteerId, v3.volunteerId],
    residentIds: [elder],
    rules: rules(),
    startsOn: addDays(today, -30),
    visitHours: 1.5,
    ...extra,
  });
  async function newPlan(extra: object = {}) {
    const res = await req('POST', '/pairing/plans', wcAdmin, planBody(extra));
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; state: string; counts: { open: number; overdue: number }; allowedActions: string[] }>();
  }
  const taskRows = (planId: string) =>
    ctx.database.raw.query<{ id: string; due_on: string; kind: string; state: string }>(
      'SELECT id, due_on::text AS due_on, kind, state FROM pairing_tasks WHERE plan_id = $1 ORDER BY due_on, kind',
      [planId],
    );

  describe('cared-for residents', () => {
    it('validates, scopes and masks the phone', async () => {
      const base = { orgId: t.shifanjie, name: '李爷爷', address: '师范街 3 号' };
      expect((await req('POST', '/pairing/residents', wcAdmin, { ...base, phone: '123' })).statusCode).toBe(400);
      expect((await req('POST', '/pairing/residents', wcAdmin, { ...base, name: '' })).statusCode).toBe(400);
      expect((await req('POST', '/pairing/residents', wcAdmin, { ...base, orgId: newId() })).statusCode).toBe(404);
      expect((await req('POST', '/pairing/residents', wblAdmin, base)).statusCode).toBe(403);
      expect((await req('POST', '/pairing/residents', v1, base)).statusCode).toBe(403);
      expect((await req('POST', '/pairing/residents', wcAdmin, { ...base, linkedUserId: newId() })).statusCode).toBe(404);
      const created = await req('POST', '/pairing/residents', xdDispatcher, { ...base, phone: '13700001111', linkedUserId: v2.userId, tags: ['空巢', '空巢'] });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({ name: '李爷爷', phone: '137****1111', tags: ['空巢'], linkedUserId: v2.userId });
      const id = created.json().id;
      // Staff see it masked; the admin in full; the linked account in full; others in the district 403; strangers 404.
      expect((await req('GET', `/pairing/residents/${id}`, wcAdmin)).json().phone).toBe('137****1111');
      expect((await req('GET', `/pairing/residents/${id}`, ctx.admin)).json().phone).toBe('13700001111');
      expect((await req('GET', `/pairing/residents/${id}`, v2)).json().phone).toBe('13700001111');
      expect((await req('GET', `/pairing/residents/${id}`, wblAdmin)).statusCode).toBe(403);
      expect((await req('GET', `/pairing/residents/${id}`, pcAdmin)).statusCode).toBe(403);
      expect((await req('GET', `/pairing/residents/${id}`, v1)).statusCode).toBe(404);
      expect((await req('GET', `/pairing/residents/${newId()}`, wcAdmin)).statusCode).toBe(404);
      // Update: staff of the subtree only.
      expect((await req('PATCH', `/pairing/residents/${id}`, wblAdmin, { note: 'x' })).statusCode).toBe(403);
      expect((await req('PATCH', `/pairing/residents/${id}`, v2, { note: 'x' })).statusCode).toBe(404);
      expect((await req('PATCH', `/pairing/residents/${id}`, wcAdmin, { phone: 'abc' })).statusCode).toBe(400);
      const upd = await req('PATCH', `/pairing/residents/${id}`, wcAdmin, { note: '腿脚不便，需搀扶', phone: null, tags: ['空巢', '失能'] });
      expect(upd.statusCode, upd.body).toBe(200);
      expect(upd.json()).toMatchObject({ note: '腿脚不便，需搀扶', phone: null, tags: ['空巢', '失能'] });
      // Lists: scoped to the subtree.
      const mine = (await req('GET', '/pairing/residents?q=爷爷', wcAdmin)).json();
      expect(mine.items.map((r: { id: string }) => r.id)).toContain(id);
      expect((await req('GET', '/pairing/residents', wblAdmin)).json().items).toEqual([]);
      expect((await req('GET', `/pairing/residents?orgId=${t.wucheng}`, wblAdmin)).statusCode).toBe(403);
      expect((await req('GET', '/pairing/residents', v1)).statusCode).toBe(403);
      expect((await req('GET', '/pairing/residents?limit=0', wcAdmin)).statusCode).toBe(400);
      expect((await req('GET', '/pairing/residents?cursor=garbage', wcAdmin)).statusCode).toBe(400);
    });
  });

  describe('plans', () => {
    it('validates the plan and who may create it', async () => {
      const post = (body: object, as: Caller = wcAdmin) => req('POST', '/pairing/plans', as, body);
      expect((await post(planBody({ rules: { weekly: [], monthly: [], holidays: [] } }))).statusCode).toBe(400);
      expect((await post(planBody({ rules: { weekly: [{ weekday: 8, time: '09:00' }] } }))).statusCode).toBe(400);
      expect((await post(planBody({ rules: { weekly: [{ weekday: 1, time: '25:00' }] } }))).statusCode).toBe(400);
      expect(
        (
          await post(
            planBody({
              rules: {
                weekly: [
                  { weekday: 1, time: '09:00' },
                  { weekday: 1, time: '10:00' },
                ],
              },
            }),
          )
        ).statusCode,
      ).toBe(400);
      expect((await post(planBody({ rules: { holidays: [{ festival: 'christmas', time: '09:00' }] } }))).statusCode).toBe(400);
      expect((await post(planBody({ endsOn: addDays(today, -31) }))).statusCode).toBe(400);
      expect((await post(planBody({ startsOn: '2026-02-30' }))).statusCode).toBe(400);
      expect((await post(planBody({ volunteerIds: [] }))).statusCode).toBe(400);
      expect((await post(planBody({ volunteerIds: [v1.volunteerId, v1.volunteerId] }))).statusCode).toBe(400);
      const bad = await post(planBody({ visitHours: 0 }));
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
      // A volunteer outside the site's subtree cannot be paired.
      const outside = await post(planBody({ volunteerIds: [v1.volunteerId, far.volunteerId] }));
      expect(outside.statusCode).toBe(422);
      expect(outside.json().error.code).toBe('RULE_VIOLATION');
      expect((await post(planBody({ volunteerIds: [newId()] }))).statusCode).toBe(404);
      expect((await post(planBody({ residentIds: [newId()] }))).statusCode).toBe(404);
      // Who: staff of the subtree only.
      expect((await post(planBody(), wblAdmin)).statusCode).toBe(403);
      expect((await post(planBody(), pcAdmin)).statusCode).toBe(403);
      expect((await post(planBody(), v1)).statusCode).toBe(403);
      expect((await req('POST', '/pairing/plans', null, planBody())).statusCode).toBe(401);
    });

    it('creates a plan with its tasks for the next 14 days, and notifies the volunteers', async () => {
      const p = await newPlan();
      expect(p).toMatchObject({ state: 'active', allowedActions: ['edit', 'pause', 'end'] });
      const rows = await taskRows(p.id);
      const weekly = rows.filter((r) => r.kind === 'weekly').map((r) => r.due_on);
      expect(weekly).toEqual([today, addDays(today, 7), addDays(today, 14)]);
      expect(rows.every((r) => r.state === 'open' && r.due_on >= today && r.due_on <= addDays(today, 14))).toBe(true);
      const n = await ctx.database.raw.query<{ n: number }>("SELECT count(*)::int AS n FROM notifications WHERE kind = 'pairing.joined' AND ref_id = $1", [
        p.id,
      ]);
      expect(n[0]!.n).toBe(3);

      const got = (await req('GET', `/pairing/plans/${p.id}`, xdDispatcher)).json();
      expect(got).toMatchObject({
        name: '3+1晚霞行动',
        visitHours: 1.5,
        startsOn: addDays(today, -30),
        endsOn: null,
        counts: { open: rows.length, overdue: 0 },
      });
      expect(got.volunteers.map((v: { name: string }) => v.name)).toEqual(['吴丽娟', '王建国', '李秀兰']);
      // Staff see the cared-for person's phone masked; the paired volunteers in full.
      expect(got.residents[0]).toMatchObject({ name: '张奶奶', phone: '136****5678', tags: ['独居', '高龄'] });
      const asVol = await req('GET', `/pairing/plans/${p.id}`, v1);
      expect(asVol.statusCode).toBe(200);
      expect(asVol.json().residents[0].phone).toBe('13612345678');
      expect(asVol.json().allowedActions).toEqual([]);
      // Scoping: another district's staff 403, strangers 404.
      expect((await req('GET', `/pairing/plans/${p.id}`, wblAdmin)).statusCode).toBe(403);
      expect((await req('GET', `/pairing/plans/${p.id}`, pcAdmin)).statusCode).toBe(403);
      expect((await req('GET', `/pairing/plans/${p.id}`, far)).statusCode).toBe(404);
      expect((await req('GET', `/pairing/plans/${newId()}`, wcAdmin)).statusCode).toBe(404);
      expect((await req('GET', `/pairing/plans/${p.id}/tasks`, wblAdmin)).statusCode).toBe(403);
      expect((await req('GET', `/pairing/plans/${p.id}/tasks`, far)).statusCode).toBe(404);
    });

    it('lists plans in scope with filters', async () => {
      const p = await newPlan({ name: '师范街结对' });
      const list = (await req('GET', '/pairing/plans?q=师范街', wcAdmin)).json();
      expect(list.items.map((x: { id: string }) => x.id)).toEqual([p.id]);
      expect((await req('GET', `/pairing/plans?orgId=${t.xiaodian}`, xdDispatcher)).json().items.length).toBeGreaterThanOrEqual(2);
      expect((await req('GET', '/pairing/plans', wblAdmin)).json().items).toEqual([]);
      expect((await req('GET', '/pairing/plans', pcAdmin)).json().items).toEqual([]);
      expect((await req('GET', `/pairing/plans?orgId=${t.wucheng}`, wblAdmin)).statusCode).toBe(403);
      expect((await req('GET', '/pairing/plans', v1)).statusCode).toBe(403);
      expect((await req('GET', '/pairing/plans?state=done', wcAdmin)).statusCode).toBe(400);
      const page1 = (await req('GET', '/pairing/plans?limit=1', wcAdmin)).json();
      expect(page1.items).toHaveLength(1);
      const page2 = (await req('GET', `/pairing/plans?limit=1&cursor=${page1.nextCursor}`, wcAdmin)).json();
      expect(page2.items[0].id).not.toBe(page1.items[0].id);
    });

    it('edits: tasks from today on follow the new rules; ended plans cannot be edited', async () => {
      const p = await newPlan({ name: '改规则' });
      const other = (wd % 7) + 1; // tomorrow's weekday
      expect((await req('PATCH', `/pairing/plans/${p.id}`, wblAdmin, { name: 'x' })).statusCode).toBe(403);
      expect((await req('PATCH', `/pairing/plans/${p.id}`, v1, { name: 'x' })).statusCode).toBe(403);
      expect((await req('PATCH', `/pairing/plans/${p.id}`, wcAdmin, { endsOn: addDays(today, -40) })).statusCode).toBe(400);
      expect((await req('PATCH', `/pairing/plans/${p.id}`, wcAdmin, { volunteerIds: [far.volunteerId] })).statusCode).toBe(422);
      const res = await req('PATCH', `/pairing/plans/${p.id}`, wcAdmin, {
        rules: { weekly: [{ weekday: other, time: '14:00' }] },
        volunteerIds: [v1.volunteerId, v2.volunteerId],
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().volunteers).toHaveLength(2);
      const rows = await taskRows(p.id);
      expect(rows.filter((r) => r.state === 'open').every((r) => r.kind === 'weekly')).toBe(true);
      expect(rows.filter((r) => r.state === 'open').map((r) => r.due_on)).toEqual([addDays(today, 1), addDays(today, 8)]);
      expect(rows.filter((r) => r.state === 'cancelled').length).toBeGreaterThanOrEqual(3);
      // Back to the old rules: the cancelled tasks open again (same rows, no duplicates).
      await req('PATCH', `/pairing/plans/${p.id}`, wcAdmin, { rules: rules() });
      const again = await taskRows(p.id);
      expect(again.filter((r) => r.kind === 'weekly' && r.state === 'open').map((r) => r.due_on)).toEqual([today, addDays(today, 7), addDays(today, 14)]);
      expect(new Set(again.map((r) => `${r.due_on}|${r.kind}`)).size).toBe(again.length);

      const ended = await req('POST', `/pairing/plans/${p.id}/end`, wcAdmin, { reason: '老人搬去子女家' });
      expect(ended.json()).toMatchObject({ state: 'ended', stateReason: '老人搬去子女家', allowedActions: [] });
      expect((await taskRows(p.id)).filter((r) => r.state === 'open')).toEqual([]);
      const edit = await req('PATCH', `/pairing/plans/${p.id}`, wcAdmin, { name: '再改' });
      expect(edit.statusCode).toBe(409);
      expect(edit.json().error.code).toBe('INVALID_STATE');
      expect((await req('POST', `/pairing/plans/${p.id}/resume`, wcAdmin, {})).statusCode).toBe(409);
      const noBody = await req('POST', `/pairing/plans/${p.id}/pause`, wcAdmin);
      expect(noBody.statusCode, noBody.body).toBe(409);
    });

    it('pause cancels the open tasks from today on; resume reopens them', async () => {
      const p = await newPlan({ name: '暂停恢复' });
      const open = (await taskRows(p.id)).filter((r) => r.state === 'open').length;
      expect((await req('POST', `/pairing/plans/${p.id}/pause`, wblAdmin, {})).statusCode).toBe(403);
      expect((await req('POST', `/pairing/plans/${p.id}/pause`, v1, {})).statusCode).toBe(403);
      const paused = await req('POST', `/pairing/plans/${p.id}/pause`, wcAdmin, { reason: '老人住院' });
      expect(paused.json()).toMatchObject({ state: 'paused', allowedActions: ['edit', 'resume', 'end'] });
      expect((await taskRows(p.id)).filter((r) => r.state === 'open')).toEqual([]);
      expect((await req('POST', `/pairing/plans/${p.id}/pause`, wcAdmin, {})).statusCode).toBe(409);
      // The job leaves paused plans alone.
      await ctx.app.modules.pairing.generateTasks();
      expect((await taskRows(p.id)).filter((r) => r.state === 'open')).toEqual([]);
      const resumed = await req('POST', `/pairing/plans/${p.id}/resume`, wcAdmin, {});
      expect(resumed.json().state).toBe('active');
      const rows = await taskRows(p.id);
      expect(rows.filter((r) => r.state === 'open')).toHaveLength(open);
      expect(rows).toHaveLength(open);
    });
  });

  describe('the generation job', () => {
    it('is idempotent: two concurrent runs create exactly one task per plan, date and kind, and notify once', async () => {
      const p = await newPlan({ name: '并发生成', startsOn: addDays(today, -60) });
      // From 40 days back: tasks the plan's creation did not make.
      const at = new Date(testNow().getTime() - 40 * 86_400_000);
      const before = (await taskRows(p.id)).length;
      const runs = await Promise.all([
        ctx.app.modules.pairing.generateTasks(at),
        ctx.app.modules.pairing.generateTasks(at),
        ctx.app.modules.pairing.generateTasks(at),
      ]);
      const rows = await taskRows(p.id);
      expect(new Set(rows.map((r) => `${r.due_on}|${r.kind}`)).size).toBe(rows.length);
      const created = rows.length - before;
      expect(created).toBeGreaterThanOrEqual(2);
      // Other plans get their share too, but together the runs created each new row once.
      const total = runs.reduce((s, r) => s + r.created, 0);
      expect(total).toBeGreaterThanOrEqual(created);
      const dup = await ctx.database.raw.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM (SELECT plan_id, due_on, kind FROM pairing_tasks GROUP BY 1, 2, 3 HAVING count(*) > 1) d',
      );
      expect(dup[0]!.n).toBe(0);
      const notes = await ctx.database.raw.query<{ ref_id: string; n: number }>(
        "SELECT ref_id, count(*)::int AS n FROM notifications WHERE kind = 'pairing.task' AND ref_id IN (SELECT id FROM pairing_tasks WHERE plan_id = $1) GROUP BY ref_id",
        [p.id],
      );
      expect(notes).toHaveLength(created);
      expect(notes.every((x) => x.n === 3)).toBe(true);
      // Running again creates nothing.
      const again = await ctx.app.modules.pairing.generateTasks(at);
      expect((await taskRows(p.id)).length).toBe(rows.length);
      expect(again.created).toBe(0);
    });

    it('ends plans past their end date', async () => {
      const p = await newPlan({ name: '到期', startsOn: addDays(today, -20), endsOn: addDays(today, 3) });
      const r = await ctx.app.modules.pairing.generateTasks(new Date(testNow().getTime() + 5 * 86_400_000));
      expect(r.ended).toBeGreaterThanOrEqual(1);
      expect((await req('GET', `/pairing/plans/${p.id}`, wcAdmin)).json().state).toBe('ended');
    });
  });

  describe('visits', () => {
    let planId: string;
    let overdueTask: string;
    let todayTask: string;
    beforeAll(async () => {
      // Two weekly visits (today's weekday and tomorrow's), so the next 14 days hold at least four
      // open tasks whatever the date — the month-end and festival rules add some only on some days.
      const weekly = [
        { weekday: wd, time: '09:30' },
        { weekday: (wd % 7) + 1, time: '09:30' },
      ];
      const p = await newPlan({ name: '探访登记', startsOn: addDays(today, -20), rules: { ...rules(), weekly } });
      planId = p.id;
      await ctx.app.modules.pairing.generateTasks(new Date(testNow().getTime() - 14 * 86_400_000));
      const rows = await taskRows(planId);
      overdueTask = rows.find((r) => r.kind === 'weekly' && r.due_on === addDays(today, -7))!.id;
      todayTask = rows.find((r) => r.kind === 'weekly' && r.due_on === today)!.id;
    });

    it('shows tasks to the volunteer (today / upcoming / overdue) with the overdue flag', async () => {
      const td = (await req('GET', '/pairing/tasks?view=today', v1)).json();
      expect(td.items.map((x: { id: string }) => x.id)).toContain(todayTask);
      const it0 = td.items.find((x: { id: string }) => x.id === todayTask);
      expect(it0).toMatchObject({ state: 'open', overdue: false, planName: '探访登记', allowedActions: ['log', 'miss'], visitHours: 1.5 });
      expect(it0.residents[0].phone).toBe('13612345678');
      const od = (await req('GET', '/pairing/tasks?view=overdue', v1)).json();
      expect(od.items.find((x: { id: string }) => x.id === overdueTask)).toMatchObject({ overdue: true });
      const up = (await req('GET', '/pairing/tasks?view=upcoming', v1)).json();
      expect(up.items.every((x: { dueOn: string; state: string }) => x.dueOn > today && x.state === 'open')).toBe(true);
      expect((await req('GET', '/pairing/tasks?view=today', far)).json().items).toEqual([]);
      expect((await req('GET', '/pairing/tasks?view=someday', v1)).statusCode).toBe(400);
      // Staff see the plan's past tasks with the overdue ones flagged.
      const past = (await req('GET', `/pairing/plans/${planId}/tasks?when=past`, wcAdmin)).json();
      expect(past.items.find((x: { id: string }) => x.id === overdueTask)).toMatchObject({ overdue: true, state: 'open' });
      const plan = (await req('GET', `/pairing/plans/${planId}`, wcAdmin)).json();
      expect(plan.counts.overdue).toBeGreaterThanOrEqual(1);
      expect((await req('GET', '/pairing/plans?overdue=true', wcAdmin)).json().items.map((x: { id: string }) => x.id)).toContain(planId);
      // Task detail: scoping.
      expect((await req('GET', `/pairing/tasks/${todayTask}`, wcAdmin)).statusCode).toBe(200);
      expect((await req('GET', `/pairing/tasks/${todayTask}`, wblAdmin)).statusCode).toBe(403);
      expect((await req('GET', `/pairing/tasks/${todayTask}`, far)).statusCode).toBe(404);
      expect((await req('GET', `/pairing/tasks/${newId()}`, v1)).statusCode).toBe(404);
    });

    it('logs a visit once: one pending record per serving volunteer; a second log is 409', async () => {
      const log = (as: Caller, body: object = { hours: 1.5, note: '陪张奶奶聊天，打扫卫生' }) => req('POST', `/pairing/tasks/${todayTask}/log`, as, body);
      expect((await log(v1, { hours: 0 })).statusCode).toBe(400);
      expect((await log(v1, { hours: 13 })).statusCode).toBe(400);
      expect((await log(v1, { hours: 1, lat: 37.8 })).statusCode).toBe(400);
      expect((await log(v1, { hours: 1, photoIds: [newId()] })).statusCode).toBe(400);
      expect((await log(v1, { hours: 1, volunteerIds: [far.volunteerId] })).statusCode).toBe(422);
      expect((await log(v1, { hours: 1, visitedAt: new Date(testNow().getTime() + 3_600_000).toISOString() })).statusCode).toBe(422);
      expect((await log(wblAdmin)).statusCode).toBe(403);
      expect((await log(far)).statusCode).toBe(404);
      // Staff logging for the volunteers must name them.
      expect((await log(wcAdmin)).statusCode).toBe(400);

      const ok = await log(v1, { hours: 1.5, note: '陪张奶奶聊天，打扫卫生', volunteerIds: [v1.volunteerId, v2.volunteerId], lat: 37.8, lng: 112.56 });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({
        state: 'done',
        allowedActions: [],
        log: { hours: 1.5, note: '陪张奶奶聊天，打扫卫生', loggedByName: '吴丽娟', servedVolunteerIds: [v1.volunteerId, v2.volunteerId] },
      });
      expect(ok.json().records).toHaveLength(2);
      expect(ok.json().records.every((r: { status: string; hours: number }) => r.status === 'pending' && r.hours === 1.5)).toBe(true);

      const again = await log(v2);
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('INVALID_STATE');
      expect((await req('POST', `/pairing/tasks/${todayTask}/miss`, v1, { reason: '生病' })).statusCode).toBe(409);

      const recs = await ctx.database.raw.query<{ volunteer_id: string; status: string; hours: string; org_id: string }>(
        "SELECT volunteer_id, status, hours::text AS hours, org_id FROM service_records WHERE source_type = 'pairing' AND source_id = $1",
        [todayTask],
      );
      expect(recs.map((r) => r.volunteer_id).sort()).toEqual([v1.volunteerId, v2.volunteerId].sort());
      expect(recs.every((r) => r.status === 'pending' && Number(r.hours) === 1.5 && r.org_id === t.wucheng)).toBe(true);

      // Verified by staff as usual: hours counted once.
      const rid = ok.json().records.find((r: { volunteerId: string }) => r.volunteerId === v1.volunteerId).id;
      expect((await req('POST', `/service-records/${rid}/verify`, wcAdmin, {})).statusCode).toBe(200);
      expect((await req('GET', `/volunteers/${v1.volunteerId}`, v1)).json().totalHours).toBe(1.5);
      const listed = (await req('GET', `/volunteers/${v1.volunteerId}/records`, v1)).json().items;
      expect(listed.find((r: { id: string }) => r.id === rid)).toMatchObject({ source: 'pairing', sourceId: todayTask, status: 'verified' });
      expect((await req('GET', '/pairing/tasks?view=done', v1)).json().items.map((x: { id: string }) => x.id)).toContain(todayTask);
    });

    it('of concurrent logs of one task exactly one succeeds and records are created once', async () => {
      const logs = await Promise.all(
        [v1, v2, v3, v1, wcAdmin].map((as) =>
          req('POST', `/pairing/tasks/${overdueTask}/log`, as, as === wcAdmin ? { hours: 2, volunteerIds: [v3.volunteerId] } : { hours: 2 }),
        ),
      );
      const codes = logs.map((r) => r.statusCode).sort();
      expect(codes).toEqual([200, 409, 409, 409, 409]);
      const recs = await ctx.database.raw.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM service_records WHERE source_type = 'pairing' AND source_id = $1",
        [overdueTask],
      );
      expect(recs[0]!.n).toBe(1);
    });

    it('marks a visit missed with a reason; too-early logs are refused', async () => {
      const rows = await taskRows(planId);
      const future = rows.find((r) => r.state === 'open' && r.due_on > addDays(today, 1))!;
      const early = await req('POST', `/pairing/tasks/${future.id}/log`, v1, { hours: 1 });
      expect(early.statusCode).toBe(422);
      expect(early.json().error.code).toBe('RULE_VIOLATION');
      expect((await req('POST', `/pairing/tasks/${future.id}/miss`, v1, { reason: '' })).statusCode).toBe(400);
      expect((await req('POST', `/pairing/tasks/${future.id}/miss`, wblAdmin, { reason: 'x' })).statusCode).toBe(403);
      const missed = await req('POST', `/pairing/tasks/${future.id}/miss`, v1, { reason: '老人去女儿家过节' }, { 'accept-language': 'en' });
      expect(missed.statusCode, missed.body).toBe(200);
      expect(missed.json()).toMatchObject({ state: 'missed', log: { missedReason: '老人去女儿家过节' } });
      const en = await req('POST', `/pairing/tasks/${future.id}/miss`, v1, { reason: 'x' }, { 'accept-language': 'en' });
      expect(en.statusCode).toBe(409);
      expect(en.json().error.message).toMatch(/already/);
      const recs = await ctx.database.raw.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM service_records WHERE source_type = 'pairing' AND source_id = $1",
        [future.id],
      );
      expect(recs[0]!.n).toBe(0);
    });

    it("lists a plan's upcoming tasks in order and pages them", async () => {
      const all = (await req('GET', `/pairing/plans/${planId}/tasks?when=upcoming`, v1)).json().items as { id: string; dueAt: string; state: string }[];
      expect(all.length).toBeGreaterThanOrEqual(2);
      expect(all.every((x) => x.state === 'open')).toBe(true);
      expect(all.map((x) => x.dueAt)).toEqual(all.map((x) => x.dueAt).sort());
      const first = (await req('GET', `/pairing/plans/${planId}/tasks?when=upcoming&limit=1`, v1)).json();
      expect(first.items.map((x: { id: string }) => x.id)).toEqual([all[0]!.id]);
      const next = (await req('GET', `/pairing/plans/${planId}/tasks?when=upcoming&limit=1&cursor=${first.nextCursor}`, v1)).json();
      expect(next.items.map((x: { id: string }) => x.id)).toEqual([all[1]!.id]);
      expect((await req('GET', `/pairing/plans/${planId}/tasks?when=later`, v1)).statusCode).toBe(400);
    });
  });

  it('appears in the OpenAPI document', async () => {
    const doc = (await ctx.request({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const p of [
      '/api/v1/pairing/plans',
      '/api/v1/pairing/plans/{id}',
      '/api/v1/pairing/plans/{id}/tasks',
      '/api/v1/pairing/tasks',
      '/api/v1/pairing/tasks/{id}/log',
      '/api/v1/pairing/residents',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
  });
});
