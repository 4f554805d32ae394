import { type Kysely, sql } from 'kysely';
import { containsPattern, ilike, readInParts, toCount } from '../../db/dialect';
import { jurisdictionsWithin } from '../../db/jurisdiction-scope';
import type { ActivitiesTable, ActivityFilesTable, Database } from '../../db/schema';

/** An activity row with the names a list shows and the path its readers are checked against. */
export interface ActivityRow extends ActivitiesTable {
  organiser_name: string;
  organiser_jurisdiction_id: string | null;
  jurisdiction_name: string;
  jurisdiction_path: string;
}

function withNames(db: Kysely<Database>) {
  return db
    .selectFrom('activities as a')
    .innerJoin('units as u', 'u.id', 'a.organiser_unit_id')
    .innerJoin('jurisdictions as j', 'j.id', 'a.jurisdiction_id')
    .selectAll('a')
    .select([
      'u.name as organiser_name',
      'u.jurisdiction_id as organiser_jurisdiction_id',
      'j.name as jurisdiction_name',
      'j.path as jurisdiction_path',
    ]);
}

export function findActivityRow(db: Kysely<Database>, id: string): Promise<ActivityRow | undefined> {
  return withNames(db).where('a.id', '=', id).executeTakeFirst();
}

export interface ActivityFilter {
  /** The jurisdictions the activities were held in (a subtree's ids); null: every one (the root's subtree). */
  jurisdictionIds: string[] | null;
  year?: number;
  from?: string;
  to?: string;
  campaign?: string;
  unitId?: string;
  q?: string;
  includeDuplicates: boolean;
}

/**
 * A page of activities, newest start first: the page's ids and the count read from the activities table alone
 * (no joins: joining units and jurisdictions for every matching row made a city-wide page of 200,000 activities take
 * 1.5 s), then the names of the page's rows.
 */
export async function listActivityRows(
  db: Kysely<Database>,
  f: ActivityFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: ActivityRow[]; total: number }> {
  let base = db.selectFrom('activities as a');
  if (f.jurisdictionIds !== null) base = base.where('a.jurisdiction_id', 'in', f.jurisdictionIds);
  if (f.year !== undefined) base = base.where('a.year', '=', f.year);
  if (f.from) base = base.where('a.start_date', '>=', f.from);
  if (f.to) base = base.where('a.start_date', '<=', f.to);
  if (f.campaign) base = base.where('a.campaign', '=', f.campaign);
  if (!f.includeDuplicates) base = base.where('a.duplicate_of', 'is', null);
  if (f.unitId) {
    const unitId = f.unitId;
    base = base.where((eb) =>
      eb.or([
        eb('a.organiser_unit_id', '=', unitId),
        eb(
          'a.id',
          'in',
          eb.selectFrom('activity_coorganisers').select('activity_id').where('unit_id', '=', unitId),
        ),
      ]),
    );
  }
  if (f.q) {
    const p = containsPattern(f.q);
    base = base.where((eb) =>
      eb.or([ilike(eb.ref('a.title'), p), ilike(eb.ref('a.place'), p), ilike(eb.ref('a.theme'), p)]),
    );
  }
  const [ids, count] = await Promise.all([
    base
      .select(['a.id', 'a.start_date'])
      .orderBy('a.start_date', 'desc')
      .orderBy('a.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  const rows = await readInParts(
    ids.map((r) => r.id),
    (part) => withNames(db).where('a.id', 'in', part).execute(),
  );
  const order = new Map(ids.map((r, i) => [r.id, i]));
  rows.sort((x, y) => (order.get(x.id) ?? 0) - (order.get(y.id) ?? 0));
  return { rows, total: toCount(count.n) };
}

export function coorganiserRows(
  db: Kysely<Database>,
  activityIds: string[],
): Promise<{ activity_id: string; unit_id: string; name: string }[]> {
  // In parts (an export lists up to 100,000 activities); each activity's rows come in one part, in order.
  return readInParts(activityIds, (part) =>
    db
      .selectFrom('activity_coorganisers as c')
      .innerJoin('units as u', 'u.id', 'c.unit_id')
      .select(['c.activity_id', 'c.unit_id', 'u.name'])
      .where('c.activity_id', 'in', part)
      .orderBy('u.sort_order')
      .orderBy('u.name')
      .execute(),
  );
}

/** How many reports of the same joint activity point to each of these (counted) activities. */
export async function duplicateCounts(db: Kysely<Database>, ids: string[]): Promise<Map<string, number>> {
  const rows = await readInParts(ids, (part) =>
    db
      .selectFrom('activities')
      .select(['duplicate_of', (eb) => eb.fn.countAll().as('n')])
      .where('duplicate_of', 'in', part)
      .groupBy('duplicate_of')
      .execute(),
  );
  return new Map(rows.map((r) => [r.duplicate_of as string, toCount(r.n)]));
}

/** The counted activity of each of these ids, with its organiser's name (for "与××单位上报的同一活动合并计数"). */
export function countedActivityNames(
  db: Kysely<Database>,
  ids: string[],
): Promise<{ id: string; title: string; organiser_name: string }[]> {
  return readInParts(ids, (part) =>
    db
      .selectFrom('activities as a')
      .innerJoin('units as u', 'u.id', 'a.organiser_unit_id')
      .select(['a.id', 'a.title', 'u.name as organiser_name'])
      .where('a.id', 'in', part)
      .execute(),
  );
}

export async function insertActivityRow(db: Kysely<Database>, row: ActivitiesTable): Promise<void> {
  await db.insertInto('activities').values(row).execute();
}

/** Update guarded by the version read; false when someone else changed the row first. */
export async function updateActivityRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<ActivitiesTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('activities')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function replaceCoorganisers(
  db: Kysely<Database>,
  activityId: string,
  unitIds: string[],
): Promise<void> {
  await db.deleteFrom('activity_coorganisers').where('activity_id', '=', activityId).execute();
  if (unitIds.length > 0)
    await db
      .insertInto('activity_coorganisers')
      .values(unitIds.map((unit_id) => ({ activity_id: activityId, unit_id })))
      .execute();
}

export async function deleteActivityRow(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('activity_files').where('activity_id', '=', id).execute();
  await db.deleteFrom('activity_coorganisers').where('activity_id', '=', id).execute();
  await db.deleteFrom('activities').where('id', '=', id).execute();
}

/** The counted activity (duplicate_of null) with this key in the subtree, other than `exceptId`; the earliest. */
export function findCountedByKey(
  db: Kysely<Database>,
  key: string,
  withinPath: string,
  exceptId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('activities')
    .select('id')
    .where('dedupe_key', '=', key)
    .where('duplicate_of', 'is', null)
    .where('id', '!=', exceptId)
    .where('jurisdiction_id', 'in', jurisdictionsWithin(db, withinPath))
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/** Reports pointing to a counted activity, the earliest reported first. */
export async function followerIds(db: Kysely<Database>, id: string): Promise<string[]> {
  const rows = await db
    .selectFrom('activities')
    .select('id')
    .where('duplicate_of', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Point rows to another counted activity (or make them counted: null), bumping their version. */
export async function setDuplicateOf(
  db: Kysely<Database>,
  ids: string[],
  duplicateOf: string | null,
  now: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('activities')
    .set((eb) => ({ duplicate_of: duplicateOf, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', 'in', ids)
    .execute();
}

/** Units by id, with their jurisdiction and whether they are live (organiser and co-organiser checks). */
export function unitFacts(
  db: Kysely<Database>,
  ids: string[],
): Promise<{ id: string; name: string; jurisdiction_id: string | null; is_active: number }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('units')
    .select(['id', 'name', 'jurisdiction_id', 'is_active'])
    .where('id', 'in', ids)
    .execute();
}

// ── files ─────────────────────────────────────────────────────────────────────────────────────────────────────────

export function fileRows(db: Kysely<Database>, activityId: string): Promise<ActivityFilesTable[]> {
  return db
    .selectFrom('activity_files')
    .selectAll()
    .where('activity_id', '=', activityId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findFileRow(
  db: Kysely<Database>,
  activityId: string,
  fileId: string,
): Promise<ActivityFilesTable | undefined> {
  return db
    .selectFrom('activity_files')
    .selectAll()
    .where('id', '=', fileId)
    .where('activity_id', '=', activityId)
    .executeTakeFirst();
}

export async function countFiles(db: Kysely<Database>, activityId: string): Promise<number> {
  const r = await db
    .selectFrom('activity_files')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('activity_id', '=', activityId)
    .executeTakeFirstOrThrow();
  return toCount(r.n);
}

export async function insertFileRow(db: Kysely<Database>, row: ActivityFilesTable): Promise<void> {
  await db.insertInto('activity_files').values(row).execute();
}

export async function deleteFileRow(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('activity_files').where('id', '=', id).execute();
}

// ── public calendar and coverage ─────────────────────────────────────────────────────────────────────────────────

/** Counted, real (not demo) activities of a subtree that end on or after `from` and start on or before `to`, soonest first. */
export function upcomingRows(
  db: Kysely<Database>,
  withinPath: string,
  from: string,
  to: string,
  limit: number,
): Promise<ActivityRow[]> {
  return withNames(db)
    .where('a.jurisdiction_id', 'in', jurisdictionsWithin(db, withinPath))
    .where('a.duplicate_of', 'is', null)
    .where('a.demo_batch_id', 'is', null)
    .where('a.end_date', '>=', from)
    .where('a.start_date', '<=', to)
    .orderBy('a.start_date')
    .orderBy('a.id')
    .limit(limit)
    .execute();
}

/**
 * Counted, real activities held in these jurisdictions starting on or after `today`, soonest first; `group` (a key
 * population code) keeps those whose populations contain it. For the public recommendations.
 */
export function upcomingRowsIn(
  db: Kysely<Database>,
  jurisdictionIds: string[],
  today: string,
  group: string | null,
  limit: number,
): Promise<ActivitiesTable[]> {
  if (jurisdictionIds.length === 0) return Promise.resolve([]);
  let q = db
    .selectFrom('activities')
    .selectAll()
    .where('jurisdiction_id', 'in', jurisdictionIds)
    .where('duplicate_of', 'is', null)
    .where('demo_batch_id', 'is', null)
    .where('start_date', '>=', today);
  if (group) q = q.where('populations_json', 'like', `%"${group}"%`);
  return q.orderBy('start_date').orderBy('id').limit(limit).execute();
}

/** Every jurisdiction of a subtree (for the calendar's county filter), in tree order. */
export function subtreeJurisdictions(
  db: Kysely<Database>,
  path: string,
): Promise<{ id: string; name: string; parent_id: string | null; path: string }[]> {
  return db
    .selectFrom('jurisdictions')
    .select(['id', 'name', 'parent_id', 'path'])
    .where('path', 'like', `${path}%`)
    .orderBy('sort_order')
    .orderBy('name')
    .execute();
}

/**
 * Changes with every committed write to activities (and to the unit and jurisdiction names and populations their
 * lists and coverage show): each is audited in its own transaction, and audit ids are ULIDs, strictly increasing in
 * a process; rows written straight to the table (a benchmark's seed) carry a newer id of their own. Both are primary
 * key look-ups, whatever the tables' size. (Two processes auditing in the same millisecond may order their ids
 * either way: the later commit can then go unseen until the next write.)
 */
export async function activitiesFingerprint(db: Kysely<Database>): Promise<string> {
  // One round trip: both are index look-ups.
  const r = await db
    .selectNoFrom([
      sql<string | null>`(select max(id) from audit_log)`.as('t'),
      sql<string | null>`(select max(id) from activities)`.as('id'),
    ])
    .executeTakeFirstOrThrow();
  return `${r.t ?? ''}|${r.id ?? ''}`;
}

/**
 * Person-times and activities of COUNTED activities (duplicate_of null: a joint activity once) held in the year, by
 * the jurisdiction where they were held, for the jurisdictions of a subtree. One grouped read of the
 * (jurisdiction_id, year, duplicate_of, participants) index.
 */
export async function countedPersonTimesRows(
  db: Kysely<Database>,
  withinPath: string,
  year: number,
): Promise<{ jurisdiction_id: string; person_times: number; activities: number }[]> {
  const rows = await db
    .selectFrom('activities')
    .select((eb) => [
      'jurisdiction_id',
      eb.fn.sum<number | string>('participants').as('person_times'),
      eb.fn.countAll().as('activities'),
    ])
    .where('jurisdiction_id', 'in', jurisdictionsWithin(db, withinPath))
    .where('year', '=', year)
    .where('duplicate_of', 'is', null)
    .groupBy('jurisdiction_id')
    .execute();
  return rows.map((r) => ({
    jurisdiction_id: r.jurisdiction_id,
    person_times: Number(r.person_times ?? 0),
    activities: toCount(r.activities),
  }));
}
