import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { type DesignSpec, type EstimateRecord, estimate, StatsError } from '@kesu/stats';
import { z } from 'zod';
import { AppError } from '../errors';
import { type ColumnRequest, readCsvColumns } from './survey-csv';

/*
 * `kesu survey <sub>`: one exported function per subcommand, so other survey subcommands can be added beside
 * these without touching them. Bad input ends in AppError: one Chinese line on stderr, exit 2.
 */

function fail(message: string, details?: unknown): never {
  throw new AppError('BAD_REQUEST', message, details);
}

/** design.json as the fixtures write it (DOMAIN.md §5). */
const DesignSpecSchema = z.object({
  weights: z.string().min(1),
  strata: z.string().min(1).nullable().optional(),
  clusters: z.string().min(1).nullable().optional(),
  fpc: z.string().min(1).nullable().optional(),
  lonelyPsu: z.enum(['fail', 'remove', 'adjust', 'certainty', 'average']).optional(),
  raking: z
    .object({
      margins: z.array(
        z.object({ variable: z.string().min(1), totals: z.record(z.string(), z.number().positive()) }),
      ),
      maxIter: z.number().int().positive().optional(),
      epsilon: z.number().positive().optional(),
    })
    .nullable()
    .optional(),
});

const METHODS = ['linearization', 'raking', 'jkn'] as const;
type CliMethod = (typeof METHODS)[number];

/** The fields of expected.json, in its order; score rows carry no ciLow/ciHigh. */
function toOutput(r: EstimateRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    method: r.method,
    by: r.by,
    domain: r.domain,
    variable: r.variable,
    n: r.n,
    estimate: r.estimate,
    se: r.se,
  };
  if (r.ciLow !== undefined) out.ciLow = r.ciLow;
  if (r.ciHigh !== undefined) out.ciHigh = r.ciHigh;
  out.deff = r.deff;
  return out;
}

function readDesign(file: string): DesignSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    fail(`无法读取设计文件：${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    fail(`设计文件不是有效的 JSON：${file}（${(err as Error).message}）`);
  }
  const parsed = DesignSpecSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(根)'}：${i.message}`).join('；');
    fail(`设计文件无效：${issues}`);
  }
  return parsed.data;
}

function fixed(x: number | undefined, digits: number): string {
  return x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

/**
 * `kesu survey estimate --data FILE.csv --design DESIGN.json [--method linearization|raking|jkn]
 *  [--by COLUMN]... [--variable COLUMN]... [--json]`: the overall row and one breakdown per --by
 * (`--by a,b` crosses two columns), for every --variable (default `literate`). Reads the data once.
 */
export async function surveyEstimateCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      design: { type: 'string' },
      method: { type: 'string', default: 'linearization' },
      by: { type: 'string', multiple: true, default: [] },
      variable: { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.data) fail('请给出数据文件：--data FILE.csv');
  if (!values.design) fail('请给出设计文件：--design DESIGN.json');
  if (!(METHODS as readonly string[]).includes(values.method))
    fail(`--method 须为 ${METHODS.join('、')}（收到「${values.method}」）`);
  const method = values.method as CliMethod;
  if (!fs.existsSync(values.data)) fail(`数据文件不存在：${values.data}`);
  const design = readDesign(values.design);
  if (method === 'raking' && (!design.raking || design.raking.margins.length === 0))
    fail('--method raking 需要设计文件中的 raking.margins（校准边际）');

  const by = values.by.map((b) => {
    const names = b
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (names.length === 0 || names.length > 2) fail(`--by「${b}」须为一列或用逗号连接的两列`);
    return names.length === 1 ? names[0]! : names;
  });
  const variables = values.variable.length ? values.variable : ['literate'];

  const requests: ColumnRequest[] = [{ name: design.weights, kind: 'number' }];
  for (const name of [design.strata, design.clusters]) if (name) requests.push({ name, kind: 'label' });
  if (design.fpc) requests.push({ name: design.fpc, kind: 'number' });
  for (const v of variables) requests.push({ name: v, kind: 'number' });
  for (const b of by)
    for (const name of typeof b === 'string' ? [b] : b) requests.push({ name, kind: 'label' });
  if (method === 'raking')
    for (const m of design.raking?.margins ?? []) requests.push({ name: m.variable, kind: 'label' });

  let records: EstimateRecord[];
  try {
    const { columns } = await readCsvColumns(values.data, requests, { weightColumn: design.weights });
    records = estimate({ columns, design, method, by, variables });
  } catch (err) {
    if (err instanceof StatsError)
      throw new AppError('BAD_REQUEST', err.message, { code: err.code, ...err.details });
    throw err;
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify(records.map(toOutput), null, 2)}\n`);
    return;
  }
  const lines = [
    ['方法', '分组', '类别', '变量', 'n', '估计', '标准误', '95% 下限', '95% 上限', 'deff'].join('\t'),
  ];
  for (const r of records) {
    lines.push(
      [
        r.method,
        r.by ?? '总体',
        r.domain ?? '-',
        r.variable,
        String(r.n),
        fixed(r.estimate, 6),
        fixed(r.se, 6),
        fixed(r.ciLow, 6),
        fixed(r.ciHigh, 6),
        fixed(r.deff, 3),
      ].join('\t'),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

const SURVEY_USAGE = 'survey 子命令：estimate、score（运行 kesu help 查看用法）';

/** `kesu survey <sub> …` */
export async function surveyCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'estimate':
      return surveyEstimateCommand(rest);
    default:
      fail(SURVEY_USAGE);
  }
}
