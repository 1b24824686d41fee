import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';

type Rec = {
  id: string;
  source: string;
  sourceId: string;
  hours: number;
  status: string;
  allowedActions: string[];
  plausibility: { verdict: string; observedHours: number | null; maxHours: number | null; reason: string | null };
  overrideReason: string | null;
};

/**
 * Hours plausibility (issue 18): "an order started and completed 0.8 s apart was accepted with 24 h,
 * and the reviewer is not warned". A claim beyond the time the platform saw is flagged with the
 * evidence and is verified only with an override and its reason.
 */
describe.each(DATABASES)('hours plausibility on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let wcAdmin: Caller;
  let wcDispatcher: Caller;
  let resident: Caller;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    wcAdmin = await staff(ctx, 'org_admin', t.wucheng, '坞城管理员');
    wcDispatcher = await staff(ctx, 'dispatcher', t.wucheng, '坞城调度员');
    resident = await ctx.register('居民');
  });
  afterAll(() => ctx.close());

  const act = (id: string, action: string, as: Caller, payload: object = {}) =>
    ctx.request({ method: 'POST', url: `/api/v1/orders/${id}/${action}`, payload, as });
  const queue = async () => (await ctx.request({ method: 'GET', url: '/api/v1/service-records?status=pending&limit=100', as: wcAdmin })).json().items as Rec[];
  const verify = (id: string, body: object = {}, as: Caller = wcAdmin) =>
    ctx.request({ method: 'POST', url: `/api/v1/service-records/${id}/verify`, payload: body, as });
  const hoursOf = async (volunteerId: string) =>
    (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${volunteerId}`, as: wcAdmin })).json().totalHours as number;

  /** An order served at once: started and completed within the same second. */
  async function servedAtOnce(hours: number) {
    const v = await volunteer(ctx, t.shifanjie, { name: '志愿者' });
    const o = (await ctx.request({ method: 'POST', url: '/api/v1/orders', payload: { content: '帮忙换个灯泡', orgId: t.shifanjie }, as: resident })).json();
    expect((await act(o.id, 'dispatch', wcDispatcher, { volunteerId: v.volunteerId })).statusCode).toBe(200);
    expect((await act(o.id, 'accept', v)).statusCode).toBe(200);
    expect((await act(o.id, 'start', v)).statusCode).toBe(200);
    const done = await act(o.id, 'complete', v, { report: '换好了', hours });
    expect(done.statusCode, done.body).toBe(200);
    const rec = (await queue()).find((r) => r.sourceId === o.id)!;
    return { v, o, rec };
  }

  it('flags 24 hours claimed for an order started and completed at once, and refuses a plain verification', async () => {
    const { v, rec } = await servedAtOnce(24);
    expect(rec.plausibility).toMatchObject({ verdict: 'implausible', observedHours: 0, maxHours: 0.5 });
    expect(rec.plausibility.reason).toMatch(/^申报 24 小时，但开始至完成仅 [\d.]+ 秒$/);
    expect(rec.allowedActions).toEqual(['verify_override', 'reject']);

    const plain = await verify(rec.id);
    expect(plain.statusCode).toBe(422);
    expect(plain.json().error.code).toBe('RULE_VIOLATION');
    expect(plain.json().error.message).toContain('服务时长存疑');
    expect(plain.json().error.message).toContain('开始至完成仅');
    // An empty reason is no override.
    expect((await verify(rec.id, { overrideReason: '  ' })).statusCode).toBe(400);
    expect(await hoursOf(v.volunteerId)).toBe(0);
    expect((await queue()).find((r) => r.id === rec.id)!.status).toBe('pending');
  });

  it('verifies an implausible claim with an explicit override and its reason, kept on the record and audited', async () => {
    const { v, rec } = await servedAtOnce(3);
    const ok = await verify(rec.id, { overrideReason: '志愿者到场服务结束后才补点开始，已电话核实服务 3 小时' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'verified', overrideReason: '志愿者到场服务结束后才补点开始，已电话核实服务 3 小时' });
    expect(ok.json().plausibility.verdict).toBe('implausible');
    expect(await hoursOf(v.volunteerId)).toBe(3);
    const log = (await ctx.request({ method: 'GET', url: '/api/v1/audit-logs?action=record.verify_override&limit=20', as: ctx.admin })).json();
    const entry = log.items.find((e: { entityId: string }) => e.entityId === rec.id);
    expect(entry.after).toMatchObject({ hours: 3, maxHours: 0.5, reason: '志愿者到场服务结束后才补点开始，已电话核实服务 3 小时' });
    expect(entry.after.evidence).toContain('开始至完成仅');
  });

  it('lets a claim within the observed time (and its grace) through as before, and ignores an override there', async () => {
    const { v, rec } = await servedAtOnce(0.5);
    expect(rec.plausibility.verdict).toBe('ok');
    expect(rec.allowedActions).toEqual(['verify', 'reject']);
    const ok = await verify(rec.id, { overrideReason: '不需要' }, wcDispatcher);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().overrideReason).toBeNull();
    expect(await hoursOf(v.volunteerId)).toBe(0.5);
  });

  it('checks a manual record against its own start and end', async () => {
    const v = await volunteer(ctx, t.shifanjie, { name: '补录志愿者' });
    const start = new Date(testNow().getTime() - 5 * 3_600_000);
    const body = (hours: number) => ({
      volunteerId: v.volunteerId,
      orgId: t.shifanjie,
      title: '敬老院慰问演出',
      hours,
      startedAt: start.toISOString(),
      endedAt: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
    });
    const over = await ctx.request({ method: 'POST', url: '/api/v1/service-records', payload: body(6), as: wcAdmin });
    expect(over.statusCode, over.body).toBe(201);
    expect(over.json().plausibility).toMatchObject({ verdict: 'implausible', observedHours: 2, maxHours: 2.5, reason: '申报 6 小时，但开始至完成仅 2 小时' });
    expect((await verify(over.json().id, {}, wcDispatcher)).statusCode).toBe(422);
    const fine = await ctx.request({ method: 'POST', url: '/api/v1/service-records', payload: body(2), as: wcAdmin });
    expect(fine.json().plausibility.verdict).toBe('ok');
    expect((await verify(fine.json().id, {}, wcDispatcher)).statusCode).toBe(200);
  });

  it('holds an activity’s record to the activity’s times as well as the check-in and check-out', async () => {
    const v = await volunteer(ctx, t.shifanjie, { name: '活动志愿者' });
    const at = (h: number) => new Date(Math.floor(testNow().getTime() / 3_600_000) * 3_600_000 + h * 3_600_000).toISOString();
    const created = await ctx.request({
      method: 'POST',
      url: '/api/v1/activities',
      payload: {
        orgId: t.shifanjie,
        title: '社区义诊',
        category: 'health',
        startsAt: at(-3),
        endsAt: at(-2),
        signupDeadline: at(-4),
        volunteerQuota: 3,
        publicQuota: 0,
      },
      as: wcAdmin,
    });
    expect(created.statusCode, created.body).toBe(201);
    // A record as the activity's finish would write it, with a check-in to check-out span of four hours.
    const id = crypto.randomUUID();
    await ctx.database.raw.query(
      `INSERT INTO service_records (city_code, id, volunteer_id, org_id, source_type, source_id, hours, title, started_at, ended_at)
       VALUES ('1401', $1, $2, $3, 'activity', $4, 3, '社区义诊', $5, $6)`,
      [id, v.volunteerId, t.shifanjie, created.json().id, at(-5), at(-1)],
    );
    const rec = (await queue()).find((r) => r.id === id)!;
    expect(rec.plausibility).toMatchObject({ verdict: 'implausible', observedHours: 1, maxHours: 1.5 });
    expect(rec.plausibility.reason).toBe('申报 3 小时，但活动时间仅 1 小时');
    expect((await verify(id)).statusCode).toBe(422);
  });
});
