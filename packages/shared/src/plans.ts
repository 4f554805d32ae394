import { z } from 'zod';
import { CalendarDateSchema, IdSchema, pageOf, PageQuerySchema, RowVersionSchema } from './common';
import { UnitKindSchema } from './enums';

/** "YYYY-MM-DD". */
const TitleSchema = z.string().trim().min(1, '标题不能为空').max(500, '标题最多 500 个字符');

/** Largest number of tasks one plan version may hold (a 5 MB document of repeated plans stays below it). */
export const PLAN_MAX_TASKS = 20000;

/** A target's comparator: "以上/不少于" → ">=", "约" → "≈", "不超过" → "<=". */
export const COMPARATORS = ['>=', '=', '≈', '<='] as const;
export const ComparatorSchema = z.enum(COMPARATORS);
export type Comparator = z.infer<typeof ComparatorSchema>;
export const COMPARATOR_LABELS: Record<Comparator, string> = { '>=': '≥', '=': '=', '≈': '约', '<=': '≤' };

/** Whether a unit leads (牵头) or co-operates (配合) on a task. */
export const UNIT_ROLES = ['lead', 'co'] as const;
export const UnitRoleSchema = z.enum(UNIT_ROLES);
export type UnitRole = z.infer<typeof UnitRoleSchema>;
export const UNIT_ROLE_LABELS: Record<UnitRole, string> = { lead: '牵头', co: '配合' };

/**
 * What progress on an indicator means (docs/DOMAIN.md §3): a count reached by a deadline, a count each year, a share
 * of a county's resident population, or a rate estimated by the literacy survey.
 */
export const INDICATOR_KINDS = ['cumulative', 'annual', 'population_share', 'survey_rate'] as const;
export const IndicatorKindSchema = z.enum(INDICATOR_KINDS);
export type IndicatorKind = z.infer<typeof IndicatorKindSchema>;
export const INDICATOR_KIND_LABELS: Record<IndicatorKind, string> = {
  cumulative: '到期累计',
  annual: '年度',
  population_share: '人口覆盖率',
  survey_rate: '调查比例',
};

/** The five key populations of the plan's 行动 (docs/DOMAIN.md §7). */
export const POPULATION_GROUPS = ['youth', 'farmers', 'workers', 'elderly', 'officials'] as const;
export const PopulationGroupSchema = z.enum(POPULATION_GROUPS);
export type PopulationGroup = z.infer<typeof PopulationGroupSchema>;
export const POPULATION_GROUP_LABELS: Record<PopulationGroup, string> = {
  youth: '青少年',
  farmers: '农民',
  workers: '产业工人',
  elderly: '老年人',
  officials: '领导干部和公务员',
};

/** The key population a heading names ("实施农民科学素质提升行动" → farmers), or null. */
export function populationGroupOfTitle(title: string): PopulationGroup | null {
  if (title.includes('青少年')) return 'youth';
  if (title.includes('农民')) return 'farmers';
  if (title.includes('产业工人')) return 'workers';
  if (title.includes('老年人')) return 'elderly';
  if (title.includes('领导干部') || title.includes('公务员')) return 'officials';
  return null;
}

export const SpanSchema = z.object({ start: z.number().int().min(0), end: z.number().int().min(0) });
export type Span = z.infer<typeof SpanSchema>;

/** A target as the parser found it (and as the admin corrected it in the preview). */
export const DraftTargetSchema = z.object({
  text: z.string().max(2000),
  value: z.number().finite(),
  unit: z.string().max(20),
  comparator: ComparatorSchema,
  period: z.literal('year').nullable(),
  deadline: CalendarDateSchema.nullable(),
});
export type DraftTarget = z.infer<typeof DraftTargetSchema>;

export const DraftTaskUnitSchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: UnitRoleSchema,
});
export type DraftTaskUnit = z.infer<typeof DraftTaskUnitSchema>;

/** One numbered heading of the document, with what the parser found under it. */
export const DraftTaskSchema = z.object({
  path: z.string().min(1).max(60),
  label: z.string().max(20),
  kind: z.string().max(20),
  depth: z.number().int().min(1).max(10),
  title: TitleSchema,
  units: z.array(DraftTaskUnitSchema).max(100),
  targets: z.array(DraftTargetSchema).max(100),
  spans: z
    .object({
      heading: SpanSchema,
      body: SpanSchema,
      units: z.array(SpanSchema),
      targets: z.array(SpanSchema),
    })
    .nullable(),
});
export type DraftTask = z.infer<typeof DraftTaskSchema>;

/** A historical figure ("2020年达到11.7%"): becomes an indicator's baseline, never a target. */
export const DraftBaselineSchema = z.object({
  text: z.string().max(2000),
  value: z.number().finite(),
  unit: z.string().max(20),
  year: z.number().int(),
  path: z.string().nullable(),
});
export type DraftBaseline = z.infer<typeof DraftBaselineSchema>;

/** A parsed document ready to import: the parser's output, possibly corrected by the admin. */
export const PlanDraftSchema = z.object({
  title: z.string().max(500).nullable(),
  issuer: z.string().max(200).nullable(),
  docNumber: z.string().max(100).nullable(),
  date: CalendarDateSchema.nullable(),
  fileName: z.string().max(255).nullable(),
  /** The normalized text every span points into. */
  sourceText: z.string().max(12_000_000),
  tasks: z.array(DraftTaskSchema).min(1, '没有任何任务').max(PLAN_MAX_TASKS),
  baselines: z.array(DraftBaselineSchema).max(1000),
  warnings: z.array(z.string()).max(100),
});
export type PlanDraft = z.infer<typeof PlanDraftSchema>;

export const UnitRefSchema = z.object({
  id: IdSchema,
  name: z.string(),
  shortName: z.string(),
  kind: UnitKindSchema,
});
export type UnitRef = z.infer<typeof UnitRefSchema>;

/** How a unit name written in the document resolves against the registry; `unit` null = unknown. */
export const UnitMatchSchema = z.object({
  name: z.string(),
  unit: UnitRefSchema.nullable(),
  /** Paths of the tasks naming it. */
  paths: z.array(z.string()),
});
export type UnitMatch = z.infer<typeof UnitMatchSchema>;

export const PlanSummarySchema = z.object({
  id: IdSchema,
  /** The jurisdiction whose plan (or 实施方案) this is. */
  jurisdictionId: IdSchema.nullable(),
  title: z.string(),
  issuer: z.string().nullable(),
  docNumber: z.string().nullable(),
  latestVersionNumber: z.number().int(),
  publishedVersionId: IdSchema.nullable(),
  /** Made by the demo loader (an invented county 实施方案): tagged 演示数据, never shown to the public. */
  isDemo: z.boolean().optional(),
  version: RowVersionSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PlanSummary = z.infer<typeof PlanSummarySchema>;

/** What an uploaded plan document was read as (by its content). */
export const PLAN_DOCUMENT_FORMATS = ['text', 'docx', 'pdf', 'html', 'doc', 'wps'] as const;
export const PlanDocumentFormatSchema = z.enum(PLAN_DOCUMENT_FORMATS);
export type PlanDocumentFormat = z.infer<typeof PlanDocumentFormatSchema>;
export const PLAN_DOCUMENT_FORMAT_LABELS: Record<PlanDocumentFormat, string> = {
  text: '文本',
  docx: 'Word 文档',
  pdf: 'PDF',
  html: '网页',
  doc: '旧版 Word 文档（经 LibreOffice 转换）',
  wps: 'WPS 文档（经 LibreOffice 转换）',
};

/** A line or sentence of the document the admin should look at, and the task it stands under (null: none). */
export const ReviewLineSchema = z.object({ text: z.string(), path: z.string().nullable() });
export type ReviewLine = z.infer<typeof ReviewLineSchema>;

/**
 * What the parser read but did not take, for the admin to check before importing (the parse's own warnings are in
 * the draft; unknown units in `units`; tasks without units are computed from the draft as it is corrected, see
 * `tasksWithoutUnits`).
 */
export const PlanChecksSchema = z.object({
  /** Lines that look like headings but were not taken as tasks ("一.", "1)", a short title-like line). */
  headingLike: z.array(ReviewLineSchema),
  /** Sentences with figures that were taken neither as targets nor as baselines ("现有基地120家"). */
  untakenFigures: z.array(ReviewLineSchema),
});
export type PlanChecks = z.infer<typeof PlanChecksSchema>;

/**
 * Paths of the tasks the admin should give units: leaves with no units whose ancestors have none either, in a
 * top-level part where some task has units (so 指导思想 or 组织实施 parts without any are not listed).
 */
export function tasksWithoutUnits(
  tasks: ReadonlyArray<{ path: string; units: readonly unknown[] }>,
): string[] {
  const withUnits = new Set(tasks.filter((t) => t.units.length > 0).map((t) => t.path));
  const topsWithUnits = new Set([...withUnits].map((p) => p.split('.')[0]));
  const paths = tasks.map((t) => t.path);
  return tasks
    .filter((t) => {
      if (t.units.length > 0 || !topsWithUnits.has(t.path.split('.')[0])) return false;
      if (paths.some((p) => p.startsWith(`${t.path}.`))) return false;
      const parts = t.path.split('.');
      for (let i = 1; i < parts.length; i++) if (withUnits.has(parts.slice(0, i).join('.'))) return false;
      return true;
    })
    .map((t) => t.path);
}

/** What an uploaded document would become: the draft to correct, each unit name's match, plans it may revise. */
export const PlanPreviewSchema = z.object({
  draft: PlanDraftSchema,
  /** A plan whose latest version has exactly this text: importing it again changes nothing (refused). */
  identicalTo: z
    .object({ planId: IdSchema, planTitle: z.string(), versionNumber: z.number().int() })
    .nullable(),
  format: PlanDocumentFormatSchema,
  encoding: z.string(),
  checks: PlanChecksSchema,
  units: z.array(UnitMatchSchema),
  /** Existing plans with the same title or document number: importing into one makes its next version. */
  candidates: z.array(PlanSummarySchema),
});
export type PlanPreview = z.infer<typeof PlanPreviewSchema>;

/** The admin's answer for one unknown unit name: an existing unit, or a new one to create. */
export const UnitMappingSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    unitId: IdSchema.nullable().default(null),
    create: z
      .object({
        kind: UnitKindSchema,
        name: z.string().trim().min(1).max(100),
        shortName: z.string().trim().min(1).max(100),
      })
      .nullable()
      .default(null),
  })
  .refine((m) => (m.unitId === null) !== (m.create === null), '每个未知单位须选择已有单位或新建单位之一');
export type UnitMapping = z.infer<typeof UnitMappingSchema>;

export const PlanImportSchema = z.object({
  draft: PlanDraftSchema,
  /** Existing plan to revise (a new version), or null for a new plan. */
  planId: IdSchema.nullable().default(null),
  unitMappings: z.array(UnitMappingSchema).max(500).default([]),
  /** Create every still-unknown unit (kind department) instead of refusing the import. */
  createUnknownUnits: z.boolean().default(false),
  note: z.string().trim().max(500).default(''),
});
export type PlanImport = z.input<typeof PlanImportSchema>;
export type PlanImportInput = z.infer<typeof PlanImportSchema>;

export const PlanVersionSchema = z.object({
  id: IdSchema,
  planId: IdSchema,
  number: z.number().int(),
  title: z.string(),
  docNumber: z.string().nullable(),
  date: z.string().nullable(),
  fileName: z.string().nullable(),
  note: z.string(),
  taskCount: z.number().int(),
  indicatorCount: z.number().int(),
  isPublished: z.boolean(),
  publishedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type PlanVersion = z.infer<typeof PlanVersionSchema>;

export const PlanDetailSchema = PlanSummarySchema.extend({ versions: z.array(PlanVersionSchema) });
export type PlanDetail = z.infer<typeof PlanDetailSchema>;

export const PlanListQuerySchema = PageQuerySchema;
export const PlanPageSchema = pageOf(PlanSummarySchema);

export const TaskUnitSchema = z.object({
  /** The assignment's id. */
  id: IdSchema,
  unitId: IdSchema,
  unitName: z.string(),
  unitShortName: z.string(),
  unitKind: UnitKindSchema,
  role: UnitRoleSchema,
  /** The name as the document wrote it. */
  writtenName: z.string(),
});
export type TaskUnit = z.infer<typeof TaskUnitSchema>;

export const BreakdownItemSchema = z.object({
  unitId: IdSchema,
  unitName: z.string(),
  targetValue: z.number(),
});
export type BreakdownItem = z.infer<typeof BreakdownItemSchema>;

export const IndicatorSchema = z.object({
  id: IdSchema,
  taskId: IdSchema,
  kind: IndicatorKindSchema,
  text: z.string(),
  comparator: ComparatorSchema,
  targetValue: z.number(),
  unit: z.string(),
  period: z.literal('year').nullable(),
  deadline: z.string().nullable(),
  baselineValue: z.number().nullable(),
  baselineYear: z.number().int().nullable(),
  /** Progress is followed per county (e.g. "覆盖县域常住人口的80%"). */
  breakdownByCounty: z.boolean(),
  /** The registry query it is computed from, in words (issue 13); null: typed into reports. */
  computedFrom: z.string().nullable(),
  /** County targets when they differ from `targetValue`. */
  breakdown: z.array(BreakdownItemSchema),
  version: RowVersionSchema,
});
export type Indicator = z.infer<typeof IndicatorSchema>;

export const PlanTaskSchema = z.object({
  id: IdSchema,
  parentId: IdSchema.nullable(),
  path: z.string(),
  label: z.string(),
  kind: z.string(),
  depth: z.number().int(),
  title: z.string(),
  group: PopulationGroupSchema.nullable(),
  units: z.array(TaskUnitSchema),
  indicators: z.array(IndicatorSchema),
  version: RowVersionSchema,
});
export type PlanTask = z.infer<typeof PlanTaskSchema>;

export const PlanTreeQuerySchema = z.object({
  versionId: IdSchema.optional(),
  unitId: IdSchema.optional(),
  group: PopulationGroupSchema.optional(),
  countyId: IdSchema.optional(),
});
export type PlanTreeQuery = z.infer<typeof PlanTreeQuerySchema>;

/** A version's task tree in document order; filtered trees keep the ancestors of matching tasks. */
export const PlanTreeSchema = z.object({
  plan: PlanSummarySchema,
  version: PlanVersionSchema,
  tasks: z.array(PlanTaskSchema),
  /** Ids of the tasks that match the filter (all when unfiltered). */
  matchedIds: z.array(IdSchema),
});
export type PlanTree = z.infer<typeof PlanTreeSchema>;

export const TargetBriefSchema = DraftTargetSchema;

export const TaskBriefSchema = z.object({ path: z.string(), title: z.string() });

/** What changed from one version to the next. Tasks are paired by path and title (a renumbered task is "changed"). */
export const PlanDiffSchema = z.object({
  fromVersionId: IdSchema.nullable(),
  fromNumber: z.number().int().nullable(),
  toVersionId: IdSchema,
  toNumber: z.number().int(),
  tasksAdded: z.array(TaskBriefSchema),
  tasksRemoved: z.array(TaskBriefSchema),
  tasksChanged: z.array(
    z.object({
      path: z.string(),
      title: z.string(),
      fields: z.array(z.enum(['path', 'title', 'units'])),
      before: z.object({ path: z.string(), title: z.string(), units: z.array(z.string()) }),
      after: z.object({ path: z.string(), title: z.string(), units: z.array(z.string()) }),
    }),
  ),
  targetsChanged: z.array(
    z.object({
      path: z.string(),
      title: z.string(),
      before: z.array(TargetBriefSchema),
      after: z.array(TargetBriefSchema),
    }),
  ),
});
export type PlanDiff = z.infer<typeof PlanDiffSchema>;

export const PlanImportResultSchema = z.object({
  plan: PlanSummarySchema,
  version: PlanVersionSchema,
  diff: PlanDiffSchema.nullable(),
  unitsCreated: z.array(UnitRefSchema),
});
export type PlanImportResult = z.infer<typeof PlanImportResultSchema>;

export const PlanVersionParamsSchema = z.object({ id: IdSchema, versionId: IdSchema });

export const PlanPublishSchema = z.object({ versionId: IdSchema, version: RowVersionSchema });
export type PlanPublish = z.infer<typeof PlanPublishSchema>;

export const TaskUpdateSchema = z.object({
  title: TitleSchema.optional(),
  units: z
    .array(z.object({ unitId: IdSchema, role: UnitRoleSchema }))
    .max(100)
    .refine((us) => new Set(us.map((u) => u.unitId)).size === us.length, '同一单位不能重复')
    .optional(),
  version: RowVersionSchema,
});
export type TaskUpdate = z.infer<typeof TaskUpdateSchema>;

export const IndicatorUpdateSchema = z.object({
  kind: IndicatorKindSchema.optional(),
  text: z.string().trim().min(1).max(2000).optional(),
  comparator: ComparatorSchema.optional(),
  targetValue: z.number().finite().optional(),
  unit: z.string().trim().min(1).max(20).optional(),
  period: z.literal('year').nullable().optional(),
  deadline: CalendarDateSchema.nullable().optional(),
  baselineValue: z.number().finite().nullable().optional(),
  baselineYear: z.number().int().min(1949).max(2100).nullable().optional(),
  breakdownByCounty: z.boolean().optional(),
  breakdown: z
    .array(z.object({ unitId: IdSchema, targetValue: z.number().finite() }))
    .max(100)
    .optional(),
  version: RowVersionSchema,
});
export type IndicatorUpdate = z.infer<typeof IndicatorUpdateSchema>;

export const UnitTasksQuerySchema = PageQuerySchema.extend({ unitId: IdSchema.optional() });
export type UnitTasksQuery = z.infer<typeof UnitTasksQuerySchema>;

/** One task of a unit in the latest version of a plan ("our tasks"). */
export const UnitTaskRowSchema = z.object({
  planId: IdSchema,
  planTitle: z.string(),
  versionNumber: z.number().int(),
  role: UnitRoleSchema,
  task: PlanTaskSchema,
});
export type UnitTaskRow = z.infer<typeof UnitTaskRowSchema>;
export const UnitTaskPageSchema = pageOf(UnitTaskRowSchema).extend({ unit: UnitRefSchema });

/** A link from a county task to a city task it implements: proposed by kesu, or confirmed by the county admin. */
export const TaskLinkSchema = z.object({
  targetTaskId: IdSchema,
  targetPath: z.string(),
  targetTitle: z.string(),
  state: z.enum(['proposed', 'confirmed']),
  /** How alike the two tasks are, 0–100, and why (for a proposal). */
  score: z.number().int(),
  reasons: z.array(z.string()),
});
export type TaskLink = z.infer<typeof TaskLinkSchema>;

export const PlanLinkRowSchema = z.object({
  taskId: IdSchema,
  path: z.string(),
  title: z.string(),
  depth: z.number().int(),
  links: z.array(TaskLinkSchema),
});
export type PlanLinkRow = z.infer<typeof PlanLinkRowSchema>;

/** A county plan's tasks against the plan of the level above. */
export const PlanLinksSchema = z.object({
  planId: IdSchema,
  /** The plan of the jurisdiction above (its published version, else its newest); null at the top. */
  parentPlan: z.object({ id: IdSchema, title: z.string(), versionId: IdSchema }).nullable(),
  parentTasks: z.array(z.object({ id: IdSchema, path: z.string(), title: z.string() })),
  tasks: z.array(PlanLinkRowSchema),
  /** Tasks with a confirmed link, with a proposal only, and with neither (未对接). */
  confirmed: z.number().int(),
  proposed: z.number().int(),
  unlinked: z.number().int(),
});
export type PlanLinks = z.infer<typeof PlanLinksSchema>;

/** The city tasks a county task implements, as the county admin decides (empty: it implements none). */
export const TaskLinksUpdateSchema = z.object({ targetTaskIds: z.array(IdSchema).max(10) });
export type TaskLinksUpdate = z.infer<typeof TaskLinksUpdateSchema>;

/**
 * 分解下达: an indicator of the upper plan assigned to its counties. A count is split into quotas that add up to the
 * upper target; a share or rate is set the same for every county (e.g. 80% of each county's residents).
 */
export const AllocationInputSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('quota'),
    quotas: z
      .array(z.object({ jurisdictionId: IdSchema, targetValue: z.number().finite().min(0).max(1e12) }))
      .min(1)
      .max(500)
      .refine((qs) => new Set(qs.map((q) => q.jurisdictionId)).size === qs.length, '同一县区不能重复'),
  }),
  z.object({ mode: z.literal('rate'), rate: z.number().finite().min(0).max(100) }),
]);
export type AllocationInput = z.infer<typeof AllocationInputSchema>;

export const AllocationCountySchema = z.object({
  jurisdictionId: IdSchema,
  name: z.string(),
  /** Resident population of the latest year known (for quotas in proportion), with its year. */
  population: z.number().nullable(),
  populationYear: z.number().int().nullable(),
  /** The county's plan the task goes into (its newest); null: the county has no plan yet (the target is kept). */
  planId: IdSchema.nullable(),
  planTitle: z.string().nullable(),
  target: z.number().nullable(),
  countyTaskId: IdSchema.nullable(),
  countyIndicatorId: IdSchema.nullable(),
});
export type AllocationCounty = z.infer<typeof AllocationCountySchema>;

export const AllocationSchema = z.object({
  indicatorId: IdSchema,
  planId: IdSchema,
  taskPath: z.string(),
  taskTitle: z.string(),
  text: z.string(),
  kind: IndicatorKindSchema,
  unit: z.string(),
  target: z.number(),
  /** The mode the counties' targets take for this kind: quota for counts, rate for shares and rates. */
  mode: z.enum(['quota', 'rate']),
  /** Whether it has been assigned down, and when last. */
  allocatedAt: z.string().nullable(),
  counties: z.array(AllocationCountySchema),
  /** The sum of the quotas (count kinds), for the check against the target. */
  sum: z.number().nullable(),
});
export type Allocation = z.infer<typeof AllocationSchema>;
