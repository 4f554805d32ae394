import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { countyIndex } from './observation-sources';
import { populationMarginRows } from './progress.repository';

/** What other modules may read of the progress module's inputs: they come here, never to progress.repository. */
export { type ApprovedValueRow, approvedValueRows, countyRows } from './progress.repository';
export {
  collectObservations,
  countyIndex,
  planScope,
  populationTable,
  registryObservationSource,
} from './observation-sources';

/**
 * 常住人口 of one year with its source, as the progress engine reads the population table (`populationTable`): keyed
 * by county unit id (a jurisdiction's government unit), null for the root's total row; only positive figures; the
 * year must match exactly (no carrying another year's figure over). Coverage (activities) reads residents here.
 */
export async function residentsOfYear(
  db: Kysely<Database>,
  year: number,
): Promise<Map<string | null, { population: number; source: string | null }>> {
  const [index, rows] = await Promise.all([countyIndex(db), populationMarginRows(db)]);
  const out = new Map<string | null, { population: number; source: string | null }>();
  for (const r of rows) {
    if (r.year !== year || !(Number(r.population) > 0)) continue;
    const county = r.dimension === 'total' ? null : (index.byName.get(r.level) ?? null);
    if (r.dimension === 'county' && county === null) continue;
    if (!out.has(county)) out.set(county, { population: Number(r.population), source: r.source });
  }
  return out;
}
