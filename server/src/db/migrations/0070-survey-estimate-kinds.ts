import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Survey estimates say what they are: `kind` (proportion of a 0/1 variable, or mean), `ci_method` (logit, wald,
// beta, or null without an interval) and `flags` (JSON array: all_zero, all_one, constant, no_df, …). Rows written
// before: literate was validated 0/1 at import and score was the only other variable, so score rows are means
// (without an interval until the wave is recomputed) and the rest proportions with logit intervals.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('survey_estimates')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('proportion'))
    .execute();
  await db.schema.alterTable('survey_estimates').addColumn('ci_method', 'text').execute();
  await db.schema
    .alterTable('survey_estimates')
    .addColumn('flags', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.updateTable('survey_estimates').set({ kind: 'mean' }).where('variable', '=', 'score').execute();
  await db
    .updateTable('survey_estimates')
    .set({ ci_method: 'logit' })
    .where('kind', '=', 'proportion')
    .where('ci_low', 'is not', null)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('survey_estimates').dropColumn('flags').execute();
  await db.schema.alterTable('survey_estimates').dropColumn('ci_method').execute();
  await db.schema.alterTable('survey_estimates').dropColumn('kind').execute();
}
