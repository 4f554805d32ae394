import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv, studentQuantile } from '@kesu/stats';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { runKesu } from '../test/spawn';

/*
 * `kesu survey estimate` against the reference results R's survey package 4.1 computed on the shared fixtures
 * (fixtures/survey/<case>/expected.json; docs/DOMAIN.md §5): every record, to 1e-8 relative.
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

/** A record of `--format json` (null where undefined). */
interface Out {
  method: string;
  by: string | null;
  domain: string | null;
  variable: string;
  kind: 'proportion' | 'mean';
  n: number;
  estimate: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  ciMethod: string | null;
  deff: number | null;
  df: number | null;
  flags: string[];
}

const OUTPUT_FIELDS = [
  'method',
  'by',
  'domain',
  'variable',
  'kind',
  'n',
  'estimate',
  'se',
  'ciLow',
  'ciHigh',
  'ciMethod',
  'deff',
  'df',
  'flags',
];

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
      const got = JSON.parse(r.stdout) as Out[];
      // The overall row comes first, for every variable.
      expect(got[0]).toMatchObject({ by: null, domain: null, method });
      expect(want.length).toBeGreaterThan(0);
      for (const e of want) {
        const g = got.find((x) => x.by === e.by && x.domain === e.domain && x.variable === e.variable);
        const label = `${method} ${e.by}=${e.domain} ${e.variable}`;
        expect(g, label).toBeDefined();
        expect(Object.keys(g!), `${label} fields`).toEqual(OUTPUT_FIELDS);
        expect(g!.n, `${label} n`).toBe(e.n);
        expect(g!.kind, label).toBe(e.ciLow === undefined ? 'mean' : 'proportion');
        for (const f of FIELDS) {
          // expected.json has no interval for the score (a mean): kesu's is R's confint, est ± qt(0.975, df)·se.
          const want = e[f] ?? e.estimate + (f === 'ciLow' ? -1 : 1) * studentQuantile(0.975, g!.df!) * e.se;
          expect(relErr(g![f]!, want), `${label} ${f}: got ${g![f]} want ${want}`).toBeLessThan(1e-8);
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

// Each test starts the command line several times: on a loaded machine that takes longer than the default.
describe('kesu survey estimate refuses bad input with exit 2 and a Chinese message', {
  timeout: 120_000,
}, () => {
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

  it('raking that does not converge: the result with a warning (as R), or exit 2 with --strict', () => {
    const des = writeDesign('maxit1.json', { ...design, raking: { ...design.raking, maxIter: 1 } });
    const r = estimate(data, des, '--method', 'raking');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('警告');
    expect(r.stderr).toContain('未收敛');
    const got = JSON.parse(r.stdout) as Out[];
    expect(got.every((g) => g.flags.includes('raking_not_converged'))).toBe(true);
    const strict = estimate(data, des, '--method', 'raking', '--strict');
    expect(strict.status).toBe(2);
    expect(strict.stderr).toContain('未收敛');
    expect(strict.stdout).toBe('');
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
    // Keys R users write by habit are refused by name instead of silently ignored.
    for (const key of ['fpc2', 'ids']) {
      const unknown = estimate(data, writeDesign(`unknown-${key}.json`, { ...design, [key]: 'npsu_pop' }));
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain(`无法识别的键「${key}」`);
    }
    const nested = estimate(
      data,
      writeDesign('unknown-nested.json', { ...design, raking: { ...design.raking, maxit: 5 } }),
    );
    expect(nested.status).toBe(2);
    expect(nested.stderr).toContain('raking 中有无法识别的键「maxit」');
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

describe('kesu survey estimate: help and output formats', () => {
  const dir = path.join(ROOT, 'standard');
  const base = [
    'survey',
    'estimate',
    '--data',
    path.join(dir, 'data.csv'),
    '--design',
    path.join(dir, 'design.json'),
  ];

  it('--help lists every option, on stdout, exit 0', () => {
    const r = runKesu(['survey', 'estimate', '--help'], env);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    for (const option of [
      '--data',
      '--design',
      '--method',
      '--by',
      '--variable',
      '--seed',
      '--replicates',
      '--strict',
      '--format',
      '--json',
      '--help',
    ])
      expect(r.stdout, option).toContain(option);
    for (const method of ['linearization', 'raking', 'jkn', 'jk1', 'brr', 'bootstrap', 'replicates'])
      expect(r.stdout, method).toContain(method);
  });

  it('--format csv: one header line of the json fields, one line per record, full precision', () => {
    const json = JSON.parse(
      runKesu([...base, '--by', 'gender', '--variable', 'score', '--json'], env).stdout,
    ) as Out[];
    const r = runKesu([...base, '--by', 'gender', '--variable', 'score', '--format', 'csv'], env);
    expect(r.status, r.stderr).toBe(0);
    const { header, rows } = parseCsv(r.stdout);
    expect(header).toEqual(OUTPUT_FIELDS);
    expect(rows).toHaveLength(json.length);
    rows.forEach((row, i) => {
      expect(Number(row[header.indexOf('estimate')])).toBe(json[i]!.estimate);
      expect(Number(row[header.indexOf('ciLow')])).toBe(json[i]!.ciLow);
      expect(row[header.indexOf('kind')]).toBe('mean');
    });
  });

  it('the default table names a mean and its Wald interval', () => {
    const r = runKesu([...base, '--variable', 'score'], env);
    expect(r.status, r.stderr).toBe(0);
    const [head, overall] = r.stdout.split('\n');
    expect(head).toContain('说明');
    expect(overall).toContain('均值·Wald 区间');
    expect(r.stdout).toContain('均值：该变量不是 0/1 变量');
  });

  it('refuses an unknown format and --seed without bootstrap', () => {
    const f = runKesu([...base, '--format', 'xml'], env);
    expect(f.status).toBe(2);
    expect(f.stderr).toContain('--format 须为');
    const seed = runKesu([...base, '--seed', '3'], env);
    expect(seed.status).toBe(2);
    expect(seed.stderr).toContain('--seed 与 --replicates 只用于 --method bootstrap');
  });
});

describe('kesu survey estimate reads what it is given, and says what is wrong with a file', () => {
  const dir = path.join(ROOT, 'standard');
  const designFile = path.join(dir, 'design.json');
  const text = fs.readFileSync(path.join(dir, 'data.csv'), 'utf8');
  const lines = text.split('\n');
  const run = (file: string) =>
    runKesu(['survey', 'estimate', '--data', file, '--design', designFile, '--by', 'gender', '--json'], env);

  it('decodes a GBK (GB18030) file, says so on stderr, and gets the UTF-8 answer', () => {
    const gbk = path.join(tmp, 'gbk.csv');
    fs.writeFileSync(gbk, iconv.encode(text, 'gbk'));
    const r = run(gbk);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('GBK');
    expect(r.stdout).toBe(run(path.join(dir, 'data.csv')).stdout);
    expect((JSON.parse(r.stdout) as Out[]).map((x) => x.domain)).toEqual([null, '女', '男']);
  });

  it('an unterminated quote (a file cut off inside a quoted field), with the line it opens on', () => {
    const bad = path.join(tmp, 'quote.csv');
    const cut = lines.slice(0, 300);
    cut[299] = cut[299]!.slice(0, cut[299]!.indexOf(',"') + 3); // 299,"x — and the file ends
    fs.writeFileSync(bad, cut.join('\n'));
    const r = run(bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('数据文件第 300 行开始的带引号字段直到文件末尾都没有结束引号');
  });

  it('a stray quote in the middle of the file shows as a wrong field count on its own line', () => {
    const bad = path.join(tmp, 'stray.csv');
    const edited = [...lines];
    edited[41] = edited[41]!.replace(',238,', ',"238,');
    fs.writeFileSync(bad, edited.join('\n'));
    const r = run(bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('数据文件第 42 行(第 41 条数据)只有 43 个字段');
    expect(r.stderr).toContain('引号不成对');
  });

  it('a short row and a long row, with the file line and the data row', () => {
    const short = path.join(tmp, 'short.csv');
    const edited = [...lines];
    edited[99] = edited[99]!.split(',').slice(0, 10).join(',');
    fs.writeFileSync(short, edited.join('\n'));
    const r = run(short);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('数据文件第 100 行(第 99 条数据)只有 10 个字段,表头有 44 个');
    const long = path.join(tmp, 'long.csv');
    const more = [...lines];
    more[5] = `${more[5]},extra`;
    fs.writeFileSync(long, more.join('\n'));
    const l = run(long);
    expect(l.status).toBe(2);
    expect(l.stderr).toContain('数据文件第 6 行(第 5 条数据)有 45 个字段,表头有 44 个');
  });

  it('a duplicated column name, naming it and where', () => {
    const dup = path.join(tmp, 'dup.csv');
    const edited = [...lines];
    edited[0] = edited[0]!.replace('"score"', '"w"');
    fs.writeFileSync(dup, edited.join('\n'));
    const r = run(dup);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/表头中列名「w」重复\(第 12 列和第 43 列\)/);
  });
});

/*
 * The command line against what R survey 4.1.1 computed for the runs of fixtures/survey/<case>/runs.json (the
 * generating R scripts are beside them): a two-stage design, every replicate method, supplied replicate weights,
 * the exact edges. Same rules as packages/stats/src/r-runs.test.ts.
 */
interface RRun {
  name: string;
  data?: string;
  design: Record<string, unknown>;
  method: string;
  by: string[];
  variables: string[];
  seed?: number;
  replicates?: number;
  records: (Omit<Rec, 'ciLow' | 'ciHigh' | 'deff'> & {
    ciLow: number | null;
    ciHigh: number | null;
    deff: number | null;
    df: number | null;
  })[];
}

const R_RUNS: [string, string][] = [
  ['multistage', 'two stages, fpc at both'],
  ['api', 'apiclus2: svydesign(id = ~dnum + snum'],
  ['replicates', 'JK1 from an unstratified cluster design'],
  ['replicates', "BRR, 10 strata of 2 (R's Paley"],
  ['replicates', 'bootstrap, seed 2026'],
  ['replicates', 'supplied JKn with rscales'],
  ['replicates', 'supplied Fay, rho 0.3'],
  ['edges', 'issue 16: w,g,y'],
  ['edges', 'linearization: all-0 and all-1 domains'],
];

describe.each(R_RUNS)('kesu survey estimate on %s: %s…', (name, prefix) => {
  const { runs } = JSON.parse(fs.readFileSync(path.join(ROOT, name, 'runs.json'), 'utf8')) as {
    runs: RRun[];
  };
  const run = runs.find((r) => r.name.startsWith(prefix))!;

  it('equals R', () => {
    const design = path.join(tmp, `${name}-${prefix.replace(/\W+/g, '_')}.json`);
    fs.writeFileSync(design, JSON.stringify(run.design));
    const args = [
      'survey',
      'estimate',
      '--data',
      path.join(ROOT, name, run.data ?? 'data.csv'),
      '--design',
      design,
      '--method',
      run.method,
      ...run.by.flatMap((b) => ['--by', b]),
      ...run.variables.flatMap((v) => ['--variable', v]),
      ...(run.seed !== undefined ? ['--seed', String(run.seed), '--replicates', String(run.replicates)] : []),
      '--format',
      'json',
    ];
    const r = runKesu(args, env);
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Out[];
    expect(got).toHaveLength(run.records.length);
    for (const e of run.records) {
      const g = got.find((x) => x.by === e.by && x.domain === e.domain && x.variable === e.variable)!;
      const label = `${e.by}=${e.domain} ${e.variable}`;
      expect(g, label).toBeDefined();
      expect(g.n, label).toBe(e.n);
      expect(g.df, label).toBe(e.df);
      if (g.flags.some((f) => ['all_zero', 'all_one', 'constant'].includes(f))) {
        expect(g.se, label).toBe(0);
        expect(Math.abs(e.estimate - g.estimate!), label).toBeLessThan(1e-12);
        expect([g.ciLow, g.deff], label).toEqual([null, null]);
        continue;
      }
      for (const f of ['estimate', 'se', 'ciLow', 'ciHigh', 'deff'] as const) {
        const want = e[f];
        if (want === null) expect(g[f], `${label} ${f}`).toBeNull();
        else expect(relErr(g[f]!, want), `${label} ${f}: got ${g[f]} want ${want}`).toBeLessThan(1e-8);
      }
    }
  }, 60_000);
});
