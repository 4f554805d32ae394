import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '@kesu/stats';
import { afterAll, describe, expect, it } from 'vitest';
import { runKesu } from '../test/spawn';

/*
 * `kesu survey estimate` against the reference results R's survey package 4.1 computed on the shared fixtures
 * (fixtures/survey/<case>/expected.json; DOMAIN.md §5): every record, to 1e-8 relative.
 */
const ROOT = fileURLToPath(new URL('../../../fixtures/survey', import.meta.url));
const CASES = ['standard', 'stratified', 'lonely-missing'] as const;
const FIELDS = ['estimate', 'se', 'ciLow', 'ciHigh', 'deff'] as const;

interface Rec {
  method: string;
  by: string | null;
  domain: string | null;
  variable: string;
  n: number;
  estimate: number;
  se: number;
  ciLow?: number;
  ciHigh?: number;
  deff: number;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-survey-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const env = { DATA_DIR: tmp, DATABASE_URL: '' };

function relErr(got: number, want: number): number {
  return Math.abs(got - want) / Math.abs(want);
}

describe.each(CASES)('kesu survey estimate on fixture %s', (name) => {
  const dir = path.join(ROOT, name);
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Rec[];
  const methods = [...new Set(expected.map((e) => e.method))];

  it.each(methods)(
    'reproduces every %s record of R to 1e-8',
    (method) => {
      const want = expected.filter((e) => e.method === method);
      const by = [...new Set(want.map((e) => e.by).filter((b): b is string => b !== null))];
      const variables = [...new Set(want.map((e) => e.variable))];
      const r = runKesu(
        [
          'survey',
          'estimate',
          '--data',
          path.join(dir, 'data.csv'),
          '--design',
          path.join(dir, 'design.json'),
          '--method',
          method,
          ...by.flatMap((b) => ['--by', b]),
          ...variables.flatMap((v) => ['--variable', v]),
          '--json',
        ],
        env,
      );
      expect(r.status, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout) as Rec[];
      // The overall row comes first, for every variable.
      expect(got[0]).toMatchObject({ by: null, domain: null, method });
      expect(want.length).toBeGreaterThan(0);
      for (const e of want) {
        const g = got.find((x) => x.by === e.by && x.domain === e.domain && x.variable === e.variable);
        const label = `${method} ${e.by}=${e.domain} ${e.variable}`;
        expect(g, label).toBeDefined();
        expect(Object.keys(g!).sort(), `${label} fields`).toEqual(Object.keys(e).sort());
        expect(g!.n, `${label} n`).toBe(e.n);
        for (const f of FIELDS) {
          if (e[f] === undefined) expect(g![f], `${label} ${f}`).toBeUndefined();
          else expect(relErr(g![f]!, e[f]!), `${label} ${f}: got ${g![f]} want ${e[f]}`).toBeLessThan(1e-8);
        }
      }
    },
    60_000,
  );
});

describe('kesu survey estimate options', () => {
  const dir = path.join(ROOT, 'standard');
  const base = [
    'survey',
    'estimate',
    '--data',
    path.join(dir, 'data.csv'),
    '--design',
    path.join(dir, 'design.json'),
  ];

  it('defaults to literate by linearization, and crosses two columns with --by a,b', () => {
    const r = runKesu([...base, '--by', 'area,gender', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Rec[];
    const overall = got.filter((g) => g.by === null);
    expect(overall).toHaveLength(1);
    expect(overall[0]).toMatchObject({ method: 'linearization', variable: 'literate' });
    const want = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Rec[];
    const ref = want.find((w) => w.method === 'linearization' && w.by === null && w.variable === 'literate')!;
    expect(relErr(overall[0]!.estimate, ref.estimate)).toBeLessThan(1e-8);
    const crossed = got.filter((g) => g.by === 'area,gender');
    expect(crossed.map((c) => c.domain).sort()).toEqual(['乡村,女', '乡村,男', '城镇,女', '城镇,男']);
    // The four cells partition the sample.
    expect(crossed.reduce((s, c) => s + c.n, 0)).toBe(ref.n);
  });

  it('prints a readable table without --json', () => {
    const r = runKesu([...base, '--by', 'gender'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('标准误');
    expect(r.stdout.trim().split('\n')).toHaveLength(4);
  });
});

describe('kesu survey estimate refuses bad input with exit 2 and a Chinese message', () => {
  const dir = path.join(ROOT, 'standard');
  const text = fs.readFileSync(path.join(dir, 'data.csv'), 'utf8');
  const design = JSON.parse(fs.readFileSync(path.join(dir, 'design.json'), 'utf8'));
  const { header, rows } = parseCsv(text);
  const col = (n: string) => header.indexOf(n);

  function writeData(file: string, edit: (row: string[], i: number) => string[] | null): string {
    const out = [header.join(',')];
    rows.forEach((r, i) => {
      const e = edit([...r], i);
      if (e) out.push(e.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(','));
    });
    const p = path.join(tmp, file);
    fs.writeFileSync(p, `${out.join('\n')}\n`);
    return p;
  }
  function writeDesign(file: string, d: unknown): string {
    const p = path.join(tmp, file);
    fs.writeFileSync(p, typeof d === 'string' ? d : JSON.stringify(d));
    return p;
  }
  const data = path.join(dir, 'data.csv');
  const designFile = path.join(dir, 'design.json');
  const estimate = (d: string, des: string, ...more: string[]) =>
    runKesu(['survey', 'estimate', '--data', d, '--design', des, '--json', ...more], env);

  it('a missing column', () => {
    const r = estimate(data, designFile, '--by', 'county_name');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('缺少列「county_name」');
    expect(r.stdout).toBe('');
  });

  it('a non-numeric weight, naming the row', () => {
    const d = writeData('w-text.csv', (r, i) => {
      if (i === 6) r[col('w')] = '十二';
      return r;
    });
    const r = estimate(d, designFile);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('第 7 行的权数「十二」不是数字');
  });

  it('a negative weight', () => {
    const d = writeData('w-neg.csv', (r, i) => {
      if (i === 9) r[col('w')] = '-5';
      return r;
    });
    const r = estimate(d, designFile);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('第 10 行的权数无效');
  });

  it('a stratum with a single PSU under lonelyPsu "fail"', () => {
    const stratum = rows[0]![col('stratum')]!;
    const psu = rows[0]![col('psu')]!;
    const d = writeData('lonely.csv', (r) => {
      if (r[col('stratum')] === stratum) r[col('psu')] = psu;
      return r;
    });
    const r = estimate(d, designFile);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`层「${stratum}」只有一个初级抽样单元`);
    // The same data under "adjust" is estimable.
    const adjust = estimate(d, writeDesign('adjust.json', { ...design, lonelyPsu: 'adjust' }));
    expect(adjust.status, adjust.stderr).toBe(0);
  });

  it('raking that does not converge', () => {
    const des = writeDesign('maxit1.json', { ...design, raking: { ...design.raking, maxIter: 1 } });
    const r = estimate(data, des, '--method', 'raking');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('未收敛');
  });

  it('margins that do not cover the data', () => {
    const margins = design.raking.margins.map((m: { variable: string; totals: Record<string, number> }) =>
      m.variable === 'age_group'
        ? { ...m, totals: Object.fromEntries(Object.entries(m.totals).filter(([k]) => k !== '60-69')) }
        : m,
    );
    const des = writeDesign('uncovered.json', { ...design, raking: { ...design.raking, margins } });
    const r = estimate(data, des, '--method', 'raking');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('「60-69」在样本中出现,但没有给出总体数');
  });

  it('an invalid design file', () => {
    const broken = estimate(data, writeDesign('broken.json', '{"weights": "w",'));
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('设计文件不是有效的 JSON');
    const wrong = estimate(data, writeDesign('wrong.json', { weights: 3, lonelyPsu: 'sometimes' }));
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('设计文件无效');
    expect(wrong.stderr).toContain('lonelyPsu');
    const noRaking = estimate(
      data,
      writeDesign('noraking.json', { ...design, raking: null }),
      '--method',
      'raking',
    );
    expect(noRaking.status).toBe(2);
    expect(noRaking.stderr).toContain('raking.margins');
  });

  it('an unknown method or option', () => {
    const r = estimate(data, designFile, '--method', 'magic');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--method 须为');
    const unknown = estimate(data, designFile, '--weights', 'w');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('选项有误');
  });
});
