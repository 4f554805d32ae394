import fs from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  type InstrumentInput,
  InstrumentInputSchema,
  LEGACY_RULE_DEFAULT,
  LITERACY_DIMENSIONS,
  LITERACY_GRADE_LABELS,
  type LiteracyRule,
  OFFICIAL_RULE_DEFAULT,
  parseAnswer,
  type ScoreResult,
  scoreResponse,
  summarizeScores,
} from '@kesu/shared';
import { type DesignSpec, type EstimateRecord, estimate, StatsError } from '@kesu/stats';
import { z } from 'zod';
import { AppError } from '../errors';
import { SAMPLE_QUESTIONNAIRE } from '../modules/instruments/instruments.sample';
import { type ColumnRequest, CsvTokenizer, readCsvColumns } from './survey-csv';

/*
 * `kesu survey <sub>`: one exported function per subcommand, so other survey subcommands can be added beside
 * these without touching them. Bad input ends in AppError: one Chinese line on stderr, exit 2.
 */

function fail(message: string, details?: unknown): never {
  throw new AppError('BAD_REQUEST', message, details);
}

/** node:util parseArgs, with an unknown or malformed option reported as one Chinese line (exit 2). */
function parseOptions<T extends ParseArgsConfig['options']>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (err) {
    fail(`选项有误：${(err as Error).message}（运行 kesu help 查看用法）`);
  }
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
  const { values } = parseOptions(args, {
    data: { type: 'string' },
    design: { type: 'string' },
    method: { type: 'string', default: 'linearization' },
    by: { type: 'string', multiple: true, default: [] },
    variable: { type: 'string', multiple: true, default: [] },
    json: { type: 'boolean', default: false },
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

function readInstrument(file: string): InstrumentInput {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`无法读取问卷文件 ${file}：${(err as Error).message}`);
  }
  const parsed = InstrumentInputSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 10)
      .map((i) => `${i.path.join('.') || '(根)'}：${i.message}`)
      .join('；');
    fail(`问卷文件无效：${issues}`);
  }
  return parsed.data;
}

/** Rules `--rule` may switch to, with their default settings (a file states any other settings). */
const RULE_OVERRIDES: Record<string, LiteracyRule> = {
  'official-2021': OFFICIAL_RULE_DEFAULT,
  'legacy-2010': LEGACY_RULE_DEFAULT,
};

const ID_COLUMNS = ['id', 'respondent', 'respondent_id', '编号'];

/**
 * `kesu survey score (--instrument FILE.json | --sample) --responses FILE.csv [--rule official-2021|legacy-2010]
 *  [--json]`: one respondent a row, item ids as columns (an `id` column names the respondent). Prints each
 * respondent's score, grade and literate flag under the instrument's rule (or --rule), then an unweighted summary.
 * Survey rates come from `survey estimate`, never from this summary.
 */
export async function surveyScoreCommand(args: string[]): Promise<void> {
  const { values } = parseOptions(args, {
    instrument: { type: 'string' },
    sample: { type: 'boolean', default: false },
    responses: { type: 'string' },
    rule: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (!values.instrument && !values.sample)
    fail('请给出问卷：--instrument 问卷.json 或 --sample（示例问卷）');
  if (!values.responses) fail('请给出作答文件：--responses 作答.csv');
  if (!fs.existsSync(values.responses)) fail(`作答文件不存在：${values.responses}`);
  const instrument = values.instrument ? readInstrument(values.instrument) : SAMPLE_QUESTIONNAIRE;
  let rule = instrument.rule;
  if (values.rule) {
    const r = RULE_OVERRIDES[values.rule];
    if (!r) fail(`--rule 须为 ${Object.keys(RULE_OVERRIDES).join('、')}`);
    if (instrument.purpose === 'self_test_bank') fail('自测题库只能按《基准》自测规则评分');
    rule = r;
  }

  const itemsById = new Map(instrument.items.map((i) => [i.id, i]));
  let header: string[] | null = null;
  let itemColumns: { index: number; id: string }[] = [];
  let idIndex = -1;
  let row = 0;
  const results: { id: string; result: ScoreResult }[] = [];
  const tokenizer = new CsvTokenizer((fields) => {
    const cells = fields.map((f) => f ?? '');
    if (header === null) {
      header = cells.map((c) => c.trim());
      idIndex = header.findIndex((h) => ID_COLUMNS.includes(h.toLowerCase()));
      itemColumns = header.flatMap((h, index) => (itemsById.has(h) ? [{ index, id: h }] : []));
      if (itemColumns.length === 0) fail('作答文件的表头中没有问卷的题号');
      if (instrument.purpose === 'survey') {
        const present = new Set(itemColumns.map((c) => c.id));
        const missing = instrument.items.filter((i) => !present.has(i.id)).map((i) => i.id);
        if (missing.length) fail(`作答文件缺少题目列：${missing.join('、')}`);
      }
      return;
    }
    row++;
    const answers: Record<string, string[]> = {};
    for (const { index, id } of itemColumns) {
      const item = itemsById.get(id)!;
      const answer = parseAnswer(item, cells[index]);
      const keys = new Set(item.options.map((o) => o.key));
      const bad = answer.find((a) => !keys.has(a));
      if (bad !== undefined)
        fail(`第 ${row} 行题目 ${id} 的答案「${cells[index]}」不是有效选项（可选 ${[...keys].join('、')}）`);
      answers[id] = answer;
    }
    const items = itemColumns.map((c) => itemsById.get(c.id)!);
    results.push({
      id: idIndex >= 0 ? (cells[idIndex] ?? String(row)) : String(row),
      result: scoreResponse(rule, items, answers),
    });
  });
  const stream = fs.createReadStream(values.responses, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream) tokenizer.push(chunk as string);
  tokenizer.end();
  if (header === null) fail('作答文件为空（没有表头）');
  const summary = summarizeScores(results.map((r) => r.result));

  if (values.json) {
    const out = {
      instrument: { code: instrument.code, name: instrument.name },
      rule,
      respondents: results.map(({ id, result: r }) => ({
        id,
        score: r.score,
        maxScore: r.maxScore,
        grade: r.grade,
        gradeLabel: LITERACY_GRADE_LABELS[r.grade],
        isLiterate: r.isLiterate,
        isVetoed: r.isVetoed,
        correctCount: r.correctCount,
        itemCount: r.itemCount,
        dimensions: Object.fromEntries(LITERACY_DIMENSIONS.map((d) => [d, r.dimensions[d].score])),
      })),
      summary,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const lines = [
    `问卷：${instrument.name}　规则：${rule.name}（${rule.kind}）`,
    ['编号', '得分', '等级', '具备/通过'].join('\t'),
  ];
  for (const { id, result: r } of results) {
    lines.push([id, String(r.score), LITERACY_GRADE_LABELS[r.grade], r.isLiterate ? '是' : '否'].join('\t'));
  }
  lines.push(
    `共 ${summary.respondents} 人，平均 ${summary.meanScore} 分，${rule.kind === 'benchmark-2016' ? '通过' : '具备科学素质'} ${(summary.literateShare * 100).toFixed(2)}%（未加权，仅为样本计数，不是总体估计）`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

const SURVEY_USAGE = 'survey 子命令：estimate、score（运行 kesu help 查看用法）';

/** `kesu survey <sub> …` */
export async function surveyCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'estimate':
      return surveyEstimateCommand(rest);
    case 'score':
      return surveyScoreCommand(rest);
    default:
      fail(SURVEY_USAGE);
  }
}
