import { z } from 'zod';
import { IdSchema, pageOf, PageQuerySchema, RowVersionSchema } from './common';
import { UnitKindSchema } from './enums';

const NameSchema = z.string().trim().min(1, '不能为空').max(100, '最多 100 个字符');

/** 行政区划代码: six digits. */
export const RegionCodeSchema = z.string().regex(/^\d{6}$/, '行政区划代码应为 6 位数字');

export const UnitSchema = z.object({
  id: IdSchema,
  kind: UnitKindSchema,
  name: z.string(),
  shortName: z.string(),
  aliases: z.array(z.string()),
  regionCode: z.string().nullable(),
  /** The jurisdiction whose plan the unit works in (a county's bureau: its county). */
  jurisdictionId: IdSchema.nullable(),
  isActive: z.boolean(),
  sortOrder: z.number().int(),
  version: RowVersionSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Unit = z.infer<typeof UnitSchema>;

export const UnitCreateSchema = z.object({
  kind: UnitKindSchema,
  name: NameSchema,
  shortName: NameSchema,
  aliases: z.array(NameSchema).max(50).default([]),
  regionCode: RegionCodeSchema.nullable().default(null),
  sortOrder: z.number().int().min(0).max(100000).default(1000),
  /** Default: the jurisdiction of the admin creating it. */
  jurisdictionId: IdSchema.nullable().default(null),
});
export type UnitCreate = z.infer<typeof UnitCreateSchema>;

/** Update carries the version read, for optimistic concurrency. */
export const UnitUpdateSchema = UnitCreateSchema.partial().extend({
  version: RowVersionSchema,
  isActive: z.boolean().optional(),
});
export type UnitUpdate = z.infer<typeof UnitUpdateSchema>;

/** Merge `sourceId` into the unit in the path: every reference follows, the source's names become aliases. */
export const UnitMergeSchema = z.object({ sourceId: IdSchema });
export type UnitMerge = z.infer<typeof UnitMergeSchema>;

export const UnitListQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  kind: UnitKindSchema.optional(),
  active: z.enum(['true', 'false', 'all']).default('true'),
  /** Only the units of this jurisdiction (default: every unit of the reader's jurisdiction and below). */
  jurisdictionId: IdSchema.optional(),
});
export type UnitListQuery = z.infer<typeof UnitListQuerySchema>;

export const UnitPageSchema = pageOf(UnitSchema);

export const UnitResolveQuerySchema = z.object({ name: z.string().trim().min(1).max(200) });
export const UnitResolveResultSchema = z.object({ unit: UnitSchema.nullable(), normalized: z.string() });
