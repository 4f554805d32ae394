import {
  type Comparator,
  DEFAULT_THRESHOLDS,
  type Interval,
  type Status,
  type StatusRule,
  type Thresholds,
} from './schema';

/** What `statusOf` needs: the actual (and its CI for survey rates), the 序时进度 line's value and start, the target. */
export type StatusInput = {
  comparator: Comparator;
  actual: number;
  ci?: Interval | null;
  /** Expected-to-date value (序时进度). */
  expected: number;
  /** Start value of the expected line (baseline, or 0). */
  from: number;
  target: number;
  /** The deadline (or the evaluated year) is over: only the target counts now. */
  isFinal: boolean;
  thresholds?: Partial<Thresholds>;
};

/** The light and the rule that gave it; `ratio` = (actual − from) / (expected − from), null when expected = from. */
export type StatusOutcome = { status: Exclude<Status, 'no_data'>; rule: StatusRule; ratio: number | null };

/**
 * The traffic light of one value. With `band` = thresholds.yellowBand (default 0.15), `span` = |expected − from|
 * (the progress the line asks for so far) and `tol` = thresholds.approxTolerance × |target| (default 5%):
 *
 * ">=" and "=" ("=" is judged like ">=": plans write 创建15所 meaning at least 15):
 *   actual ≥ target → green `met` (even before the deadline); else final → red `overdue`;
 *   actual ≥ expected → green `on_track`; actual ≥ expected − band·span → yellow `within_band`; else red `below_band`.
 * "≈": |actual − target| ≤ tol → green `met`; actual > target + tol → yellow `above_approx`; else final → red
 *   `overdue`; else as ">=" with the green bar lowered to expected − approxTolerance·|expected|.
 * "<=" (inverted): final → actual ≤ target green `met`, else red `overdue`; before that actual ≤ expected → green
 *   `on_track`; actual > target on a line that does not start above the target → red `over_cap` (a rising count
 *   already broke its cap); actual ≤ expected + band·span → yellow `within_band`; else red `below_band`.
 * With a confidence interval (survey rates) the interval decides, not the point: ">=", "=": low ≥ target → green
 *   `met`; low ≥ expected → green `ci_clear`; high < expected → red `ci_short`; else yellow `ci_straddles`.
 *   "<=" mirrors it (high ≤ expected → green, `met` once final else `ci_clear`; low > expected `ci_short`). "≈": the
 *   interval overlaps [expected ± approxTolerance·|expected|] → green `ci_clear`; wholly below → red `ci_short`;
 *   wholly above → yellow `above_approx`.
 */
export function statusOf(input: StatusInput): StatusOutcome {
  const t = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
  const { comparator: cmp, actual: a, expected: e, from, target, isFinal } = input;
  const span = Math.abs(e - from);
  const ratio = e === from ? null : (a - from) / (e - from);
  const out = (status: StatusOutcome['status'], rule: StatusRule): StatusOutcome => ({ status, rule, ratio });

  if (input.ci) {
    const { low, high } = input.ci;
    if (cmp === '<=') {
      if (high <= e) return out('green', isFinal ? 'met' : 'ci_clear');
      if (low > e) return out('red', 'ci_short');
      return out('yellow', 'ci_straddles');
    }
    if (cmp === '≈') {
      const tolE = t.approxTolerance * Math.abs(e);
      if (high < e - tolE) return out('red', 'ci_short');
      if (low > e + tolE) return out('yellow', 'above_approx');
      return out('green', 'ci_clear');
    }
    if (low >= target) return out('green', 'met');
    if (low >= e) return out('green', 'ci_clear');
    if (high < e) return out('red', 'ci_short');
    return out('yellow', 'ci_straddles');
  }

  if (cmp === '<=') {
    if (isFinal) return a <= target ? out('green', 'met') : out('red', 'overdue');
    if (a <= e) return out('green', 'on_track');
    if (a > target && from <= target) return out('red', 'over_cap');
    return a <= e + t.yellowBand * span ? out('yellow', 'within_band') : out('red', 'below_band');
  }

  let bar = e;
  if (cmp === '≈') {
    const tol = t.approxTolerance * Math.abs(target);
    if (Math.abs(a - target) <= tol) return out('green', 'met');
    if (a > target + tol) return out('yellow', 'above_approx');
    bar = e - t.approxTolerance * Math.abs(e);
  } else if (a >= target) {
    return out('green', 'met');
  }
  if (isFinal) return out('red', 'overdue');
  if (a >= bar) return out('green', 'on_track');
  return a >= e - t.yellowBand * span ? out('yellow', 'within_band') : out('red', 'below_band');
}

/**
 * Completion share ∈ [0, 1] used by `rollUp`: for ">=", "=", "≈" (actual − from) / (target − from), clamped
 * (a "≈" within tolerance counts 1); for "<=" 1 when actual ≤ target, else (from − actual) / (from − target) on a
 * falling line and target / actual on a cap without one. `from` is the line's start (baseline, or 0).
 */
export function completionOf(
  comparator: Comparator,
  actual: number,
  target: number,
  from: number,
  thresholds?: Partial<Thresholds>,
): number {
  const t = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  if (comparator === '<=') {
    if (actual <= target) return 1;
    if (from > target) return clamp((from - actual) / (from - target));
    return actual > 0 ? clamp(target / actual) : 0;
  }
  if (comparator === '≈' && Math.abs(actual - target) <= t.approxTolerance * Math.abs(target)) return 1;
  if (target === from) return actual >= target ? 1 : 0;
  return clamp((actual - from) / (target - from));
}
