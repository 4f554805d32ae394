import { z } from 'zod';
import { CalendarDateSchema, IdSchema, PageQuerySchema, pageOf, RowVersionSchema } from './common';
import { ExportFormatSchema } from './exchange';
import { PopulationGroupSchema } from './plans';
import { ACTIVITY_CAMPAIGNS, ActivityModeSchema } from './resources';

/**
 * 科普活动 (issue 13): what a unit records of an activity it organised, the public calendar of upcoming activities
 * and the coverage of residents (person-times ÷ 常住人口) by jurisdiction and year.
 */

/** Suggested ways of counting participants (free text is allowed: the clerk says how they counted). */
export const COUNTING_METHODS = ['签到', '票务', '平台统计', '估算'] as const;

/** Largest participants figure of one activity (person-times): beyond it a typo is likelier than an event. */
export const ACTIVITY_PARTICIPANTS_MAX = 100_000_000;

/** What the coverage of a year is judged against (年科普活动覆盖面达到县域常住人口的80%以上). */
export const COVERAGE_TARGET = 0.8;

/** Image and document types an activity's evidence may be (judged by content on the server). */
export const ACTIVITY_FILE_ACCEPT = '.jpg,.jpeg,.png,.webp,.heic,.heif,.pdf,.docx,.xlsx';
export const ACTIVITY_FILE_MAX_BYTES = 20 * 1024 * 1024;

const text = (max: number, label: string) =>
  z.string().trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 个字`);
const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label}最多 ${max} 个字`)
    .nullish()
    .transform((v) => (v ? v : null));

export const ActivityCampaignSchema = z.enum(ACTIVITY_CAMPAIGNS, { message: '活动品牌不在可选范围内' });

const ActivityFieldsSchema = z.object({
  title: text(200, '活动名称'),
  /** Default: a unit user's own unit; an admin picks a unit of its jurisdiction. */
  organiserUnitId: IdSchema.optional(),
  coorganiserUnitIds: z.array(IdSchema).max(20, '协办单位最多 20 个').default([]),
  /** Where it happened. Default: the user's own jurisdiction. */
  jurisdictionId: IdSchema.optional(),
  place: text(200, '活动地点'),
  longitude: z.number().min(-180, '经度无效').max(180, '经度无效').nullish(),
  latitude: z.number().min(-90, '纬度无效').max(90, '纬度无效').nullish(),
  startDate: CalendarDateSchema,
  endDate: CalendarDateSchema,
  theme: optionalText(100, '主题'),
  campaign: ActivityCampaignSchema.nullish(),
  populations: z.array(PopulationGroupSchema).max(10).default([]),
  mode: ActivityModeSchema,
  participants: z
    .number({
      error: (issue) =>
        issue.input === undefined || issue.input === null ? '请填写参与人次' : '参与人次应为数字',
    })
    .int('参与人次应为整数')
    .min(0, '参与人次不能为负数')
    .max(ACTIVITY_PARTICIPANTS_MAX, '参与人次过大，请核对'),
  countingMethod: optionalText(40, '计数方式'),
  summary: optionalText(2000, '活动简介'),
});

function checkActivity(a: z.infer<typeof ActivityFieldsSchema>, ctx: z.RefinementCtx): void {
  if (a.endDate < a.startDate)
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: '结束日期不能早于开始日期' });
  const hasLng = a.longitude !== null && a.longitude !== undefined;
  const hasLat = a.latitude !== null && a.latitude !== undefined;
  if (hasLng !== hasLat)
    ctx.addIssue({
      code: 'custom',
      path: [hasLng ? 'latitude' : 'longitude'],
      message: '经度和纬度须同时填写或同时留空',
    });
}

export const ActivityInputSchema = ActivityFieldsSchema.superRefine(checkActivity);
export type ActivityInput = z.input<typeof ActivityInputSchema>;
export type ActivityInputParsed = z.infer<typeof ActivityInputSchema>;

export const ActivityUpdateSchema = ActivityFieldsSchema.extend({ version: RowVersionSchema }).superRefine(
  checkActivity,
);
export type ActivityUpdate = z.infer<typeof ActivityUpdateSchema>;

export const ActivityFileSchema = z.object({
  id: IdSchema,
  activityId: IdSchema,
  fileName: z.string(),
  mime: z.string(),
  sizeBytes: z.number().int(),
  isImage: z.boolean(),
  createdAt: z.string(),
});
export type ActivityFile = z.infer<typeof ActivityFileSchema>;

const UnitRefSchema = z.object({ id: IdSchema, name: z.string() });

export const ActivitySchema = z.object({
  id: IdSchema,
  title: z.string(),
  organiser: UnitRefSchema,
  coorganisers: z.array(UnitRefSchema),
  jurisdictionId: IdSchema,
  jurisdictionName: z.string(),
  place: z.string(),
  longitude: z.number().nullable(),
  latitude: z.number().nullable(),
  startDate: z.string(),
  endDate: z.string(),
  year: z.number().int(),
  theme: z.string().nullable(),
  campaign: z.string().nullable(),
  populations: z.array(PopulationGroupSchema),
  mode: ActivityModeSchema,
  participants: z.number().int(),
  countingMethod: z.string().nullable(),
  summary: z.string().nullable(),
  /** Joint activity reported by another unit first: counted there, not here. */
  duplicateOf: z.object({ id: IdSchema, organiserName: z.string(), title: z.string() }).nullable(),
  /** How many other units' reports of the same activity point to this one. */
  duplicateCount: z.number().int(),
  version: RowVersionSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  isDemo: z.boolean(),
  can: z.object({ edit: z.boolean() }),
});
export type Activity = z.infer<typeof ActivitySchema>;

export const ActivityDetailSchema = ActivitySchema.extend({ files: z.array(ActivityFileSchema) });
export type ActivityDetail = z.infer<typeof ActivityDetailSchema>;

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ActivityListQuerySchema = PageQuerySchema.extend({
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  /** The subtree to list (default: the reader's own jurisdiction). */
  jurisdictionId: IdSchema.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  from: CalendarDateSchema.optional(),
  to: CalendarDateSchema.optional(),
  campaign: ActivityCampaignSchema.optional(),
  /** Organised or co-organised by this unit. */
  unitId: IdSchema.optional(),
  q: z.string().trim().max(100).optional(),
  includeDuplicates: booleanQuery.default(true),
});
export type ActivityListQuery = z.infer<typeof ActivityListQuerySchema>;

/** The list's filters, every page, as xlsx or csv. */
export const ActivityExportQuerySchema = ActivityListQuerySchema.omit({ page: true, pageSize: true }).extend({
  format: ExportFormatSchema.default('xlsx'),
});

export const ActivityPageSchema = pageOf(ActivitySchema);
export type ActivityPage = z.infer<typeof ActivityPageSchema>;

export const ActivityFileParamsSchema = z.object({ id: IdSchema, fileId: IdSchema });

/** An upcoming activity as the public sees it: no units' contact data, no counting details. */
export const PublicActivitySchema = z.object({
  id: IdSchema,
  title: z.string(),
  organiserName: z.string(),
  jurisdictionId: IdSchema,
  jurisdictionName: z.string(),
  place: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  theme: z.string().nullable(),
  campaign: z.string().nullable(),
  mode: ActivityModeSchema,
  populations: z.array(PopulationGroupSchema),
  summary: z.string().nullable(),
});
export type PublicActivity = z.infer<typeof PublicActivitySchema>;

export const PublicActivityQuerySchema = z.object({
  jurisdictionId: IdSchema.optional(),
  from: CalendarDateSchema.optional(),
  to: CalendarDateSchema.optional(),
});
export type PublicActivityQuery = z.infer<typeof PublicActivityQuerySchema>;

export const PublicCalendarSchema = z.object({
  /** Today in the installation's time zone: nothing ending before it is listed. */
  today: z.string(),
  jurisdictions: z.array(z.object({ id: IdSchema, name: z.string(), parentId: IdSchema.nullable() })),
  items: z.array(PublicActivitySchema),
  /** More activities than the list carries: narrow the dates. */
  truncated: z.boolean(),
});
export type PublicCalendar = z.infer<typeof PublicCalendarSchema>;

export const COVERAGE_STATUSES = ['ok', 'below', 'missing_population'] as const;
export const CoverageStatusSchema = z.enum(COVERAGE_STATUSES);
export type CoverageStatus = z.infer<typeof CoverageStatusSchema>;
export const COVERAGE_STATUS_LABELS: Record<CoverageStatus, string> = {
  ok: '已达 80%',
  below: '未达 80%',
  missing_population: '缺少常住人口数据',
};

export const CoverageRowSchema = z.object({
  jurisdictionId: IdSchema,
  name: z.string(),
  /** Σ participants of counted activities held in the jurisdiction's subtree in the year (人次). */
  personTimes: z.number(),
  activities: z.number().int(),
  residents: z.number().nullable(),
  populationSource: z.string().nullable(),
  /** personTimes ÷ residents (0.85 = 85%); null when residents are missing. */
  coverage: z.number().nullable(),
  status: CoverageStatusSchema,
});
export type CoverageRow = z.infer<typeof CoverageRowSchema>;

export const CoverageQuerySchema = z.object({
  jurisdictionId: IdSchema.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
export type CoverageQuery = z.infer<typeof CoverageQuerySchema>;

export const CoverageSchema = z.object({
  year: z.number().int(),
  target: z.number(),
  caveat: z.string(),
  rows: z.array(CoverageRowSchema),
  total: CoverageRowSchema,
});
export type Coverage = z.infer<typeof CoverageSchema>;

/**
 * The key joint activities are matched by: start date | place | title, each normalised (NFKC, spaces and punctuation
 * dropped, lower-case), so "2026-09-20|徐州市科技馆|全国科普日主场活动" matches however the units typed it.
 */
export function activityDedupeKey(startDate: string, place: string, title: string): string {
  return `${startDate}|${normaliseForDedupe(place)}|${normaliseForDedupe(title)}`;
}

export function normaliseForDedupe(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\p{P}\p{S}]/gu, '')
    .toLowerCase();
}
