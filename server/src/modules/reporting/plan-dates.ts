/**
 * THE start of a plan period (docs/PROGRESS.md): the version's 印发 date; else the start of the plan's first reporting
 * cycle; else 1 January of the year judged. 序时进度 counts from it. The end of the period is the version's latest
 * indicator deadline (CycleRow.plan_end).
 */
export function planStart(
  docDate: string | null | undefined,
  firstCycleStart: string | null | undefined,
  asOf: string,
): string {
  return docDate ?? firstCycleStart ?? `${asOf.slice(0, 4)}-01-01`;
}
