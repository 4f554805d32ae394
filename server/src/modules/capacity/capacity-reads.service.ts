import type { CapacityResult } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { publicCapacity, publishedResult } from './capacity.service';

/**
 * The published capacity index of a level and year (weights, method, each county's inputs with their source and
 * as-of day, scores, index, rank, sensitivity), or null when none is published: for the annual report and open data.
 * No permission check: a published result is public.
 */
export function publishedCapacityIndex(
  db: Kysely<Database>,
  jurisdictionId: string,
  year: number,
): Promise<CapacityResult | null> {
  return publishedResult(db, jurisdictionId, year);
}

/** Every published capacity index (level and year), newest year first: the editions of the open dataset. */
export async function publishedCapacityEditions(
  db: Kysely<Database>,
): Promise<{ jurisdictionId: string; jurisdictionName: string; year: number }[]> {
  return (await publicCapacity(db, {})).available;
}
