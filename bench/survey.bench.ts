import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AGE_BANDS } from '@kesu/shared';
import { type ColumnData, type DesignSpec, estimate } from '@kesu/stats';
import {
  encodeColumn,
  decodeColumn,
  COLUMN_ENCODING,
  type StoredColumn,
} from '../server/src/modules/surveys/microdata.codec';
import { readRecordBatches } from '../server/src/modules/surveys/microdata.reader';
import { MicrodataCollector } from '../server/src/modules/surveys/microdata.validate';
import { printTable } from './lib';

/**
 * Survey estimation at city scale (issue 5): 1,000,000 respondents in 200 strata of 20 PSUs (4,000 PSUs), the
 * overall literacy rate and the breakdowns by county, area, sex, age band, education and key population, by
 * linearization, raking (sex, age band, area) and JKn (4,000 replicates). Aims on one core: < 1 s, < 3 s, < 5 s.
 * Also the upload path: parse + validate the same data as a CSV file, and the columnar storage (gzip) of a wave.
 * Prints figures; asserts nothing about time.
 */

const N = Number(process.env.BENCH_SURVEY_ROWS ?? 1_000_000);
const STRATA = 200;
const PSU_PER_STRATUM = 20;
const COUNTIES = [
  '鼓楼区',
  '云龙区',
  '贾汪区',
  '泉山区',
  '铜山区',
  '丰县',
  '沛县',
  '睢宁县',
  '新沂市',
  '邳州市',
];
const EDUCATION = ['小学及以下', '初中', '高中', '大专', '本科及以上'];
const GROUPS = ['青少年', '农民', '产业工人', '老年人', '领导干部和公务员', '其他'];

/** mulberry32: a small seeded generator, so every run measures the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Generated {
  columns: Record<string, ColumnData>;
  design: DesignSpec;
}

function generate(n: number): Generated {
  const r = rng(20251231);
  const stratum: string[] = new Array(n);
  const psu: string[] = new Array(n);
  const district: string[] = new Array(n);
  const area: string[] = new Array(n);
  const gender: string[] = new Array(n);
  const ageGroup: string[] = new Array(n);
  const education: string[] = new Array(n);
  const group: string[] = new Array(n);
  const w = new Float64Array(n);
  const literate = new Float64Array(n);
  const psuWeight = new Float64Array(STRATA * PSU_PER_STRATUM);
  for (let p = 0; p < psuWeight.length; p++) psuWeight[p] = 1500 + r() * 3000;
  for (let i = 0; i < n; i++) {
    const h = Math.floor((i / n) * STRATA);
    const p = h * PSU_PER_STRATUM + Math.floor(r() * PSU_PER_STRATUM);
    stratum[i] = `S${h}`;
    psu[i] = `P${p}`;
    district[i] = COUNTIES[h % COUNTIES.length]!;
    const urban = h % 2 === 0;
    area[i] = urban ? '城镇' : '乡村';
    gender[i] = r() < 0.5 ? '男' : '女';
    const a = Math.floor(r() * AGE_BANDS.length);
    ageGroup[i] = AGE_BANDS[a]!;
    const e = Math.min(EDUCATION.length - 1, Math.floor(r() * r() * EDUCATION.length * 1.6));
    education[i] = EDUCATION[e]!;
    group[i] = GROUPS[Math.floor(r() * GROUPS.length)]!;
    w[i] = psuWeight[p]! * (0.9 + r() * 0.2);
    const logit = -2.6 + (urban ? 0.6 : 0) - 0.35 * a + 0.45 * e + (gender[i] === '男' ? 0.2 : 0);
    literate[i] = r() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  // Raking totals: the weighted sample totals, moved a little, so raking has work to do.
  const totals = (col: string[], shift: number) => {
    const t: Record<string, number> = {};
    for (let i = 0; i < n; i++) t[col[i]!] = (t[col[i]!] ?? 0) + w[i]!;
    const keys = Object.keys(t).sort();
    keys.forEach((k, j) => {
      t[k] = Math.round(t[k]! * (1 + (j % 2 === 0 ? shift : -shift)));
    });
    return t;
  };
  return {
    columns: {
      stratum,
      psu,
      district,
      area,
      gender,
      age_group: ageGroup,
      education,
      group,
      w,
      literate,
    },
    design: {
      weights: 'w',
      strata: 'stratum',
      clusters: 'psu',
      lonelyPsu: 'fail',
      raking: {
        margins: [
          { variable: 'gender', totals: totals(gender, 0.03) },
          { variable: 'age_group', totals: totals(ageGroup, 0.05) },
          { variable: 'area', totals: totals(area, 0.04) },
        ],
        maxIter: 100,
        epsilon: 1e-10,
      },
    },
  };
}

const BY = ['district', 'area', 'gender', 'age_group', 'education', 'group'];

function timed<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** The columns of the generated survey file, in file order; `SURVEY_IMPORT_MAPPING` maps them to kesu's roles. */
export const SURVEY_CSV_HEADER = [
  'stratum',
  'psu',
  'district',
  'area',
  'gender',
  'age_group',
  'education',
  'group',
  'w',
  'literate',
];

export const SURVEY_IMPORT_MAPPING = {
  weight: 'w',
  stratum: 'stratum',
  psu: 'psu',
  district: 'district',
  area: 'area',
  gender: 'gender',
  age_group: 'age_group',
  education: 'education',
  group: 'group',
  literate: 'literate',
};

/** Write `n` generated respondents (the seeded generator above, or `columns` already generated) as a CSV file. */
export async function writeSurveyCsv(
  file: string,
  n = N,
  columns: Record<string, ColumnData> = generate(n).columns,
): Promise<void> {
  const header = SURVEY_CSV_HEADER;
  const out = fs.createWriteStream(file);
  out.write(`${header.join(',')}\n`);
  for (let i = 0; i < n; i += 10_000) {
    let chunk = '';
    for (let k = i; k < Math.min(n, i + 10_000); k++) {
      chunk += `${header.map((h) => String((columns[h] as ArrayLike<unknown>)[k])).join(',')}\n`;
    }
    if (!out.write(chunk)) await new Promise<void>((res) => out.once('drain', () => res()));
  }
  await new Promise<void>((res) => out.end(() => res()));
}

export async function benchSurvey(): Promise<void> {
  const gen = timed(() => generate(N));
  const { columns, design } = gen.value;
  console.log(
    `\n## Survey estimation: ${N.toLocaleString('en')} respondents, ${STRATA} strata, ${STRATA * PSU_PER_STRATUM} PSUs (generated in ${gen.ms.toFixed(0)} ms)`,
  );
  const rows: Record<string, string | number>[] = [];
  const aims: Record<string, number> = { linearization: 1000, raking: 3000, jkn: 5000, bootstrap: 5000 };
  for (const method of ['linearization', 'raking', 'jkn', 'bootstrap'] as const) {
    const r = timed(() => estimate({ columns, design, method, by: BY, variables: ['literate'] }));
    const overall = r.value[0]!;
    rows.push({
      method,
      'overall + 6 breakdowns (ms)': Math.round(r.ms),
      aim_ms: aims[method]!,
      records: r.value.length,
      'overall rate': `${((overall.estimate ?? Number.NaN) * 100).toFixed(2)}%`,
      CI: `[${((overall.ciLow ?? 0) * 100).toFixed(2)}%, ${((overall.ciHigh ?? 0) * 100).toFixed(2)}%]`,
    });
  }
  printTable('Estimation (one core, times include building the design)', rows);

  // The upload path: the same respondents as a CSV file, parsed and validated in chunks as the server does.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-bench-survey-'));
  try {
    const file = path.join(dir, 'survey.csv');
    const header = SURVEY_CSV_HEADER;
    await writeSurveyCsv(file, N, columns);
    const size = fs.statSync(file).size;
    let batches = 0;
    let maxBatchMs = 0;
    const parse = await timedAsync(async () => {
      const collector = new MicrodataCollector(header, {
        mapping: SURVEY_IMPORT_MAPPING,
        lonelyPsu: 'fail',
        margins: null,
      });
      let line = 2;
      let first = true;
      for await (const batch of readRecordBatches(file, 'csv')) {
        const t0 = performance.now();
        const recs = first ? batch.slice(1) : batch;
        first = false;
        collector.add(recs, line);
        line += recs.length;
        batches += 1;
        maxBatchMs = Math.max(maxBatchMs, performance.now() - t0);
      }
      return collector.finish();
    });
    const stored = parse.value.columns as Record<string, StoredColumn>;
    const enc = await timedAsync(() => Promise.all(Object.values(stored).map((c) => encodeColumn(c))));
    const textBytes = enc.value.reduce((s, e) => s + e.data.length, 0);
    const dec = timed(() =>
      enc.value.map((e) =>
        decodeColumn({
          kind: e.kind,
          levels_json: e.levelsJson,
          n: e.n,
          data: e.data,
          encoding: COLUMN_ENCODING,
        }),
      ),
    );
    printTable('Upload path (CSV → validated columns → stored text)', [
      {
        'csv size (MB)': (size / 1024 / 1024).toFixed(1),
        'parse + validate (ms)': Math.round(parse.ms),
        batches,
        'longest batch, event loop held (ms)': Math.round(maxBatchMs),
        errors: parse.value.report.errorCount,
        'stored columns, gzip+base64 (MB)': (textBytes / 1024 / 1024).toFixed(1),
        'encode, gzip on the thread pool (ms)': Math.round(enc.ms),
        'decode (ms)': Math.round(dec.ms),
      },
    ]);
    // The same file through the built server, /healthz asked meanwhile: BENCH_ONLY=offloop (offloop.bench.ts).
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
