import { dayNumber, dayOfYear, daysInYear, inclusiveDays, yearOf, yearStart } from './dates';
import type { Indicator } from './schema';

/** Whether an annual kind is judged against the elapsed share of the year (default) or the full-year target. */
export type AnnualBasis = 'elapsed' | 'full_year';

/**
 * Expected-to-date progress (序时进度) on a date. `basis`: `line` — linear from `from` (at the start of `fromDate`)
 * to the target (at the end of `toDate`); `year` — the calendar year, from 0 on January 1; `full_year` — the
 * whole-year target whatever the date; `flat` — no line (no deadline, or a survey rate without baseline): the target.
 */
export type ExpectedProgress = {
  basis: 'line' | 'year' | 'full_year' | 'flat';
  from: number;
  fromDate: string | null;
  toDate: string | null;
  elapsedDays: number | null;
  totalDays: number | null;
  elapsedShare: number | null;
  expected: number;
  isFinal: boolean;
  year: number | null;
};

/** Options of `expectedProgress`: the annual basis and, for annual kinds, the year to judge (default: the date's). */
export type ExpectedOptions = { annualBasis?: AnnualBasis; year?: number };

/**
 * 序时进度 of `indicator` at the end of `date` ('YYYY-MM-DD', UTC calendar day). Days are counted inclusively, so
 * the share is 1 on the last day and 1/total on the first; leap years have 366 days.
 *
 * - `annual`, `population_share` (reset every January 1; the baseline and deadline do not move the line): share =
 *   dayOfYear(date) / daysInYear (2024-02-29 → 60/366, 2025-12-31 → 365/365), expected = target × share.
 *   A year before the date's year is over: share 1 and final. With `annualBasis: 'full_year'` expected = target.
 * - `cumulative`, `survey_rate` with a deadline: a line from the baseline (its value at the end of its year, so the
 *   line starts on 1 January of the next year) or, without baseline, from 0 on `startDate` — a survey rate without
 *   baseline has no line (`flat`) — to the target on the deadline: share = inclusiveDays(fromDate, date) /
 *   inclusiveDays(fromDate, deadline), clamped to [0, 1]; expected = from + (target − from) × share. Final once
 *   the date is after the deadline.
 * - Without a deadline: `flat`, expected = target, never final.
 */
export function expectedProgress(
  indicator: Indicator,
  date: string,
  options: ExpectedOptions = {},
): ExpectedProgress {
  const target = indicator.targetValue;
  const dateYear = yearOf(date);

  if (indicator.kind === 'annual' || indicator.kind === 'population_share') {
    const year = options.year ?? dateYear;
    const total = daysInYear(year);
    const elapsed = year < dateYear ? total : year > dateYear ? 0 : dayOfYear(date);
    const share = elapsed / total;
    const isFullYear = options.annualBasis === 'full_year';
    return {
      basis: isFullYear ? 'full_year' : 'year',
      from: 0,
      fromDate: yearStart(year),
      toDate: `${year}-12-31`,
      elapsedDays: elapsed,
      totalDays: total,
      elapsedShare: share,
      expected: isFullYear ? target : target * share,
      isFinal: year < dateYear,
      year,
    };
  }

  const flat: ExpectedProgress = {
    basis: 'flat',
    from: indicator.baseline?.value ?? 0,
    fromDate: null,
    toDate: indicator.deadline,
    elapsedDays: null,
    totalDays: null,
    elapsedShare: null,
    expected: target,
    isFinal: indicator.deadline !== null && dayNumber(date) > dayNumber(indicator.deadline),
    year: null,
  };
  if (indicator.deadline === null) return flat;
  const start = indicator.baseline
    ? { from: indicator.baseline.value, fromDate: yearStart(indicator.baseline.year + 1) }
    : indicator.kind === 'survey_rate'
      ? null
      : { from: 0, fromDate: indicator.startDate };
  if (start === null) return flat;
  const total = inclusiveDays(start.fromDate, indicator.deadline);
  if (total === 0) return flat;
  const elapsed = Math.min(total, inclusiveDays(start.fromDate, date));
  const share = elapsed / total;
  return {
    basis: 'line',
    from: start.from,
    fromDate: start.fromDate,
    toDate: indicator.deadline,
    elapsedDays: elapsed,
    totalDays: total,
    elapsedShare: share,
    expected: start.from + (target - start.from) * share,
    isFinal: flat.isFinal,
    year: null,
  };
}
