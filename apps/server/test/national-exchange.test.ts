import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '@wenming/domain';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { testNow } from './helpers/clock.ts';
import { parseDay, parseHours, parseTime } from '../src/modules/exchange/use-cases/import-national.ts';
import { NATIONAL_LAYOUT } from '../src/modules/exchange/national-layout.ts';
import { newId } from '../src/lib/ids.ts';

/** A valid resident ID number for person `n`, under a region no other test uses. */
function idFor(n: number): string {
  const first17 = `140212${1960 + (n % 40)}0${1 + (n % 9)}1${n % 10}${String(n % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}
const phoneFor = (n: number) => `137${String(process.pid % 1000).padStart(3, '0')}${String(n).padStart(5, '0')}`;

function multipart(bytes: Buffer) {
  const boundary = '----wenming-exchange-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="national.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function readBook(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
  return wb;
}
/** A sheet as objects keyed by header. */
function table(wb: ExcelJS.Workbook, name: string): Record<string, string>[] {
  const ws = wb.getWorksheet(name);
  if (!ws) return [];
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v as string | number)))));
  const [head, ...rest] = rows;
  return rest.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}
async function book(sheets: Record<string, (string | number)[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('national layout parsing (no database)', () => {
  it('reads dates, times and hours the way the national files write them', () => {
    expect(parseDay('2024-03-05')).toBe('2024-03-05');
    expect(parseDay('2024/3/5')).toBe('2024-03-05');
    expect(parseDay('2024年3月5日')).toBe('2024-03-05');
    expect(parseDay('20240305')).toBe('2024-03-05');
    expect(parseDay('2024-02-30')).toBeNull();
    expect(parseDay('三月五日')).toBeNull();
    expect(parseTime('9:00')).toBe('09:00');
    expect(parseTime('18:30:00')).toBe('18:30');
    expect(parseTime('24:00')).toBeNull();
    expect(parseHours('2.5')).toBe(2.5);
    expect(parseHours('2.50')).toBe(2.5);
    expect(parseHours('2.25')).toBeNull();
    expect(parseHours('0')).toBeNull();
    expect(parseHours('25')).toBeNull();
    expect(parseHours('1.255')).toBeNull();
  });
  it('keeps every header in the one layout file, with no key twice in a sheet', () => {
    for (const s of Object.values(NATIONAL_LAYOUT).filter((x) => typeof x === 'object')) {
      const keys = s.columns.map((c) => c.key);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});

describe.each(DATABASES)('exchange with 全国志愿服务信息系统 on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let xdAdmin: Caller;
  let xdAdmin2: Caller;
  let pcAdmin: Caller;
  let vols: Awaited<ReturnType<typeof volunteer>>[];
  const recordIds: string[] = [];

  const count = async (sql: string, params: unknown[] = []) => Number((await ctx.database.raw.query<{ n: number }>(sql, params))[0]!.n);
  const upload = (bytes: Buffer, orgId: string, as: Caller) =>
    ctx.request({ method: 'POST', url: `/api/v1/exchange/national/imports?orgId=${orgId}`, ...multipart(bytes), as });
  const day = (daysAgo: number) => new Date(testNow().getTime() - daysAgo * 86_400_000);

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    xdAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    xdAdmin2 = await staff(ctx, 'org_admin', t.xiaodian, '小店区复核员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng, '平城区管理员');
    vols = [await volunteer(ctx, t.shifanjie, { name: '王芳' }), await volunteer(ctx, t.shifanjie, { name: '李强' })];
    // Verified hours: 2.5 + 3 for 王芳, 1.5 for 李强; and one pending record that must not travel.
    for (const [v, hours, ago] of [
      [vols[0]!, 2.5, 10],
      [vols[0]!, 3, 5],
      [vols[1]!, 1.5, 3],
      [vols[1]!, 4, 2],
    ] as const) {
      const started = day(ago);
      const res = await ctx.request({
        method: 'POST',
        url: '/api/v1/service-records',
        payload: {
          volunteerId: v.volunteerId,
          orgId: t.shifanjie,
          hours,
          startedAt: started.toISOString(),
          endedAt: new Date(started.getTime() + hours * 3600_000).toISOString(),
          title: '社区助老服务',
          note: '为独居老人送餐、打扫',
        },
        as: xdAdmin,
      });
      expect(res.statusCode, res.body).toBe(201);
      recordIds.push(res.json().id);
    }
    for (const id of recordIds.slice(0, 3)) {
      const res = await ctx.request({ method: 'POST', url: `/api/v1/service-records/${id}/verify`, payload: {}, as: xdAdmin2 });
      expect(res.statusCode, res.body).toBe(200);
    }
  });
  afterAll(() => ctx.close());

  it('exports the district in the national layout: whole ID numbers, verified records only, audited', async () => {
    expect((await ctx.request({ method: 'GET', url: '/api/v1/exchange/national/export.xlsx' })).statusCode).toBe(401);
    const dispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '调度员');
    expect((await ctx.request({ method: 'GET', url: '/api/v1/exchange/national/export.xlsx', as: dispatcher })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/exchange/national/export.xlsx?orgId=${t.shifanjie}`, as: pcAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/exchange/national/export.xlsx?from=2024-02-30', as: xdAdmin })).statusCode).toBe(400);
    const res = await ctx.request({ method: 'GET', url: '/api/v1/exchange/national/export.xlsx', as: xdAdmin });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = await readBook(res.rawPayload);
    const people = table(wb, '志愿者信息');
    expect(people.map((p) => p['姓名']).sort()).toEqual(['李强', '王芳']);
    const wang = people.find((p) => p['姓名'] === '王芳')!;
    expect(wang['证件号码']).toMatch(/^\d{17}[\dX]$/);
    expect(wang['证件类型']).toBe('居民身份证');
    expect(wang['出生日期']).toBe(`${wang['证件号码']!.slice(6, 10)}-${wang['证件号码']!.slice(10, 12)}-${wang['证件号码']!.slice(12, 14)}`);
    expect(wang['累计服务时长（小时）']).toBe('5.5');
    expect(wang['注册地（阵地）']).toBe('师范街社区新时代文明实践站');
    const records = table(wb, '服务记录');
    expect(records).toHaveLength(3);
    expect(records.map((r) => r['记录编号']).sort()).toEqual(recordIds.slice(0, 3).sort());
    expect(records.every((r) => r['项目名称'] === '社区助老服务' && r['服务内容'] === '为独居老人送餐、打扫' && r['服务地点'] && r['开始时间'])).toBe(true);
    expect(records.reduce((s, r) => s + Number(r['服务时长（小时）']), 0)).toBe(7);
    expect(await count(`SELECT count(*)::int AS n FROM audit_logs WHERE action = 'volunteer.national_export' AND actor_id = $1`, [xdAdmin.userId])).toBe(1);
  });

  it('a volunteer exports their own complete record; another district cannot', async () => {
    // A training record (0031) travels in 培训记录.
    await ctx.database.raw.query(
      `INSERT INTO training_records (city_code, id, volunteer_id, org_id, title, hours, trained_on, created_by)
       VALUES ('1401', $4, $1, $2, '应急救护培训', 4, '2024-06-01', $3)`,
      [vols[0]!.volunteerId, t.shifanjie, xdAdmin.userId, newId()],
    );
    const url = `/api/v1/volunteers/${vols[0]!.volunteerId}/national-record.xlsx`;
    expect((await ctx.request({ method: 'GET', url, as: pcAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url, as: vols[1]! })).statusCode).toBe(403);
    const res = await ctx.request({ method: 'GET', url, as: vols[0]! });
    expect(res.statusCode, res.body).toBe(200);
    const wb = await readBook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['志愿者信息', '服务记录', '培训记录', '表彰奖励', '投诉记录', '说明']);
    expect(table(wb, '志愿者信息')).toHaveLength(1);
    expect(
      table(wb, '服务记录')
        .map((r) => Number(r['服务时长（小时）']))
        .sort(),
    ).toEqual([2.5, 3]);
    expect(table(wb, '培训记录').map((r) => [r['培训名称'], r['培训日期'], r['培训学时']])).toEqual([['应急救护培训', '2024-06-01', '4']]);
  });

  it('round trip: the export imports into another city with no duplicate and the exact hours; twice creates nothing', async () => {
    const exported = (await ctx.request({ method: 'GET', url: '/api/v1/exchange/national/export.xlsx', as: xdAdmin })).rawPayload;
    expect((await upload(exported, t.xinwang, xdAdmin)).statusCode).toBe(403);
    const first = await upload(exported, t.xinwang, pcAdmin);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ volunteers: { created: 2, matched: 0 }, records: { created: 3, skipped: 0 }, hours: 7 });
    const hoursIn1402 = async () =>
      (
        await ctx.database.raw.query<{ real_name: string; total_hours: string; n: number }>(
          `SELECT v.real_name, v.total_hours::text AS total_hours,
             (SELECT count(*)::int FROM service_records r WHERE r.city_code = v.city_code AND r.volunteer_id = v.id AND r.status = 'verified') AS n
           FROM volunteers v WHERE v.city_code = '1402' ORDER BY v.real_name`,
        )
      ).map((r) => [r.real_name, Number(r.total_hours), r.n]);
    expect(await hoursIn1402()).toEqual([
      ['李强', 1.5, 1],
      ['王芳', 5.5, 2],
    ]);
    // The same person in both cities under one account (matched by phone and name).
    expect(await count(`SELECT count(DISTINCT user_id)::int AS n FROM volunteers WHERE real_name IN ('王芳', '李强')`)).toBe(2);

    const second = await upload(exported, t.xinwang, pcAdmin);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toEqual({ volunteers: { created: 0, matched: 2 }, records: { created: 0, skipped: 3 }, hours: 0 });
    expect(await hoursIn1402()).toEqual([
      ['李强', 1.5, 1],
      ['王芳', 5.5, 2],
    ]);

    // Datong's export keeps Taiyuan's record numbers, so loading it back into Taiyuan adds nothing.
    const back = (await ctx.request({ method: 'GET', url: '/api/v1/exchange/national/export.xlsx', as: pcAdmin })).rawPayload;
    expect(
      table(await readBook(back), '服务记录')
        .map((r) => r['记录编号'])
        .sort(),
    ).toEqual(recordIds.slice(0, 3).sort());
    const home = await upload(back, t.shifanjie, xdAdmin);
    expect(home.statusCode, home.body).toBe(200);
    expect(home.json()).toEqual({ volunteers: { created: 0, matched: 2 }, records: { created: 0, skipped: 3 }, hours: 0 });
    expect(await count(`SELECT count(*)::int AS n FROM volunteers WHERE city_code = '1401' AND real_name IN ('王芳', '李强')`)).toBe(2);
  });

  it('reads a file made with the national template (other header names, no record numbers) once, however often it is loaded', async () => {
    const file = await book({
      志愿者信息: [
        ['志愿者姓名', '证件类型', '身份证号', '性别', '手机号', '政治面貌', '所属组织'],
        ['赵敏', '身份证', idFor(1), '', phoneFor(1), '中共预备党员', '龙城义工'],
        ['钱多多', '居民身份证', idFor(2), '', phoneFor(2), '无党派人士', ''],
      ],
      服务记录: [
        ['姓名', '证件号码', '组织名称', '项目名称', '服务日期', '服务地点', '服务内容', '服务时长'],
        ['赵敏', idFor(1), '龙城义工', '心静源', '2024/3/5', '迎泽公园', '心理疏导', '2.3'],
        ['赵敏', idFor(1), '龙城义工', '心静源', '2024年3月12日', '迎泽公园', '心理疏导', '2.3'],
        ['钱多多', idFor(2), '龙城义工', '文明交通', '2024-04-01', '五一广场', '路口劝导', '1'],
      ],
    });
    const first = await upload(file, t.xinwang, pcAdmin);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ volunteers: { created: 2, matched: 0 }, records: { created: 3, skipped: 0 }, hours: 5.6 });
    const again = await upload(file, t.xinwang, pcAdmin);
    expect(again.json()).toEqual({ volunteers: { created: 0, matched: 2 }, records: { created: 0, skipped: 3 }, hours: 0 });
    const [zhao] = await ctx.database.raw.query<{ total_hours: string; political_status: string }>(
      `SELECT total_hours::text AS total_hours, political_status FROM volunteers WHERE city_code = '1402' AND real_name = '赵敏'`,
    );
    expect(Number(zhao!.total_hours)).toBe(4.6);
    expect(zhao!.political_status).toBe('party');
    const back = table(
      await readBook((await ctx.request({ method: 'GET', url: `/api/v1/exchange/national/export.xlsx?orgId=${t.xinwang}`, as: pcAdmin })).rawPayload),
      '服务记录',
    );
    const xin = back.filter((r) => r['志愿者姓名'] === '赵敏');
    expect(xin.map((r) => [r['服务日期'], r['组织名称'], r['项目名称'], r['服务地点'], r['服务内容'], r['开始时间']])).toEqual([
      ['2024-03-05', '龙城义工', '心静源', '迎泽公园', '心理疏导', ''],
      ['2024-03-12', '龙城义工', '心静源', '迎泽公园', '心理疏导', ''],
    ]);
  });

  it('a file with a bad row writes nothing and names each problem by sheet, row and column', async () => {
    const good = idFor(11);
    const flipped = idFor(12).slice(0, 17) + (idFor(12)[17] === '0' ? '1' : '0');
    const file = await book({
      志愿者信息: [
        ['姓名', '证件号码', '手机号码'],
        ['孙悟', good, phoneFor(11)],
        ['周八', flipped, phoneFor(12)],
        ['吴九', idFor(13), ''],
      ],
      服务记录: [
        ['志愿者姓名', '证件号码', '服务日期', '服务时长（小时）'],
        ['孙悟', good, '2024-05-01', '3'],
        ['孙悟', good, '2024-05-02', '30'],
        ['孙悟', good, '明天', '1'],
        ['郑十', idFor(14), '2024-05-01', '1'],
      ],
    });
    const res = await upload(file, t.xinwang, pcAdmin);
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json();
    expect(body.error.message).toContain('未导入任何数据');
    const paths = body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(['志愿者信息.3.证件号码', '志愿者信息.4.手机号码', '服务记录.3.服务时长（小时）', '服务记录.4.服务日期', '服务记录.5.证件号码']);
    expect(body.error.details[0].message).toBe('志愿者信息第3行“证件号码”：证件号码校验位不正确，请核对');
    expect(await count(`SELECT count(*)::int AS n FROM volunteers WHERE real_name = '孙悟'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM users WHERE phone = $1`, [phoneFor(11)])).toBe(0);
  });

  it('refuses what is not a workbook in the layout with a 4xx', async () => {
    const csv = await upload(Buffer.from('姓名,证件号码\n'), t.xinwang, pcAdmin);
    expect(csv.statusCode).toBe(400);
    const noHeader = await upload(await book({ 服务记录: [['姓名', '服务时长']] }), t.xinwang, pcAdmin);
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.body).toContain('证件号码');
    const city = await upload(await book({ 志愿者信息: [['姓名', '证件号码', '手机号码']] }), t.datong, ctx.admin);
    expect(city.statusCode).toBe(422);
  });
});
