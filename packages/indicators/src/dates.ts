/**
 * Calendar dates as 'YYYY-MM-DD' strings, counted in whole UTC days so that no local time zone or daylight-saving
 * shift can move a date. A "day number" is the count of days since 1970-01-01 (UTC); leap years come from the
 * Gregorian calendar through `Date.UTC`, so 2024-02-29 exists and 2025-02-29 does not.
 */

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `text` is a real calendar date written 'YYYY-MM-DD' (2024-02-29 yes, 2025-02-29 no). */
export function isCalendarDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/**
 * Day numbers already worked out, by date text. An evaluation asks for the same few dates (cycle ends, deadlines,
 * the as-of day) hundreds of thousands of times: parsing each time was 15% of a province plan's evaluation
 * (bench/documents.bench.ts). Only real dates are kept, so the map stays below the number of days there are.
 */
const dayNumbers = new Map<string, number>();
const DAY_NUMBERS_MAX = 50_000;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date (UTC). Throws a RangeError on anything that is not a real date. */
export function dayNumber(date: string): number {
  const known = dayNumbers.get(date);
  if (known !== undefined) return known;
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date 'YYYY-MM-DD': ${date}`);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
  if (dayNumbers.size < DAY_NUMBERS_MAX) dayNumbers.set(date, day);
  return day;
}

/** The 'YYYY-MM-DD' date of a day number (inverse of `dayNumber`). */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar year of a 'YYYY-MM-DD' date. */
export function yearOf(date: string): number {
  dayNumber(date);
  return Number(date.slice(0, 4));
}

/** 'YYYY-01-01' of a year. */
export function yearStart(year: number): string {
  return `${String(year).padStart(4, '0')}-01-01`;
}

/** 'YYYY-12-31' of a year. */
export function yearEnd(year: number): string {
  return `${String(year).padStart(4, '0')}-12-31`;
}

/** 366 in a Gregorian leap year, else 365. */
export function daysInYear(year: number): number {
  return dayNumber(yearEnd(year)) - dayNumber(yearStart(year)) + 1;
}

/** 1 on January 1, 60 on 2024-02-29, 366 on 2024-12-31, 365 on 2025-12-31. */
export function dayOfYear(date: string): number {
  return dayNumber(date) - dayNumber(yearStart(yearOf(date))) + 1;
}

/**
 * Days from `from` to `to`, both counted (inclusive): 1 when they are the same day, 0 when `to` is before `from`.
 * This is how every 序时进度 counts elapsed time: a date is treated as "the end of that day".
 */
export function inclusiveDays(from: string, to: string): number {
  return Math.max(0, dayNumber(to) - dayNumber(from) + 1);
}
