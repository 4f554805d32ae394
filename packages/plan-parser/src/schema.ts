import { z } from 'zod';

/** How a target's value compares with what is achieved: "以上/不少于" → ">=", "约" → "≈", "不超过" → "<=". */
export const ComparatorSchema = z.enum(['>=', '=', '≈', '<=']);
/** A target's comparator. */
export type Comparator = z.infer<typeof ComparatorSchema>;

/** A half-open character range `[start, end)` in the plan's `sourceText` (UTF-16 offsets, as JS strings). */
export const SpanSchema = z.object({ start: z.number().int().min(0), end: z.number().int().min(0) });
/** A character range in `sourceText`. */
export type Span = z.infer<typeof SpanSchema>;

/**
 * One quantitative target, exactly the golden fields of docs/DOMAIN.md §6: `text` is the verbatim clause, `value`
 * is in base units (1.2万 → 12000), `period` is "year" for 每年/年均 targets, `deadline` is "YYYY-MM-DD".
 */
export const TargetSchema = z.object({
  text: z.string(),
  value: z.number(),
  unit: z.string(),
  comparator: ComparatorSchema,
  period: z.literal('year').nullable(),
  deadline: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
});
/** One quantitative target. */
export type Target = z.infer<typeof TargetSchema>;

/** Whether a unit leads (牵头) or co-operates (配合) on a task. */
export const UnitRoleSchema = z.enum(['lead', 'co']);
/** A unit's role. */
export type UnitRole = z.infer<typeof UnitRoleSchema>;

/** A responsible unit of a task with its role; same order as `units`. */
export const TaskUnitSchema = z.object({ name: z.string(), role: UnitRoleSchema });
/** A responsible unit with its role. */
export type TaskUnit = z.infer<typeof TaskUnitSchema>;

/** Heading level: 第一章 chapter · 第一节 section · 一、 part · (一) group · 1. task · (1) subtask · ① item. */
export const HeadingKindSchema = z.enum(['chapter', 'section', 'part', 'group', 'task', 'subtask', 'item']);
/** Heading level name. */
export type HeadingKind = z.infer<typeof HeadingKindSchema>;

/** Where a task's pieces sit in `sourceText`, for highlighting; `units` and `targets` align by index. */
export const TaskSpansSchema = z.object({
  heading: SpanSchema,
  body: SpanSchema,
  units: z.array(SpanSchema),
  targets: z.array(SpanSchema),
});
/** Source spans of a task. */
export type TaskSpans = z.infer<typeof TaskSpansSchema>;

/** A task exactly as in the golden file (docs/DOMAIN.md §6). */
export const PlanTaskSchema = z.object({
  path: z.string(),
  title: z.string(),
  units: z.array(z.string()),
  targets: z.array(TargetSchema),
});
/** A task in the golden shape. */
export type PlanTask = z.infer<typeof PlanTaskSchema>;

/** A task with the parser's extra fields: roles, heading level, printed label and source spans. */
export const ParsedTaskSchema = PlanTaskSchema.extend({
  unitRoles: z.array(TaskUnitSchema),
  kind: HeadingKindSchema,
  /** Depth in the tree, 1 = top level actually present in the document. */
  depth: z.number().int().min(1),
  /** The heading's number as printed: "三、", "(一)", "1.". */
  label: z.string(),
  spans: TaskSpansSchema,
});
/** A parsed task. */
export type ParsedTask = z.infer<typeof ParsedTaskSchema>;

/** A historical figure ("2020年达到11.7%"): a fact about the past, never a target. */
export const BaselineSchema = z.object({
  text: z.string(),
  value: z.number(),
  unit: z.string(),
  year: z.number().int(),
  /** Path of the task whose text states it; null when it is in the preamble. */
  path: z.string().nullable(),
  span: SpanSchema,
});
/** A historical figure. */
export type Baseline = z.infer<typeof BaselineSchema>;

/** The plan document exactly as the golden file (docs/DOMAIN.md §6). */
export const PlanDocumentSchema = z.object({
  title: z.string().nullable(),
  issuer: z.string().nullable(),
  docNumber: z.string().nullable(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
  tasks: z.array(PlanTaskSchema),
});
/** The plan in the golden shape. */
export type PlanDocument = z.infer<typeof PlanDocumentSchema>;

/** A piece of the text the admin should look at: a line or sentence, the task it is under, where it is. */
export const ReviewLineSchema = z.object({ text: z.string(), path: z.string().nullable(), span: SpanSchema });
/** A piece of text to check. */
export type ReviewLine = z.infer<typeof ReviewLineSchema>;

/** Everything `parsePlan` returns: the golden fields plus baselines, the normalized text and warnings. */
export const ParsedPlanSchema = PlanDocumentSchema.extend({
  tasks: z.array(ParsedTaskSchema),
  baselines: z.array(BaselineSchema),
  /** The normalized text all spans point into (see `normalizeText`). */
  sourceText: z.string(),
  /** Things a reviewer should check (duplicate paths, targets in the preamble …), in Chinese. */
  warnings: z.array(z.string()),
  /** What was read but not taken: lines that look like headings, sentences with figures that are not targets. */
  review: z.object({ headingLike: z.array(ReviewLineSchema), untakenFigures: z.array(ReviewLineSchema) }),
});
/** The parser's full output. */
export type ParsedPlan = z.infer<typeof ParsedPlanSchema>;
