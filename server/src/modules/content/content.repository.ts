import { type Kysely, sql } from 'kysely';
import { containsPattern, ilike } from '../../db/dialect';
import { jurisdictionsWithin } from '../../db/jurisdiction-scope';
import type { ContentItemsTable, Database } from '../../db/schema';

export function findContentRow(db: Kysely<Database>, id: string): Promise<ContentItemsTable | undefined> {
  return db.selectFrom('content_items').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Content published by the jurisdictions of a subtree, newest first, with an optional title/summary search. */
export async function contentRowsWithin(
  db: Kysely<Database>,
  path: string,
  opts: { q?: string; audience?: string; limit: number; offset: number },
): Promise<{ rows: ContentItemsTable[]; total: number }> {
  let base = db.selectFrom('content_items').where('jurisdiction_id', 'in', jurisdictionsWithin(db, path));
  if (opts.q) {
    const p = containsPattern(opts.q);
    base = base.where((eb) => eb.or([ilike(sql.ref('title'), p), ilike(sql.ref('summary'), p)]));
  }
  if (opts.audience) base = base.where('audiences_json', 'like', `%"${opts.audience}"%`);
  const [rows, total] = await Promise.all([
    base
      .selectAll()
      .orderBy('published_on', 'desc')
      .orderBy('id', 'desc')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function insertContentRow(db: Kysely<Database>, row: ContentItemsTable): Promise<void> {
  await db.insertInto('content_items').values(row).execute();
}

/** Update if the version is still `version`; false when someone changed it first. */
export async function updateContentRow(
  db: Kysely<Database>,
  id: string,
  version: number,
  changes: Partial<ContentItemsTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('content_items')
    .set({ ...changes, version: version + 1, demo_batch_id: null })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteContentRow(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('content_items').where('id', '=', id).execute();
}
