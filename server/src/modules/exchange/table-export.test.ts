import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './table-export';

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
