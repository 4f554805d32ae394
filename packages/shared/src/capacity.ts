import { z } from 'zod';
import { IdSchema, RowVersionSchema } from './common';
import { RESOURCE_KIND_LABELS, RESOURCE_LEVELS, type ResourceKind, ResourceKindSchema } from './resources';

/**
 * 科学素质建设能力监测评估 (capacity index, issue 14): per jurisdiction and year its admin configures dimensions and
 * indicators (weight, direction, source, per 万人 or not); kesu computes each child county's index, ranks and the
 * sensitivity of the ranks to the dimension weights, and publishes the result with its weights and method.
 */

export const CapacityYearSchema = z.coerce
  .number()
  .int('年份应为整数')
  .min(2000, '年份应在 2000—2100 之间')
  .max(2100, '年份应在 2000—2100 之间');

export const CAPACITY_SCALINGS = ['minmax', 'zscore'] as const;
export const CapacityScalingSchema = z.enum(CAPACITY_SCALINGS, { message: '标准化方法应为极差或 Z 分数' });
export type CapacityScaling = z.infer<typeof CapacityScalingSchema>;
export const CAPACITY_SCALING_LABELS: Record<CapacityScaling, string> = {
  minmax: '极差标准化（0—100）',
  zscore: 'Z 分数标准化',
};

export const CapacityDirectionSchema = z.enum(['higher', 'lower'], { message: '方向应为越高越好或越低越好' });
export type CapacityDirection = z.infer<typeof CapacityDirectionSchema>;

/** Where an indicator's raw value of a county comes from. */
export const CapacitySourceSchema = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        /** Records of a registry kind in force at the as-of day (volunteers, experts, bases …), by level/category. */
        kind: z.literal('registry'),
        resourceKind: ResourceKindSchema,
        levels: z.array(z.enum(RESOURCE_LEVELS)).max(RESOURCE_LEVELS.length).default([]),
        categories: z.array(z.string().trim().min(1).max(40)).max(10).default([]),
      })
      .strict(),
    /** 科普经费 budgeted per resident (元/人) of the year (funding module). */
    z.object({ kind: z.literal('funding_per_resident') }).strict(),
    /** Person-times of the year's counted 科普活动 (joint ones once). */
    z.object({ kind: z.literal('activity_person_times') }).strict(),
    /** A value the admin enters per county (传媒 items kesu does not hold, the literacy rate of a county survey …). */
    z.object({ kind: z.literal('manual') }).strict(),
  ],
  { message: '数据来源无效' },
);
export type CapacitySource = z.infer<typeof CapacitySourceSchema>;
export type CapacitySourceKind = CapacitySource['kind'];
export const CAPACITY_SOURCE_LABELS: Record<CapacitySourceKind, string> = {
  registry: '资源库在册数量',
  funding_per_resident: '人均科普经费（元/人）',
  activity_person_times: '科普活动参与人次',
  manual: '手工录入',
};

/** The source in words: "资源库：科普教育基地（省级、国家级）", "手工录入" … */
export function describeCapacitySource(s: CapacitySource): string {
  if (s.kind !== 'registry') return CAPACITY_SOURCE_LABELS[s.kind];
  const filters = [...s.levels, ...s.categories];
  return `资源库：${RESOURCE_KIND_LABELS[s.resourceKind]}${filters.length ? `（${filters.join('、')}）` : ''}`;
}

const KeySchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '编号只能由字母、数字、下划线或短横线组成');
const WeightSchema = z
  .number({ message: '权重应为数字' })
  .finite('权重应为数字')
  .gt(0, '权重应大于 0')
  .max(1000, '权重不超过 1000');

export const CapacityIndicatorSchema = z
  .object({
    key: KeySchema,
    name: z.string().trim().min(1, '请填写指标名称').max(60, '指标名称不超过 60 字'),
    unit: z.string().trim().max(20, '单位不超过 20 字').default(''),
    weight: WeightSchema,
    direction: CapacityDirectionSchema,
    /** Divide by the county's residents in 万人 (per 10,000 residents). */
    perResident: z.boolean(),
    source: CapacitySourceSchema,
  })
  .strict();
export type CapacityIndicator = z.infer<typeof CapacityIndicatorSchema>;

export const CapacityDimensionSchema = z
  .object({
    key: KeySchema,
    name: z.string().trim().min(1, '请填写维度名称').max(30, '维度名称不超过 30 字'),
    weight: WeightSchema,
    indicators: z
      .array(CapacityIndicatorSchema)
      .min(1, '每个维度至少一项指标')
      .max(20, '每个维度至多 20 项指标'),
  })
  .strict();
export type CapacityDimension = z.infer<typeof CapacityDimensionSchema>;

export const CapacityManualValueSchema = z
  .object({
    indicatorKey: KeySchema,
    jurisdictionId: IdSchema,
    value: z.number({ message: '录入值应为数字' }).finite('录入值应为数字').min(-1e12).max(1e12),
  })
  .strict();
export type CapacityManualValue = z.infer<typeof CapacityManualValueSchema>;

const CapacityConfigFields = {
  scaling: CapacityScalingSchema,
  dimensions: z.array(CapacityDimensionSchema).min(1, '至少一个维度').max(12, '至多 12 个维度'),
  manualValues: z.array(CapacityManualValueSchema).max(5000, '录入值过多').default([]),
};

/** Keys unique; manual values only for manual indicators, once per (indicator, county). */
function checkConfig(
  c: { dimensions: CapacityDimension[]; manualValues: CapacityManualValue[] },
  ctx: z.RefinementCtx,
): void {
  const dims = new Set<string>();
  const inds = new Map<string, CapacityIndicator>();
  for (const d of c.dimensions) {
    if (dims.has(d.key))
      ctx.addIssue({ code: 'custom', message: `维度编号“${d.key}”重复`, path: ['dimensions'] });
    dims.add(d.key);
    for (const i of d.indicators) {
      if (inds.has(i.key))
        ctx.addIssue({ code: 'custom', message: `指标编号“${i.key}”重复`, path: ['dimensions'] });
      inds.set(i.key, i);
    }
  }
  const seen = new Set<string>();
  for (const m of c.manualValues) {
    const i = inds.get(m.indicatorKey);
    if (i?.source.kind !== 'manual')
      ctx.addIssue({
        code: 'custom',
        message: `“${m.indicatorKey}”不是手工录入的指标`,
        path: ['manualValues'],
      });
    const k = `${m.indicatorKey}|${m.jurisdictionId}`;
    if (seen.has(k))
      ctx.addIssue({ code: 'custom', message: '同一指标同一县区只能录入一个值', path: ['manualValues'] });
    seen.add(k);
  }
}

export const CapacityConfigInputSchema = z
  .object({
    jurisdictionId: IdSchema,
    year: CapacityYearSchema,
    ...CapacityConfigFields,
    /** The stored configuration's version (optimistic concurrency); omitted for the first save. */
    version: RowVersionSchema.optional(),
  })
  .strict()
  .superRefine(checkConfig);
export type CapacityConfigInput = z.infer<typeof CapacityConfigInputSchema>;

export const CapacityQuerySchema = z.object({ jurisdictionId: IdSchema, year: CapacityYearSchema });
export type CapacityQuery = z.infer<typeof CapacityQuerySchema>;

export const CapacityCountySchema = z.object({ id: IdSchema, name: z.string() });

export const CapacityConfigViewSchema = z.object({
  jurisdictionId: IdSchema,
  jurisdictionName: z.string(),
  year: z.number().int(),
  scaling: CapacityScalingSchema,
  dimensions: z.array(CapacityDimensionSchema),
  manualValues: z.array(CapacityManualValueSchema),
  /** null: nothing saved yet for the year (the default configuration is shown). */
  version: z.number().int().nullable(),
  isDefault: z.boolean(),
  /** The previous year has a saved configuration to copy. */
  hasPrevious: z.boolean(),
  /** The counties scored: the jurisdiction's children. */
  counties: z.array(CapacityCountySchema),
  canEdit: z.boolean(),
});
export type CapacityConfigView = z.infer<typeof CapacityConfigViewSchema>;

/** The default configuration of a new year: the plan's six dimensions, equal weights. */
export function defaultCapacityDimensions(): CapacityDimension[] {
  const reg = (key: string, name: string, kind: ResourceKind, unit: string): CapacityIndicator => ({
    key,
    name,
    unit,
    weight: 1,
    direction: 'higher',
    perResident: true,
    source: { kind: 'registry', resourceKind: kind, levels: [], categories: [] },
  });
  const manual = (key: string, name: string, unit: string, perResident: boolean): CapacityIndicator => ({
    key,
    name,
    unit,
    weight: 1,
    direction: 'higher',
    perResident,
    source: { kind: 'manual' },
  });
  return [
    {
      key: 'people',
      name: '科普人员',
      weight: 1,
      indicators: [
        reg('volunteers', '科技志愿者', 'volunteer', '人'),
        reg('experts', '首席科技传播专家', 'chief_expert', '人'),
      ],
    },
    {
      key: 'venues',
      name: '科普场地',
      weight: 1,
      indicators: [
        reg('bases', '科普教育基地', 'science_base', '个'),
        reg('museums', '科技馆', 'science_museum', '个'),
      ],
    },
    {
      key: 'funding',
      name: '科普经费',
      weight: 1,
      indicators: [
        {
          key: 'funding_per_resident',
          name: '人均科普经费',
          unit: '元/人',
          weight: 1,
          direction: 'higher',
          perResident: false,
          source: { kind: 'funding_per_resident' },
        },
      ],
    },
    {
      key: 'media',
      name: '科普传媒',
      weight: 1,
      indicators: [manual('media_items', '科普传媒作品与栏目', '个', true)],
    },
    {
      key: 'activities',
      name: '科普活动',
      weight: 1,
      indicators: [
        {
          key: 'person_times',
          name: '科普活动参与人次',
          unit: '人次',
          weight: 1,
          direction: 'higher',
          perResident: true,
          source: { kind: 'activity_person_times' },
        },
      ],
    },
    {
      key: 'literacy',
      name: '公民科学素质水平',
      weight: 1,
      indicators: [manual('literacy_rate', '公民具备科学素质的比例', '%', false)],
    },
  ];
}

export const CapacityCopyInputSchema = z
  .object({ jurisdictionId: IdSchema, year: CapacityYearSchema })
  .strict();
export const CapacityComputeInputSchema = CapacityCopyInputSchema;

/** An indicator as the result shows it: normalised weight within its dimension, source in words with its as-of day. */
export const CapacityResultIndicatorSchema = z.object({
  key: z.string(),
  name: z.string(),
  unit: z.string(),
  weight: z.number(),
  direction: CapacityDirectionSchema,
  perResident: z.boolean(),
  source: z.string(),
  asOf: z.string(),
});

export const CapacityResultDimensionSchema = z.object({
  key: z.string(),
  name: z.string(),
  /** Normalised: the dimensions' weights sum to 1. */
  weight: z.number(),
  indicators: z.array(CapacityResultIndicatorSchema),
});

export const CapacityCountyScoreSchema = z.object({
  id: z.string(),
  name: z.string(),
  residents: z.number().nullable(),
  indicators: z.array(
    z.object({
      key: z.string(),
      raw: z.number().nullable(),
      value: z.number().nullable(),
      scaled: z.number().nullable(),
      missing: z.string().nullable(),
    }),
  ),
  dimensions: z.record(z.string(), z.number().nullable()),
  index: z.number().nullable(),
  rank: z.number().int().nullable(),
  incomplete: z.boolean(),
});
export type CapacityCountyScore = z.infer<typeof CapacityCountyScoreSchema>;

export const CapacitySensitivitySchema = z.object({
  scenarios: z.array(
    z.object({
      dimensionKey: z.string(),
      dimensionName: z.string(),
      change: z.number(),
      weights: z.record(z.string(), z.number()),
      ranks: z.record(z.string(), z.number().int().nullable()),
      top: z.array(z.string()),
      changesTop: z.boolean(),
    }),
  ),
  rankRange: z.record(
    z.string(),
    z.object({ best: z.number().int().nullable(), worst: z.number().int().nullable() }),
  ),
});
export type CapacitySensitivity = z.infer<typeof CapacitySensitivitySchema>;

export const CapacityResultSchema = z.object({
  id: IdSchema,
  jurisdictionId: IdSchema,
  jurisdictionName: z.string(),
  year: z.number().int(),
  scaling: CapacityScalingSchema,
  computedAt: z.string(),
  /** The day the inputs are read as of (the year's end, or the computing day in the current year). */
  asOf: z.string(),
  isPublished: z.boolean(),
  publishedAt: z.string().nullable(),
  dimensions: z.array(CapacityResultDimensionSchema),
  counties: z.array(CapacityCountyScoreSchema),
  sensitivity: CapacitySensitivitySchema,
  method: z.string(),
});
export type CapacityResult = z.infer<typeof CapacityResultSchema>;

export const CapacityResultsViewSchema = z.object({
  /** The newest computed result of the year (null: never computed). */
  latest: CapacityResultSchema.nullable(),
  /** The published result (null: none published). */
  published: CapacityResultSchema.nullable(),
  canEdit: z.boolean(),
});
export type CapacityResultsView = z.infer<typeof CapacityResultsViewSchema>;

export const PublicCapacityQuerySchema = z.object({
  jurisdictionId: IdSchema.optional(),
  year: CapacityYearSchema.optional(),
});
export const PublicCapacitySchema = z.object({
  /** Every published result (level and year), newest year first. */
  available: z.array(
    z.object({ jurisdictionId: IdSchema, jurisdictionName: z.string(), year: z.number().int() }),
  ),
  /** The asked one, else the newest; null when nothing is published. */
  result: CapacityResultSchema.nullable(),
});
export type PublicCapacity = z.infer<typeof PublicCapacitySchema>;
