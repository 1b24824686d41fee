import type ExcelJS from 'exceljs';
import { msg } from '@wenming/contracts';
import { AppError } from '../../lib/errors.ts';
import { createWorkbook, loadExcel, refuseOversizedWorkbook } from '../../lib/xlsx.ts';
import { NATIONAL_LAYOUT, type LayoutColumn } from './national-layout.ts';

/** Reading and writing workbooks in the national layout (national-layout.ts names every column). */

export interface LayoutSheet {
  sheet: string;
  columns: readonly LayoutColumn[];
}

export interface ReadRow<K extends string> {
  /** The row number as Excel shows it. */
  row: number;
  values: Record<K, string>;
  /** Cells that cannot be read as typed text (formulas, error values, ID numbers stored as numbers). */
  problems: { key: K; reason: string }[];
}

export const fileError = (zh: string, en: string) => new AppError('VALIDATION_FAILED', { zh, en }, [{ path: 'file', message: msg(zh, en) }]);

const normalize = (text: string) =>
  text
    .replace(/[\s\u3000*＊]/g, '')
    .replace(/[（(][^（()）]*[)）]$/, '')
    .trim();

/** China wall-clock date text of a cell that Excel stored as a date. */
function dateText(d: Date): string {
  // Excel dates carry no zone; ExcelJS reads them as UTC midnight of the day shown.
  return d.toISOString().slice(0, 10);
}

function cellText(cell: ExcelJS.Cell, types: typeof ExcelJS.ValueType, textual: boolean): { text: string; problem?: string } {
  const v = cell.value;
  if (v === null || v === undefined) return { text: '' };
  if (cell.type === types.Formula || (typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)))
    return { text: '', problem: '单元格含公式，请改为直接填写的内容' };
  if (cell.type === types.Error || (typeof v === 'object' && 'error' in v)) return { text: '', problem: '单元格是错误值（如 #N/A），请改为正确内容' };
  if (typeof v === 'string') return { text: v.trim() };
  if (typeof v === 'number') {
    if (textual && (!Number.isSafeInteger(v) || String(v).length > 15))
      return { text: '', problem: '号码被 Excel 存成了数字，末尾几位已丢失；请将该列设为“文本”格式后重新填写' };
    return { text: String(v) };
  }
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE' };
  if (v instanceof Date) return { text: Number.isNaN(v.getTime()) ? '' : dateText(v) };
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
  return { text: '' };
}

/** Reads the workbook once (refusing a zip bomb first); returns the sheets by name. */
export async function loadWorkbook(data: Buffer): Promise<{ wb: ExcelJS.Workbook; types: typeof ExcelJS.ValueType }> {
  if (!data.length) throw fileError('文件是空的', 'The file is empty');
  if (data.subarray(0, 4).toString('hex') !== '504b0304')
    throw fileError('请上传 Excel（.xlsx）文件：全国志愿服务信息系统的批量文件为 .xlsx 格式', 'Upload an .xlsx workbook');
  const refusal = await refuseOversizedWorkbook(data, { maxEntries: 1000, maxEntryBytes: 64 * 1024 * 1024, maxTotalBytes: 96 * 1024 * 1024 });
  if (refusal?.reason === 'unreadable') throw fileError('文件无法读取：不是有效的 Excel（.xlsx）文件，或文件已损坏', 'The file cannot be read');
  if (refusal) throw fileError('文件解压后过大，不是正常的名单；请只保留“志愿者信息”和“服务记录”工作表', 'The workbook unpacks too large');
  const Excel = await loadExcel();
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch {
    throw fileError('文件无法读取：不是有效的 Excel（.xlsx）文件，或文件已损坏', 'The file cannot be read');
  }
  return { wb, types: Excel.ValueType };
}

/**
 * The data rows of one sheet of the layout, by column key (blank rows skipped). A sheet that is
 * absent reads as no rows when `optional`; a header row that lacks a required column is refused.
 */
export function readSheet<K extends string>(
  book: { wb: ExcelJS.Workbook; types: typeof ExcelJS.ValueType },
  layout: { sheet: string; columns: readonly LayoutColumn<K>[] },
  opts: { optional: boolean; maxRows: number },
): ReadRow<K>[] {
  const ws = book.wb.getWorksheet(layout.sheet);
  if (!ws) {
    if (opts.optional) return [];
    throw fileError(`工作簿中没有“${layout.sheet}”工作表（请使用全国志愿服务信息系统的模板或本平台导出的文件）`, `The workbook has no sheet "${layout.sheet}"`);
  }
  if (ws.actualRowCount > opts.maxRows + 1)
    throw fileError(`“${layout.sheet}”最多 ${opts.maxRows} 行，请拆分后分批导入`, `At most ${opts.maxRows} rows in "${layout.sheet}"`);
  const byHeader = new Map<string, LayoutColumn<K>>();
  for (const c of layout.columns) for (const h of [c.header, ...(c.aliases ?? [])]) byHeader.set(normalize(h), c);
  let header: Map<number, LayoutColumn<K>> | null = null;
  const out: ReadRow<K>[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (!header) {
      const map = new Map<number, LayoutColumn<K>>();
      const seen = new Set<string>();
      row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
        const c = byHeader.get(normalize(cellText(cell, book.types, false).text));
        if (c && !seen.has(c.key)) {
          map.set(colNumber, c);
          seen.add(c.key);
        }
      });
      if (!map.size) return;
      const missing = layout.columns.filter((c) => c.required && !seen.has(c.key)).map((c) => c.header);
      if (missing.length)
        throw fileError(`“${layout.sheet}”的表头缺少必填列：${missing.join('、')}`, `"${layout.sheet}" lacks the columns ${missing.join(', ')}`);
      header = map;
      return;
    }
    const values = Object.fromEntries(layout.columns.map((c) => [c.key, ''])) as Record<K, string>;
    const problems: ReadRow<K>['problems'] = [];
    for (const [colNumber, c] of header) {
      const { text, problem } = cellText(row.getCell(colNumber), book.types, !!c.text);
      values[c.key] = text;
      if (problem) problems.push({ key: c.key, reason: problem });
    }
    if (!problems.length && Object.values<string>(values).every((v) => !v)) return;
    out.push({ row: rowNumber, values, problems });
  });
  if (!header && !opts.optional) throw fileError(`“${layout.sheet}”是空的：第一行应为表头`, `"${layout.sheet}" is empty`);
  if (out.length > opts.maxRows) throw fileError(`“${layout.sheet}”最多 ${opts.maxRows} 行，请拆分后分批导入`, `At most ${opts.maxRows} rows`);
  return out;
}

export type SheetRows = Record<string, string | number>[];

/** A workbook in the national layout: the sheets given (keyed rows), then 说明. */
export async function writeWorkbook(sheets: { layout: LayoutSheet; rows: SheetRows }[], notes: string[]): Promise<Buffer> {
  const wb = await createWorkbook();
  for (const s of sheets)
    wb.addSheet(
      s.layout.sheet,
      s.layout.columns.map((c) => ({ header: c.header, key: c.key, width: c.width, text: c.text })),
      s.rows,
    );
  const help = wb.addSheet('说明', [{ header: '说明', key: 'line', width: 110 }]);
  for (const line of [`版式：${NATIONAL_LAYOUT.template}`, ...notes]) help.addRow({ line });
  return wb.toBuffer();
}
