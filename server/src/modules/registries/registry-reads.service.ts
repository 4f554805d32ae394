import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { type RegistryTotalsQuery, registryTotalRows } from './registries.repository';

export type { RegistryTotalsQuery };

/**
 * What other modules may read of the registries (an indicator bound to a registry query): per jurisdiction of a
 * subtree, the records of a kind in force on a day (count: judged as the list's status=in_force — a record without a
 * recognition date counts) or
 * those held in a year (count_in_year, sum_quantity of trainees/entrants/visitors). No authorization: the caller has
 * decided the reader may see the subtree. The list behind each number is `GET /api/v1/registries/:kind` with the same
 * filters (status=in_force&asOf=…&level=…&recognisedFrom=… or year=…&category=…).
 */
export function registryTotals(
  db: Kysely<Database>,
  q: RegistryTotalsQuery,
): Promise<{ jurisdictionId: string; path: string; value: number }[]> {
  return registryTotalRows(db, q);
}
