/** What other modules may read of the progress module's inputs: they come here, never to progress.repository. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { countyIndex, populationTable } from './observation-sources';

export { type ApprovedValueRow, approvedValueRows, countyRows } from './progress.repository';
export { countyIndex, planScope, populationTable } from './observation-sources';

/** A jurisdiction as residents are looked up: the root's are the total row, a lower level's its government unit's. */
export interface ResidentsOf {
  id: string;
  parent_id: string | null;
  government_unit_id: string | null;
}

/**
 * Residents (常住人口) of each jurisdiction for each year, from the population margins: the root's from the total
 * row, a lower level's from the row of its government unit (丰县人民政府 → 丰县). A year without its own figure takes
 * the latest earlier one (its year is returned); none at all → absent from the map, never 0.
 * Key: `${jurisdictionId}|${year}`.
 */
export async function jurisdictionResidents(
  db: Kysely<Database>,
  jurisdictions: ResidentsOf[],
  years: number[],
): Promise<Map<string, { residents: number; year: number }>> {
  const index = await countyIndex(db);
  const table = await populationTable(db, index.byName);
  const out = new Map<string, { residents: number; year: number }>();
  for (const j of jurisdictions) {
    const key = j.parent_id === null ? null : j.government_unit_id;
    if (j.parent_id !== null && key === null) continue;
    const rows = table.filter((r) => r.county === key).sort((a, b) => b.year - a.year);
    for (const year of years) {
      const r = rows.find((p) => p.year <= year);
      if (r) out.set(`${j.id}|${year}`, { residents: r.population, year: r.year });
    }
  }
  return out;
}
