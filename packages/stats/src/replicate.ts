import {
  type DomainSums,
  type Statistic,
  accumulateDomains,
  domainRowCount,
  srsVariance,
} from './accumulate';
import type { SurveyDesign } from './design';
import { StatsError } from './errors';
import type { Estimate } from './linearization';

/** Replicate-weight methods, as R `as.svrepdesign(type = …)`. */
export type ReplicateType = 'JKn' | 'JK1' | 'BRR' | 'bootstrap';

/** Options of {@link replicateDesign}. */
export interface ReplicateOptions {
  type: ReplicateType;
  /** Bootstrap replicates (R default 50). */
  replicates?: number;
  /** Seed of the bootstrap PRNG (deterministic; not R's RNG, so replicates differ from R's). */
  seed?: number;
  /**
   * Centre the replicate variance at the full-sample estimate instead of the mean of the replicates.
   * R default getOption("survey.replicates.mse") = FALSE.
   */
  mse?: boolean;
}

/**
 * A design with replicate weights. Replicate weights are never materialised per row: a jackknife replicate is
 * described by the PSU it drops and the factor applied to the rest of its stratum; BRR and bootstrap keep a
 * PSU × replicate multiplier matrix.
 */
export interface ReplicateDesign {
  readonly base: SurveyDesign;
  readonly type: ReplicateType;
  readonly nReplicates: number;
  /** R `scale`: overall multiplier of the replicate variance. */
  readonly scale: number;
  /** R `rscales`: per-replicate multipliers. */
  readonly rscales: Float64Array;
  readonly mse: boolean;
  /**
   * Jackknife replicates: stratum whose weights change, PSU dropped (−1 = the whole stratum is dropped and
   * every other row is multiplied by `factor`, R's lonely.psu = "adjust" column), factor on the stratum's
   * remaining PSUs.
   */
  readonly jackknife: { stratum: Int32Array; dropPsu: Int32Array; factor: Float64Array } | null;
  /** BRR / bootstrap: multiplier of PSU p in replicate r at [p * nReplicates + r]. */
  readonly multipliers: Float64Array | null;
  /** Strata that have no replicate of their own (lonely PSUs removed, certainty, exhaustively sampled). */
  readonly strataWithoutReplicates: Uint8Array;
}

/** Small, fast, seedable PRNG (mulberry32): deterministic bootstrap replicates. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lonelyError(design: SurveyDesign, h: number): StatsError {
  return new StatsError(
    'LONELY_PSU',
    `层「${design.strataLabels[h]}」只有一个初级抽样单元(PSU),无法构造重复权数`,
    {
      stratum: design.strataLabels[h],
    },
  );
}

/** PSUs of every stratum, in order of first appearance. */
function psusByStratum(design: SurveyDesign): number[][] {
  const out: number[][] = Array.from({ length: design.nStrata }, () => []);
  for (let p = 0; p < design.nPsu; p++) out[design.psuStratum[p]!]!.push(p);
  return out;
}

/**
 * Convert a design to replicate weights. Mirrors R `as.svrepdesign(design, type = "JKn" | "JK1" | "BRR" |
 * "bootstrap")` with R's defaults: JKn rscales (n_h−1)/n_h·fpc, scale 1; JK1 scale (n−1)/n·fpc; BRR scale
 * 1/R; bootstrap (Rao–Wu, n_h−1 PSUs drawn with replacement) scale 1/(R−1).
 * Known differences from R: BRR uses a Sylvester Hadamard matrix (R uses its own precomputed ones), and the
 * bootstrap uses its own seeded PRNG, so BRR/bootstrap replicates are not R's replicates.
 * @throws StatsError LONELY_PSU, UNSUPPORTED_DESIGN
 */
export function replicateDesign(design: SurveyDesign, opts: ReplicateOptions): ReplicateDesign {
  if (design.calibration !== null) {
    throw new StatsError('UNSUPPORTED_DESIGN', '暂不支持对已校准的设计构造重复权数;请先构造重复权数再校准');
  }
  const { type } = opts;
  const mse = opts.mse ?? false;
  const byStratum = psusByStratum(design);
  const noRep = new Uint8Array(design.nStrata);
  const fpcFactor = (h: number): number => {
    if (design.fpcPopulation === null) return 1;
    const N = design.fpcPopulation[h]!;
    return (N - design.psuPerStratum[h]!) / N;
  };

  if (type === 'JKn' || type === 'JK1') {
    if (type === 'JK1' && design.hasStrata) {
      throw new StatsError('UNSUPPORTED_DESIGN', '分层设计不能使用 JK1 刀切法,请使用 JKn');
    }
    const stratum: number[] = [];
    const dropPsu: number[] = [];
    const factor: number[] = [];
    const rscales: number[] = [];
    const nstrat = design.nStrata;
    let scale = 1;
    for (let h = 0; h < nstrat; h++) {
      const psus = byStratum[h]!;
      const nh = psus.length;
      const f = fpcFactor(h);
      if (f === 0) {
        noRep[h] = 1; // exhaustively sampled: R drops its replicates (survey.drop.replicates)
        continue;
      }
      if (nh === 1) {
        switch (design.lonelyPsu) {
          case 'fail':
            throw lonelyError(design, h);
          case 'adjust':
            // R jknweights: one replicate with the stratum at 0 and all other rows × nstrat/(nstrat−1).
            stratum.push(h);
            dropPsu.push(-1);
            factor.push(nstrat / (nstrat - 1));
            rscales.push((nstrat - 1) / nstrat);
            continue;
          default:
            noRep[h] = 1;
            continue;
        }
      }
      for (const p of psus) {
        stratum.push(h);
        dropPsu.push(p);
        factor.push(nh / (nh - 1));
        rscales.push(type === 'JKn' ? (f * (nh - 1)) / nh : 1);
      }
      if (type === 'JK1') scale = (f * (nh - 1)) / nh;
    }
    if (stratum.length === 0)
      throw new StatsError('UNSUPPORTED_DESIGN', '所有层都是全面调查或无法构造重复,无抽样方差');
    if (design.lonelyPsu === 'average' && stratum.length < design.nPsu) scale *= design.nPsu / stratum.length;
    return {
      base: design,
      type,
      nReplicates: stratum.length,
      scale,
      rscales: Float64Array.from(rscales),
      mse,
      jackknife: {
        stratum: Int32Array.from(stratum),
        dropPsu: Int32Array.from(dropPsu),
        factor: Float64Array.from(factor),
      },
      multipliers: null,
      strataWithoutReplicates: noRep,
    };
  }

  if (type === 'BRR') {
    // R brrweights(): half-samples from a Hadamard matrix; each stratum must have exactly two PSUs.
    const order = Array.from({ length: design.nStrata }, (_, h) => h).sort((a, b) =>
      design.strataLabels[a]! < design.strataLabels[b]!
        ? -1
        : design.strataLabels[a]! > design.strataLabels[b]!
          ? 1
          : 0,
    );
    for (let h = 0; h < design.nStrata; h++) {
      if (byStratum[h]!.length !== 2) {
        throw new StatsError(
          'UNSUPPORTED_DESIGN',
          `BRR 要求每层恰有两个PSU,层「${design.strataLabels[h]}」有 ${byStratum[h]!.length} 个`,
          {
            stratum: design.strataLabels[h],
          },
        );
      }
    }
    let R = 1;
    while (R < design.nStrata + 1) R *= 2;
    const mult = new Float64Array(design.nPsu * R);
    order.forEach((h, idx) => {
      const [first, second] = byStratum[h]! as [number, number];
      const row = idx + 1; // row 0 of the Hadamard matrix is constant and unused, as in R
      for (let r = 0; r < R; r++) {
        // Sylvester Hadamard matrix in 0/1 form: parity of popcount(row & r).
        let x = row & r;
        let parity = 0;
        while (x) {
          parity ^= x & 1;
          x >>>= 1;
        }
        // R: H = 0 → the first PSU gets weight 0 and the second 2.
        mult[first * R + r] = parity === 0 ? 0 : 2;
        mult[second * R + r] = parity === 0 ? 2 : 0;
      }
    });
    return {
      base: design,
      type,
      nReplicates: R,
      scale: 1 / R,
      rscales: new Float64Array(R).fill(1),
      mse,
      jackknife: null,
      multipliers: mult,
      strataWithoutReplicates: noRep,
    };
  }

  // bootstrap
  if (design.fpcPopulation !== null) {
    throw new StatsError('UNSUPPORTED_DESIGN', '自助法(bootstrap)暂不支持有限总体校正');
  }
  const R = opts.replicates ?? 50;
  if (!(R >= 2)) throw new StatsError('BAD_INPUT', '自助法的重复次数至少为 2');
  const rand = mulberry32(opts.seed ?? 20250101);
  const mult = new Float64Array(design.nPsu * R);
  for (let h = 0; h < design.nStrata; h++) {
    const psus = byStratum[h]!;
    const nh = psus.length;
    if (nh === 1) throw lonelyError(design, h);
    for (let r = 0; r < R; r++) {
      // R bootstratum(): draw n_h − 1 PSUs with replacement, weight = count · n_h/(n_h − 1).
      for (let k = 0; k < nh - 1; k++) {
        const p = psus[Math.floor(rand() * nh)]!;
        mult[p * R + r]! += nh / (nh - 1);
      }
    }
  }
  return {
    base: design,
    type,
    nReplicates: R,
    scale: 1 / (R - 1),
    rscales: new Float64Array(R).fill(1),
    mse,
    jackknife: null,
    multipliers: mult,
    strataWithoutReplicates: noRep,
  };
}

/**
 * Replicate variance. Mirrors R `svrVar()`: replicates giving NaN are dropped (with their rscales), the
 * centre is the mean of the replicates with rscale > 0 (or the full estimate when mse), and
 * v = scale · Σ rscale_r (θ_r − centre)².
 */
export function replicateVariance(thetas: Float64Array, rep: ReplicateDesign, full: number): number {
  let sum = 0;
  let cnt = 0;
  for (let r = 0; r < thetas.length; r++) {
    const t = thetas[r]!;
    if (Number.isNaN(t) || !(rep.rscales[r]! > 0)) continue;
    sum += t;
    cnt++;
  }
  const centre = rep.mse ? full : sum / cnt;
  let v = 0;
  for (let r = 0; r < thetas.length; r++) {
    const t = thetas[r]!;
    if (Number.isNaN(t)) continue;
    const dev = t - centre;
    v += rep.rscales[r]! * dev * dev;
  }
  return v * rep.scale;
}

/**
 * Replicate estimates of domain d from its PSU sums. With c the shift, a replicate mean is
 * c + Σ m·w(y − c) / Σ m·w and a replicate total Σ m·w(y − c) + c·Σ m·w (m: replicate multiplier).
 */
function domainReplicates(
  rep: ReplicateDesign,
  sums: DomainSums,
  d: number,
  statistic: Statistic,
): Float64Array {
  const design = rep.base;
  const nPsu = design.nPsu;
  const base = d * nPsu;
  const R = rep.nReplicates;
  const c = sums.shift;
  const num = new Float64Array(R);
  const den = new Float64Array(R);
  const SW = sums.sumW[d]!;
  const SWR = sums.sumWR[d]!;
  if (rep.jackknife !== null) {
    const { stratum, dropPsu, factor } = rep.jackknife;
    const hW = new Float64Array(design.nStrata);
    const hWR = new Float64Array(design.nStrata);
    for (let p = 0; p < nPsu; p++) {
      const h = design.psuStratum[p]!;
      hW[h]! += sums.psuSumW[base + p]!;
      hWR[h]! += sums.psuSumWR[base + p]!;
    }
    for (let r = 0; r < R; r++) {
      const h = stratum[r]!;
      const p = dropPsu[r]!;
      const f = factor[r]!;
      if (p < 0) {
        // lonely.psu = "adjust" replicate: stratum h dropped, every other row × f.
        num[r] = f * (SWR - hWR[h]!);
        den[r] = f * (SW - hW[h]!);
      } else {
        num[r] = SWR - hWR[h]! + f * (hWR[h]! - sums.psuSumWR[base + p]!);
        den[r] = SW - hW[h]! + f * (hW[h]! - sums.psuSumW[base + p]!);
      }
    }
  } else {
    const M = rep.multipliers!;
    for (let p = 0; p < nPsu; p++) {
      const w = sums.psuSumW[base + p]!;
      if (w === 0) continue;
      const wr = sums.psuSumWR[base + p]!;
      const off = p * R;
      for (let r = 0; r < R; r++) {
        const m = M[off + r]!;
        num[r]! += m * wr;
        den[r]! += m * w;
      }
    }
  }
  const out = new Float64Array(R);
  for (let r = 0; r < R; r++) out[r] = statistic === 'mean' ? c + num[r]! / den[r]! : num[r]! + c * den[r]!;
  return out;
}

/** Numerical rank of a set of row vectors (modified Gram–Schmidt, relative tolerance 1e-7). */
function numericalRank(rows: Float64Array[], R: number): number {
  const basis: Float64Array[] = [];
  for (const row of rows) {
    const v = Float64Array.from(row);
    let norm0 = 0;
    for (let r = 0; r < R; r++) norm0 += v[r]! * v[r]!;
    if (norm0 === 0) continue;
    for (const b of basis) {
      let dot = 0;
      for (let r = 0; r < R; r++) dot += v[r]! * b[r]!;
      for (let r = 0; r < R; r++) v[r] = v[r]! - dot * b[r]!;
    }
    let norm = 0;
    for (let r = 0; r < R; r++) norm += v[r]! * v[r]!;
    if (norm > 1e-14 * norm0) {
      const s = 1 / Math.sqrt(norm);
      for (let r = 0; r < R; r++) v[r] = v[r]! * s;
      basis.push(v);
      if (basis.length === R) break;
    }
  }
  return basis.length;
}

/**
 * Degrees of freedom of a replicate design restricted to the rows flagged in `rows` (per PSU counts).
 * Mirrors R `degf.svyrep.design()` = rank of the analysis weights − 1. For jackknives the rank is known in
 * closed form: every present PSU adds one, except that the PSUs of each fully present replicated stratum sum
 * to a constant vector, shared with PSUs that have no replicate of their own.
 */
export function replicateDegreesOfFreedom(
  rep: ReplicateDesign,
  rows: ArrayLike<number>,
  offset: number,
): number {
  const design = rep.base;
  const nPsu = design.nPsu;
  if (rep.jackknife !== null) {
    const presentPerStratum = new Int32Array(design.nStrata);
    let present = 0;
    for (let p = 0; p < nPsu; p++) {
      if (rows[offset + p] === 0) continue;
      present++;
      presentPerStratum[design.psuStratum[p]!]! += 1;
    }
    const hasOwnColumns = new Uint8Array(design.nStrata);
    for (let r = 0; r < rep.nReplicates; r++)
      if (rep.jackknife.dropPsu[r]! >= 0) hasOwnColumns[rep.jackknife.stratum[r]!] = 1;
    let full = 0;
    let withoutColumns = 0;
    for (let h = 0; h < design.nStrata; h++) {
      if (hasOwnColumns[h] && presentPerStratum[h] === design.psuPerStratum[h]) full++;
      if (rep.strataWithoutReplicates[h]) withoutColumns += presentPerStratum[h]!;
    }
    const rank = Math.min(present - Math.max(full + withoutColumns - 1, 0), rep.nReplicates);
    return rank - 1;
  }
  const R = rep.nReplicates;
  const M = rep.multipliers!;
  const vecs: Float64Array[] = [];
  for (let p = 0; p < nPsu; p++) {
    if (rows[offset + p] === 0) continue;
    vecs.push(M.subarray(p * R, (p + 1) * R));
  }
  return numericalRank(vecs, R) - 1;
}

/**
 * Replicate-weight estimates for every domain of a grouping. Mirrors R
 * `svyby(~y, ~g, repdesign, svymean, na.rm = TRUE, deff = TRUE)` (or `svymean` for the overall row);
 * domain rows are kept and out-of-domain rows contribute zero, which for replicate weights is the same as
 * R's row subset.
 */
export function replicateDomains(
  rep: ReplicateDesign,
  y: Float64Array,
  domainCodes: Int32Array | null,
  nDomains: number,
  statistic: Statistic = 'mean',
  opts: { dfNonMissingOnly?: boolean; shift?: number } = {},
): Estimate[] {
  const design = rep.base;
  if (y.length !== design.n)
    throw new StatsError('BAD_INPUT', `变量长度(${y.length})与样本量(${design.n})不一致`);
  const sums = accumulateDomains(design, y, domainCodes, nDomains, opts.shift);
  const out: Estimate[] = [];
  for (let d = 0; d < nDomains; d++) {
    const domainRows = domainRowCount(sums, d);
    const n = sums.count[d]!;
    const estimate = statistic === 'mean' ? sums.mean[d]! : sums.sumWR[d]! + sums.shift * sums.sumW[d]!;
    if (n === 0) {
      out.push({
        n: 0,
        estimate: Number.NaN,
        se: Number.NaN,
        variance: Number.NaN,
        deff: Number.NaN,
        df: Number.NaN,
        cv: Number.NaN,
        effectiveN: Number.NaN,
        populationSize: 0,
        domainRows,
      });
      continue;
    }
    const thetas = domainReplicates(rep, sums, d, statistic);
    const variance = replicateVariance(thetas, rep, estimate);
    const se = Math.sqrt(variance);
    const deff = variance / srsVariance(sums, d, statistic);
    const df = replicateDegreesOfFreedom(
      rep,
      opts.dfNonMissingOnly ? sums.psuSumW : sums.psuDomainRows,
      d * design.nPsu,
    );
    out.push({
      n,
      estimate,
      se,
      variance,
      deff,
      df,
      cv: se / estimate,
      effectiveN: n / deff,
      populationSize: sums.sumW[d]!,
      domainRows,
    });
  }
  return out;
}
