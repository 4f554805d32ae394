import fs from 'node:fs';
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
import { StatsError } from '@kesu/stats';
import { SAMPLE_QUESTIONNAIRE } from '../modules/instruments/instruments.sample';
import { fail, parseOptions } from './survey-args';
import { CsvTokenizer } from './survey-csv';

/*
 * `kesu survey score`, loaded by survey.command.ts only when asked for: the questionnaire schemas and the sample
 * instrument stay out of `survey estimate`'s start.
 */

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
  try {
    for await (const chunk of stream) tokenizer.push(chunk as string);
    tokenizer.end();
  } catch (err) {
    if (err instanceof StatsError) fail(err.message);
    throw err;
  }
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
