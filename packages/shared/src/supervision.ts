import { z } from 'zod';
import { CalendarDateSchema, IdSchema, pageOf, PageQuerySchema, RowVersionSchema } from './common';

/** "YYYY-MM-DD". */

export const NOTICE_SUBJECT_MAX = 200;
export const NOTICE_CONTENT_MAX = 5000;
export const NOTICE_COMMENT_MAX = 2000;

// ── severity (三色督办) ──────────────────────────────────────────────────────────────────────────────────

/**
 * 三色督办, by severity:
 * - yellow 黄色督办 (提醒): a task or report is starting to lag (a report past its due date, an indicator behind
 *   序时进度); the unit corrects it by the deadline.
 * - orange 橙色督办 (警示): the lag persists or is serious (an indicator red, a yellow notice not done by its
 *   deadline); the unit's leadership is expected to take it in hand.
 * - red 红色督办 (重点督办): the lag puts a plan target at risk or an orange notice went unheeded; reported to the
 *   city leadership group and counted in the year's assessment (纳入目标管理考核).
 */
export const NOTICE_SEVERITIES = ['yellow', 'orange', 'red'] as const;
export const NoticeSeveritySchema = z.enum(NOTICE_SEVERITIES);
export type NoticeSeverity = z.infer<typeof NoticeSeveritySchema>;
export const NOTICE_SEVERITY_LABELS: Record<NoticeSeverity, string> = {
  yellow: '黄色督办',
  orange: '橙色督办',
  red: '红色督办',
};
export const NOTICE_SEVERITY_MEANINGS: Record<NoticeSeverity, string> = {
  yellow: '提醒：任务或报告开始滞后，责任单位在期限内整改',
  orange: '警示：滞后持续或较重（指标亮红灯、黄色督办逾期未办结），单位负责同志须亲自督促',
  red: '重点督办：影响规划目标实现或橙色督办未见成效，报领导小组并纳入年度考核',
};

// ── states (交办 → 签收 → 办结 → 销号) ──────────────────────────────────────────────────────────────────

/**
 * issued 已交办 → signed 已签收 → done 已办结 → closed 已销号; the admin may send a done notice back
 * (returned 已退回), and the unit then replies and finishes it again.
 */
export const NOTICE_STATES = ['issued', 'signed', 'done', 'returned', 'closed'] as const;
export const NoticeStateSchema = z.enum(NOTICE_STATES);
export type NoticeState = z.infer<typeof NoticeStateSchema>;
export const NOTICE_STATE_LABELS: Record<NoticeState, string> = {
  issued: '已交办',
  signed: '已签收',
  done: '已办结',
  returned: '已退回',
  closed: '已销号',
};

/** Steps of a notice. `issue` creates it; the others move it (reply keeps its state). */
export const NOTICE_ACTIONS = ['issue', 'sign', 'reply', 'finish', 'return', 'close'] as const;
export const NoticeActionSchema = z.enum(NOTICE_ACTIONS);
export type NoticeAction = z.infer<typeof NoticeActionSchema>;
export const NOTICE_ACTION_LABELS: Record<NoticeAction, string> = {
  issue: '交办',
  sign: '签收',
  reply: '回复',
  finish: '办结',
  return: '退回',
  close: '销号',
};

/** The state machine: from which states each step may be taken, and where it leads. The server enforces it. */
export const NOTICE_TRANSITIONS: Record<
  Exclude<NoticeAction, 'issue'>,
  { from: NoticeState[]; to: NoticeState | null }
> = {
  sign: { from: ['issued'], to: 'signed' },
  reply: { from: ['signed', 'returned'], to: null },
  finish: { from: ['signed', 'returned'], to: 'done' },
  return: { from: ['done'], to: 'returned' },
  close: { from: ['done'], to: 'closed' },
};

/** States in which the deadline still binds the unit (past it, the notice is overdue). */
export const NOTICE_OPEN_STATES: readonly NoticeState[] = ['issued', 'signed', 'returned'];

// ── links ───────────────────────────────────────────────────────────────────────────────────────────────

/** What a notice may be about, besides its free-text subject. */
export const NOTICE_LINK_TYPES = ['task', 'indicator', 'report', 'cycle'] as const;
export const NoticeLinkTypeSchema = z.enum(NOTICE_LINK_TYPES);
export type NoticeLinkType = z.infer<typeof NoticeLinkTypeSchema>;
export const NOTICE_LINK_TYPE_LABELS: Record<NoticeLinkType, string> = {
  task: '规划任务',
  indicator: '指标',
  report: '进展报告',
  cycle: '填报周期',
};

export const NoticeLinkInputSchema = z.object({ entityType: NoticeLinkTypeSchema, entityId: IdSchema });
export type NoticeLinkInput = z.infer<typeof NoticeLinkInputSchema>;
export const NoticeLinkSchema = NoticeLinkInputSchema.extend({ label: z.string() });
export type NoticeLink = z.infer<typeof NoticeLinkSchema>;

/** Search for what a notice may link to, by name (the form never asks for an internal 编号). */
export const NoticeLinkSearchQuerySchema = z.object({
  type: NoticeLinkTypeSchema,
  q: z.string().trim().max(100).default(''),
});
export type NoticeLinkSearchQuery = z.input<typeof NoticeLinkSearchQuerySchema>;
export const NoticeLinkOptionSchema = z.object({
  id: IdSchema,
  label: z.string(),
  /** Where it belongs (the plan, the cycle's plan), to tell apart two of the same name. */
  context: z.string(),
});
export type NoticeLinkOption = z.infer<typeof NoticeLinkOptionSchema>;
export const NoticeLinkOptionListSchema = z.object({ items: z.array(NoticeLinkOptionSchema) });
export type NoticeLinkOptionList = z.infer<typeof NoticeLinkOptionListSchema>;
/** How many matches the search returns; the user narrows the text for more. */
export const NOTICE_LINK_SEARCH_LIMIT = 20;

// ── notices ─────────────────────────────────────────────────────────────────────────────────────────────

export const NoticeCreateSchema = z.object({
  unitId: IdSchema,
  subject: z.string().trim().min(1, '督办事项不能为空').max(NOTICE_SUBJECT_MAX),
  content: z.string().trim().min(1, '督办内容不能为空').max(NOTICE_CONTENT_MAX),
  severity: NoticeSeveritySchema,
  deadline: CalendarDateSchema,
  link: NoticeLinkInputSchema.nullable().default(null),
  /** The alert this notice was made from (see AlertSchema.key), so the alert list shows it as handled. */
  alertKey: z.string().max(200).nullable().default(null),
});
export type NoticeCreate = z.input<typeof NoticeCreateSchema>;
/** A create body after the boundary has parsed it (defaults applied). */
export type NoticeCreateParsed = z.infer<typeof NoticeCreateSchema>;

/** Body of every step: the version read (optimistic concurrency) and a comment. */
export const NoticeStepSchema = z.object({
  version: RowVersionSchema,
  comment: z.string().trim().max(NOTICE_COMMENT_MAX).default(''),
});
export type NoticeStep = z.input<typeof NoticeStepSchema>;
/** A reply and a return must say something. */
export const NoticeReplySchema = NoticeStepSchema.extend({
  comment: z.string().trim().min(1, '请填写回复内容').max(NOTICE_COMMENT_MAX),
});
export const NoticeReturnSchema = NoticeStepSchema.extend({
  comment: z.string().trim().min(1, '退回须填写意见').max(NOTICE_COMMENT_MAX),
});

export const NoticeSchema = z.object({
  id: IdSchema,
  unitId: IdSchema,
  unitName: z.string(),
  subject: z.string(),
  content: z.string(),
  severity: NoticeSeveritySchema,
  deadline: z.string(),
  state: NoticeStateSchema,
  /** Past its deadline and not yet done (issued, signed or returned). */
  isOverdue: z.boolean(),
  link: NoticeLinkSchema.nullable(),
  alertKey: z.string().nullable(),
  issuedBy: z.string().nullable(),
  issuedAt: z.string(),
  signedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  version: RowVersionSchema,
  updatedAt: z.string(),
});
export type Notice = z.infer<typeof NoticeSchema>;

export const NoticeEventSchema = z.object({
  id: IdSchema,
  action: NoticeActionSchema,
  fromState: NoticeStateSchema.nullable(),
  toState: NoticeStateSchema,
  comment: z.string(),
  actorName: z.string().nullable(),
  at: z.string(),
});
export type NoticeEvent = z.infer<typeof NoticeEventSchema>;

export const NoticeDetailSchema = NoticeSchema.extend({
  events: z.array(NoticeEventSchema),
  /** What the signed-in user may do now (the server decides again on each step). */
  can: z.object({
    sign: z.boolean(),
    reply: z.boolean(),
    finish: z.boolean(),
    return: z.boolean(),
    close: z.boolean(),
  }),
});
export type NoticeDetail = z.infer<typeof NoticeDetailSchema>;

export const NoticeListQuerySchema = PageQuerySchema.extend({
  unitId: IdSchema.optional(),
  severity: NoticeSeveritySchema.optional(),
  state: NoticeStateSchema.optional(),
  overdue: z.enum(['true', 'false']).optional(),
});
export type NoticeListQuery = z.infer<typeof NoticeListQuerySchema>;
export const NoticePageSchema = pageOf(NoticeSchema);

// ── alerts ──────────────────────────────────────────────────────────────────────────────────────────────

/** report_overdue: a unit's reports of a cycle past due + grace · indicator_red · notice_overdue: a notice past its deadline. */
export const ALERT_KINDS = ['report_overdue', 'indicator_red', 'notice_overdue'] as const;
export const AlertKindSchema = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKindSchema>;
export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  report_overdue: '报告逾期',
  indicator_red: '指标红灯',
  notice_overdue: '督办逾期',
};

/** An alert candidate, computed on demand; the pre-filled notice is what "转为督办" proposes. */
export const AlertSchema = z.object({
  /** Stable across scans (kind + what it is about), so a notice made from it can be found again. */
  key: z.string(),
  kind: AlertKindSchema,
  unitId: IdSchema,
  unitName: z.string(),
  title: z.string(),
  detail: z.string(),
  /** Since when the condition holds (a date), for sorting. */
  since: z.string(),
  proposal: z.object({
    subject: z.string(),
    content: z.string(),
    severity: NoticeSeveritySchema,
    deadline: z.string(),
    /** With its label, so the form shows the name, not the 编号. */
    link: NoticeLinkSchema.nullable(),
  }),
  /** The notice already made from this alert and not yet closed, if any. */
  noticeId: IdSchema.nullable(),
});
export type SupervisionAlert = z.infer<typeof AlertSchema>;

/** Turn a selection of alerts into 督办 notices at once, each with its alert's proposal. */
export const AlertsToNoticesSchema = z.object({
  alertKeys: z.array(z.string().min(1).max(200)).min(1, '请至少选择一条预警').max(200, '一次最多 200 条'),
});
export type AlertsToNotices = z.input<typeof AlertsToNoticesSchema>;
export const AlertsToNoticesResultSchema = z.object({
  created: z.array(z.object({ alertKey: z.string(), noticeId: IdSchema })),
  skipped: z.array(z.object({ alertKey: z.string(), reason: z.string() })),
});
export type AlertsToNoticesResult = z.infer<typeof AlertsToNoticesResultSchema>;
export const AlertListSchema = z.object({
  today: z.string(),
  items: z.array(AlertSchema),
  /** Sources that failed this scan (the others still answered). */
  failedSources: z.array(z.string()),
  /** The last finished scheduled scan (ALERT_SCAN_CRON), or null when none has run yet. */
  lastAutoScan: z
    .object({
      startedAt: z.string(),
      finishedAt: z.string(),
      /** Alerts standing at that scan. */
      found: z.number().int(),
      /** Of them, new since the scan before (the office was notified of these). */
      new: z.number().int(),
      failedSources: z.array(z.string()),
    })
    .nullable(),
});
export type AlertList = z.infer<typeof AlertListSchema>;

// ── notifications ───────────────────────────────────────────────────────────────────────────────────────

export const NotificationSchema = z.object({
  id: IdSchema,
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** An in-app path (`/supervision/…`). */
  link: z.string().nullable(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
export type InAppNotification = z.infer<typeof NotificationSchema>;
export const NotificationListQuerySchema = PageQuerySchema.extend({
  unread: z.enum(['true', 'false']).optional(),
});
export type NotificationListQuery = z.infer<typeof NotificationListQuerySchema>;
export const NotificationPageSchema = pageOf(NotificationSchema);
export const UnreadCountSchema = z.object({ count: z.number().int() });
/** Mark some (ids) or all of one's notifications read. */
export const MarkReadSchema = z
  .object({ ids: z.array(IdSchema).max(500).optional(), all: z.boolean().optional() })
  .refine((b) => b.all === true || (b.ids?.length ?? 0) > 0, { message: '请指定要标为已读的通知' });
export type MarkRead = z.infer<typeof MarkReadSchema>;
export const MarkReadResultSchema = z.object({ updated: z.number().int() });
