import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '@wenming/domain';
import { createTestContext, DATABASES, type Caller, type TestContext } from './helpers/test-app.ts';
import { buildTree, staff, volunteer, type Tree } from './helpers/fixtures.ts';
import { checkRow, normalizePhone } from '../src/modules/volunteers/volunteer-bulk.service.ts';
import { normalizeHeader, parseCsv } from '../src/modules/volunteers/volunteer-sheets.ts';
import { newId } from '../src/lib/ids.ts';
import unzipper from 'unzipper';
import { zipOf } from './helpers/zip.ts';
import { createVolunteerBulkService } from '../src/modules/volunteers/volunteer-bulk.service.ts';
import { createVolunteerBulkRepository } from '../src/modules/volunteers/volunteer-bulk.repository.ts';
import { createVolunteersRepository } from '../src/modules/volunteers/volunteers.repository.ts';
import { createOrgsRepository } from '../src/modules/orgs/orgs.repository.ts';
import { createCataloguesRepository } from '../src/modules/catalogues/catalogues.repository.ts';
import { createAuditRepository } from '../src/modules/audit/audit.repository.ts';
import { createPii } from '../src/lib/pii.ts';

const HEADERS = ['姓名', '身份证号', '手机号', '报到阵地', '技能', '政治面貌', '工作单位', '团队'];
const SHIFANJIE = '师范街社区新时代文明实践站';

/** A valid resident ID number for person `n` (birth dates spread over 1950–2000, sequence 000–999). */
function idFor(n: number, region = '140105'): string {
  const day = new Date(Date.UTC(1950, 0, 1) + (n % 18000) * 86_400_000);
  const birth = day.toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `${region}${birth}${String(Math.floor(n / 18000) % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}
/** A phone number for person `n` under a prefix no other test helper uses. */
const phoneFor = (n: number, prefix = '136') => `${prefix}${String(n).padStart(8, '0')}`;

type Cell = string | number | { formula: string; result?: unknown };
async function xlsx(rows: Cell[][], headers = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('志愿者名单');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function multipart(bytes: Buffer, filename = 'volunteers.xlsx', name = 'file') {
  const boundary = '----wenming-import-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function readXlsx(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
  return wb;
}
const rowsOf = (ws: ExcelJS.Worksheet) => {
  const out: string[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v as string | number)))));
  return out;
};

describe('import row checks (no database)', () => {
  const cats = new Map([
    ['医疗健身', 'health'],
    ['health', 'health'],
    ['法律服务', 'legal'],
    ['医疗', 'health'],
  ]);
  const row = (values: Partial<Record<string, string>>) =>
    checkRow(
      {
        row: 2,
        problems: [],
        values: { realName: '王芳', idNumber: idFor(1), phone: '13612345678', site: 'x', skills: '', politicalStatus: '', workUnit: '', team: '', ...values },
      },
      cats,
    );
  it('accepts a good row and normalises what people type', () => {
    const r = row({ skills: '医疗健身、法律服务，医疗', politicalStatus: '党员', phone: '+86 136-1234-5678', idNumber: idFor(1).toLowerCase() });
    expect(r.errors).toEqual([]);
    expect(r.skills).toEqual(['health', 'legal']);
    expect(r.political).toBe('party');
    expect(r.phone).toBe('13612345678');
    expect(normalizePhone('8613612345678')).toBe('13612345678');
  });
  it('reports each bad field with a Chinese reason', () => {
    const valid = idFor(2);
    const flipped = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    expect(row({ idNumber: flipped }).errors).toEqual([{ field: 'idNumber', reason: '身份证号校验位不正确，请核对' }]);
    const feb30 = '14010519800230' + '123';
    expect(row({ idNumber: feb30 + idNumberCheckChar(feb30) }).errors[0]!.reason).toBe('身份证号中的出生日期不正确');
    const future = '14010520990101' + '123';
    expect(row({ idNumber: future + idNumberCheckChar(future) }).errors[0]!.reason).toBe('身份证号中的出生日期不正确');
    expect(row({ idNumber: '12345' }).errors[0]!.field).toBe('idNumber');
    expect(row({ phone: '1234567' }).errors[0]!.field).toBe('phone');
    expect(row({ realName: '' }).errors[0]!.reason).toBe('姓名不能为空');
    expect(row({ realName: '王<script>' }).errors[0]!.field).toBe('realName');
    expect(row({ skills: '烹饪' }).errors[0]!.reason).toContain('未知的技能：烹饪');
    expect(row({ politicalStatus: '无党派' }).errors[0]!.field).toBe('politicalStatus');
    expect(row({ idNumber: '11010519491231002X' }).errors[0]).toEqual({ field: 'row', reason: '这是模板中的示例行，导入前请删除' });
    expect(row({ site: '' }).errors[0]!.field).toBe('site');
  });
  it('reads headers and CSV fields the way people write them', () => {
    expect(normalizeHeader(' 身份证号（18位）* ')).toBe('身份证号');
    expect(parseCsv('a,"b,c","d""e"\r\n1,2,3\n')).toEqual([
      ['a', 'b,c', 'd"e'],
      ['1', '2', '3'],
    ]);
    expect(parseCsv('a\tb\n1\t2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe.each(DATABASES)('volunteer import, export and 党员双报到 on %s', (kind) => {
  let ctx: TestContext;
  let t: Tree;
  let xdAdmin: Caller;
  let xdDispatcher: Caller;
  let pcAdmin: Caller;
  let teamId: string;

  beforeAll(async () => {
    ctx = await createTestContext(kind);
    t = await buildTree(ctx);
    xdAdmin = await staff(ctx, 'org_admin', t.xiaodian, '小店区管理员');
    xdDispatcher = await staff(ctx, 'dispatcher', t.xiaodian, '小店区调度员');
    pcAdmin = await staff(ctx, 'org_admin', t.pingcheng, '平城区管理员');
    const team = await ctx.request({
      method: 'POST',
      url: '/api/v1/teams',
      payload: { orgId: t.shifanjie, name: '师范街医疗服务队', tier: 'unit', type: 'professional', category: 'health' },
      as: xdAdmin,
    });
    expect(team.statusCode, team.body).toBe(201);
    teamId = team.json().id;
  });
  afterAll(() => ctx.close());

  async function upload(bytes: Buffer, as: Caller, filename = 'volunteers.xlsx') {
    return ctx.request({ method: 'POST', url: '/api/v1/volunteers/imports', ...multipart(bytes, filename), as });
  }

  async function importAndWait(bytes: Buffer, as: Caller, filename?: string) {
    const res = await upload(bytes, as, filename);
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id as string;
    await ctx.app.modules.volunteerBulk.settled(id);
    const job = await ctx.request({ method: 'GET', url: `/api/v1/volunteers/imports/${id}`, as });
    expect(job.statusCode, job.body).toBe(200);
    return job.json();
  }

  const count = async (sql: string, params: unknown[] = []) => Number((await ctx.database.raw.query<{ n: number }>(sql, params))[0]!.n);

  it('serves the template: headers, a sample row, instructions, the caller’s sites and the skills', async () => {
    expect((await ctx.request({ method: 'GET', url: '/api/v1/volunteers/import-template' })).statusCode).toBe(401);
    const resident = await ctx.register('居民');
    expect((await ctx.request({ method: 'GET', url: '/api/v1/volunteers/import-template', as: resident })).statusCode).toBe(403);
    const res = await ctx.request({ method: 'GET', url: '/api/v1/volunteers/import-template', as: xdDispatcher });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain("filename*=UTF-8''");
    const wb = await readXlsx(res.rawPayload);
    const data = rowsOf(wb.getWorksheet('志愿者名单')!);
    expect(data[0]).toEqual(HEADERS);
    expect(data[1]![0]).toBe('张三');
    expect(data[1]![3]).toBe(SHIFANJIE);
    expect(rowsOf(wb.getWorksheet('填写说明')!).map((r) => r[0])).toEqual(expect.arrayContaining(HEADERS));
    const sites = rowsOf(wb.getWorksheet('阵地列表')!).map((r) => r[0]);
    expect(sites).toContain(SHIFANJIE);
    expect(sites).not.toContain('新旺街道新时代文明实践所');
    expect(rowsOf(wb.getWorksheet('技能类别')!).map((r) => r[0])).toContain('医疗健身');
    // The template itself imports as one reported row: its sample.
    const job = await importAndWait(res.rawPayload, xdDispatcher);
    expect(job).toMatchObject({
      state: 'done',
      total: 1,
      imported: 0,
      failed: 1,
      errors: [{ row: 2, field: 'row', reason: '这是模板中的示例行，导入前请删除' }],
    });
  });

  it('imports the good rows of a mixed sheet and reports every bad row with its reason; nothing half-written', async () => {
    const existing = await volunteer(ctx, t.shifanjie, { name: '已登记' });
    // Someone registered (not yet a volunteer) with the same name: the import attaches to that account.
    const known = await ctx.register('赵敏');
    const other = await ctx.register('别人');
    const base = 1000;
    const p = (i: number) => phoneFor(base + i);
    const id = (i: number) => idFor(base + i);
    const bad = id(90).slice(0, 17) + (id(90)[17] === '0' ? '1' : '0');
    const feb30 = '14010519800230' + '456';
    const rows: Cell[][] = [
      /* 2 */ ['王芳', id(1), p(1), SHIFANJIE, '医疗健身、法律服务', '中共党员', '山西省人民医院', '师范街医疗服务队'],
      /* 3 */ ['李强', id(2), p(2), t.wucheng, '', '', '', ''],
      /* 4 */ ['赵敏', id(3), known.phone, SHIFANJIE, '文艺', '共青团员', '', teamId],
      /* 5 */ ['', id(4), p(4), SHIFANJIE, '', '', '', ''],
      /* 6 */ ['钱七', bad, p(6), SHIFANJIE, '', '', '', ''],
      /* 7 */ ['孙八', feb30 + idNumberCheckChar(feb30), p(7), SHIFANJIE, '', '', '', ''],
      /* 8 */ ['周九', Number(id(8).slice(0, 17)) * 10, p(8), SHIFANJIE, '', '', '', ''],
      /* 9 */ ['吴十', id(9), '1360000', SHIFANJIE, '', '', '', ''],
      /* 10 */ ['郑一', id(10), p(10), '不存在的阵地', '', '', '', ''],
      /* 11 */ ['冯二', id(11), p(11), '新旺街道新时代文明实践所', '', '', '', ''],
      /* 12 */ ['陈三', id(12), p(12), SHIFANJIE, '烹饪', '', '', ''],
      /* 13 */ ['褚四', id(13), p(13), SHIFANJIE, '', '民主人士', '', ''],
      /* 14 */ ['卫五', id(1), p(14), SHIFANJIE, '', '', '', ''],
      /* 15 */ ['蒋六', id(15), p(1), SHIFANJIE, '', '', '', ''],
      /* 16 */ ['已登记', idFor(999_999), existing.phone, SHIFANJIE, '', '', '', ''],
      /* 17 */ ['沈七', id(17), other.phone, SHIFANJIE, '', '', '', ''],
      /* 18 */ [{ formula: 'CONCAT("韩","八")', result: '韩八' }, id(18), p(18), SHIFANJIE, '', '', '', ''],
      /* 19 */ ['杨九', id(19), p(19), SHIFANJIE, '', '', '', '不存在的服务队'],
      /* 20 */ ['朱十', id(20), p(20), SHIFANJIE, '', '党员', '太原市第一中学', ''],
    ];
    const before = await count('SELECT count(*)::int AS n FROM volunteers');
    const usersBefore = await count('SELECT count(*)::int AS n FROM users');
    const bytes = await xlsx(rows);
    const job = await importAndWait(bytes, xdAdmin, '第一批志愿者.xlsx');
    expect(job).toMatchObject({
      state: 'done',
      fileName: '第一批志愿者.xlsx',
      total: 19,
      processed: 19,
      imported: 4,
      failed: 15,
      message: null,
      errorsTruncated: false,
    });
    const reasons = Object.fromEntries(job.errors.map((e: { row: number; field: string; reason: string }) => [e.row, `${e.field}:${e.reason}`]));
    expect(reasons).toEqual({
      5: 'realName:姓名不能为空',
      6: 'idNumber:身份证号校验位不正确，请核对',
      7: 'idNumber:身份证号中的出生日期不正确',
      8: 'idNumber:身份证号被 Excel 存成了数字，末尾几位已丢失；请将该列设为“文本”格式后重新填写',
      9: 'phone:手机号应为11位、以1开头的大陆手机号',
      10: 'site:找不到该阵地，请填写“阵地列表”中的全称或阵地编号',
      11: 'site:该阵地不在您的管辖范围内',
      12: 'skills:未知的技能：烹饪（请填写“技能类别”中的名称，用顿号分隔）',
      13: 'politicalStatus:政治面貌只能填：中共党员、共青团员或群众',
      14: 'idNumber:与第2行的身份证号重复',
      15: 'phone:与第2行的手机号重复',
      16: 'phone:该手机号已登记为志愿者',
      17: 'phone:该手机号已被他人注册（注册姓名与本行姓名不一致），请核对',
      18: 'realName:单元格含公式，请改为直接填写的文字（复制后“选择性粘贴为数值”）',
      19: 'team:找不到该团队，或团队不在您的管辖范围内',
    });
    expect(await count('SELECT count(*)::int AS n FROM volunteers')).toBe(before + 4);
    // New accounts only for the imported rows (赵敏 was matched to the existing account).
    expect(await count('SELECT count(*)::int AS n FROM users')).toBe(usersBefore + 3);
    for (const i of [4, 6, 7, 8, 10, 11, 12, 13, 14, 18, 19]) expect(await count('SELECT count(*)::int AS n FROM users WHERE phone = $1', [p(i)])).toBe(0);
    // The imported rows are whole: skills, party member's unit, team membership, matched account, encrypted ID.
    const wang = (await ctx.database.raw.query<Record<string, unknown>>("SELECT * FROM volunteers WHERE real_name = '王芳'"))[0]!;
    expect(wang).toMatchObject({
      org_id: t.shifanjie,
      political_status: 'party',
      work_unit: '山西省人民医院',
      skills: ['health', 'legal'],
      id_number_masked: `${id(1).slice(0, 4)}**********${id(1).slice(-4)}`,
    });
    for (const value of Object.values(wang)) expect(JSON.stringify(value)).not.toContain(id(1).slice(4, 14));
    expect(await count('SELECT count(*)::int AS n FROM team_members WHERE team_id = $1', [teamId])).toBe(2);
    const zhao = (await ctx.database.raw.query<{ user_id: string; skills: string[] }>("SELECT user_id, skills FROM volunteers WHERE real_name = '赵敏'"))[0]!;
    expect(zhao).toEqual({ user_id: known.userId, skills: ['culture'] });
    expect((await ctx.request({ method: 'GET', url: '/api/v1/volunteers/me', as: known })).json().realName).toBe('赵敏');
    // Imported accounts cannot sign in until a password is set.
    const login = await ctx.request({ method: 'POST', url: '/api/v1/auth/login', payload: { phone: p(1), password: '!imported-no-password' } });
    expect(login.statusCode).toBe(401);
    // Audited per batch.
    expect(await count("SELECT count(*)::int AS n FROM audit_logs WHERE action = 'volunteer.import' AND entity_id = $1", [job.id])).toBe(1);

    // The bad rows download with their reasons; ID numbers masked, phones masked for non-admins.
    const errs = await ctx.request({ method: 'GET', url: `/api/v1/volunteers/imports/${job.id}/errors.xlsx`, as: xdAdmin });
    expect(errs.statusCode).toBe(200);
    const sheet = rowsOf((await readXlsx(errs.rawPayload)).getWorksheet('志愿者名单')!);
    expect(sheet[0]).toEqual(['原行号', ...HEADERS, '问题原因']);
    expect(sheet.length).toBe(1 + 15);
    const row6 = sheet.find((r) => r[0] === '6')!;
    expect(row6[1]).toBe('钱七');
    expect(row6[2]).toBe(`${bad.slice(0, 4)}**********${bad.slice(-4)}`);
    expect(row6[3]).toBe(`${p(6).slice(0, 3)}****${p(6).slice(7)}`);
    expect(row6[9]).toBe('身份证号校验位不正确，请核对');
    expect(JSON.stringify(sheet)).not.toContain(bad);

    // Only the importer (and admins) see the job.
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers/imports/${job.id}`, as: pcAdmin })).statusCode).toBe(404);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers/imports/${job.id}/errors.xlsx`, as: xdDispatcher })).statusCode).toBe(404);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers/imports/${job.id}`, as: ctx.admin })).statusCode).toBe(200);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers/imports/${newId()}`, as: xdAdmin })).statusCode).toBe(404);

    // The same file again creates nothing: the good rows are now duplicates.
    const again = await importAndWait(bytes, xdAdmin);
    expect(again).toMatchObject({ state: 'done', total: 19, imported: 0, failed: 19 });
    expect(again.errors.find((e: { row: number }) => e.row === 2)).toEqual({ row: 2, field: 'idNumber', reason: '该身份证号已登记为志愿者' });
    expect(await count('SELECT count(*)::int AS n FROM volunteers')).toBe(before + 4);
    expect(await count('SELECT count(*)::int AS n FROM users')).toBe(usersBefore + 3);
  });

  it('reads CSV in UTF-8 and GB18030, and refuses files that are not sheets with a clear error', async () => {
    const csv = (text: string) => Buffer.from(text, 'utf8');
    const good = `姓名,身份证号,手机号,报到阵地,技能\r\n"欧阳 春",${idFor(2001)},${phoneFor(2001)},${SHIFANJIE},"医疗健身、科学普及"\r\n公式,${idFor(2002)},=1+1,${SHIFANJIE},\r\n`;
    const job = await importAndWait(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv(good)]), xdAdmin, 'v.csv');
    expect(job).toMatchObject({
      state: 'done',
      total: 2,
      imported: 1,
      failed: 1,
      errors: [{ row: 3, field: 'phone', reason: '单元格含公式，请改为直接填写的文字' }],
    });
    // Excel on Chinese Windows saves CSV as GBK/GB18030.
    const gbText = `姓名,身份证号,手机号,报到阵地\n林黛玉,${idFor(2003)},${phoneFor(2003)},${SHIFANJIE}\n`;
    const gbBytes = encodeGb18030(gbText);
    expect(gbBytes.equals(Buffer.from(gbText, 'utf8'))).toBe(false);
    const gbJob = await importAndWait(gbBytes, xdAdmin, 'gbk.csv');
    expect(gbJob).toMatchObject({ state: 'done', imported: 1, failed: 0 });
    expect(await count("SELECT count(*)::int AS n FROM volunteers WHERE real_name = '林黛玉'")).toBe(1);

    const refuse = async (bytes: Buffer, filename: string, status: number, text: string) => {
      const res = await upload(bytes, xdAdmin, filename);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.message + JSON.stringify(res.json().error.details ?? [])).toContain(text);
    };
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    await refuse(png, 'photo.xlsx', 400, '不是 Excel');
    await refuse(Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(200, 7)]), 'broken.xlsx', 400, '不是有效的 Excel');
    await refuse(Buffer.from('d0cf11e0a1b11ae1', 'hex'), 'old.xls', 400, '.xls');
    await refuse(await xlsx([['王', idFor(1), phoneFor(1)]], ['姓名', '身份证号', '手机号']), 'x.xlsx', 400, '报到阵地');
    await refuse(Buffer.alloc(0), 'empty.csv', 400, '空');
    await refuse(Buffer.from('姓名,身份证号,手机号,报到阵地\n,,,\n'), 'header-only.csv', 400, '没有志愿者数据');
    await refuse(Buffer.alloc(11 * 1024 * 1024, 0x41), 'big.csv', 413, '10 MB');
    // A zip bomb: a real workbook with a part that inflates to 128 MB (about 130 KB packed),
    // refused before ExcelJS inflates it — whether its headers tell the size or lie about it.
    const real = await unzipper.Open.buffer(await xlsx([['王', idFor(5), phoneFor(5), SHIFANJIE]]));
    const parts = await Promise.all(real.files.map(async (f) => ({ name: f.path, data: await f.buffer() })));
    const pad = Buffer.alloc(128 * 1024 * 1024, 0x20);
    await refuse(zipOf([...parts, { name: 'xl/media/pad.bin', data: pad }]), 'bomb.xlsx', 400, '解压后超过');
    await refuse(zipOf([...parts, { name: 'xl/media/pad.bin', data: pad, declaredSize: 1000 }]), 'lying.xlsx', 400, '解压后超过');
    await refuse(
      zipOf([...parts, ...Array.from({ length: 1200 }, (_, i) => ({ name: `xl/media/p${i}.bin`, data: Buffer.from('x') }))]),
      'parts.xlsx',
      400,
      '部件过多',
    );
    // The same parts re-packed without the padding are still a good workbook.
    const repacked = await importAndWait(zipOf(parts), xdAdmin, 'repacked.xlsx');
    expect(repacked).toMatchObject({ state: 'done', imported: 1, failed: 0 });
    const notMultipart = await ctx.request({ method: 'POST', url: '/api/v1/volunteers/imports', payload: { file: 'x' }, as: xdAdmin });
    expect(notMultipart.statusCode).toBe(400);
    expect(notMultipart.json().error.code).toBe('VALIDATION_FAILED');
    const wrongField = await ctx.request({ method: 'POST', url: '/api/v1/volunteers/imports', ...multipart(csv(good), 'v.csv', 'sheet'), as: xdAdmin });
    expect(wrongField.statusCode).toBe(400);
    const resident = await ctx.register('居民');
    expect((await upload(csv(good), resident, 'v.csv')).statusCode).toBe(403);
    expect((await ctx.request({ method: 'POST', url: '/api/v1/volunteers/imports', ...multipart(csv(good), 'v.csv') })).statusCode).toBe(401);
  });

  it('imports 10,000 rows in batches and reports exact counts; every kind of bad row is reported', async () => {
    const N = 10_000;
    const base = 100_000;
    const rows: Cell[][] = [];
    const expectedBad = new Map<number, string>();
    const team = '师范街医疗服务队';
    const sites = [SHIFANJIE, t.wucheng, t.shifanjie];
    for (let i = 0; i < N; i++) {
      const n = base + i;
      const row: Cell[] = [
        `志愿者${String.fromCharCode(0x4e00 + (i % 2000))}`,
        idFor(n, '140106'),
        phoneFor(n, '137'),
        sites[i % 3]!,
        i % 2 ? '医疗健身' : '',
        i % 10 === 0 ? '中共党员' : '',
        i % 10 === 0 ? `单位${i % 7}` : '',
        i % 50 === 0 ? team : '',
      ];
      const sheetRow = i + 2;
      switch (i % 500) {
        case 7:
          row[1] = (row[1] as string).slice(0, 17) + ((row[1] as string)[17] === '0' ? '1' : '0');
          expectedBad.set(sheetRow, 'idNumber');
          break;
        case 17:
          row[2] = '12345';
          expectedBad.set(sheetRow, 'phone');
          break;
        case 27:
          row[0] = '';
          expectedBad.set(sheetRow, 'realName');
          break;
        case 37:
          row[3] = '平城区新时代文明实践中心';
          expectedBad.set(sheetRow, 'site');
          break;
        case 47:
          row[4] = '烹饪';
          expectedBad.set(sheetRow, 'skills');
          break;
        case 57:
          // The same person as the row before.
          row[1] = idFor(n - 1, '140106');
          expectedBad.set(sheetRow, 'idNumber');
          break;
        case 67:
          row[2] = phoneFor(n - 1, '137');
          expectedBad.set(sheetRow, 'phone');
          break;
        case 77:
          row[5] = '无';
          expectedBad.set(sheetRow, 'politicalStatus');
          break;
        case 87:
          row[0] = { formula: '"公式"&"姓名"', result: '公式姓名' };
          expectedBad.set(sheetRow, 'realName');
          break;
      }
      rows.push(row);
    }
    const bytes = await xlsx(rows);
    const before = await count('SELECT count(*)::int AS n FROM volunteers');
    const usersBefore = await count('SELECT count(*)::int AS n FROM users');
    const res = await upload(bytes, xdAdmin, '一万人.xlsx');
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id;
    // Progress is visible while it runs.
    const early = (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/imports/${id}`, as: xdAdmin })).json();
    expect(['queued', 'running', 'done']).toContain(early.state);
    expect(early.total).toBe(N);
    await ctx.app.modules.volunteerBulk.settled(id);
    const job = (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/imports/${id}`, as: xdAdmin })).json();
    expect(job).toMatchObject({ state: 'done', total: N, processed: N, failed: expectedBad.size, imported: N - expectedBad.size });
    expect(expectedBad.size).toBe(9 * 20);
    expect(new Map(job.errors.map((e: { row: number; field: string }) => [e.row, e.field]))).toEqual(expectedBad);
    expect(job.errors.every((e: { reason: string }) => /[\u4e00-\u9fa5]/.test(e.reason))).toBe(true);
    expect(await count('SELECT count(*)::int AS n FROM volunteers')).toBe(before + N - expectedBad.size);
    expect(await count('SELECT count(*)::int AS n FROM users')).toBe(usersBefore + N - expectedBad.size);
    expect(await count("SELECT count(*)::int AS n FROM volunteers WHERE political_status = 'party' AND work_unit LIKE '单位%'")).toBe(
      rows.filter((r, i) => r[5] === '中共党员' && !expectedBad.has(i + 2)).length,
    );
    // Every volunteer has its account; no account without a volunteer was left behind.
    expect(await count("SELECT count(*)::int AS n FROM users u WHERE u.phone LIKE '137%' AND u.id NOT IN (SELECT v.user_id FROM volunteers v)")).toBe(0);
    const vr = (
      await ctx.database.raw.query<{ c: number }>(
        "SELECT count(DISTINCT batch)::int AS c FROM (SELECT jsonb_array_elements(after->'imported') AS batch FROM audit_logs WHERE action = 'volunteer.import' AND entity_id = $1) x",
        [id],
      )
    )[0]!;
    expect(Number(vr.c)).toBe(N - expectedBad.size);
  }, 300_000);

  it('commits batch by batch: a batch that fails leaves nothing of itself, the job says where it stopped', async () => {
    const db = ctx.database.db;
    const real = createVolunteerBulkRepository(db);
    let advances = 0;
    const bulk = {
      ...real,
      // The second batch fails after writing its accounts and volunteers: its transaction must undo them.
      advance: async (...args: Parameters<typeof real.advance>) => {
        if (++advances === 2) throw new Error('disk full');
        return real.advance(...args);
      },
    };
    const svc = createVolunteerBulkService({
      db,
      bulk,
      volunteers: createVolunteersRepository(db),
      orgs: createOrgsRepository(db),
      catalogues: createCataloguesRepository(db),
      audit: createAuditRepository(db),
      pii: createPii(Buffer.alloc(32, 7)),
      batchRows: 3,
    });
    const rows = Array.from({ length: 8 }, (_, i) => `批次${'甲乙丙丁戊己庚辛'[i]},${idFor(5000 + i)},${phoneFor(5000 + i)},${SHIFANJIE}`);
    const actor = (await ctx.app.modules.auth.actorOf(xdAdmin.userId))!;
    const { id } = await svc.startImport(
      { actor, ip: '127.0.0.1', requestId: 'test' },
      { data: Buffer.from(`姓名,身份证号,手机号,报到阵地\n${rows.join('\n')}\n`), fileName: 'b.csv' },
    );
    await svc.settled(id);
    const job = await svc.getImport({ actor, ip: '127.0.0.1', requestId: 'test' }, id);
    expect(job).toMatchObject({ state: 'failed', total: 8, processed: 3, imported: 3, failed: 0 });
    expect(job.message).toContain('第5行');
    expect(await count("SELECT count(*)::int AS n FROM volunteers WHERE real_name LIKE '批次%'")).toBe(3);
    for (let i = 3; i < 8; i++) expect(await count('SELECT count(*)::int AS n FROM users WHERE phone = $1', [phoneFor(5000 + i)])).toBe(0);
    // Running the file again imports the rest and reports the first three as registered.
    const again = await importAndWait(Buffer.from(`姓名,身份证号,手机号,报到阵地\n${rows.join('\n')}\n`), xdAdmin, 'b.csv');
    expect(again).toMatchObject({ state: 'done', imported: 5, failed: 3 });
  });

  it('exports the filtered list as .xlsx, masked like the list, within the caller’s scope', async () => {
    await volunteer(ctx, t.xinwang, { name: '大同人' });
    const list = async (as: Caller, query: string) => {
      const items: { realName: string; phone: string; idNumber: string }[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: typeof items; nextCursor: string | null } = (
          await ctx.request({ method: 'GET', url: `/api/v1/volunteers?limit=200&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, as })
        ).json();
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    };
    const exported = async (as: Caller, query: string) => {
      const res = await ctx.request({ method: 'GET', url: `/api/v1/volunteers/export?${query}`, as });
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const rows = rowsOf((await readXlsx(res.rawPayload)).worksheets[0]!);
      expect(rows[0]!.slice(0, 4)).toEqual(['姓名', '身份证号', '手机号', '报到阵地']);
      return rows.slice(1);
    };
    const q = `politicalStatus=party&orgId=${t.xiaodian}`;
    const want = await list(xdDispatcher, q);
    expect(want.length).toBe(
      await count(
        "SELECT count(*)::int AS n FROM volunteers v JOIN orgs o ON o.city_code = v.city_code AND o.id = v.org_id WHERE v.political_status = 'party' AND o.path <@ (SELECT path FROM orgs WHERE id = $1)",
        [t.xiaodian],
      ),
    );
    const got = await exported(xdDispatcher, q);
    expect(got.length).toBe(want.length);
    expect(got.length).toBeGreaterThan(900);
    expect(got.map((r) => [r[0], r[1], r[2]])).toEqual(want.map((v) => [v.realName, v.idNumber, v.phone]));
    expect(got.every((r) => /^\d{4}\*{10}[\dX]{4}$/.test(r[1]!) && /^\d{3}\*{4}\d{4}$/.test(r[2]!) && r[5] === '中共党员')).toBe(true);
    // The whole subtree, larger than one page of the export's own paging.
    const all = await exported(xdAdmin, '');
    expect(all.length).toBe(
      await count(
        'SELECT count(*)::int AS n FROM volunteers v JOIN orgs o ON o.city_code = v.city_code AND o.id = v.org_id WHERE o.path <@ (SELECT path FROM orgs WHERE id = $1)',
        [t.xiaodian],
      ),
    );
    expect(all.length).toBeGreaterThan(9_000);
    expect(all.some((r) => r[0] === '大同人')).toBe(false);
    // Admins see phones, as in the list.
    const adminRows = await exported(ctx.admin, 'q=王芳');
    expect(adminRows.map((r) => r[2])).toEqual([phoneFor(1001)]);
    expect(adminRows[0]![7]).toBe('师范街医疗服务队');
    // Scope and filters are checked before anything is streamed.
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers/export?orgId=${t.xiaodian}`, as: pcAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/volunteers/export?star=9', as: xdAdmin })).statusCode).toBe(400);
    const resident = await ctx.register('居民');
    expect((await ctx.request({ method: 'GET', url: '/api/v1/volunteers/export', as: resident })).statusCode).toBe(403);
    expect((await exported(pcAdmin, '')).map((r) => r[0])).toEqual(['大同人']);
    expect(await count("SELECT count(*)::int AS n FROM audit_logs WHERE action = 'volunteer.export'")).toBeGreaterThanOrEqual(4);
  }, 180_000);

  it('lists party members by work unit with their hours and verified services (党员双报到)', async () => {
    // A verified record for 王芳 (山西省人民医院).
    const wang = (await ctx.database.raw.query<{ id: string }>("SELECT id FROM volunteers WHERE real_name = '王芳'"))[0]!;
    const recordId = newId();
    await ctx.database.raw.query(
      `INSERT INTO service_records (city_code, id, volunteer_id, org_id, source_type, source_id, hours, title) VALUES ('1401', $1, $2, $3, 'activity', $4, 3.5, '义诊')`,
      [recordId, wang.id, t.shifanjie, newId()],
    );
    expect((await ctx.request({ method: 'POST', url: `/api/v1/service-records/${recordId}/verify`, payload: {}, as: xdAdmin })).statusCode).toBe(200);

    const res = await ctx.request({ method: 'GET', url: '/api/v1/volunteers/party-units?limit=200', as: xdDispatcher });
    expect(res.statusCode, res.body).toBe(200);
    const units = res.json().items as {
      workUnit: string | null;
      memberCount: number;
      totalHours: number;
      serviceCount: number;
      members: { realName: string; phone: string; totalHours: number; serviceCount: number }[];
    }[];
    expect(units[0]).toMatchObject({ workUnit: '山西省人民医院', memberCount: 1, totalHours: 3.5, serviceCount: 1 });
    expect(units[0]!.members[0]).toMatchObject({ realName: '王芳', totalHours: 3.5, serviceCount: 1 });
    expect(units[0]!.members[0]!.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    const byName = new Map(units.map((u) => [u.workUnit, u]));
    expect(byName.get('太原市第一中学')!.memberCount).toBe(1);
    const want = await count("SELECT count(*)::int AS n FROM volunteers WHERE political_status = 'party' AND work_unit = '单位3'");
    expect(byName.get('单位3')!.memberCount).toBe(want);
    expect(byName.get('单位3')!.members.length).toBe(Math.min(want, 200));
    expect(units.reduce((s, u) => s + u.memberCount, 0)).toBe(
      await count(
        "SELECT count(*)::int AS n FROM volunteers v JOIN orgs o ON o.city_code = v.city_code AND o.id = v.org_id WHERE v.political_status = 'party' AND o.path::text LIKE (SELECT path::text FROM orgs WHERE id = $1) || '%'",
        [t.xiaodian],
      ),
    );
    // Paged by unit.
    const p1 = (await ctx.request({ method: 'GET', url: '/api/v1/volunteers/party-units?limit=2', as: xdDispatcher })).json();
    expect(p1.items.map((u: { workUnit: string }) => u.workUnit)).toEqual(units.slice(0, 2).map((u) => u.workUnit));
    const p2 = (
      await ctx.request({ method: 'GET', url: `/api/v1/volunteers/party-units?limit=2&cursor=${encodeURIComponent(p1.nextCursor)}`, as: xdDispatcher })
    ).json();
    expect(p2.items.map((u: { workUnit: string }) => u.workUnit)).toEqual(units.slice(2, 4).map((u) => u.workUnit));
    // Search by unit or name; scope.
    const found = (await ctx.request({ method: 'GET', url: `/api/v1/volunteers/party-units?q=${encodeURIComponent('人民医院')}`, as: xdDispatcher })).json();
    expect(found.items.map((u: { workUnit: string }) => u.workUnit)).toEqual(['山西省人民医院']);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/volunteers/party-units', as: pcAdmin })).json().items).toEqual([]);
    expect((await ctx.request({ method: 'GET', url: `/api/v1/volunteers/party-units?orgId=${t.xiaodian}`, as: pcAdmin })).statusCode).toBe(403);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/volunteers/party-units?cursor=garbage', as: xdDispatcher })).statusCode).toBe(400);
    expect((await ctx.request({ method: 'GET', url: '/api/v1/volunteers/party-units', as: await ctx.register('居民') })).statusCode).toBe(403);
  });
});

/** GB18030 bytes for Chinese text (the test's own tiny encoder, via the round trip of TextDecoder). */
function encodeGb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) {
      out.push(ch.charCodeAt(0));
      continue;
    }
    let found = false;
    for (let b1 = 0x81; b1 <= 0xfe && !found; b1++) {
      for (let b2 = 0x40; b2 <= 0xfe; b2++) {
        if (b2 === 0x7f) continue;
        if (decoder.decode(new Uint8Array([b1, b2])) === ch) {
          out.push(b1, b2);
          found = true;
          break;
        }
      }
    }
    if (!found) throw new Error(`no GB18030 two-byte code for ${ch}`);
  }
  return Buffer.from(out);
}
