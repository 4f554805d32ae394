import fs from 'node:fs';
import {
  CI_METHOD_LABELS,
  DesignFileSchema,
  describeDesignFileError,
  ESTIMATE_FLAG_LABELS,
  ESTIMATE_METHODS,
  type SurveyEstimateMethod,
  stageColumns,
} from '@kesu/shared';
import {
  type DesignSpec,
  type EstimateRecord,
  replicateColumnNames,
  runEstimate,
  StatsError,
} from '@kesu/stats';
import { AppError } from '../errors';
import { fail, parseOptions } from './survey-args';
import { type ColumnRequest, readCsvColumns } from './survey-csv';

/*
 * `kesu survey <sub>`: one exported function per subcommand, so other survey subcommands can be added beside
 * these without touching them. Bad input ends in AppError: one Chinese line on stderr, exit 2.
 */

/** Variance methods of `survey estimate` (R: svydesign / rake / as.svrepdesign / svrepdesign). */
const METHODS = ESTIMATE_METHODS;
type CliMethod = SurveyEstimateMethod;
const FORMATS = ['table', 'csv', 'json'] as const;

/** `kesu survey estimate --help`: every option. */
export const SURVEY_ESTIMATE_HELP = `用法：kesu survey estimate --data 数据.csv --design 设计.json [选项]

按抽样设计估计比例（0/1 变量）或均值（其他变量）、标准误、95% 置信区间、设计效应与设计自由度，
与 R survey 4.1 的 svymean / svyby / svyciprop 一致。输出只写到标准输出；警告与说明写到标准错误。

  --data 文件.csv         微观数据（UTF-8 或 GBK 编码的 CSV，第一行为列名）
  --design 文件.json      抽样设计：weights、strata、clusters（一列或每阶段一列）、fpc（每阶段一列）、
                          nest、lonelyPsu、raking、replicates（数据自带的复制权数）；不认识的键会被拒绝
  --method 方法           linearization（默认；设计含 replicates 时默认 replicates）、raking、
                          jkn、jk1、brr、bootstrap（由设计构造复制权数）、replicates（用数据自带的复制权数）
  --by 列[,列]            分组（可重复；用逗号连接两列为交叉分组）
  --variable 列           要估计的变量（可重复；默认 literate）
  --seed 整数             bootstrap 的随机种子（与 R 的 set.seed 相同；默认 20250101）
  --replicates 整数       bootstrap 的重复次数（默认 50）
  --strict                把警告当作错误（例如 raking 未收敛时失败，而不是给出结果与警告）
  --format 格式           table（默认，便于阅读）、csv、json
  --json                  同 --format json
  --timings               把各阶段耗时（启动、读数据、估计、输出）写到标准错误
  -h, --help              显示本说明

退出码：0 成功；2 输入有误（中文说明写到标准错误）。`;

/** The output fields, in order (csv header and json keys). */
const FIELDS = [
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
] as const;

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
  const parsed = DesignFileSchema.safeParse(json);
  if (!parsed.success) fail(`设计文件无效：${describeDesignFileError(parsed.error)}`);
  return parsed.data;
}

function integerOption(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (!Number.isInteger(x) || x < min) fail(`${name} 须为不小于 ${min} 的整数（收到「${value}」）`);
  return x;
}

/** Display width in a terminal: CJK and full-width characters take two columns. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      c >= 0x20000
        ? 2
        : 1;
  }
  return w;
}

function fixed(x: number | null, digits: number): string {
  return x === null ? '—' : x.toFixed(digits);
}

/** The 说明 column: what kind of estimate, how its interval was made, and any flag. */
function note(r: EstimateRecord): string {
  const parts: string[] = [];
  if (r.kind === 'mean') parts.push('均值');
  if (r.ciMethod !== null && r.kind === 'mean') parts.push(CI_METHOD_LABELS[r.ciMethod]);
  for (const f of r.flags) parts.push(ESTIMATE_FLAG_LABELS[f].short);
  return parts.join('·');
}

/** A readable, aligned table (one line per record), then what the flags mean. */
function formatTable(records: EstimateRecord[]): string {
  const head = [
    '方法',
    '分组',
    '类别',
    '变量',
    'n',
    '估计',
    '标准误',
    '95% 下限',
    '95% 上限',
    'deff',
    'df',
    '说明',
  ];
  const right = new Set([4, 5, 6, 7, 8, 9, 10]);
  const rows = records.map((r) => [
    r.method,
    r.by ?? '总体',
    r.domain ?? '—',
    r.variable,
    String(r.n),
    fixed(r.estimate, 6),
    fixed(r.se, 6),
    fixed(r.ciLow, 6),
    fixed(r.ciHigh, 6),
    fixed(r.deff, 3),
    r.df === null ? '—' : String(r.df),
    note(r),
  ]);
  const widths = head.map((h, j) => Math.max(displayWidth(h), ...rows.map((row) => displayWidth(row[j]!))));
  const line = (cells: string[]) =>
    cells
      .map((c, j) => {
        const pad = ' '.repeat(widths[j]! - displayWidth(c));
        return right.has(j) ? pad + c : j === cells.length - 1 ? c : c + pad;
      })
      .join('  ')
      .trimEnd();
  const out = [line(head), ...rows.map(line)];
  const flags = [...new Set(records.flatMap((r) => r.flags))];
  const means = records.some((r) => r.kind === 'mean');
  if (flags.length || means) {
    out.push('');
    if (means)
      out.push('均值：该变量不是 0/1 变量，按均值估计，置信区间为 Wald 区间（估计 ± t(df, 0.975)·标准误）。');
    for (const f of flags) out.push(`${ESTIMATE_FLAG_LABELS[f].short}：${ESTIMATE_FLAG_LABELS[f].text}。`);
  }
  return out.join('\n');
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const t = Array.isArray(v) ? v.join(';') : String(v);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

function formatCsv(records: EstimateRecord[]): string {
  return [FIELDS.join(','), ...records.map((r) => FIELDS.map((f) => csvCell(r[f])).join(','))].join('\n');
}

/**
 * `kesu survey estimate --data FILE.csv --design DESIGN.json [--method …] [--by COLUMN]... [--variable COLUMN]...
 *  [--seed N] [--replicates N] [--strict] [--format table|csv|json]`: the overall row and one breakdown per --by
 * (`--by a,b` crosses two columns), for every --variable (default `literate`). Reads the data once; warnings go to
 * stderr, output only to stdout. `--help` lists every option.
 */
export async function surveyEstimateCommand(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${SURVEY_ESTIMATE_HELP}\n`);
    return;
  }
  const { values } = parseOptions(args, {
    data: { type: 'string' },
    design: { type: 'string' },
    method: { type: 'string' },
    by: { type: 'string', multiple: true, default: [] },
    variable: { type: 'string', multiple: true, default: [] },
    seed: { type: 'string' },
    replicates: { type: 'string' },
    strict: { type: 'boolean', default: false },
    format: { type: 'string' },
    json: { type: 'boolean', default: false },
    timings: { type: 'boolean', default: false },
  });
  const timings = values.timings ? phaseTimer() : null;
  if (!values.data) fail('请给出数据文件：--data FILE.csv（kesu survey estimate --help 查看全部选项）');
  if (!values.design)
    fail('请给出设计文件：--design DESIGN.json（kesu survey estimate --help 查看全部选项）');
  if (values.format !== undefined && !(FORMATS as readonly string[]).includes(values.format))
    fail(`--format 须为 ${FORMATS.join('、')}（收到「${values.format}」）`);
  if (values.json && values.format !== undefined && values.format !== 'json')
    fail('--json 与 --format 只能选一个');
  const format = values.json ? 'json' : (values.format ?? 'table');
  if (!fs.existsSync(values.data)) fail(`数据文件不存在：${values.data}`);
  const design = readDesign(values.design);
  const methodText = values.method ?? (design.replicates ? 'replicates' : 'linearization');
  if (!(METHODS as readonly string[]).includes(methodText))
    fail(`--method 须为 ${METHODS.join('、')}（收到「${methodText}」）`);
  const method = methodText as CliMethod;
  if (method === 'raking' && (!design.raking || design.raking.margins.length === 0))
    fail('--method raking 需要设计文件中的 raking.margins（校准边际）');
  if (method === 'replicates' && !design.replicates)
    fail('--method replicates 需要设计文件中的 replicates（复制权数列与类型）');
  const seed = integerOption('--seed', values.seed, Number.MIN_SAFE_INTEGER);
  const replicates = integerOption('--replicates', values.replicates, 2);
  if ((seed !== undefined || replicates !== undefined) && method !== 'bootstrap')
    fail('--seed 与 --replicates 只用于 --method bootstrap');

  const by = values.by.map((b) => {
    const names = b
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    if (names.length === 0 || names.length > 2) fail(`--by「${b}」须为一列或用逗号连接的两列`);
    return names.length === 1 ? names[0]! : names;
  });
  const variables = values.variable.length ? values.variable : ['literate'];

  const requests = (header: readonly string[]): ColumnRequest[] => {
    const out: ColumnRequest[] = [{ name: design.weights, kind: 'number' }];
    for (const name of [design.strata ?? null, ...stageColumns(design.clusters)])
      if (name) out.push({ name, kind: 'label' });
    for (const name of stageColumns(design.fpc)) out.push({ name, kind: 'number' });
    for (const v of variables) out.push({ name: v, kind: 'number' });
    for (const b of by) for (const name of typeof b === 'string' ? [b] : b) out.push({ name, kind: 'label' });
    if (method === 'raking')
      for (const m of design.raking?.margins ?? []) out.push({ name: m.variable, kind: 'label' });
    if (method === 'replicates' && design.replicates) {
      // The pattern is matched against the header, in its order (R: grep on names(data)).
      design.replicates.columns = replicateColumnNames(design.replicates, header);
      for (const name of design.replicates.columns) out.push({ name, kind: 'number' });
    }
    return out;
  };

  let result: ReturnType<typeof runEstimate>;
  try {
    const { columns, encoding, threads } = await readCsvColumns(values.data, requests, {
      weightColumn: design.weights,
    });
    timings?.(threads === 2 ? '读数据（两个线程）' : '读数据');
    if (encoding === 'gb18030')
      process.stderr.write('说明：数据文件不是 UTF-8 编码，已按 GBK（GB18030）读取。\n');
    result = runEstimate({ columns, design, method, by, variables, seed, replicates, strict: values.strict });
    timings?.('估计');
  } catch (err) {
    if (err instanceof StatsError)
      throw new AppError('BAD_REQUEST', err.message, { code: err.code, ...err.details });
    throw err;
  }
  for (const w of result.warnings) process.stderr.write(`警告：${w.message}\n`);
  const { records } = result;
  if (format === 'json') {
    const out = records.map((r) => Object.fromEntries(FIELDS.map((f) => [f, r[f]])));
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else process.stdout.write(`${format === 'csv' ? formatCsv(records) : formatTable(records)}\n`);
  timings?.('输出');
}

/**
 * `--timings`: a function that writes to stderr the milliseconds since its last call (the first: since the
 * process started, i.e. Node and the command's modules loading), named by its argument.
 */
function phaseTimer(): (phase: string) => void {
  let last = performance.now();
  process.stderr.write(`计时：启动 ${Math.round(last)} ms\n`);
  return (phase) => {
    const now = performance.now();
    process.stderr.write(`计时：${phase} ${Math.round(now - last)} ms\n`);
    last = now;
  };
}

const SURVEY_USAGE =
  'survey 子命令：estimate、score（运行 kesu help 查看用法；kesu survey estimate --help 列出全部选项）';

/** `kesu survey <sub> …` */
export async function surveyCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'estimate':
      return surveyEstimateCommand(rest);
    case 'score': {
      // Its own module: the questionnaire schemas and the sample instrument load only for `score`.
      const { surveyScoreCommand } = await import('./survey-score.command');
      return surveyScoreCommand(rest);
    }
    default:
      fail(SURVEY_USAGE);
  }
}

/**
 * `kesu survey …` run as the command: a refusal (AppError, a file that cannot be read) is one Chinese line on
 * stderr and exit 2, anything else exit 1 — as commands.ts does for the other commands.
 */
export async function runSurveyCommand(args: string[]): Promise<void> {
  try {
    await surveyCommand(args);
  } catch (err) {
    if (err instanceof AppError) {
      console.error(err.message);
      process.exit(2);
    }
    if (err instanceof Error && /^E[A-Z]+$/.test(String((err as { code?: unknown }).code ?? ''))) {
      console.error(`错误：${err.message}`);
      process.exit(2);
    }
    console.error(err);
    process.exit(1);
  }
}
