import type { PopulationGroup, PublicActivityQuery, PublicCalendar } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { dateIn, plusDays } from '../../time';
import { findJurisdiction, rootJurisdictionId } from '../jurisdictions/jurisdictions.service';
import { subtreeJurisdictions, upcomingRows } from './activities.repository';

/** At most this many activities in one answer (the page asks for a month or a quarter). */
const PUBLIC_LIMIT = 500;
/** Without `to`, the calendar looks this many days ahead. */
const DEFAULT_DAYS_AHEAD = 90;

/**
 * The public calendar (no sign-in): counted activities (a joint activity once) that have not ended yet, within the
 * dates asked (never before today), of a jurisdiction's subtree (default: the whole installation). Only what a
 * citizen needs to attend: no units' people, no counts, no files; demo activities are never public.
 */
export async function publicCalendar(
  db: Kysely<Database>,
  timeZone: string,
  q: PublicActivityQuery,
): Promise<PublicCalendar> {
  const today = dateIn(timeZone);
  const rootId = await rootJurisdictionId(db);
  const root = rootId ? await findJurisdiction(db, rootId) : undefined;
  if (!root) return { today, jurisdictions: [], items: [], truncated: false };
  const within = q.jurisdictionId ? await findJurisdiction(db, q.jurisdictionId) : root;
  if (!within?.path.startsWith(root.path)) throw new AppError('NOT_FOUND', '地区不存在');
  const from = q.from && q.from > today ? q.from : today;
  const to = q.to ?? plusDays(from, DEFAULT_DAYS_AHEAD);
  const [rows, places] = await Promise.all([
    to < from ? Promise.resolve([]) : upcomingRows(db, within.path, from, to, PUBLIC_LIMIT + 1),
    subtreeJurisdictions(db, root.path),
  ]);
  return {
    today,
    jurisdictions: places.map((p) => ({ id: p.id, name: p.name, parentId: p.parent_id })),
    items: rows.slice(0, PUBLIC_LIMIT).map((r) => ({
      id: r.id,
      title: r.title,
      organiserName: r.organiser_name,
      jurisdictionId: r.jurisdiction_id,
      jurisdictionName: r.jurisdiction_name,
      place: r.place,
      startDate: r.start_date,
      endDate: r.end_date,
      theme: r.theme,
      campaign: r.campaign,
      mode: r.mode as PublicCalendar['items'][number]['mode'],
      populations: JSON.parse(r.populations_json) as PopulationGroup[],
      summary: r.summary,
    })),
    truncated: rows.length > PUBLIC_LIMIT,
  };
}
