/**
 * @kesu/indicators — the pure indicator engine of issue 4: actual vs target for the four indicator kinds of a plan
 * (cumulative by deadline, annual, share of a county's population, survey rate) with the four comparators,
 * expected-to-date progress (序时进度), green / yellow / red lights by documented rules, anomaly flags, and the
 * weighted roll-up of task progress. Every result explains itself (formula, inputs, rule, a Chinese sentence).
 * Observations come as plain data from any source (unit reports, survey waves, registry queries); no I/O here.
 */
export {
  dateOfDay,
  dayNumber,
  dayOfYear,
  daysInYear,
  inclusiveDays,
  isCalendarDate,
  yearEnd,
  yearOf,
  yearStart,
} from './dates';
export { type AnnualBasis, type ExpectedOptions, type ExpectedProgress, expectedProgress } from './expected';
export { type StatusInput, type StatusOutcome, completionOf, statusOf } from './status';
export { type EvaluateOptions, detectAnomalies, evaluateIndicator } from './evaluate';
export { rollUp } from './rollup';
export { formatNumber, formatShare, isWholeUnit, lightText, targetPhrase, withUnit } from './format';
export {
  type Anomaly,
  AnomalySchema,
  type Baseline,
  BaselineSchema,
  type CalendarDate,
  CalendarDateSchema,
  type Comparator,
  ComparatorSchema,
  type CountyEvaluation,
  CountyEvaluationSchema,
  DEFAULT_THRESHOLDS,
  type EvaluationResult,
  EvaluationResultSchema,
  type Explanation,
  ExplanationSchema,
  type Indicator,
  type IndicatorKind,
  IndicatorKindSchema,
  IndicatorSchema,
  type Interval,
  IntervalSchema,
  type Observation,
  ObservationSchema,
  type ObservationSource,
  ObservationSourceSchema,
  type PopulationRow,
  PopulationRowSchema,
  type PopulationTable,
  PopulationTableSchema,
  type RollupNode,
  RollupNodeSchema,
  type RollupResult,
  RollupResultSchema,
  type SourceKind,
  SourceKindSchema,
  type Status,
  type StatusCounts,
  StatusCountsSchema,
  type StatusRule,
  StatusRuleSchema,
  StatusSchema,
  type Thresholds,
  ThresholdsSchema,
} from './schema';
