import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeWorkerPool } from '../../files/worker-pool';
import { csvCell, toCsv, toXlsx } from './table-export';

describe('csv export', () => {
  it('prefixes text starting with = + - @ tab or CR with a single quote (CSV injection)', () => {
    expect(csvCell('=SUM(A1:A2)')).toBe("'=SUM(A1:A2)");
    expect(csvCell('+1-2')).toBe("'+1-2");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@import')).toBe("'@import");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('市教育局')).toBe('市教育局');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes numbers as numbers, quotes commas, quotes and line breaks, blanks nulls', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell('他说"好"')).toBe('"他说""好"""');
    expect(csvCell('一,二')).toBe('"一,二"');
    expect(csvCell('一\n二')).toBe('"一\n二"');
  });

  it('is UTF-8 with a BOM and CRLF lines', () => {
    const buf = toCsv({
      title: 't',
      columns: [
        { header: '单位', value: (r: { n: string; v: number }) => r.n },
        { header: '值', value: (r) => r.v },
      ],
      rows: [{ n: '=徐州', v: 1 }],
    });
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(buf.subarray(3).toString('utf8')).toBe("单位,值\r\n'=徐州,1\r\n");
  });
});

describe('xlsx export (written in the worker pool)', () => {
  afterAll(closeWorkerPool);

  it('has a bold frozen header, typed cells, text that stays text, and the 说明 sheet', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      n: i === 0 ? '=SUM(A1:A2)' : `单位${i}`,
      v: i * 1.5,
    }));
    const body = await toXlsx({
      title: '单位/清单:2026',
      columns: [
        { header: '单位', value: (r: (typeof rows)[number]) => r.n, width: 30 },
        { header: '值', value: (r) => r.v },
        { header: '空', value: () => null },
      ],
      rows,
      notes: [['数据截至', '2026-12-04']],
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['单位 清单 2026', '说明']);
    const ws = wb.worksheets[0]!;
    expect(ws.actualRowCount).toBe(3001);
    expect(ws.getRow(1).values).toEqual([undefined, '单位', '值', '空']);
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(1).width).toBe(30);
    // A formula-looking text is a string cell, never a formula.
    expect(ws.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell('A2').value).toBe('=SUM(A1:A2)');
    expect(ws.getCell('B3001').value).toBe(2999 * 1.5);
    expect(ws.getCell('C2').value).toBeNull();
    const notes = wb.getWorksheet('说明')!;
    expect(notes.getRow(1).values).toEqual([undefined, '数据截至', '2026-12-04']);
    expect(notes.getCell('A1').font?.bold).toBe(true);
  });
});
