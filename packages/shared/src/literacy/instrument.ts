import { z } from 'zod';
import { RowVersionSchema } from '../common';
import { BENCHMARK_COUNT } from './benchmarks';

/** The four parts of the current questionnaire (docs/DOMAIN.md §4). */
export const LITERACY_DIMENSIONS = ['knowledge', 'method', 'spirit', 'application'] as const;
export const LiteracyDimensionSchema = z.enum(LITERACY_DIMENSIONS);
export type LiteracyDimension = z.infer<typeof LiteracyDimensionSchema>;
export const LITERACY_DIMENSION_LABELS: Record<LiteracyDimension, string> = {
  knowledge: '科学知识',
  method: '科学方法',
  spirit: '科学精神与思想',
  application: '应用科学的能力',
};

/**
 * Item kinds. `veto`: a superstition or pseudo-science statement; under the legacy rule a wrong answer vetoes the
 * respondent whatever the other parts, under the other rules it scores like any item.
 */
export const ITEM_KINDS = ['true_false', 'single', 'multiple', 'veto'] as const;
export const ItemKindSchema = z.enum(ITEM_KINDS);
export type ItemKind = z.infer<typeof ItemKindSchema>;
export const ITEM_KIND_LABELS: Record<ItemKind, string> = {
  true_false: '判断题',
  single: '单选题',
  multiple: '多选题',
  veto: '否决题（迷信与伪科学）',
};

/** Option keys: one capital letter; true/false items use T (对) and F (错). */
const OptionKeySchema = z.string().regex(/^[A-Z]$/, '选项编号应为一个大写字母');
export const ItemOptionSchema = z.object({
  key: OptionKeySchema,
  text: z.string().trim().min(1, '不能为空').max(300),
});
export type ItemOption = z.infer<typeof ItemOptionSchema>;

export const ITEM_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

export const InstrumentItemSchema = z
  .object({
    id: z.string().regex(ITEM_ID_PATTERN, '题号只能由字母、数字、_ 和 - 组成（最多 40 个字符）'),
    dimension: LiteracyDimensionSchema,
    kind: ItemKindSchema,
    stem: z.string().trim().min(1, '题干不能为空').max(1000),
    options: z.array(ItemOptionSchema).min(2, '至少两个选项').max(8),
    /** Correct option keys: exactly one, except multiple-choice items (all of them, no others). */
    key: z.array(OptionKeySchema).min(1, '须给出正确答案'),
    /** Relative weight of the item inside its dimension (official rule) or part (legacy rule). */
    points: z.number().min(0).max(100),
    /** The 基准 (1–26) of 《中国公民科学素质基准》2016 the item covers. */
    benchmarks: z.array(z.number().int().min(1).max(BENCHMARK_COUNT)).min(1, '须注明所属基准').max(5),
    /** Why the key is right: shown to the citizen after a self-test. */
    explanation: z.string().trim().min(1, '须给出解析').max(1000),
  })
  .superRefine((item, ctx) => {
    const keys = item.options.map((o) => o.key);
    if (new Set(keys).size !== keys.length)
      ctx.addIssue({ code: 'custom', path: ['options'], message: `题目 ${item.id} 的选项编号重复` });
    for (const k of item.key) {
      if (!keys.includes(k))
        ctx.addIssue({ code: 'custom', path: ['key'], message: `题目 ${item.id} 的答案「${k}」不在选项中` });
    }
    if (item.kind !== 'multiple' && item.key.length !== 1)
      ctx.addIssue({ code: 'custom', path: ['key'], message: `题目 ${item.id} 只能有一个正确答案` });
    if (new Set(item.key).size !== item.key.length)
      ctx.addIssue({ code: 'custom', path: ['key'], message: `题目 ${item.id} 的答案重复` });
  });
export type InstrumentItem = z.infer<typeof InstrumentItemSchema>;

const Share = z.number().min(0).max(1);

/**
 * The current official rule (since 2021/22): 100 points split 40/20/20/20 over the four dimensions; an item's
 * `points` weigh it inside its dimension, so a dimension's score is (points earned / points available) × its
 * share. Grades are inclusive and cumulative. The official item weights are not public: every figure here is
 * configurable, and the rule is stored with every result.
 */
export const OfficialRuleSchema = z.object({
  kind: z.literal('official-2021'),
  name: z.string().trim().min(1).max(100),
  dimensionPoints: z.object({
    knowledge: z.number().min(0).max(100),
    method: z.number().min(0).max(100),
    spirit: z.number().min(0).max(100),
    application: z.number().min(0).max(100),
  }),
  /** Score ≥ advanced: 具备高阶科学素质; ≥ literate: 具备科学素质 (the headline rate); ≥ basic: 基本具备. */
  thresholds: z.object({
    advanced: z.number().min(0).max(100),
    literate: z.number().min(0).max(100),
    basic: z.number().min(0).max(100),
  }),
});
export type OfficialRule = z.infer<typeof OfficialRuleSchema>;

/**
 * The legacy rule (2010–2015 surveys): literate only when each of the knowledge, method and spirit parts reaches
 * its minimum share of that part's points, and no veto (superstition) item was answered wrongly. An unanswered
 * veto item does not veto.
 */
export const LegacyRuleSchema = z.object({
  kind: z.literal('legacy-2010'),
  name: z.string().trim().min(1).max(100),
  partMinShare: z.object({ knowledge: Share, method: Share, spirit: Share }),
  vetoEnabled: z.boolean(),
});
export type LegacyRule = z.infer<typeof LegacyRuleSchema>;

/**
 * The 《基准》2016 self-test: `itemCount` items drawn from a bank so that all 26 基准 are covered,
 * `pointsPerItem` each, `passScore` or more passes. A self-test, never a survey estimate.
 */
export const BenchmarkRuleSchema = z.object({
  kind: z.literal('benchmark-2016'),
  name: z.string().trim().min(1).max(100),
  itemCount: z.number().int().min(BENCHMARK_COUNT).max(200),
  pointsPerItem: z.number().positive().max(100),
  passScore: z.number().min(0),
});
export type BenchmarkRule = z.infer<typeof BenchmarkRuleSchema>;

export const LiteracyRuleSchema = z.discriminatedUnion('kind', [
  OfficialRuleSchema,
  LegacyRuleSchema,
  BenchmarkRuleSchema,
]);
export type LiteracyRule = z.infer<typeof LiteracyRuleSchema>;
export type LiteracyRuleKind = LiteracyRule['kind'];
export const LITERACY_RULE_KIND_LABELS: Record<LiteracyRuleKind, string> = {
  'official-2021': '现行百分制（40/20/20/20，≥70 分具备科学素质）',
  'legacy-2010': '旧规则（知识、方法、精神三部分均达标，迷信题一票否决）',
  'benchmark-2016': '《基准》自测（50 题覆盖 26 条基准，每题 2 分，≥60 分通过）',
};

/** The rule as the CAST questionnaire is described publicly (docs/DOMAIN.md §4). */
export const OFFICIAL_RULE_DEFAULT: OfficialRule = {
  kind: 'official-2021',
  name: '现行百分制评分',
  dimensionPoints: { knowledge: 40, method: 20, spirit: 20, application: 20 },
  thresholds: { advanced: 85, literate: 70, basic: 55 },
};

/** Placeholder shares: the historical thresholds are not public, configure them per wave. */
export const LEGACY_RULE_DEFAULT: LegacyRule = {
  kind: 'legacy-2010',
  name: '三部分均达标（旧规则）',
  partMinShare: { knowledge: 0.6, method: 0.6, spirit: 0.6 },
  vetoEnabled: true,
};

export const BENCHMARK_RULE_DEFAULT: BenchmarkRule = {
  kind: 'benchmark-2016',
  name: '《中国公民科学素质基准》自测',
  itemCount: 50,
  pointsPerItem: 2,
  passScore: 60,
};

/** Instrument purposes: a survey questionnaire, or the bank the public self-test draws from. */
export const INSTRUMENT_PURPOSES = ['survey', 'self_test_bank'] as const;
export const InstrumentPurposeSchema = z.enum(INSTRUMENT_PURPOSES);
export type InstrumentPurpose = z.infer<typeof InstrumentPurposeSchema>;
export const INSTRUMENT_PURPOSE_LABELS: Record<InstrumentPurpose, string> = {
  survey: '调查问卷',
  self_test_bank: '自测题库',
};

/** Problems that make an instrument unusable under its rule (empty = usable). */
export function instrumentProblems(input: {
  rule: LiteracyRule;
  items: readonly InstrumentItem[];
}): string[] {
  const problems: string[] = [];
  const { rule, items } = input;
  const ids = new Set<string>();
  for (const it of items) {
    if (ids.has(it.id)) problems.push(`题号 ${it.id} 重复`);
    ids.add(it.id);
  }
  const pointsOf = (d: LiteracyDimension) =>
    items.filter((i) => i.dimension === d).reduce((s, i) => s + i.points, 0);
  if (rule.kind === 'official-2021') {
    for (const d of LITERACY_DIMENSIONS) {
      if (rule.dimensionPoints[d] > 0 && pointsOf(d) <= 0)
        problems.push(
          `「${LITERACY_DIMENSION_LABELS[d]}」占 ${rule.dimensionPoints[d]} 分，但没有计分的题目`,
        );
    }
    const t = rule.thresholds;
    if (!(t.advanced >= t.literate && t.literate >= t.basic))
      problems.push('等级分数线须满足：高阶 ≥ 具备 ≥ 基本具备');
  } else if (rule.kind === 'legacy-2010') {
    for (const d of ['knowledge', 'method', 'spirit'] as const) {
      if (pointsOf(d) <= 0) problems.push(`旧规则要求「${LITERACY_DIMENSION_LABELS[d]}」部分有计分的题目`);
    }
  } else {
    if (items.length < rule.itemCount)
      problems.push(`题库只有 ${items.length} 题，少于每次抽取的 ${rule.itemCount} 题`);
    const covered = new Set(items.flatMap((i) => i.benchmarks));
    const missing: number[] = [];
    for (let b = 1; b <= BENCHMARK_COUNT; b++) if (!covered.has(b)) missing.push(b);
    if (missing.length) problems.push(`题库未覆盖基准 ${missing.join('、')}`);
  }
  return problems;
}

const InstrumentBodySchema = z.object({
  /** Stable short code, e.g. "sample-2024". */
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, '代码只能由小写字母、数字和 - 组成（2–40 个字符）'),
  name: z.string().trim().min(1, '不能为空').max(100),
  description: z.string().trim().max(2000).default(''),
  purpose: InstrumentPurposeSchema,
  rule: LiteracyRuleSchema,
  items: z.array(InstrumentItemSchema).min(1, '至少一道题').max(1000),
});

function refineInstrument(v: z.infer<typeof InstrumentBodySchema>, ctx: z.RefinementCtx): void {
  for (const message of instrumentProblems(v)) ctx.addIssue({ code: 'custom', path: ['items'], message });
  if (v.purpose === 'self_test_bank' && v.rule.kind !== 'benchmark-2016')
    ctx.addIssue({ code: 'custom', path: ['rule'], message: '自测题库须使用《基准》自测规则' });
}

/** An instrument as written in a file or sent to create one. */
export const InstrumentInputSchema = InstrumentBodySchema.superRefine(refineInstrument);
export type InstrumentInput = z.infer<typeof InstrumentInputSchema>;

/** Replacing an instrument's content bumps its version; results keep the version they were scored with. */
export const InstrumentUpdateSchema = InstrumentBodySchema.omit({ code: true })
  .extend({ version: RowVersionSchema, isActive: z.boolean().optional() })
  .superRefine((v, ctx) => refineInstrument({ ...v, code: 'x0' }, ctx));
export type InstrumentUpdate = z.infer<typeof InstrumentUpdateSchema>;

export const InstrumentSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  description: z.string(),
  purpose: InstrumentPurposeSchema,
  rule: LiteracyRuleSchema,
  items: z.array(InstrumentItemSchema),
  isActive: z.boolean(),
  version: RowVersionSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Instrument = z.infer<typeof InstrumentSchema>;

/** List row: the rule and counts, without the items. */
export const InstrumentSummarySchema = InstrumentSchema.omit({ items: true }).extend({
  itemCount: z.number().int(),
  benchmarksCovered: z.number().int(),
  /** Self-test banks: anonymous results so far, and how many passed (never survey estimates). */
  selfTestCount: z.number().int(),
  selfTestPassCount: z.number().int(),
});
export type InstrumentSummary = z.infer<typeof InstrumentSummarySchema>;
export const InstrumentListSchema = z.object({ items: z.array(InstrumentSummarySchema) });
