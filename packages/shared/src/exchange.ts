import { z } from 'zod';
import { IdSchema } from './common';

/**
 * Excel round-trip of a unit's reports for a cycle, and table exports. A template is the unit's own rows (task ×
 * indicator × county) with hidden stable ids and a signature; an upload applies the valid rows through the
 * reporting rules and lists the others, row by row, in plain Chinese.
 */

/** Largest template upload, bytes (a unit's template is a few hundred KB at most). */
export const TEMPLATE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

export const TemplateQuerySchema = z.object({
  cycleId: IdSchema,
  /** The admin, leaders and analysts may download any unit's template (to read); a reporter gets its own. */
  unitId: IdSchema.optional(),
});
export type TemplateQuery = z.infer<typeof TemplateQuerySchema>;

export const TemplateUploadParamsSchema = z.object({ cycleId: IdSchema });

/** One applied row: which value changed from what to what (numbers as text, "" = empty). */
export const TemplateAppliedRowSchema = z.object({
  row: z.number().int(),
  reportId: IdSchema,
  taskPath: z.string(),
  /** The indicator's text, or "进展状态/工作进展说明" for a task row. */
  item: z.string(),
  county: z.string().nullable(),
  before: z.string(),
  after: z.string(),
});
export type TemplateAppliedRow = z.infer<typeof TemplateAppliedRowSchema>;

export const TemplateRowMessageSchema = z.object({ row: z.number().int(), message: z.string() });
export type TemplateRowMessage = z.infer<typeof TemplateRowMessageSchema>;

export const TemplateUploadResultSchema = z.object({
  cycleId: IdSchema,
  unitId: IdSchema,
  applied: z.array(TemplateAppliedRowSchema),
  /** Rows refused (nothing of them was written), e.g. “第 12 行：“填报值”应为数字，实为“十二””. */
  errors: z.array(TemplateRowMessageSchema),
  /** Applied rows the reviewer should look at: a cumulative value below the last approved one, a value behind. */
  flags: z.array(TemplateRowMessageSchema),
  /** Rows equal to what is stored (uploading the same file twice changes nothing). */
  unchanged: z.number().int(),
  reportsChanged: z.number().int(),
});
export type TemplateUploadResult = z.infer<typeof TemplateUploadResultSchema>;

// ── table exports ──────────────────────────────────────────────────────────────────────────────────────────

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export const ExportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/** Tables that export (each through its own list service, so the same permissions hold). */
export const EXPORT_TABLES = ['reports', 'indicator-status', 'units', 'users'] as const;
export const ExportTableSchema = z.enum(EXPORT_TABLES);
export type ExportTable = z.infer<typeof ExportTableSchema>;

export const ExportParamsSchema = z.object({ table: ExportTableSchema });
/** The list's own filters pass through as query parameters; `format` chooses the file. */
export const ExportQuerySchema = z
  .object({ format: ExportFormatSchema.default('xlsx') })
  .catchall(z.string());
