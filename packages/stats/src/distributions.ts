/**
 * Distribution functions needed for confidence intervals (Student t and beta quantiles), written to agree with
 * R's `qt()` / `qbeta()` to ~1e-13 relative error. Pure numerics, no dependencies.
 */

const LANCZOS_G = 7;
const LANCZOS_C = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos approximation, relative error ~1e-15). Mirrors R `lgamma()`. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const xx = x - 1;
  let a = LANCZOS_C[0]!;
  const t = xx + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS_G + 2; i++) a += LANCZOS_C[i]! / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

/** log B(a, b). */
function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Continued fraction for the incomplete beta (modified Lentz), valid for x < (a+1)/(a+b+2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b). `y` = 1 − x may be passed when it is known more precisely than
 * `1 - x` (t tails). Mirrors R `pbeta(x, a, b)`.
 */
export function incompleteBeta(x: number, a: number, b: number, y: number = 1 - x): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logFront = a * Math.log(x) + b * Math.log(y) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(y, b, a)) / b;
}

/** Upper tail P(T > t) of Student t with `df` degrees of freedom, t ≥ 0. */
function studentUpperTail(t: number, df: number): number {
  const t2 = t * t;
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  return 0.5 * incompleteBeta(x, df / 2, 0.5, y);
}

/** Student t density. */
function studentDensity(t: number, df: number): number {
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** Standard normal quantile (Acklam + one Halley step, ~1e-15). Mirrors R `qnorm()`. */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  let x: number;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - pl) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // Halley refinement against erfc-based CDF.
  for (let k = 0; k < 2; k++) {
    const e = normalCdf(x) - p;
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}

/** Standard normal CDF via the incomplete gamma relation Φ(x) = ½ erfc(−x/√2). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function erfc(x: number): number {
  // erfc via the regularized incomplete gamma: erfc(x) = Q(1/2, x²) for x ≥ 0.
  if (x < 0) return 2 - erfc(-x);
  return upperIncompleteGammaHalf(x * x);
}

/** Q(1/2, z): series for small z, continued fraction for large z. */
function upperIncompleteGammaHalf(z: number): number {
  const a = 0.5;
  const lg = logGamma(a);
  if (z < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10000; n++) {
      term *= z / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - sum * Math.exp(-z + a * Math.log(z) - lg);
  }
  const tiny = 1e-300;
  let b = z + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-z + a * Math.log(z) - lg) * h;
}

/**
 * Quantile of Student's t with `df` degrees of freedom. Mirrors R `qt(p, df)`; df = Inf gives the normal
 * quantile; df ≤ 0 or NaN gives NaN (R does the same for df = 0).
 */
export function studentQuantile(p: number, df: number): number {
  if (!(df > 0) || Number.isNaN(p)) return Number.NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentQuantile(1 - p, df);
  if (!Number.isFinite(df) || df > 1e12) return normalQuantile(p);
  const tail = 1 - p;
  // Start from the Cornish–Fisher expansion around the normal quantile, then Newton on the tail.
  const z = normalQuantile(p);
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  let t = df >= 3 ? z + g1 / df + g2 / (df * df) : Math.max(z, 1);
  if (df < 3) {
    // Small df: bracket then bisect before Newton, the tails are heavy.
    let lo = 0;
    let hi = 1;
    while (studentUpperTail(hi, df) > tail) hi *= 2;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (studentUpperTail(mid, df) > tail) lo = mid;
      else hi = mid;
      if (hi - lo < 1e-12 * hi) break;
    }
    t = (lo + hi) / 2;
  }
  for (let i = 0; i < 50; i++) {
    const f = studentUpperTail(t, df) - tail;
    const step = f / studentDensity(t, df);
    t += step;
    if (Math.abs(step) <= 1e-15 * Math.abs(t)) break;
  }
  return t;
}

/**
 * Quantile of the Beta(a, b) distribution. Mirrors R `qbeta(p, a, b)`; used by the Korn–Graubard interval.
 * a = 0 gives 0 (point mass), b = 0 gives 1, as R does.
 */
export function betaQuantile(p: number, a: number, b: number): number {
  if (Number.isNaN(p) || Number.isNaN(a) || Number.isNaN(b) || a < 0 || b < 0) return Number.NaN;
  if (a === 0) return 0;
  if (b === 0) return 1;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let lo = 0;
  let hi = 1;
  let x = 0.5;
  for (let i = 0; i < 2000; i++) {
    x = (lo + hi) / 2;
    if (incompleteBeta(x, a, b) < p) lo = x;
    else hi = x;
    if (hi - lo <= 1e-14 * x) break;
  }
  // Newton polish in x.
  const lb = logBeta(a, b);
  for (let i = 0; i < 20; i++) {
    const f = incompleteBeta(x, a, b) - p;
    const dens = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lb);
    if (!(dens > 0) || !Number.isFinite(dens)) break;
    const step = f / dens;
    const next = x - step;
    if (!(next > 0 && next < 1)) break;
    x = next;
    if (Math.abs(step) <= 1e-16 * x) break;
  }
  return x;
}
