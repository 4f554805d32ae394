import { z } from 'zod';
import { IdSchema } from './common';

/** 催报 and the reporting reminders. */

/** One unit of a cycle: tasks to report, how many submitted or approved, late or not, when last reminded. */
export const CycleUnitSchema = z.object({
  unitId: IdSchema,
  unitName: z.string(),
  tasks: z.number().int(),
  done: z.number().int(),
  isLate: z.boolean(),
  /** ISO time of the last 催报 sent to the unit for this cycle, or null. */
  lastUrgedAt: z.string().nullable(),
});
export type CycleUnit = z.infer<typeof CycleUnitSchema>;
export const CycleUnitsSchema = z.object({ items: z.array(CycleUnitSchema) });

/** 催报: the units chosen, or none for every late unit. */
export const UrgeBodySchema = z.object({
  unitIds: z.array(IdSchema).max(1000).optional(),
  message: z.string().trim().max(500).default(''),
});
export type UrgeBody = z.infer<typeof UrgeBodySchema>;

export const BulkOutcomeSchema = z.object({
  id: z.string(),
  name: z.string(),
  ok: z.boolean(),
  /** Why not, in Chinese (already reminded today, explanation missing, not submitted …). */
  reason: z.string().nullable(),
});
export type BulkOutcome = z.infer<typeof BulkOutcomeSchema>;
export const BulkResultSchema = z.object({
  done: z.number().int(),
  skipped: z.number().int(),
  items: z.array(BulkOutcomeSchema),
});
export type BulkResult = z.infer<typeof BulkResultSchema>;

/** Approve or return several submitted reports with one comment (return needs it). */
export const BulkReviewSchema = z.object({
  decision: z.enum(['approve', 'return']),
  reportIds: z.array(IdSchema).min(1, '请至少选择一份报告').max(500),
  comment: z.string().trim().max(2000).default(''),
});
export type BulkReview = z.infer<typeof BulkReviewSchema>;

/** Submit every ready draft (or returned report) of the caller's unit in a cycle. */
export const SubmitAllSchema = z.object({ cycleId: IdSchema, unitId: IdSchema.optional() });
export type SubmitAll = z.infer<typeof SubmitAllSchema>;

/** What kind of reminder a notification is (notifications.kind). */
export const REMINDER_KIND_LABELS: Record<string, string> = {
  'cycle.opened': '填报开始',
  'cycle.deadline': '截止提醒',
  'cycle.overdue': '逾期提醒',
  'cycle.urge': '催报',
  'report.approved': '审核通过',
  'report.returned': '报告退回',
  'report.resubmitted': '退回后重新提交',
};
