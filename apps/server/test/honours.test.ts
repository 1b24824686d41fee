import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '@wenming/domain';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';

type Vol = Caller & { volunteerId: string; userId: string };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(DATABASES)('honours and selections (评选表彰) on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let shift = 0;
  const now = () => new Date(testNow().getTime() + shift);
  let cityAdmin: Caller; // 太原市 org_admin: organises the round
  let sfAdmin: Caller; // 师范街 org_admin: nominates
  let wblAdmin: Caller; // 万柏林区 org_admin
  let pcAdmin: Caller; // 平城区 (another city)
  let star: Vol;
  let other: Vol;
  let voters: Caller[];
  let round: string;
  let nomination: string;

  const req = (method: 'GET' | 'POST', url: string, as: Caller | null, payload?: object) => ctx.request({ method, url: `/api/v1${url}`, as, payload });
  const ok = async (method: 'GET' | 'POST', url: string, as: Caller | null, payload?: object) => {
    const res = await req(method, url, as, payload);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  const day = (offset: number) => localDate(new Date(now().getTime() + offset * DAY));

  beforeAll(async () => {
    ctx = await createTestContext(kind, {}, { clock: now });
    t = await buildTree(ctx);
    cityAdmin = await staff(ctx, 'org_admin', t.taiyuan, '太原市管理员');
    sfAdmin = await staff(ctx, 'org_admin', t.shifanjie, '师范街管理员');
    wblAdmin = await staff(ctx, 'org_admin', t.wanbailin, '万柏林区管理员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng, '平城区管理员');
    star = await volunteer(ctx, t.shifanjie, { name: '赵海生' });
    other = await volunteer(ctx, t.shifanjie, { name: '刘芳' });
    voters = [await ctx.register('投票人甲'), await ctx.register('投票人乙'), await ctx.register('投票人丙')];
  });
  afterAll(() => ctx?.close());

  it('a round is organised by a site; sites below it nominate their own volunteers; the organiser reviews', async () => {
    expect(
      (
        await req('POST', '/honours/rounds', sfAdmin, {
          orgId: t.taiyuan,
          title: '平城最美志愿者',
          kind: 'volunteer',
          votingStartsOn: day(0),
          votingEndsOn: day(7),
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await req('POST', '/honours/rounds', cityAdmin, { orgId: t.taiyuan, title: '', kind: 'volunteer', votingStartsOn: day(0), votingEndsOn: day(7) }))
        .statusCode,
    ).toBe(400);
    expect(
      (await req('POST', '/honours/rounds', cityAdmin, { orgId: t.taiyuan, title: 'x', kind: 'volunteer', votingStartsOn: day(7), votingEndsOn: day(0) }))
        .statusCode,
    ).toBe(400);
    const r = await ok('POST', '/honours/rounds', cityAdmin, {
      orgId: t.taiyuan,
      title: '太原最美志愿者',
      kind: 'volunteer',
      description: '每年评选一次',
      votingStartsOn: day(0),
      votingEndsOn: day(7),
    });
    expect(r).toMatchObject({ state: 'nominating', nominationCount: 0 });
    expect(r.allowedActions).toContain('openVoting');
    round = r.id;
    // While nominating, the public does not see it; the sites below do.
    expect((await req('GET', `/honours/rounds/${round}`, voters[0]!)).statusCode).toBe(404);
    expect((await ok('GET', `/honours/rounds/${round}`, sfAdmin)).allowedActions).toContain('nominate');
    expect((await ok('GET', '/honours/rounds', voters[0]!)).items.map((x: { id: string }) => x.id)).not.toContain(round);
    expect((await ok('GET', '/honours/rounds', sfAdmin)).items.map((x: { id: string }) => x.id)).toContain(round);
    expect((await req('GET', `/honours/rounds/${round}`, pcAdmin)).statusCode).toBe(404);

    // 万柏林区 may not nominate 师范街's volunteer; 师范街 may not nominate for a site it does not manage.
    const body = { orgId: t.shifanjie, volunteerId: star.volunteerId, reason: '十年如一日照顾社区独居老人' };
    expect((await req('POST', `/honours/rounds/${round}/nominations`, wblAdmin, body)).statusCode).toBe(403);
    expect((await req('POST', `/honours/rounds/${round}/nominations`, wblAdmin, { ...body, orgId: t.wanbailin })).statusCode).toBe(400);
    expect((await req('POST', `/honours/rounds/${round}/nominations`, star, body)).statusCode).toBe(404);
    const n = await ok('POST', `/honours/rounds/${round}/nominations`, sfAdmin, body);
    expect(n).toMatchObject({ status: 'pending', nominee: { kind: 'volunteer', name: '赵海生' }, votes: 0 });
    nomination = n.id;
    expect((await req('POST', `/honours/rounds/${round}/nominations`, sfAdmin, body)).statusCode).toBe(409);
    const second = await ok('POST', `/honours/rounds/${round}/nominations`, sfAdmin, { ...body, volunteerId: other.volunteerId, reason: '热心' });

    // Review: the organiser only.
    expect((await req('POST', `/honours/nominations/${nomination}/review`, sfAdmin, { decision: 'approve' })).statusCode).toBe(403);
    expect((await ok('POST', `/honours/nominations/${nomination}/review`, cityAdmin, { decision: 'approve' })).status).toBe('approved');
    expect((await req('POST', `/honours/nominations/${nomination}/review`, cityAdmin, { decision: 'approve' })).statusCode).toBe(409);
    expect((await ok('POST', `/honours/nominations/${second.id}/review`, cityAdmin, { decision: 'reject', note: '材料不全' })).status).toBe('rejected');
    // Votes wait for the voting stage.
    expect((await req('POST', `/honours/nominations/${nomination}/votes`, voters[0]!)).statusCode).toBe(404);
    expect((await ok('POST', `/honours/rounds/${round}/open-voting`, cityAdmin)).state).toBe('voting');
    expect((await req('POST', `/honours/rounds/${round}/nominations`, sfAdmin, { ...body, volunteerId: other.volunteerId })).statusCode).toBe(409);
  });

  it('the public sees the approved nominations and votes once a day per round: concurrent votes from one account count once', async () => {
    const pub = await ok('GET', `/honours/rounds/${round}`, voters[0]!);
    expect(pub.nominations.map((n: { id: string }) => n.id)).toEqual([nomination]);
    expect(pub.nominations[0].reviewNote).toBeNull();
    expect(pub.allowedActions).toContain('vote');
    // Eight votes at once from one account: exactly one counts, the others are 409.
    const race = await Promise.all(Array.from({ length: 8 }, () => req('POST', `/honours/nominations/${nomination}/votes`, voters[0]!)));
    const codes = race.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(7);
    // The same person signed in again (another session of the same phone) is the same account.
    const again = await req('POST', `/honours/nominations/${nomination}/votes`, voters[0]!);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('今天已');
    // Other accounts each count; a rejected nomination takes no votes.
    await ok('POST', `/honours/nominations/${nomination}/votes`, voters[1]!);
    expect((await ok('GET', `/honours/rounds/${round}`, voters[1]!)).votedToday).toBe(true);
    const all = await ok('GET', `/honours/rounds/${round}`, cityAdmin);
    const rejected = all.nominations.find((n: { status: string }) => n.status === 'rejected');
    expect((await req('POST', `/honours/nominations/${rejected.id}/votes`, voters[2]!)).statusCode).toBe(404);
    expect(all.nominations.find((n: { id: string }) => n.id === nomination).votes).toBe(2);
    // The next day the first account may vote again; after the voting days, nobody.
    shift = DAY;
    await ok('POST', `/honours/nominations/${nomination}/votes`, voters[0]!);
    shift = 9 * DAY;
    expect((await req('POST', `/honours/nominations/${nomination}/votes`, voters[2]!)).statusCode).toBe(422);
    shift = 0;
    expect((await ok('GET', `/honours/rounds/${round}`, cityAdmin)).nominations.find((n: { id: string }) => n.id === nomination).votes).toBe(3);
  });

  it('awards and closes; the honour roll, the volunteer record and the certificate show the honour and the training', async () => {
    expect((await req('POST', `/honours/nominations/${nomination}/award`, sfAdmin, { award: '十佳' })).statusCode).toBe(403);
    expect((await ok('POST', `/honours/nominations/${nomination}/award`, cityAdmin, { award: '十佳最美志愿者' })).status).toBe('awarded');
    // Not on the roll until the round closes.
    expect((await ok('GET', '/honours/roll', voters[0]!)).items).toEqual([]);
    expect((await ok('POST', `/honours/rounds/${round}/close`, cityAdmin)).state).toBe('closed');
    expect((await req('POST', `/honours/rounds/${round}/close`, cityAdmin)).statusCode).toBe(409);
    const roll = await ok('GET', '/honours/roll', voters[0]!);
    expect(roll.items).toMatchObject([
      { roundTitle: '太原最美志愿者', award: '十佳最美志愿者', nominee: { name: '赵海生' }, orgName: '师范街社区新时代文明实践站' },
    ]);
    expect((await ok('GET', `/volunteers/${star.volunteerId}/honours`, star)).items).toHaveLength(1);
    expect((await req('GET', `/volunteers/${star.volunteerId}/honours`, other)).statusCode).toBe(403);

    // A training of two hours, attended and finished.
    const course = await ok('POST', '/training/courses', sfAdmin, { orgId: t.shifanjie, title: '党史宣讲骨干培训', category: '理论宣讲', hours: 2 });
    const s = await ok('POST', '/training/sessions', sfAdmin, {
      courseId: course.id,
      orgId: t.shifanjie,
      address: '师范街社区活动室',
      startsAt: new Date(now().getTime() + HOUR).toISOString(),
      endsAt: new Date(now().getTime() + 3 * HOUR).toISOString(),
      capacity: 20,
    });
    const signup = await ok('POST', `/training/sessions/${s.id}/signups`, star);
    shift = 1.5 * HOUR;
    await ok('POST', `/training/sessions/${s.id}/attendance`, sfAdmin, { signupId: signup.id, reason: '手机没电，现场核实' });
    await ok('POST', `/training/sessions/${s.id}/finish`, sfAdmin);
    shift = 0;

    const cert = await ok('POST', `/volunteers/${star.volunteerId}/certificates`, star);
    expect(cert.data.training).toMatchObject({ records: [{ name: '党史宣讲骨干培训', hours: 2 }], note: null, totalHours: 2 });
    expect(cert.data.honours.awards).toMatchObject([{ round: '太原最美志愿者', award: '十佳最美志愿者' }]);
    expect(cert.data.honours.note).toBeNull();
    // Another volunteer's certificate still reads 暂无记录.
    const plain = await ok('POST', `/volunteers/${other.volunteerId}/certificates`, other);
    expect(plain.data.training).toMatchObject({ records: [], note: '暂无记录' });
    expect(plain.data.honours.awards).toEqual([]);
  });
});
