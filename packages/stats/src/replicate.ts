import { type DomainSums, type Statistic, accumulateDomains, pointEstimate } from './accumulate';
import type { SurveyDesign } from './design';
import { StatsError } from './errors';
import { hadamardFor } from './hadamard';
import { type Estimate, finishEstimate, noData } from './linearization';
import { RRandom } from './r-random';

/** Replicate-weight methods, as R `as.svrepdesign(type = …)` / `svrepdesign(type = …)`. */
export type ReplicateType = 'JKn' | 'JK1' | 'BRR' | 'Fay' | 'bootstrap';

/** Options of {@link replicateDesign}. */
export interface ReplicateOptions {
  type: ReplicateType;
  /** Bootstrap replicates (R default 50). */
  replicates?: number;
  /**
   * Bootstrap seed: the replicates are R's after `set.seed(seed)` (R's Mersenne-Twister and sample(), see
   * r-random.ts). Default 20250101.
   */
  seed?: number;
  /** Fay's ρ for `Fay` (R `fay.rho`); BRR is Fay with ρ = 0. */
  fayRho?: number;
  /**
   * Centre the replicate variance at the full-sample estimate instead of the mean of the replicates.
   * R default getOption("survey.replicates.mse") = FALSE.
   */
  mse?: boolean;
}

/**
 * Replicate weights supplied in the data, as R `svrepdesign(repweights, weights, type, scale, rscales, rho,
 * combined.weights, mse)`: one column per replicate.
 */
export interface SuppliedReplicates {
  columns: readonly (Float64Array | readonly number[])[];
  type: ReplicateType;
  /** R `scale`; defaults as R: JK1 (R−1)/R, bootstrap 1/(R−1), BRR 1/R, Fay 1/(R(1−ρ)²), else 1. */
  scale?: number | null;
  /** R `rscales`: one per replicate (or one for all); JKn needs them when the weights are combined. */
  rscales?: number | readonly number[] | null;
  /** Fay's ρ (required for Fay). */
  rho?: number | null;
  /** The replicate weights already include the sampling weight (R `combined.weights`, default true). */
  combined?: boolean;
  mse?: boolean;
}

/**
 * A design with replicate weights. Replicate weights made from a design are never materialised per row: a
 * jackknife replicate is described by the PSU it drops and the factor applied to the rest of its stratum; BRR,
 * Fay and bootstrap keep a PSU × replicate multiplier matrix. Supplied replicate weights are kept as columns.
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
  /** BRR / Fay / bootstrap: multiplier of PSU p in replicate r at [p * nReplicates + r]. */
  readonly multipliers: Float64Array | null;
  /**
   * Supplied replicate weights: `columns[r][i]` is the weight of row i in replicate r (times w_i when not
   * `combined`). `pattern[i]` numbers the distinct directions of the rows' replicate-weight vectors (−1: all zero),
   * `patterns` holds one unit vector per number: the rank R's `degf()` takes is the rank of these.
   */
  readonly supplied: {
    columns: Float64Array[];
    combined: boolean;
    pattern: Int32Array;
    patterns: Float64Array[];
  } | null;
  /** Strata that have no replicate of their own (lonely PSUs removed, certainty, exhaustively sampled). */
  readonly strataWithoutReplicates: Uint8Array;
  /** false when the replicates are not R's (BRR/Fay sizes where R uses its stored 28 or 36 Hadamard matrices). */
  readonly matchesR: boolean;
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

/** Strata order of R's brrweights(): labels sorted as R sorts them (ICU collation), ties by first appearance. */
const collator = new Intl.Collator('und');

/**
 * Convert a design to replicate weights. Mirrors R `as.svrepdesign(design, type = "JKn" | "JK1" | "BRR" | "Fay" |
 * "bootstrap")` with R's defaults: JKn rscales (n_h−1)/n_h·fpc, scale 1; JK1 scale (n−1)/n·fpc; BRR/Fay from R's
 * Hadamard matrix (strata with more than two PSUs split into pairs, as R's `large = "split"`), scale 1/(R(1−ρ)²);
 * bootstrap (R's `bootweights`: n_h PSUs drawn with replacement, R's random numbers after `set.seed(seed)`,
 * population-size draws without replacement with an fpc) scale n̄/((n̄−1)(R−1)), n̄ the harmonic mean of PSUs per
 * stratum. Only the first stage of a multistage design is used, as R (which warns that later fpcs are dropped).
 * Known difference from R: BRR/Fay for 24–27, 32–35, 48–55, 68–71 … strata (R's stored 28/36-based Hadamard
 * matrices): `matchesR` is false and the replicates come from a Sylvester matrix.
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
  const base = {
    base: design,
    type,
    mse,
    jackknife: null,
    multipliers: null,
    supplied: null,
    strataWithoutReplicates: noRep,
    matchesR: true,
  };

  if (type === 'JKn' || type === 'JK1') {
    if (type === 'JK1' && design.hasStrata) {
      throw new StatsError(
        'UNSUPPORTED_DESIGN',
        '分层设计不能使用 JK1 刀切法(R 的 as.svrepdesign 也拒绝),请使用 JKn(--method jkn)',
      );
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
      ...base,
      nReplicates: stratum.length,
      scale,
      rscales: Float64Array.from(rscales),
      jackknife: {
        stratum: Int32Array.from(stratum),
        dropPsu: Int32Array.from(dropPsu),
        factor: Float64Array.from(factor),
      },
    };
  }

  if (type === 'BRR' || type === 'Fay') {
    const rho = type === 'Fay' ? (opts.fayRho ?? Number.NaN) : 0;
    if (!(rho >= 0 && rho < 1)) throw new StatsError('BAD_INPUT', 'Fay 方法需要 0 ≤ ρ < 1');
    if (!design.hasStrata) {
      throw new StatsError(
        'UNSUPPORTED_DESIGN',
        '不分层的设计不能使用 BRR(R 的 as.svrepdesign 也拒绝),请使用 JK1 或自助法(bootstrap)',
      );
    }
    // R brrweights(): strata in sorted order; a stratum of 2 PSUs is one half-sample pair, a larger even one is
    // split into consecutive pairs (numbered first), a single PSU or an odd count is refused.
    const order = Array.from({ length: design.nStrata }, (_, h) => h).sort(
      (a, b) => collator.compare(design.strataLabels[a]!, design.strataLabels[b]!) || a - b,
    );
    for (const h of order) {
      const size = byStratum[h]!.length;
      if (size < 2 || size % 2 === 1) {
        throw new StatsError(
          'UNSUPPORTED_DESIGN',
          size < 2
            ? `BRR 要求每层至少两个PSU,层「${design.strataLabels[h]}」只有 ${size} 个`
            : `BRR 要求每层的PSU数为偶数(两两配对),层「${design.strataLabels[h]}」有 ${size} 个`,
          { stratum: design.strataLabels[h] },
        );
      }
    }
    const pairOf = new Int32Array(design.nPsu);
    const isFirst = new Uint8Array(design.nPsu);
    let pairs = 0;
    for (const large of [true, false]) {
      for (const h of order) {
        const psus = byStratum[h]!;
        if (psus.length > 2 !== large) continue;
        psus.forEach((p, k) => {
          pairOf[p] = pairs + (k >> 1);
          isFirst[p] = k % 2 === 0 ? 1 : 0;
        });
        pairs += psus.length / 2;
      }
    }
    const { rows: H, isR } = hadamardFor(pairs);
    const R = H.length;
    const mult = new Float64Array(design.nPsu * R);
    for (let p = 0; p < design.nPsu; p++) {
      const row = H[1 + pairOf[p]!]!; // row 0 of the Hadamard matrix is constant and unused, as in R
      for (let r = 0; r < R; r++) {
        // R: H = 1 gives the second half-sample column to the first PSU of the pair (weight 2 − ρ).
        const inHalf = isFirst[p] ? row[r] === 1 : row[r] === 0;
        mult[p * R + r] = inHalf ? 2 - rho : rho;
      }
    }
    return {
      ...base,
      nReplicates: R,
      scale: 1 / (R * (1 - rho) ** 2),
      rscales: new Float64Array(R).fill(1),
      multipliers: mult,
      matchesR: isR,
    };
  }

  // bootstrap: R's bootweights() and bootstratum(), draw for draw.
  const R = opts.replicates ?? 50;
  if (!(Number.isInteger(R) && R >= 2))
    throw new StatsError('BAD_INPUT', '自助法的重复次数须为不小于 2 的整数');
  const rand = new RRandom(opts.seed ?? 20250101);
  const mult = new Float64Array(design.nPsu * R);
  let inverseSum = 0;
  for (let h = 0; h < design.nStrata; h++) {
    const psus = byStratum[h]!;
    const nh = psus.length;
    inverseSum += 1 / nh;
    const shuffled = rand.sampleWithoutReplacement(nh, nh); // R: upsu <- sample(unique(psu))
    const population = design.fpcPopulation === null ? null : Math.floor(design.fpcPopulation[h]!);
    for (let r = 0; r < R; r++) {
      // R: table(factor(sample(upsu, n, replace = TRUE))) — or, with an fpc,
      //    table(factor(sample(rep(upsu, length = popsize), n))).
      const draws =
        population === null
          ? rand.sampleWithReplacement(nh, nh)
          : rand.sampleWithoutReplacement(population, nh);
      for (let k = 0; k < nh; k++) {
        const p = psus[shuffled[draws[k]! % nh]!]!;
        mult[p * R + r]! += 1;
      }
    }
  }
  const psuPerStratum = design.nStrata / inverseSum;
  return {
    ...base,
    nReplicates: R,
    scale: psuPerStratum / ((psuPerStratum - 1) * (R - 1)),
    rscales: new Float64Array(R).fill(1),
    multipliers: mult,
  };
}

/**
 * Replicate weights supplied in the data: R `svrepdesign()` with its defaults and checks. `design` carries the
 * sampling weights (and the rows); its strata and clusters are not used. Returns R's warnings in Chinese.
 * @throws StatsError BAD_INPUT (missing values, wrong lengths, Fay without ρ, JKn without rscales)
 */
export function suppliedReplicateDesign(
  design: SurveyDesign,
  spec: SuppliedReplicates,
): { rep: ReplicateDesign; warnings: string[] } {
  const warnings: string[] = [];
  const R = spec.columns.length;
  if (R < 2) throw new StatsError('BAD_INPUT', '重复权数至少需要两列');
  const combined = spec.combined ?? true;
  const columns = spec.columns.map((c, r) => {
    if (c.length !== design.n)
      throw new StatsError(
        'BAD_INPUT',
        `第 ${r + 1} 列重复权数的长度(${c.length})与样本量(${design.n})不一致`,
      );
    const out = Float64Array.from(c as ArrayLike<number>);
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(out[i]!)) {
        throw new StatsError(
          'BAD_INPUT',
          `第 ${i + 1} 行的第 ${r + 1} 个重复权数缺失或不是数字(R 不允许缺失)`,
          {
            row: i + 1,
            replicate: r + 1,
          },
        );
      }
    }
    return out;
  });
  const type = spec.type;
  const rho = spec.rho ?? null;
  if (type === 'Fay' && rho === null) throw new StatsError('BAD_INPUT', 'Fay 方法须给出 ρ(rho)');
  if ((type === 'JK1' || type === 'JKn') && rho !== null) warnings.push('刀切法不使用 ρ(rho),已忽略');
  let rscales: Float64Array | null = null;
  if (spec.rscales != null) {
    const rs = typeof spec.rscales === 'number' ? [spec.rscales] : spec.rscales;
    if (rs.length !== 1 && rs.length !== R)
      throw new StatsError('BAD_INPUT', `rscales 有 ${rs.length} 个值,应为 1 个或与重复权数列数(${R})相同`);
    rscales = rs.length === 1 ? new Float64Array(R).fill(rs[0]!) : Float64Array.from(rs);
  }
  let scale = spec.scale ?? null;
  const maxOf = (c: Float64Array) => c.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
  switch (type) {
    case 'BRR':
      if (scale !== null) warnings.push('BRR 不使用 scale(按 1/重复数),已忽略给出的值');
      scale = 1 / R;
      break;
    case 'Fay':
      scale = 1 / (R * (1 - rho!) ** 2);
      break;
    case 'bootstrap':
      scale ??= 1 / (R - 1);
      break;
    case 'JK1':
      if (scale === null) {
        if (combined) {
          scale = (R - 1) / R;
          warnings.push(`未给出 JK1 的 scale,按重复数 ${R} 取 (R−1)/R(与 R 相同的猜测)`);
        } else {
          scale = 1 / maxOf(columns[0]!);
          warnings.push('未给出 JK1 的 scale,按第一列重复权数的最大值猜测(与 R 相同)');
        }
      }
      break;
    case 'JKn':
      if (rscales === null) {
        if (combined) throw new StatsError('BAD_INPUT', '合并权数的 JKn 须给出 rscales(R 也要求)');
        rscales = Float64Array.from(columns, (c) => 1 / maxOf(c));
        warnings.push('未给出 JKn 的 rscales,按各列重复权数的最大值猜测(与 R 相同)');
      }
      break;
  }
  rscales ??= new Float64Array(R).fill(1);
  scale ??= 1;

  // Distinct directions of the rows' analysis-weight vectors (rank is blind to a row's scale): rows of one PSU
  // usually share one. Directions are keyed at 1e-6 relative precision; near-duplicates that key apart are
  // still recognised by the rank's tolerance, only more slowly.
  const pattern = new Int32Array(design.n).fill(-1);
  const patterns: Float64Array[] = [];
  const seen = new Map<string, number>();
  const v = new Float64Array(R);
  for (let i = 0; i < design.n; i++) {
    let max = 0;
    for (let r = 0; r < R; r++) {
      v[r] = columns[r]![i]! * (combined ? 1 : design.weights[i]!);
      max = Math.max(max, Math.abs(v[r]!));
    }
    if (max === 0) continue;
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let r = 0; r < R; r++) {
      const q = Math.round((v[r]! / max) * 1e6);
      h1 = Math.imul(h1 ^ q, 0x01000193);
      h2 = Math.imul(h2 ^ (q + r), 0x5bd1e995) ^ (h2 >>> 13);
    }
    const key = `${h1 >>> 0}:${h2 >>> 0}`;
    let id = seen.get(key);
    if (id === undefined) {
      id = patterns.length;
      seen.set(key, id);
      patterns.push(Float64Array.from(v, (x) => x / max));
    }
    pattern[i] = id;
  }
  return {
    rep: {
      base: design,
      type,
      nReplicates: R,
      scale,
      rscales,
      mse: spec.mse ?? false,
      jackknife: null,
      multipliers: null,
      supplied: { columns, combined, pattern, patterns },
      strataWithoutReplicates: new Uint8Array(design.nStrata),
      matchesR: true,
    },
    warnings,
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
 * Degrees of freedom of every domain of supplied replicate weights: rank − 1 of the analysis weights of the
 * domain's rows (missing y included, as R's `degf()` of `subset(design, g == x)`), one vector per distinct
 * direction.
 */
function suppliedDegreesOfFreedom(
  rep: ReplicateDesign,
  domainCodes: Int32Array | null,
  nDomains: number,
): Int32Array {
  const { pattern, patterns } = rep.supplied!;
  const perDomain: Set<number>[] = Array.from({ length: nDomains }, () => new Set());
  for (let i = 0; i < pattern.length; i++) {
    const d = domainCodes === null ? 0 : domainCodes[i]!;
    if (d < 0 || pattern[i]! < 0) continue;
    perDomain[d]!.add(pattern[i]!);
  }
  return Int32Array.from(
    perDomain,
    (ids) =>
      numericalRank(
        [...ids].map((k) => patterns[k]!),
        rep.nReplicates,
      ) - 1,
  );
}

/**
 * Replicate estimates of every domain from supplied replicate weights, [d * R + r]: Σ a·y / Σ a over the
 * domain's observed rows (a: the row's weight in replicate r), computed around the shift c like the rest.
 */
function suppliedReplicates(
  rep: ReplicateDesign,
  y: Float64Array,
  domainCodes: Int32Array | null,
  nDomains: number,
  sums: DomainSums,
  statistic: Statistic,
): Float64Array {
  const { columns, combined } = rep.supplied!;
  const w = rep.base.weights;
  const R = rep.nReplicates;
  const c = sums.shift;
  const num = new Float64Array(nDomains * R);
  const den = new Float64Array(nDomains * R);
  for (let r = 0; r < R; r++) {
    const col = columns[r]!;
    for (let i = 0; i < y.length; i++) {
      const yi = y[i]!;
      if (Number.isNaN(yi)) continue;
      const d = domainCodes === null ? 0 : domainCodes[i]!;
      if (d < 0) continue;
      const a = combined ? col[i]! : col[i]! * w[i]!;
      num[d * R + r]! += a * (yi - c);
      den[d * R + r]! += a;
    }
  }
  const out = new Float64Array(nDomains * R);
  for (let k = 0; k < out.length; k++)
    out[k] = statistic === 'mean' ? c + num[k]! / den[k]! : num[k]! + c * den[k]!;
  return out;
}

/**
 * Replicate-weight estimates for every domain of a grouping. Mirrors R
 * `svyby(~y, ~g, repdesign, svymean, na.rm = TRUE, deff = TRUE)` (or `svymean` for the overall row);
 * domain rows are kept and out-of-domain rows contribute zero, which for replicate weights is the same as
 * R's row subset. A degenerate domain (one observed value) gets it exactly, with variance 0.
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
  const R = rep.nReplicates;
  const supplied =
    rep.supplied !== null ? suppliedReplicates(rep, y, domainCodes, nDomains, sums, statistic) : null;
  const suppliedDf = rep.supplied !== null ? suppliedDegreesOfFreedom(rep, domainCodes, nDomains) : null;
  const out: Estimate[] = [];
  for (let d = 0; d < nDomains; d++) {
    if (sums.countPositive[d] === 0) {
      out.push(noData(sums, d));
      continue;
    }
    const estimate = pointEstimate(sums, d, statistic);
    const thetas =
      supplied !== null ? supplied.subarray(d * R, (d + 1) * R) : domainReplicates(rep, sums, d, statistic);
    const variance = replicateVariance(thetas, rep, estimate);
    const df =
      suppliedDf !== null
        ? suppliedDf[d]!
        : replicateDegreesOfFreedom(
            rep,
            opts.dfNonMissingOnly ? sums.psuSumW : sums.psuDomainRows,
            d * design.nPsu,
          );
    // R's deff for replicate designs counts every observed row (`length(design$pweights)`), zero weights too.
    out.push(finishEstimate(sums, d, statistic, variance, df, sums.count[d]!, rep.supplied !== null));
  }
  return out;
}
