import type { CapacityResult } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { publishedResult } from './capacity.service';

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
