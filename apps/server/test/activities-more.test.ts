import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { testNow } from './helpers/clock.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { createCheckinCodes } from '../src/modules/activities/checkin-codes.ts';
import { deriveKey } from '../src/lib/pii.ts';
import { testConfig } from '../src/config.ts';

const inMinutes = (m: number) => new Date(testNow().getTime() + m * 60_000).toISOString();
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5fd3a5b0000000049454e44ae426082',
  'hex',
);
/** The API's ISO time as the sheet shows it: China wall clock to the minute. */
const wall = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');
const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

const HEADER = ['身份', '姓名', '手机号', '报名状态', '候补顺位', '报名时间', '签到时间', '签退时间', '出勤比例（%）', '时长（小时）', '补录说明'];

async function readSheet(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push(HEADER.map((_, i) => row.getCell(i + 1).text)));
  return { name: ws.name, count: wb.worksheets.length, frozen: ws.views[0], rows };
}

type ListRow = {
  id: string;
  name: string;
  role: string;
  status: string;
  checkinAt: string | null;
  checkoutAt: string | null;
  hours: number | null;
  attendanceNote: string | null;
};

describe.each(DATABASES)('activities: series, drafts, pictures, ratings, reports, reminders, sign-up exports on %s', (kind) => {
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

  const base = () => ({
    orgId: t.shifanjie,
    title: '太极拳班',
    category: 'health',
    startsAt: inMinutes(60 * 24 * 2),
    endsAt: inMinutes(60 * 24 * 2 + 90),
    volunteerQuota: 2,
    publicQuota: 20,
  });
  const post = (payload: object, as: Caller = organizer) => ctx.request({ method: 'POST', url: '/api/v1/activities', payload, as });
  async function upload(as: Caller) {
    const boundary = 'b-wenming';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
      PNG,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await ctx.request({
      method: 'POST',
      url: '/api/v1/uploads',
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      as,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }

  it('creates a weekly class as a series of drafts a week apart and publishes the whole series', async () => {
    const res = await post({ ...base(), repeatWeeks: 4 });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.occurrenceIds).toHaveLength(4);
    expect(body.seriesId).toBe(body.id);
    const list = (await ctx.request({ method: 'GET', url: `/api/v1/activities?seriesId=${body.seriesId}`, as: organizer })).json().items;
    expect(list.map((a: { startsAt: string }) => Date.parse(a.startsAt) - Date.parse(list[0].startsAt))).toEqual(
      [0, 1, 2, 3].map((k) => k * 7 * 24 * 3600_000),
    );
    expect(list.every((a: { state: string }) => a.state === 'draft')).toBe(true);
    const pub = await ctx.request({ method: 'POST', url: `/api/v1/activities/${body.id}/publish`, payload: { series: true }, as: organizer });
    expect(pub.statusCode, pub.body).toBe(200);
    const after = (await ctx.request({ method: 'GET', url: `/api/v1/activities?seriesId=${body.seriesId}`, as: organizer })).json().items;
    expect(after.map((a: { state: string }) => a.state)).toEqual(['published', 'published', 'published', 'published']);
    expect((await post({ ...base(), repeatWeeks: 53 })).statusCode).toBe(400);
    expect((await post({ ...base(), repeatWeeks: 1 })).statusCode).toBe(400);
  });

  it('edits drafts only, checking the merged activity, with pictures that exist', async () => {
    const photo = await upload(organizer);
    const draft = (await post({ ...base(), photoIds: [photo] })).json();
    expect(draft.photoIds).toEqual([photo]);
    const patch = (payload: object, as: Caller = organizer) => ctx.request({ method: 'PATCH', url: `/api/v1/activities/${draft.id}`, payload, as });
    const ok = await patch({ title: '太极拳班（秋季）', publicQuota: 25, startsAt: inMinutes(60 * 24 * 3), endsAt: inMinutes(60 * 24 * 3 + 60) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ title: '太极拳班（秋季）', publicQuota: 25 });
    // The deadline follows the new start.
    expect(ok.json().signupDeadline).toBe(ok.json().startsAt);
    // An end before the (stored) start is refused, as is a picture that does not exist.
    const bad = await patch({ endsAt: inMinutes(60) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('endsAt');
    expect((await patch({ photoIds: ['0190f1a2-0000-7000-8000-000000000000'] })).statusCode).toBe(400);
    expect((await patch({})).statusCode).toBe(400);
    expect((await patch({ title: 'x' }, pcAdmin)).statusCode).toBe(404); // another district does not even see the draft
    await ctx.request({ method: 'POST', url: `/api/v1/activities/${draft.id}/publish`, payload: {}, as: organizer });
    expect((await patch({ title: '改' })).json().error.code).toBe('INVALID_STATE');
  });

  it('lets participants who checked in rate once, and publishes the report', async () => {
    const start = { ...base(), startsAt: inMinutes(-10), endsAt: inMinutes(110), signupDeadline: inMinutes(60) };
    const id = (await post(start)).json().id as string;
    await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/publish`, payload: {}, as: organizer });
    const a = await volunteer(ctx, t.shifanjie, { name: '参加者' });
    const resident = await ctx.register('居民乙');
    const absent = await volunteer(ctx, t.shifanjie, { name: '未到者' });
    for (const [p, role] of [
      [a, 'volunteer'],
      [resident, 'resident'],
      [absent, 'volunteer'],
    ] as const)
      expect((await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/signups`, payload: { role }, as: p })).statusCode).toBe(201);
    for (const p of [a, resident])
      expect(
        (await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/checkin`, payload: { code: codes.issue(id, testNow()).code }, as: p })).statusCode,
      ).toBe(200);

    const rate = (as: Caller, score: number) =>
      ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/rating`, payload: { score, comment: '老师教得好' }, as });
    expect((await rate(a, 5)).json().error.code).toBe('INVALID_STATE'); // not finished yet
    expect((await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/finish`, payload: {}, as: organizer })).statusCode).toBe(200);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}`, as: a })).json().allowedActions).toContain('rate');
    const [r1, r2] = await Promise.all([rate(a, 5), rate(a, 1)]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([201, 409]);
    expect((await rate(resident, 4)).statusCode).toBe(201);
    expect((await rate(absent, 1)).statusCode).toBe(403);
    expect((await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/rating`, payload: { score: 6 }, as: resident })).statusCode).toBe(400);
    const view = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}`, as: resident })).json();
    const first = r1.statusCode === 201 ? 5 : 1;
    expect(view.rating).toMatchObject({ count: 2, average: (first + 4) / 2, mine: { score: 4 } });
    expect(view.allowedActions).not.toContain('rate');
    const ratings = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}/ratings`, as: resident })).json().items;
    expect(ratings.map((r: { name: string }) => r.name).sort()).toEqual(['参**', '居**']);

    const photo = await upload(organizer);
    expect(
      (await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/report`, payload: { summary: '40位居民参加', photoIds: [photo] }, as: a }))
        .statusCode,
    ).toBe(403);
    const rep = await ctx.request({
      method: 'POST',
      url: `/api/v1/activities/${id}/report`,
      payload: { summary: '40位居民参加，志愿者教了二十四式。', photoIds: [photo] },
      as: organizer,
    });
    expect(rep.statusCode, rep.body).toBe(200);
    expect(rep.json().report).toMatchObject({ summary: '40位居民参加，志愿者教了二十四式。', photoIds: [photo] });
    const reports = (await ctx.request({ method: 'GET', url: '/api/v1/activities?report=true', as: resident })).json().items;
    expect(reports.map((r: { id: string }) => r.id)).toContain(id);
    const count = await ctx.database.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM activity_ratings WHERE activity_id = $1', [id]);
    expect(count[0]!.n).toBe(2);
  });

  it('reminds the registered the day before, once, however many runners', async () => {
    const soon = { ...base(), title: '明天的义诊', startsAt: inMinutes(60 * 20), endsAt: inMinutes(60 * 21) };
    const id = (await post(soon)).json().id as string;
    await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/publish`, payload: {}, as: organizer });
    const far = (await post({ ...base(), title: '下周的讲座', startsAt: inMinutes(60 * 24 * 6), endsAt: inMinutes(60 * 24 * 6 + 60) })).json().id as string;
    await ctx.request({ method: 'POST', url: `/api/v1/activities/${far}/publish`, payload: {}, as: organizer });
    const people = [await volunteer(ctx, t.shifanjie, { name: '提醒甲' }), await ctx.register('提醒乙')];
    await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/signups`, payload: { role: 'volunteer' }, as: people[0]! });
    await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/signups`, payload: { role: 'resident' }, as: people[1]! });
    await ctx.request({ method: 'POST', url: `/api/v1/activities/${far}/signups`, payload: { role: 'resident' }, as: people[1]! });
    const runs = await Promise.all([ctx.app.modules.activities.remindUpcoming(), ctx.app.modules.activities.remindUpcoming()]);
    expect(runs.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(2);
    for (const p of people) {
      const rows = await ctx.database.raw.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND kind = 'activity.reminder' AND ref_id = $2",
        [p.userId, id],
      );
      expect(rows[0]!.n).toBe(1);
      const farRows = await ctx.database.raw.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND kind = 'activity.reminder' AND ref_id = $2",
        [p.userId, far],
      );
      expect(farRows[0]!.n).toBe(0);
    }
    await ctx.app.modules.activities.remindUpcoming();
    const again = await ctx.database.raw.query<{ n: number }>("SELECT count(*)::int AS n FROM notifications WHERE kind = 'activity.reminder' AND ref_id = $1", [
      id,
    ]);
    expect(again[0]!.n).toBe(2);
  });

  // Sign-up exports: started ten minutes ago (check-in is open), two volunteer places and one for residents.
  const TITLE = '社区义诊进万家（第1期）';
  async function published() {
    const res = await post({ ...base(), title: TITLE, startsAt: inMinutes(-10), endsAt: inMinutes(110), signupDeadline: inMinutes(60), publicQuota: 1 });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    expect((await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/publish`, payload: {}, as: organizer })).statusCode).toBe(200);
    return id;
  }
  const signup = async (id: string, as: Caller, role = 'volunteer') => {
    const res = await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/signups`, payload: { role }, as });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().status as string;
  };
  const exportOf = (id: string, as?: Caller) => ctx.request({ method: 'GET', url: `/api/v1/activities/${id}/signups/export`, as });

  it('gives the organiser a workbook whose rows are the sign-ups, phones masked, with waitlist places and attendance', async () => {
    const id = await published();
    const [jia, yi, bing, ding] = [
      await volunteer(ctx, t.shifanjie, { name: '甲' }),
      await volunteer(ctx, t.shifanjie, { name: '乙' }),
      await volunteer(ctx, t.shifanjie, { name: '丙' }),
      await volunteer(ctx, t.shifanjie, { name: '丁' }),
    ];
    const [wu, ji] = [await ctx.register('居民戊'), await ctx.register('居民己')];
    expect([await signup(id, jia), await signup(id, yi), await signup(id, bing), await signup(id, ding)]).toEqual([
      'registered',
      'registered',
      'waitlisted',
      'waitlisted',
    ]);
    expect([await signup(id, wu, 'resident'), await signup(id, ji, 'resident')]).toEqual(['registered', 'waitlisted']);
    // 乙 withdraws: 丙 moves up, 丁 is now first in the volunteers' queue.
    expect((await ctx.request({ method: 'DELETE', url: `/api/v1/activities/${id}/signups/me`, as: yi })).statusCode).toBe(204);
    // 甲 checks in and out by code; 丙's attendance is recorded by hand with a reason.
    for (const step of ['checkin', 'checkout'])
      expect(
        (await ctx.request({ method: 'POST', url: `/api/v1/activities/${id}/${step}`, payload: { code: codes.issue(id, testNow()).code }, as: jia }))
          .statusCode,
      ).toBe(200);
    const act = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}`, as: organizer })).json();
    const before = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}/signups`, as: organizer })).json<ListRow[]>();
    const bingId = before.find((s) => s.name === '丙')!.id;
    const marked = await ctx.request({
      method: 'POST',
      url: `/api/v1/activities/${id}/attendance`,
      payload: { signupId: bingId, checkinAt: act.startsAt, checkoutAt: act.endsAt, reason: '手机没电，纸质签到表核对' },
      as: organizer,
    });
    expect(marked.statusCode, marked.body).toBe(200);

    const res = await exportOf(id, organizer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="signups.xlsx"; filename*=UTF-8''${encodeURIComponent(`${TITLE}-报名与出勤名单.xlsx`)}`,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    const sheet = await readSheet(res.rawPayload);
    expect(sheet).toMatchObject({ name: '报名与出勤', count: 1, frozen: { state: 'frozen', ySplit: 1 } });
    expect(sheet.rows[0]).toEqual(HEADER);

    // Row by row what the sign-up list says, in the same (sign-up) order.
    const list = (await ctx.request({ method: 'GET', url: `/api/v1/activities/${id}/signups`, as: organizer })).json<ListRow[]>();
    const people = [jia, yi, bing, ding, wu, ji];
    const byName = new Map(list.map((s) => [s.name, s]));
    const data = sheet.rows.slice(1);
    expect(data.map((r) => r[1])).toEqual(list.map((s) => s.name));
    expect(data.map((r) => r[1])).toEqual(['甲', '乙', '丙', '丁', '居民戊', '居民己']);
    expect(data.map((r) => r[0])).toEqual(['志愿者', '志愿者', '志愿者', '志愿者', '群众', '群众']);
    expect(data.map((r) => r[3])).toEqual(['已报名', '已取消报名', '已报名', '候补', '已报名', '候补']);
    expect(data.map((r) => r[4])).toEqual(['', '', '', '1', '', '1']);
    expect(data.map((r) => r[2])).toEqual(people.map((p) => masked(p.phone)));
    for (const r of data) {
      expect(r[5]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      const s = byName.get(r[1]!)!;
      expect([r[6], r[7], r[9], r[10]], r[1]).toEqual([wall(s.checkinAt), wall(s.checkoutAt), s.hours === null ? '' : String(s.hours), s.attendanceNote ?? '']);
    }
    const bingRow = data.find((r) => r[1] === '丙')!;
    expect([bingRow[8], bingRow[9], bingRow[10]]).toEqual(['100', '2', '手机没电，纸质签到表核对']);
    const jiaRow = data.find((r) => r[1] === '甲')!;
    expect(jiaRow[6]).not.toBe('');
    expect(jiaRow[7]).not.toBe('');
    expect(jiaRow[9]).toBe('0'); // checked in and out within a minute of each other
    expect(data.find((r) => r[1] === '丁')!.slice(6)).toEqual(['', '', '', '', '']);

    // A platform admin sees whole phones; every export is audited.
    const full = await readSheet((await exportOf(id, ctx.admin)).rawPayload);
    expect(full.rows.slice(1).map((r) => r[2])).toEqual(people.map((p) => p.phone));
    const audits = await ctx.database.raw.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_logs WHERE action = 'activity.signups.export' AND entity_id = $1",
      [id],
    );
    expect(audits[0]!.n).toBe(2);
  });

  it('is for organisers only: 401 signed out, 403 for a volunteer or another district, 404 for an unknown or hidden activity', async () => {
    const id = await published();
    const v = await volunteer(ctx, t.shifanjie, { name: '普通志愿者' });
    await signup(id, v);
    expect((await exportOf(id)).statusCode).toBe(401);
    const asVolunteer = await exportOf(id, v);
    expect(asVolunteer.statusCode).toBe(403);
    expect(asVolunteer.json().error.code).toBe('FORBIDDEN');
    expect((await exportOf(id, pcAdmin)).statusCode).toBe(403);
    const unknown = await exportOf('0190f1a2-0000-7000-8000-000000000000', organizer);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
    expect((await exportOf('not-an-id', organizer)).statusCode).toBe(400);
    // A draft is invisible to anyone but its organisers; an empty list still exports its header.
    const draft = (await post({ ...base(), title: '草稿活动' })).json().id as string;
    expect((await exportOf(draft, pcAdmin)).statusCode).toBe(404);
    const empty = await exportOf(draft, organizer);
    expect(empty.statusCode).toBe(200);
    expect((await readSheet(empty.rawPayload)).rows).toEqual([HEADER]);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await ctx.request({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths['/api/v1/activities/{id}/signups/export'])).toEqual(['get']);
  });
});
