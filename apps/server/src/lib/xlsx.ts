import type { Readable } from 'node:stream';
import unzipper from 'unzipper';
import type ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { toIso } from './time.ts';

/**
 * The .xlsx house style and the mechanics every export shares: sheets from column definitions
 * with a frozen header row (bold, pale fill, thin bottom border), the buffer, wall-clock cells
 * and the download response with a Chinese file name.
 */

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface XlsxColumn {
  header: string;
  key: string;
  /** Characters; 14 when not given. */
  width?: number;
  /** Stored as text, so Excel keeps all 18 characters of an ID number and a phone's leading digits. */
  text?: boolean;
}

/** A row keyed by column key (ExcelJS takes any object). */
export type XlsxRow = object;

const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE8E8' } };
const HEADER_BORDER: Partial<ExcelJS.Borders> = { bottom: { style: 'thin', color: { argb: 'FFC8161D' } } };

/**
 * ExcelJS, loaded when a sheet is first made or read: ~20 MB of memory that a server which never
 * exports or imports a sheet does not carry.
 */
export async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

/** What an uploaded workbook may hold once unpacked (a zip bomb is refused before ExcelJS inflates it). */
export interface UnpackedLimits {
  maxEntries: number;
  /** The largest one part may inflate to. */
  maxEntryBytes: number;
  /** All parts together. */
  maxTotalBytes: number;
}

/** Why a workbook was refused before it was read. */
export type UnpackedRefusal = { reason: 'unreadable' } | { reason: 'tooManyParts'; entries: number } | { reason: 'tooLarge'; bytes: number };

/**
 * Checks an .xlsx (a zip) against `limits` before anything reads it whole: first the sizes its
 * central directory declares, then the real ones, by inflating each part through a counter that
 * stops at the limit (a crafted archive can declare small sizes and inflate to gigabytes; ExcelJS
 * would inflate every part into memory). Returns null when the workbook is within the limits.
 */
export async function refuseOversizedWorkbook(data: Buffer, limits: UnpackedLimits): Promise<UnpackedRefusal | null> {
  let directory: unzipper.CentralDirectory;
  try {
    directory = await unzipper.Open.buffer(data);
  } catch {
    return { reason: 'unreadable' };
  }
  const files = directory.files.filter((f) => f.type === 'File');
  if (files.length > limits.maxEntries) return { reason: 'tooManyParts', entries: files.length };
  let declared = 0;
  for (const f of files) {
    declared += f.uncompressedSize;
    if (f.uncompressedSize > limits.maxEntryBytes || declared > limits.maxTotalBytes) return { reason: 'tooLarge', bytes: declared };
  }
  let total = 0;
  for (const f of files) {
    let inEntry = 0;
    const over = await new Promise<boolean | 'unreadable'>((resolve) => {
      const stream = f.stream();
      stream.on('data', (chunk: Buffer) => {
        inEntry += chunk.length;
        total += chunk.length;
        if (inEntry > limits.maxEntryBytes || total > limits.maxTotalBytes) {
          stream.destroy();
          resolve(true);
        }
      });
      stream.on('end', () => resolve(false));
      stream.on('error', () => resolve('unreadable'));
    });
    if (over === 'unreadable') return { reason: 'unreadable' };
    if (over) return { reason: 'tooLarge', bytes: total };
  }
  return null;
}

export async function createWorkbook() {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = '文明实践云';
  wb.created = new Date();
  return {
    /** A worksheet whose first row is the styled, frozen header; `rows` (keyed by column key) follow it. */
    addSheet(name: string, columns: XlsxColumn[], rows: readonly XlsxRow[] = []): ExcelJS.Worksheet {
      const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 14, ...(c.text ? { style: { numFmt: '@' } } : {}) }));
      ws.getRow(1).eachCell((cell) => {
        cell.font = HEADER_FONT;
        cell.fill = HEADER_FILL;
        cell.border = HEADER_BORDER;
        cell.alignment = { vertical: 'middle' };
      });
      ws.addRows([...rows]);
      return ws;
    },
    async toBuffer(): Promise<Buffer> {
      return Buffer.from(await wb.xlsx.writeBuffer());
    },
  };
}

/** China wall-clock text for a cell, `2026-11-22 09:30`, from an instant or the API's ISO string; '' for none. */
export function cellTime(at: Date | string | null | undefined): string {
  if (!at) return '';
  return (typeof at === 'string' ? at : toIso(at)).slice(0, 16).replace('T', ' ');
}

/** RFC 5987 value: percent-encoded UTF-8, with the characters encodeURIComponent leaves but attr-char forbids. */
const rfc5987 = (s: string) => encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * An `attachment` Content-Disposition: the UTF-8 name (filename*) that every current browser uses,
 * and a plain ASCII name for the rest — `asciiName` when given, else the name with each run of
 * other characters as `_`.
 */
function attachment(fileName: string, asciiName?: string): string {
  const ascii = (asciiName ?? fileName).replace(/[^\x20-\x7e]+/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(fileName)}`;
}

/** Sends a workbook (a buffer, or a stream being written) as a download that is never cached. */
export function sendXlsx(reply: FastifyReply, fileName: string, body: Buffer | Readable, asciiName?: string) {
  return reply.header('Content-Type', XLSX_TYPE).header('Content-Disposition', attachment(fileName, asciiName)).header('Cache-Control', 'no-store').send(body);
}
