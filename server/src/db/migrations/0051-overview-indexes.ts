import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Indexes the city overview needs at scale (measured in bench/overview.bench.ts on a five-year history):
// - plan_task_units (task_id, unit_id): approved values join each report to its unit's role on the task; with only
//   the single-column indexes, every value row scanned one unit's assignments across all plan versions.
// - progress_reports (updated_at): the overview cache's fingerprint reads max(updated_at) from the index instead
//   of scanning every report.
// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('plan_task_units_task_unit_idx')
    .on('plan_task_units')
    .columns(['task_id', 'unit_id'])
    .execute();
  await db.schema
    .createIndex('progress_reports_updated_idx')
    .on('progress_reports')
    .column('updated_at')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('progress_reports_updated_idx').execute();
  await db.schema.dropIndex('plan_task_units_task_unit_idx').execute();
}
