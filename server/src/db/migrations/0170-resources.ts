import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Science-popularization resources (issue 13): registries (科普教育基地, 示范学校, STEM 基地, 工作室, 科技馆 and 流动科技馆
// visits, 专家服务团 and 首席专家, trainings, competitions, volunteer teams and volunteers with service records),
// activities (科普活动) with co-organisers and evidence files, funding (科普经费) and its per-resident standard, science
// content items for precise delivery, an indicator's binding to a registry query, and each jurisdiction's bounding box.

// 徐州市: 东经116°22′～118°40′、北纬33°43′～34°58′ (徐州市人民政府网《徐州概况·自然地理》).
const XUZHOU_BOX = { min_lng: 116.366, max_lng: 118.667, min_lat: 33.716, max_lat: 34.967 };

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const col of ['min_lng', 'max_lng', 'min_lat', 'max_lat'])
    await db.schema.alterTable('jurisdictions').addColumn(col, 'double precision').execute();
  await db.updateTable('jurisdictions').set(XUZHOU_BOX).where('code', '=', '320300').execute();

  await db.schema
    .createTable('resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** Registry kind (packages/shared registries: science_base, demo_school, stem_base …). */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull().references('jurisdictions.id'))
    /** The unit that keeps this record (edits it); the jurisdiction's admin edits all. */
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    /** 国家级 / 省级 / 市级 / 县级 where the kind has levels. */
    .addColumn('level', 'text')
    /** Kind-specific class: a training's 科技辅导员 / 高素质农民 …, a competition's field, a base's theme group. */
    .addColumn('category', 'text')
    .addColumn('theme', 'text')
    /** 认定/授牌 date for recognitions, the held date for trainings, competitions and visits. */
    .addColumn('recognised_on', 'text')
    /** Review due / valid until: not counted after it. */
    .addColumn('expires_on', 'text')
    /** 摘牌 / withdrawn on: not counted from that day. */
    .addColumn('withdrawn_on', 'text')
    .addColumn('withdrawn_reason', 'text')
    /** Year of recognised_on (filters and annual sums). */
    .addColumn('year', 'integer')
    /** Trainees, entrants, visitors or members. */
    .addColumn('quantity', 'integer')
    .addColumn('hours', 'double precision')
    .addColumn('address', 'text')
    .addColumn('longitude', 'double precision')
    .addColumn('latitude', 'double precision')
    .addColumn('open_to_public', 'integer')
    .addColumn('opening_hours', 'text')
    /** A volunteer's team, a chief expert's 服务团. */
    .addColumn('parent_id', 'text', (c) => c.references('resources.id'))
    /** JSON object of the kind's other fields (contact, organiser, document number …). */
    .addColumn('details_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('demo_batch_id', 'text')
    .execute();
  await db.schema
    .createIndex('resources_kind_jur_idx')
    .on('resources')
    .columns(['kind', 'jurisdiction_id', 'recognised_on'])
    .execute();
  await db.schema.createIndex('resources_kind_year_idx').on('resources').columns(['kind', 'year']).execute();
  await db.schema.createIndex('resources_unit_idx').on('resources').column('unit_id').execute();
  await db.schema.createIndex('resources_parent_idx').on('resources').column('parent_id').execute();
  await db.schema.createIndex('resources_demo_idx').on('resources').column('demo_batch_id').execute();

  await db.schema
    .createTable('activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('organiser_unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('theme', 'text')
    /** 全国科普日, 科技活动周, 三下乡 … or null. */
    .addColumn('campaign', 'text')
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('longitude', 'double precision')
    .addColumn('latitude', 'double precision')
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    /** offline / online / both. */
    .addColumn('mode', 'text', (c) => c.notNull())
    /** JSON array of key population codes reached. */
    .addColumn('populations_json', 'text', (c) => c.notNull().defaultTo('[]'))
    /** Person-times (人次) reached, and how they were counted. */
    .addColumn('participants', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('counting_method', 'text')
    .addColumn('summary', 'text')
    /** Joint activities: start date + normalised place + title; the first reported counts, the others point to it. */
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('duplicate_of', 'text', (c) => c.references('activities.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('demo_batch_id', 'text')
    .execute();
  await db.schema
    .createIndex('activities_jur_year_idx')
    .on('activities')
    .columns(['jurisdiction_id', 'year', 'duplicate_of', 'participants'])
    .execute();
  await db.schema.createIndex('activities_start_idx').on('activities').column('start_date').execute();
  await db.schema.createIndex('activities_dedupe_idx').on('activities').column('dedupe_key').execute();
  await db.schema.createIndex('activities_unit_idx').on('activities').column('organiser_unit_id').execute();
  await db.schema.createIndex('activities_dup_idx').on('activities').column('duplicate_of').execute();
  await db.schema.createIndex('activities_demo_idx').on('activities').column('demo_batch_id').execute();

  await db.schema
    .createTable('activity_coorganisers')
    .addColumn('activity_id', 'text', (c) => c.notNull().references('activities.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addPrimaryKeyConstraint('activity_coorganisers_pk', ['activity_id', 'unit_id'])
    .execute();
  await db.schema
    .createIndex('activity_coorganisers_unit_idx')
    .on('activity_coorganisers')
    .column('unit_id')
    .execute();

  await db.schema
    .createTable('activity_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('activity_id', 'text', (c) => c.notNull().references('activities.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_path', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('activity_files_activity_idx')
    .on('activity_files')
    .column('activity_id')
    .execute();

  await db.schema
    .createTable('volunteer_services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The volunteer (a resources row of kind volunteer). */
    .addColumn('volunteer_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('activity_id', 'text', (c) => c.references('activities.id'))
    .addColumn('served_on', 'text', (c) => c.notNull())
    .addColumn('hours', 'double precision', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('demo_batch_id', 'text')
    .execute();
  await db.schema
    .createIndex('volunteer_services_volunteer_idx')
    .on('volunteer_services')
    .column('volunteer_id')
    .execute();

  await db.schema
    .createTable('funding')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    /** 本级财政 / 上级转移支付 / 社会资金 … */
    .addColumn('source', 'text', (c) => c.notNull())
    /** 元 */
    .addColumn('budgeted', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('spent', 'double precision')
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('demo_batch_id', 'text')
    .addUniqueConstraint('funding_jur_year_source', ['jurisdiction_id', 'year', 'source'])
    .execute();

  await db.schema
    .createTable('funding_standards')
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    /** 元 per resident. */
    .addColumn('per_resident', 'double precision', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('funding_standards_pk', ['jurisdiction_id', 'year'])
    .execute();

  await db.schema
    .createTable('content_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The level that published it. */
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull().references('jurisdictions.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    /** JSON arrays: themes, audience groups (key population codes), target jurisdiction ids ([] = the whole subtree). */
    .addColumn('themes_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('audiences_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('jurisdictions_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('published_on', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('demo_batch_id', 'text')
    .execute();

  await db.schema
    .createTable('indicator_bindings')
    .addColumn('indicator_id', 'text', (c) => c.primaryKey().references('indicators.id'))
    /** JSON of the registry query (packages/shared RegistryQuerySchema). */
    .addColumn('query_json', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'indicator_bindings',
    'content_items',
    'funding_standards',
    'funding',
    'volunteer_services',
    'activity_files',
    'activity_coorganisers',
    'activities',
    'resources',
  ])
    await db.schema.dropTable(t).execute();
  for (const col of ['min_lng', 'max_lng', 'min_lat', 'max_lat'])
    await db.schema.alterTable('jurisdictions').dropColumn(col).execute();
}
