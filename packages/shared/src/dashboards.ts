import { z } from 'zod';
import { CalendarDateSchema, IdSchema } from './common';
import { PopulationGroupSchema } from './plans';
import { CHECK_LIGHTS, ReportStateSchema } from './reporting';

/** "YYYY-MM-DD". */

const LightSchema = z.enum(CHECK_LIGHTS);

export const LightCountsSchema = z.object({
  green: z.number().int(),
  yellow: z.number().int(),
  red: z.number().int(),
  no_data: z.number().int(),
});
export type LightCounts = z.infer<typeof LightCountsSchema>;

/** The lights by colour, as the indicator page and exports name them. */
export const LIGHT_NAMES: Record<(typeof CHECK_LIGHTS)[number], string> = {
  green: '绿灯',
  yellow: '黄灯',
  red: '红灯',
  no_data: '无数据',
};

/** What each light means, as the dashboard says it. */
export const LIGHT_LABELS: Record<(typeof CHECK_LIGHTS)[number], string> = {
  green: '正常',
  yellow: '滞后',
  red: '严重滞后',
  no_data: '无数据',
};

/**
 * Where a unit's report on one task stands against the cycle's late date (due date + grace days), judged by its
 * first submission: on_time · late (submitted after the late date) · missing (past the late date, never submitted)
 * · pending (not yet submitted, not yet late).
 */
export const TIMELINESS = ['on_time', 'late', 'missing', 'pending'] as const;
export const TimelinessSchema = z.enum(TIMELINESS);
export type Timeliness = z.infer<typeof TimelinessSchema>;
export const TIMELINESS_LABELS: Record<Timeliness, string> = {
  on_time: '按时报送',
  late: '逾期报送',
  missing: '未报送',
  pending: '未到期',
};

/** Which overview: a cycle (as of its period end), else a plan's latest cycle, else the latest cycle of any plan. */
export const OverviewQuerySchema = z.object({
  planId: IdSchema.optional(),
  cycleId: IdSchema.optional(),
  asOf: CalendarDateSchema.optional(),
});
export type OverviewQuery = z.infer<typeof OverviewQuerySchema>;

/**
 * What a number drills into (GET /api/v1/dashboards/drill): `kind` names the chart, `key` the bar or cell.
 * group: key = group task id · population: key = population group · status: key = light · unit: key = unit id,
 * part = timeliness (or all) · county: key = indicator id, part = county id · indicator: key = indicator id ·
 * overall: every indicator.
 */
export const DRILL_KINDS = [
  'overall',
  'group',
  'population',
  'status',
  'unit',
  'county',
  'indicator',
] as const;
export const DrillKindSchema = z.enum(DRILL_KINDS);
export type DrillKind = z.infer<typeof DrillKindSchema>;

export const DrillQuerySchema = OverviewQuerySchema.extend({
  kind: DrillKindSchema,
  key: z.string().max(100).default(''),
  part: z.string().max(100).optional(),
});
export type DrillQuery = z.infer<typeof DrillQuerySchema>;

export const GroupProgressSchema = z.object({
  taskId: IdSchema,
  path: z.string(),
  title: z.string(),
  /** A key-population 行动 or a 工程. */
  populationGroup: PopulationGroupSchema.nullable(),
  /** Rolled-up completion 0..1 of the group's indicators; null = no data (never 0). */
  progress: z.number().nullable(),
  counts: LightCountsSchema,
  indicatorCount: z.number().int(),
  explanation: z.string(),
});
export type GroupProgress = z.infer<typeof GroupProgressSchema>;

export const PopulationProgressSchema = z.object({
  group: PopulationGroupSchema,
  label: z.string(),
  taskIds: z.array(IdSchema),
  progress: z.number().nullable(),
  counts: LightCountsSchema,
  indicatorCount: z.number().int(),
  explanation: z.string(),
});
export type PopulationProgress = z.infer<typeof PopulationProgressSchema>;

export const UnitTimelinessSchema = z.object({
  unitId: IdSchema,
  unitName: z.string(),
  /** Tasks the unit is assigned to (lead or co) in the cycle's plan version: reports expected. */
  expected: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  missing: z.number().int(),
  pending: z.number().int(),
  /** onTime / (expected − pending); null when nothing is due yet. */
  onTimeRate: z.number().nullable(),
});
export type UnitTimeliness = z.infer<typeof UnitTimelinessSchema>;

export const CountyCellSchema = z.object({
  countyId: IdSchema,
  actual: z.number().nullable(),
  status: LightSchema,
});
export const CountyIndicatorSchema = z.object({
  indicatorId: IdSchema,
  taskPath: z.string(),
  text: z.string(),
  kind: z.string(),
  unit: z.string(),
  target: z.number(),
  cells: z.array(CountyCellSchema),
});
export type CountyIndicator = z.infer<typeof CountyIndicatorSchema>;

export const CountyComparisonSchema = z.object({
  counties: z.array(z.object({ id: IdSchema, name: z.string(), counts: LightCountsSchema })),
  indicators: z.array(CountyIndicatorSchema),
});
export type CountyComparison = z.infer<typeof CountyComparisonSchema>;

/**
 * One jurisdiction below the plan's (a county of a city, a city of a province), judged on its own plan: completion,
 * reporting on time in its latest cycle, its lights, and where the upper plan breaks down by county, its coverage
 * and literacy rate. Ranked by completion (ties: on-time rate); a level without a plan or without data is unranked.
 */
export const ChildJurisdictionRowSchema = z.object({
  jurisdictionId: IdSchema,
  name: z.string(),
  level: z.string(),
  /** The unit that stands for it in the upper plan (督办 to the county is addressed to it). */
  governmentUnitId: IdSchema.nullable(),
  /** Its light: its own plan's overall light (the roll-up of its indicators); no_data without a plan or data. */
  status: LightSchema,
  planId: IdSchema.nullable(),
  planTitle: z.string().nullable(),
  cycleId: IdSchema.nullable(),
  cycleName: z.string().nullable(),
  progress: z.number().nullable(),
  onTimeRate: z.number().nullable(),
  reportsExpected: z.number().int(),
  counts: LightCountsSchema,
  indicatorTotal: z.number().int(),
  /** The upper plan's coverage indicator (share of residents) for this jurisdiction, in percent; null: no data. */
  coverage: z.number().nullable(),
  /** The upper plan's literacy-rate indicator for this jurisdiction (a survey domain), in percent; null: none. */
  literacy: z.number().nullable(),
  rank: z.number().int().nullable(),
});
export type ChildJurisdictionRow = z.infer<typeof ChildJurisdictionRowSchema>;

export const ChildComparisonSchema = z.object({
  rows: z.array(ChildJurisdictionRowSchema),
  /** The ranking method, in words, shown under the table. */
  method: z.string(),
  coverageIndicator: z.string().nullable(),
  literacyIndicator: z.string().nullable(),
});
export type ChildComparison = z.infer<typeof ChildComparisonSchema>;

export const OverviewSummarySchema = z.object({
  /** The whole plan's rolled-up completion; null = no data. */
  overallProgress: z.number().nullable(),
  /** What it is the mean of: indicators with data (each weighing the same), and those left out for want of data. */
  overallCounted: z.number().int(),
  overallWithoutData: z.number().int(),
  indicatorTotal: z.number().int(),
  counts: LightCountsSchema,
  reportsExpected: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  missing: z.number().int(),
  pending: z.number().int(),
  onTimeRate: z.number().nullable(),
  /** Red indicators, plan order, at most 5. */
  redIndicators: z.array(z.object({ indicatorId: IdSchema, taskPath: z.string(), text: z.string() })),
  /** Units with the most missing or late reports, at most 5. */
  laggingUnits: z.array(
    z.object({ unitId: IdSchema, unitName: z.string(), missing: z.number().int(), late: z.number().int() }),
  ),
});
export type OverviewSummary = z.infer<typeof OverviewSummarySchema>;

export const OverviewSchema = z.object({
  planId: IdSchema,
  /** The level whose plan this is (its office publishes it); absent in snapshots published before levels. */
  jurisdictionId: IdSchema.nullable().optional(),
  planTitle: z.string(),
  versionId: IdSchema,
  cycle: z
    .object({
      id: IdSchema,
      name: z.string(),
      periodStart: z.string(),
      periodEnd: z.string(),
      dueDate: z.string(),
      lateAfter: z.string(),
      state: z.string(),
    })
    .nullable(),
  /** Indicators are evaluated as of this date (the cycle's period end). */
  asOf: z.string(),
  /** Timeliness is judged on this day (UTC). */
  today: z.string(),
  generatedAt: z.string(),
  summary: OverviewSummarySchema,
  groups: z.array(GroupProgressSchema),
  populations: z.array(PopulationProgressSchema),
  counts: LightCountsSchema,
  units: z.array(UnitTimelinessSchema),
  counties: CountyComparisonSchema,
  /** The levels below the plan's, each on its own plan (absent in snapshots published before it existed). */
  children: ChildComparisonSchema.optional(),
});
export type Overview = z.infer<typeof OverviewSchema>;

export const DrillIndicatorSchema = z.object({
  indicatorId: IdSchema,
  taskPath: z.string(),
  text: z.string(),
  status: LightSchema,
  actual: z.number().nullable(),
  target: z.number(),
  unit: z.string(),
  explanation: z.string(),
});
export const DrillReportSchema = z.object({
  unitId: IdSchema,
  unitName: z.string(),
  taskId: IdSchema,
  taskPath: z.string(),
  taskTitle: z.string(),
  cycleId: IdSchema,
  cycleName: z.string(),
  /** null: no report was opened (a missing report). */
  reportId: IdSchema.nullable(),
  state: ReportStateSchema.nullable(),
  firstSubmittedAt: z.string().nullable(),
  timeliness: TimelinessSchema.nullable(),
});
export type DrillReport = z.infer<typeof DrillReportSchema>;
export const DrillSchema = z.object({
  title: z.string(),
  description: z.string(),
  indicators: z.array(DrillIndicatorSchema),
  reports: z.array(DrillReportSchema),
  /** Reports behind the number that this user may not open (other units' reports, for a reporter). */
  hiddenCount: z.number().int(),
});
export type Drill = z.infer<typeof DrillSchema>;

// ── published snapshots ───────────────────────────────────────────────────────────────────────────────────

export const SnapshotPublishSchema = z.object({ cycleId: IdSchema });

export const SnapshotSummarySchema = z.object({
  id: IdSchema,
  planId: IdSchema,
  planTitle: z.string(),
  cycleId: IdSchema,
  cycleName: z.string(),
  periodEnd: z.string(),
  isPublished: z.boolean(),
  publishedAt: z.string(),
  publishedBy: z.string().nullable(),
  unpublishedAt: z.string().nullable(),
  unpublishedBy: z.string().nullable(),
});
export type SnapshotSummary = z.infer<typeof SnapshotSummarySchema>;
export const SnapshotListQuerySchema = z.object({ cycleId: IdSchema.optional() });
export const SnapshotListSchema = z.object({ items: z.array(SnapshotSummarySchema) });

/** What the public sees: no user names, the overview as frozen at publication. */
export const PublicSnapshotSummarySchema = z.object({
  id: IdSchema,
  /** The level whose plan it shows (徐州市, 丰县 …): each level has its public page. */
  jurisdictionId: IdSchema.nullable(),
  jurisdictionName: z.string().nullable(),
  /** 0 for the top level of the installation, 1 for the levels below it … (the public page opens the top). */
  jurisdictionDepth: z.number().int().nullable(),
  planTitle: z.string(),
  cycleId: IdSchema,
  cycleName: z.string(),
  periodEnd: z.string(),
  publishedAt: z.string(),
});
export type PublicSnapshotSummary = z.infer<typeof PublicSnapshotSummarySchema>;
export const PublicSnapshotListSchema = z.object({ items: z.array(PublicSnapshotSummarySchema) });
export const PublicSnapshotQuerySchema = z.object({ jurisdictionId: IdSchema.optional() });
export const PublicSnapshotSchema = PublicSnapshotSummarySchema.extend({ overview: OverviewSchema });
export type PublicSnapshot = z.infer<typeof PublicSnapshotSchema>;
