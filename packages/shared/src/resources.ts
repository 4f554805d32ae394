import { z } from 'zod';

/**
 * Science-popularization resources (issue 13): the registry kinds, their levels and classes, and the registry query
 * an indicator can be bound to. Field-by-field definitions of each kind live in `registries.ts`.
 */
export const RESOURCE_KINDS = [
  'science_base',
  'demo_school',
  'stem_base',
  'youth_studio',
  'science_museum',
  'museum_visit',
  'expert_team',
  'chief_expert',
  'training',
  'competition',
  'volunteer_team',
  'volunteer',
] as const;
export const ResourceKindSchema = z.enum(RESOURCE_KINDS);
export type ResourceKind = z.infer<typeof ResourceKindSchema>;
export const RESOURCE_KIND_LABELS: Record<ResourceKind, string> = {
  science_base: '科普教育基地',
  demo_school: '科学教育综合示范学校',
  stem_base: 'STEM创新实践基地',
  youth_studio: '青少年科学工作室',
  science_museum: '科技馆',
  museum_visit: '流动科技馆/科普大篷车巡展',
  expert_team: '科技传播专家服务团',
  chief_expert: '首席科技传播专家',
  training: '培训',
  competition: '竞赛',
  volunteer_team: '科技志愿服务队',
  volunteer: '科技志愿者',
};

export const RESOURCE_LEVELS = ['国家级', '省级', '市级', '县级'] as const;
export const ResourceLevelSchema = z.enum(RESOURCE_LEVELS);
export type ResourceLevel = z.infer<typeof ResourceLevelSchema>;

/** Classes of trainings (the plan's 科技辅导员, 高素质农民, 技能人才 targets). */
export const TRAINING_CATEGORIES = [
  '科技辅导员',
  '高素质农民',
  '现代农业经营主体带头人',
  '技能劳动者',
  '高技能人才',
  '领导干部和公务员',
  '其他',
] as const;

/** Campaigns an activity may belong to. */
export const ACTIVITY_CAMPAIGNS = [
  '全国科普日',
  '科技活动周',
  '文化科技卫生“三下乡”',
  '全国科技工作者日',
  '科普进社区',
  '其他',
] as const;

/** How an activity is held. */
export const ACTIVITY_MODES = ['offline', 'online', 'both'] as const;
export const ActivityModeSchema = z.enum(ACTIVITY_MODES);
export const ACTIVITY_MODE_LABELS: Record<(typeof ACTIVITY_MODES)[number], string> = {
  offline: '线下',
  online: '线上',
  both: '线上线下结合',
};

/** The caveat beside every coverage figure. */
export const COVERAGE_CAVEAT = '覆盖面按活动参与人次计算，同一居民多次参加会重复计入，并非覆盖的人数。';

/**
 * What an indicator bound to the registries measures:
 * - count: records of `kind` (optionally at `levels`, of `categories`) in force on the date — recognised on or
 *   before it (and, with `recognisedFrom`, on or after that day: 新评定), not expired, not withdrawn;
 * - sum_quantity: trainees/entrants/visitors of records of `kind` held in the year (an annual indicator);
 * - count_in_year: records of `kind` held in the year (competitions: 场次);
 * - activity_person_times: person-times of 科普活动 held in the year, joint activities once, by county (a
 *   population-share indicator divides them by the county's residents);
 * - funding_per_resident: 科普经费 budgeted in the year per resident (元/人).
 */
export const REGISTRY_MEASURES = [
  'count',
  'sum_quantity',
  'count_in_year',
  'activity_person_times',
  'funding_per_resident',
] as const;
export const RegistryMeasureSchema = z.enum(REGISTRY_MEASURES);
export type RegistryMeasure = z.infer<typeof RegistryMeasureSchema>;
export const REGISTRY_MEASURE_LABELS: Record<RegistryMeasure, string> = {
  count: '截至当日在册数量',
  sum_quantity: '当年人数合计',
  count_in_year: '当年场次',
  activity_person_times: '当年科普活动参与人次（按县区）',
  funding_per_resident: '当年人均科普经费（元/人）',
};

export const RegistryQuerySchema = z
  .object({
    measure: RegistryMeasureSchema,
    kind: ResourceKindSchema.optional(),
    levels: z.array(ResourceLevelSchema).max(4).optional(),
    categories: z.array(z.string().min(1).max(40)).max(10).optional(),
    /** count only: recognised on or after this day (新评定 within the plan period). */
    recognisedFrom: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    const needsKind = q.measure === 'count' || q.measure === 'sum_quantity' || q.measure === 'count_in_year';
    if (needsKind && !q.kind) ctx.addIssue({ code: 'custom', path: ['kind'], message: '请选择资源类别' });
    if (!needsKind && q.kind)
      ctx.addIssue({ code: 'custom', path: ['kind'], message: '该统计口径不按资源类别统计' });
  });
export type RegistryQuery = z.infer<typeof RegistryQuerySchema>;

/** A query in words, e.g. "省级 科学教育综合示范学校 截至当日在册数量". */
export function describeRegistryQuery(q: RegistryQuery): string {
  const parts: string[] = [];
  if (q.levels?.length) parts.push(q.levels.join('、'));
  if (q.categories?.length) parts.push(q.categories.join('、'));
  if (q.kind) parts.push(RESOURCE_KIND_LABELS[q.kind]);
  if (q.recognisedFrom) parts.push(`${q.recognisedFrom} 起新认定`);
  parts.push(REGISTRY_MEASURE_LABELS[q.measure]);
  return parts.join(' ');
}

/**
 * The registry query a plan's countable target is bound to out of the box, from its text and kind, or null when the
 * registries hold nothing that measures it. `planStart` (the plan's 印发 date) bounds 新评定/新认定 counts.
 * Checked on the Xuzhou plan's targets in resources.test.ts.
 */
export function proposeRegistryQuery(
  target: { text: string; kind: string },
  planStart?: string | null,
): RegistryQuery | null {
  const t = target.text.replace(/\s+/g, '');
  const from = planStart && /新评定|新认定|新建|新创建/.test(t) ? { recognisedFrom: planStart } : {};
  if (target.kind === 'population_share') {
    return /科普活动/.test(t) && /覆盖/.test(t) ? { measure: 'activity_person_times' } : null;
  }
  if (target.kind === 'annual') {
    const training = (categories: string[]): RegistryQuery => ({
      measure: 'sum_quantity',
      kind: 'training',
      categories,
    });
    if (/科技辅导员/.test(t)) return training(['科技辅导员']);
    if (/经营主体带头人/.test(t)) return training(['现代农业经营主体带头人']);
    if (/高素质农民/.test(t)) return training(['高素质农民', '现代农业经营主体带头人']);
    if (/高技能人才/.test(t)) return training(['高技能人才']);
    if (/技能劳动者/.test(t)) return training(['技能劳动者']);
    if (/竞赛/.test(t)) {
      const level = RESOURCE_LEVELS.find((l) => t.includes(l));
      return { measure: 'count_in_year', kind: 'competition', ...(level ? { levels: [level] } : {}) };
    }
    return null;
  }
  if (target.kind !== 'cumulative') return null;
  const levels = RESOURCE_LEVELS.filter((l) => t.includes(l));
  const at = levels.length > 0 ? { levels: [...levels] } : {};
  const count = (kind: ResourceKind): RegistryQuery => ({ measure: 'count', kind, ...at, ...from });
  if (/科学教育综合示范学校/.test(t)) return count('demo_school');
  if (/STEM|科学、技术、工程和数学教育/.test(t) && /基地/.test(t)) return count('stem_base');
  if (/青少年科学工作室/.test(t)) return count('youth_studio');
  if (/专家服务团/.test(t)) return count('expert_team');
  if (/首席科技传播专家/.test(t)) return count('chief_expert');
  if (/科普教育基地/.test(t)) return count('science_base');
  if (/科技馆/.test(t) && !/流动/.test(t)) return count('science_museum');
  if (/志愿服务队/.test(t)) return count('volunteer_team');
  if (/科技志愿者/.test(t)) return count('volunteer');
  return null;
}

/** An indicator's registry binding, as the plan page shows and edits it. */
export const IndicatorBindingSchema = z.object({
  indicatorId: z.string(),
  indicatorText: z.string(),
  indicatorKind: z.string(),
  /** null: typed into reports. */
  query: RegistryQuerySchema.nullable(),
  description: z.string().nullable(),
  /** What kesu would bind it to from its text (null: nothing in the registries measures it). */
  proposed: RegistryQuerySchema.nullable(),
  /** Whether the signed-in user may change it (the admin of the plan's level). */
  canEdit: z.boolean(),
});
export type IndicatorBinding = z.infer<typeof IndicatorBindingSchema>;

export const IndicatorBindingInputSchema = z.object({ query: RegistryQuerySchema.nullable() }).strict();
export type IndicatorBindingInput = z.infer<typeof IndicatorBindingInputSchema>;

/** Which registry measures fit an indicator kind (a count by a deadline, a yearly count, a population share). */
export function measuresForKind(kind: string): RegistryMeasure[] {
  if (kind === 'cumulative') return ['count', 'funding_per_resident'];
  if (kind === 'annual') return ['sum_quantity', 'count_in_year', 'funding_per_resident'];
  if (kind === 'population_share') return ['activity_person_times'];
  return [];
}
