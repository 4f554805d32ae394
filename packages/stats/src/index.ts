/**
 * @kesu/stats — a pure, columnar survey-estimation engine reproducing R's `survey` package (4.1):
 * designs with strata, clusters, fpc and lonely-PSU policies; means, totals and proportions with
 * Taylor-linearization variance; domains that keep the whole design; raking and post-stratification with
 * calibration-aware variance; replicate weights (JKn, JK1, BRR, bootstrap); design effects and CIs.
 */
export { StatsError, type StatsErrorCode } from './errors';
export {
  type CalibrationMargin,
  type Calibration,
  type CategoricalColumn,
  type DesignInput,
  type LonelyPsuPolicy,
  type SurveyDesign,
  codeColumn,
  createDesign,
  designDegreesOfFreedom,
} from './design';
export type { Statistic } from './accumulate';
export {
  type Estimate,
  type EstimateOptions,
  estimateDomains,
  estimateMean,
  estimateTotal,
  linearizedDomains,
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
} from './replicate';
export { type CiMethod, type Interval, proportionCi } from './ci';
export { betaQuantile, incompleteBeta, logGamma, normalQuantile, studentQuantile } from './distributions';
export {
  type ColumnData,
  type DesignSpec,
  type EstimateMethod,
  type EstimateRecord,
  type EstimateRequest,
  designFromSpec,
  estimate,
} from './estimate';
export { parseCsv } from './csv';
