import { z } from 'zod';
import { CalendarDateSchema, IdSchema, PageQuerySchema, pageOf, RowVersionSchema } from './common';
import { POPULATION_GROUPS, POPULATION_GROUP_LABELS } from './plans';

/**
 * Science content for precise delivery (用户分层、精准推送, issue 13): items an admin publishes for audiences (the key
 * populations, or 社会公众) in chosen jurisdictions of its subtree, and the public page that recommends content and
 * upcoming activities by the reader's county and group, saying why.
 */
export const CONTENT_AUDIENCES = [...POPULATION_GROUPS, 'public'] as const;
export const ContentAudienceSchema = z.enum(CONTENT_AUDIENCES, { message: '受众应为重点人群或社会公众' });
export type ContentAudience = z.infer<typeof ContentAudienceSchema>;
export const CONTENT_AUDIENCE_LABELS: Record<ContentAudience, string> = {
  ...POPULATION_GROUP_LABELS,
  public: '社会公众',
};

/** A link the public may follow: http or https only (no javascript:, data:, file:). */
export const ContentLinkSchema = z
  .string()
  .trim()
  .max(500, '链接不超过 500 个字符')
  // A host after http(s)://, then an optional port, path, query or fragment, no spaces (shared code has no URL class).
  .refine(
    (s) => /^https?:\/\/[^\s/?#:@]+(:\d{1,5})?([/?#]\S*)?$/i.test(s),
    '链接须以 http:// 或 https:// 开头的有效网址',
  );

export const ContentInputSchema = z
  .object({
    title: z.string().trim().min(1, '请填写标题').max(100, '标题不超过 100 字'),
    summary: z.string().trim().min(1, '请填写摘要').max(1000, '摘要不超过 1000 字'),
    url: ContentLinkSchema.nullable(),
    themes: z
      .array(z.string().trim().min(1, '主题不能为空').max(20, '每个主题不超过 20 字'))
      .max(10, '主题最多 10 个')
      .default([]),
    audiences: z.array(ContentAudienceSchema).min(1, '请至少选择一个受众').max(CONTENT_AUDIENCES.length),
    /** Target jurisdictions within the publisher's subtree; empty = the whole subtree. */
    jurisdictionIds: z.array(IdSchema).max(50).default([]),
    publishedOn: CalendarDateSchema,
  })
  .strict();
export type ContentInput = z.infer<typeof ContentInputSchema>;

export const ContentUpdateSchema = ContentInputSchema.extend({ version: RowVersionSchema }).strict();
export type ContentUpdate = z.infer<typeof ContentUpdateSchema>;

export const ContentItemSchema = z.object({
  id: IdSchema,
  jurisdictionId: IdSchema,
  jurisdictionName: z.string(),
  title: z.string(),
  summary: z.string(),
  url: z.string().nullable(),
  themes: z.array(z.string()),
  audiences: z.array(ContentAudienceSchema),
  jurisdictionIds: z.array(IdSchema),
  jurisdictionNames: z.array(z.string()),
  publishedOn: z.string(),
  version: z.number().int(),
  isDemo: z.boolean(),
  canEdit: z.boolean(),
});
export type ContentItem = z.infer<typeof ContentItemSchema>;

export const ContentListQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(50).optional(),
  audience: ContentAudienceSchema.optional(),
});
export type ContentListQuery = z.infer<typeof ContentListQuerySchema>;
export const ContentPageSchema = pageOf(ContentItemSchema);

export const RecommendationQuerySchema = z.object({
  jurisdictionId: IdSchema,
  group: ContentAudienceSchema,
});
export type RecommendationQuery = z.infer<typeof RecommendationQuerySchema>;

/** What the public sees of a content item (nothing internal: no ids of users, no versions). */
export const RecommendedContentSchema = z.object({
  id: IdSchema,
  title: z.string(),
  summary: z.string(),
  url: z.string().nullable(),
  themes: z.array(z.string()),
  publishedOn: z.string(),
  publisher: z.string(),
  reason: z.string(),
});
export const RecommendedActivitySchema = z.object({
  id: IdSchema,
  title: z.string(),
  place: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  theme: z.string().nullable(),
  mode: z.string(),
  jurisdictionName: z.string(),
  reason: z.string(),
});
export const RecommendationsSchema = z.object({
  jurisdictionName: z.string(),
  groupLabel: z.string(),
  content: z.array(RecommendedContentSchema),
  activities: z.array(RecommendedActivitySchema),
});
export type Recommendations = z.infer<typeof RecommendationsSchema>;

/** The counties (and the city) a reader may choose on the public page. */
export const PublicJurisdictionsSchema = z.object({
  items: z.array(
    z.object({ id: IdSchema, name: z.string(), level: z.string(), parentId: IdSchema.nullable() }),
  ),
});
