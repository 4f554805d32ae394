import type { Kysely } from 'kysely';
import type { ContentItemsTable, Database } from '../../db/schema';

/* The public recommendations' content (activities come from the activities module's reads service). */

/** Content published by any of these jurisdictions (the reader's county and its ancestors). */
export function contentRowsOfPublishers(
  db: Kysely<Database>,
  jurisdictionIds: string[],
): Promise<ContentItemsTable[]> {
  if (jurisdictionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('content_items')
    .selectAll()
    .where('jurisdiction_id', 'in', jurisdictionIds)
    .orderBy('published_on', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
}
