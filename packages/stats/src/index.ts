/**
 * @kesu/stats — a pure, columnar survey-estimation engine reproducing R's `survey` package (4.1):
 * designs with strata, multistage clusters with an fpc per stage, zero weights and lonely-PSU policies; means,
 * totals and proportions with Taylor-linearization variance; domains that keep the whole design; raking and
 * post-stratification with calibration-aware variance; replicate weights made from a design (JKn, JK1, BRR, Fay,
 * bootstrap with R's random numbers) or supplied in the data (R `svrepdesign`); design effects and CIs; exact
 * answers for domains whose observed values are all equal.
 */
export { StatsError, type StatsErrorCode } from './errors';
export {
  type CalibrationMargin,
  type Calibration,
  type CategoricalColumn,
  type CodedLabels,
  type DesignInput,
  type DesignStage,
  type LonelyPsuPolicy,
  type NumericColumn,
  type SurveyDesign,
  categoricalRows,
  codeColumn,
  createDesign,
  designDegreesOfFreedom,
  isCodedLabels,
} from './design';
export type { Statistic } from './accumulate';
export {
  type Estimate,
  type EstimateOptions,
  estimateDomains,
  estimateMean,
  estimateTotal,
  linearizedDomains,
  multistageVariance,
  stratifiedVariance,
} from './linearization';
export { type RakingControl, type RakingMargin, postStratifyDesign, rakeDesign } from './raking';
export {
  type ReplicateDesign,
  type ReplicateOptions,
  type ReplicateType,
  replicateDegreesOfFreedom,
  replicateDesign,
  replicateDomains,
  replicateVariance,
  type SuppliedReplicates,
  suppliedReplicateDesign,
} from './replicate';
export { hadamardFor } from './hadamard';
export { RRandom } from './r-random';
export { type CiMethod, type Interval, proportionCi } from './ci';
export { betaQuantile, incompleteBeta, logGamma, normalQuantile, studentQuantile } from './distributions';
export {
  type ColumnData,
  type DesignSpec,
  type EstimateFlag,
  type EstimateMethod,
  type EstimateRecord,
  type EstimateRequest,
  type EstimateResult,
  type ReplicatesSpec,
  type StatsWarning,
  designFromSpec,
  estimate,
  replicateColumnNames,
  runEstimate,
} from './estimate';
export { parseCsv } from './csv';
