import { z } from 'zod';
import { IdSchema } from './common';

/**
 * Survey waves (公民科学素质抽样调查): microdata uploads, their column mapping, the stored design and the estimates
 * computed with @kesu/stats. DOMAIN.md §4–5.
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
export const NUMERIC_SURVEY_ROLES: readonly SurveyRole[] = ['weight', 'fpc', 'age', 'literate', 'score'];

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

/**
 * The design stored with a wave: the shape of the fixtures' design.json (DOMAIN.md §5), with column names that are
 * role names of the stored microdata.
 */
export const SurveyDesignSchema = z.object({
  weights: z.string(),
  strata: z.string().nullable(),
  clusters: z.string().nullable(),
  fpc: z.string().nullable().optional(),
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

/** Scoring rules whose results a wave may carry (DOMAIN.md §4); rates are never compared across rules. */
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

export const ESTIMATE_METHODS = ['linearization', 'raking', 'jkn'] as const;
export const EstimateMethodSchema = z.enum(ESTIMATE_METHODS);
export type SurveyEstimateMethod = z.infer<typeof EstimateMethodSchema>;

/** One stored estimate: the fields of expected.json plus CV and the design df of its domain. */
export const SurveyEstimateSchema = z.object({
  method: EstimateMethodSchema,
  by: z.string().nullable(),
  domain: z.string().nullable(),
  variable: z.string(),
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
  version: z.number().int(),
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
  version: z.number().int(),
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
export const PublicLiteracySchema = z.object({
  items: z.array(
    z.object({
      waveId: IdSchema,
      name: z.string(),
      year: z.number().int(),
      estimate: z.number(),
      ciLow: z.number().nullable(),
      ciHigh: z.number().nullable(),
      n: z.number().int(),
    }),
  ),
});
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
