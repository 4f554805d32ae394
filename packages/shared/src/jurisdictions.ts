import { z } from 'zod';
import { IdSchema, RowVersionSchema } from './common';
import { RegionCodeSchema } from './units';

/** Levels of the jurisdiction tree (行政区划): a province hosts cities, a city its counties and function zones. */
export const JURISDICTION_LEVELS = ['province', 'city', 'county', 'zone'] as const;
export const JurisdictionLevelSchema = z.enum(JURISDICTION_LEVELS);
export type JurisdictionLevel = z.infer<typeof JurisdictionLevelSchema>;
export const JURISDICTION_LEVEL_LABELS: Record<JurisdictionLevel, string> = {
  province: '省级',
  city: '市级',
  county: '县（市、区）',
  zone: '功能区',
};

export const JurisdictionSchema = z.object({
  id: IdSchema,
  code: z.string().nullable(),
  name: z.string(),
  shortName: z.string(),
  level: JurisdictionLevelSchema,
  parentId: IdSchema.nullable(),
  /** 0 for the root of the installation, 1 for its children … */
  depth: z.number().int(),
  /** The unit standing for it in the parent's plan (丰县人民政府 for 丰县). */
  governmentUnitId: IdSchema.nullable(),
  governmentUnitName: z.string().nullable(),
  /** Units and accounts that work in it. */
  unitCount: z.number().int(),
  userCount: z.number().int(),
  sortOrder: z.number().int(),
  version: RowVersionSchema,
  /** Its own bounding box in degrees (issue 13; null: its parent's applies), where its records' coordinates fall. */
  bounds: z
    .object({ minLng: z.number(), maxLng: z.number(), minLat: z.number(), maxLat: z.number() })
    .nullable()
    .optional(),
});
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

export const JurisdictionListSchema = z.object({ items: z.array(JurisdictionSchema) });
export type JurisdictionList = z.infer<typeof JurisdictionListSchema>;

const NameSchema = z.string().trim().min(1, '不能为空').max(50, '最多 50 个字符');

/** A child of a jurisdiction the admin works in (a city adds a county or a zone; a province a city). */
export const JurisdictionCreateSchema = z.object({
  parentId: IdSchema,
  code: RegionCodeSchema.nullable().default(null),
  name: NameSchema,
  shortName: NameSchema,
  level: JurisdictionLevelSchema,
  governmentUnitId: IdSchema.nullable().default(null),
  sortOrder: z.number().int().min(0).max(100000).default(1000),
});
export type JurisdictionCreate = z.infer<typeof JurisdictionCreateSchema>;

export const JurisdictionUpdateSchema = JurisdictionCreateSchema.omit({ parentId: true, level: true })
  .partial()
  .extend({ version: RowVersionSchema });
export type JurisdictionUpdate = z.infer<typeof JurisdictionUpdateSchema>;
