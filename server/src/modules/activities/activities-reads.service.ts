import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { upcomingRowsIn } from './activities.repository';

/** What other modules read of activities (the recommendations of the content module). */

export interface UpcomingActivity {
  id: string;
  jurisdictionId: string;
  title: string;
  place: string;
  startDate: string;
  endDate: string;
  theme: string | null;
  mode: string;
}

/**
 * Upcoming activities a citizen may attend, by the public calendar's rule: counted (a joint activity once), not demo,
 * starting on or after `today`, held in one of `jurisdictionIds`; `group` keeps those meant for that key population.
 * Soonest first, at most 200.
 */
export async function upcomingActivitiesIn(
  db: Kysely<Database>,
  jurisdictionIds: string[],
  today: string,
  group: string | null,
): Promise<UpcomingActivity[]> {
  const rows = await upcomingRowsIn(db, jurisdictionIds, today, group, 200);
  return rows.map((r) => ({
    id: r.id,
    jurisdictionId: r.jurisdiction_id,
    title: r.title,
    place: r.place,
    startDate: r.start_date,
    endDate: r.end_date,
    theme: r.theme,
    mode: r.mode,
  }));
}
