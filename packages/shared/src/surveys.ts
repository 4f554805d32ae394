import { z } from 'zod';
import { IdSchema, RowVersionSchema } from './common';

/**
 * Survey waves (公民科学素质抽样调查): microdata uploads, their column mapping, the stored design and the estimates
 * computed with @kesu/stats. docs/DOMAIN.md §4–5.
 */

/** Limits of survey uploads, shared by server and web. */
export const SURVEY_LIMITS = {
  /** Default largest microdata upload, bytes (the server's SURVEY_UPLOAD_MAX_MB overrides it). */
  uploadBytes: 200 * 1024 * 1024,
  /** Validation problems listed one by one in a report (all are counted). */
  issuesListed: 100,
  /** Estimates from fewer respondents, or with a larger CV, carry a small-sample warning. */
  smallSampleN: 30,
  smallSampleCv: 0.3,
} as const;

/** What a file column can be used as. Stored microdata keeps one column per role, named by the role. */
export const SURVEY_ROLES = [
  'weight',
  'stratum',
  'psu',
  'fpc',
  'psu2',
  'fpc2',
  'district',
  'area',
  'gender',
  'age',
  'age_group',
  'education',
  'group',
  'literate',
  'score',
] as const;
export const SurveyRoleSchema = z.enum(SURVEY_ROLES);
export type SurveyRole = z.infer<typeof SurveyRoleSchema>;

export const SURVEY_ROLE_LABELS: Record<SurveyRole, string> = {
  weight: '权数（设计权重）',
  stratum: '层',
  psu: '初级抽样单位（PSU）',
  fpc: '有限总体校正（总体 PSU 数）',
  psu2: '第二阶段抽样单位（PSU 内的单位，如住户）',
  fpc2: '第二阶段有限总体校正（所在 PSU 内的总体单位数）',
  district: '县(市)区',
  area: '城乡',
  gender: '性别',
  age: '年龄',
  age_group: '年龄组',
  education: '文化程度',
  group: '重点人群',
  literate: '具备科学素质（0/1）',
  score: '得分（0–100）',
};

/** Numeric roles (stored as numbers, NaN = missing); the others are categories. */
export const NUMERIC_SURVEY_ROLES: readonly SurveyRole[] = [
  'weight',
  'fpc',
  'fpc2',
  'age',
  'literate',
  'score',
];

/** Breakdowns computed for every wave (when the role is mapped), in display order. */
export const SURVEY_BREAKDOWNS = ['district', 'area', 'gender', 'age_group', 'education', 'group'] as const;
export type SurveyBreakdown = (typeof SURVEY_BREAKDOWNS)[number];

/** Age bands of the official survey (ages 18–69). */
export const AGE_BANDS = ['18-29', '30-39', '40-49', '50-59', '60-69'] as const;
export const SURVEY_AGE_MIN = 18;
export const SURVEY_AGE_MAX = 69;

/** Role → file column name. `weight` and at least one of `literate`/`score` are required. */
export const ColumnMappingSchema = z
  .partialRecord(SurveyRoleSchema, z.string().trim().min(1).max(200))
  .refine((m) => Boolean(m.weight), { message: '必须指定权数列' })
  .refine((m) => Boolean(m.literate || m.score), { message: '至少指定“具备科学素质”或“得分”中的一列' });
export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;

export const LonelyPsuSchema = z.enum(['fail', 'remove', 'adjust', 'certainty', 'average']);
export type LonelyPsu = z.infer<typeof LonelyPsuSchema>;

/** One raking margin: a (possibly crossed, "gender:age_group") variable and its population totals by level. */
export const RakingMarginSchema = z.object({
  variable: z.string().min(1).max(100),
  totals: z.record(z.string(), z.number().positive()),
});
export type RakingMargin = z.infer<typeof RakingMarginSchema>;

/** One column, or one per stage (outermost first): R's `ids = ~psu + ssu`, `fpc = ~fpc1 + fpc2`. */
const StageColumnsSchema = z.union([
  z.string().min(1).max(200),
  z.array(z.string().min(1).max(200)).min(1).max(5),
]);

/** Replicate-weight types a design file may name (R `svrepdesign(type = …)`). */
export const REPLICATE_TYPES = ['JK1', 'JKn', 'BRR', 'Fay', 'bootstrap'] as const;

/**
 * Replicate weights shipped in the data (R `svrepdesign`): `columns` is a name pattern (`*` any text, `?` one
 * character, matched in the order of the data's columns) or the column names; `combined` (default true) says the
 * replicate weights already include the sampling weight.
 */
export const ReplicatesSpecSchema = z.strictObject({
  columns: z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(2).max(1000)]),
  type: z.enum(REPLICATE_TYPES),
  scale: z.number().positive().nullable().optional(),
  rscales: z
    .union([z.number().nonnegative(), z.array(z.number().nonnegative()).min(1).max(1000)])
    .nullable()
    .optional(),
  rho: z.number().min(0).lt(1).nullable().optional(),
  combined: z.boolean().optional(),
  mse: z.boolean().optional(),
});
export type ReplicatesSpec = z.infer<typeof ReplicatesSpecSchema>;

/**
 * design.json as a user writes it (the fixtures' shape, docs/DOMAIN.md §5): column names of the data file, one cluster
 * and fpc column per stage, raking margins, replicate weights in the data. Unknown keys are refused with their
 * name (`fpc2`, `ids` … would otherwise be silently ignored): see {@link describeDesignFileError}.
 */
export const DesignFileSchema = z
  .strictObject({
    weights: z.string().min(1).max(200),
    strata: z.string().min(1).max(200).nullable().optional(),
    clusters: StageColumnsSchema.nullable().optional(),
    fpc: StageColumnsSchema.nullable().optional(),
    nest: z.boolean().optional(),
    lonelyPsu: LonelyPsuSchema.optional(),
    raking: z
      .strictObject({
        margins: z
          .array(
            z.strictObject({
              variable: z.string().min(1).max(100),
              totals: z.record(z.string(), z.number().positive()),
            }),
          )
          .min(1),
        maxIter: z.number().int().min(1).max(1000).optional(),
        epsilon: z.number().positive().optional(),
      })
      .nullable()
      .optional(),
    replicates: ReplicatesSpecSchema.nullable().optional(),
  })
  .refine(
    (d) => {
      const stages = d.clusters == null ? 1 : typeof d.clusters === 'string' ? 1 : d.clusters.length;
      const fpcs = d.fpc == null ? 0 : typeof d.fpc === 'string' ? 1 : d.fpc.length;
      return fpcs <= stages;
    },
    { message: 'fpc 的列数不能多于抽样阶段数（clusters 的列数）', path: ['fpc'] },
  );
export type DesignFile = z.infer<typeof DesignFileSchema>;

/** Keys a design file may have, for the message about an unknown one. */
const DESIGN_FILE_KEYS: Record<string, readonly string[]> = {
  '': ['weights', 'strata', 'clusters', 'fpc', 'nest', 'lonelyPsu', 'raking', 'replicates'],
  raking: ['margins', 'maxIter', 'epsilon'],
  'raking.margins': ['variable', 'totals'],
  replicates: ['columns', 'type', 'scale', 'rscales', 'rho', 'combined', 'mse'],
};

/** What is wrong with a design file, in Chinese, one sentence per problem; unknown keys are named. */
export function describeDesignFileError(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.map(String);
      const where = path.length ? path.join('.') : '（根）';
      if (i.code === 'unrecognized_keys') {
        const group = path.filter((p) => !/^\d+$/.test(p)).join('.');
        const allowed = DESIGN_FILE_KEYS[group];
        return `${path.length ? `${where} 中` : ''}有无法识别的键「${i.keys.join('」「')}」${allowed ? `（可用的键：${allowed.join('、')}）` : ''}`;
      }
      return `${where}：${i.message}`;
    })
    .join('；');
}

/**
 * The design stored with a wave: the shape of a design file (docs/DOMAIN.md §5), with column names that are role names
 * of the stored microdata; a two-stage design names `psu` and `psu2` (and `fpc`, `fpc2`).
 */
export const SurveyDesignSchema = z.object({
  weights: z.string(),
  strata: z.string().nullable(),
  clusters: StageColumnsSchema.nullable(),
  fpc: StageColumnsSchema.nullable().optional(),
  lonelyPsu: LonelyPsuSchema,
  raking: z
    .object({
      margins: z.array(RakingMarginSchema).min(1),
      maxIter: z.number().int().min(1).max(1000),
      epsilon: z.number().positive(),
    })
    .nullable(),
});
export type SurveyDesign = z.infer<typeof SurveyDesignSchema>;

/** The columns of the stages of a design, outermost first ([] without clusters). */
export function stageColumns(x: string | readonly string[] | null | undefined): readonly string[] {
  return x == null ? [] : typeof x === 'string' ? [x] : x;
}

/** Population-margin dimensions (the margins table). `sex_age` levels are "男,18-29". */
export const MARGIN_DIMENSIONS = ['total', 'sex', 'sex_age', 'area', 'education', 'county'] as const;
export const MarginDimensionSchema = z.enum(MARGIN_DIMENSIONS);
export type MarginDimension = z.infer<typeof MarginDimensionSchema>;
export const MARGIN_DIMENSION_LABELS: Record<MarginDimension, string> = {
  total: '总人口',
  sex: '性别',
  sex_age: '性别×年龄组',
  area: '城乡',
  education: '文化程度',
  county: '县(市)区',
};
/** The stored-microdata variable a margin dimension rakes (crossed variables joined with ':'). */
export const MARGIN_DIMENSION_VARIABLE: Record<Exclude<MarginDimension, 'total'>, string> = {
  sex: 'gender',
  sex_age: 'gender:age_group',
  area: 'area',
  education: 'education',
  county: 'district',
};

/**
 * Raking at import: none, the margins given (e.g. a design.json's, variables named by role), or the population
 * margins table of a year (the chosen dimensions; resolved and frozen into the wave's design at import).
 */
export const RakingChoiceSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('none') }),
  z.object({
    source: z.literal('explicit'),
    margins: z.array(RakingMarginSchema).min(1),
    maxIter: z.number().int().min(1).max(1000).default(100),
    epsilon: z.number().positive().default(1e-10),
  }),
  z.object({
    source: z.literal('population'),
    year: z.number().int().min(2000).max(2100),
    dimensions: z.array(MarginDimensionSchema.exclude(['total'])).min(1),
    maxIter: z.number().int().min(1).max(1000).default(100),
    epsilon: z.number().positive().default(1e-10),
  }),
]);
export type RakingChoice = z.infer<typeof RakingChoiceSchema>;

/** Scoring rules whose results a wave may carry (docs/DOMAIN.md §4); rates are never compared across rules. */
export const SCORING_RULES = ['official-2021', 'legacy-2010', 'custom'] as const;
export const ScoringRuleNameSchema = z.enum(SCORING_RULES);
export const SCORING_RULE_LABELS: Record<(typeof SCORING_RULES)[number], string> = {
  'official-2021': '现行百分制（≥70 分具备科学素质）',
  'legacy-2010': '旧规则（三部分均达标）',
  custom: '其他规则',
};

/** Turn an uploaded file into a wave. */
export const WaveImportSchema = z.object({
  name: z.string().trim().min(1, '不能为空').max(100),
  year: z.number().int().min(2000).max(2100),
  scoringRule: ScoringRuleNameSchema,
  mapping: ColumnMappingSchema,
  lonelyPsu: LonelyPsuSchema.default('fail'),
  raking: RakingChoiceSchema.default({ source: 'none' }),
});
export type WaveImport = z.infer<typeof WaveImportSchema>;

/** Kinds of problem the validation reports, each with a count. */
export const SURVEY_ISSUE_KINDS = [
  'row_length',
  'weight_missing',
  'weight_invalid',
  'weight_negative',
  'stratum_missing',
  'psu_missing',
  'fpc_invalid',
  'age_invalid',
  'age_out_of_range',
  'literate_invalid',
  'score_invalid',
  'lonely_psu',
  'margin_level_unknown',
  'estimation_failed',
  'file_unreadable',
  'no_rows',
] as const;
export const SurveyIssueKindSchema = z.enum(SURVEY_ISSUE_KINDS);
export type SurveyIssueKind = z.infer<typeof SurveyIssueKindSchema>;

export const SurveyIssueSchema = z.object({
  /** Line of the file (the header is line 1); null for a problem of the whole file or design. */
  row: z.number().int().nullable(),
  column: z.string().nullable(),
  kind: SurveyIssueKindSchema,
  message: z.string(),
});
export type SurveyIssue = z.infer<typeof SurveyIssueSchema>;

export const ValidationReportSchema = z.object({
  rows: z.number().int(),
  errorCount: z.number().int(),
  counts: z.partialRecord(SurveyIssueKindSchema, z.number().int()),
  /** The first errors (at most SURVEY_LIMITS.issuesListed). */
  errors: z.array(SurveyIssueSchema),
});
export type ValidationReport = z.infer<typeof ValidationReportSchema>;

export const UPLOAD_STATUSES = ['uploaded', 'processing', 'failed', 'done'] as const;
export const SurveyUploadSchema = z.object({
  id: IdSchema,
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  sizeBytes: z.number().int(),
  columns: z.array(z.string()),
  /** The first rows, for the mapping step. */
  preview: z.array(z.array(z.string())),
  suggestedMapping: z.partialRecord(SurveyRoleSchema, z.string()),
  status: z.enum(UPLOAD_STATUSES),
  /** Processing progress: bytes of the file read so far, rows parsed, and the current step. */
  bytesRead: z.number().int(),
  rowsRead: z.number().int(),
  phase: z.string().nullable(),
  report: ValidationReportSchema.nullable(),
  waveId: IdSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SurveyUpload = z.infer<typeof SurveyUploadSchema>;

/**
 * Variance methods (as @kesu/stats names them): Taylor linearization, after raking, replicate weights made from the
 * design (JKn, JK1, BRR, bootstrap) or shipped in the data (`replicates`).
 */
export const ESTIMATE_METHODS = [
  'linearization',
  'raking',
  'jkn',
  'jk1',
  'brr',
  'bootstrap',
  'replicates',
] as const;
export const EstimateMethodSchema = z.enum(ESTIMATE_METHODS);
export type SurveyEstimateMethod = z.infer<typeof EstimateMethodSchema>;

/** What each method is, in Chinese (tables, method notes, the command line). */
export const ESTIMATE_METHOD_LABELS: Record<SurveyEstimateMethod, string> = {
  linearization: '线性化（设计权数）',
  raking: '按人口边际校准（raking）',
  jkn: 'JKn 刀切法复制权数',
  jk1: 'JK1 刀切法复制权数',
  brr: 'BRR 平衡半样本复制权数',
  bootstrap: '自助法（bootstrap）复制权数',
  replicates: '数据自带的复制权数',
};

/** A 0/1 variable is estimated as a proportion (logit interval), any other as a mean (Wald interval). */
export const ESTIMATE_KINDS = ['proportion', 'mean'] as const;
export const EstimateKindSchema = z.enum(ESTIMATE_KINDS);
export type EstimateKind = z.infer<typeof EstimateKindSchema>;

/** Why a row is special (see @kesu/stats EstimateFlag); every flag has a Chinese sentence. */
export const ESTIMATE_FLAGS = [
  'all_zero',
  'all_one',
  'constant',
  'no_data',
  'no_df',
  'no_variance',
  'raking_not_converged',
] as const;
export const EstimateFlagSchema = z.enum(ESTIMATE_FLAGS);
export type EstimateFlag = z.infer<typeof EstimateFlagSchema>;
export const ESTIMATE_FLAG_LABELS: Record<EstimateFlag, { short: string; text: string }> = {
  all_zero: {
    short: '全为 0',
    text: '该组有观测值的受访者全部为 0：估计值恰为 0，标准误为 0，设计效应与 logit 置信区间无定义',
  },
  all_one: {
    short: '全为 1',
    text: '该组有观测值的受访者全部为 1：估计值恰为 1，标准误为 0，设计效应与 logit 置信区间无定义',
  },
  constant: {
    short: '取值相同',
    text: '该组有观测值的受访者取值全部相同：均值即该值，标准误为 0，不给出置信区间',
  },
  no_data: { short: '无数据', text: '该组没有权数不为 0 的有观测值受访者，无法估计' },
  no_df: { short: '无自由度', text: '该组的设计自由度为 0（只涉及一个 PSU 或一个层），无法给出置信区间' },
  no_variance: {
    short: '无法估计方差',
    text: '该组的方差无法估计（单 PSU 的处理方式无法给出方差），只给出点估计',
  },
  raking_not_converged: {
    short: '校准未收敛',
    text: '迭代比例拟合（raking）在达到迭代上限时仍未收敛，结果按最后一轮的权数计算，请检查人口边际是否相互一致',
  },
};

/** How an interval was made: logit (R svyciprop "xlogit") for proportions, Wald (t) for means. */
export const CI_METHOD_LABELS: Record<'logit' | 'wald' | 'beta', string> = {
  logit: 'logit 区间',
  wald: 'Wald 区间',
  beta: 'Korn–Graubard 区间',
};

/** One stored estimate: the fields of expected.json plus the kind, CV, df of its domain and flags. */
export const SurveyEstimateSchema = z.object({
  method: EstimateMethodSchema,
  by: z.string().nullable(),
  domain: z.string().nullable(),
  variable: z.string(),
  kind: EstimateKindSchema,
  /** How the interval was made; null without one. */
  ciMethod: z.enum(['logit', 'wald', 'beta']).nullable(),
  flags: z.array(EstimateFlagSchema),
  n: z.number().int(),
  estimate: z.number(),
  se: z.number(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  /** R deff=TRUE; null when undefined (no variance in the domain). */
  deff: z.number().nullable(),
  /** se / estimate; null when the estimate is 0. */
  cv: z.number().nullable(),
  /** Design degrees of freedom of the domain (R degf()), used for the t quantile of the CI. */
  df: z.number().int(),
});
export type SurveyEstimate = z.infer<typeof SurveyEstimateSchema>;

export const SurveyWaveSchema = z.object({
  id: IdSchema,
  name: z.string(),
  year: z.number().int(),
  scoringRule: ScoringRuleNameSchema,
  design: SurveyDesignSchema,
  mapping: z.partialRecord(SurveyRoleSchema, z.string()),
  sourceFileName: z.string(),
  rows: z.number().int(),
  isPublished: z.boolean(),
  /** Generated with the demo data (never published; removed with the rest of the demo). */
  isDemo: z.boolean(),
  version: RowVersionSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SurveyWave = z.infer<typeof SurveyWaveSchema>;

export const SurveyWaveListSchema = z.object({ items: z.array(SurveyWaveSchema) });

export const SurveyWaveDetailSchema = z.object({
  wave: SurveyWaveSchema,
  estimates: z.array(SurveyEstimateSchema),
});
export type SurveyWaveDetail = z.infer<typeof SurveyWaveDetailSchema>;

export const SurveyWaveUpdateSchema = z.object({
  version: RowVersionSchema,
  name: z.string().trim().min(1).max(100).optional(),
  isPublished: z.boolean().optional(),
});
export type SurveyWaveUpdate = z.infer<typeof SurveyWaveUpdateSchema>;

export const MethodNoteQuerySchema = z.object({
  method: EstimateMethodSchema.default('linearization'),
  variable: z.string().default('literate'),
  by: z.string().optional(),
  domain: z.string().optional(),
  format: z.enum(['md', 'html']).default('md'),
});
export type MethodNoteQuery = z.infer<typeof MethodNoteQuerySchema>;

/** What the public sees: published waves' headline (overall, linearization, literate). */
/**
 * The one headline of a survey wave: the whole-sample rate of 具备科学素质 under the official rule, by raking when
 * the wave has margins, else linearization (server: surveys/survey-headline.ts).
 */
export const SurveyHeadlineSchema = z.object({
  waveId: IdSchema,
  name: z.string(),
  year: z.number().int(),
  isPublished: z.boolean(),
  scoringRule: ScoringRuleNameSchema,
  method: z.enum(['raking', 'linearization']),
  estimate: z.number(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  n: z.number().int(),
});
export type SurveyHeadline = z.infer<typeof SurveyHeadlineSchema>;

/** The plan's survey-rate target (e.g. 公民具备科学素质的比例力争达到15.5%), in percent. */
export const PlanRateTargetSchema = z.object({
  indicatorId: IdSchema,
  planTitle: z.string(),
  text: z.string(),
  comparator: z.string(),
  value: z.number(),
  year: z.number().int().nullable(),
  deadline: z.string().nullable(),
  baseline: z.object({ value: z.number(), year: z.number().int() }).nullable(),
});
export type PlanRateTarget = z.infer<typeof PlanRateTargetSchema>;

export const SurveyHeadlinesSchema = z.object({
  items: z.array(SurveyHeadlineSchema),
  target: PlanRateTargetSchema.nullable(),
});
export type SurveyHeadlines = z.infer<typeof SurveyHeadlinesSchema>;

/** The public page: published waves' headlines and the plan's target. */
export const PublicLiteracySchema = SurveyHeadlinesSchema;
export type PublicLiteracy = z.infer<typeof PublicLiteracySchema>;

export const PopulationMarginSchema = z.object({
  dimension: MarginDimensionSchema,
  level: z.string().trim().min(1).max(100),
  population: z.number().int().min(0).max(2_000_000_000),
  source: z.string().max(200).nullable().default(null),
});
export type PopulationMargin = z.infer<typeof PopulationMarginSchema>;

export const YearParamsSchema = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export const PopulationMarginsSchema = z.object({
  year: z.number().int(),
  rows: z.array(PopulationMarginSchema),
  updatedAt: z.string().nullable(),
});
export type PopulationMargins = z.infer<typeof PopulationMarginsSchema>;

export const PopulationMarginsPutSchema = z.object({
  rows: z.array(PopulationMarginSchema).max(2000),
});
export type PopulationMarginsPut = z.infer<typeof PopulationMarginsPutSchema>;

export const MarginYearsSchema = z.object({ years: z.array(z.number().int()) });
