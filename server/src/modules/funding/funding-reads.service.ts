import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { findJurisdiction } from '../jurisdictions/jurisdictions.service';
import { jurisdictionResidents } from '../progress/progress-reads.service';
import { fundingRowsOf } from './funding.repository';

/** One jurisdiction's 科普经费 of one year per resident. */
export interface FundingPerResident {
  jurisdictionId: string;
  year: number;
  /** 元 budgeted in the year, all sources. */
  budgeted: number;
  /** Whether any funding row was recorded for the year (a level that recorded nothing is missing, not 0). */
  hasFunding: boolean;
  residents: number | null;
  /** 元/人, rounded to 分; null when residents are missing or nothing was recorded. */
  perResident: number | null;
}

/** 元/人 rounded to 分 (two decimals). */
export const roundYuan = (v: number) => Math.round(v * 100) / 100;

/**
 * 科普经费 budgeted per resident (元/人) of jurisdictions by year, for other modules (the dashboards, an indicator
 * bound to `funding_per_resident`): budgeted over all sources ÷ residents (progress module's population table: the
 * root's total row, a county's government unit row). No residents, or nothing recorded → perResident null.
 * No permission check: the caller has decided the reader may see these jurisdictions.
 */
export async function fundingPerResident(
  db: Kysely<Database>,
  jurisdictionIds: string[],
  years: number[],
): Promise<FundingPerResident[]> {
  const rows = await fundingRowsOf(db, jurisdictionIds, years);
  const jurisdictions = (await Promise.all(jurisdictionIds.map((id) => findJurisdiction(db, id)))).filter(
    (j) => j !== undefined,
  );
  const residents = await jurisdictionResidents(db, jurisdictions, years);
  const out: FundingPerResident[] = [];
  for (const id of jurisdictionIds) {
    for (const year of years) {
      const own = rows.filter((r) => r.jurisdiction_id === id && r.year === year);
      const budgeted = roundYuan(own.reduce((s, r) => s + Number(r.budgeted), 0));
      const pop = residents.get(`${id}|${year}`)?.residents ?? null;
      out.push({
        jurisdictionId: id,
        year,
        budgeted,
        hasFunding: own.length > 0,
        residents: pop,
        perResident: pop !== null && own.length > 0 ? roundYuan(budgeted / pop) : null,
      });
    }
  }
  return out;
}
