import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '@wenming/domain';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';

type Vol = Caller & { volunteerId: string; userId: string };
const HOUR = 3_600_000;

describe.each(DATABASES)('training (培训: 课程库, 师资库, 班次, 学时, 资质) on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  // The app's clock: the tests' clock moved on by `shift` (to step into a session).
  let shift = 0;
  const now = () => new Date(testNow().getTime() + shift);
  let xdAdmin: Caller; // 小店区 org_admin
  let sfAdmin: Caller; // 师范街 org_admin
  let wblAdmin: Caller; // 万柏林区 org_admin
  let v1: Vol;
  let v2: Vol;
  let resident: Caller;
  let talent: string;

  const req = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, as: Caller | null, payload?: object) =>
    ctx.request({ method, url: `/api/v1${url}`, as, payload });
  const ok = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, as: Caller | null, payload?: object) => {
    const res = await req(method, url, as, payload);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };

  beforeAll(async () => {
    ctx = await createTestContext(kind, {}, { clock: now });
    t = await buildTree(ctx);
    xdAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    sfAdmin = await staff(ctx, 'org_admin', t.shifanjie, '师范街管理员');
    wblAdmin = await staff(ctx, 'org_admin', t.wanbailin, '万柏林区管理员');
    v1 = await volunteer(ctx, t.shifanjie, { name: '吴丽娟' });
    v2 = await volunteer(ctx, t.shifanjie, { name: '王建国' });
    resident = await ctx.register('居民');
    const types = (await req('GET', '/resource-types', null)).json<{ code: string; category: string }[]>();
    const doctor = types.find((x) => x.category === 'talent')!.code;
    talent = (await ok('POST', '/resources', xdAdmin, { orgId: t.wucheng, name: '李医生', type: doctor, bookable: false })).id;
  });
  afterAll(() => ctx?.close());

  let lecturer: string;
  let course: string;
  let session: string;

  it('keeps lecturers (linked to a talent resource of the site) and courses, scoped to the site subtree, with validation', async () => {
    const l = await ok('POST', '/training/lecturers', xdAdmin, {
      orgId: t.xiaodian,
      name: '李明',
      title: '主治医师',
      specialties: ['急救'],
      resourceId: talent,
    });
    expect(l).toMatchObject({ name: '李明', resourceId: talent, resourceName: '李医生', orgName: '小店区新时代文明实践中心' });
    lecturer = l.id;
    // A resource that is not a talent, or of another district, is refused; another district's admin may not add here.
    expect((await req('POST', '/training/lecturers', wblAdmin, { orgId: t.xiaodian, name: '某人' })).statusCode).toBe(403);
    expect((await req('POST', '/training/lecturers', xdAdmin, { orgId: t.xiaodian, name: '', specialties: [] })).statusCode).toBe(400);
    const c = await ok('POST', '/training/courses', xdAdmin, {
      orgId: t.xiaodian,
      title: '应急救护培训',
      category: '应急救护',
      hours: 4,
      lecturerIds: [lecturer],
      description: '心肺复苏与AED使用',
      qualification: '急救证',
      qualificationMonths: 24,
    });
    expect(c).toMatchObject({ title: '应急救护培训', hours: 4, lecturers: [{ id: lecturer, name: '李明' }], qualification: '急救证' });
    course = c.id;
    expect((await req('POST', '/training/courses', xdAdmin, { orgId: t.xiaodian, title: '课', category: '党史', hours: 0.3 })).statusCode).toBe(400);
    expect(
      (await req('POST', '/training/courses', xdAdmin, { orgId: t.xiaodian, title: '课', category: '党史', hours: 1, qualificationMonths: 12 })).statusCode,
    ).toBe(400);
    // Another district's lecturer cannot be named.
    const far = await ok('POST', '/training/lecturers', wblAdmin, { orgId: t.wanbailin, name: '远方讲师' });
    expect(
      (await req('POST', '/training/courses', xdAdmin, { orgId: t.xiaodian, title: '课', category: '党史', hours: 1, lecturerIds: [far.id] })).statusCode,
    ).toBe(400);
    // Lists are scoped: 万柏林区 sees only its own; the station sees the district's library as usable but lists its subtree.
    const wblCourses = await ok('GET', '/training/courses', wblAdmin);
    expect(wblCourses.items.map((x: { id: string }) => x.id)).not.toContain(course);
    expect((await ok('GET', '/training/courses', xdAdmin)).items.map((x: { id: string }) => x.id)).toContain(course);
    expect((await req('GET', `/training/courses/${course}`, sfAdmin)).statusCode).toBe(200);
    expect((await req('GET', `/training/courses/${course}`, wblAdmin)).statusCode).toBe(403);
    expect((await req('GET', `/training/courses/${course}`, v1)).statusCode).toBe(404);
    expect((await req('GET', '/training/lecturers', v1)).statusCode).toBe(403);
    // A venue is no talent; another district's admin may not edit the lecturer or the course.
    const venueType = (await req('GET', '/resource-types', null)).json<{ code: string; category: string }[]>().find((x) => x.category !== 'talent')!.code;
    const venue = (await ok('POST', '/resources', xdAdmin, { orgId: t.wucheng, name: '活动室', type: venueType, bookable: false })).id;
    expect((await req('POST', '/training/lecturers', xdAdmin, { orgId: t.xiaodian, name: '某人', resourceId: venue })).statusCode).toBe(400);
    expect((await req('PATCH', `/training/lecturers/${lecturer}`, wblAdmin, { title: '副主任医师' })).statusCode).toBe(403);
    expect((await ok('PATCH', `/training/lecturers/${lecturer}`, xdAdmin, { title: '副主任医师' })).title).toBe('副主任医师');
    expect((await req('PATCH', `/training/courses/${course}`, wblAdmin, { hours: 3 })).statusCode).toBe(403);
    expect((await req('PATCH', `/training/courses/${course}`, xdAdmin, { hours: 0 })).statusCode).toBe(400);
    // A retired course takes no new session.
    const old = await ok('POST', '/training/courses', xdAdmin, { orgId: t.xiaodian, title: '旧课程', category: '党史', hours: 1 });
    expect((await ok('PATCH', `/training/courses/${old.id}`, xdAdmin, { status: 'retired' })).status).toBe('retired');
    const soon = new Date(now().getTime() + HOUR).toISOString();
    const later = new Date(now().getTime() + 2 * HOUR).toISOString();
    expect(
      (
        await req('POST', '/training/sessions', sfAdmin, {
          courseId: old.id,
          orgId: t.shifanjie,
          address: '活动室',
          startsAt: soon,
          endsAt: later,
          capacity: 5,
        })
      ).statusCode,
    ).toBe(422);
  });

  it('holds a session at a station: sign-up within the places, once each, volunteers only', async () => {
    const startsAt = new Date(now().getTime() + 2 * HOUR).toISOString();
    const endsAt = new Date(now().getTime() + 6 * HOUR).toISOString();
    const s = await ok('POST', '/training/sessions', sfAdmin, {
      courseId: course,
      orgId: t.shifanjie,
      address: '师范街社区活动室',
      startsAt,
      endsAt,
      capacity: 1,
    });
    expect(s).toMatchObject({ state: 'open', capacity: 1, registered: 0, course: { title: '应急救护培训', hours: 4, lecturers: ['李明'] } });
    session = s.id;
    expect(
      (await req('POST', '/training/sessions', wblAdmin, { courseId: course, orgId: t.wanbailin, address: 'x', startsAt, endsAt, capacity: 5 })).statusCode,
    ).toBe(404);
    expect(
      (
        await req('POST', '/training/sessions', sfAdmin, {
          courseId: course,
          orgId: t.shifanjie,
          address: 'x',
          startsAt: endsAt,
          endsAt: startsAt,
          capacity: 5,
        })
      ).statusCode,
    ).toBe(400);
    // Open sessions are listed for volunteers of the city.
    expect((await ok('GET', '/training/sessions?view=open', v1)).items.map((x: { id: string }) => x.id)).toContain(session);
    expect((await req('GET', '/training/sessions?view=all', v1)).statusCode).toBe(403);
    expect((await req('POST', `/training/sessions/${session}/signups`, resident)).statusCode).toBe(422);
    // Two volunteers race for the one place: one gets it.
    const [a, b] = await Promise.all([req('POST', `/training/sessions/${session}/signups`, v1), req('POST', `/training/sessions/${session}/signups`, v2)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 422]);
    const winner = a.statusCode === 201 ? v1 : v2;
    expect((await req('POST', `/training/sessions/${session}/signups`, winner)).statusCode).toBe(422);
    expect((await ok('GET', `/training/sessions/${session}`, winner)).registered).toBe(1);
  });

  it('checks in by the rotating QR code only within the window; finishing records training hours and grants the qualification', async () => {
    const mine = await ok('GET', `/training/sessions?view=mine`, v1);
    const signedUp = mine.items.length ? v1 : v2;
    const other = signedUp === v1 ? v2 : v1;
    // Before the window opens: refused.
    const early = await ok('GET', `/training/sessions/${session}/checkin-code`, sfAdmin);
    expect((await req('POST', `/training/sessions/${session}/checkin`, signedUp, { code: early.code })).statusCode).toBe(422);
    expect((await req('GET', `/training/sessions/${session}/checkin-code`, wblAdmin)).statusCode).toBe(403);
    // Into the session.
    shift = 2.5 * HOUR;
    const { code } = await ok('GET', `/training/sessions/${session}/checkin-code`, sfAdmin);
    expect((await req('POST', `/training/sessions/${session}/checkin`, other, { code })).statusCode).toBe(403);
    expect((await req('POST', `/training/sessions/${session}/checkin`, signedUp, { code: `${code.split('.')[0]}.AAAAAAAAAAAAAAAA` })).statusCode).toBe(422);
    expect((await req('POST', `/training/sessions/${session}/checkin`, signedUp, { code })).statusCode).toBe(200);
    expect((await req('POST', `/training/sessions/${session}/checkin`, signedUp, { code })).statusCode).toBe(409);
    const list = await ok('GET', `/training/sessions/${session}/signups`, sfAdmin);
    expect(list.items).toHaveLength(1);
    expect(list.items[0].checkinAt).not.toBeNull();
    expect(list.items[0].phone).toMatch(/\*{4}/);

    const finished = await ok('POST', `/training/sessions/${session}/finish`, sfAdmin);
    expect(finished.state).toBe('finished');
    expect((await req('POST', `/training/sessions/${session}/finish`, sfAdmin)).statusCode).toBe(409);
    const tr = await ok('GET', `/volunteers/${signedUp.volunteerId}/training`, signedUp);
    expect(tr.totalHours).toBe(4);
    expect(tr.records).toMatchObject([{ title: '应急救护培训', hours: 4, trainedOn: localDate(now()) }]);
    expect(tr.qualifications).toMatchObject([{ name: '急救证', source: 'course', valid: true }]);
    expect(tr.qualifications[0].validUntil > localDate(now())).toBe(true);
    // Training hours are not service hours.
    const v = await ok('GET', `/volunteers/${signedUp.volunteerId}`, signedUp);
    expect(v.totalHours).toBe(0);
    // Others cannot read it; the person's site staff can.
    expect((await req('GET', `/volunteers/${signedUp.volunteerId}/training`, other)).statusCode).toBe(403);
    expect((await req('GET', `/volunteers/${signedUp.volunteerId}/training`, sfAdmin)).statusCode).toBe(200);
    expect((await req('GET', `/volunteers/${signedUp.volunteerId}/training`, wblAdmin)).statusCode).toBe(403);
    shift = 0;
  });

  it('qualifications entered by staff with an expiry; an activity requiring one refuses volunteers without a valid one', async () => {
    const mine = await ok('GET', `/training/sessions?view=mine`, v1);
    const trained = mine.items.length ? v1 : v2;
    const untrained = trained === v1 ? v2 : v1;
    const yesterday = localDate(new Date(now().getTime() - 24 * HOUR));
    // An expired 急救证 for the untrained one, entered by their site's admin; another district's admin may not.
    expect((await req('POST', `/volunteers/${untrained.volunteerId}/qualifications`, wblAdmin, { name: '急救证', validUntil: yesterday })).statusCode).toBe(
      403,
    );
    expect((await req('POST', `/volunteers/${untrained.volunteerId}/qualifications`, untrained, { name: '急救证' })).statusCode).toBe(403);
    expect((await req('POST', `/volunteers/${untrained.volunteerId}/qualifications`, sfAdmin, { name: '急救证', validUntil: '2026-13-01' })).statusCode).toBe(
      400,
    );
    const q = await ok('POST', `/volunteers/${untrained.volunteerId}/qualifications`, sfAdmin, { name: '急救证', validUntil: yesterday });
    expect(q).toMatchObject({ name: '急救证', valid: false, source: 'staff' });

    const startsAt = new Date(now().getTime() + 3 * 24 * HOUR).toISOString();
    const endsAt = new Date(now().getTime() + 3 * 24 * HOUR + 2 * HOUR).toISOString();
    const a = await ok('POST', '/activities', sfAdmin, {
      orgId: t.shifanjie,
      title: '马拉松医疗保障',
      category: 'health',
      startsAt,
      endsAt,
      volunteerQuota: 10,
      publicQuota: 0,
    });
    expect((await req('PUT', `/activities/${a.id}/qualifications`, wblAdmin, { names: ['急救证'] })).statusCode).toBe(403);
    expect((await req('PUT', `/activities/${a.id}/qualifications`, trained, { names: ['急救证'] })).statusCode).toBe(404);
    expect(await ok('PUT', `/activities/${a.id}/qualifications`, sfAdmin, { names: ['急救证'] })).toEqual({ names: ['急救证'] });
    await ok('POST', `/activities/${a.id}/publish`, sfAdmin);
    expect(await ok('GET', `/activities/${a.id}/qualifications`, untrained)).toEqual({ names: ['急救证'] });
    const refused = await req('POST', `/activities/${a.id}/signups`, untrained, { role: 'volunteer' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.message).toContain('急救证');
    expect((await req('POST', `/activities/${a.id}/signups`, trained, { role: 'volunteer' })).statusCode).toBe(201);
    // Revoked: no longer counts.
    const held = (await ok('GET', `/volunteers/${trained.volunteerId}/training`, sfAdmin)).qualifications[0];
    expect((await ok('POST', `/qualifications/${held.id}/revoke`, sfAdmin)).valid).toBe(false);
    expect((await req('POST', `/qualifications/${held.id}/revoke`, sfAdmin)).statusCode).toBe(409);
  });

  it('a cancelled session takes no more sign-ups and tells those signed up', async () => {
    const startsAt = new Date(now().getTime() + 5 * HOUR).toISOString();
    const endsAt = new Date(now().getTime() + 7 * HOUR).toISOString();
    const s = await ok('POST', '/training/sessions', sfAdmin, { courseId: course, orgId: t.shifanjie, address: '活动室', startsAt, endsAt, capacity: 10 });
    await ok('POST', `/training/sessions/${s.id}/signups`, v2);
    // Too early to finish; another district cannot cancel.
    expect((await req('POST', `/training/sessions/${s.id}/finish`, sfAdmin)).statusCode).toBe(422);
    expect((await req('POST', `/training/sessions/${s.id}/cancel`, wblAdmin)).statusCode).toBe(403);
    expect((await ok('POST', `/training/sessions/${s.id}/cancel`, sfAdmin)).state).toBe('cancelled');
    expect((await req('POST', `/training/sessions/${s.id}/signups`, v1)).statusCode).toBe(409);
    const inbox = await ok('GET', '/notifications', v2);
    expect(inbox.items.map((n: { title: string }) => n.title)).toContain('培训已取消：应急救护培训');
  });
});
