import type { NoticeLinkType } from '@kesu/shared';
import type { Kysely } from 'kysely';
import { containsPattern, ilike, toCount } from '../../db/dialect';
import type {
  AlertScansTable,
  Database,
  SupervisionEventsTable,
  SupervisionNoticesTable,
} from '../../db/schema';
import { isNewestPlanVersion } from '../../db/newest-version';

/** A notice with its unit's short name and the issuer's display name. */
export interface NoticeRow extends SupervisionNoticesTable {
  unit_name: string;
  issuer_name: string | null;
}

/** States in which a notice is still the unit's to do (mirror of NOTICE_OPEN_STATES). */
const OPEN_STATES = ['issued', 'signed', 'returned'];

function noticeQuery(db: Kysely<Database>) {
  return db
    .selectFrom('supervision_notices as n')
    .innerJoin('units as u', 'u.id', 'n.unit_id')
    .leftJoin('users as i', 'i.id', 'n.issued_by')
    .selectAll('n')
    .select(['u.short_name as unit_name', 'i.display_name as issuer_name']);
}

export function findNoticeRow(db: Kysely<Database>, id: string): Promise<NoticeRow | undefined> {
  return noticeQuery(db).where('n.id', '=', id).executeTakeFirst();
}

/**
 * Where a notice's unit stands: the level that owns it (the unit's jurisdiction: the office there issues and closes
 * it) and, when the unit is a lower level's government unit (丰县人民政府), that level (its admins handle it).
 */
export async function unitNoticeScope(
  db: Kysely<Database>,
  unitId: string,
): Promise<{ ownerId: string | null; ownerPath: string | null; addresseeId: string | null }> {
  const [owner, addressee] = await Promise.all([
    db
      .selectFrom('units as u')
      .leftJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
      .select(['u.jurisdiction_id', 'j.path'])
      .where('u.id', '=', unitId)
      .executeTakeFirst(),
    db.selectFrom('jurisdictions').select('id').where('government_unit_id', '=', unitId).executeTakeFirst(),
  ]);
  return {
    ownerId: owner?.jurisdiction_id ?? null,
    ownerPath: owner?.path ?? null,
    addresseeId: addressee?.id ?? null,
  };
}

export interface NoticeFilter {
  /** Only notices of units in this subtree, or addressed to one of these units (a level's own government unit). */
  within?: { path: string; unitIds: string[] } | undefined;
  unitId?: string | undefined;
  severity?: string | undefined;
  state?: string | undefined;
  /** true: open and past the deadline; false: the others. */
  overdue?: boolean | undefined;
  /** YYYY-MM-DD, for the overdue filter. */
  today: string;
  page: number;
  pageSize: number;
}

export async function listNoticeRows(
  db: Kysely<Database>,
  f: NoticeFilter,
): Promise<{ rows: NoticeRow[]; total: number }> {
  // biome-ignore lint/suspicious/noExplicitAny: one filter applied to the row query and the count query alike
  const filter = <Q extends { where: any }>(q: Q): Q => {
    let r = q;
    const within = f.within;
    if (within) {
      // biome-ignore lint/suspicious/noExplicitAny: expression builder of either query
      r = r.where((eb: any) =>
        eb.or([
          eb(
            'n.unit_id',
            'in',
            eb
              .selectFrom('units as wu')
              .innerJoin('jurisdictions as wj', 'wj.id', 'wu.jurisdiction_id')
              .select('wu.id')
              .where('wj.path', 'like', `${within.path}%`),
          ),
          ...(within.unitIds.length > 0 ? [eb('n.unit_id', 'in', within.unitIds)] : []),
        ]),
      );
    }
    if (f.unitId) r = r.where('n.unit_id', '=', f.unitId);
    if (f.severity) r = r.where('n.severity', '=', f.severity);
    if (f.state) r = r.where('n.state', '=', f.state);
    if (f.overdue === true) r = r.where('n.state', 'in', OPEN_STATES).where('n.deadline', '<', f.today);
    if (f.overdue === false)
      // biome-ignore lint/suspicious/noExplicitAny: expression builder of either query
      r = r.where((eb: any) =>
        eb.or([eb('n.state', 'not in', OPEN_STATES), eb('n.deadline', '>=', f.today)]),
      );
    return r;
  };
  const [rows, count] = await Promise.all([
    filter(noticeQuery(db))
      .orderBy('n.issued_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    filter(db.selectFrom('supervision_notices as n'))
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: toCount(count.n) };
}

export async function insertNoticeRow(db: Kysely<Database>, row: SupervisionNoticesTable): Promise<void> {
  await db.insertInto('supervision_notices').values(row).execute();
}

/** Update guarded by the version read; false when someone else moved the notice first. */
export async function updateNoticeRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<SupervisionNoticesTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('supervision_notices')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertEventRow(db: Kysely<Database>, row: SupervisionEventsTable): Promise<void> {
  await db.insertInto('supervision_events').values(row).execute();
}

export function eventRows(db: Kysely<Database>, noticeId: string): Promise<SupervisionEventsTable[]> {
  return db
    .selectFrom('supervision_events')
    .selectAll()
    .where('notice_id', '=', noticeId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Notices made from these alerts and not yet closed: alert key → notice id. */
export async function openNoticesByAlertKey(
  db: Kysely<Database>,
  keys: string[],
): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const out = new Map<string, string>();
  // Chunked: both engines cap bound parameters.
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .selectFrom('supervision_notices')
      .select(['id', 'alert_key'])
      .where('alert_key', 'in', keys.slice(i, i + 500))
      .where('state', '!=', 'closed')
      .orderBy('issued_at')
      .execute();
    for (const r of rows) if (r.alert_key) out.set(r.alert_key, r.id);
  }
  return out;
}

/** Open notices past their deadline (deadline < today). */
export function overdueNoticeRows(db: Kysely<Database>, today: string): Promise<NoticeRow[]> {
  return noticeQuery(db)
    .where('n.state', 'in', OPEN_STATES)
    .where('n.deadline', '<', today)
    .orderBy('n.deadline')
    .execute();
}

/** A human label for a linked record, or undefined when it does not exist. */
export async function linkLabel(
  db: Kysely<Database>,
  type: NoticeLinkType,
  id: string,
): Promise<string | undefined> {
  switch (type) {
    case 'task': {
      const t = await db
        .selectFrom('plan_tasks')
        .select(['path', 'title'])
        .where('id', '=', id)
        .executeTakeFirst();
      return t ? `${t.path} ${t.title}` : undefined;
    }
    case 'indicator': {
      const i = await db.selectFrom('indicators').select('text').where('id', '=', id).executeTakeFirst();
      return i?.text;
    }
    case 'report': {
      const r = await db
        .selectFrom('progress_reports as r')
        .innerJoin('reporting_cycles as c', 'c.id', 'r.cycle_id')
        .innerJoin('plan_tasks as t', 't.id', 'r.task_id')
        .innerJoin('units as u', 'u.id', 'r.unit_id')
        .select(['c.name as cycle_name', 't.path', 'u.short_name'])
        .where('r.id', '=', id)
        .executeTakeFirst();
      return r ? `${r.short_name} ${r.cycle_name} ${r.path} 报告` : undefined;
    }
    case 'cycle': {
      const c = await db
        .selectFrom('reporting_cycles')
        .select('name')
        .where('id', '=', id)
        .executeTakeFirst();
      return c?.name;
    }
  }
}

/** A link target found by name: its id, how the notice shows it, and the plan it belongs to. */
export interface LinkTargetRow {
  id: string;
  label: string;
  context: string;
}

/**
 * Link targets of one type whose name contains the text (case-insensitive), at most `limit`: tasks and indicators of
 * each plan's newest version (by path or title / text), reports (by unit, cycle or task), cycles (by name).
 */
export async function searchLinkTargets(
  db: Kysely<Database>,
  type: NoticeLinkType,
  q: string,
  limit: number,
): Promise<LinkTargetRow[]> {
  const p = containsPattern(q);
  switch (type) {
    case 'task': {
      const rows = await db
        .selectFrom('plan_tasks as t')
        .innerJoin('plan_versions as v', 'v.id', 't.version_id')
        .innerJoin('plans as pl', 'pl.id', 'v.plan_id')
        .select(['t.id', 't.path', 't.title', 'pl.title as plan_title'])
        .where(isNewestPlanVersion)
        .where((eb) => eb.or([ilike(eb.ref('t.title'), p), ilike(eb.ref('t.path'), p)]))
        .orderBy('pl.title')
        .orderBy('t.sort_order')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, label: `${r.path} ${r.title}`, context: r.plan_title }));
    }
    case 'indicator': {
      const rows = await db
        .selectFrom('indicators as i')
        .innerJoin('plan_tasks as t', 't.id', 'i.task_id')
        .innerJoin('plan_versions as v', 'v.id', 't.version_id')
        .innerJoin('plans as pl', 'pl.id', 'v.plan_id')
        .select(['i.id', 'i.text', 't.path', 'pl.title as plan_title'])
        .where(isNewestPlanVersion)
        .where((eb) => ilike(eb.ref('i.text'), p))
        .orderBy('pl.title')
        .orderBy('t.sort_order')
        .orderBy('i.sort_order')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, label: r.text, context: `${r.plan_title} ${r.path}` }));
    }
    case 'report': {
      const rows = await db
        .selectFrom('progress_reports as r')
        .innerJoin('reporting_cycles as c', 'c.id', 'r.cycle_id')
        .innerJoin('plan_tasks as t', 't.id', 'r.task_id')
        .innerJoin('units as u', 'u.id', 'r.unit_id')
        .innerJoin('plans as pl', 'pl.id', 'c.plan_id')
        .select(['r.id', 'c.name as cycle_name', 't.path', 'u.short_name', 'pl.title as plan_title'])
        .where((eb) =>
          eb.or([
            ilike(eb.ref('u.short_name'), p),
            ilike(eb.ref('u.name'), p),
            ilike(eb.ref('c.name'), p),
            ilike(eb.ref('t.path'), p),
            ilike(eb.ref('t.title'), p),
          ]),
        )
        .orderBy('c.due_date', 'desc')
        .orderBy('u.short_name')
        .orderBy('t.sort_order')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        label: `${r.short_name} ${r.cycle_name} ${r.path} 报告`,
        context: r.plan_title,
      }));
    }
    case 'cycle': {
      const rows = await db
        .selectFrom('reporting_cycles as c')
        .innerJoin('plans as pl', 'pl.id', 'c.plan_id')
        .select(['c.id', 'c.name', 'pl.title as plan_title'])
        .where((eb) => ilike(eb.ref('c.name'), p))
        .orderBy('c.due_date', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, label: r.name, context: r.plan_title }));
    }
  }
}

// ── alert source queries ────────────────────────────────────────────────────────────────────────────────────

/** Open reporting cycles with their plan title. */
export function openCycles(db: Kysely<Database>) {
  return db
    .selectFrom('reporting_cycles as c')
    .innerJoin('plans as p', 'p.id', 'c.plan_id')
    .select([
      'c.id',
      'c.name',
      'c.plan_id',
      'c.version_id',
      'c.due_date',
      'c.grace_days',
      'p.title as plan_title',
    ])
    .where('c.state', '=', 'open')
    .orderBy('c.due_date')
    .execute();
}

/** Assignments (unit × task) of a plan version, live units only. */
export function versionAssignments(db: Kysely<Database>, versionId: string) {
  return db
    .selectFrom('plan_task_units as a')
    .innerJoin('plan_tasks as t', 't.id', 'a.task_id')
    .innerJoin('units as u', 'u.id', 'a.unit_id')
    .select(['a.unit_id', 'a.task_id', 'a.role', 't.path', 'u.short_name as unit_name'])
    .where('t.version_id', '=', versionId)
    .where('u.is_active', '=', 1)
    .where('u.merged_into_id', 'is', null)
    .orderBy('t.sort_order')
    .execute();
}

/** Reports of a cycle that the unit has handed in (submitted or approved): "unit|task". */
export async function handedInReports(db: Kysely<Database>, cycleId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('progress_reports')
    .select(['unit_id', 'task_id'])
    .where('cycle_id', '=', cycleId)
    .where('state', 'in', ['submitted', 'approved'])
    .execute();
  return new Set(rows.map((r) => `${r.unit_id}|${r.task_id}`));
}

/** Plans that have at least one reporting cycle (their indicators have actuals to judge). */
export async function plansWithCycles(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('reporting_cycles').select('plan_id').distinct().execute();
  return rows.map((r) => r.plan_id);
}

/** The lead unit of each task (first lead by order, else the first unit), live units only. */
export async function leadUnitsOfTasks(
  db: Kysely<Database>,
  taskIds: string[],
): Promise<Map<string, { unitId: string; unitName: string }>> {
  const out = new Map<string, { unitId: string; unitName: string; isLead: boolean }>();
  for (let i = 0; i < taskIds.length; i += 500) {
    const rows = await db
      .selectFrom('plan_task_units as a')
      .innerJoin('units as u', 'u.id', 'a.unit_id')
      .select(['a.task_id', 'a.unit_id', 'a.role', 'u.short_name'])
      .where('a.task_id', 'in', taskIds.slice(i, i + 500))
      .where('u.is_active', '=', 1)
      .orderBy('a.sort_order')
      .execute();
    for (const r of rows) {
      const have = out.get(r.task_id);
      const isLead = r.role === 'lead';
      if (!have || (isLead && !have.isLead))
        out.set(r.task_id, { unitId: r.unit_id, unitName: r.short_name, isLead });
    }
  }
  return new Map([...out].map(([k, v]) => [k, { unitId: v.unitId, unitName: v.unitName }]));
}

export function unitNamesById(db: Kysely<Database>, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('units').select(['id', 'short_name']).where('id', 'in', ids).execute();
}

/** Every notice to these units (the assessment counts overdue ones and open red ones of a year). */
export function noticeRowsOfUnits(db: Kysely<Database>, unitIds: string[]): Promise<NoticeRow[]> {
  if (unitIds.length === 0) return Promise.resolve([]);
  return noticeQuery(db).where('n.unit_id', 'in', unitIds).orderBy('n.deadline').orderBy('n.id').execute();
}

/**
 * Notices for a document (进展通报, annual report, a unit's summary): those of units in a jurisdiction subtree or
 * addressed to the given units, or of one unit; issued within [issuedFrom, issuedTo] (YYYY-MM-DD, inclusive).
 */
export function noticeRowsFor(
  db: Kysely<Database>,
  f: {
    within?: { path: string; unitIds: string[] } | undefined;
    unitId?: string | undefined;
    issuedFrom?: string | undefined;
    issuedTo?: string | undefined;
  },
): Promise<NoticeRow[]> {
  let q = noticeQuery(db);
  const within = f.within;
  if (within) {
    q = q.where((eb) =>
      eb.or([
        eb(
          'n.unit_id',
          'in',
          eb
            .selectFrom('units as wu')
            .innerJoin('jurisdictions as wj', 'wj.id', 'wu.jurisdiction_id')
            .select('wu.id')
            .where('wj.path', 'like', `${within.path}%`),
        ),
        ...(within.unitIds.length > 0 ? [eb('n.unit_id', 'in', within.unitIds)] : []),
      ]),
    );
  }
  if (f.unitId) q = q.where('n.unit_id', '=', f.unitId);
  if (f.issuedFrom) q = q.where('n.issued_at', '>=', f.issuedFrom);
  if (f.issuedTo) q = q.where('n.issued_at', '<', `${f.issuedTo}T99`);
  return q.orderBy('n.issued_at').orderBy('n.id').execute();
}

// ── the scheduled alert scan (migration 0193) ──────────────────────────────────────────────────────────────

/** Both engines cap bound parameters: lists of keys go in slices of this many. */
const KEY_CHUNK = 500;

function* chunks<T>(xs: readonly T[]): Generator<T[]> {
  for (let i = 0; i < xs.length; i += KEY_CHUNK) yield xs.slice(i, i + KEY_CHUNK);
}

export async function insertAlertScan(db: Kysely<Database>, row: AlertScansTable): Promise<void> {
  await db.insertInto('alert_scans').values(row).execute();
}

export async function finishAlertScan(
  db: Kysely<Database>,
  id: string,
  patch: Omit<AlertScansTable, 'id' | 'scope' | 'started_at'>,
): Promise<void> {
  await db.updateTable('alert_scans').set(patch).where('id', '=', id).execute();
}

/** The newest finished scan of a scope. */
export function lastFinishedAlertScan(
  db: Kysely<Database>,
  scope: string,
): Promise<AlertScansTable | undefined> {
  return db
    .selectFrom('alert_scans')
    .selectAll()
    .where('scope', '=', scope)
    .where('finished_at', 'is not', null)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Claim alert keys as new: keys never seen are inserted, keys seen again after they cleared are reopened. Returns
 * the keys this call claimed — a key another run claimed first (a unique key, a conditional update) is not among
 * them, so two runs at once cannot both announce it. Keys already standing only get `last_seen_at`.
 */
export async function claimAlertKeys(
  db: Kysely<Database>,
  scope: string,
  keys: readonly string[],
  now: string,
): Promise<Set<string>> {
  const claimed = new Set<string>();
  for (const part of chunks(keys)) {
    const inserted = await db
      .insertInto('alert_keys')
      .values(
        part.map((alert_key) => ({
          scope,
          alert_key,
          first_seen_at: now,
          last_seen_at: now,
          cleared_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['scope', 'alert_key']).doNothing())
      .returning('alert_key')
      .execute();
    for (const r of inserted) claimed.add(r.alert_key);
    const reopened = await db
      .updateTable('alert_keys')
      .set({ first_seen_at: now, last_seen_at: now, cleared_at: null })
      .where('scope', '=', scope)
      .where('alert_key', 'in', part)
      .where('cleared_at', 'is not', null)
      .returning('alert_key')
      .execute();
    for (const r of reopened) claimed.add(r.alert_key);
    await db
      .updateTable('alert_keys')
      .set({ last_seen_at: now })
      .where('scope', '=', scope)
      .where('alert_key', 'in', part)
      .execute();
  }
  return claimed;
}

/** Keys of a scope standing (not cleared). */
export async function standingAlertKeys(db: Kysely<Database>, scope: string): Promise<string[]> {
  const rows = await db
    .selectFrom('alert_keys')
    .select('alert_key')
    .where('scope', '=', scope)
    .where('cleared_at', 'is', null)
    .execute();
  return rows.map((r) => r.alert_key);
}

/** Mark standing keys cleared (gone from a scan). Returns how many were cleared by this call. */
export async function clearAlertKeys(
  db: Kysely<Database>,
  scope: string,
  keys: readonly string[],
  now: string,
): Promise<number> {
  let n = 0;
  for (const part of chunks(keys)) {
    const r = await db
      .updateTable('alert_keys')
      .set({ cleared_at: now })
      .where('scope', '=', scope)
      .where('alert_key', 'in', part)
      .where('cleared_at', 'is', null)
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

/** Active admins with where they work (the service asks the policy which of them the alert digest goes to). */
export function activeAdminsWithJurisdiction(db: Kysely<Database>) {
  return db
    .selectFrom('users')
    .leftJoin('jurisdictions', 'jurisdictions.id', 'users.jurisdiction_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.unit_id',
      'users.jurisdiction_id',
      'jurisdictions.path as jurisdiction_path',
    ])
    .where('users.role', '=', 'admin')
    .where('users.is_active', '=', 1)
    .orderBy('users.id')
    .execute();
}
