import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCsv } from '@kesu/stats';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CsvLimitError, CsvRecordParser, CsvSyntaxError, readRecordBatches } from './microdata.reader';

/** The streaming parser must give what the whole-text parser of @kesu/stats gives, wherever chunks are cut. */
const SAMPLE =
  '\uFEFFid,name,note\r\n1,"泉山区","a ""quoted"", field"\n2,鼓楼区,"two\nlines"\n\n3,,\n4,"x",last';

function streamed(text: string, cuts: number[]): string[][] {
  const out: string[][] = [];
  const p = new CsvRecordParser();
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    p.push(text.slice(from, cut), out);
    from = cut;
  }
  p.end(out);
  return out;
}

describe('CsvRecordParser', () => {
  const body = SAMPLE.slice(1);
  const { header, rows } = parseCsv(body);
  const want = [header, ...rows.filter((r) => !(r.length === 1 && r[0] === ''))];

  it('parses quoted fields, doubled quotes, CRLF, newlines in quotes, empty fields', () => {
    expect(streamed(body, [])).toEqual(want);
    expect(want[1]).toEqual(['1', '泉山区', 'a "quoted", field']);
    expect(want[3]).toEqual(['3', '', '']);
  });

  it('gives the same records for every single cut and many pairs of cuts', () => {
    for (let i = 0; i <= body.length; i++) expect(streamed(body, [i]), `cut ${i}`).toEqual(want);
    for (let i = 0; i <= body.length; i += 3)
      for (let j = i; j <= body.length; j += 5)
        expect(streamed(body, [i, j]), `cuts ${i},${j}`).toEqual(want);
  });

  it('reads a GBK file (Excel on Chinese Windows) and drops the UTF-8 BOM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-csv-'));
    try {
      const utf8 = path.join(dir, 'u.csv');
      fs.writeFileSync(utf8, SAMPLE);
      const gbk = path.join(dir, 'g.csv');
      fs.writeFileSync(gbk, iconv.encode('区县,性别\n泉山区,男\n', 'gbk'));
      const all = async (f: string) => {
        const out: string[][] = [];
        for await (const b of readRecordBatches(f, 'csv')) out.push(...b);
        return out;
      };
      expect(await all(utf8)).toEqual(want);
      expect(await all(gbk)).toEqual([
        ['区县', '性别'],
        ['泉山区', '男'],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says on which line a quoted field that never closes opens, across chunks and quoted line breaks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-csv-'));
    try {
      // Header, then 40,000 records of which the first spans two lines, then a record cut inside a quote.
      const rows = ['id,name', '1,"two\nlines"', ...Array.from({ length: 39_999 }, (_, i) => `${i + 2},x`)];
      const file = path.join(dir, 'cut.csv');
      fs.writeFileSync(file, `${rows.join('\n')}\n40001,"cut off`);
      const read = async () => {
        for await (const _ of readRecordBatches(file, 'csv')) void _;
      };
      await expect(read()).rejects.toThrow(CsvSyntaxError);
      await expect(read()).rejects.toThrow('第 40003 行开始的带引号字段直到文件末尾都没有结束引号');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a header of 100,000 columns and a 2 MB line, naming the line (issue 8: both were quadratic)', () => {
    const wide = `${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')}\n1,2\n`;
    expect(() => streamed(wide, [7, 100_000])).toThrow(CsvLimitError);
    expect(() => streamed(wide, [])).toThrow('第 1 行超过 5000 列上限');
    const long = `a,b\n1,"${'x'.repeat(2_000_000)}"\n`;
    try {
      streamed(long, [10, 300_000, 1_200_000]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CsvLimitError);
      expect((err as CsvLimitError).kind).toBe('line');
      expect((err as CsvLimitError).line).toBe(2);
    }
  });

  it('reads a long line in many chunks in linear time (each chunk is not rescanned)', () => {
    // 900,000 characters in 1,000-character chunks: the old parser rescanned the leftover every chunk (900 passes).
    const p = new CsvRecordParser();
    const out: string[][] = [];
    const chunk = 'y'.repeat(1000);
    p.push('h\n"', out);
    for (let k = 0; k < 900; k++) p.push(chunk, out);
    p.push('"\n', out);
    p.end(out);
    expect(out[1]?.[0]).toHaveLength(900_000);
  });
});
