/**
 * The authorization matrix (issue 15, "the project's own proof"): every operation of the API's own
 * OpenAPI document, called by each kind of caller against one shared world, must answer as
 * test/authz/table.ts declares — "allow" is any answer but 401/403 (and but a 404 that hides an
 * existing object), "deny" is 401/403/404 (anonymous: 401). The test fails on an operation of the
 * document missing from the table and on a row of the table that is no operation.
 *
 * The world: two districts of 太原 (小店区, the objects' district, and 万柏林区). Every object with
 * an `{id}` lives in 小店区, so the "other district's org_admin" column is the IDOR probe of every
 * `{id}` route (and of every body naming an 小店区 object). What each caller is to the objects:
 * - resident: the order's requester and the booking's booker (no other relation);
 * - volunteer: the volunteer whose profile is `{id}` (reported in at 师范街), a member (not the
 *   leader) of the team, signed up to the activity, holder of the redemption and the certificate;
 * - dept officer: officer of an 小店区 department (the order is not forwarded to it);
 * - org_admin of 万柏林区 / of 小店区 (not the one who created the objects: a second org_admin,
 *   so approvals "by another person" are theirs to give); super admin.
 *
 * Within one operation the cells run in the table's column order; a cell may consume the object
 * (a DELETE, a revoke): an allowed cell's 404 after an earlier 2xx on the same operation counts as
 * allowed. `AUTHZ_RECORD=1` prints the observed rows in the table's syntax instead of failing.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ADMIN_PHONE, createTestContext, DATABASES, freshPhone, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, freshIdNumber, volunteer } from './helpers/fixtures.ts';
import { buildCases, listOperations, plausible, type FuzzCase, type OpenApiDocument, type Operation, type World } from './helpers/fuzz.ts';
import { AUTHZ_TABLE, ROLES, type Role } from './authz/table.ts';
import { creditCodeCheckChar } from '@wenming/domain';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5fd3a5b0000000049454e44ae426082',
  'hex',
);
const RECORD = Boolean(process.env.AUTHZ_RECORD);

const multipart = (name: string, type: string, data: Buffer) => {
  const boundary = 'b-authz';
  return {
    payload: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
};

interface Account {
  caller: Caller | null;
  phone: string;
  password: string;
}

/** What a cell's answer means: allowed, refused, or "not found" (hidden or consumed). */
const verdict = (status: number): 'allow' | 'deny' | 'gone' => (status === 401 || status === 403 ? 'deny' : status === 404 ? 'gone' : 'allow');

/** Operations whose 401 judges the credentials in the body (an activation code), not the caller: there a 401 is the route's answer to a caller let in. */
const CREDENTIAL_CHECKS = new Set(['POST /api/v1/auth/activate', 'POST /api/v1/auth/sms-login', 'POST /api/v1/auth/password-reset']);

describe.each(DATABASES)('authorization matrix over every operation of /api/v1/openapi.json on %s', (kind) => {
  let ctx: TestContext;
  let ops: Operation[];
  let world: World;
  const accounts = {} as Record<Role, Account>;
  let sampleCsv = '';
  /** A file in the national volunteer system's layout (modules/exchange). */
  let nationalXlsx = Buffer.alloc(0);
  let pickupCode = '';
  let signupId = '';
  let trainingSignupId = '';
  /** The bodies the world's objects were created with: the matrix sends the same to the create operations. */
  const fixtureBodies: Record<string, Record<string, unknown>> = {};

  const bodies: string[] = [];
  async function send(c: FuzzCase, as: Caller | null): Promise<number> {
    const headers = { ...c.headers, ...(as ? { authorization: `Bearer ${as.token}` } : {}) };
    const res = await ctx.app.inject({ method: c.method as 'GET', url: c.url, payload: c.payload, headers, payloadAsStream: true });
    const stream = res.stream();
    if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      stream.destroy();
      (res.raw.res as unknown as { req?: NodeJS.EventEmitter }).req?.emit('close');
      return res.statusCode;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    if (RECORD && res.statusCode === 400)
      bodies.push(`${c.method} ${c.url} ${c.payload?.toString().slice(0, 300)} → ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`);
    return res.statusCode;
  }

  /** The request a role sends for an operation: the document's plausible request, adjusted where the operation needs the caller's own data. */
  function requestFor(o: Operation, role: Role): FuzzCase {
    const base = buildCases(o, world, 0)[0]!;
    const a = accounts[role];
    const json = (body: unknown): FuzzCase => ({ ...base, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    switch (o.key) {
      case 'POST /api/v1/auth/login':
        return json({ phone: accounts.resident.phone, password: accounts.resident.password });
      case 'POST /api/v1/auth/register':
        return json({ phone: freshPhone(), password: 'password123', name: '新居民' });
      case 'POST /api/v1/auth/password':
        return json({ oldPassword: a.password, newPassword: a.password });
      case 'POST /api/v1/auth/sms-login':
        return json({ phone: accounts.resident.phone, code: '000000' });
      case 'POST /api/v1/auth/password-reset':
        return json({ phone: accounts.resident.phone, code: '000000', newPassword: 'password123' });
      case 'POST /api/v1/evaluation-indicators':
        return json({ ...fixtureBodies[o.path], code: `authz_${role}` });
      case 'POST /api/v1/activities/{id}/attendance':
        return json({ ...(JSON.parse(String(base.payload)) as object), signupId });
      case 'POST /api/v1/training/sessions/{id}/attendance':
        return json({ signupId: trainingSignupId, reason: '未带手机，现场核实' });
      case 'POST /api/v1/orgs':
        return json({ parentId: world.ids.orgs, level: 'point', name: '新实践点' });
      case 'POST /api/v1/users/{id}/roles':
        return json({ role: 'dispatcher', orgId: world.ids.orgs });
      case 'POST /api/v1/orders/{id}/dispatch':
        return json({ teamId: world.ids.teams });
      case 'POST /api/v1/orders/{id}/reassign':
        return json({ teamId: world.ids.teams, reason: '原队伍人手不足，改派' });
      case 'PATCH /api/v1/activities/{id}':
        return json({ title: '改过的活动名称' });
      case 'PATCH /api/v1/contents/{id}':
        return json({ title: '改过的标题' });
      case 'POST /api/v1/auth/activate':
        return json({ phone: accounts.volunteer.phone, code: '12345678', password: 'password123' });
      case 'GET /api/v1/redemptions':
        return { ...base, url: `${base.url.split('?')[0]}?pickupCode=${pickupCode}` };
      case 'POST /api/v1/redemptions/{id}/fulfill':
        return json({ pickupCode });
      case 'PUT /api/v1/points/rules':
        return json({ orgId: world.params.orgId, pointsPerHour: 12 });
      case 'POST /api/v1/uploads':
        return { ...base, ...multipart('a.png', 'image/png', PNG) };
      case 'POST /api/v1/volunteers/imports':
        return { ...base, ...multipart('v.csv', 'text/csv', Buffer.from(sampleCsv)) };
      case 'POST /api/v1/exchange/national/imports':
        return { ...base, ...multipart('n.xlsx', 'application/octet-stream', nationalXlsx) };
      default:
        return o.method === 'POST' && fixtureBodies[o.path] ? json(fixtureBodies[o.path]) : base;
    }
  }

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    const t = await buildTree(ctx);
    const admin = ctx.admin;
    const grant = async (userId: string, body: Record<string, unknown>) => {
      const res = await ctx.request({ method: 'POST', url: `/api/v1/users/${userId}/roles`, payload: body, as: admin });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const person = async (name: string) => {
      const u = await ctx.register(name);
      return { ...u, password: 'password123' };
    };

    // The callers.
    const creatorUser = await person('小店区管理员甲');
    await grant(creatorUser.userId, { role: 'org_admin', orgId: t.xiaodian });
    const creator = await ctx.login(creatorUser.phone, 'password123');
    const ownAdmin = await person('小店区管理员乙');
    await grant(ownAdmin.userId, { role: 'org_admin', orgId: t.xiaodian });
    const otherAdmin = await person('万柏林区管理员');
    await grant(otherAdmin.userId, { role: 'org_admin', orgId: t.wanbailin });
    const resident = await person('居民');
    const vol = await volunteer(ctx, t.shifanjie, { name: '志愿者' });
    const leader = await volunteer(ctx, t.shifanjie, { name: '队长' });
    const dispatcherUser = await ctx.register('调度员');
    const dispatcherGrant = await grant(dispatcherUser.userId, { role: 'dispatcher', orgId: t.shifanjie });

    const docRes = await ctx.request({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(docRes.statusCode).toBe(200);
    const doc = docRes.json<OpenApiDocument>();
    // Operations that end an object's life run last, so that the others meet it alive; signing up
    // for the activity (and a training session) runs after check-in and check-out, so that those meet callers not signed up.
    const rank = (o: Operation) =>
      o.method === 'DELETE' || /\/(cancel|retire|finish|end|withdraw|revoke|reject|suspend|logout)$/.test(o.path)
        ? 2
        : o.key === 'POST /api/v1/activities/{id}/signups' || o.key === 'POST /api/v1/training/sessions/{id}/signups'
          ? 1
          : 0;
    ops = listOperations(doc).sort((x, y) => rank(x) - rank(y));

    const day = 86_400_000;
    const at = (ms: number) => new Date(Math.floor((testNow().getTime() + ms) / 3_600_000) * 3_600_000).toISOString();
    world = {
      ids: { orgs: t.shifanjie, users: dispatcherUser.userId, volunteers: vol.volunteerId },
      params: { grantId: dispatcherGrant, orgId: t.xiaodian, volunteerId: vol.volunteerId, code: 'household' },
      now: testNow,
      phone: freshPhone,
      idNumber: () => freshIdNumber(),
    };
    const create = async (collection: string, path: string, as: Caller, overrides: Record<string, unknown> = {}) => {
      const schema = doc.paths[path]?.post?.requestBody?.content['application/json']?.schema;
      const body = { ...(plausible(schema, '', world) as Record<string, unknown>), ...overrides };
      fixtureBodies[path] = body;
      const res = await ctx.request({ method: 'POST', url: path, payload: body, as });
      expect(res.statusCode, `fixture ${collection}: ${res.body}`).toBeLessThan(300);
      world.ids[collection] = res.json<{ id: string }>().id;
      return res;
    };
    const ok = async (opts: Parameters<TestContext['request']>[0]) => {
      const res = await ctx.request(opts);
      expect(res.statusCode, `${opts.method} ${JSON.stringify(opts.url)}: ${res.body}`).toBeLessThan(300);
      return res;
    };

    await create('departments', '/api/v1/departments', creator, { orgId: t.xiaodian });
    const officer = await person('住建局专员');
    await grant(officer.userId, { role: 'dept_officer', departmentId: world.ids.departments });
    await create('teams', '/api/v1/teams', creator, { orgId: t.shifanjie, leaderUserId: leader.userId, category: 'health' });
    await ok({ method: 'POST', url: `/api/v1/teams/${world.ids.teams}/members`, payload: { volunteerId: vol.volunteerId }, as: creator });
    // A volunteer organisation of 师范街 (issue 21), and the volunteer's pending request to join it.
    await create('organisations', '/api/v1/organisations', creator, {
      orgId: t.shifanjie,
      creditCode: `52140105MJ0000001${creditCodeCheckChar('52140105MJ0000001')}`,
      contactPhone: freshPhone(),
      categories: ['health'],
      serviceOrgIds: [t.shifanjie],
    });
    await create('join-requests', '/api/v1/join-requests', vol, { organisationId: world.ids.organisations });
    await create('orders', '/api/v1/orders', resident, { content: '楼道灯坏了，晚上看不见路', orgId: t.shifanjie });
    await create('activities', '/api/v1/activities', creator, {
      orgId: t.shifanjie,
      teamId: undefined,
      resourceId: undefined,
      startsAt: at(2 * day),
      endsAt: at(2 * day + 7_200_000),
      volunteerQuota: 5,
      publicQuota: 5,
    });
    await ok({ method: 'POST', url: `/api/v1/activities/${world.ids.activities}/publish`, as: creator });
    const signup = await ok({ method: 'POST', url: `/api/v1/activities/${world.ids.activities}/signups`, payload: { role: 'volunteer' }, as: vol });
    signupId = signup.json<{ id: string }>().id;
    const types = (await ctx.request({ method: 'GET', url: '/api/v1/resource-types' })).json<{ code: string }[]>();
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
    await create('resources', '/api/v1/resources', creator, {
      orgId: t.shifanjie,
      type: types[0]?.code,
      bookable: true,
      requiresApproval: true,
      openHours: allDay,
    });
    const booking = await ok({
      method: 'POST',
      url: `/api/v1/resources/${world.ids.resources}/bookings`,
      payload: { startsAt: at(day), endsAt: at(day + 3_600_000), purpose: '排练' },
      as: resident,
    });
    world.ids.bookings = booking.json<{ id: string }>().id;
    await create('rewards', '/api/v1/rewards', creator, { orgId: t.shifanjie, cost: 1, stock: 50 });
    await create('service-records', '/api/v1/service-records', creator, {
      volunteerId: vol.volunteerId,
      hours: 2,
      startedAt: at(-2 * day),
      endedAt: at(-2 * day + 7_200_000),
    });
    await create('content-columns', '/api/v1/content-columns', creator, { orgId: t.xiaodian });
    await create('contents', '/api/v1/contents', creator, { orgId: t.xiaodian });
    await create('residents', '/api/v1/pairing/residents', creator, { orgId: t.shifanjie });
    await create('plans', '/api/v1/pairing/plans', creator, { volunteerId: vol.volunteerId, rules: { weekly: [{ weekday: 1, time: '09:00' }] } });
    const tasks = await ok({ method: 'GET', url: `/api/v1/pairing/plans/${world.ids.plans}/tasks`, as: creator });
    world.ids.tasks = tasks.json<{ items: { id: string }[] }>().items[0]!.id;
    await create('evaluation-indicators', '/api/v1/evaluation-indicators', creator, {
      orgId: t.xiaodian,
      code: 'authz_ind',
      weight: 100,
      levels: ['institute'],
    });
    // Points for the volunteer, earned in 小店区: an adjustment one admin asks for and the other approves.
    await create('adjustments', '/api/v1/points/adjustments', creator, { userId: vol.userId, orgId: t.shifanjie, delta: 50, reason: '补录积分' });
    await ok({ method: 'POST', url: `/api/v1/points/adjustments/${world.ids.adjustments}/approve`, as: admin });
    // A second adjustment, pending, for the matrix's approve/reject cells.
    await create('adjustments', '/api/v1/points/adjustments', creator, { userId: vol.userId, orgId: t.shifanjie, delta: 5, reason: '补录积分' });
    // 培训: a lecturer, a course granting 急救证, a session in two days the volunteer signed up for, a qualification of theirs.
    await create('lecturers', '/api/v1/training/lecturers', creator, { orgId: t.shifanjie, resourceId: undefined });
    await create('courses', '/api/v1/training/courses', creator, { orgId: t.shifanjie, hours: 2, qualification: '急救证', qualificationMonths: 24 });
    await create('sessions', '/api/v1/training/sessions', creator, {
      orgId: t.shifanjie,
      startsAt: at(2 * day),
      endsAt: at(2 * day + 7_200_000),
      capacity: 30,
    });
    trainingSignupId = (await ok({ method: 'POST', url: `/api/v1/training/sessions/${world.ids.sessions}/signups`, as: vol })).json<{ id: string }>().id;
    const qualification = await ok({ method: 'POST', url: `/api/v1/volunteers/${vol.volunteerId}/qualifications`, payload: { name: '急救证' }, as: creator });
    world.ids.qualifications = qualification.json<{ id: string }>().id;
    // 评选: a round of 小店区 open for voting (days around today in any zone), with 师范街's nomination of the volunteer, approved.
    const dayOf = (ms: number) => new Date(testNow().getTime() + ms).toISOString().slice(0, 10);
    await create('rounds', '/api/v1/honours/rounds', creator, { orgId: t.xiaodian, kind: 'volunteer', votingStartsOn: dayOf(-day), votingEndsOn: dayOf(day) });
    const nomination = await ok({
      method: 'POST',
      url: `/api/v1/honours/rounds/${world.ids.rounds}/nominations`,
      payload: { orgId: t.shifanjie, volunteerId: vol.volunteerId, reason: '常年服务社区老人' },
      as: creator,
    });
    world.ids.nominations = nomination.json<{ id: string }>().id;
    await ok({ method: 'POST', url: `/api/v1/honours/nominations/${world.ids.nominations}/review`, payload: { decision: 'approve' }, as: creator });
    await ok({ method: 'POST', url: `/api/v1/honours/rounds/${world.ids.rounds}/open-voting`, as: creator });
    const redemption = await ok({ method: 'POST', url: `/api/v1/rewards/${world.ids.rewards}/redeem`, payload: { quantity: 1 }, as: vol });
    world.ids.redemptions = redemption.json<{ id: string }>().id;
    pickupCode = redemption.json<{ pickupCode: string }>().pickupCode;
    await create('service-items', '/api/v1/service-items', creator, { orgId: t.shifanjie, teamIds: [] });
    const upload = await ok({ method: 'POST', url: '/api/v1/uploads', ...multipart('a.png', 'image/png', PNG), as: creator });
    world.ids.uploads = upload.json<{ id: string }>().id;
    sampleCsv = `姓名,身份证号,手机号,报到阵地\n导入者,${freshIdNumber()},${freshPhone()},师范街社区新时代文明实践站\n`;
    const national = new ExcelJS.Workbook();
    national.addWorksheet('志愿者信息').addRows([
      ['姓名', '证件号码', '手机号码'],
      ['全国库志愿者', freshIdNumber(), freshPhone()],
    ]);
    nationalXlsx = Buffer.from(await national.xlsx.writeBuffer());
    const imported = await ok({ method: 'POST', url: '/api/v1/volunteers/imports', ...multipart('v.csv', 'text/csv', Buffer.from(sampleCsv)), as: creator });
    world.ids.imports = imported.json<{ id: string }>().id;
    const cert = await ok({ method: 'POST', url: `/api/v1/volunteers/${vol.volunteerId}/certificates`, as: creator });
    world.params.serial = cert.json<{ serial: string }>().serial;
    // A notice in every inbox would be per caller; the id names the volunteer's (the redemption's notice, if any).
    const inbox = await ok({ method: 'GET', url: '/api/v1/notifications', as: vol });
    const notice = inbox.json<{ items: { id: string }[] }>().items[0];
    if (notice) world.ids.notifications = notice.id;

    const officerCaller = await ctx.login(officer.phone, 'password123');
    accounts.anonymous = { caller: null, phone: '', password: '' };
    accounts.resident = { caller: resident, phone: resident.phone, password: 'password123' };
    accounts.volunteer = { caller: vol, phone: vol.phone, password: 'password123' };
    accounts.deptOfficer = { caller: officerCaller, phone: officer.phone, password: 'password123' };
    accounts.otherOrgAdmin = { caller: await ctx.login(otherAdmin.phone, 'password123'), phone: otherAdmin.phone, password: 'password123' };
    accounts.orgAdmin = { caller: await ctx.login(ownAdmin.phone, 'password123'), phone: ownAdmin.phone, password: 'password123' };
    accounts.admin = { caller: admin, phone: ADMIN_PHONE, password: ADMIN_PASSWORD };
  });
  afterAll(() => ctx?.close());

  it('the table has one row per operation of the document, and no other', () => {
    const keys = ops.map((o) => o.key);
    expect(keys.length).toBeGreaterThan(100);
    const missing = keys.filter((k) => !AUTHZ_TABLE[k]);
    expect(missing, 'operations missing from test/authz/table.ts: add a row for each').toEqual([]);
    const stale = Object.keys(AUTHZ_TABLE).filter((k) => !keys.includes(k));
    expect(stale, 'rows of test/authz/table.ts that are no operation any more').toEqual([]);
    for (const [k, row] of Object.entries(AUTHZ_TABLE)) expect(row, k).toMatch(/^[AD]{7}$/);
    // IDOR: on a route about one object, another district's org_admin may do no more than any
    // resident may (a published activity, a resource's calendar): no staff power crosses districts.
    const other = ROLES.indexOf('otherOrgAdmin');
    const resident = ROLES.indexOf('resident');
    const crossing = Object.entries(AUTHZ_TABLE).filter(([k, row]) => /\{\w+\}/.test(k) && row[other] === 'A' && row[resident] !== 'A');
    expect(
      crossing.map(([k]) => k),
      "routes where another district's org_admin gets more than a resident",
    ).toEqual([]);
  });

  it('every cell answers as the table declares', async () => {
    const failures: string[] = [];
    const observed: string[] = [];
    for (const o of ops) {
      let consumed = false;
      let seen = '';
      const statuses: number[] = [];
      const row = AUTHZ_TABLE[o.key];
      for (const [i, role] of ROLES.entries()) {
        const a = accounts[role];
        const c = requestFor(o, role);
        const status = await send(c, a.caller);
        const v = CREDENTIAL_CHECKS.has(o.key) && status === 401 ? 'allow' : verdict(status);
        const got = v === 'allow' || (v === 'gone' && consumed) ? 'A' : 'D';
        seen += got;
        statuses.push(status);
        if (status < 300 && o.method === 'DELETE') consumed = true;
        // A 400 says nothing about authorization: the matrix's requests must be valid ones.
        if (status === 400 && a.caller) failures.push(`${o.key} as ${role}: 400, the matrix's request is not a valid one`);
        const want = row?.[i];
        if (want && got !== want) failures.push(`${o.key} as ${role}: declared ${want === 'A' ? 'allow' : 'deny'}, answered ${status}`);
        // Signed out by the cell (logout) or by a password change: sign in again.
        if (a.caller && (o.key === 'POST /api/v1/auth/logout' || status === 401)) a.caller = await ctx.login(a.phone, a.password);
      }
      observed.push(`  '${o.key}': '${seen}', // ${statuses.join(' ')}`);
    }
    if (RECORD) console.info([...observed, ...new Set(bodies), ...failures.filter((f) => f.includes(' 400,'))].join('\n'));
    else expect(failures, `${failures.length} cells differ from test/authz/table.ts`).toEqual([]);
  }, 600_000);
});
