import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { createEvaluationRepository } from '../src/modules/evaluation/evaluation.repository.ts';
import { createEvaluationService, REFRESH_OPEN_MS } from '../src/modules/evaluation/evaluation.service.ts';
import { createOrgsRepository } from '../src/modules/orgs/orgs.repository.ts';
import { createAuditRepository } from '../src/modules/audit/audit.repository.ts';

/**
 * 成效评估 on a small known dataset in March 2025 (a closed month), checked against a hand
 * computation of every figure, score, total, rank and flag (docs/evaluation.md).
 */
const P = '2025-03';
const at = (local: string) => `${local}+08:00`;

describe.each(DATABASES)('evaluation on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let stationB: string;
  let stationC: string;
  let dispatcher: Caller;
  let centerAdmin: Caller;
  let instituteAdmin: Caller;
  let outsider: Caller;
  let resident: Caller;
  let hasContents = false;
  const q = (sql: string, params: unknown[] = []) => ctx.database.raw.query(sql, params);
  const get = (url: string, as: Caller | null = ctx.admin) => ctx.request({ method: 'GET', url, as });
  const post = (url: string, payload: object, as: Caller | null = ctx.admin) => ctx.request({ method: 'POST', url, payload, as });
  const put = (url: string, payload: object, as: Caller | null = ctx.admin) => ctx.request({ method: 'PUT', url, payload, as });

  async function activity(orgId: string, startsLocal: string, state = 'finished') {
    const starts = new Date(at(startsLocal));
    await q(
      `INSERT INTO activities (city_code, id, org_id, title, category, starts_at, ends_at, signup_deadline, volunteer_quota, state, created_by)
       VALUES ('1401', $1, $2, '测试活动', 'culture', $3, $4, $3, 5, $5, $6)`,
      [crypto.randomUUID(), orgId, starts, new Date(starts.getTime() + 7_200_000), state, ctx.admin.userId],
    );
  }
  async function order(
    orgId: string,
    o: { created: string; dueAfterMin?: number; accepted?: string; completed?: string; rating?: number; rated?: string; state: string; closed?: string },
  ) {
    const created = new Date(at(o.created));
    const due = new Date(created.getTime() + (o.dueAfterMin ?? 120) * 60_000);
    await q(
      `INSERT INTO orders (city_code, id, code, org_id, handling_org_id, requester_id, content, category, nature, urgency, triage, accept_due_at, first_accept_due_at,
         state, accepted_at, completed_at, rating, rated_at, closed_at, created_at)
       VALUES ('1401', $1, $2, $3, $3, $4, '测试工单', 'health', 'service', 'normal', '{}'::jsonb, $5, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        crypto.randomUUID(),
        `T${crypto.randomBytes(5).toString('hex')}`,
        orgId,
        resident.userId,
        due,
        o.state,
        o.accepted ? new Date(at(o.accepted)) : null,
        o.completed ? new Date(at(o.completed)) : null,
        o.rating ?? null,
        o.rated ? new Date(at(o.rated)) : null,
        o.closed ? new Date(at(o.closed)) : null,
        created,
      ],
    );
  }

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    const mk = async (parentId: string, name: string) => (await post('/api/v1/orgs', { parentId, level: 'station', name })).json().id as string;
    stationB = await mk(t.wucheng, '坞城二社区新时代文明实践站');
    stationC = await mk(t.xiaojingyu, '小井峪一社区新时代文明实践站');
    dispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '小店调度员');
    centerAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店管理员');
    instituteAdmin = await staff(ctx, 'org_admin', t.xiaojingyu, '小井峪管理员');
    outsider = await staff(ctx, 'org_admin', t.pingcheng, '平城管理员');
    resident = await ctx.register('居民');

    // Station A (师范街): 2 volunteers, 2 activities in March, 30 verified hours in March.
    const v1 = await volunteer(ctx, t.shifanjie, { name: '志愿者甲' });
    await volunteer(ctx, t.shifanjie, { name: '志愿者乙' });
    await volunteer(ctx, stationC, { name: '志愿者丙' });
    await q(`UPDATE volunteers SET created_at = '2025-01-01T00:00:00+08:00'`);
    await activity(t.shifanjie, '2025-03-05T09:00:00');
    await activity(t.shifanjie, '2025-03-25T09:00:00', 'published');
    await activity(t.shifanjie, '2025-03-26T09:00:00', 'draft'); // drafts do not count
    await activity(stationC, '2025-02-20T09:00:00'); // before the period: C is idle in March
    const rec = (hours: number, status: string, endLocal: string) =>
      q(
        `INSERT INTO service_records (city_code, id, volunteer_id, org_id, source_type, source_id, hours, started_at, ended_at, status) VALUES ('1401', $1, $2, $3, 'manual', $4, $5, $6, $6, $7)`,
        [crypto.randomUUID(), v1.volunteerId, t.shifanjie, crypto.randomUUID(), hours, new Date(at(endLocal)), status],
      );
    await rec(10, 'verified', '2025-03-06T12:00:00');
    await rec(20, 'verified', '2025-03-20T12:00:00');
    await rec(5, 'pending', '2025-03-21T12:00:00');
    await rec(8, 'verified', '2025-04-02T12:00:00');
    // Orders at A submitted in March: two answered in time and rated 5 and 3, one never answered, one withdrawn at once.
    await order(t.shifanjie, {
      created: '2025-03-02T10:00:00',
      accepted: '2025-03-02T10:30:00',
      completed: '2025-03-02T15:00:00',
      rating: 5,
      rated: '2025-03-03T09:00:00',
      state: 'rated',
      closed: '2025-03-03T09:00:00',
    });
    await order(t.shifanjie, {
      created: '2025-03-10T10:00:00',
      accepted: '2025-03-10T11:00:00',
      completed: '2025-03-10T15:00:00',
      rating: 3,
      rated: '2025-03-11T09:00:00',
      state: 'rated',
      closed: '2025-03-11T09:00:00',
    });
    await order(t.shifanjie, { created: '2025-03-12T10:00:00', state: 'submitted' });
    await order(t.shifanjie, { created: '2025-03-14T10:00:00', state: 'cancelled', closed: '2025-03-14T10:05:00' });
    await order(t.shifanjie, { created: '2025-02-14T10:00:00', state: 'submitted' }); // February: not in March
    // A room at A open Mon–Fri 9–17 (21 weekdays in March 2025 = 168 h), booked 2 h approved + 4 h completed.
    const room = crypto.randomUUID();
    await q(
      `INSERT INTO resources (city_code, id, org_id, name, type, bookable, open_hours) VALUES ('1401', $1, $2, '活动室', 'activity_room', true, $3::jsonb)`,
      [room, t.shifanjie, JSON.stringify([1, 2, 3, 4, 5].map((weekday) => ({ weekday, open: '09:00', close: '17:00' })))],
    );
    const book = (startLocal: string, hours: number, status: string) =>
      q(
        `INSERT INTO bookings (city_code, id, resource_id, user_id, starts_at, ends_at, exclusive, purpose, status) VALUES ('1401', $1, $2, $3, $4, $5, true, '排练', $6)`,
        [crypto.randomUUID(), room, resident.userId, new Date(at(startLocal)), new Date(new Date(at(startLocal)).getTime() + hours * 3_600_000), status],
      );
    await book('2025-03-04T09:00:00', 2, 'approved');
    await book('2025-03-11T09:00:00', 4, 'completed');
    await book('2025-03-12T09:00:00', 3, 'rejected');
    // Content published at A: one in March, one draft, one in April.
    hasContents = ((await q(`SELECT to_regclass('contents') IS NOT NULL AS ok`)) as { ok: boolean }[])[0]!.ok;
    if (hasContents)
      for (const [state, published] of [
        ['published', '2025-03-08T10:00:00'],
        ['draft', null],
        ['published', '2025-04-08T10:00:00'],
      ] as const)
        await q(
          `INSERT INTO contents (city_code, id, org_id, kind, title, author_id, state, published_at) VALUES ('1401', $1, $2, 'news', '社区简讯', $3, $4, $5)`,
          [crypto.randomUUID(), t.shifanjie, ctx.admin.userId, state, published ? new Date(at(published)) : null],
        );
  });
  afterAll(() => ctx.close());

  it('refuses bad periods, future periods and callers who may not compute', async () => {
    expect((await post('/api/v1/evaluations/compute', { period: '2025-13' })).json().error.code).toBe('VALIDATION_FAILED');
    const future = await post('/api/v1/evaluations/compute', { period: String(testNow().getFullYear() + 1) });
    expect([future.statusCode, future.json().error.code]).toEqual([422, 'RULE_VIOLATION']);
    expect((await post('/api/v1/evaluations/compute', { period: P }, null)).statusCode).toBe(401);
    expect((await post('/api/v1/evaluations/compute', { period: P }, resident)).statusCode).toBe(403);
    expect((await post('/api/v1/evaluations/compute', { period: P }, dispatcher)).statusCode).toBe(403);
    expect((await post('/api/v1/evaluations/compute', { period: P, orgId: t.xiaodian }, outsider)).statusCode).toBe(403);
    expect((await get(`/api/v1/evaluations?period=${P}`)).json().items).toEqual([]);
    expect((await get(`/api/v1/evaluations/${t.shifanjie}/scorecard?period=${P}`)).statusCode).toBe(404);
  });

  it('computes a closed month once, even when two computes race', async () => {
    const [a, b] = await Promise.all([
      post('/api/v1/evaluations/compute', { period: P, orgId: t.taiyuan }),
      post('/api/v1/evaluations/compute', { period: P, orgId: t.shifanjie }, centerAdmin),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const runs = [...a.json().runs, ...b.json().runs];
    expect(runs.every((r: { cityCode: string; closed: boolean; sites: number }) => r.cityCode === '1401' && r.closed && r.sites === 7)).toBe(true);
    expect(runs.filter((r: { recomputed: boolean }) => r.recomputed)).toHaveLength(1);
    const { n } = ((await q(`SELECT count(*)::int AS n FROM evaluation_results WHERE city_code = '1401' AND period = $1`, [P])) as { n: number }[])[0]!;
    expect(n).toBe(7); // 2 centers, 2 institutes, 3 stations — the city itself is not evaluated
  });

  it('scores station A exactly as computed by hand', async () => {
    const res = await get(`/api/v1/evaluations/${t.shifanjie}/scorecard?period=${P}`, dispatcher);
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c).toMatchObject({ orgId: t.shifanjie, level: 'station', parentId: t.wucheng, kind: 'month', closed: true, total: 58.5, rank: 1, rankOf: 2 });
    const byCode = Object.fromEntries(c.indicators.map((i: { code: string; value: number | null; score: number | null }) => [i.code, [i.value, i.score]]));
    expect(byCode).toEqual({
      S01: [2, 100], // 2 activities ÷ 1 station ÷ 1 month, target 1
      S02: [2, 4], // 2 volunteers, target 50
      S03: [30, 75], // 30 verified hours, target 40
      // Rates over fewer than 5 cases are 样本不足 (issue 18): withheld, and left out of the total.
      S04: [null, null], // 2 of 3 due answered in time
      S05: [null, null], // 2 solved of 3 closed or due
      S06: [null, null], // 1 of 2 ratings ≥ 4
      S07: [0.0357, 11.9], // 6 of 168 open hours booked, target 30%
    });
    const status = Object.fromEntries(c.indicators.map((i: { code: string; status: string; sample: number | null }) => [i.code, [i.status, i.sample]]));
    expect(status).toMatchObject({ S01: ['ok', null], S04: ['insufficient', 3], S05: ['insufficient', 3], S06: ['insufficient', 2], S07: ['ok', null] });
    // Total: (100×25 + 4×15 + 75×15 + 11.9×10) ÷ 65 = 58.5.
    expect(c.figures).toMatchObject({
      activities: 2,
      volunteers: 2,
      verifiedHours: 30,
      ordersDue: 3,
      ordersResponded: 2,
      ordersClosedOrDue: 3,
      ordersSolved: 2,
      ratings: 2,
      satisfied: 1,
      bookedHours: 6,
      openHours: 168,
      lastActivity: '2025-03-25',
    });
    expect(c.figures.contents).toBe(hasContents ? 1 : null); // one published in March (a draft and an April item do not count)
    expect(c.flags.map((f: { code: string }) => f.code)).toEqual(['low_satisfaction', 'orders_overdue', 'low_resolution']);
    expect(c.suggestions[0]).toMatchObject({ indicatorCode: 'S02', lostPoints: 22.2 }); // 15 ÷ 65 × 96
    expect(c.suggestions.map((s: { indicatorCode: string }) => s.indicatorCode)).toEqual(['S02', 'S07', 'S03']);
    expect(c.history).toEqual([{ period: P, total: 58.5, rank: 1, rankOf: 2 }]);
  });

  it('ranks, flags and rolls up the other sites as computed by hand', async () => {
    const list = (await get(`/api/v1/evaluations?period=${P}`)).json();
    const row = (id: string) => list.items.find((r: { orgId: string }) => r.orgId === id);
    expect(row(stationB)).toMatchObject({ total: 0, rank: 2, rankOf: 2 });
    expect(row(stationB).flags.map((f: { code: string }) => f.code)).toEqual(['no_activity_30d', 'no_volunteers', 'nothing_done']);
    expect(row(stationB).flags[0].message).toBe('近30天没有开展活动（从未开展过活动）');
    expect(row(stationC)).toMatchObject({ total: 0.5, rank: 1, rankOf: 1 }); // 15×2 ÷ 55 applied weight
    expect(row(stationC).flags[0].message).toBe('近30天没有开展活动（上次活动：2025-02-20）');
    // C01 50×20 + C02 100×20 + C03 2×10 + C04 37.5×10 + C08 11.9×5, ÷ 65 (the rates over 3 orders and 2 ratings are 样本不足).
    expect(row(t.wucheng)).toMatchObject({ level: 'institute', total: 53.1, rank: 1, rankOf: 1 });
    expect(row(t.wucheng).flags.map((f: { code: string }) => f.code)).toEqual(['idle_stations', 'low_satisfaction', 'orders_overdue', 'low_resolution']);
    expect(row(t.xiaojingyu)).toMatchObject({ total: 0.3, rank: 1, rankOf: 1 });
    expect(row(t.xiaodian)).toMatchObject({ level: 'center', total: 53.1, rank: 1, rankOf: 2 });
    expect(row(t.wanbailin)).toMatchObject({ total: 0.3, rank: 2, rankOf: 2 });
    expect(list.items.map((r: { total: number }) => r.total)).toEqual([...list.items.map((r: { total: number }) => r.total)].sort((a, b) => b - a));
    expect(list.runs).toHaveLength(1);
    // Filters: level, flagged only, paging.
    const stations = (await get(`/api/v1/evaluations?period=${P}&level=station`)).json().items;
    expect(stations.map((r: { orgId: string }) => r.orgId).sort()).toEqual([t.shifanjie, stationB, stationC].sort());
    const flagged = (await get(`/api/v1/evaluations?period=${P}&flagged=true&orgId=${t.wanbailin}`)).json().items;
    expect(flagged.map((r: { orgId: string }) => r.orgId).sort()).toEqual([t.wanbailin, t.xiaojingyu, stationC].sort()); // all three: C is idle
    const flaggedStations = (await get(`/api/v1/evaluations?period=${P}&flagged=true&level=station`)).json().items;
    expect(flaggedStations.map((r: { orgId: string }) => r.orgId).sort()).toEqual([t.shifanjie, stationB, stationC].sort());
    const p1 = (await get(`/api/v1/evaluations?period=${P}&limit=3`)).json();
    const p2 = (await get(`/api/v1/evaluations?period=${P}&limit=3&cursor=${p1.nextCursor}`)).json();
    const p3 = (await get(`/api/v1/evaluations?period=${P}&limit=3&cursor=${p2.nextCursor}`)).json();
    expect([...p1.items, ...p2.items, ...p3.items].map((r: { orgId: string }) => r.orgId)).toEqual(list.items.map((r: { orgId: string }) => r.orgId));
    expect(p3.nextCursor).toBeNull();
    expect((await get(`/api/v1/evaluations?period=${P}&cursor=nonsense`)).json().error.code).toBe('VALIDATION_FAILED');
    expect((await get(`/api/v1/evaluations?period=${P}&level=city`)).json().error.code).toBe('VALIDATION_FAILED');
  });

  it('scopes lists, scorecards and the export to the caller’s subtree', async () => {
    const mine = (await get(`/api/v1/evaluations?period=${P}`, dispatcher)).json().items.map((r: { orgId: string }) => r.orgId);
    expect(mine.sort()).toEqual([t.xiaodian, t.wucheng, t.shifanjie, stationB].sort());
    expect((await get(`/api/v1/evaluations?period=${P}`, outsider)).json().items).toEqual([]);
    expect((await get(`/api/v1/evaluations?period=${P}&orgId=${t.wanbailin}`, dispatcher)).statusCode).toBe(403);
    expect((await get(`/api/v1/evaluations/${stationC}/scorecard?period=${P}`, dispatcher)).statusCode).toBe(403);
    expect((await get(`/api/v1/evaluations/${t.shifanjie}/scorecard?period=${P}`, resident)).statusCode).toBe(403);
    expect((await get(`/api/v1/evaluations/${t.taiyuan}/scorecard?period=${P}`)).statusCode).toBe(422);
    expect((await get(`/api/v1/evaluations/${crypto.randomUUID()}/scorecard?period=${P}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/evaluations/${t.shifanjie}/scorecard?period=2025-04`)).statusCode).toBe(404);
    expect((await get(`/api/v1/evaluations/export?period=${P}`, resident)).statusCode).toBe(403);

    const res = await get(`/api/v1/evaluations/export?period=${P}`, dispatcher);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rank = wb.getWorksheet('排名')!;
    expect(rank.rowCount).toBe(5); // header + the 4 sites of 小店区
    const a = rank.getRows(2, 4)!.find((r) => r.getCell(2).value === '师范街社区新时代文明实践站')!;
    expect([a.getCell(5).value, a.getCell(6).value, a.getCell(7).value]).toEqual([58.5, 1, 2]);
    expect(a.getCell(8).text).toContain('群众满意率 50%');
    const detail = wb.getWorksheet('指标明细')!;
    const s07 = detail.getRows(2, detail.rowCount - 1)!.find((r) => r.getCell(1).value === '师范街社区新时代文明实践站' && r.getCell(2).value === 'S07')!;
    expect([s07.getCell(5).value, s07.getCell(6).value, s07.getCell(8).value]).toEqual(['3.6%', '30%', 11.9]);
    const s06 = detail.getRows(2, detail.rowCount - 1)!.find((r) => r.getCell(1).value === '师范街社区新时代文明实践站' && r.getCell(2).value === 'S06')!;
    expect([s06.getCell(5).value, s06.getCell(8).value]).toEqual(['样本不足（2）', '—']);
  });

  it('keeps a closed period as computed; an admin may force it, and that is audited', async () => {
    await activity(stationB, '2025-03-28T09:00:00');
    const again = (await post('/api/v1/evaluations/compute', { period: P, orgId: t.xiaodian }, centerAdmin)).json();
    expect(again.runs[0]).toMatchObject({ recomputed: false, forcedCount: 0 });
    const b = () => get(`/api/v1/evaluations/${stationB}/scorecard?period=${P}`).then((r) => r.json());
    expect((await b()).total).toBe(0);
    expect((await post('/api/v1/evaluations/compute', { period: P, orgId: t.xiaodian, force: true }, centerAdmin)).statusCode).toBe(403);
    const forced = (await post('/api/v1/evaluations/compute', { period: P, orgId: t.xiaodian, force: true })).json();
    expect(forced.runs[0]).toMatchObject({ recomputed: true, forcedCount: 1, sites: 7 });
    const nb = await b();
    expect(nb.total).toBe(45.5); // S01: 1 activity → 100 × 25; S02, S03 0; rates without data → 25 ÷ 55
    expect(nb.flags.map((f: { code: string }) => f.code)).toEqual(['no_volunteers']);
    const audit = await q(`SELECT action, entity_id FROM audit_logs WHERE action = 'evaluation.force_recompute'`);
    expect(audit).toEqual([{ action: 'evaluation.force_recompute', entity_id: `1401:${P}` }]);
  });

  it('recomputes an open period in place: one result set however often it runs', async () => {
    const now = new Date(testNow().getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    const runs = await Promise.all([0, 1, 2].map(() => post('/api/v1/evaluations/compute', { period: now, orgId: t.xiaodian })));
    for (const r of runs) expect(r.json().runs[0]).toMatchObject({ closed: false, recomputed: true, sites: 7 });
    const { n } = ((await q(`SELECT count(*)::int AS n FROM evaluation_results WHERE city_code = '1401' AND period = $1`, [now])) as { n: number }[])[0]!;
    expect(n).toBe(7);
  });

  it('serves the indicator system: default, inherited, own; validates weights, metrics, levels and codes', async () => {
    const def = (await get(`/api/v1/evaluation-indicators?orgId=${t.xiaojingyu}`, instituteAdmin)).json();
    expect(def.levels).toEqual([
      { level: 'station', source: 'default', ownerOrgId: null, ownerOrgName: '平台默认指标体系', weightSum: 100 },
      { level: 'point', source: 'default', ownerOrgId: null, ownerOrgName: '平台默认指标体系', weightSum: 100 },
    ]);
    expect(def.allowedActions).toEqual(['edit']);
    expect(def.own).toEqual([]);
    expect((await get(`/api/v1/evaluation-indicators?orgId=${t.xiaojingyu}`, dispatcher)).statusCode).toBe(403);
    expect((await get(`/api/v1/evaluation-indicators?orgId=${t.wucheng}`, dispatcher)).json().allowedActions).toEqual([]);

    const ind = (o: object) => ({ code: 'X1', name: '注册志愿者', metric: 'volunteers_per_site', target: 1, weight: 100, levels: ['station'], ...o });
    const bad = async (body: object, as: Caller = instituteAdmin) => {
      const r = await put('/api/v1/evaluation-indicators', body, as);
      return [r.statusCode, r.json().error?.code, r.json().error?.message];
    };
    expect(await bad({ orgId: t.xiaojingyu, indicators: [ind({ weight: 60 })] })).toEqual([422, 'RULE_VIOLATION', '各层级指标权重合计须为 100：站级合计 60']);
    expect((await bad({ orgId: t.xiaojingyu, indicators: [ind({ metric: 'content_published' })] })).slice(0, 2)).toEqual([400, 'VALIDATION_FAILED']);
    expect((await bad({ orgId: t.xiaojingyu, indicators: [ind({ levels: ['center'] })] })).slice(0, 2)).toEqual([422, 'RULE_VIOLATION']);
    expect((await bad({ orgId: t.xiaojingyu, indicators: [ind({ weight: 50 }), ind({ weight: 50, code: 'x1' })] })).slice(0, 2)).toEqual([
      400,
      'VALIDATION_FAILED',
    ]);
    expect((await bad({ orgId: t.xiaojingyu, indicators: [ind({ target: 0 })] })).slice(0, 2)).toEqual([400, 'VALIDATION_FAILED']);
    expect((await bad({ orgId: t.wucheng, indicators: [ind({})] })).slice(0, 2)).toEqual([403, 'FORBIDDEN']);

    const saved = await put('/api/v1/evaluation-indicators', { orgId: t.xiaojingyu, indicators: [ind({})] }, instituteAdmin);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().levels[0]).toMatchObject({ level: 'station', source: 'own', ownerOrgId: t.xiaojingyu, weightSum: 100 });
    expect(saved.json().levels[1]).toMatchObject({ level: 'point', source: 'default' });
    const id = saved.json().own[0].id;
    // One-at-a-time edits keep the sums at 100 or are refused.
    expect((await post('/api/v1/evaluation-indicators', { orgId: t.xiaojingyu, ...ind({ code: 'X2', weight: 10 }) }, instituteAdmin)).statusCode).toBe(422);
    expect((await ctx.request({ method: 'PATCH', url: `/api/v1/evaluation-indicators/${id}`, payload: { weight: 90 }, as: instituteAdmin })).statusCode).toBe(
      422,
    );
    const patched = await ctx.request({
      method: 'PATCH',
      url: `/api/v1/evaluation-indicators/${id}`,
      payload: { target: 2, name: '站点志愿者' },
      as: instituteAdmin,
    });
    expect(patched.json()).toMatchObject({ id, target: 2, name: '站点志愿者', weight: 100 });
    expect((await post('/api/v1/evaluation-indicators', { orgId: t.xiaojingyu, ...ind({ code: 'P1', levels: ['point'] }) }, instituteAdmin)).statusCode).toBe(
      201,
    );
    expect((await post('/api/v1/evaluation-indicators', { orgId: t.xiaojingyu, ...ind({ code: 'P1', levels: ['point'] }) }, instituteAdmin)).statusCode).toBe(
      400,
    );
    const p1 = (await get(`/api/v1/evaluation-indicators?orgId=${t.xiaojingyu}`, instituteAdmin)).json().own.find((i: { code: string }) => i.code === 'P1');
    expect((await ctx.request({ method: 'DELETE', url: `/api/v1/evaluation-indicators/${p1.id}`, as: outsider })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'DELETE', url: `/api/v1/evaluation-indicators/${p1.id}`, as: instituteAdmin })).statusCode).toBe(204);
    expect((await ctx.request({ method: 'DELETE', url: `/api/v1/evaluation-indicators/${p1.id}`, as: instituteAdmin })).statusCode).toBe(404);
    const audits = await q(`SELECT action FROM audit_logs WHERE entity_type = 'evaluation_system' ORDER BY id`);
    expect(audits.map((a) => (a as { action: string }).action)).toEqual([
      'evaluation.system.replace',
      'evaluation.indicator.update',
      'evaluation.indicator.create',
      'evaluation.indicator.delete',
    ]);

    // The closed March stays as it was; forcing it applies 小井峪's own system to its station C.
    expect((await get(`/api/v1/evaluations/${stationC}/scorecard?period=${P}`)).json().total).toBe(0.5);
    await post('/api/v1/evaluations/compute', { period: P, orgId: t.xiaojingyu, force: true });
    const c = (await get(`/api/v1/evaluations/${stationC}/scorecard?period=${P}`, instituteAdmin)).json();
    expect(c.indicators).toEqual([
      { code: 'X1', name: '站点志愿者', metric: 'volunteers_per_site', target: 2, weight: 100, value: 1, score: 50, status: 'ok', sample: null },
    ]);
    expect(c.total).toBe(50);
    // Other institutes still use the default system.
    expect((await get(`/api/v1/evaluations/${t.shifanjie}/scorecard?period=${P}`)).json().indicators).toHaveLength(7);
    // An empty list returns 小井峪 to the inherited system.
    expect((await put('/api/v1/evaluation-indicators', { orgId: t.xiaojingyu, indicators: [] }, instituteAdmin)).json().levels[0].source).toBe('default');
  });

  it('runs as a job: closes last month once, refreshes open periods only when stale', async () => {
    let clock = new Date('2025-05-02T02:00:00Z'); // 2 May 2025, China time
    const job = createEvaluationService({
      db: ctx.database.db,
      repo: createEvaluationRepository(ctx.database.db),
      orgs: createOrgsRepository(ctx.database.db),
      audit: createAuditRepository(ctx.database.db),
      clock: () => clock,
    });
    const runs = async () =>
      ((await q(`SELECT period, closed FROM evaluation_runs WHERE city_code = '1401' ORDER BY period`)) as { period: string; closed: boolean }[]).map(
        (r) => `${r.period}:${r.closed}`,
      );
    const before = await runs();
    expect(await job.runScheduled()).toBe(6); // April (closed) and May and 2025 so far, in both cities
    expect((await runs()).filter((r) => !before.includes(r)).sort()).toEqual(
      ['2025-04:true', '2025-05:false', '2025:false'].filter((r) => !before.includes(r)).sort(),
    );
    expect(await job.runScheduled()).toBe(0); // April is kept, May and 2025 are fresh
    clock = new Date(clock.getTime() + REFRESH_OPEN_MS + 60_000);
    expect(await job.runScheduled()).toBe(4); // May and 2025 again, in both cities
  });

  it('computes the summative year and keeps the OpenAPI document complete', async () => {
    const r = (await post('/api/v1/evaluations/compute', { period: '2025', orgId: t.taiyuan })).json();
    expect(r.runs[0]).toMatchObject({ kind: 'year', closed: true, sites: 7 });
    const a = (await get(`/api/v1/evaluations/${t.shifanjie}/scorecard?period=2025`)).json();
    // 2 activities and 38 verified hours over 12 months at one station.
    expect(a.indicators.find((i: { code: string }) => i.code === 'S01')).toMatchObject({ value: 0.17, score: 17 });
    expect(a.indicators.find((i: { code: string }) => i.code === 'S03')).toMatchObject({ value: 3.2, score: 8 });
    const doc = (await ctx.request({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const p of [
      '/api/v1/evaluation-indicators',
      '/api/v1/evaluation-indicators/{id}',
      '/api/v1/evaluations',
      '/api/v1/evaluations/compute',
      '/api/v1/evaluations/export',
      '/api/v1/evaluations/{orgId}/scorecard',
    ])
      expect(doc.paths[p], p).toBeDefined();
  });
});
