import { z } from 'zod';
import { IdSchema, RowVersionSchema } from './common';

/**
 * Documents out (issue 14 item 3): Word (.docx) and PDF made from the data in the form of a government document
 * (GB/T 9704), with text from templates the level's admin edits. Four kinds: the cycle's 进展通报, the year's
 * 年度实施情况报告, a 督办通知书 and a unit's own year summary.
 */
export const DOCUMENT_KINDS = ['bulletin', 'annual', 'notice', 'unit-summary'] as const;
export const DocumentKindSchema = z.enum(DOCUMENT_KINDS, { message: '没有这种文档' });
export type DocumentKind = z.infer<typeof DocumentKindSchema>;

export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  bulletin: '进展通报',
  annual: '年度实施情况报告',
  notice: '督办通知书',
  'unit-summary': '单位年度工作总结',
};

export const DocumentFormatSchema = z
  .enum(['docx', 'pdf'], { message: '格式应为 docx 或 pdf' })
  .default('docx');
export type DocumentFormat = z.infer<typeof DocumentFormatSchema>;

const YearSchema = z.coerce
  .number()
  .int('年份应为整数')
  .min(2000, '年份应在 2000—2100 之间')
  .max(2100, '年份应在 2000—2100 之间');

export const BulletinQuerySchema = z.object({ cycleId: IdSchema, format: DocumentFormatSchema });
export type BulletinQuery = z.infer<typeof BulletinQuerySchema>;
export const AnnualReportQuerySchema = z.object({
  planId: IdSchema,
  year: YearSchema,
  format: DocumentFormatSchema,
});
export type AnnualReportQuery = z.infer<typeof AnnualReportQuerySchema>;
export const NoticeDocumentQuerySchema = z.object({ noticeId: IdSchema, format: DocumentFormatSchema });
export type NoticeDocumentQuery = z.infer<typeof NoticeDocumentQuerySchema>;
export const UnitSummaryQuerySchema = z.object({
  planId: IdSchema,
  unitId: IdSchema,
  year: YearSchema,
  format: DocumentFormatSchema,
});
export type UnitSummaryQuery = z.infer<typeof UnitSummaryQuerySchema>;

/** What a document is made of (the placeholder values' query): the kind's own parameters, no format. */
export const DocumentSubjectQuerySchema = z.object({
  cycleId: IdSchema.optional(),
  planId: IdSchema.optional(),
  noticeId: IdSchema.optional(),
  unitId: IdSchema.optional(),
  year: YearSchema.optional(),
});
export type DocumentSubjectQuery = z.infer<typeof DocumentSubjectQuerySchema>;

/** The template fields, in document order: 发文字号, title, opening text, closing text (requirements), issuer. */
export const TEMPLATE_FIELDS = ['docNumber', 'title', 'intro', 'closing', 'signature'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export const TEMPLATE_FIELD_LABELS: Record<TemplateField, string> = {
  docNumber: '发文字号',
  title: '标题',
  intro: '导语（正文开头）',
  closing: '结尾（工作要求）',
  signature: '落款（发文机关）',
};

const COMMON_PLACEHOLDERS = ['年份', '截至日期', '成文日期', '发文机关', '规划名称'] as const;

/** The placeholders each kind's template may use, with what each stands for. */
export const DOCUMENT_PLACEHOLDERS: Record<DocumentKind, readonly string[]> = {
  bulletin: [
    ...COMMON_PLACEHOLDERS,
    '周期名称',
    '应报数',
    '按时报送数',
    '逾期报送数',
    '未报数',
    '按时报送率',
    '红灯指标数',
    '黄灯指标数',
    '绿灯指标数',
    '督办总数',
    '督办逾期数',
  ],
  annual: [
    ...COMMON_PLACEHOLDERS,
    '总体进度',
    '指标总数',
    '红灯指标数',
    '黄灯指标数',
    '绿灯指标数',
    '按时报送率',
    '科学素质比例',
    '置信区间',
    '督办总数',
    '督办逾期数',
  ],
  notice: [...COMMON_PLACEHOLDERS, '责任单位', '督办事项', '办理时限', '督办等级', '交办日期'],
  'unit-summary': [...COMMON_PLACEHOLDERS, '单位名称', '任务数', '报告数', '按时报送率', '督办总数'],
};

export const PLACEHOLDER_LABELS: Record<string, string> = {
  年份: '文档所属年份',
  截至日期: '数据截至日期',
  成文日期: '生成文档的日期',
  发文机关: '本级全民科学素质工作领导小组办公室',
  规划名称: '规划（实施方案）名称',
  周期名称: '填报周期名称',
  应报数: '本周期应报报告数',
  按时报送数: '按时报送的报告数',
  逾期报送数: '逾期报送的报告数',
  未报数: '逾期未报的报告数',
  按时报送率: '按时报送率（%）',
  红灯指标数: '红灯指标个数',
  黄灯指标数: '黄灯指标个数',
  绿灯指标数: '绿灯指标个数',
  指标总数: '指标总数',
  督办总数: '督办单总数',
  督办逾期数: '逾期未办结的督办单数',
  总体进度: '规划总体完成进度（%）',
  科学素质比例: '公民具备科学素质的比例（%）',
  置信区间: '该比例的 95% 置信区间',
  责任单位: '督办单的责任单位',
  督办事项: '督办事项',
  办理时限: '办理时限',
  督办等级: '督办等级',
  交办日期: '交办日期',
  单位名称: '单位名称',
  任务数: '本单位承担的任务数',
  报告数: '本单位本年度报送的报告数',
};

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** The placeholder names a text uses ({{年份}} → 年份), in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** A text with each {{名称}} replaced by its value; names without a value are left as written. */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

const TemplateTextSchema = (max: number) => z.string().trim().max(max, `不能超过 ${max} 个字`);

export const DocumentTemplateFieldsSchema = z.object({
  docNumber: TemplateTextSchema(60),
  title: TemplateTextSchema(120).min(1, '标题不能为空'),
  intro: TemplateTextSchema(4000),
  closing: TemplateTextSchema(4000),
  signature: TemplateTextSchema(120),
});
export type DocumentTemplateFields = z.infer<typeof DocumentTemplateFieldsSchema>;

export const DocumentTemplatePutSchema = DocumentTemplateFieldsSchema.extend({
  /** The version read; null when the shipped default was shown (no saved template yet). */
  version: RowVersionSchema.nullable(),
});
export type DocumentTemplatePut = z.infer<typeof DocumentTemplatePutSchema>;

export const DocumentKindParamsSchema = z.object({ kind: DocumentKindSchema });

export const DocumentTemplateSchema = z.object({
  kind: DocumentKindSchema,
  label: z.string(),
  fields: DocumentTemplateFieldsSchema,
  /** The shipped default, shown until the level saves its own. */
  isDefault: z.boolean(),
  version: z.number().int().nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  placeholders: z.array(z.object({ name: z.string(), label: z.string() })),
});
export type DocumentTemplate = z.infer<typeof DocumentTemplateSchema>;

export const DocumentTemplateListSchema = z.object({ items: z.array(DocumentTemplateSchema) });
export type DocumentTemplateList = z.infer<typeof DocumentTemplateListSchema>;

/** The placeholder values of one subject (a cycle, a plan's year, a notice, a unit's year), for the preview. */
export const DocumentPlaceholderValuesSchema = z.object({
  kind: DocumentKindSchema,
  values: z.record(z.string(), z.string()),
});
export type DocumentPlaceholderValues = z.infer<typeof DocumentPlaceholderValuesSchema>;

/**
 * A document made in the background (issue 17): POST /api/v1/documents/jobs starts it, GET …/jobs/:id shows its status
 * and progress on any node, GET …/jobs/:id/file downloads it once done. Identical requests of one user (same kind,
 * subject and format) while one is queued or running share it. Files are kept a day (then `expired`).
 */
export const DocumentJobCreateSchema = z.object({
  kind: DocumentKindSchema,
  /** The kind's own parameters (as the GET routes take them, without format). */
  query: DocumentSubjectQuerySchema,
  format: DocumentFormatSchema,
});
export type DocumentJobCreate = z.infer<typeof DocumentJobCreateSchema>;

export const DOCUMENT_JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'expired'] as const;
export const DocumentJobStatusSchema = z.enum(DOCUMENT_JOB_STATUSES);
export type DocumentJobStatus = z.infer<typeof DocumentJobStatusSchema>;

/** Where a running job is: gathering the data, writing the .docx, converting to PDF, storing the file. */
export const DOCUMENT_JOB_PHASES = ['reading', 'rendering', 'converting', 'storing'] as const;
export const DocumentJobPhaseSchema = z.enum(DOCUMENT_JOB_PHASES);
export type DocumentJobPhase = z.infer<typeof DocumentJobPhaseSchema>;
export const DOCUMENT_JOB_PHASE_LABELS: Record<DocumentJobPhase, string> = {
  reading: '正在汇总数据',
  rendering: '正在排版',
  converting: '正在转换为 PDF',
  storing: '正在保存文件',
};

export const DocumentJobSchema = z.object({
  id: z.string(),
  kind: DocumentKindSchema,
  query: DocumentSubjectQuerySchema,
  format: z.enum(['docx', 'pdf']),
  status: DocumentJobStatusSchema,
  /** While running: the phase and a rough percentage (0–100) of the work done; null otherwise. */
  progress: z.object({ phase: DocumentJobPhaseSchema, percent: z.number().min(0).max(100) }).nullable(),
  /** Why it failed, in Chinese (e.g. the PDF conversion's message); null unless failed. */
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  fileName: z.string().nullable(),
  contentType: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type DocumentJob = z.infer<typeof DocumentJobSchema>;
