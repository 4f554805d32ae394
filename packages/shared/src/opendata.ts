import { z } from 'zod';
import { ERROR_MESSAGES } from './errors';

/**
 * 开放数据 (issue 14, item 5): every published figure as csv, xlsx and JSON at a stable URL,
 * `/api/v1/public/open-data/<jurisdiction>/<dataset>/<period>.<format>`, each with its as-of date and method.
 */
export const OPEN_DATA_FORMATS = ['csv', 'xlsx', 'json'] as const;
export const OpenDataFormatSchema = z.enum(OPEN_DATA_FORMATS);
export type OpenDataFormat = z.infer<typeof OpenDataFormatSchema>;
export const OPEN_DATA_FORMAT_LABELS: Record<OpenDataFormat, string> = {
  csv: 'CSV',
  xlsx: 'Excel',
  json: 'JSON',
};

/** The period alias that always answers the newest published period of a dataset. */
export const OPEN_DATA_LATEST = 'latest';

/** The licence every download carries (JSON field, xlsx 说明 sheet, the catalogue). */
export const OPEN_DATA_LICENCE =
  '开放数据：可免费复制、使用和再发布（含商业用途），须注明来源；数据按原样提供，以发布单位公布的正式文件为准。';

/** The kinds of cell a column holds: numbers are plain numbers (percentages as 0–100 with “%” in the label). */
export const OPEN_DATA_COLUMN_TYPES = ['text', 'number', 'integer', 'date'] as const;
export const OpenDataColumnTypeSchema = z.enum(OPEN_DATA_COLUMN_TYPES);
export type OpenDataColumnType = z.infer<typeof OpenDataColumnTypeSchema>;

export const OpenDataColumnSchema = z.object({
  /** Stable machine name (the JSON rows' keys). */
  key: z.string(),
  /** Chinese header (the csv and xlsx header row). */
  label: z.string(),
  type: OpenDataColumnTypeSchema,
});
export type OpenDataColumn = z.infer<typeof OpenDataColumnSchema>;

export type OpenDataCell = string | number | null;
export type OpenDataRow = Record<string, OpenDataCell>;

/** A dataset key, a jurisdiction key (its GB/T 2260 code, or its id when it has none) and a period key. */
const KeySchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z_-]{1,60}$/, '只能是字母、数字、- 和 _');

export const OpenDataFileParamsSchema = z.object({
  jurisdiction: KeySchema.describe('行政区划：国家行政区划代码（如 320300），无代码的功能区用其编号'),
  dataset: KeySchema.describe('数据集（见目录 GET /api/v1/public/open-data）'),
  period: KeySchema.describe('期别（见目录；latest 为最新一期）'),
  format: OpenDataFormatSchema.describe('csv（UTF-8 带 BOM）、xlsx（含“说明”工作表）或 json'),
});
export type OpenDataFileParams = z.infer<typeof OpenDataFileParamsSchema>;

export const OpenDataLinksSchema = z.object({ csv: z.string(), xlsx: z.string(), json: z.string() });

export const OpenDataPeriodSchema = z.object({
  /** URL key: 2024 (a year), 2024Q1, 2024H1, 2024-03 (a month), current, all … */
  period: z.string(),
  /** In words: 2024年第一季度 … */
  label: z.string(),
  /** The figures are as of this day (YYYY-MM-DD). */
  asOf: z.string(),
  urls: OpenDataLinksSchema,
});
export type OpenDataPeriod = z.infer<typeof OpenDataPeriodSchema>;

export const OpenDataJurisdictionSchema = z.object({
  /** URL key: the GB/T 2260 code, or the id of a level without one. */
  key: z.string(),
  name: z.string(),
  level: z.string(),
  /** 0 for the top level of the installation, 1 below it … */
  depth: z.number().int(),
});
export type OpenDataJurisdiction = z.infer<typeof OpenDataJurisdictionSchema>;

/** One dataset of one level, with its published periods (newest first). */
export const OpenDataEntrySchema = z.object({
  dataset: z.string(),
  title: z.string(),
  description: z.string(),
  /** How the figures are made, in words. */
  method: z.string(),
  source: z.string(),
  jurisdiction: OpenDataJurisdictionSchema,
  periods: z.array(OpenDataPeriodSchema),
  /** The URLs of the `latest` alias: always the newest published period. */
  latest: OpenDataLinksSchema,
});
export type OpenDataEntry = z.infer<typeof OpenDataEntrySchema>;

export const OpenDataCatalogueSchema = z.object({
  licence: z.string(),
  /** Requests per minute per client address on /api/v1/public/ (0: no limit). */
  rateLimitPerMinute: z.number().int(),
  /** How csv files carry their as-of date and method, in words. */
  csvNote: z.string(),
  items: z.array(OpenDataEntrySchema),
});
export type OpenDataCatalogue = z.infer<typeof OpenDataCatalogueSchema>;

const CellSchema = z.union([z.string(), z.number(), z.null()]);

/** The JSON download. */
export const OpenDataDocumentSchema = z.object({
  dataset: z.string(),
  title: z.string(),
  jurisdiction: OpenDataJurisdictionSchema,
  /** The period served (`latest` resolved). */
  period: z.string(),
  periodLabel: z.string(),
  asOf: z.string(),
  method: z.string(),
  source: z.string(),
  licence: z.string(),
  columns: z.array(OpenDataColumnSchema),
  rows: z.array(z.record(z.string(), CellSchema)),
});
export type OpenDataDocument = z.infer<typeof OpenDataDocumentSchema>;

/** The body of every error answer, as the OpenAPI document describes it (429, 404 …). */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});

/** The answer of the public API's rate limit. */
export const RATE_LIMITED_MESSAGE: string = ERROR_MESSAGES.RATE_LIMITED;
