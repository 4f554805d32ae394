import { z } from 'zod';
import { CalendarDateSchema, IdSchema, pageOf, RowVersionSchema } from './common';
import {
  RESOURCE_KIND_LABELS,
  type ResourceKind,
  type ResourceLevel,
  ResourceKindSchema,
  RESOURCE_LEVELS,
  ResourceLevelSchema,
  TRAINING_CATEGORIES,
} from './resources';

/**
 * The registries (资源库, issue 13): what each kind of record holds. One definition per ResourceKind drives the API
 * schemas' per-kind checks, the form, the list columns, the import template and the export.
 */

/** A column of `resources` a kind may use (camelCase of the column). */
export type RegistryColumn =
  | 'level'
  | 'category'
  | 'theme'
  | 'recognisedOn'
  | 'expiresOn'
  | 'withdrawn'
  | 'quantity'
  | 'hours'
  | 'address'
  | 'coordinates'
  | 'openToPublic'
  | 'openingHours'
  | 'parent';

export interface RegistryFieldDef {
  label: string;
  required?: boolean;
}

/** An extra field kept in details_json. */
export interface RegistryDetailDef {
  key: string;
  label: string;
  required?: boolean;
  /** Most characters. */
  max?: number;
}

export interface RegistryKindDef {
  kind: ResourceKind;
  label: string;
  /** What the name column is called (基地名称, 姓名 …). */
  nameLabel: string;
  columns: Partial<Record<RegistryColumn, RegistryFieldDef>>;
  /** Levels allowed (when the kind has the level column). */
  levels?: readonly ResourceLevel[];
  /** Categories allowed (when the kind has the category column and they are a closed list). */
  categories?: readonly string[];
  /** The kind of the parent record (volunteer → volunteer_team). */
  parentKind?: ResourceKind;
  details: RegistryDetailDef[];
  /** A recognition that is reviewed, can expire and be withdrawn (摘牌); otherwise an event or a person. */
  isRecognition: boolean;
}

const RECOGNITION = (extra: Partial<Record<RegistryColumn, RegistryFieldDef>> = {}) => ({
  recognisedOn: { label: '认定日期', required: true },
  expiresOn: { label: '复核到期' },
  withdrawn: { label: '摘牌' },
  ...extra,
});

const ORGANISER: RegistryDetailDef = { key: 'organiser', label: '主办单位', max: 100 };
const CONTACT: RegistryDetailDef = { key: 'contact', label: '联系人及电话', max: 100 };
const DOC_NO: RegistryDetailDef = { key: 'documentNo', label: '认定文号', max: 60 };

export const REGISTRY_DEFINITIONS: Record<ResourceKind, RegistryKindDef> = {
  science_base: {
    kind: 'science_base',
    label: RESOURCE_KIND_LABELS.science_base,
    nameLabel: '基地名称',
    isRecognition: true,
    levels: ['市级', '省级', '国家级'],
    columns: RECOGNITION({
      level: { label: '级别', required: true },
      theme: { label: '科普主题' },
      address: { label: '地址' },
      coordinates: { label: '坐标' },
      openToPublic: { label: '对公众开放' },
      openingHours: { label: '开放时间' },
    }),
    details: [DOC_NO, CONTACT],
  },
  demo_school: {
    kind: 'demo_school',
    label: RESOURCE_KIND_LABELS.demo_school,
    nameLabel: '学校名称',
    isRecognition: true,
    levels: ['省级', '市级'],
    columns: RECOGNITION({ level: { label: '级别', required: true }, address: { label: '地址' } }),
    details: [DOC_NO, CONTACT],
  },
  stem_base: {
    kind: 'stem_base',
    label: RESOURCE_KIND_LABELS.stem_base,
    nameLabel: '基地名称',
    isRecognition: true,
    levels: ['国家级', '省级', '市级'],
    columns: RECOGNITION({
      level: { label: '级别' },
      theme: { label: '实践方向' },
      address: { label: '地址' },
      coordinates: { label: '坐标' },
    }),
    details: [DOC_NO, CONTACT],
  },
  youth_studio: {
    kind: 'youth_studio',
    label: RESOURCE_KIND_LABELS.youth_studio,
    nameLabel: '工作室名称',
    isRecognition: true,
    levels: ['省级', '市级', '县级'],
    columns: RECOGNITION({
      level: { label: '级别' },
      theme: { label: '研究方向' },
      quantity: { label: '成员人数' },
      address: { label: '地址' },
    }),
    details: [
      { key: 'school', label: '依托学校', max: 100 },
      { key: 'mentor', label: '指导教师', max: 50 },
      CONTACT,
    ],
  },
  science_museum: {
    kind: 'science_museum',
    label: RESOURCE_KIND_LABELS.science_museum,
    nameLabel: '场馆名称',
    isRecognition: true,
    levels: ['省级', '市级', '县级'],
    columns: {
      recognisedOn: { label: '开馆日期' },
      withdrawn: { label: '闭馆' },
      level: { label: '级别' },
      theme: { label: '展教主题' },
      address: { label: '地址' },
      coordinates: { label: '坐标' },
      openToPublic: { label: '对公众开放' },
      openingHours: { label: '开放时间' },
    },
    details: [{ key: 'area', label: '展厅面积（平方米）', max: 20 }, CONTACT],
  },
  museum_visit: {
    kind: 'museum_visit',
    label: RESOURCE_KIND_LABELS.museum_visit,
    nameLabel: '巡展名称',
    isRecognition: false,
    columns: {
      recognisedOn: { label: '巡展日期', required: true },
      theme: { label: '展览主题' },
      quantity: { label: '观众人次' },
      address: { label: '巡展地点' },
      coordinates: { label: '坐标' },
    },
    details: [ORGANISER, { key: 'endDate', label: '结束日期', max: 10 }],
  },
  expert_team: {
    kind: 'expert_team',
    label: RESOURCE_KIND_LABELS.expert_team,
    nameLabel: '服务团名称',
    isRecognition: true,
    levels: ['省级', '市级', '县级'],
    columns: RECOGNITION({
      level: { label: '级别' },
      theme: { label: '服务领域' },
      quantity: { label: '成员人数' },
    }),
    details: [{ key: 'leader', label: '团长', max: 50 }, CONTACT],
  },
  chief_expert: {
    kind: 'chief_expert',
    label: RESOURCE_KIND_LABELS.chief_expert,
    nameLabel: '姓名',
    isRecognition: true,
    parentKind: 'expert_team',
    levels: ['省级', '市级', '县级'],
    columns: {
      recognisedOn: { label: '聘任日期', required: true },
      expiresOn: { label: '聘期届满' },
      withdrawn: { label: '解聘' },
      level: { label: '级别' },
      theme: { label: '专业领域' },
      parent: { label: '所属服务团' },
    },
    details: [
      { key: 'employer', label: '工作单位', max: 100 },
      { key: 'title', label: '职称', max: 50 },
    ],
  },
  training: {
    kind: 'training',
    label: RESOURCE_KIND_LABELS.training,
    nameLabel: '培训名称',
    isRecognition: false,
    categories: TRAINING_CATEGORIES,
    columns: {
      category: { label: '培训类别', required: true },
      recognisedOn: { label: '举办日期', required: true },
      quantity: { label: '参训人数', required: true },
      hours: { label: '学时' },
      address: { label: '培训地点' },
    },
    details: [ORGANISER, { key: 'endDate', label: '结束日期', max: 10 }],
  },
  competition: {
    kind: 'competition',
    label: RESOURCE_KIND_LABELS.competition,
    nameLabel: '竞赛名称',
    isRecognition: false,
    levels: ['国家级', '省级', '市级', '县级'],
    columns: {
      level: { label: '级别', required: true },
      category: { label: '竞赛类别' },
      recognisedOn: { label: '举办日期', required: true },
      quantity: { label: '参赛人数' },
      address: { label: '举办地点' },
    },
    details: [ORGANISER],
  },
  volunteer_team: {
    kind: 'volunteer_team',
    label: RESOURCE_KIND_LABELS.volunteer_team,
    nameLabel: '队伍名称',
    isRecognition: false,
    columns: {
      recognisedOn: { label: '成立日期' },
      withdrawn: { label: '撤销' },
      theme: { label: '服务领域' },
      quantity: { label: '成员人数' },
      address: { label: '地址' },
    },
    details: [{ key: 'leader', label: '负责人', max: 50 }, CONTACT],
  },
  volunteer: {
    kind: 'volunteer',
    label: RESOURCE_KIND_LABELS.volunteer,
    nameLabel: '姓名',
    isRecognition: false,
    parentKind: 'volunteer_team',
    columns: {
      recognisedOn: { label: '注册日期' },
      withdrawn: { label: '注销' },
      theme: { label: '服务专长' },
      parent: { label: '所属服务队' },
    },
    details: [{ key: 'phone', label: '联系电话', max: 30 }],
  },
};

/** The definition of a kind. */
export function registryDef(kind: ResourceKind): RegistryKindDef {
  return REGISTRY_DEFINITIONS[kind];
}

/** What a level-less kind says about the other fields: labels of the columns it uses, in form order. */
export const REGISTRY_COLUMN_ORDER: RegistryColumn[] = [
  'level',
  'category',
  'theme',
  'recognisedOn',
  'expiresOn',
  'quantity',
  'hours',
  'parent',
  'address',
  'coordinates',
  'openToPublic',
  'openingHours',
  'withdrawn',
];

// ——— API schemas ———

const optText = (max: number) => z.string().trim().max(max, `最多 ${max} 个字符`).nullable().optional();

/**
 * A record as created or edited: every column any kind uses; `checkRegistryInput` (below) then applies the kind's
 * definition — which fields it takes and requires, levels, categories, date order, coordinates both or neither.
 */
export const RegistryRecordInputSchema = z.object({
  name: z.string().trim().min(1, '名称不能为空').max(100, '名称最多 100 个字符'),
  /** Default: the user's own jurisdiction. */
  jurisdictionId: IdSchema.optional(),
  /** Default: the user's own unit (a unit user); an admin names the keeping unit. */
  unitId: IdSchema.optional(),
  level: ResourceLevelSchema.nullable().optional(),
  category: optText(40),
  theme: optText(100),
  recognisedOn: CalendarDateSchema.nullable().optional(),
  expiresOn: CalendarDateSchema.nullable().optional(),
  withdrawnOn: CalendarDateSchema.nullable().optional(),
  withdrawnReason: optText(200),
  quantity: z.number().int('人数应为整数').min(0, '人数不能为负数').max(100_000_000).nullable().optional(),
  hours: z.number().min(0, '学时不能为负数').max(100_000).nullable().optional(),
  address: optText(200),
  longitude: z
    .number()
    .min(-180, '经度应在 -180 到 180 之间')
    .max(180, '经度应在 -180 到 180 之间')
    .nullable()
    .optional(),
  latitude: z
    .number()
    .min(-90, '纬度应在 -90 到 90 之间')
    .max(90, '纬度应在 -90 到 90 之间')
    .nullable()
    .optional(),
  openToPublic: z.boolean().nullable().optional(),
  openingHours: optText(100),
  parentId: IdSchema.nullable().optional(),
  details: z.record(z.string().max(40), z.string().max(200)).optional(),
});
export type RegistryRecordInput = z.infer<typeof RegistryRecordInputSchema>;

export const RegistryRecordUpdateSchema = RegistryRecordInputSchema.extend({ version: RowVersionSchema });
export type RegistryRecordUpdate = z.infer<typeof RegistryRecordUpdateSchema>;

/** One problem with an input, for `details.fields` and import rows. */
export interface RegistryIssue {
  path: string;
  message: string;
}

const COLUMN_OF_FIELD: Partial<Record<keyof RegistryRecordInput, RegistryColumn>> = {
  level: 'level',
  category: 'category',
  theme: 'theme',
  recognisedOn: 'recognisedOn',
  expiresOn: 'expiresOn',
  withdrawnOn: 'withdrawn',
  withdrawnReason: 'withdrawn',
  quantity: 'quantity',
  hours: 'hours',
  address: 'address',
  longitude: 'coordinates',
  latitude: 'coordinates',
  openToPublic: 'openToPublic',
  openingHours: 'openingHours',
  parentId: 'parent',
};

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/**
 * The kind's rules over an input already through RegistryRecordInputSchema: fields the kind does not take, required
 * fields, levels and categories of the kind, expiry after recognition, 摘牌 not before it (and with a reason),
 * coordinates both or neither, detail fields known and required. The bounding box and references are the server's.
 */
export function checkRegistryInput(kind: ResourceKind, input: RegistryRecordInput): RegistryIssue[] {
  const def = REGISTRY_DEFINITIONS[kind];
  const issues: RegistryIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  for (const [field, column] of Object.entries(COLUMN_OF_FIELD) as [
    keyof RegistryRecordInput,
    RegistryColumn,
  ][]) {
    if (!def.columns[column] && present(input[field])) add(field, `${def.label}不填写该项`);
  }
  for (const [column, f] of Object.entries(def.columns) as [RegistryColumn, RegistryFieldDef][]) {
    if (!f.required) continue;
    const value =
      column === 'coordinates'
        ? input.longitude
        : column === 'withdrawn'
          ? input.withdrawnOn
          : column === 'parent'
            ? input.parentId
            : input[column as keyof RegistryRecordInput];
    if (!present(value)) add(column === 'parent' ? 'parentId' : column, `请填写${f.label}`);
  }
  if (def.columns.level && input.level && def.levels && !def.levels.includes(input.level))
    add('level', `${def.label}的级别只能是${def.levels.join('、')}，不能是${input.level}`);
  if (def.columns.category && input.category && def.categories && !def.categories.includes(input.category))
    add('category', `${def.columns.category.label}只能是${def.categories.join('、')}`);
  const rec = input.recognisedOn ?? null;
  const recLabel = def.columns.recognisedOn?.label ?? '认定日期';
  if (input.expiresOn && rec && input.expiresOn <= rec)
    add(
      'expiresOn',
      `${def.columns.expiresOn?.label ?? '复核到期'}（${input.expiresOn}）应晚于${recLabel}（${rec}）`,
    );
  if (input.withdrawnOn && rec && input.withdrawnOn < rec)
    add(
      'withdrawnOn',
      `${def.columns.withdrawn?.label ?? '摘牌'}日期（${input.withdrawnOn}）不能早于${recLabel}（${rec}）`,
    );
  if (input.withdrawnOn && !present(input.withdrawnReason))
    add('withdrawnReason', `请填写${def.columns.withdrawn?.label ?? '摘牌'}原因`);
  if (present(input.withdrawnReason) && !input.withdrawnOn)
    add('withdrawnOn', `请填写${def.columns.withdrawn?.label ?? '摘牌'}日期`);
  if (present(input.longitude) !== present(input.latitude))
    add(present(input.longitude) ? 'latitude' : 'longitude', '经度和纬度须同时填写，或都不填');
  const known = new Set(def.details.map((d) => d.key));
  for (const [key, value] of Object.entries(input.details ?? {})) {
    if (!known.has(key)) add(`details.${key}`, `${def.label}没有“${key}”这一项`);
    const d = def.details.find((x) => x.key === key);
    if (d?.max && value.length > d.max) add(`details.${key}`, `${d.label}最多 ${d.max} 个字符`);
  }
  for (const d of def.details)
    if (d.required && !present(input.details?.[d.key])) add(`details.${d.key}`, `请填写${d.label}`);
  return issues;
}

export const REGISTRY_STATUSES = ['in_force', 'expired', 'withdrawn', 'all'] as const;
export const RegistryStatusFilterSchema = z.enum(REGISTRY_STATUSES);
export type RegistryStatusFilter = z.infer<typeof RegistryStatusFilterSchema>;
export const REGISTRY_STATUS_FILTER_LABELS: Record<RegistryStatusFilter, string> = {
  in_force: '在册',
  expired: '已到期',
  withdrawn: '已摘牌',
  all: '全部',
};
/** A record's status as of a date, in words. */
export const RECORD_STATUSES = ['在册', '已到期', '已摘牌', '未生效'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/**
 * A record's status on `asOf`: 已摘牌 from its withdrawn day on, 未生效 before its recognition, 已到期 after its review
 * date, otherwise 在册 (recognised on or before the day, or with no date).
 */
export function recordStatusOn(
  r: { recognisedOn: string | null; expiresOn: string | null; withdrawnOn: string | null },
  asOf: string,
): RecordStatus {
  if (r.withdrawnOn && r.withdrawnOn <= asOf) return '已摘牌';
  if (r.recognisedOn && r.recognisedOn > asOf) return '未生效';
  if (r.expiresOn && r.expiresOn < asOf) return '已到期';
  return '在册';
}

export const RegistryKindParamsSchema = z.object({ kind: ResourceKindSchema });
export const RegistryRecordParamsSchema = z.object({ kind: ResourceKindSchema, id: IdSchema });

export const RegistryListQuerySchema = z.object({
  jurisdictionId: IdSchema.optional(),
  /** One level, or several separated by commas (an indicator counting 省级 and 国家级 links to both). */
  level: z
    .string()
    .trim()
    .max(40)
    .refine((v) => v.split(',').every((l) => (RESOURCE_LEVELS as readonly string[]).includes(l)), '级别无效')
    .optional(),
  /** One class, or several separated by commas. */
  category: z.string().trim().min(1).max(200).optional(),
  status: RegistryStatusFilterSchema.default('all'),
  asOf: CalendarDateSchema.optional(),
  recognisedFrom: CalendarDateSchema.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  unitId: IdSchema.optional(),
  parentId: IdSchema.optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type RegistryListQuery = z.infer<typeof RegistryListQuerySchema>;

export const RegistryExportQuerySchema = RegistryListQuerySchema.omit({ page: true, pageSize: true }).extend({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});

export const RegistryRecordSchema = z.object({
  id: IdSchema,
  kind: ResourceKindSchema,
  name: z.string(),
  jurisdictionId: IdSchema,
  jurisdictionName: z.string(),
  unitId: IdSchema,
  unitName: z.string(),
  level: z.string().nullable(),
  category: z.string().nullable(),
  theme: z.string().nullable(),
  recognisedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  withdrawnOn: z.string().nullable(),
  withdrawnReason: z.string().nullable(),
  year: z.number().int().nullable(),
  quantity: z.number().nullable(),
  hours: z.number().nullable(),
  address: z.string().nullable(),
  longitude: z.number().nullable(),
  latitude: z.number().nullable(),
  openToPublic: z.boolean().nullable(),
  openingHours: z.string().nullable(),
  parentId: IdSchema.nullable(),
  parentName: z.string().nullable(),
  details: z.record(z.string(), z.string()),
  /** 在册 / 已到期 / 已摘牌 / 未生效 as of the list's date. */
  status: z.enum(RECORD_STATUSES),
  /** The signed-in user may edit, withdraw or delete it. */
  canEdit: z.boolean(),
  isDemo: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type RegistryRecord = z.infer<typeof RegistryRecordSchema>;

export const RegistryPageSchema = pageOf(RegistryRecordSchema).extend({ asOf: z.string() });
export type RegistryPage = z.infer<typeof RegistryPageSchema>;

export const VolunteerServiceSchema = z.object({
  id: IdSchema,
  servedOn: z.string(),
  hours: z.number(),
  description: z.string().nullable(),
  activityId: IdSchema.nullable(),
  activityTitle: z.string().nullable(),
});
export type VolunteerService = z.infer<typeof VolunteerServiceSchema>;

export const VolunteerServiceInputSchema = z.object({
  servedOn: CalendarDateSchema,
  hours: z.number().gt(0, '服务时长应大于 0').max(24, '一次服务不超过 24 小时'),
  description: z.string().trim().max(200, '最多 200 个字符').nullable().optional(),
  activityId: IdSchema.nullable().optional(),
});
export type VolunteerServiceInput = z.infer<typeof VolunteerServiceInputSchema>;

export const VolunteerServiceListSchema = z.object({
  items: z.array(VolunteerServiceSchema),
  totalHours: z.number(),
});
export type VolunteerServiceList = z.infer<typeof VolunteerServiceListSchema>;

export const RegistryDetailSchema = RegistryRecordSchema.extend({
  /** Volunteers only: service records (newest first) and their hours in total. */
  services: z.array(VolunteerServiceSchema).nullable(),
  totalHours: z.number().nullable(),
  /** Records pointing to this one (a team's volunteers, a 服务团's experts). */
  childCount: z.number().int(),
});
export type RegistryDetail = z.infer<typeof RegistryDetailSchema>;

export const RegistryWithdrawSchema = z.object({
  withdrawnOn: CalendarDateSchema,
  reason: z.string().trim().min(1, '请填写原因').max(200, '最多 200 个字符'),
  version: RowVersionSchema,
});
export type RegistryWithdraw = z.infer<typeof RegistryWithdrawSchema>;

export const RegistryHistoryEntrySchema = z.object({
  /** Beijing time, 2026-03-01 14:05. */
  at: z.string(),
  actorName: z.string(),
  action: z.string(),
  changes: z.array(z.object({ field: z.string(), before: z.string(), after: z.string() })),
});
export const RegistryHistorySchema = z.object({ items: z.array(RegistryHistoryEntrySchema) });
export type RegistryHistory = z.infer<typeof RegistryHistorySchema>;

export const RegistryImportResultSchema = z.object({ imported: z.number().int() });
/** `details.rows` of a refused import: every bad row, "第 N 行：……". */
export interface RegistryImportRowError {
  row: number;
  message: string;
}
/** Most rows one registry import takes. */
export const REGISTRY_IMPORT_MAX_ROWS = 5000;
export const REGISTRY_IMPORT_MAX_BYTES = 5 * 1024 * 1024;

export const PublicVenueQuerySchema = z.object({ jurisdictionId: IdSchema.optional() });
export const PublicVenueSchema = z.object({
  id: IdSchema,
  kind: z.enum(['science_base', 'science_museum']),
  kindLabel: z.string(),
  name: z.string(),
  level: z.string().nullable(),
  jurisdictionName: z.string(),
  address: z.string().nullable(),
  openingHours: z.string().nullable(),
  longitude: z.number().nullable(),
  latitude: z.number().nullable(),
});
export type PublicVenue = z.infer<typeof PublicVenueSchema>;
export const PublicVenueListSchema = z.object({ items: z.array(PublicVenueSchema), asOf: z.string() });
export type PublicVenueList = z.infer<typeof PublicVenueListSchema>;

/** A jurisdiction's bounding box (degrees): its records' coordinates must fall inside; all null = its parent's. */
export const JurisdictionBoundsSchema = z
  .object({
    minLng: z.number().min(-180).max(180).nullable(),
    maxLng: z.number().min(-180).max(180).nullable(),
    minLat: z.number().min(-90).max(90).nullable(),
    maxLat: z.number().min(-90).max(90).nullable(),
  })
  .superRefine((b, ctx) => {
    const set = [b.minLng, b.maxLng, b.minLat, b.maxLat].filter((v) => v !== null).length;
    if (set !== 0 && set !== 4)
      ctx.addIssue({
        code: 'custom',
        path: ['minLng'],
        message: '范围的四个值须都填写，或都不填（沿用上级范围）',
      });
    if (b.minLng !== null && b.maxLng !== null && b.minLng >= b.maxLng)
      ctx.addIssue({ code: 'custom', path: ['maxLng'], message: '最东经度应大于最西经度' });
    if (b.minLat !== null && b.maxLat !== null && b.minLat >= b.maxLat)
      ctx.addIssue({ code: 'custom', path: ['maxLat'], message: '最北纬度应大于最南纬度' });
  });
export type JurisdictionBounds = z.infer<typeof JurisdictionBoundsSchema>;
export const JurisdictionBoundsUpdateSchema = z.object({
  bounds: JurisdictionBoundsSchema,
  version: RowVersionSchema,
});
export type JurisdictionBoundsUpdate = z.infer<typeof JurisdictionBoundsUpdateSchema>;
