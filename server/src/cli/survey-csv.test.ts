import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCsv } from '@kesu/stats';
import { afterAll, expect, it } from 'vitest';
import { CsvTokenizer, readCsvColumns } from './survey-csv';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-csv-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const TRICKY = '\ufeffa,"b ""q""",c\r\n1,"x,y","line\nbreak"\n"",NA,\n3,"",z';

function tokenize(text: string, chunkSize: number): string[][] {
  const out: string[][] = [];
  const t = new CsvTokenizer((r) => out.push(r.map((f) => f ?? '')));
  for (let i = 0; i < text.length; i += chunkSize) t.push(text.slice(i, i + chunkSize));
  t.end();
  return out;
}

it('tokenizes like parseCsv of @kesu/stats whatever the chunk boundaries', () => {
  const { header, rows } = parseCsv(TRICKY);
  const want = [header, ...rows];
  expect(want[1]).toEqual(['1', 'x,y', 'line\nbreak']);
  for (const size of [1, 2, 3, 5, 7, 1000]) expect(tokenize(TRICKY, size), `chunk ${size}`).toEqual(want);
});

it('reads only the requested columns, numbers as Float64Array with NA and empty missing', async () => {
  const file = path.join(tmp, 'd.csv');
  fs.writeFileSync(file, 'id,"g",w,y\n1,"甲",2.5,1\n2,乙,3,NA\n3,,1,\n');
  const { rows, columns } = await readCsvColumns(file, [
    { name: 'w', kind: 'number' },
    { name: 'y', kind: 'number' },
    { name: 'g', kind: 'label' },
  ]);
  expect(rows).toBe(3);
  expect(Object.keys(columns).sort()).toEqual(['g', 'w', 'y']);
  expect([...(columns.w as Float64Array)]).toEqual([2.5, 3, 1]);
  expect([...(columns.y as Float64Array)].map((x) => (Number.isNaN(x) ? 'NaN' : x))).toEqual([
    1,
    'NaN',
    'NaN',
  ]);
  expect(columns.g).toEqual(['甲', '乙', null]);
  await expect(readCsvColumns(file, [{ name: 'district', kind: 'label' }])).rejects.toThrow(
    '缺少列「district」',
  );
  fs.writeFileSync(file, 'w,y\n1,1\n2,yes\n');
  await expect(readCsvColumns(file, [{ name: 'y', kind: 'number' }])).rejects.toThrow(
    '列「y」第 2 行的值「yes」不是数字',
  );
});
