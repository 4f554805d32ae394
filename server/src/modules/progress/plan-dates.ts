/**
 * The plan's dates (docs/PROGRESS.md), defined once:
 * - start: the version's 印发 date; else the start of the plan's first reporting cycle; else 1 January of the year
 *   judged. 序时进度 counts from it.
 * - end: the version's latest indicator deadline (none given: open-ended). After it the verdict is final (终期).
 * - as of: the date asked for; else the judged cycle's period end; else today.
 * - a cycle's late date: its due date plus its grace days.
 * Days are YYYY-MM-DD calendar days (UTC calendar arithmetic).
 */
export function planStart(
  docDate: string | null | undefined,
  firstCycleStart: string | null | undefined,
  asOf: string,
): string {
  return docDate ?? firstCycleStart ?? `${asOf.slice(0, 4)}-01-01`;
}

/** The end of a plan period: the latest deadline among the version's indicators, or null when none has one. */
export function planEndOf(indicators: readonly { deadline: string | null }[]): string | null {
  let end: string | null = null;
  for (const i of indicators) if (i.deadline !== null && (end === null || i.deadline > end)) end = i.deadline;
  return end;
}

/** The date figures stand at. */
export function asOfDate(
  cycle: { period_end: string } | null,
  asked: string | null | undefined,
  now: Date = new Date(),
): string {
  return asked ?? cycle?.period_end ?? today(now);
}

/** dueDate + graceDays: a report first submitted after this day is late. */
export function lateAfter(dueDate: string, graceDays: number): string {
  const d = new Date(`${dueDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + graceDays);
  return d.toISOString().slice(0, 10);
}

/** Today as YYYY-MM-DD (UTC). */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
