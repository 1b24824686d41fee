import type ExcelJS from 'exceljs';
import { msg, VOLUNTEER_IMPORT_COLUMNS, VOLUNTEER_IMPORT_MAX_ROWS, type VolunteerImportField } from '@wenming/contracts';
import { AppError, ruleViolation } from '../../lib/errors.ts';
import { createWorkbook, loadExcel, refuseOversizedWorkbook } from '../../lib/xlsx.ts';

/**
 * Reading and writing the spreadsheets of the volunteer import and export: .xlsx through exceljs,
 * CSV by hand (UTF-8 with or without BOM, or GB18030 as Excel on Chinese Windows saves it).
 * The type of a file is decided by its content, never by its name.
 */

export type ColumnKey = (typeof VOLUNTEER_IMPORT_COLUMNS)[number]['key'];

export interface SheetRow {
  /** The row number as the spreadsheet shows it (header = 1 for CSV and the usual sheet). */
  row: number;
  values: Record<ColumnKey, string>;
  /** Cell-level problems (formulas, error values, numbers that lost digits). */
  problems: { field: VolunteerImportField; reason: string }[];
}

export const DATA_SHEET = '志愿者名单';

/** Header texts (and common variants) → column. Headers are compared without spaces, `*` and a trailing （…）. */
const HEADER_ALIASES: Record<string, ColumnKey> = {
  姓名: 'realName',
  真实姓名: 'realName',
  身份证号: 'idNumber',
  身份证号码: 'idNumber',
  公民身份号码: 'idNumber',
  手机号: 'phone',
  手机号码: 'phone',
  手机: 'phone',
  联系电话: 'phone',
  报到阵地: 'site',
  阵地: 'site',
  报到站点: 'site',
  技能: 'skills',
  服务技能: 'skills',
  政治面貌: 'politicalStatus',
  工作单位: 'workUnit',
  团队: 'team',
  所在团队: 'team',
  队伍: 'team',
};

export function normalizeHeader(text: string): string {
  return text
    .replace(/[\s\u3000*＊]/g, '')
    .replace(/[（(][^（()）]*[)）]$/, '')
    .trim();
}

function fileError(zh: string, en: string): AppError {
  return new AppError('VALIDATION_FAILED', { zh, en }, [{ path: 'file', message: msg(zh, en) }]);
}

const emptyValues = (): Record<ColumnKey, string> => Object.fromEntries(VOLUNTEER_IMPORT_COLUMNS.map((c) => [c.key, ''])) as Record<ColumnKey, string>;

/** Maps the header row to columns; throws when a required column is missing. */
function mapHeader(cells: string[]): Map<number, ColumnKey> {
  const map = new Map<number, ColumnKey>();
  const seen = new Set<ColumnKey>();
  cells.forEach((text, i) => {
    const key = HEADER_ALIASES[normalizeHeader(text)];
    if (key && !seen.has(key)) {
      map.set(i, key);
      seen.add(key);
    }
  });
  const missing = VOLUNTEER_IMPORT_COLUMNS.filter((c) => c.required && !seen.has(c.key)).map((c) => c.header);
  if (missing.length) {
    const zh = `表头缺少必填列：${missing.join('、')}。请使用下载的模板，第一行为表头。`;
    throw new AppError('VALIDATION_FAILED', { zh, en: `The header row lacks required columns: ${missing.join(', ')}` }, [
      { path: 'file', message: msg(zh, `The header row lacks required columns: ${missing.join(', ')}`) },
    ]);
  }
  return map;
}

function tooManyRows(): AppError {
  return ruleViolation({
    zh: `单个文件最多导入 ${VOLUNTEER_IMPORT_MAX_ROWS} 行，请拆分后分批导入`,
    en: `At most ${VOLUNTEER_IMPORT_MAX_ROWS} rows per file; split it`,
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Reads an uploaded .xlsx or .csv into data rows (blank rows skipped). */
export async function readVolunteerSheet(data: Buffer): Promise<SheetRow[]> {
  if (data.length === 0) throw fileError('文件是空的', 'The file is empty');
  const magic = data.subarray(0, 4).toString('hex');
  if (magic === '504b0304') return readXlsx(data);
  if (magic === 'd0cf11e0') throw fileError('不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 后上传', 'Old .xls files are not supported; save as .xlsx');
  if (magic.startsWith('504b')) throw fileError('文件不是有效的 Excel（.xlsx）文件', 'The file is not a valid .xlsx workbook');
  return readCsv(data);
}

function cellText(cell: ExcelJS.Cell, key: ColumnKey | undefined, types: typeof ExcelJS.ValueType): { text: string; problem?: string } {
  const v = cell.value;
  if (v === null || v === undefined) return { text: '' };
  if (cell.type === types.Formula || (typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)))
    return { text: '', problem: '单元格含公式，请改为直接填写的文字（复制后“选择性粘贴为数值”）' };
  if (cell.type === types.Error || (typeof v === 'object' && 'error' in v)) return { text: '', problem: '单元格是错误值（如 #N/A），请改为正确内容' };
  if (typeof v === 'string') return { text: v.trim() };
  if (typeof v === 'number') {
    if (key === 'idNumber' && (!Number.isSafeInteger(v) || String(v).length > 15))
      return { text: '', problem: '身份证号被 Excel 存成了数字，末尾几位已丢失；请将该列设为“文本”格式后重新填写' };
    return { text: Number.isInteger(v) ? String(v) : String(v).trim() };
  }
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE' };
  if (v instanceof Date) return { text: Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10) };
  if (typeof v === 'object' && 'richText' in v)
    return {
      text: v.richText
        .map((r) => r.text)
        .join('')
        .trim(),
    };
  if (typeof v === 'object' && 'text' in v) {
    const text = (v as { text: unknown }).text;
    return { text: typeof text === 'string' || typeof text === 'number' ? String(text).trim() : '' };
  }
  return { text: String(cell.text ?? '').trim() };
}

/**
 * What a workbook of VOLUNTEER_IMPORT_MAX_ROWS rows unpacks to, with room to spare: about 35 MB of
 * sheet XML and shared strings for 50,000 rows of twelve columns. A crafted 1 MB file can unpack to
 * hundreds of megabytes; it is refused before ExcelJS inflates it.
 */
export const XLSX_UNPACKED_LIMITS = { maxEntries: 1000, maxEntryBytes: 64 * 1024 * 1024, maxTotalBytes: 96 * 1024 * 1024 };

async function readXlsx(data: Buffer): Promise<SheetRow[]> {
  const refusal = await refuseOversizedWorkbook(data, XLSX_UNPACKED_LIMITS);
  if (refusal?.reason === 'unreadable')
    throw fileError('文件无法读取：不是有效的 Excel（.xlsx）文件，或文件已损坏', 'The file cannot be read as an .xlsx workbook');
  if (refusal?.reason === 'tooManyParts')
    throw fileError(`文件中的部件过多（${refusal.entries} 个），不是正常的 Excel 表格`, `The workbook holds too many parts (${refusal.entries})`);
  if (refusal)
    throw fileError(
      `文件解压后超过 ${XLSX_UNPACKED_LIMITS.maxTotalBytes / 1024 / 1024} MB，不是正常的志愿者名单；请只保留名单工作表后重新上传`,
      `The workbook unpacks to more than ${XLSX_UNPACKED_LIMITS.maxTotalBytes / 1024 / 1024} MB`,
    );
  const Excel = await loadExcel();
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch {
    throw fileError('文件无法读取：不是有效的 Excel（.xlsx）文件，或文件已损坏', 'The file cannot be read as an .xlsx workbook');
  }
  const ws = wb.getWorksheet(DATA_SHEET) ?? wb.worksheets.find((w) => w.state === 'visible') ?? wb.worksheets[0];
  if (!ws) throw fileError('工作簿中没有工作表', 'The workbook has no sheet');
  if (ws.actualRowCount > VOLUNTEER_IMPORT_MAX_ROWS + 1) throw tooManyRows();
  let header: Map<number, ColumnKey> | null = null;
  const out: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (!header) {
      const texts: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        texts[col - 1] = cellText(cell, undefined, Excel.ValueType).text;
      });
      if (texts.every((t) => !t)) return;
      header = mapHeader(Array.from(texts, (t) => t ?? ''));
      return;
    }
    const values = emptyValues();
    const problems: SheetRow['problems'] = [];
    for (const [index, key] of header) {
      const { text, problem } = cellText(row.getCell(index + 1), key, Excel.ValueType);
      values[key] = text;
      if (problem) problems.push({ field: key, reason: problem });
    }
    if (problems.length === 0 && Object.values(values).every((v) => !v)) return;
    out.push({ row: rowNumber, values, problems });
  });
  if (!header) throw fileError('表格是空的：第一行应为表头（姓名、身份证号、手机号、报到阵地…）', 'The sheet is empty');
  if (out.length > VOLUNTEER_IMPORT_MAX_ROWS) throw tooManyRows();
  return out;
}

function decodeText(data: Buffer): string {
  if (data.includes(0)) throw fileError('文件不是 Excel（.xlsx）或 CSV 文本文件', 'The file is neither an .xlsx workbook nor CSV text');
  let body = data;
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(body);
    } catch {
      throw fileError('CSV 文件的文字编码无法识别，请保存为 UTF-8 编码', 'The CSV text encoding is not recognised; save it as UTF-8');
    }
  }
}

/** RFC 4180 fields: quotes, doubled quotes, CRLF or LF; comma or tab separated. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = !firstLine.includes(',') && firstLine.includes('\t') ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function readCsv(data: Buffer): SheetRow[] {
  const rows = parseCsv(decodeText(data));
  let header: Map<number, ColumnKey> | null = null;
  const out: SheetRow[] = [];
  rows.forEach((cells, i) => {
    const rowNumber = i + 1;
    if (!header) {
      if (cells.every((c) => !c.trim())) return;
      header = mapHeader(cells.map((c) => c.trim()));
      return;
    }
    const values = emptyValues();
    const problems: SheetRow['problems'] = [];
    for (const [index, key] of header) {
      const text = (cells[index] ?? '').trim();
      // A CSV cell Excel would run as a formula.
      if (text.startsWith('=')) problems.push({ field: key, reason: '单元格含公式，请改为直接填写的文字' });
      else values[key] = text;
    }
    if (problems.length === 0 && Object.values(values).every((v) => !v)) return;
    if (out.length >= VOLUNTEER_IMPORT_MAX_ROWS) throw tooManyRows();
    out.push({ row: rowNumber, values, problems });
  });
  if (!header) throw fileError('表格是空的：第一行应为表头（姓名、身份证号、手机号、报到阵地…）', 'The sheet is empty');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface TemplateInput {
  sites: { id: string; name: string; level: string }[];
  sitesTruncated: boolean;
  categories: { code: string; name: string }[];
  sampleSite: string;
}

export const SAMPLE_ID_NUMBER = '11010519491231002X';
const LEVEL_NAMES: Record<string, string> = { city: '市', center: '中心', institute: '所', station: '站', point: '点' };

export async function buildTemplate(input: TemplateInput): Promise<Buffer> {
  const wb = await createWorkbook();
  const ws = wb.addSheet(
    DATA_SHEET,
    VOLUNTEER_IMPORT_COLUMNS.map((c) => ({
      header: c.header,
      key: c.key,
      width: { realName: 12, idNumber: 22, phone: 15, site: 34, skills: 26, politicalStatus: 12, workUnit: 28, team: 24 }[c.key],
      text: true,
    })),
  );
  VOLUNTEER_IMPORT_COLUMNS.forEach((c, i) => {
    const cell = ws.getRow(1).getCell(i + 1);
    cell.note = c.required ? '必填' : '选填';
  });
  const skillNames = input.categories
    .slice(0, 2)
    .map((c) => c.name)
    .join('、');
  const sample = ws.addRow({
    realName: '张三',
    idNumber: SAMPLE_ID_NUMBER,
    phone: '13800138000',
    site: input.sampleSite,
    skills: skillNames,
    politicalStatus: '中共党员',
    workUnit: '太原市第一人民医院',
    team: '',
  });
  sample.font = { italic: true, color: { argb: 'FF8C8C8C' } };
  const polCol = VOLUNTEER_IMPORT_COLUMNS.findIndex((c) => c.key === 'politicalStatus') + 1;
  for (let r = 2; r <= 5001; r++) {
    ws.getCell(r, polCol).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: ['"中共党员,共青团员,群众"'],
      showErrorMessage: true,
      errorTitle: '政治面貌',
      error: '请选择：中共党员、共青团员或群众',
    };
  }

  const help = wb.addSheet('填写说明', [
    { header: '列', key: 'col', width: 14 },
    { header: '是否必填', key: 'req', width: 10 },
    { header: '填写要求', key: 'rule', width: 90 },
  ]);
  const rules: Record<ColumnKey, string> = {
    realName: '真实姓名，1–50 个字（可含少数民族姓名中的“·”）。',
    idNumber: '18 位居民身份证号码，末位可为 X；校验位和出生日期须正确。同一身份证号只能登记一次。请保持本列为“文本”格式。',
    phone: '11 位手机号。已注册的手机号会关联到该账号（注册姓名须与本表姓名一致）；同一手机号只能登记一名志愿者。',
    site: '报到阵地的全称（见“阵地列表”工作表）或阵地编号；须在您的管辖范围内，不能是市级。',
    skills: '服务技能，填写“技能类别”工作表中的名称，多个用顿号“、”分隔，如“医疗健身、法律服务”。',
    politicalStatus: '中共党员、共青团员或群众；不填视为群众。',
    workUnit: '在职党员填写所在工作单位（党员双报到），最多 100 个字。',
    team: '加入的志愿服务队名称或编号（选填），须在您的管辖范围内。',
  };
  for (const c of VOLUNTEER_IMPORT_COLUMNS) help.addRow({ col: c.header, req: c.required ? '必填' : '选填', rule: rules[c.key] });
  help.addRow({});
  for (const line of [
    '1. 第一行是表头，请勿修改；从第二行开始每行一位志愿者。第二行灰色斜体是示例，导入前请删除。',
    '2. 每行单独校验：合格的行导入，有问题的行不导入，并在结果中列出行号和原因，可下载“问题行”修改后重新导入。',
    '3. 同一个文件重复导入不会重复登记：已登记的身份证号、手机号会被列为问题行。',
    `4. 单个文件最多 ${VOLUNTEER_IMPORT_MAX_ROWS} 行、10 MB；支持 .xlsx 和 .csv（UTF-8 或 GBK 编码）。请不要使用公式。`,
    '5. 导入的志愿者账号暂无登录密码，需本人设置密码后才能登录（身份证号加密保存，任何页面只显示前4位和后4位）。',
  ])
    help.addRow({ col: line }).getCell(1).alignment = { wrapText: false };

  const sites = wb.addSheet(
    '阵地列表',
    [
      { header: '阵地名称', key: 'name', width: 40 },
      { header: '层级', key: 'level', width: 8 },
      { header: '阵地编号', key: 'id', width: 40 },
    ],
    input.sites.map((s) => ({ name: s.name, level: LEVEL_NAMES[s.level] ?? s.level, id: s.id })),
  );
  if (input.sitesTruncated) sites.addRow({ name: '（阵地较多，仅列出一部分；其余可在“阵地管理”中查到名称）' });

  wb.addSheet(
    '技能类别',
    [
      { header: '技能名称', key: 'name', width: 20 },
      { header: '代码', key: 'code', width: 16 },
    ],
    input.categories,
  );

  return wb.toBuffer();
}

/** The bad rows of an import with their reasons, ready to fix and import again. */
export async function buildErrorsWorkbook(rows: { row: number; values: Record<string, string>; reasons: string[] }[]): Promise<Buffer> {
  const wb = await createWorkbook();
  const ws = wb.addSheet(DATA_SHEET, [
    { header: '原行号', key: 'row', width: 8 },
    ...VOLUNTEER_IMPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.key === 'site' || c.key === 'workUnit' ? 30 : 16, text: true })),
    { header: '问题原因', key: 'reasons', width: 60 },
  ]);
  for (const r of rows) {
    const cells: Record<string, string | number> = { row: r.row, reasons: r.reasons.join('；') };
    for (const c of VOLUNTEER_IMPORT_COLUMNS) cells[c.key] = r.values[c.key] ?? '';
    const added = ws.addRow(cells);
    added.getCell('reasons').font = { color: { argb: 'FFC8102E' } };
  }
  return wb.toBuffer();
}
