import type { Kysely } from 'kysely';
import type { ContentItemsTable, Database } from '../../db/schema';

/*
 * The public recommendations read two tables directly: content_items (this module's) and activities. No activities
 * module existed when this was written (issue 13 builds one in parallel); once it exports a read of upcoming counted
 * activities, this query should move behind it.
 */

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

export interface UpcomingActivityRow {
  id: string;
  jurisdiction_id: string;
  title: string;
  place: string;
  start_date: string;
  end_date: string;
  theme: string | null;
  mode: string;
  populations_json: string;
}

/**
 * Counted activities (joint ones once: duplicate_of is null) of these jurisdictions starting on or after `today`,
 * soonest first; `group` (a key population code) keeps those whose populations contain it.
 */
export function upcomingActivityRows(
  db: Kysely<Database>,
  jurisdictionIds: string[],
  today: string,
  group: string | null,
): Promise<UpcomingActivityRow[]> {
  if (jurisdictionIds.length === 0) return Promise.resolve([]);
  let q = db
    .selectFrom('activities')
    .select([
      'id',
      'jurisdiction_id',
      'title',
      'place',
      'start_date',
      'end_date',
      'theme',
      'mode',
      'populations_json',
    ])
    .where('jurisdiction_id', 'in', jurisdictionIds)
    .where('duplicate_of', 'is', null)
    .where('start_date', '>=', today);
  if (group) q = q.where('populations_json', 'like', `%"${group}"%`);
  return q.orderBy('start_date').orderBy('id').limit(200).execute();
}
