import { z } from 'zod';
import { IdSchema, RowVersionSchema } from './common';

/**
 * 科普经费 (issue 13): per jurisdiction and year, budgeted and spent by source (元), and the per-resident standard the
 * admin sets (元/人). Residents come from the population margins (常住人口); a level without them has no per-resident
 * figure (null, "缺少常住人口数据"), never 0.
 */
export const FUNDING_SOURCES = ['本级财政预算', '上级转移支付', '社会资金', '其他'] as const;
export const FundingSourceSchema = z.enum(FUNDING_SOURCES, {
  message: '经费来源应为本级财政预算、上级转移支付、社会资金或其他',
});
export type FundingSource = z.infer<typeof FundingSourceSchema>;

/** The wording shown instead of a per-resident figure when residents are missing. */
export const FUNDING_MISSING_RESIDENTS = '缺少常住人口数据';
/** The wording shown when a level recorded no 科普经费 for the year (not 0 元/人: nothing was reported). */
export const FUNDING_NOT_RECORDED = '尚未填报经费';

/** 元, ≥ 0, at most two decimals (分), below 10^12. */
export const YuanSchema = z
  .number({ message: '金额应为数字（元）' })
  .finite('金额应为数字（元）')
  .min(0, '金额不能为负数')
  .max(999_999_999_999, '金额过大')
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, '金额最多保留两位小数（元）');

export const FundingYearSchema = z.coerce
  .number()
  .int('年份应为整数')
  .min(2000, '年份应在 2000—2100 之间')
  .max(2100, '年份应在 2000—2100 之间');

export const FundingQuerySchema = z.object({ jurisdictionId: IdSchema, year: FundingYearSchema });
export type FundingQuery = z.infer<typeof FundingQuerySchema>;

export const FundingRowSchema = z.object({
  source: FundingSourceSchema,
  budgeted: z.number(),
  spent: z.number().nullable(),
  note: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type FundingRow = z.infer<typeof FundingRowSchema>;

/** One level's figures of the year (the jurisdiction itself, or one of its children). */
export const FundingSummarySchema = z.object({
  jurisdictionId: IdSchema,
  name: z.string(),
  budgeted: z.number(),
  spent: z.number().nullable(),
  residents: z.number().nullable(),
  residentsYear: z.number().int().nullable(),
  /** 元/人 budgeted per resident; null when residents are missing. */
  perResident: z.number().nullable(),
  /** The standard (元/人) in force for this level: its own, else the nearest ancestor's. */
  standard: z.number().nullable(),
  /** null when there is no standard or no per-resident figure. */
  meetsStandard: z.boolean().nullable(),
  /** Why the per-resident figure is missing ("缺少常住人口数据", "尚未填报经费"), else null. */
  missing: z.string().nullable(),
});
export type FundingSummary = z.infer<typeof FundingSummarySchema>;

export const FundingViewSchema = z.object({
  jurisdictionId: IdSchema,
  jurisdictionName: z.string(),
  year: z.number().int(),
  rows: z.array(FundingRowSchema),
  own: FundingSummarySchema,
  /** The children's figures (empty for a level without children). */
  children: z.array(FundingSummarySchema),
  /** The standard set on this level itself for the year (null: none, the inherited one shows in own.standard). */
  ownStandard: z.number().nullable(),
  canEdit: z.boolean(),
  canSetStandard: z.boolean(),
});
export type FundingView = z.infer<typeof FundingViewSchema>;

export const FundingRowInputSchema = z
  .object({
    source: FundingSourceSchema,
    budgeted: YuanSchema,
    spent: YuanSchema.nullable(),
    note: z.string().trim().max(200, '备注不超过 200 字').nullable(),
    /** The row's version when it exists (optimistic concurrency); omitted for a new row. */
    version: RowVersionSchema.optional(),
  })
  .strict();
export type FundingRowInput = z.infer<typeof FundingRowInputSchema>;

export const FundingInputSchema = z
  .object({
    jurisdictionId: IdSchema,
    year: FundingYearSchema,
    rows: z
      .array(FundingRowInputSchema)
      .min(1, '请至少填写一项经费')
      .max(FUNDING_SOURCES.length)
      .refine((rows) => new Set(rows.map((r) => r.source)).size === rows.length, '同一经费来源只能填写一行'),
  })
  .strict();
export type FundingInput = z.infer<typeof FundingInputSchema>;

export const FundingStandardInputSchema = z
  .object({
    jurisdictionId: IdSchema,
    year: FundingYearSchema,
    perResident: z
      .number({ message: '标准应为数字（元/人）' })
      .finite()
      .min(0, '标准不能为负数')
      .max(10_000, '标准过大')
      .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, '标准最多保留两位小数（元/人）'),
  })
  .strict();
export type FundingStandardInput = z.infer<typeof FundingStandardInputSchema>;

export const FundingExportQuerySchema = FundingQuerySchema.extend({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});
