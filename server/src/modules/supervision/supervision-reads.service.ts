/** What other modules may read of 督办 notices: they come here, never to supervision.repository. */
import type { Notice } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { todayUtc } from './notice-state';
import { noticeRowsFor } from './supervision.repository';
import { toNotice } from './supervision.service';

/**
 * The notices of a jurisdiction subtree (and those addressed to its own government unit), or of one unit, issued in a
 * period, as the notice list shows them (state, overdue as of `now`). The caller authorizes.
 */
export async function noticesFor(
  db: Kysely<Database>,
  f: {
    within?: { path: string; unitIds: string[] } | undefined;
    unitId?: string | undefined;
    issuedFrom?: string | undefined;
    issuedTo?: string | undefined;
  },
  now: Date = new Date(),
): Promise<Notice[]> {
  const today = todayUtc(now);
  return (await noticeRowsFor(db, f)).map((r) => toNotice(r, today));
}

export { type NoticeRow, noticeRowsOfUnits } from './supervision.repository';
