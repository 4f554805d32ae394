import { z } from 'zod';
import { CalendarDateSchema, IdSchema } from './common';
import { ResourceKindSchema, ResourceLevelSchema } from './resources';

/**
 * 年度考核 (issue 14): a rubric per jurisdiction, year and audience — the level's own units (the responsible units of
 * its plan) or its counties (child jurisdictions). Each item has points and a rule computed from data kesu holds; every
 * computed score carries a Chinese sentence with its figures and as-of date. Lifecycle: draft → computed (appeal
 * window) → frozen (ranked, immutable) → published (optional; the public sees only this).
 */
export const ASSESSMENT_AUDIENCES = ['units', 'counties'] as const;
export const AssessmentAudienceSchema = z.enum(ASSESSMENT_AUDIENCES, {
  message: '考核对象应为本级单位或下级县区',
});
export type AssessmentAudience = z.infer<typeof AssessmentAudienceSchema>;
export const ASSESSMENT_AUDIENCE_LABELS: Record<AssessmentAudience, string> = {
  units: '本级责任单位',
  counties: '下级县（市、区）',
};

export const ASSESSMENT_STATES = ['draft', 'computed', 'frozen'] as const;
export type AssessmentState = (typeof ASSESSMENT_STATES)[number];
export const ASSESSMENT_STATE_LABELS: Record<AssessmentState, string> = {
  draft: '编制中',
  computed: '已计算',
  frozen: '已定稿',
};

export const ASSESSMENT_RULE_KINDS = [
  'evidence',
  'indicator_threshold',
  'proportional',
  'deduction',
  'bonus',
  'veto',
] as const;
export type AssessmentRuleKind = (typeof ASSESSMENT_RULE_KINDS)[number];
export const ASSESSMENT_RULE_LABELS: Record<AssessmentRuleKind, string> = {
  evidence: '是否完成（凭佐证）',
  indicator_threshold: '指标达标',
  proportional: '按完成比例计分',
  deduction: '扣分项',
  bonus: '加分项',
  veto: '一票否决',
};

/** Events a deduction item counts, each in the assessed year. */
export const ASSESSMENT_DEDUCTION_EVENTS = ['late_report', 'returned_report', 'overdue_notice'] as const;
export const ASSESSMENT_DEDUCTION_EVENT_LABELS: Record<(typeof ASSESSMENT_DEDUCTION_EVENTS)[number], string> =
  {
    late_report: '逾期报告',
    returned_report: '退回报告',
    overdue_notice: '逾期督办',
  };

/** Where a bonus comes from. */
export const ASSESSMENT_BONUS_SOURCES = ['registry', 'coverage', 'funding', 'manual'] as const;
export const ASSESSMENT_BONUS_SOURCE_LABELS: Record<(typeof ASSESSMENT_BONUS_SOURCES)[number], string> = {
  registry: '资源库新认定记录',
  coverage: '科普活动覆盖面',
  funding: '人均科普经费',
  manual: '人工认定',
};

const PointsSchema = z
  .number({ message: '分值应为数字' })
  .finite('分值应为数字')
  .min(0, '分值不能为负数')
  .max(1000, '分值过大')
  .refine((v) => Math.abs(Math.round(v * 10) - v * 10) < 1e-9, '分值最多保留一位小数');

export const AssessmentRuleSchema = z.discriminatedUnion('kind', [
  /** Yes/no with evidence: the admin marks met or not met; met → the item's points. */
  z.object({ kind: z.literal('evidence') }).strict(),
  /**
   * An indicator of the level's plan reaches `threshold` % of its target (completion by the progress module). For
   * counties: the county's figure of the indicator; for units: only the unit leading the indicator's task is judged.
   * `partial`: below the threshold, points × completion ÷ threshold instead of 0.
   */
  z
    .object({
      kind: z.literal('indicator_threshold'),
      indicatorId: IdSchema,
      threshold: z.number().min(1, '达标线应在 1%—100% 之间').max(100, '达标线应在 1%—100% 之间'),
      partial: z.boolean(),
    })
    .strict(),
  /** 按比例扣分: points × completion (the county's own plan; a unit's: the tasks it leads), within [0, points]. */
  z.object({ kind: z.literal('proportional') }).strict(),
  /** `perEvent` points deducted per event of the year, at most the item's points. */
  z
    .object({
      kind: z.literal('deduction'),
      events: z.array(z.enum(ASSESSMENT_DEDUCTION_EVENTS)).min(1, '请选择扣分事项').max(3),
      perEvent: PointsSchema.refine((v) => v > 0, '每次扣分应大于 0'),
    })
    .strict(),
  /**
   * 加分 up to the item's points: per registry record recognised in the year (kind, levels) in the subject's place,
   * or points when coverage (%) or funding per resident (元/人) reaches `threshold`, or set by the admin (manual).
   */
  z
    .object({
      kind: z.literal('bonus'),
      source: z.enum(ASSESSMENT_BONUS_SOURCES),
      perRecord: PointsSchema.optional(),
      registryKind: ResourceKindSchema.optional(),
      levels: z.array(ResourceLevelSchema).max(4).optional(),
      threshold: z.number().min(0).max(1_000_000).optional(),
    })
    .strict()
    .superRefine((r, ctx) => {
      if (r.source === 'registry' && (!r.registryKind || !r.perRecord))
        ctx.addIssue({
          code: 'custom',
          path: ['registryKind'],
          message: '资源库加分须选择资源类别和每条加分',
        });
      if ((r.source === 'coverage' || r.source === 'funding') && r.threshold === undefined)
        ctx.addIssue({ code: 'custom', path: ['threshold'], message: '请填写达标线' });
    }),
  /** 一票否决: a red 督办 not closed by the year's end, or the admin's finding (manual, with a reason). */
  z.object({ kind: z.literal('veto'), condition: z.enum(['red_notice_open', 'manual']) }).strict(),
]);
export type AssessmentRule = z.infer<typeof AssessmentRuleSchema>;

export const AssessmentYearSchema = z.coerce
  .number()
  .int('年份应为整数')
  .min(2000, '年份应在 2000—2100 之间')
  .max(2100, '年份应在 2000—2100 之间');

export const AssessmentItemInputSchema = z
  .object({
    title: z.string().trim().min(1, '请填写考核项目').max(100, '考核项目最多 100 字'),
    /** Max points; for a deduction the most deducted; for a veto 0. */
    points: PointsSchema,
    rule: AssessmentRuleSchema,
  })
  .strict();
export type AssessmentItemInput = z.infer<typeof AssessmentItemInputSchema>;

export const AssessmentRubricCreateSchema = z
  .object({
    year: AssessmentYearSchema,
    audience: AssessmentAudienceSchema,
    title: z.string().trim().min(1, '请填写考核名称').max(100, '考核名称最多 100 字'),
    items: z.array(AssessmentItemInputSchema).max(50, '最多 50 个考核项目').default([]),
  })
  .strict();
export type AssessmentRubricCreate = z.infer<typeof AssessmentRubricCreateSchema>;

export const AssessmentRubricUpdateSchema = z
  .object({
    title: z.string().trim().min(1, '请填写考核名称').max(100, '考核名称最多 100 字'),
    items: z.array(AssessmentItemInputSchema).max(50, '最多 50 个考核项目'),
    version: z.number().int(),
  })
  .strict();
export type AssessmentRubricUpdate = z.infer<typeof AssessmentRubricUpdateSchema>;

export const AssessmentCopySchema = z.object({ year: AssessmentYearSchema }).strict();

export const AssessmentWindowSchema = z
  .object({ appealStart: CalendarDateSchema, appealEnd: CalendarDateSchema, version: z.number().int() })
  .strict()
  .refine((w) => w.appealStart <= w.appealEnd, { message: '申诉截止日不能早于开始日', path: ['appealEnd'] });
export type AssessmentWindow = z.infer<typeof AssessmentWindowSchema>;

export const AssessmentVersionSchema = z.object({ version: z.number().int() }).strict();

export const AssessmentListQuerySchema = z.object({
  year: AssessmentYearSchema.optional(),
  audience: AssessmentAudienceSchema.optional(),
});

export const AssessmentItemSchema = z.object({
  id: IdSchema,
  title: z.string(),
  points: z.number(),
  rule: AssessmentRuleSchema,
  ruleText: z.string(),
  sortOrder: z.number().int(),
});
export type AssessmentItem = z.infer<typeof AssessmentItemSchema>;

export const AssessmentRubricSchema = z.object({
  id: IdSchema,
  jurisdictionId: IdSchema,
  jurisdictionName: z.string(),
  year: z.number().int(),
  audience: AssessmentAudienceSchema,
  title: z.string(),
  state: z.enum(ASSESSMENT_STATES),
  /** Sum of the points of scored items (not bonus, deduction or veto): what grades are measured against. */
  basePoints: z.number(),
  appealStart: z.string().nullable(),
  appealEnd: z.string().nullable(),
  computedAt: z.string().nullable(),
  asOf: z.string().nullable(),
  frozenAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  openAppeals: z.number().int(),
  items: z.array(AssessmentItemSchema),
  canManage: z.boolean(),
  version: z.number().int(),
});
export type AssessmentRubric = z.infer<typeof AssessmentRubricSchema>;

export const AssessmentRubricListSchema = z.object({ items: z.array(AssessmentRubricSchema) });

export const ASSESSMENT_GRADES = ['优秀', '良好', '合格', '不合格'] as const;
export type AssessmentGrade = (typeof ASSESSMENT_GRADES)[number];
/** Grades by total ÷ base points: ≥ 90% 优秀, ≥ 75% 良好, ≥ 60% 合格, else 不合格; a veto is 不合格. */
export function gradeOf(total: number, basePoints: number, vetoed: boolean): AssessmentGrade {
  if (vetoed) return '不合格';
  const share = basePoints > 0 ? total / basePoints : 0;
  if (share >= 0.9) return '优秀';
  if (share >= 0.75) return '良好';
  if (share >= 0.6) return '合格';
  return '不合格';
}

export const AssessmentFileSchema = z.object({
  id: IdSchema,
  fileName: z.string().nullable(),
  note: z.string().nullable(),
  link: z.string().nullable(),
  createdAt: z.string(),
});
export type AssessmentFile = z.infer<typeof AssessmentFileSchema>;

export const AssessmentAppealSchema = z.object({
  id: IdSchema,
  itemId: IdSchema,
  itemTitle: z.string(),
  subjectId: IdSchema,
  subjectName: z.string(),
  text: z.string(),
  state: z.enum(['open', 'accepted', 'rejected']),
  answer: z.string().nullable(),
  answeredScore: z.number().nullable(),
  answeredAt: z.string().nullable(),
  createdAt: z.string(),
  files: z.array(AssessmentFileSchema),
});
export type AssessmentAppeal = z.infer<typeof AssessmentAppealSchema>;

export const AssessmentItemScoreSchema = z.object({
  itemId: IdSchema,
  /** What the rule gives (null before computing). */
  computed: z.number().nullable(),
  explanation: z.string(),
  overrideScore: z.number().nullable(),
  overrideReason: z.string().nullable(),
  /** The score that counts: the override when set, else the computed one. */
  score: z.number().nullable(),
  /** evidence / manual veto: the admin's finding (null: not yet judged). */
  met: z.boolean().nullable(),
  evidence: z.array(AssessmentFileSchema),
});
export type AssessmentItemScore = z.infer<typeof AssessmentItemScoreSchema>;

export const AssessmentSubjectResultSchema = z.object({
  subjectKind: z.enum(['unit', 'jurisdiction']),
  subjectId: IdSchema,
  subjectName: z.string(),
  total: z.number().nullable(),
  grade: z.enum(ASSESSMENT_GRADES).nullable(),
  rank: z.number().int().nullable(),
  vetoed: z.boolean(),
  vetoReason: z.string().nullable(),
  items: z.array(AssessmentItemScoreSchema),
  appeals: z.array(AssessmentAppealSchema),
});
export type AssessmentSubjectResult = z.infer<typeof AssessmentSubjectResultSchema>;

export const AssessmentResultsSchema = z.object({
  rubric: AssessmentRubricSchema,
  /** Whether subjects may appeal today (within the window, computed, not frozen). */
  appealOpen: z.boolean(),
  subjects: z.array(AssessmentSubjectResultSchema),
});
export type AssessmentResults = z.infer<typeof AssessmentResultsSchema>;

export const AssessmentOverrideSchema = z
  .object({
    subjectId: IdSchema,
    /** null removes the override. */
    score: z.number().finite().min(-1000).max(1000).nullable(),
    reason: z.string().trim().min(1, '调整分数须填写理由').max(500, '理由最多 500 字'),
  })
  .strict();
export type AssessmentOverride = z.infer<typeof AssessmentOverrideSchema>;

export const AssessmentMarkSchema = z
  .object({
    subjectId: IdSchema,
    met: z.boolean(),
    note: z.string().trim().max(500, '说明最多 500 字').default(''),
  })
  .strict();
export type AssessmentMark = z.infer<typeof AssessmentMarkSchema>;

export const AssessmentEvidenceNoteSchema = z
  .object({
    subjectId: IdSchema,
    note: z.string().trim().max(500, '说明最多 500 字').default(''),
    link: z
      .string()
      .trim()
      .max(500)
      .regex(/^https?:\/\/\S+$/, '链接须以 http:// 或 https:// 开头')
      .nullable()
      .default(null),
  })
  .strict()
  .refine((e) => e.note !== '' || e.link !== null, { message: '请填写说明或链接', path: ['note'] });
export type AssessmentEvidenceNote = z.infer<typeof AssessmentEvidenceNoteSchema>;

export const AssessmentAppealCreateSchema = z
  .object({
    subjectId: IdSchema,
    text: z.string().trim().min(1, '请填写申诉理由').max(2000, '申诉理由最多 2000 字'),
  })
  .strict();
export type AssessmentAppealCreate = z.infer<typeof AssessmentAppealCreateSchema>;

export const AssessmentAnswerSchema = z
  .object({
    decision: z.enum(['accept', 'reject']),
    answer: z.string().trim().min(1, '请填写答复').max(2000, '答复最多 2000 字'),
    /** accept: the item's new score (an override with the answer as its reason). */
    score: z.number().finite().min(-1000).max(1000).nullable().default(null),
  })
  .strict()
  .refine((a) => a.decision === 'reject' || a.score !== null, {
    message: '采纳申诉须给出调整后的分数',
    path: ['score'],
  });
export type AssessmentAnswer = z.infer<typeof AssessmentAnswerSchema>;

/** What a subject (a unit's user, a county's admin) sees: the rubrics it is assessed in, its own result only. */
export const MyAssessmentsSchema = z.object({
  items: z.array(
    z.object({
      rubric: AssessmentRubricSchema,
      appealOpen: z.boolean(),
      result: AssessmentSubjectResultSchema,
    }),
  ),
});
export type MyAssessments = z.infer<typeof MyAssessmentsSchema>;

/** A frozen, published ranking as the public reads it. */
export const PublicAssessmentSchema = z.object({
  id: IdSchema,
  jurisdictionName: z.string(),
  year: z.number().int(),
  audience: AssessmentAudienceSchema,
  title: z.string(),
  frozenAt: z.string(),
  publishedAt: z.string(),
  rows: z.array(
    z.object({
      subjectName: z.string(),
      total: z.number(),
      grade: z.enum(ASSESSMENT_GRADES),
      rank: z.number().int(),
      vetoed: z.boolean(),
    }),
  ),
});
export type PublicAssessment = z.infer<typeof PublicAssessmentSchema>;
export const PublicAssessmentListSchema = z.object({ items: z.array(PublicAssessmentSchema) });
