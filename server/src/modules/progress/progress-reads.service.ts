/** What other modules may read of the progress module's inputs: they come here, never to progress.repository. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { countyIndex } from './observation-sources';
import { populationMarginRows } from './progress.repository';

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

/** A jurisdiction as residents are looked up: the root's are the total row, a lower level's its government unit's. */
export interface ResidentsOf {
  id: string;
  parent_id: string | null;
  government_unit_id: string | null;
}

/**
 * Residents (常住人口) of each jurisdiction for each year, from the population margins: the root's from the total
 * row, a lower level's from the row of its government unit (丰县人民政府 → 丰县). A year without its own figure is
 * absent from the map (shown as missing, never 0), as in coverage and the indicator engine.
 * Key: `${jurisdictionId}|${year}`.
 */
export async function jurisdictionResidents(
  db: Kysely<Database>,
  jurisdictions: ResidentsOf[],
  years: number[],
): Promise<Map<string, { residents: number; year: number }>> {
  const out = new Map<string, { residents: number; year: number }>();
  for (const year of new Set(years)) {
    const byCounty = await residentsOfYear(db, year);
    for (const j of jurisdictions) {
      const key = j.parent_id === null ? null : j.government_unit_id;
      if (j.parent_id !== null && key === null) continue;
      const r = byCounty.get(key);
      if (r) out.set(`${j.id}|${year}`, { residents: r.population, year });
    }
  }
  return out;
}
