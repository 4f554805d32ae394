import {
  COVERAGE_CAVEAT,
  COVERAGE_TARGET,
  type Coverage,
  type CoverageQuery,
  type CoverageRow,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authorize } from '../../authorize';
import type { Ctx } from '../../context';
import type { Database, JurisdictionsTable } from '../../db/schema';
import { dateIn } from '../../time';
import { childJurisdictions } from '../jurisdictions/jurisdictions.service';
import { residentsOfYear } from '../progress/progress-reads.service';
import { canReadActivities } from './activities.policy';
import { FingerprintCache } from '../../db/read-cache';
import { activitiesFingerprint, countedPersonTimesRows, subtreeJurisdictions } from './activities.repository';
import { requireReadableJurisdiction } from './activities.service';

/**
 * Person-times (人次) and activities of COUNTED activities (a joint activity once) held in the year in the subtree of
 * each of `jurisdictions` (each must lie within `withinPath`). What coverage divides by residents; the progress
 * module reads the same rows with its own SQL (duplicate_of IS NULL).
 */
export async function countedPersonTimes(
  db: Kysely<Database>,
  withinPath: string,
  year: number,
  jurisdictions: Pick<JurisdictionsTable, 'id' | 'path'>[],
): Promise<Map<string, { personTimes: number; activities: number }>> {
  const [sums, subtree] = await Promise.all([
    countedPersonTimesRows(db, withinPath, year),
    subtreeJurisdictions(db, withinPath),
  ]);
  const pathOf = new Map(subtree.map((j) => [j.id, j.path]));
  const out = new Map(jurisdictions.map((j) => [j.id, { personTimes: 0, activities: 0 }]));
  for (const s of sums) {
    const p = pathOf.get(s.jurisdiction_id);
    if (!p) continue;
    for (const j of jurisdictions) {
      if (!p.startsWith(j.path)) continue;
      const acc = out.get(j.id)!;
      acc.personTimes += s.person_times;
      acc.activities += s.activities;
    }
  }
  return out;
}

/**
 * Coverage of residents by activities in a year: for each child of the jurisdiction (a county's: none) and for the
 * jurisdiction itself, person-times ÷ 常住人口 of that year against 80%. Residents come from the population table the
 * progress module reads (a child's government unit's row; the root's total row); missing → coverage null and status
 * missing_population, never 0% or 100%.
 */
export async function getCoverage(
  db: Kysely<Database>,
  ctx: Ctx,
  timeZone: string,
  q: CoverageQuery,
): Promise<Coverage> {
  authorize(ctx, canReadActivities);
  const own = await requireReadableJurisdiction(db, ctx, q.jurisdictionId);
  const year = q.year ?? Number(dateIn(timeZone).slice(0, 4));
  return coverageCache.get(db, `${own.id}|${year}`, () => computeCoverage(db, own, year));
}

/**
 * Every input of coverage — activities, the population table, the jurisdiction tree — changes only by audited writes
 * (or, for activities written straight to the table, with a newer id), so the answer is kept while the fingerprint
 * holds. Measured with 200,000 activities at 50 connections on SQLite: ~250 requests/s uncached, p99 1.3 s.
 */
const coverageCache = new FingerprintCache<Coverage>(activitiesFingerprint);

async function computeCoverage(
  db: Kysely<Database>,
  own: JurisdictionsTable,
  year: number,
): Promise<Coverage> {
  const children = await childJurisdictions(db, own.id);
  const [sums, residents] = await Promise.all([
    countedPersonTimes(db, own.path, year, [own, ...children]),
    residentsOfYear(db, year),
  ]);
  const rowOf = (j: JurisdictionsTable): CoverageRow => {
    const key = j.parent_id === null ? null : j.government_unit_id;
    const pop = j.parent_id === null || key !== null ? residents.get(key) : undefined;
    const { personTimes, activities } = sums.get(j.id) ?? { personTimes: 0, activities: 0 };
    const coverage = pop ? personTimes / pop.population : null;
    return {
      jurisdictionId: j.id,
      name: j.name,
      personTimes,
      activities,
      residents: pop?.population ?? null,
      populationSource: pop ? (pop.source ?? null) : null,
      coverage,
      status: coverage === null ? 'missing_population' : coverage >= COVERAGE_TARGET ? 'ok' : 'below',
    };
  };
  return {
    year,
    target: COVERAGE_TARGET,
    caveat: COVERAGE_CAVEAT,
    rows: children.map(rowOf),
    total: rowOf(own),
  };
}
