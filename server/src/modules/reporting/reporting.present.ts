import type {
  Attachment,
  Cycle,
  CycleFrequency,
  CycleState,
  ReportEvent,
  ReportState,
  ReportSummary,
  TaskProgress,
} from '@kesu/shared';
import type { ReportAttachmentsTable, ReportEventsTable } from '../../db/schema';
import type { CycleRow, ReportRow } from './reporting.repository';

import { lateAfter } from '../progress/plan-dates';

/** A cycle as the API shows it; `planEnd` is the end of its plan period (progress/plan-dates.ts). */
export function toCycle(row: CycleRow, planEnd: string | null): Cycle {
  return {
    id: row.id,
    planId: row.plan_id,
    planTitle: row.plan_title,
    versionId: row.version_id,
    versionNumber: row.version_number,
    name: row.name,
    frequency: row.frequency as CycleFrequency,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    dueDate: row.due_date,
    graceDays: row.grace_days,
    lateAfter: lateAfter(row.due_date, row.grace_days),
    state: row.state as CycleState,
    closedAt: row.closed_at,
    lockedAt: row.locked_at,
    planEnd,
    afterPlanEnd: planEnd !== null && row.period_start > planEnd,
    version: row.version,
    createdAt: row.created_at,
  };
}

export function toReportSummary(row: ReportRow): ReportSummary {
  return {
    id: row.id,
    cycleId: row.cycle_id,
    cycleName: row.cycle_name,
    unitId: row.unit_id,
    unitName: row.unit_name,
    taskId: row.task_id,
    taskPath: row.task_path,
    taskTitle: row.task_title,
    isDemo: row.demo_batch_id != null,
    state: row.state as ReportState,
    progress: row.progress as TaskProgress,
    submittedAt: row.submitted_at,
    reviewedAt: row.reviewed_at,
    reviewComment: row.review_comment,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

export function toAttachment(row: ReportAttachmentsTable): Attachment {
  return {
    id: row.id,
    reportId: row.report_id,
    fileName: row.file_name,
    mime: row.mime,
    sizeBytes: row.size_bytes,
    uploadedBy: row.uploaded_by,
    createdAt: row.created_at,
  };
}

export function toEvent(row: ReportEventsTable): ReportEvent {
  return {
    id: row.id,
    action: row.action as ReportEvent['action'],
    comment: row.comment,
    actorName: row.actor_name,
    at: row.at,
  };
}
