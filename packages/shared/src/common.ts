import { z } from 'zod';
import { LIMITS } from './limits';

/** Ids are made by the app: 26-character ULID-like strings (time-ordered, url-safe). */
export const IdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, '无效的编号');
export const IdParamsSchema = z.object({ id: IdSchema });
export type IdParams = z.infer<typeof IdParamsSchema>;

/**
 * A row's version for optimistic concurrency: a positive whole number that fits the databases' integer column
 * with room to count up (a version of -9007199254740986 reached PostgreSQL and answered 500).
 */
export const RowVersionSchema = z
  .number()
  .int('版本号应为整数')
  .min(1, '版本号无效')
  .max(1_000_000_000, '版本号无效');

/** Years a calendar date may fall in: the plans kesu runs (2021–2035) with room either side. */
export const CALENDAR_YEAR_MIN = 2000;
export const CALENDAR_YEAR_MAX = 2100;

/**
 * True when `text` is a real calendar date YYYY-MM-DD (month 1–12, day within that month, leap years counted) with a
 * year in [CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX]. Pure arithmetic: no Date object, so no silent roll-over
 * (2026-02-30 is not March 2).
 */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < CALENDAR_YEAR_MIN || y > CALENDAR_YEAR_MAX || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
  return d <= days;
}

/**
 * The one date schema of the API: every date field and date query parameter uses it, so an impossible date
 * (2027-13-01, 2025-02-29, 0000-00-00) or one outside the years kesu serves is a 400 at the boundary and never stored.
 */
export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine(isCalendarDate, {
    message: `日期无效：须为 ${CALENDAR_YEAR_MIN}—${CALENDAR_YEAR_MAX} 年间真实存在的日期（如 2026-02-28）`,
  });

/** ISO-8601 UTC timestamp text. */
export const TimestampSchema = z.string();

export const PageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(LIMITS.pageSizeDefault),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

/** A page of items with the total count, for every list endpoint. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const OkSchema = z.object({ ok: z.literal(true) });
