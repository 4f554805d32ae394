import { betaQuantile, studentQuantile } from './distributions';

/**
 * Interval methods for a proportion, named after R `svyciprop(method = …)`:
 * - `logit`: R's "xlogit" (and, for an intercept-only model, identical to the default "logit"):
 *   logit(p̂) ± t·SE/(p̂(1−p̂)), back-transformed;
 * - `wald`: R's "mean": p̂ ± t·SE;
 * - `beta`: R's "beta", Korn–Graubard with the effective sample size.
 */
export type CiMethod = 'logit' | 'wald' | 'beta';

/** A two-sided interval; NaN bounds when it is undefined (e.g. p̂ = 0 with the logit method, as R). */
export interface Interval {
  low: number;
  high: number;
}

/** R's `expit()` = exp(η)/(1 + exp(η)). */
function expit(eta: number): number {
  return Math.exp(eta) / (1 + Math.exp(eta));
}

/**
 * Confidence interval for a proportion. Mirrors R `svyciprop(~y, design, method, level, df = degf(design))`.
 * @param p estimated proportion
 * @param se its standard error
 * @param df design degrees of freedom (Infinity → normal quantiles)
 * @param nRows rows of the (sub)design, R `nrow(design)`; only the Korn–Graubard method uses it
 */
export function proportionCi(
  p: number,
  se: number,
  df: number,
  method: CiMethod = 'logit',
  level = 0.95,
  nRows = Number.NaN,
): Interval {
  const alpha = 1 - level;
  if (method === 'beta') {
    // R: n.eff <- p(1−p)/var; n.eff <- n.eff·(qt(α/2, nrow−1)/qt(α/2, degf))²
    let nEff = (p * (1 - p)) / (se * se);
    nEff *= (studentQuantile(alpha / 2, nRows - 1) / studentQuantile(alpha / 2, df)) ** 2;
    return {
      low: betaQuantile(alpha / 2, nEff * p, nEff * (1 - p) + 1),
      high: betaQuantile(1 - alpha / 2, nEff * p + 1, nEff * (1 - p)),
    };
  }
  const q = studentQuantile(1 - alpha / 2, df);
  if (method === 'wald') return { low: p - q * se, high: p + q * se };
  // svycontrast(log(p/(1−p))): derivative 1/(p(1−p)).
  const eta = Math.log(p / (1 - p));
  const seEta = se / (p * (1 - p));
  return { low: expit(eta - q * seEta), high: expit(eta + q * seEta) };
}
