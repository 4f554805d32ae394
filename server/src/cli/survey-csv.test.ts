import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isCodedLabels, parseCsv } from '@kesu/stats';
import { afterAll, expect, it } from 'vitest';
import { CsvTokenizer, type ReadColumn, readCsvColumns } from './survey-csv';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-csv-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const TRICKY = '\ufeffa,"b ""q""",c\r\n1,"x,y","line\nbreak"\n"",NA,\n3,"",z';

/**
 * A column as the values it stands for (a label column's strings, null missing), after checking that a label
 * column's labels are distinct and coded in order of first appearance (as @kesu/stats codes strings).
 */
function values(c: ReadColumn | undefined): unknown[] {
  if (!isCodedLabels(c)) return Array.from(c ?? []);
  expect(new Set(c.labels).size).toBe(c.labels.length);
  let next = 0;
  let inOrder = true;
  for (const k of c.codes) {
    if (k > next) inOrder = false;
    if (k === next) next++;
  }
  expect(inOrder && next === c.labels.length, `codes ${c.codes.join(' ')}`).toBe(true);
  return Array.from(c.codes, (k) => (k < 0 ? null : c.labels[k]));
}

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
  expect(values(columns.g)).toEqual(['甲', '乙', null]);
  await expect(readCsvColumns(file, [{ name: 'district', kind: 'label' }])).rejects.toThrow(
    '缺少列「district」',
  );
  fs.writeFileSync(file, 'w,y\n1,1\n2,yes\n');
  await expect(readCsvColumns(file, [{ name: 'y', kind: 'number' }])).rejects.toThrow(
    '列「y」第 2 行的值「yes」不是数字',
  );
});

/**
 * The reader before issue 17, on whole decoded text through `CsvTokenizer` (strings per cell): the byte scanner must
 * give the same rows, columns and errors on any file, whatever the block size.
 */
function referenceRead(bytes: Buffer, requests: { name: string; kind: 'number' | 'label' }[]) {
  let encoding = 'utf-8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 64 * 1024), { stream: true });
  } catch {
    encoding = 'gb18030';
  }
  const records: { fields: (string | undefined)[]; count: number; line: number }[] = [];
  const t = new CsvTokenizer((fields, count, line) => records.push({ fields, count, line }));
  t.push(new TextDecoder(encoding).decode(bytes));
  let endError: unknown = null;
  try {
    t.end();
  } catch (err) {
    endError = err;
  }
  const [head, ...data] = records;
  if (!head) throw endError ?? new Error('数据文件为空（没有表头）');
  const header = head.fields.map((f) => (f ?? '').trim());
  const columns: Record<string, (number | string | null)[]> = {};
  for (const r of requests) {
    if (!header.includes(r.name)) throw new Error(`数据中缺少列「${r.name}」`);
    columns[r.name] = [];
  }
  data.forEach((rec, k) => {
    const row = k + 1;
    if (rec.count !== header.length) throw new Error(`数据文件第 ${rec.line} 行(第 ${row} 条数据)`);
    for (const r of requests) {
      const f = rec.fields[header.indexOf(r.name)];
      if (r.kind === 'label') columns[r.name]!.push(f === undefined || f === '' || f === 'NA' ? null : f);
      else {
        const s = (f ?? '').trim();
        const x = s === '' || s === 'NA' ? Number.NaN : Number(s);
        if (!Number.isFinite(x) && !(s === '' || s === 'NA'))
          throw new Error(
            r.name === 'w'
              ? `第 ${row} 行的权数「${s}」不是数字`
              : `列「${r.name}」第 ${row} 行的值「${s}」不是数字`,
          );
        columns[r.name]!.push(x);
      }
    }
  });
  if (endError) throw endError;
  return { rows: data.length, header, columns, encoding };
}

/** mulberry32: the same random files on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = [
  '1',
  '-2.5',
  '0.1',
  '+3',
  '.5',
  '5.',
  '007',
  '1e3',
  ' 4 ',
  '1234567890123456789',
  'NA',
  '',
  '0.30000000000000004',
  '-0',
  '12.345678901234',
];
const LABELS = ['甲', '乙区', 'a,b', 'say "hi"', 'two\nlines', 'NA', '', ' 丙 ', 'x\r\ny', 'ü'];
const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;

function randomFile(next: () => number, odd: boolean): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
  const eol = pick(['\n', '\r\n', '\r']);
  const lines = ['id,"g",w,y,note'];
  const n = 1 + Math.floor(next() * 40);
  for (let i = 0; i < n; i++) {
    const g = pick(LABELS);
    const cells = [
      String(i),
      /[",\r\n]/.test(g) || next() < 0.3 ? quote(g) : g,
      next() < 0.2 ? quote(pick(NUMBERS.slice(0, 8))) : pick(NUMBERS.slice(0, 8)),
      pick(NUMBERS),
      pick(['', 'ok', quote('a "b"')]),
    ];
    lines.push(cells.join(','));
    if (next() < 0.1) lines.push('');
  }
  let text = (next() < 0.3 ? '\ufeff' : '') + lines.join(eol) + (next() < 0.7 ? eol : '');
  if (odd) {
    // Now and then something malformed or unusual: a quote inside plain text, text after a closing quote, a short
    // or long row, an unterminated quote, a word in a number column.
    const at = Math.floor(next() * text.length);
    text = text.slice(0, at) + pick(['"', 'x"y', '",z', ',', 'abc', '\n9,9']) + text.slice(at);
  }
  return text;
}

it('reads every file as the reference reader does, byte blocks of any size, UTF-8 and GBK', async () => {
  const next = random(17);
  const requests = [
    { name: 'g', kind: 'label' as const },
    { name: 'w', kind: 'number' as const },
    { name: 'y', kind: 'number' as const },
  ];
  const file = path.join(tmp, 'r.csv');
  let compared = 0;
  let refused = 0;
  let split = 0;
  for (let k = 0; k < 300; k++) {
    const text = randomFile(next, k % 3 === 2);
    const { encode } = await import('iconv-lite');
    const bytes = k % 5 === 4 ? encode(text.replaceAll('ü', 'u'), 'gbk') : Buffer.from(text, 'utf8');
    fs.writeFileSync(file, bytes);
    let want: ReturnType<typeof referenceRead> | null = null;
    let wantError = '';
    try {
      want = referenceRead(bytes, requests);
    } catch (err) {
      wantError = (err as Error).message;
    }
    // Every fourth file also in two threads, split at the middle whatever its size.
    const runs = [1, 2, 3, 7, 64, 1 << 20].map((chunkBytes) => ({ chunkBytes, twoThreadsFrom: Infinity }));
    if (k % 4 === 0) runs.push({ chunkBytes: 5, twoThreadsFrom: 0 });
    for (const { chunkBytes, twoThreadsFrom } of runs) {
      const got = await readCsvColumns(file, requests, {
        weightColumn: 'w',
        chunkBytes,
        twoThreadsFrom,
      }).then(
        (r) => {
          if (r.threads === 2) split++;
          return {
            rows: r.rows,
            header: r.header,
            encoding: r.encoding,
            columns: Object.fromEntries(Object.entries(r.columns).map(([name, c]) => [name, values(c)])),
          };
        },
        (err: Error) => err.message,
      );
      const label = `file ${k}, blocks of ${chunkBytes}${twoThreadsFrom === 0 ? ', two threads' : ''}: ${JSON.stringify(text)}`;
      if (want) expect(got, label).toEqual(want);
      else expect(got, label).toEqual(expect.stringContaining(wantError));
    }
    if (want) compared++;
    else refused++;
  }
  // Both kinds of file were met (the generator is seeded: these counts are fixed).
  expect(compared).toBeGreaterThan(150);
  expect(refused).toBeGreaterThan(20);
  expect(split).toBeGreaterThan(20);
});

it('reads a file in two threads only where the split is a record boundary, and reports errors as one thread', async () => {
  const file = path.join(tmp, 'two.csv');
  const rows = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => `${from + i},g${(from + i) % 7},${(from + i) % 3}\n`).join(
      '',
    );
  const read = () =>
    readCsvColumns(
      file,
      [
        { name: 'g', kind: 'label' },
        { name: 'y', kind: 'number' },
      ],
      { twoThreadsFrom: 0, chunkBytes: 64 },
    );
  // A plain file: the second half read by the worker, labels first seen there coded after the first half's.
  fs.writeFileSync(file, `w,g,y\n${rows(1, 200)}${rows(200, 400).replaceAll(',g', ',h')}`);
  const plain = await read();
  expect(plain.threads).toBe(2);
  expect(plain.rows).toBe(399);
  const g = values(plain.columns.g);
  expect(g[0]).toBe('g1');
  expect(g[398]).toBe(`h${399 % 7}`);
  expect((plain.columns.y as Float64Array)[398]).toBe(399 % 3);
  // A quoted field with line breaks across the middle: the split is inside it, so one thread reads it all.
  const text = `w,g,y\n${rows(1, 100)}1,"${'long\n'.repeat(400)}",1\n${rows(100, 200)}`;
  fs.writeFileSync(file, text);
  const quoted = await read();
  expect(quoted.threads).toBe(1);
  expect(quoted.rows).toBe(200);
  expect(values(quoted.columns.g)[99]).toBe('long\n'.repeat(400));
  // A bad value in the second half: the first thread reads on and names the row of the whole file.
  fs.writeFileSync(file, `w,g,y\n${rows(1, 301)}301,g,oops\n${rows(302, 400)}`);
  await expect(read()).rejects.toThrow('列「y」第 301 行的值「oops」不是数字');
});
