import { z } from 'zod';
import { CalendarDateSchema, IdSchema, PageQuerySchema, pageOf, RowVersionSchema } from './common';
import { RESOURCE_LEVELS } from './resources';

/**
 * 表彰奖励 (issue 14): commendations a level awards — to a collective (a unit, a county) or a person — with level,
 * title, reason, 文号 and date. A record is proposed (by hand, or from the assessment ranking with its source) and
 * then confirmed or rejected; a confirmed one may be published on the public site.
 */
export const RECIPIENT_KINDS = ['collective', 'person'] as const;
export const RecipientKindSchema = z.enum(RECIPIENT_KINDS, { message: '表彰对象应为集体或个人' });
export type RecipientKind = z.infer<typeof RecipientKindSchema>;
export const RECIPIENT_KIND_LABELS: Record<RecipientKind, string> = { collective: '集体', person: '个人' };

export const RECOGNITION_LEVELS = RESOURCE_LEVELS;
export const RecognitionLevelSchema = z.enum(RECOGNITION_LEVELS, {
  message: '级别应为国家级、省级、市级或县级',
});
export type RecognitionLevel = z.infer<typeof RecognitionLevelSchema>;

export const RECOGNITION_STATES = ['proposed', 'confirmed', 'rejected'] as const;
export const RecognitionStateSchema = z.enum(RECOGNITION_STATES);
export type RecognitionState = z.infer<typeof RecognitionStateSchema>;
export const RECOGNITION_STATE_LABELS: Record<RecognitionState, string> = {
  proposed: '拟表彰',
  confirmed: '已确认',
  rejected: '未通过',
};

const YearSchema = z.coerce
  .number()
  .int('年份应为整数')
  .min(2000, '年份应在 2000—2100 之间')
  .max(2100, '年份应在 2000—2100 之间');
const text = (max: number, label: string) => z.string().trim().max(max, `${label}不超过 ${max} 字`);

const RecognitionFields = {
  year: YearSchema,
  recipientKind: RecipientKindSchema,
  recipientName: text(100, '表彰对象').min(1, '请填写表彰对象'),
  unitId: IdSchema.nullable().default(null),
  recipientJurisdictionId: IdSchema.nullable().default(null),
  level: RecognitionLevelSchema,
  title: text(100, '荣誉称号').min(1, '请填写荣誉称号'),
  reason: text(1000, '事迹或理由').default(''),
  docNumber: text(60, '文号').nullable().default(null),
  awardedOn: CalendarDateSchema.nullable().default(null),
  sourceText: text(200, '来源').nullable().default(null),
  sourceRef: text(200, '来源编号').nullable().default(null),
};

export const RecognitionInputSchema = z
  .object({
    /** The awarding level: the admin's own. */
    jurisdictionId: IdSchema,
    ...RecognitionFields,
    /** Record it confirmed at once (a commendation already decided); default proposed. */
    confirmed: z.boolean().default(false),
  })
  .strict();
export type RecognitionInput = z.infer<typeof RecognitionInputSchema>;

export const RecognitionUpdateSchema = z.object({ ...RecognitionFields, version: RowVersionSchema }).strict();
export type RecognitionUpdate = z.infer<typeof RecognitionUpdateSchema>;

export const RecognitionVersionSchema = z.object({ version: RowVersionSchema }).strict();

/** A candidate proposed from elsewhere (the assessment ranking): created as proposed. */
export const RecognitionCandidateSchema = z
  .object({
    recipientKind: RecipientKindSchema,
    unitId: IdSchema.nullable().default(null),
    jurisdictionId: IdSchema.nullable().default(null),
    recipientName: text(100, '表彰对象').min(1, '请填写表彰对象'),
    title: text(100, '荣誉称号').min(1, '请填写荣誉称号'),
    reason: text(1000, '事迹或理由').default(''),
    sourceText: text(200, '来源').nullable().default(null),
    sourceRef: text(200, '来源编号').nullable().default(null),
  })
  .strict();
export type RecognitionCandidate = z.infer<typeof RecognitionCandidateSchema>;

export const RecognitionProposalsInputSchema = z
  .object({
    /** The awarding level (the admin's own) and year. */
    jurisdictionId: IdSchema,
    year: YearSchema,
    /** Default: the awarding level's own (市级 for a city …). */
    level: RecognitionLevelSchema.optional(),
    candidates: z
      .array(RecognitionCandidateSchema)
      .min(1, '请至少提出一个候选')
      .max(200, '一次至多 200 个候选'),
  })
  .strict();
export type RecognitionProposalsInput = z.infer<typeof RecognitionProposalsInputSchema>;

/** Propose the best of a frozen assessment ranking (名次 ≤ top, none vetoed) for a title. */
export const RecognitionsFromAssessmentSchema = z
  .object({
    assessmentId: IdSchema,
    top: z.coerce.number().int().min(1, '至少提名 1 名').max(50, '一次至多提名前 50 名').default(3),
    title: text(100, '荣誉称号').min(1, '请填写荣誉称号'),
    level: RecognitionLevelSchema.optional(),
  })
  .strict();
export type RecognitionsFromAssessment = z.infer<typeof RecognitionsFromAssessmentSchema>;

export const RecognitionSchema = z.object({
  id: IdSchema,
  jurisdictionId: IdSchema,
  jurisdictionName: z.string(),
  year: z.number().int(),
  recipientKind: RecipientKindSchema,
  recipientName: z.string(),
  unitId: IdSchema.nullable(),
  unitName: z.string().nullable(),
  recipientJurisdictionId: IdSchema.nullable(),
  recipientJurisdictionName: z.string().nullable(),
  level: RecognitionLevelSchema,
  title: z.string(),
  reason: z.string(),
  docNumber: z.string().nullable(),
  awardedOn: z.string().nullable(),
  state: RecognitionStateSchema,
  isPublished: z.boolean(),
  sourceText: z.string().nullable(),
  sourceRef: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  canEdit: z.boolean(),
});
export type Recognition = z.infer<typeof RecognitionSchema>;

export const RecognitionListQuerySchema = PageQuerySchema.extend({
  /** Records awarded by this level and the levels below it (default: the user's own). */
  jurisdictionId: IdSchema.optional(),
  year: YearSchema.optional(),
  level: RecognitionLevelSchema.optional(),
  state: RecognitionStateSchema.optional(),
});
export type RecognitionListQuery = z.infer<typeof RecognitionListQuerySchema>;
export const RecognitionPageSchema = pageOf(RecognitionSchema);

export const RecognitionExportQuerySchema = RecognitionListQuerySchema.omit({
  page: true,
  pageSize: true,
}).extend({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});

export const RecognitionProposalsResultSchema = z.object({ items: z.array(RecognitionSchema) });

/** What the public sees: confirmed and published records, no internal references. */
export const PublicRecognitionSchema = z.object({
  id: IdSchema,
  jurisdictionName: z.string(),
  year: z.number().int(),
  recipientKind: RecipientKindSchema,
  recipientName: z.string(),
  level: RecognitionLevelSchema,
  title: z.string(),
  reason: z.string(),
  docNumber: z.string().nullable(),
  awardedOn: z.string().nullable(),
});
export type PublicRecognition = z.infer<typeof PublicRecognitionSchema>;
export const PublicRecognitionQuerySchema = PageQuerySchema.extend({ year: YearSchema.optional() });
export const PublicRecognitionPageSchema = pageOf(PublicRecognitionSchema).extend({
  years: z.array(z.number().int()),
});
