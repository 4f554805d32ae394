import type { RegistryStatusFilter, ResourceKind } from '@kesu/shared';
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { containsPattern, ilike, toCount } from '../../db/dialect';
import { jurisdictionsWithin } from '../../db/jurisdiction-scope';
import type { Database, ResourcesTable, VolunteerServicesTable } from '../../db/schema';

/** A record with the names the list shows and what permission checks need. */
export type ResourceRow = ResourcesTable & {
  jurisdiction_name: string;
  jurisdiction_path: string;
  unit_name: string;
  unit_jurisdiction_id: string | null;
  parent_name: string | null;
};

export interface ResourceFilters {
  kind: ResourceKind;
  /** Records of this jurisdiction subtree (the path of its root). */
  withinPath: string;
  level?: string;
  category?: string;
  status: RegistryStatusFilter;
  asOf: string;
  recognisedFrom?: string;
  year?: number;
  unitId?: string;
  parentId?: string;
  q?: string;
  /** Only records open to the public (public venues). */
  openToPublic?: boolean;
}

function withNames(db: Kysely<Database>) {
  return db
    .selectFrom('resources as r')
    .innerJoin('jurisdictions as j', 'j.id', 'r.jurisdiction_id')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .leftJoin('resources as p', 'p.id', 'r.parent_id')
    .selectAll('r')
    .select([
      'j.name as jurisdiction_name',
      'j.path as jurisdiction_path',
      'u.name as unit_name',
      'u.jurisdiction_id as unit_jurisdiction_id',
      'p.name as parent_name',
    ]);
}

// biome-ignore lint/suspicious/noExplicitAny: the filter applies to any select over `resources as r`
function applyFilters<Q extends SelectQueryBuilder<any, any, any>>(
  db: Kysely<Database>,
  qb: Q,
  f: ResourceFilters,
): Q {
  let q = qb
    .where('r.kind', '=', f.kind)
    .where('r.jurisdiction_id', 'in', jurisdictionsWithin(db, f.withinPath)) as Q;
  if (f.level) q = q.where('r.level', 'in', f.level.split(',')) as Q;
  if (f.category)
    q = q.where(
      'r.category',
      'in',
      f.category.split(',').map((c) => c.trim()),
    ) as Q;
  if (f.year !== undefined) q = q.where('r.year', '=', f.year) as Q;
  if (f.recognisedFrom) q = q.where('r.recognised_on', '>=', f.recognisedFrom) as Q;
  if (f.unitId) q = q.where('r.unit_id', '=', f.unitId) as Q;
  if (f.parentId) q = q.where('r.parent_id', '=', f.parentId) as Q;
  if (f.openToPublic) q = q.where('r.open_to_public', '=', 1) as Q;
  const a = f.asOf;
  // biome-ignore lint/suspicious/noExplicitAny: expression builder of the generic query
  type EB = any;
  if (f.status === 'in_force') {
    q = q.where((eb: EB) =>
      eb.and([
        eb.or([eb('r.recognised_on', 'is', null), eb('r.recognised_on', '<=', a)]),
        eb.or([eb('r.expires_on', 'is', null), eb('r.expires_on', '>=', a)]),
        eb.or([eb('r.withdrawn_on', 'is', null), eb('r.withdrawn_on', '>', a)]),
      ]),
    ) as Q;
  } else if (f.status === 'expired') {
    q = q.where((eb: EB) =>
      eb.and([
        eb('r.expires_on', '<', a),
        eb.or([eb('r.recognised_on', 'is', null), eb('r.recognised_on', '<=', a)]),
        eb.or([eb('r.withdrawn_on', 'is', null), eb('r.withdrawn_on', '>', a)]),
      ]),
    ) as Q;
  } else if (f.status === 'withdrawn') {
    q = q.where('r.withdrawn_on', '<=', a) as Q;
  }
  if (f.q) {
    const p = containsPattern(f.q);
    q = q.where((eb: EB) => eb.or([ilike(eb.ref('r.name'), p), ilike(eb.ref('r.address'), p)])) as Q;
  }
  return q;
}

/**
 * A page of records, newest entry first (ids are time-ordered), with the total. The page's ids and the total are read
 * from the indexes of migration 0171 alone (every filter column and the id are in one index); then the page's rows
 * with their names, joined by primary key — three queries whatever the page size, no per-row reads.
 */
export async function listResourceRows(
  db: Kysely<Database>,
  f: ResourceFilters,
  page: number,
  pageSize: number,
): Promise<{ rows: ResourceRow[]; total: number }> {
  if (f.q) {
    // A text search reads every record of the kind once whatever the plan: walk them newest first and keep the
    // matching ids (a name search matches a few), instead of one pass to count and another to page.
    const matched = await applyFilters(db, db.selectFrom('resources as r').select('r.id'), f)
      .orderBy('r.kind')
      .orderBy('r.id', 'desc')
      .limit(SEARCH_MATCHES_KEPT + 1)
      .execute();
    if (matched.length <= SEARCH_MATCHES_KEPT) {
      const start = (page - 1) * pageSize;
      return {
        rows: await rowsOf(
          db,
          matched.slice(start, start + pageSize).map((r) => r.id),
        ),
        total: matched.length,
      };
    }
  }
  const count = await applyFilters(db, db.selectFrom('resources as r'), f)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  const total = toCount(count.n);
  if (total === 0 || (page - 1) * pageSize >= total) return { rows: [], total };
  // Few matches: sort them from the filter index (ordering by an expression keeps the planner off the (kind, id)
  // index, which would visit every record of the kind to find them). Many matches: walk (kind, id) newest first,
  // which finds a page after a few rows.
  const fewMatches = total <= SORT_MATCHES_BELOW;
  const ids = await applyFilters(db, db.selectFrom('resources as r').select('r.id'), f)
    .$if(fewMatches, (q) => q.orderBy(sql`r.id || ''`, 'desc'))
    .$if(!fewMatches, (q) => q.orderBy('r.kind').orderBy('r.id', 'desc'))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    rows: await rowsOf(
      db,
      ids.map((r) => r.id),
    ),
    total,
  };
}

/** Records by id with their names, in the order of the ids. */
async function rowsOf(db: Kysely<Database>, wanted: string[]): Promise<ResourceRow[]> {
  if (wanted.length === 0) return [];
  const rows = (await withNames(db).where('r.id', 'in', wanted).execute()) as ResourceRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return wanted.map((id) => byId.get(id)).filter((r): r is ResourceRow => r !== undefined);
}

/** A text search keeps up to this many matching ids from its one pass; more, and it counts and pages as usual. */
const SEARCH_MATCHES_KEPT = 2000;

/** Up to this many matches a page is sorted from the filter index; above, read in (kind, id) order. */
const SORT_MATCHES_BELOW = 5000;

export async function findResourceRow(db: Kysely<Database>, id: string): Promise<ResourceRow | undefined> {
  return (await withNames(db).where('r.id', '=', id).executeTakeFirst()) as ResourceRow | undefined;
}

export async function insertResourceRow(db: Kysely<Database>, row: ResourcesTable): Promise<void> {
  await db.insertInto('resources').values(row).execute();
}

/** Update guarded by the version read; false when someone else changed it first. */
export async function updateResourceRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<ResourcesTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('resources')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteResourceRow(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('resources').where('id', '=', id).execute();
}

/** How many records point to this one, and how many service records it has. */
export async function referencesTo(
  db: Kysely<Database>,
  id: string,
): Promise<{ children: number; services: number }> {
  const [c, s] = await Promise.all([
    db
      .selectFrom('resources')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('parent_id', '=', id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('volunteer_services')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('volunteer_id', '=', id)
      .executeTakeFirstOrThrow(),
  ]);
  return { children: toCount(c.n), services: toCount(s.n) };
}

export function serviceRowsOf(
  db: Kysely<Database>,
  volunteerId: string,
): Promise<(VolunteerServicesTable & { activity_title: string | null })[]> {
  return db
    .selectFrom('volunteer_services as s')
    .leftJoin('activities as a', 'a.id', 's.activity_id')
    .selectAll('s')
    .select('a.title as activity_title')
    .where('s.volunteer_id', '=', volunteerId)
    .orderBy('s.served_on', 'desc')
    .orderBy('s.id', 'desc')
    .execute();
}

export async function insertServiceRow(db: Kysely<Database>, row: VolunteerServicesTable): Promise<void> {
  await db.insertInto('volunteer_services').values(row).execute();
}

/** An activity's jurisdiction path (null: none such). */
export async function activityPath(db: Kysely<Database>, id: string): Promise<string | null> {
  const r = await db
    .selectFrom('activities as a')
    .innerJoin('jurisdictions as j', 'j.id', 'a.jurisdiction_id')
    .select('j.path')
    .where('a.id', '=', id)
    .executeTakeFirst();
  return r?.path ?? null;
}

/** Records of a kind in a subtree by name (import: a volunteer's team named by name). */
export function resourcesNamed(
  db: Kysely<Database>,
  kind: ResourceKind,
  withinPath: string,
  names: string[],
) {
  if (names.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('resources as r')
    .innerJoin('jurisdictions as j', 'j.id', 'r.jurisdiction_id')
    .select(['r.id', 'r.name', 'j.path'])
    .where('r.kind', '=', kind)
    .where('r.name', 'in', names)
    .where('j.path', 'like', `${withinPath}%`)
    .execute();
}

/** Public venues: open records of the kinds, in force on the day, of a subtree; at most `limit`. */
export async function publicVenueRows(
  db: Kysely<Database>,
  kinds: ResourceKind[],
  withinPath: string,
  asOf: string,
  limit: number,
): Promise<ResourceRow[]> {
  const rows = await Promise.all(
    kinds.map((kind) =>
      applyFilters(db, withNames(db), { kind, withinPath, status: 'in_force', asOf, openToPublic: true })
        .orderBy(sql`coalesce(r.level, '')`)
        .orderBy('r.name')
        .limit(limit)
        .execute(),
    ),
  );
  return rows.flat() as ResourceRow[];
}

/** Changes whenever a record is added or any audited write happens (the list cache's fingerprint): two index look-ups. */
export async function resourcesFingerprint(db: Kysely<Database>): Promise<string> {
  const r = await db
    .selectNoFrom([
      sql<string | null>`(select max(id) from audit_log)`.as('t'),
      sql<string | null>`(select max(id) from resources)`.as('id'),
    ])
    .executeTakeFirstOrThrow();
  return `${r.t ?? ''}|${r.id ?? ''}`;
}

/**
 * Records of a kind recognised (认定) between two days, in a jurisdiction subtree, optionally of some levels and kept
 * by one unit: what an assessment's registry bonus counts (新认定 in the year). Withdrawn later or not, a
 * recognition of the year counts for the year.
 */
export function recognitionRows(
  db: Kysely<Database>,
  q: { kind: ResourceKind; withinPath: string; levels?: string[]; unitId?: string; from: string; to: string },
): Promise<
  {
    id: string;
    name: string;
    level: string | null;
    jurisdiction_id: string;
    unit_id: string;
    recognised_on: string | null;
  }[]
> {
  return db
    .selectFrom('resources as r')
    .innerJoin('jurisdictions as j', 'j.id', 'r.jurisdiction_id')
    .select(['r.id', 'r.name', 'r.level', 'r.jurisdiction_id', 'r.unit_id', 'r.recognised_on'])
    .where('r.kind', '=', q.kind)
    .where('j.path', 'like', `${q.withinPath}%`)
    .where('r.recognised_on', '>=', q.from)
    .where('r.recognised_on', '<=', q.to)
    .$if(!!q.levels?.length, (b) => b.where('r.level', 'in', q.levels!))
    .$if(!!q.unitId, (b) => b.where('r.unit_id', '=', q.unitId!))
    .orderBy('r.recognised_on')
    .orderBy('r.id')
    .execute();
}
