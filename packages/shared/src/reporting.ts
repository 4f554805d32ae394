import { z } from 'zod';
import { CalendarDateSchema, IdSchema, pageOf, PageQuerySchema, RowVersionSchema } from './common';

/** "YYYY-MM-DD". */

/** Largest evidence attachment by default (REPORT_ATTACHMENT_MAX_MB on the server), bytes. */
export const REPORT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;
/** What an evidence attachment may be (checked by content on the server; the web filters the picker with it). */
export const REPORT_ATTACHMENT_ACCEPT = '.pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx';
export const REPORT_NARRATIVE_MAX = 10000;

// ── cycles ────────────────────────────────────────────────────────────────────────────────────────────────

export const CYCLE_FREQUENCIES = ['quarterly', 'half_yearly', 'yearly'] as const;
export const CycleFrequencySchema = z.enum(CYCLE_FREQUENCIES);
export type CycleFrequency = z.infer<typeof CycleFrequencySchema>;
export const CYCLE_FREQUENCY_LABELS: Record<CycleFrequency, string> = {
  quarterly: '季度',
  half_yearly: '半年',
  yearly: '年度',
};

/**
 * open: units write and submit (late after due date + grace days, shown as overdue) · closed: units no longer write,
 * the admin still reviews what was submitted; may be reopened · locked: nothing changes any more.
 */
export const CYCLE_STATES = ['open', 'closed', 'locked'] as const;
export const CycleStateSchema = z.enum(CYCLE_STATES);
export type CycleState = z.infer<typeof CycleStateSchema>;
export const CYCLE_STATE_LABELS: Record<CycleState, string> = {
  open: '填报中',
  closed: '已截止',
  locked: '已锁定',
};

export const CycleSchema = z.object({
  id: IdSchema,
  planId: IdSchema,
  planTitle: z.string(),
  /** The plan version whose tasks are reported on (the published one when the cycle was made, else the latest). */
  versionId: IdSchema,
  versionNumber: z.number().int(),
  name: z.string(),
  frequency: CycleFrequencySchema,
  periodStart: z.string(),
  periodEnd: z.string(),
  dueDate: z.string(),
  graceDays: z.number().int(),
  /** Last day a report is on time: dueDate + graceDays. */
  lateAfter: z.string(),
  state: CycleStateSchema,
  closedAt: z.string().nullable(),
  lockedAt: z.string().nullable(),
  /** The plan period's end (its version's latest indicator deadline); null when the plan gives none. */
  planEnd: z.string().nullable(),
  /** The cycle starts after the plan period: indicators are judged final (终期), no 序时进度. */
  afterPlanEnd: z.boolean(),
  version: RowVersionSchema,
  createdAt: z.string(),
});
export type Cycle = z.infer<typeof CycleSchema>;

export const CycleCreateSchema = z
  .object({
    planId: IdSchema,
    versionId: IdSchema.optional(),
    name: z.string().trim().min(1, '名称不能为空').max(100),
    frequency: CycleFrequencySchema,
    periodStart: CalendarDateSchema,
    periodEnd: CalendarDateSchema,
    dueDate: CalendarDateSchema,
    graceDays: z.number().int().min(0).max(365).default(0),
  })
  .refine((c) => c.periodStart <= c.periodEnd, {
    message: '周期开始日期不能晚于结束日期',
    path: ['periodEnd'],
  })
  .refine((c) => c.dueDate >= c.periodStart, { message: '截止日期不能早于周期开始', path: ['dueDate'] });
export type CycleCreate = z.input<typeof CycleCreateSchema>;

export const CycleUpdateSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  dueDate: CalendarDateSchema.optional(),
  graceDays: z.number().int().min(0).max(365).optional(),
  version: RowVersionSchema,
});
export type CycleUpdate = z.infer<typeof CycleUpdateSchema>;

export const CycleTransitionSchema = z.object({ version: RowVersionSchema });

export const CycleListQuerySchema = PageQuerySchema.extend({
  planId: IdSchema.optional(),
  state: CycleStateSchema.optional(),
});
export const CyclePageSchema = pageOf(CycleSchema);

// ── reports ───────────────────────────────────────────────────────────────────────────────────────────────

/** Workflow: draft → submitted → returned (with comments) → … → approved (locked). */
export const REPORT_STATES = ['draft', 'submitted', 'returned', 'approved'] as const;
export const ReportStateSchema = z.enum(REPORT_STATES);
export type ReportState = z.infer<typeof ReportStateSchema>;
export const REPORT_STATE_LABELS: Record<ReportState, string> = {
  draft: '草稿',
  submitted: '已提交',
  returned: '已退回',
  approved: '已审核',
};

/** 进展: how the unit judges its task this cycle. */
export const TASK_PROGRESS = ['not_started', 'in_progress', 'completed', 'behind'] as const;
export const TaskProgressSchema = z.enum(TASK_PROGRESS);
export type TaskProgress = z.infer<typeof TaskProgressSchema>;
export const TASK_PROGRESS_LABELS: Record<TaskProgress, string> = {
  not_started: '未开始',
  in_progress: '推进中',
  completed: '已完成',
  behind: '滞后',
};

/** One value of one indicator (for one county when the indicator is broken down by county). */
export const ReportValueInputSchema = z.object({
  indicatorId: IdSchema,
  countyId: IdSchema.nullable().default(null),
  /** Level as of the cycle end (cumulative: total so far; annual: so far this year); null = not entered. */
  value: z.number().finite().nullable(),
  /** Why the value is behind target or lower than the last approved one (required then). */
  note: z.string().trim().max(2000).default(''),
});
export type ReportValueInput = z.input<typeof ReportValueInputSchema>;

export const ReportSaveSchema = z.object({
  progress: TaskProgressSchema,
  narrative: z.string().max(REPORT_NARRATIVE_MAX).default(''),
  values: z.array(ReportValueInputSchema).max(2000).default([]),
  version: RowVersionSchema,
});
export type ReportSave = z.input<typeof ReportSaveSchema>;

export const ReportEvaluateSchema = z.object({
  values: z.array(ReportValueInputSchema).max(2000),
});

export const ReportCreateSchema = z.object({
  cycleId: IdSchema,
  taskId: IdSchema,
  /** The admin may open a report for any assigned unit; a reporter only for its own (the default). */
  unitId: IdSchema.optional(),
});

export const ReportReviewSchema = z.object({
  version: RowVersionSchema,
  comment: z.string().trim().max(2000).default(''),
});
export const ReportReturnSchema = z.object({
  version: RowVersionSchema,
  comment: z.string().trim().min(1, '退回须填写意见').max(2000),
});

export const CHECK_LIGHTS = ['green', 'yellow', 'red', 'no_data'] as const;

/**
 * The engine's verdict on one entered value at the cycle end: `isBehind` (yellow/red), `anomaly` (a cumulative
 * value lower than the last approved one, or negative); either makes `note` required.
 */
export const ValueCheckSchema = z.object({
  indicatorId: IdSchema,
  countyId: IdSchema.nullable(),
  status: z.enum(CHECK_LIGHTS),
  isBehind: z.boolean(),
  anomaly: z.string().nullable(),
  explanationRequired: z.boolean(),
  hasExplanation: z.boolean(),
  /** The engine's sentence: how the light was computed. */
  text: z.string(),
});
export type ValueCheck = z.infer<typeof ValueCheckSchema>;
export const ValueChecksSchema = z.object({ checks: z.array(ValueCheckSchema) });

export const ReportValueSchema = z.object({
  indicatorId: IdSchema,
  countyId: IdSchema.nullable(),
  value: z.number().nullable(),
  note: z.string(),
  /** Carried over from the previous cycle and not changed since. */
  isPrefilled: z.boolean(),
});
export type ReportValue = z.infer<typeof ReportValueSchema>;

export const ReportIndicatorSchema = z.object({
  id: IdSchema,
  text: z.string(),
  kind: z.string(),
  comparator: z.string(),
  targetValue: z.number(),
  unit: z.string(),
  deadline: z.string().nullable(),
  breakdownByCounty: z.boolean(),
  /** Survey rates come from survey waves, registry-bound indicators from the registries: neither is typed. */
  isReported: z.boolean(),
  /** A registry-bound indicator's computed figure(s) as of the cycle's end, each with the link to its records. */
  computed: z
    .object({
      description: z.string(),
      items: z.array(
        z.object({
          countyName: z.string().nullable(),
          value: z.number(),
          label: z.string(),
          link: z.string(),
        }),
      ),
    })
    .nullable(),
  /** Counties this report gives values for (empty: one city-wide value). */
  counties: z.array(z.object({ id: IdSchema, name: z.string() })),
  /** The last approved value(s) before this cycle, for reference. */
  previous: z.array(z.object({ countyId: IdSchema.nullable(), value: z.number(), cycleName: z.string() })),
});
export type ReportIndicator = z.infer<typeof ReportIndicatorSchema>;

export const AttachmentSchema = z.object({
  id: IdSchema,
  reportId: IdSchema,
  fileName: z.string(),
  mime: z.string(),
  sizeBytes: z.number().int(),
  uploadedBy: z.string().nullable(),
  createdAt: z.string(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const REPORT_EVENT_ACTIONS = ['create', 'submit', 'return', 'approve'] as const;
export const ReportEventSchema = z.object({
  id: IdSchema,
  action: z.enum(REPORT_EVENT_ACTIONS),
  comment: z.string(),
  actorName: z.string().nullable(),
  at: z.string(),
});
export type ReportEvent = z.infer<typeof ReportEventSchema>;

export const ReportSummarySchema = z.object({
  id: IdSchema,
  cycleId: IdSchema,
  cycleName: z.string(),
  unitId: IdSchema,
  unitName: z.string(),
  taskId: IdSchema,
  taskPath: z.string(),
  taskTitle: z.string(),
  state: ReportStateSchema,
  progress: TaskProgressSchema,
  submittedAt: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewComment: z.string(),
  version: RowVersionSchema,
  updatedAt: z.string(),
  /** Made by the demo loader (shown with a “演示数据” tag). */
  isDemo: z.boolean().optional(),
});
export type ReportSummary = z.infer<typeof ReportSummarySchema>;

export const ReportDetailSchema = ReportSummarySchema.extend({
  narrative: z.string(),
  prefilledFromId: IdSchema.nullable(),
  cycle: CycleSchema,
  indicators: z.array(ReportIndicatorSchema),
  values: z.array(ReportValueSchema),
  checks: z.array(ValueCheckSchema),
  attachments: z.array(AttachmentSchema),
  events: z.array(ReportEventSchema),
  /** What the level's own (not broken down) value is called: 全市 in a city's plan, 全县 in a county's. */
  totalLabel: z.string(),
  can: z.object({ edit: z.boolean(), review: z.boolean(), upload: z.boolean() }),
});
export type ReportDetail = z.infer<typeof ReportDetailSchema>;

export const ReportListQuerySchema = PageQuerySchema.extend({
  cycleId: IdSchema.optional(),
  unitId: IdSchema.optional(),
  state: ReportStateSchema.optional(),
});
export type ReportListQuery = z.infer<typeof ReportListQuerySchema>;
export const ReportPageSchema = pageOf(ReportSummarySchema);

// ── inbox ─────────────────────────────────────────────────────────────────────────────────────────────────

/** due: to do, before the late date · overdue: past due + grace, not submitted · returned: sent back to fix. */
export const INBOX_STATES = ['due', 'overdue', 'returned', 'draft', 'submitted', 'approved'] as const;
export const InboxStateSchema = z.enum(INBOX_STATES);
export type InboxState = z.infer<typeof InboxStateSchema>;
export const INBOX_STATE_LABELS: Record<InboxState, string> = {
  due: '待填报',
  overdue: '已逾期',
  returned: '被退回',
  draft: '草稿',
  submitted: '待审核',
  approved: '已审核',
};

export const InboxItemSchema = z.object({
  cycle: CycleSchema,
  taskId: IdSchema,
  taskPath: z.string(),
  taskTitle: z.string(),
  role: z.enum(['lead', 'co']),
  inbox: InboxStateSchema,
  report: ReportSummarySchema.nullable(),
});
export type InboxItem = z.infer<typeof InboxItemSchema>;

export const InboxQuerySchema = z.object({ unitId: IdSchema.optional() });
export const InboxSchema = z.object({
  unitId: IdSchema,
  unitName: z.string(),
  today: z.string(),
  items: z.array(InboxItemSchema),
  counts: z.record(InboxStateSchema, z.number().int()),
});
export type Inbox = z.infer<typeof InboxSchema>;

// ── indicator actuals ─────────────────────────────────────────────────────────────────────────────────────

export const IndicatorStatusQuerySchema = z.object({
  planId: IdSchema,
  /** Evaluate as of this cycle's end (default: today, on the latest cycle's plan version). */
  cycleId: IdSchema.optional(),
  asOf: CalendarDateSchema.optional(),
});
export type IndicatorStatusQuery = z.infer<typeof IndicatorStatusQuerySchema>;

/** A report behind an actual value (drill-down). */
export const ObservationRefSchema = z.object({
  /** 'county': a county's approved report on the task the level above assigned it (分解下达), rolled up. */
  sourceKind: z.enum(['report', 'survey', 'registry', 'county']),
  ref: z.string(),
  label: z.string(),
  value: z.number(),
  period: z.union([z.string(), z.number()]),
  countyId: z.string().nullable(),
  countyName: z.string().nullable(),
  /** Used for the number shown (the latest counted value of its county). */
  isCounted: z.boolean(),
});
export type ObservationRef = z.infer<typeof ObservationRefSchema>;

export const IndicatorStatusRowSchema = z.object({
  indicatorId: IdSchema,
  taskId: IdSchema,
  taskPath: z.string(),
  taskTitle: z.string(),
  text: z.string(),
  kind: z.string(),
  comparator: z.string(),
  unit: z.string(),
  target: z.number(),
  actual: z.number().nullable(),
  expected: z.number().nullable(),
  elapsedShare: z.number().nullable(),
  progress: z.number().nullable(),
  status: z.enum(CHECK_LIGHTS),
  formula: z.string(),
  ruleText: z.string(),
  explanation: z.string(),
  counties: z.array(
    z.object({
      countyId: z.string(),
      countyName: z.string(),
      status: z.enum(CHECK_LIGHTS),
      actual: z.number().nullable(),
      /** The county's target and completion (0..1) as the engine judged them (the assessment's threshold reads these). */
      target: z.number().nullable().optional(),
      progress: z.number().nullable().optional(),
      text: z.string(),
    }),
  ),
  anomalies: z.array(z.string()),
  sources: z.array(ObservationRefSchema),
});
export type IndicatorStatusRow = z.infer<typeof IndicatorStatusRowSchema>;

export const TaskProgressNodeSchema = z.object({
  taskId: IdSchema,
  parentId: IdSchema.nullable(),
  path: z.string(),
  title: z.string(),
  depth: z.number().int(),
  /** Weighted mean of children with data, 0..1; null = no data (never shown as 0). */
  progress: z.number().nullable(),
  status: z.enum(CHECK_LIGHTS).nullable(),
  childrenWithoutData: z.number().int(),
  explanation: z.string(),
});
export type TaskProgressNode = z.infer<typeof TaskProgressNodeSchema>;

/** The plan's completion: one formula, with what it counted and left out. */
export const OverallProgressSchema = z.object({
  progress: z.number().nullable(),
  /** Indicators with data, each weighing the same. */
  counted: z.number().int(),
  /** Indicators without data: left out of the mean, shown beside it. */
  withoutData: z.number().int(),
  explanation: z.string(),
});
export type OverallProgress = z.infer<typeof OverallProgressSchema>;

export const IndicatorStatusSchema = z.object({
  planId: IdSchema,
  planTitle: z.string(),
  versionId: IdSchema,
  asOf: z.string(),
  cycleId: IdSchema.nullable(),
  indicators: z.array(IndicatorStatusRowSchema),
  tasks: z.array(TaskProgressNodeSchema),
  counts: z.object({
    green: z.number().int(),
    yellow: z.number().int(),
    red: z.number().int(),
    no_data: z.number().int(),
  }),
  /** The whole plan: the mean completion of its indicators with data (docs/PROGRESS.md); null = none has data. */
  overall: OverallProgressSchema,
});
export type IndicatorStatus = z.infer<typeof IndicatorStatusSchema>;

/**
 * A county's progress on a city task, for the county government's report to the city (上报县区汇总): the county tasks
 * linked to the task (confirmed links and 分解下达) judged on the county's own plan as of the city cycle's end.
 */
export const ReportCountySummarySchema = z.object({
  /** Whether the report's unit stands for a lower level (a county's government unit). */
  applies: z.boolean(),
  jurisdictionName: z.string().nullable(),
  planId: IdSchema.nullable(),
  planTitle: z.string().nullable(),
  asOf: z.string(),
  tasks: z.array(
    z.object({
      taskId: IdSchema,
      path: z.string(),
      title: z.string(),
      progress: z.number().nullable(),
      status: z.enum(['green', 'yellow', 'red', 'no_data']),
      indicators: z.array(
        z.object({
          text: z.string(),
          actual: z.number().nullable(),
          target: z.number().nullable(),
          unit: z.string(),
          status: z.enum(['green', 'yellow', 'red', 'no_data']),
        }),
      ),
    }),
  ),
  /** The summary in words, ready to go into the report's narrative. */
  text: z.string(),
});
export type ReportCountySummary = z.infer<typeof ReportCountySummarySchema>;
