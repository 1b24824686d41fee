import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, freshIdNumber, staff, type Tree } from './helpers/fixtures.ts';
import { canonicalJson, contentHash, maskName, newSerial, parseSerial } from '../src/modules/certificates/certificate-rules.ts';
import { newId } from '../src/lib/ids.ts';

describe('certificate rules', () => {
  it('masks names for the public page', () => {
    expect([maskName('张秀英'), maskName('欧阳秀英'), maskName('张英'), maskName('张'), maskName('李')]).toEqual(['张*英', '欧**英', '张*', '*', '*']);
  });
  it('makes serials that carry the city and day and parse back', () => {
    const s = newSerial('1401', '2026-11-23');
    expect(s).toMatch(/^WMZ-1401-20261123-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(parseSerial(s.toLowerCase())).toEqual({ serial: s, cityCode: '1401' });
    expect(parseSerial('WMZ-1401-2026112-ABCDEF')).toBeNull();
    expect(parseSerial("WMZ-1401-20261123-ABCDEF' OR 1=1")).toBeNull();
  });
  it('hashes the canonical form: key order does not matter, values do', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1, b: 2 })).not.toBe(contentHash({ a: 1, b: 3 }));
    expect(contentHash({})).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe.each(DATABASES)('volunteer service certificates on %s', (kind) => {
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

  /** A volunteer at 师范街 with a known ID number (to look for it in public answers). */
  async function volunteerWithId(name: string) {
    const user = await ctx.register(name);
    const idNumber = freshIdNumber('19700512');
    const res = await ctx.request({
      method: 'POST',
      url: '/api/v1/volunteers',
      payload: { realName: name, idNumber, orgId: t.shifanjie, skills: ['health'], politicalStatus: 'party' },
      as: user,
    });
    expect(res.statusCode, res.body).toBe(201);
    return { ...user, volunteerId: res.json().id as string, idNumber };
  }

  /** A pending record inserted as an order or activity would; then verified by staff through the API. */
  async function verifiedRecord(volunteerId: string, hours: number, title = '测试活动', startedAt = '2026-03-05T09:00:00+08:00', teamId: string | null = null) {
    const id = newId();
    await ctx.database.raw.query(
      `INSERT INTO service_records (city_code, id, volunteer_id, org_id, team_id, source_type, source_id, hours, title, started_at, ended_at)
       VALUES ('1401', $1, $2, $3, $4, 'activity', $5, $6, $7, $8, $8::timestamptz + greatest(2, $6::numeric) * interval '1 hour')`,
      [id, volunteerId, t.shifanjie, teamId, newId(), hours, title, startedAt],
    );
    const res = await ctx.request({ method: 'POST', url: `/api/v1/service-records/${id}/verify`, payload: {}, as: xdAdmin });
    expect(res.statusCode, res.body).toBe(200);
    return id;
  }

  const issue = (volunteerId: string, as: Caller | null, headers: Record<string, string> = {}) =>
    ctx.request({ method: 'POST', url: `/api/v1/volunteers/${volunteerId}/certificates`, as, headers });

  it('issues a certificate to the volunteer: five parts, snapshot totals = verified hours, hash of the snapshot', async () => {
    const v = await volunteerWithId('张秀英');
    await verifiedRecord(v.volunteerId, 2.5, '师范街社区义诊', '2026-03-05T09:00:00+08:00');
    await verifiedRecord(v.volunteerId, 1.5, '理论宣讲进社区', '2026-05-20T14:00:00+08:00');
    // A pending record does not count.
    await ctx.database.raw.query(
      `INSERT INTO service_records (city_code, id, volunteer_id, org_id, source_type, source_id, hours, title) VALUES ('1401', $1, $2, $3, 'activity', $4, 3, '待审核')`,
      [newId(), v.volunteerId, t.shifanjie, newId()],
    );

    const res = await issue(v.volunteerId, v);
    expect(res.statusCode, res.body).toBe(201);
    const cert = res.json();
    expect(cert.serial).toMatch(/^WMZ-1401-\d{8}-[0-9A-Z]{6}$/);
    expect(cert.verifyUrl).toMatch(new RegExp(`/verify/${cert.serial}$`));
    const profile = (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}`, as: v })).json();
    expect(profile.totalHours).toBe(4);
    const d = cert.data;
    expect(d.basic).toMatchObject({
      name: '张秀英',
      genderName: expect.stringMatching(/^[男女]$/),
      politicalStatusName: '中共党员',
      site: { id: t.shifanjie, name: '师范街社区新时代文明实践站' },
    });
    expect(d.basic.idNumber).toBe(`${v.idNumber.slice(0, 4)}**********${v.idNumber.slice(-4)}`);
    expect(d.service).toMatchObject({ totalHours: profile.totalHours, recordCount: 2, period: { from: '2026-03-05', to: '2026-05-20' } });
    expect(d.service.bySource).toEqual([{ source: 'activity', name: '文明实践活动', records: 2, hours: 4 }]);
    expect(d.service.byCategory).toEqual([{ category: null, name: '其他服务', records: 2, hours: 4 }]);
    expect(d.service.recent.map((r: { title: string }) => r.title)).toEqual(['理论宣讲进社区', '师范街社区义诊']);
    expect(d.training).toEqual({ records: [], note: '暂无记录', totalHours: 0 });
    expect(d.honours.awards).toEqual([]);
    expect(d.honours).toMatchObject({ star: 0, starName: null });
    expect(d.evaluation).toEqual({ ratedOrders: 0, averageRating: null, note: '暂无评价' });
    expect(d.issuer).toMatchObject({
      note: '本证明由文明实践云平台根据平台记录生成',
      site: { name: '师范街社区新时代文明实践站' },
      center: { id: t.xiaodian, name: '小店区新时代文明实践中心' },
    });
    expect(d.serial).toBe(cert.serial);
    expect(d.issuedAt).toBe(cert.issuedAt);
    expect(cert.contentHash).toBe(contentHash(d));

    // Stored as issued; the full text is readable by the holder and by staff of the subtree.
    const [row] = await ctx.database.raw.query<{ content_hash: string; snapshot: unknown; issued_by: string }>(
      'SELECT content_hash, snapshot, issued_by FROM certificates WHERE serial = $1',
      [cert.serial],
    );
    expect(row!.content_hash).toBe(contentHash(row!.snapshot));
    expect(row!.issued_by).toBe(v.userId);
    expect(JSON.stringify(row!.snapshot)).not.toContain(v.idNumber);
    const full = await ctx.request({ method: 'GET', url: `/api/v1/certificates/${cert.serial}`, as: v });
    expect(full.statusCode).toBe(200);
    expect(full.json()).toMatchObject({ serial: cert.serial, contentHash: cert.contentHash, data: d, allowedActions: [] });
    expect((await ctx.request({ method: 'GET', url: `/api/v1/certificates/${cert.serial.toLowerCase()}`, as: xdDispatcher })).statusCode).toBe(200);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/certificates/${cert.serial}`, as: xdAdmin })).json().allowedActions).toEqual(['revoke']);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/certificates/${cert.serial}`, as: pcAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/certificates/${cert.serial}`, as: null })).statusCode).toBe(401);

    // Later hours do not change the issued certificate.
    await verifiedRecord(v.volunteerId, 1);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/certificates/${cert.serial}`, as: v })).json().data.service.totalHours).toBe(4);
  });

  it('subtree staff issue too; outsiders are refused; every issue has its own serial', async () => {
    const v = await volunteerWithId('王建国');
    await verifiedRecord(v.volunteerId, 3);
    const stranger = await ctx.register('路人');
    expect((await issue(v.volunteerId, pcAdmin)).statusCode).toBe(403);
    expect((await issue(v.volunteerId, stranger)).statusCode).toBe(403);
    expect((await issue(v.volunteerId, null)).statusCode).toBe(401);
    expect((await issue(newId(), xdAdmin)).statusCode).toBe(404);
    const byStaff = await issue(v.volunteerId, xdDispatcher);
    expect(byStaff.statusCode, byStaff.body).toBe(201);
    const byAdmin = await issue(v.volunteerId, xdAdmin);
    const bySelf = await issue(v.volunteerId, v);
    const serials = [byStaff, byAdmin, bySelf].map((r) => r.json().serial);
    expect(new Set(serials).size).toBe(3);
    expect(byStaff.json().data.service.totalHours).toBe(3);

    const list = await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}/certificates?limit=2`, as: v });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((x: { serial: string }) => x.serial)).toEqual([serials[2], serials[1]]);
    expect(list.json().items[0]).toMatchObject({ totalHours: 3, star: 0, revokedAt: null, issuedByName: '王建国' });
    const next = await ctx.request({
      method: 'GET',
      url: `/api/v1/volunteers/${v.volunteerId}/certificates?limit=2&cursor=${encodeURIComponent(list.json().nextCursor)}`,
      as: xdDispatcher,
    });
    expect(next.json()).toMatchObject({ items: [{ serial: serials[0], issuedByName: '小店区调度员' }], nextCursor: null });
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}/certificates`, as: pcAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}/certificates`, as: stranger })).statusCode).toBe(403);

    const audits = await ctx.database.raw.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_logs WHERE action = 'certificate.issue' AND entity_id = ANY($1)",
      [serials],
    );
    expect(audits[0]!.n).toBe(3);
  });

  it('a team leader who is not staff may not issue', async () => {
    const v = await volunteerWithId('队员丙');
    const leader = await ctx.register('队长丙');
    const team = await ctx.request({
      method: 'POST',
      url: '/api/v1/teams',
      payload: { orgId: t.shifanjie, name: '证明测试服务队', tier: 'unit', type: 'social', category: 'health', leaderUserId: leader.userId },
      as: xdAdmin,
    });
    expect(team.statusCode, team.body).toBe(201);
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/teams/${team.json().id}/members`, payload: { volunteerId: v.volunteerId }, as: xdAdmin })).statusCode,
    ).toBe(201);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers/${v.volunteerId}`, as: leader })).statusCode).toBe(200);
    expect((await issue(v.volunteerId, leader)).statusCode).toBe(403);
    // Records of the team's service count under the team's category.
    await verifiedRecord(v.volunteerId, 2, '义诊', '2026-04-01T09:00:00+08:00', team.json().id);
    await verifiedRecord(v.volunteerId, 0.5);
    const d = (await issue(v.volunteerId, v)).json().data;
    expect(d.service.byCategory).toEqual([
      { category: 'health', name: '医疗健身', records: 1, hours: 2 },
      { category: null, name: '其他服务', records: 1, hours: 0.5 },
    ]);
    expect(d.service.totalHours).toBe(2.5);
  });

  it('anyone can verify a serial without signing in, and sees nothing private', async () => {
    const v = await volunteerWithId('李秀兰');
    await verifiedRecord(v.volunteerId, 2);
    const cert = (await issue(v.volunteerId, v)).json();
    const res = await ctx.request({ method: 'GET', url: `/api/v1/certificates/${cert.serial}/verify` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      valid: true,
      serial: cert.serial,
      issuedAt: cert.issuedAt,
      holder: '李*兰',
      site: '师范街社区新时代文明实践站',
      center: '小店区新时代文明实践中心',
      totalHours: 2,
      star: 0,
      contentHash: cert.contentHash,
    });
    const raw = res.body;
    expect(raw).not.toContain(v.phone);
    expect(raw).not.toContain(`${v.phone.slice(0, 3)}****`);
    expect(raw).not.toContain(v.idNumber);
    expect(raw).not.toContain(v.idNumber.slice(6, 14));
    expect(raw).not.toMatch(/phone|idNumber|身份证/i);
    expect(raw).not.toContain('李秀兰');
    expect(raw).not.toContain('**********');
    // Lower case, as typed by hand, works too.
    expect((await ctx.request({ method: 'GET', url: `/api/v1/certificates/${cert.serial.toLowerCase()}/verify` })).statusCode).toBe(200);
    // Unknown and malformed serials: 404.
    const unknown = await ctx.request({ method: 'GET', url: '/api/v1/certificates/WMZ-1401-20260101-ZZZZZZ/verify' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
    expect((await ctx.request({ method: 'GET', url: '/api/v1/certificates/WMZ-9999-20260101-ZZZZZZ/verify' })).statusCode).toBe(404);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/certificates/${encodeURIComponent("x' OR 1=1 --")}/verify` })).statusCode).toBe(404);
  });

  it('a revoked certificate verifies as invalid; only admins of the subtree revoke, once', async () => {
    const v = await volunteerWithId('赵大姐');
    const cert = (await issue(v.volunteerId, v)).json();
    const revoke = (as: Caller, payload: object = { reason: '服务记录已撤销' }) =>
      ctx.request({ method: 'POST', url: `/api/v1/certificates/${cert.serial}/revoke`, payload, as });
    expect((await revoke(v)).statusCode).toBe(403);
    expect((await revoke(xdDispatcher)).statusCode).toBe(403);
    expect((await revoke(pcAdmin)).statusCode).toBe(403);
    expect((await revoke(xdAdmin, {})).statusCode).toBe(400);
    const ok = await revoke(xdAdmin);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ revokedReason: '服务记录已撤销', allowedActions: [] });
    expect((await revoke(xdAdmin)).statusCode).toBe(409);
    const check = await ctx.request({ method: 'GET', url: `/api/v1/certificates/${cert.serial}/verify` });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({ valid: false, reason: 'revoked', serial: cert.serial });
    expect(check.body).not.toContain('赵');
  });

  it('evaluation: the average rating of the orders the volunteer served', async () => {
    const v = await volunteerWithId('刘师傅');
    const resident = await ctx.register('居民');
    for (const rating of [5, 4, null]) {
      const orderId = newId();
      await ctx.database.raw.query(
        `INSERT INTO orders (city_code, id, code, org_id, handling_org_id, requester_id, content, category, nature, urgency, triage, state, accept_due_at, first_accept_due_at, rating)
         VALUES ('1401', $1, $2, $3, $3, $4, '帮忙修水管', 'health', 'service', 'normal', '{}', $5, now(), now(), $6)`,
        [orderId, `T${orderId.slice(-8)}`, t.shifanjie, resident.userId, rating === null ? 'completed' : 'rated', rating],
      );
      await ctx.database.raw.query(`INSERT INTO order_servers (city_code, order_id, volunteer_id) VALUES ('1401', $1, $2)`, [orderId, v.volunteerId]);
    }
    const d = (await issue(v.volunteerId, v)).json().data;
    expect(d.evaluation).toEqual({ ratedOrders: 2, averageRating: 4.5, note: null });
  });

  it('documents the routes in OpenAPI; only the verification is public', async () => {
    const doc = (await ctx.request({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.paths['/api/v1/volunteers/{id}/certificates'].post.security).toBeDefined();
    expect(doc.paths['/api/v1/certificates/{serial}'].get.security).toBeDefined();
    expect(doc.paths['/api/v1/certificates/{serial}/verify'].get.security).toBeUndefined();
    expect(doc.paths['/api/v1/certificates/{serial}/revoke'].post).toBeDefined();
  });

  it('replays the first answer for the same Idempotency-Key', async () => {
    const v = await volunteerWithId('孙志远');
    const first = await issue(v.volunteerId, v, { 'idempotency-key': 'cert-1' });
    const again = await issue(v.volunteerId, v, { 'idempotency-key': 'cert-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().serial).toBe(first.json().serial);
    const n = await ctx.database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM certificates WHERE volunteer_id = $1', [v.volunteerId]);
    expect(n[0]!.n).toBe(1);
  });
});
