import type { Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * Subqueries for "within a jurisdiction subtree" (a jurisdiction's path is a prefix of its descendants'; paths are
 * made of ULIDs and slashes, so they hold no LIKE wildcard). Repositories scope their lists with these.
 */
export function jurisdictionsWithin(db: Kysely<Database>, path: string) {
  return db
    .selectFrom('jurisdictions')
    .select('jurisdictions.id')
    .where('jurisdictions.path', 'like', `${path}%`);
}

/** Units working in a jurisdiction of the subtree. */
export function unitsWithin(db: Kysely<Database>, path: string) {
  return db
    .selectFrom('units')
    .select('units.id')
    .where('units.jurisdiction_id', 'in', jurisdictionsWithin(db, path));
}

/** Plans of a jurisdiction of the subtree. */
export function plansWithin(db: Kysely<Database>, path: string) {
  return db
    .selectFrom('plans')
    .select('plans.id')
    .where('plans.jurisdiction_id', 'in', jurisdictionsWithin(db, path));
}
