import { Readable } from 'node:stream';
import yazl from 'yazl';

/**
 * A one-sheet .xlsx written as a stream that is pulled, not pushed: the sheet's XML is produced
 * from an async source of row pages only when the zip's deflate asks for more, and the zip only
 * deflates when the response takes what it has made. So however slow the client or however busy
 * the CPU, the server holds about one page of rows and the deflate window — not the backlog that
 * ExcelJS's streamed writer keeps between its rows and its zip (it writes every row into the zip
 * without waiting; measured +123 MB for a district's 65 k volunteers on a busy machine).
 *
 * The workbook is the house style of the other exports (lib/xlsx.ts): a frozen, bold header row
 * on a pale fill with a thin red bottom border; text columns formatted as text (`@`), so Excel
 * keeps every digit of an ID number and a phone's leading digits. Strings are inline (no shared
 * strings table, which would have to be held whole until the end).
 */

export interface StreamColumn {
  header: string;
  /** Characters; 14 when not given. */
  width?: number;
  /** Formatted as text (`@`). */
  text?: boolean;
}

export type StreamCell = string | number | null | undefined;

/** Characters XML 1.0 does not allow (C0 controls but tab, LF, CR; U+FFFE/FFFF; lone surrogates). */
// eslint-disable-next-line no-control-regex -- the point is to remove control characters
const INVALID_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlText(s: string): string {
  return s.replace(INVALID_XML, '').replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** Column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`;
const APP = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>文明实践云</Application></Properties>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;
/** Styles: 0 default, 1 the header (bold, pale fill, thin red bottom border), 2 text (`@`). */
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFDE8E8"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top/><bottom style="thin"><color rgb="FFC8161D"/></bottom><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="center"/></xf><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

function workbookXml(sheetName: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets><sheet name="${xmlText(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
}

function rowXml(r: number, cells: readonly StreamCell[], columns: readonly StreamColumn[], style?: number): string {
  let out = `<row r="${r}">`;
  for (let c = 0; c < columns.length; c++) {
    const v = cells[c];
    const s = style ?? (columns[c]!.text ? 2 : 0);
    const ref = `${columnName(c)}${r}`;
    const attr = s ? ` s="${s}"` : '';
    if (v === null || v === undefined || v === '') {
      if (s) out += `<c r="${ref}"${attr}/>`;
    } else if (typeof v === 'number' && Number.isFinite(v) && !columns[c]!.text && style === undefined) out += `<c r="${ref}"${attr}><v>${v}</v></c>`;
    else out += `<c r="${ref}"${attr} t="inlineStr"><is><t xml:space="preserve">${xmlText(String(v))}</t></is></c>`;
  }
  return `${out}</row>`;
}

/**
 * The workbook as a readable stream. `pages` is pulled one page at a time, as the client reads;
 * an error from it ends the stream with that error (the response is cut, never a half-valid file
 * presented as whole).
 */
export function streamXlsx(opts: { sheetName: string; columns: readonly StreamColumn[]; pages: AsyncIterable<readonly (readonly StreamCell[])[]> }): Readable {
  const { columns } = opts;
  const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width ?? 14}" customWidth="1"${c.text ? ' style="2"' : ''}/>`).join('');
  async function* sheet() {
    yield `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>${cols}</cols><sheetData>`;
    yield rowXml(
      1,
      columns.map((c) => c.header),
      columns,
      1,
    );
    let r = 1;
    for await (const page of opts.pages) {
      let chunk = '';
      for (const cells of page) chunk += rowXml(++r, cells, columns);
      if (chunk) yield chunk;
    }
    yield '</sheetData></worksheet>';
  }
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(CONTENT_TYPES), '[Content_Types].xml');
  zip.addBuffer(Buffer.from(ROOT_RELS), '_rels/.rels');
  zip.addBuffer(Buffer.from(APP), 'docProps/app.xml');
  zip.addBuffer(Buffer.from(workbookXml(opts.sheetName)), 'xl/workbook.xml');
  zip.addBuffer(Buffer.from(WORKBOOK_RELS), 'xl/_rels/workbook.xml.rels');
  zip.addBuffer(Buffer.from(STYLES), 'xl/styles.xml');
  const source = Readable.from(sheet(), { objectMode: false, highWaterMark: 64 * 1024 });
  const out = zip.outputStream as Readable;
  source.on('error', (e) => out.destroy(e));
  // A client that goes away ends the sheet too: the page source is closed, nothing waits on it.
  out.on('close', () => source.destroy());
  zip.addReadStream(source, 'xl/worksheets/sheet1.xml');
  zip.end();
  return out;
}
