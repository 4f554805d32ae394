import { z } from 'zod';
import { isCalendarDate } from './dates';

/** A calendar date 'YYYY-MM-DD' that exists (2024-02-29 yes, 2025-02-29 no); read as UTC, never local time. */
export const CalendarDateSchema = z.string().refine(isCalendarDate, { message: '日期应为有效的 YYYY-MM-DD' });
/** A calendar date 'YYYY-MM-DD'. */
export type CalendarDate = z.infer<typeof CalendarDateSchema>;

/**
 * What progress on an indicator means (docs/DOMAIN.md §3): `cumulative` a count reached by a deadline (到2025年底创建15所),
 * `annual` a count within each calendar year (每年培训300人, resets on January 1), `population_share` a count over a
 * county's resident population of that year, in percent (覆盖县域常住人口的80%以上), `survey_rate` a rate estimated by
 * the literacy survey, in percent, with its confidence interval (比例力争达到15.5%).
 */
export const IndicatorKindSchema = z.enum(['cumulative', 'annual', 'population_share', 'survey_rate']);
/** An indicator kind. */
export type IndicatorKind = z.infer<typeof IndicatorKindSchema>;

/** How actual compares with the target: 以上/不少于/超过 → ">=", 约 → "≈", 不超过 → "<=", plain → "=". */
export const ComparatorSchema = z.enum(['>=', '=', '≈', '<=']);
/** A comparator. */
export type Comparator = z.infer<typeof ComparatorSchema>;

/** A historical figure the expected-progress line starts from: `value` as it stood at the end of `year`. */
export const BaselineSchema = z.object({
  value: z.number().finite(),
  year: z.number().int().min(1900).max(2200),
});
/** A baseline. */
export type Baseline = z.infer<typeof BaselineSchema>;

/**
 * One indicator of a plan task. `targetValue` is in `unit` (percent for `population_share` and `survey_rate`).
 * `startDate` is the first day of the plan period (the day the expected-progress line starts when there is no
 * baseline). `deadline` is the last day by which the target must be met (null: no deadline). `byCounty` makes the
 * engine evaluate every county separately; `countyTargets` (county → target) gives county targets of count kinds.
 */
export const IndicatorSchema = z.object({
  id: z.string().min(1),
  kind: IndicatorKindSchema,
  comparator: ComparatorSchema,
  targetValue: z.number().finite(),
  unit: z.string(),
  deadline: CalendarDateSchema.nullable(),
  startDate: CalendarDateSchema,
  baseline: BaselineSchema.nullable(),
  byCounty: z.boolean(),
  countyTargets: z.record(z.string(), z.number().finite()).optional(),
});
/** An indicator. */
export type Indicator = z.infer<typeof IndicatorSchema>;

/** Where an observation comes from: a unit's progress report, a survey wave, or a registry query. */
export const SourceKindSchema = z.enum(['report', 'survey', 'registry', 'county']);
/** A source kind. */
export type SourceKind = z.infer<typeof SourceKindSchema>;

/** The source of one value: `ref` is the server's id (report id, wave id, query name), `label` is shown to people. */
export const ObservationSourceSchema = z.object({
  kind: SourceKindSchema,
  ref: z.string(),
  label: z.string(),
});
/** An observation's source. */
export type ObservationSource = z.infer<typeof ObservationSourceSchema>;

/** A confidence interval [low, high] in the observation's unit (95% unless the source says otherwise). */
export const IntervalSchema = z
  .object({ low: z.number().finite(), high: z.number().finite() })
  .refine((ci) => ci.low <= ci.high, { message: '置信区间下限不能大于上限' });
/** A confidence interval. */
export type Interval = z.infer<typeof IntervalSchema>;

/**
 * One actual value of an indicator, whatever its source: the one shape that reports, survey waves and registry
 * queries all produce. `value` is the level *as of* `period`, never an increment: for `cumulative` the total
 * reached so far, for `annual` and `population_share` the count so far within that calendar year, for
 * `survey_rate` the estimate in percent. `period` is a date, or a year meaning "as of 31 December of that year"
 * (it counts as known from 1 January of that year). `county` is absent for city-wide values.
 */
export const ObservationSchema = z.object({
  value: z.number().finite(),
  period: z.union([CalendarDateSchema, z.number().int().min(1900).max(2200)]),
  county: z.string().min(1).optional(),
  source: ObservationSourceSchema,
  ci: IntervalSchema.optional(),
  approved: z.boolean().optional(),
});
/** An observation. */
export type Observation = z.infer<typeof ObservationSchema>;

/** One resident population (常住人口) figure: `county` null is the whole city. */
export const PopulationRowSchema = z.object({
  county: z.string().min(1).nullable(),
  year: z.number().int(),
  population: z.number().finite().positive(),
});
/** A population figure. */
export type PopulationRow = z.infer<typeof PopulationRowSchema>;

/** The admin-entered population table by county and year; a missing row means "no data", never a guess. */
export const PopulationTableSchema = z
  .array(PopulationRowSchema)
  .refine((rows) => new Set(rows.map((r) => `${r.county ?? ''}|${r.year}`)).size === rows.length, {
    message: '同一县区同一年份的人口只能有一条',
  });
/** A population table. */
export type PopulationTable = z.infer<typeof PopulationTableSchema>;

/**
 * Status thresholds. `yellowBand` (default 0.15): an actual at or above (1 − band) of the expected-to-date progress
 * (progress measured from the line's start value) is yellow, below it red; for "<=" the band lies above.
 * `approxTolerance` (default 0.05): "≈" is met within ± that share of the target.
 */
export const ThresholdsSchema = z.object({
  yellowBand: z.number().min(0).max(1),
  approxTolerance: z.number().min(0).max(1),
});
/** Status thresholds. */
export type Thresholds = z.infer<typeof ThresholdsSchema>;

/** The default thresholds: yellow down to 85% of 序时进度, "≈" within ±5% of the target. */
export const DEFAULT_THRESHOLDS: Thresholds = { yellowBand: 0.15, approxTolerance: 0.05 };

/** A traffic light (亮灯), or no data (no light: neither 0 nor red). */
export const StatusSchema = z.enum(['green', 'yellow', 'red', 'no_data']);
/** A status. */
export type Status = z.infer<typeof StatusSchema>;

/**
 * Which rule gave a status (documented in README-style JSDoc on `statusOf`):
 * `met` target met · `on_track` not behind 序时进度 · `within_band` behind but inside the yellow band ·
 * `below_band` behind beyond the band · `overdue` deadline passed / year over, target not met ·
 * `over_cap` a "<=" cap exceeded · `above_approx` above a "≈" target's tolerance · `ci_clear` CI on the good side ·
 * `ci_straddles` CI contains the expected value · `ci_short` CI entirely on the bad side ·
 * `no_observation` no value · `no_population` population missing · `worst_county` the worst county's light ·
 * `no_counties` no county has data.
 */
export const StatusRuleSchema = z.enum([
  'met',
  'on_track',
  'within_band',
  'below_band',
  'overdue',
  'over_cap',
  'above_approx',
  'ci_clear',
  'ci_straddles',
  'ci_short',
  'no_observation',
  'no_population',
  'worst_county',
  'no_counties',
]);
/** A status rule. */
export type StatusRule = z.infer<typeof StatusRuleSchema>;

/** "How is this computed": the formula, every input used, the rule that gave the light, and one Chinese sentence. */
export const ExplanationSchema = z.object({
  formula: z.string(),
  inputs: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  rule: StatusRuleSchema,
  ruleText: z.string(),
  text: z.string(),
});
/** An explanation. */
export type Explanation = z.infer<typeof ExplanationSchema>;

/** Something odd in the data, returned for a person to look at (never thrown). */
export const AnomalySchema = z.object({
  kind: z.enum(['cumulative_decrease', 'negative_value']),
  county: z.string().nullable(),
  period: z.union([z.string(), z.number()]),
  value: z.number(),
  previousValue: z.number().nullable(),
  previousPeriod: z.union([z.string(), z.number()]).nullable(),
  source: ObservationSourceSchema,
  message: z.string(),
});
/** An anomaly. */
export type Anomaly = z.infer<typeof AnomalySchema>;

/** One county's evaluation (population shares; count kinds when `byCounty`). */
export const CountyEvaluationSchema = z.object({
  county: z.string(),
  status: StatusSchema,
  actual: z.number().nullable(),
  target: z.number().nullable(),
  expected: z.number().nullable(),
  progress: z.number().nullable(),
  numerator: z.number().nullable(),
  population: z.number().nullable(),
  observation: ObservationSchema.nullable(),
  explanation: ExplanationSchema,
});
/** A county's evaluation. */
export type CountyEvaluation = z.infer<typeof CountyEvaluationSchema>;

/**
 * What `evaluateIndicator` returns. `actual` and `expected` are in the indicator's unit; `progress` ∈ [0, 1] is the
 * completion share used by `rollUp`; `year` is the evaluated calendar year of annual kinds (null otherwise);
 * `isFinal` is true once the deadline or the evaluated year is over (the verdict no longer changes with time).
 */
export const EvaluationResultSchema = z.object({
  indicatorId: z.string(),
  kind: IndicatorKindSchema,
  comparator: ComparatorSchema,
  unit: z.string(),
  asOf: z.string(),
  year: z.number().int().nullable(),
  status: StatusSchema,
  actual: z.number().nullable(),
  ci: IntervalSchema.nullable(),
  target: z.number(),
  expected: z.number().nullable(),
  elapsedShare: z.number().nullable(),
  progress: z.number().nullable(),
  isFinal: z.boolean(),
  observation: ObservationSchema.nullable(),
  counties: z.array(CountyEvaluationSchema),
  countiesWithoutData: z.array(z.string()),
  anomalies: z.array(AnomalySchema),
  explanation: ExplanationSchema,
});
/** An evaluation result. */
export type EvaluationResult = z.infer<typeof EvaluationResultSchema>;

/**
 * A node of the task tree to roll up: a leaf is an indicator (`indicatorId`) or a task with a progress entered
 * directly (`progress` ∈ [0, 1] or null = no data); a branch has `children`. `weight` ≥ 0, default 1; weights
 * need not sum to 1.
 */
export type RollupNode = {
  id: string;
  label?: string;
  weight?: number;
  indicatorId?: string;
  progress?: number | null;
  children?: RollupNode[];
};
/** A roll-up tree node (recursive). */
export const RollupNodeSchema: z.ZodType<RollupNode> = z.lazy(() =>
  z
    .object({
      id: z.string().min(1),
      label: z.string().optional(),
      weight: z.number().finite().min(0).optional(),
      indicatorId: z.string().min(1).optional(),
      progress: z.number().min(0).max(1).nullable().optional(),
      children: z.array(RollupNodeSchema).optional(),
    })
    .refine(
      (n) =>
        [n.indicatorId !== undefined, n.progress !== undefined, n.children !== undefined].filter(Boolean)
          .length === 1,
      {
        message: '节点必须且只能是指标、直接填报进度或含子节点之一',
      },
    ),
);

/** Counts of indicator lights under a node. */
export const StatusCountsSchema = z.object({
  green: z.number().int(),
  yellow: z.number().int(),
  red: z.number().int(),
  no_data: z.number().int(),
});
/** Status counts. */
export type StatusCounts = z.infer<typeof StatusCountsSchema>;

/**
 * A rolled-up node. `progress` is the weighted mean of the children that have data (null = no data);
 * `normalizedWeight` is this node's share among its siblings with data (null when it has no data or is the root);
 * `childrenWithoutData` counts direct children excluded for lack of data.
 */
export type RollupResult = {
  id: string;
  label: string | null;
  weight: number;
  normalizedWeight: number | null;
  progress: number | null;
  status: Status | null;
  childrenWithoutData: number;
  statusCounts: StatusCounts;
  explanation: { formula: string; inputs: Record<string, number | string | null>; text: string };
  children: RollupResult[];
};
/** A rolled-up node (recursive). */
export const RollupResultSchema: z.ZodType<RollupResult> = z.lazy(() =>
  z.object({
    id: z.string(),
    label: z.string().nullable(),
    weight: z.number(),
    normalizedWeight: z.number().nullable(),
    progress: z.number().nullable(),
    status: StatusSchema.nullable(),
    childrenWithoutData: z.number().int(),
    statusCounts: StatusCountsSchema,
    explanation: z.object({
      formula: z.string(),
      inputs: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
      text: z.string(),
    }),
    children: z.array(RollupResultSchema),
  }),
);
