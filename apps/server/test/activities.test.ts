import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { createCheckinCodes } from '../src/modules/activities/checkin-codes.ts';
import { deriveKey } from '../src/lib/pii.ts';
import { testConfig } from '../src/config.ts';

const inMinutes = (m: number) => new Date(testNow().getTime() + m * 60_000).toISOString();

describe.each(DATABASES)('activities on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let organizer: Caller;
  let pcAdmin: Caller;
  const codes = createCheckinCodes(deriveKey(Buffer.from(testConfig().WENMING_DATA_KEY!, 'base64'), 'checkin-codes'));

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    organizer = await staff(ctx, 'org_admin', t.wucheng, '坞城所管理员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng, '平城区管理员');
  });
  afterAll(() => ctx.close());

  // Started ten minutes ago (so check-in is open and it can be finished); sign-up stays open for an hour.
  const base = () => ({
    orgId: t.shifanjie,
    title: '社区义诊进万家',
    category: 'health',
    startsAt: inMinutes(-10),
    endsAt: inMinutes(110),
    signupDeadline: inMinutes(60),
    volunteerQuota: 3,
    publicQuota: 2,
    lat: 37.8,
    lng: 112.56,
  });
  async function published(extra: object = {}, as: Caller = organizer) {
    const res = await ctx.request({ method: 'POST', url: '/api/v1/activities', payload: { ...base(), ...extra }, as });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().state).toBe('draft');
    const pub = await ctx.request({ method: 'POST', url: `/api/v1/activities/${res.json().id}/publish`, payload: {}, as });
    expect(pub.json().state).toBe('published');
    return res.json().id as string;
  }
  const signup = (id: string, as: Caller, role = 'volunteer', headers: Record<string, string> = {}) =>
    ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/signups`, payload: { role }, as, headers });

  it('validates the activity and who may create it', async () => {
    const post = (payload: object, as: Caller = organizer) => ctx.request({ method: 'POST', url: '/api/v1/activities', payload, as });
    expect((await post({ ...base(), endsAt: inMinutes(-20) })).statusCode).toBe(400);
    expect((await post({ ...base(), volunteerQuota: -1 })).statusCode).toBe(400);
    expect((await post({ ...base(), volunteerQuota: 1.5 })).statusCode).toBe(400);
    expect((await post({ ...base(), category: 'cooking' })).statusCode).toBe(400);
    expect((await post({ ...base(), startsAt: 'tomorrow' })).statusCode).toBe(400);
    expect((await post({ ...base(), signupDeadline: inMinutes(500) })).statusCode).toBe(400);
    expect((await post(base(), pcAdmin)).statusCode).toBe(403);
    expect((await post(base(), await ctx.register())).statusCode).toBe(403);
    // A draft is visible to its organisers only.
    const draft = (await post(base())).json();
    expect((await ctx.request({ method: 'GET', url: `/api/v1/activities/${draft.id}`, as: await ctx.register() })).statusCode).toBe(404);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/activities/${draft.id}`, as: organizer })).json().allowedActions).toContain('publish');
  });

  it('of 20 concurrent volunteer sign-ups for 3 places exactly 3 are registered; the rest wait in order', async () => {
    const id = await published();
    const people = [];
    for (let i = 0; i < 20; i++) people.push(await volunteer(ctx, t.shifanjie, { name: `报名者${i}` }));
    const results = await Promise.all(people.map((p) => signup(id, p)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const statuses = results.map((r) => r.json().status);
    expect(statuses.filter((s) => s === 'registered')).toHaveLength(3);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(17);
    expect(
      results
        .filter((r) => r.json().status === 'waitlisted')
        .map((r) => r.json().position)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    const a = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}`, as: organizer })).json();
    expect(a.volunteerRegistered).toBe(3);
    // Again → 409.
    expect((await signup(id, people[0]!)).statusCode).toBe(409);

    // Concurrent withdrawals of the registered promote the first waitlisted, one each.
    const registered = people.filter((_, i) => statuses[i] === 'registered');
    const waiting = people
      .map((p, i) => ({ p, pos: results[i]!.json().position as number | null }))
      .filter((x) => x.pos !== null)
      .sort((x, y) => x.pos! - y.pos!);
    const w = await Promise.all(registered.slice(0, 2).map((p) => ctx.request({ method: 'DELETE', url: `/api/v1/activities/${id}/signups/me`, as: p })));
    expect(w.map((r) => r.statusCode)).toEqual([204, 204]);
    const list = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}/signups`, as: organizer })).json();
    const reg = list.filter((s: { status: string }) => s.status === 'registered').map((s: { userId: string }) => s.userId);
    expect(reg).toHaveLength(3);
    expect(reg).toEqual(expect.arrayContaining([waiting[0]!.p.userId, waiting[1]!.p.userId]));
    expect((await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}`, as: organizer })).json().volunteerRegistered).toBe(3);
    const promotedMe = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}`, as: waiting[0]!.p })).json();
    expect(promotedMe.mySignup.status).toBe('registered');
    const inbox = (await ctx.request({ method: 'GET', url: '/api/v1/notifications', as: waiting[0]!.p })).json();
    expect(inbox.items.some((n: { kind: string }) => n.kind === 'activity.promoted')).toBe(true);
    // Withdrawing a waitlisted place promotes nobody; withdrawing twice is 404.
    await ctx.request({ method: 'DELETE', url: `/api/v1/activities/${id}/signups/me`, as: waiting[5]!.p });
    expect((await ctx.request({ method: 'DELETE', url: `/api/v1/activities/${id}/signups/me`, as: waiting[5]!.p })).statusCode).toBe(404);
    // A withdrawn person may sign up again (at the end of the queue).
    expect((await signup(id, registered[0]!)).json()).toMatchObject({ status: 'waitlisted', position: 15 });
  });

  it('refuses sign-ups that break the rules, writing nothing', async () => {
    const id = await published({ signupDeadline: inMinutes(-5) });
    const v = await volunteer(ctx, t.shifanjie);
    expect((await signup(id, v)).statusCode).toBe(422); // deadline passed
    const open = await published({ partyOnly: true });
    expect((await signup(open, v)).statusCode).toBe(422); // not a party member
    const resident = await ctx.register();
    expect((await signup(open, resident, 'volunteer')).statusCode).toBe(422); // not a volunteer
    expect((await signup(open, resident, 'resident')).statusCode).toBe(201);
    expect((await signup(open, resident, 'guest')).statusCode).toBe(400);
    const cancelled = await published();
    const person = await volunteer(ctx, t.shifanjie);
    expect((await signup(cancelled, person)).statusCode).toBe(201);
    const c = await ctx.request({ method: 'POST', url: `/api/v1/activities/${cancelled}/cancel`, payload: {}, as: organizer });
    expect(c.json().state).toBe('cancelled');
    expect((await signup(cancelled, v)).statusCode).toBe(409);
    expect(
      (await ctx.request({ method: 'GET', url: '/api/v1/notifications', as: person }))
        .json()
        .items.some((n: { kind: string }) => n.kind === 'activity.cancelled'),
    ).toBe(true);
    const n = await ctx.database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM activity_signups WHERE activity_id = $1', [id]);
    expect(n[0]!.n).toBe(0);
  });

  it('checks in with a rotating signed code and the geofence; idempotent; finishing creates pending hours', async () => {
    const id = await published({ geofenceM: 500 });
    const [a, b, c] = [
      await volunteer(ctx, t.shifanjie, { name: '甲' }),
      await volunteer(ctx, t.shifanjie, { name: '乙' }),
      await volunteer(ctx, t.shifanjie, { name: '丙' }),
    ];
    const outsider = await volunteer(ctx, t.shifanjie, { name: '未报名' });
    for (const p of [a, b, c]) expect((await signup(id, p)).json().status).toBe('registered');
    const code = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}/checkin-code`, as: organizer })).json();
    expect(code.code).toMatch(/^\d+\.[\w-]{16}$/);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}/checkin-code`, as: a })).statusCode).toBe(403);
    const checkin = (as: Caller, payload: object) => ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/checkin`, payload, as });
    expect((await checkin(outsider, { code: code.code, lat: 37.8, lng: 112.56 })).statusCode).toBe(403);
    expect((await checkin(a, { code: 'forged.AAAAAAAAAAAAAAAA', lat: 37.8, lng: 112.56 })).statusCode).toBe(422);
    const [w] = code.code.split('.');
    expect((await checkin(a, { code: `${w}.AAAAAAAAAAAAAAAA`, lat: 37.8, lng: 112.56 })).statusCode).toBe(422);
    expect((await checkin(a, { code: codes.issue(id, new Date(testNow().getTime() - 95_000)).code, lat: 37.8, lng: 112.56 })).statusCode).toBe(422); // stale
    const other = await published();
    expect((await checkin(a, { code: codes.issue(other, testNow()).code, lat: 37.8, lng: 112.56 })).statusCode).toBe(422); // another activity's code
    expect((await checkin(a, { code: code.code })).statusCode).toBe(422); // no location
    const far = await checkin(a, { code: code.code, lat: 37.845, lng: 112.56 });
    expect(far.statusCode).toBe(422);
    expect(far.json().error.message).toMatch(/米/);
    const ok = await checkin(a, { code: code.code, lat: 37.8001, lng: 112.5601 });
    expect(ok.statusCode).toBe(200);
    const again = await checkin(a, { code: codes.issue(id, testNow()).code, lat: 37.8, lng: 112.56 });
    expect(again.json().at).toBe(ok.json().at);
    // Check-out by code: before check-in refused, then once (a repeat returns the first time).
    const checkout = (as: Caller, code: string) => ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/checkout`, payload: { code }, as });
    expect((await checkout(b, codes.issue(id, testNow()).code)).statusCode).toBe(422);
    expect((await checkout(a, 'forged.AAAAAAAAAAAAAAAA')).statusCode).toBe(422);
    const out = await checkout(a, codes.issue(id, testNow()).code);
    expect(out.statusCode, out.body).toBe(200);
    expect((await checkout(a, codes.issue(id, testNow()).code)).json().at).toBe(out.json().at);
    // Attendance by hand for the others: full for 乙, 50 % for 丙.
    const list = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}/signups`, as: organizer })).json();
    const act = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}`, as: organizer })).json();
    const sid = (name: string) => list.find((s: { name: string }) => s.name === name).id;
    const half = new Date(Date.parse(act.startsAt) + 60 * 60_000).toISOString();
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: `/api/v1/activities/${id}/attendance`,
          payload: { signupId: sid('乙'), checkinAt: act.startsAt, checkoutAt: act.endsAt, reason: '老人没有手机，现场登记' },
          as: organizer,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: `/api/v1/activities/${id}/attendance`,
          payload: { signupId: sid('丙'), checkinAt: act.startsAt, checkoutAt: half, reason: '提前离场' },
          as: organizer,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await ctx.request({
          method: 'POST',
          url: `/api/v1/activities/${id}/attendance`,
          payload: { signupId: sid('丙'), checkinAt: act.startsAt, checkoutAt: half },
          as: organizer,
        })
      ).statusCode,
    ).toBe(400);
    const finished = await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/finish`, payload: { summary: '为40位老人测量血压' }, as: organizer });
    expect(finished.statusCode, finished.body).toBe(200);
    expect(finished.json()).toMatchObject({ state: 'finished', recordsCreated: 1 });
    const recs = (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${b.volunteerId}/records`, as: b })).json();
    expect(recs.items).toEqual([expect.objectContaining({ source: 'activity', sourceId: id, hours: 2, status: 'pending' })]);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${c.volunteerId}/records`, as: c })).json().items).toEqual([]);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/finish`, payload: {}, as: organizer })).statusCode).toBe(409);
    expect((await checkin(a, { code: code.code, lat: 37.8, lng: 112.56 })).statusCode).toBe(409);
  });

  it('lets the organiser credit low attendance with a reason; lists by text and date', async () => {
    const id = await published({ title: '太极拳班第一课' });
    const v = await volunteer(ctx, t.shifanjie, { name: '丁' });
    await signup(id, v);
    const act = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}`, as: organizer })).json();
    const s = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}/signups`, as: organizer })).json()[0];
    await ctx.request({
      method: 'POST',
      url: `/api/v1/activities/${id}/attendance`,
      payload: { signupId: s.id, checkinAt: act.startsAt, checkoutAt: new Date(Date.parse(act.startsAt) + 30 * 60_000).toISOString(), reason: '临时有事' },
      as: organizer,
    });
    const fin = await ctx.request({
      method: 'POST',
      url: `/api/v1/activities/${id}/finish`,
      payload: { overrides: [{ signupId: s.id, reason: '负责开场带操，认可半小时' }] },
      as: organizer,
    });
    expect(fin.json().recordsCreated).toBe(1);
    const rec = (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}/records`, as: v })).json().items[0];
    expect(rec.hours).toBe(0.5);
    const found = (await ctx.request({ method: 'GET', url: `/api/v1/activities?q=${encodeURIComponent('太极拳')}`, as: await ctx.register() })).json();
    expect(found.items.map((x: { id: string }) => x.id)).toContain(id);
    const none = (
      await ctx.request({
        method: 'GET',
        url: `/api/v1/activities?q=${encodeURIComponent('太极拳')}&from=${encodeURIComponent(inMinutes(60 * 24 * 30))}`,
        as: organizer,
      })
    ).json();
    expect(none.items).toEqual([]);
  });

  it('honours Idempotency-Key on sign-up', async () => {
    const id = await published();
    const v = await volunteer(ctx, t.shifanjie);
    const r1 = await signup(id, v, 'volunteer', { 'idempotency-key': 'su-1' });
    const r2 = await signup(id, v, 'volunteer', { 'idempotency-key': 'su-1' });
    expect(r2.statusCode).toBe(201);
    expect(r2.json()).toEqual(r1.json());
  });
});
