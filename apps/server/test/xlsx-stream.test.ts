import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { columnName, streamXlsx, type StreamCell } from '../src/lib/xlsx-stream.ts';

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

describe('streamed .xlsx (lib/xlsx-stream.ts)', () => {
  it('writes a workbook Excel readers open: header, frozen pane, text columns, numbers, escaped markup', async () => {
    async function* pages(): AsyncGenerator<StreamCell[][]> {
      yield [
        ['王<b>芳</b> & "李"', '14010519800101001X', 12.5, null],
        ['bad\u0000chars\ud800here', '0351', 0, ''],
      ];
      yield [];
      yield [['第三行', '13800000000', 3, 'x']];
    }
    const buf = await collect(
      streamXlsx({
        sheetName: '志愿者名单',
        columns: [{ header: '姓名' }, { header: '身份证号', text: true, width: 22 }, { header: '时长' }, { header: '备注' }],
        pages: pages(),
      }),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('志愿者名单')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getRow(1).values).toEqual([undefined, '姓名', '身份证号', '时长', '备注']);
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.getCell('A2').value).toBe('王<b>芳</b> & "李"');
    expect(ws.getCell('B2').value).toBe('14010519800101001X');
    expect(ws.getCell('B2').numFmt).toBe('@');
    expect(ws.getCell('C2').value).toBe(12.5);
    expect(ws.getCell('A3').value).toBe('badcharshere');
    expect(ws.getCell('B3').value).toBe('0351');
    expect(ws.getCell('C3').value).toBe(0);
    expect(ws.getCell('A4').value).toBe('第三行');
    expect(ws.actualRowCount).toBe(4);
    expect(ws.getColumn(2).width).toBe(22);
  });

  it('pulls pages only as the reader takes the file, so a slow download holds about one page', async () => {
    let pulled = 0;
    async function* pages(): AsyncGenerator<StreamCell[][]> {
      for (let p = 0; p < 2000; p++) {
        pulled++;
        yield Array.from({ length: 100 }, (_, i) => [`志愿者${p}-${i}`, `${p}${i}`.padStart(18, '0'), i, '在岗']);
      }
    }
    const stream = streamXlsx({ sheetName: 's', columns: [{ header: 'a' }, { header: 'b', text: true }, { header: 'c' }, { header: 'd' }], pages: pages() });
    // Read a little, then stop reading for a while: the source must not run ahead to the end.
    let got = 0;
    for await (const c of stream) {
      got += (c as Buffer).length;
      if (got > 64 * 1024) break;
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(200);
  });

  it('names columns as Excel does', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('ends the stream with the error when the rows fail, instead of a file that looks whole', async () => {
    async function* pages(): AsyncGenerator<StreamCell[][]> {
      yield [['一', '1', 1, '']];
      throw new Error('database went away');
    }
    const stream = streamXlsx({ sheetName: 's', columns: [{ header: 'a' }, { header: 'b' }, { header: 'c' }, { header: 'd' }], pages: pages() });
    await expect(collect(stream)).rejects.toThrow('database went away');
  });
});
