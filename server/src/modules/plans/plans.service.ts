import { authorize, type SignedInCtx } from '../../authorize';
import { createHash } from 'node:crypto';
import {
  type BreakdownItem,
  type Comparator,
  type Indicator,
  type IndicatorKind,
  type IndicatorUpdate,
  normalizeUnitName,
  type Page,
  type PlanDetail,
  type PlanDiff,
  type PlanImportInput,
  type PlanImportResult,
  type PlanPreview,
  type PlanPublish,
  type PlanSummary,
  type PlanTask,
  type PlanTree,
  type PlanTreeQuery,
  type PlanVersion,
  type PopulationGroup,
  populationGroupOfTitle,
  type TaskUpdate,
  type UnitKind,
  type UnitMatch,
  type UnitRef,
  type UnitRole,
  type UnitTaskRow,
  type UnitTasksQuery,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { type Ctx, readsJurisdiction, worksIn } from '../../context';
import type {
  Database,
  IndicatorsTable,
  PlansTable,
  PlanTasksTable,
  PlanTaskUnitsTable,
  UnitsTable,
} from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { rootJurisdictionId } from '../jurisdictions/jurisdictions.service';
import { allUnitRows, findUnitRow } from '../units/unit-reads.service';
import { addUnitAlias, insertUnit, toUnit } from '../units/units.service';
import { bindImportedIndicators, boundIndicators } from './indicator-bindings';
import { classifyTarget, isBrokenDownByCounty, pickBaseline } from './indicator-kind';
import { type DiffTask, diffTasks, isEmptyDiff } from './plan-diff';
import { parsePlanFile, toDraft } from './plan-document';
import { canManagePlans, canReadPlans, canReadPublishedPlan } from './plans.policy';
import {
  type AssignmentRow,
  type BreakdownRow,
  contentOfTasks,
  findIndicatorRow,
  findPlanRow,
  findPlansLike,
  latestVersionsWithSource,
  findTaskRow,
  findVersionHead,
  insertPlanRow,
  insertVersionContent,
  insertVersionRow,
  latestVersionIds,
  listPlanRows,
  planJurisdictionPath,
  replaceAssignments,
  replaceBreakdowns,
  setPublishedVersion,
  taskRowsByIds,
  taskRowsOfVersion,
  unitAssignmentPage,
  updateIndicatorRow,
  updatePlanRow,
  updateTaskRow,
  type VersionHead,
  versionCounts,
  versionHeads,
  versionPlans,
  versionSource,
  userNames,
} from './plans.repository';

// ── policy gates ────────────────────────────────────────────────────────────────────────────────────────────

export function requireRead(ctx: Ctx): asserts ctx is SignedInCtx {
  authorize(ctx, canReadPlans);
}

export function requireManage(ctx: Ctx): asserts ctx is SignedInCtx {
  authorize(ctx, canManagePlans);
}

// ── presenters ──────────────────────────────────────────────────────────────────────────────────────────────

/** Exact decimals are stored as text; the API speaks numbers. */
const toNumber = (s: string): number => Number(s);
const toDecimal = (n: number): string => String(n);

function toUnitRef(row: UnitsTable): UnitRef {
  return { id: row.id, name: row.name, shortName: row.short_name, kind: row.kind as UnitKind };
}

export function toPlanSummary(row: PlansTable, heads: VersionHead[]): PlanSummary {
  const mine = heads.filter((h) => h.plan_id === row.id);
  return {
    id: row.id,
    jurisdictionId: row.jurisdiction_id,
    title: row.title,
    issuer: row.issuer,
    docNumber: row.doc_number,
    latestVersionNumber: mine.reduce((m, h) => Math.max(m, h.number), 0),
    publishedVersionId: mine.find((h) => h.is_published === 1)?.id ?? null,
    isDemo: row.demo_batch_id != null,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toPlanVersion(
  head: VersionHead,
  counts: Map<string, { tasks: number; indicators: number }>,
  names: Map<string, string>,
): PlanVersion {
  const c = counts.get(head.id);
  return {
    id: head.id,
    planId: head.plan_id,
    number: head.number,
    title: head.title,
    docNumber: head.doc_number,
    date: head.doc_date,
    fileName: head.file_name,
    note: head.note,
    taskCount: c?.tasks ?? 0,
    indicatorCount: c?.indicators ?? 0,
    isPublished: head.is_published === 1,
    publishedAt: head.published_at,
    createdBy: head.created_by ? (names.get(head.created_by) ?? null) : null,
    createdAt: head.created_at,
  };
}

async function presentVersions(db: Kysely<Database>, heads: VersionHead[]): Promise<PlanVersion[]> {
  const [counts, names] = await Promise.all([
    versionCounts(
      db,
      heads.map((h) => h.id),
    ),
    userNames(db, [...new Set(heads.map((h) => h.created_by).filter((x): x is string => x !== null))]),
  ]);
  return heads.map((h) => toPlanVersion(h, counts, names));
}

function toIndicator(
  row: IndicatorsTable,
  breakdowns: BreakdownRow[],
  bindings: ReadonlyMap<string, string>,
): Indicator {
  return {
    id: row.id,
    taskId: row.task_id,
    kind: row.kind as IndicatorKind,
    text: row.text,
    comparator: row.comparator as Comparator,
    targetValue: toNumber(row.target_value),
    unit: row.unit,
    period: row.period === 'year' ? 'year' : null,
    deadline: row.deadline,
    baselineValue: row.baseline_value === null ? null : toNumber(row.baseline_value),
    baselineYear: row.baseline_year,
    breakdownByCounty: row.breakdown_by_county === 1,
    computedFrom: bindings.get(row.id) ?? null,
    breakdown: breakdowns
      .filter((b) => b.indicator_id === row.id)
      .map(
        (b): BreakdownItem => ({
          unitId: b.unit_id,
          unitName: b.unit_name,
          targetValue: toNumber(b.target_value),
        }),
      ),
    version: row.version,
  };
}

/** A version's (or some tasks') content with each registry-bound indicator's query in words. */
async function contentWithBindings(db: Kysely<Database>, q: Parameters<typeof contentOfTasks>[1]) {
  const c = await contentOfTasks(db, q);
  const bindings = await boundIndicators(
    db,
    c.indicators.map((i) => i.id),
  );
  return { ...c, bindings };
}

/** Task rows plus their content → API tasks, in the order of `rows`. */
function toPlanTasks(
  rows: PlanTasksTable[],
  content: {
    assignments: AssignmentRow[];
    indicators: IndicatorsTable[];
    breakdowns: BreakdownRow[];
    bindings: ReadonlyMap<string, string>;
  },
): PlanTask[] {
  const units = new Map<string, PlanTask['units']>();
  for (const a of content.assignments) {
    const list = units.get(a.task_id) ?? [];
    list.push({
      id: a.id,
      unitId: a.unit_id,
      unitName: a.unit_name,
      unitShortName: a.unit_short_name,
      unitKind: a.unit_kind as UnitKind,
      role: a.role as UnitRole,
      writtenName: a.written_name,
    });
    units.set(a.task_id, list);
  }
  const indicators = new Map<string, Indicator[]>();
  for (const i of content.indicators) {
    const list = indicators.get(i.task_id) ?? [];
    list.push(toIndicator(i, content.breakdowns, content.bindings));
    indicators.set(i.task_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    path: r.path,
    label: r.label,
    kind: r.kind,
    depth: r.depth,
    title: r.title,
    group: (r.population_group as PopulationGroup | null) ?? null,
    units: units.get(r.id) ?? [],
    indicators: indicators.get(r.id) ?? [],
    version: r.version,
  }));
}

// ── unit names ──────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Every name the registry answers to (full name, short name, alias; normalised as resolveUnitName does) → the unit,
 * following merges. Built once per import instead of one registry scan per name.
 */
async function unitNameIndex(db: Kysely<Database>): Promise<Map<string, UnitRef>> {
  const rows = await allUnitRows(db);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const index = new Map<string, UnitRef>();
  // Live units first, so a merged unit's old name never shadows a live unit's.
  const ordered = [...rows.filter((r) => !r.merged_into_id), ...rows.filter((r) => r.merged_into_id)];
  for (const row of ordered) {
    const target = row.merged_into_id ? byId.get(row.merged_into_id) : row;
    if (!target) continue;
    const u = toUnit(row);
    for (const n of [u.name, u.shortName, ...u.aliases]) {
      const key = normalizeUnitName(n);
      if (key && !index.has(key)) index.set(key, toUnitRef(target));
    }
  }
  return index;
}

/** Each distinct unit name of a draft, in first-seen order, with the paths naming it. */
function draftUnitNames(draft: PlanImportInput['draft']): Map<string, { name: string; paths: string[] }> {
  const out = new Map<string, { name: string; paths: string[] }>();
  for (const t of draft.tasks) {
    for (const u of t.units) {
      const key = normalizeUnitName(u.name);
      if (!key) continue;
      const entry = out.get(key) ?? { name: u.name, paths: [] };
      if (!entry.paths.includes(t.path)) entry.paths.push(t.path);
      out.set(key, entry);
    }
  }
  return out;
}

// ── import ──────────────────────────────────────────────────────────────────────────────────────────────────

/** Parse an uploaded document and say what importing it would do; changes nothing. */
export async function previewPlanImport(
  db: Kysely<Database>,
  ctx: Ctx,
  file: Uint8Array,
  fileName: string | null,
): Promise<PlanPreview> {
  requireManage(ctx);
  const { plan, doc } = await parsePlanFile(file, fileName);
  const draft = toDraft(plan, fileName);
  const index = await unitNameIndex(db);
  const units: UnitMatch[] = [...draftUnitNames(draft)].map(([key, { name, paths }]) => ({
    name,
    unit: index.get(key) ?? null,
    paths,
  }));
  const candidates = await findPlansLike(db, draft.title, draft.docNumber);
  const heads = await versionHeads(
    db,
    candidates.map((c) => c.id),
  );
  // The same text as a plan's latest version: importing it again would change nothing, so the preview says so.
  const sha = createHash('sha256').update(draft.sourceText).digest('hex');
  const [identical] = await latestVersionsWithSource(db, sha);
  return {
    draft,
    identicalTo: identical ?? null,
    format: doc.format,
    encoding: doc.encoding,
    checks: {
      headingLike: plan.review.headingLike.map((r) => ({ text: r.text, path: r.path })),
      untakenFigures: plan.review.untakenFigures.map((r) => ({ text: r.text, path: r.path })),
    },
    units,
    candidates: candidates.map((c) => toPlanSummary(c, heads)),
  };
}

/** Apply the admin's answers for unknown names; returns the units created. */
async function applyUnitMappings(
  trx: Kysely<Database>,
  ctx: Ctx,
  input: PlanImportInput,
  index: Map<string, UnitRef>,
): Promise<UnitRef[]> {
  const created: UnitRef[] = [];
  for (const m of input.unitMappings) {
    const key = normalizeUnitName(m.name);
    if (m.unitId) {
      let row = await findUnitRow(trx, m.unitId);
      if (row?.merged_into_id) row = await findUnitRow(trx, row.merged_into_id);
      if (!row) throw new AppError('NOT_FOUND', `“${m.name}”要对应的单位不存在`, { name: m.name });
      await addUnitAlias(trx, ctx, row, m.name);
      index.set(key, toUnitRef(row));
    } else if (m.create) {
      const aliases = [m.create.name, m.create.shortName].some((n) => normalizeUnitName(n) === key)
        ? []
        : [m.name.trim()];
      const unit = await insertUnit(trx, ctx, {
        kind: m.create.kind,
        name: m.create.name,
        shortName: m.create.shortName,
        aliases,
        regionCode: null,
        sortOrder: 1000,
        jurisdictionId: null,
      });
      const ref = { id: unit.id, name: unit.name, shortName: unit.shortName, kind: unit.kind };
      index.set(key, ref);
      created.push(ref);
    }
  }
  return created;
}

/** The task rows a draft becomes; parents are found by depth, so the tree never depends on path strings. */
function buildTaskRows(draft: PlanImportInput['draft'], versionId: string, now: string): PlanTasksTable[] {
  const stack: PlanTasksTable[] = [];
  return draft.tasks.map((t, i) => {
    while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? 0) >= t.depth) stack.pop();
    const parent = stack[stack.length - 1] ?? null;
    const own = t.kind === 'part' || t.kind === 'group' || /行动|工程/.test(t.title);
    const group = (parent?.population_group ?? null) || (own ? populationGroupOfTitle(t.title) : null);
    const row: PlanTasksTable = {
      id: newId(),
      version_id: versionId,
      parent_id: parent?.id ?? null,
      path: t.path,
      label: t.label,
      kind: t.kind,
      depth: t.depth,
      title: t.title,
      population_group: group,
      sort_order: i + 1,
      spans: t.spans ? JSON.stringify({ heading: t.spans.heading, body: t.spans.body }) : null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    stack.push(row);
    return row;
  });
}

/** Tasks of a stored version in the diff's terms (unit short names, targets in the golden shape). */
async function diffTasksOfVersion(db: Kysely<Database>, versionId: string): Promise<DiffTask[]> {
  const rows = await taskRowsOfVersion(db, versionId);
  const tasks = toPlanTasks(rows, await contentWithBindings(db, { versionId }));
  return tasks.map((t) => ({
    path: t.path,
    title: t.title,
    units: t.units.map((u) => ({ name: u.unitShortName, role: u.role })),
    targets: t.indicators.map((g) => ({
      text: g.text,
      value: g.targetValue,
      unit: g.unit,
      comparator: g.comparator,
      period: g.period,
      deadline: g.deadline,
    })),
  }));
}

async function computeDiff(
  db: Kysely<Database>,
  from: VersionHead | null,
  to: VersionHead,
): Promise<PlanDiff> {
  const before = from ? await diffTasksOfVersion(db, from.id) : [];
  const after = await diffTasksOfVersion(db, to.id);
  return {
    fromVersionId: from?.id ?? null,
    fromNumber: from?.number ?? null,
    toVersionId: to.id,
    toNumber: to.number,
    ...diffTasks(before, after),
  };
}

/**
 * Import a (corrected) draft as a new plan or the next version of an existing one, inside an open transaction.
 * Every unit name must resolve (registry, mapping, or `createUnknownUnits`); none is ever dropped.
 * A new plan belongs to the importer's jurisdiction, or to `opts.jurisdictionId` (one the importer works in: the
 * demo loader, acting as the system, imports a county's 实施方案 into that county).
 */
export async function importPlanInTrx(
  trx: Kysely<Database>,
  ctx: Ctx,
  input: PlanImportInput,
  opts: { jurisdictionId?: string } = {},
): Promise<PlanImportResult> {
  const { draft } = input;
  if (opts.jurisdictionId && ctx.user && !worksIn(ctx.user, opts.jurisdictionId)) {
    throw new AppError('FORBIDDEN', '只能导入本级的规划：下级的实施方案由下级管理员导入');
  }
  const index = await unitNameIndex(trx);
  const unitsCreated = await applyUnitMappings(trx, ctx, input, index);
  const names = draftUnitNames(draft);
  const unknown = [...names].filter(([key]) => !index.has(key));
  if (unknown.length > 0 && input.createUnknownUnits) {
    for (const [key, { name }] of unknown) {
      const unit = await insertUnit(trx, ctx, {
        kind: 'department',
        name: name.trim(),
        shortName: name.trim(),
        aliases: [],
        regionCode: null,
        sortOrder: 1000,
        jurisdictionId: null,
      });
      const ref = { id: unit.id, name: unit.name, shortName: unit.shortName, kind: unit.kind };
      index.set(key, ref);
      unitsCreated.push(ref);
    }
  } else if (unknown.length > 0) {
    const list = unknown.map(([, v]) => v.name);
    throw new AppError(
      'PLAN_UNKNOWN_UNITS',
      `以下责任单位未能识别：${list.join('、')}。请对应到已有单位或新建单位`,
      { names: list, units: unknown.map(([, v]) => v) },
    );
  }

  const now = nowIso();
  const title = draft.title?.trim() || draft.fileName || '未命名规划';
  let plan: PlansTable;
  let previous: VersionHead | null = null;
  if (input.planId) {
    const row = await findPlanRow(trx, input.planId);
    if (!row) throw new AppError('NOT_FOUND', '规划不存在');
    if (ctx.user && !worksIn(ctx.user, row.jurisdiction_id)) {
      throw new AppError('FORBIDDEN', '只能修订本级的规划：下级的实施方案由下级管理员维护');
    }
    previous = (await versionHeads(trx, [row.id]))[0] ?? null;
    const changes = { title, issuer: draft.issuer, doc_number: draft.docNumber, updated_at: now };
    if (!(await updatePlanRow(trx, row.id, row.version, changes))) {
      throw new AppError('CONFLICT', undefined, { currentVersion: row.version });
    }
    plan = { ...row, ...changes, version: row.version + 1 };
  } else {
    plan = {
      id: newId(),
      // A plan is the plan of the jurisdiction its importer works in (a county admin's: the county's 实施方案).
      jurisdiction_id: opts.jurisdictionId ?? ctx.user?.jurisdictionId ?? (await rootJurisdictionId(trx)),
      title,
      issuer: draft.issuer,
      doc_number: draft.docNumber,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await insertPlanRow(trx, plan);
  }

  const versionId = newId();
  const sha = createHash('sha256').update(draft.sourceText).digest('hex');
  await insertVersionRow(trx, {
    id: versionId,
    plan_id: plan.id,
    number: (previous?.number ?? 0) + 1,
    title,
    issuer: draft.issuer,
    doc_number: draft.docNumber,
    doc_date: draft.date,
    file_name: draft.fileName,
    note: input.note,
    source_text: draft.sourceText,
    source_sha256: sha,
    warnings: JSON.stringify(draft.warnings),
    is_published: 0,
    published_at: null,
    created_by: ctx.user?.id ?? null,
    created_at: now,
  });

  const tasks = buildTaskRows(draft, versionId, now);
  const assignments: PlanTaskUnitsTable[] = [];
  const indicators: IndicatorsTable[] = [];
  draft.tasks.forEach((t, i) => {
    const task = tasks[i]!;
    const seen = new Set<string>();
    t.units.forEach((u) => {
      const ref = index.get(normalizeUnitName(u.name));
      if (!ref || seen.has(ref.id)) return;
      seen.add(ref.id);
      assignments.push({
        id: newId(),
        task_id: task.id,
        unit_id: ref.id,
        role: u.role,
        written_name: u.name,
        sort_order: seen.size,
      });
    });
    t.targets.forEach((g, j) => {
      const kind = classifyTarget(g);
      const baseline = pickBaseline(t.path, kind, g, draft.baselines);
      const span = t.spans?.targets[j];
      indicators.push({
        id: newId(),
        task_id: task.id,
        kind,
        text: g.text,
        comparator: g.comparator,
        target_value: toDecimal(g.value),
        unit: g.unit,
        period: g.period,
        deadline: g.deadline,
        baseline_value: baseline ? toDecimal(baseline.value) : null,
        baseline_year: baseline?.year ?? null,
        breakdown_by_county: isBrokenDownByCounty(kind) ? 1 : 0,
        sort_order: j + 1,
        span: span ? JSON.stringify(span) : null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
    });
  });
  await insertVersionContent(trx, { tasks, assignments, indicators });
  await bindImportedIndicators(trx, indicators, {
    previousVersionId: previous?.id ?? null,
    planStart: draft.date,
    now,
    userId: ctx.user?.id ?? null,
  });

  const head = (await findVersionHead(trx, versionId))!;
  const diff = previous ? await computeDiff(trx, previous, head) : null;
  if (previous && diff && isEmptyDiff(diff) && previous.source_sha256 === sha) {
    throw new AppError('INVALID_STATE', `与第 ${previous.number} 版内容完全相同，无需重复导入`);
  }
  const [version] = await presentVersions(trx, [head]);
  const heads = await versionHeads(trx, [plan.id]);
  const summary = toPlanSummary(plan, heads);
  await recordAudit(trx, ctx, {
    action: previous ? 'plan.revise' : 'plan.import',
    entityType: 'plan',
    entityId: plan.id,
    after: {
      versionId,
      number: head.number,
      title,
      fileName: draft.fileName,
      tasks: tasks.length,
      assignments: assignments.length,
      indicators: indicators.length,
      unitsCreated: unitsCreated.map((u) => u.name),
      ...(diff
        ? {
            diff: {
              tasksAdded: diff.tasksAdded.length,
              tasksRemoved: diff.tasksRemoved.length,
              tasksChanged: diff.tasksChanged.length,
              targetsChanged: diff.targetsChanged.length,
            },
          }
        : {}),
    },
  });
  return { plan: summary, version: version!, diff, unitsCreated };
}

/** Import in one transaction: the plan, its version, tasks, assignments, indicators and any new unit, or nothing. */
export async function importPlan(
  db: Kysely<Database>,
  ctx: Ctx,
  input: PlanImportInput,
): Promise<PlanImportResult> {
  requireManage(ctx);
  return db.transaction().execute((trx) => importPlanInTrx(trx, ctx, input));
}

// ── reading ─────────────────────────────────────────────────────────────────────────────────────────────────

/** A plan the user reads: of its jurisdiction or one below; another jurisdiction's plan is not found. */
export async function requirePlan(db: Kysely<Database>, ctx: SignedInCtx, id: string): Promise<PlansTable> {
  const row = await findPlanRow(db, id);
  if (!row || !readsJurisdiction(ctx.user, await planJurisdictionPath(db, id))) {
    throw new AppError('NOT_FOUND', '规划不存在');
  }
  return row;
}

/** A plan the admin may change: its own jurisdiction's (the city admin reads a county's 实施方案, never edits it). */
export function assertOwnPlan(ctx: SignedInCtx, plan: PlansTable): void {
  if (!worksIn(ctx.user, plan.jurisdiction_id)) {
    throw new AppError('FORBIDDEN', '只能修改本级的规划：下级的实施方案由下级管理员维护');
  }
}

export async function listPlans(
  db: Kysely<Database>,
  ctx: Ctx,
  q: { page: number; pageSize: number },
  opts: { onlyPublished?: boolean } = {},
): Promise<Page<PlanSummary>> {
  if (opts.onlyPublished) {
    if (!canReadPublishedPlan(ctx.user)) throw new AppError('FORBIDDEN');
  } else requireRead(ctx);
  const { rows, total } = await listPlanRows(
    db,
    q.page,
    q.pageSize,
    opts.onlyPublished,
    ctx.user?.jurisdictionPath ?? null,
  );
  const heads = await versionHeads(
    db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toPlanSummary(r, heads)), total, page: q.page, pageSize: q.pageSize };
}

export async function getPlan(db: Kysely<Database>, ctx: Ctx, id: string): Promise<PlanDetail> {
  requireRead(ctx);
  const row = await requirePlan(db, ctx, id);
  const heads = await versionHeads(db, [id]);
  return { ...toPlanSummary(row, heads), versions: await presentVersions(db, heads) };
}

/** Keep the tasks matching every filter, plus their ancestors so the tree still reads. */
function filterTree(tasks: PlanTask[], q: PlanTreeQuery): { tasks: PlanTask[]; matchedIds: string[] } {
  const isFiltered = q.unitId !== undefined || q.group !== undefined || q.countyId !== undefined;
  if (!isFiltered) return { tasks, matchedIds: tasks.map((t) => t.id) };
  const matches = (t: PlanTask): boolean => {
    if (q.unitId && !t.units.some((u) => u.unitId === q.unitId)) return false;
    if (q.group && t.group !== q.group) return false;
    if (q.countyId) {
      const assigned = t.units.some((u) => u.unitId === q.countyId);
      const perCounty = t.indicators.some(
        (i) => i.breakdownByCounty || i.breakdown.some((b) => b.unitId === q.countyId),
      );
      if (!assigned && !perCounty) return false;
    }
    return true;
  };
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const matched = tasks.filter(matches);
  const keep = new Set<string>();
  for (const t of matched) {
    let cur: PlanTask | undefined = t;
    while (cur && !keep.has(cur.id)) {
      keep.add(cur.id);
      cur = cur.parentId ? byId.get(cur.parentId) : undefined;
    }
  }
  return { tasks: tasks.filter((t) => keep.has(t.id)), matchedIds: matched.map((t) => t.id) };
}

async function treeOf(
  db: Kysely<Database>,
  plan: PlansTable,
  heads: VersionHead[],
  head: VersionHead,
  q: PlanTreeQuery,
): Promise<PlanTree> {
  const rows = await taskRowsOfVersion(db, head.id);
  const all = toPlanTasks(rows, await contentWithBindings(db, { versionId: head.id }));
  const [version] = await presentVersions(db, [head]);
  return { plan: toPlanSummary(plan, heads), version: version!, ...filterTree(all, q) };
}

/** A version's tree (the latest unless `versionId`), optionally filtered by unit, population group or county. */
export async function getPlanTree(
  db: Kysely<Database>,
  ctx: Ctx,
  planId: string,
  q: PlanTreeQuery,
): Promise<PlanTree> {
  requireRead(ctx);
  const plan = await requirePlan(db, ctx, planId);
  const heads = await versionHeads(db, [planId]);
  const head = q.versionId ? heads.find((h) => h.id === q.versionId) : heads[0];
  if (!head) throw new AppError('NOT_FOUND', '该规划没有这个版本');
  return treeOf(db, plan, heads, head, q);
}

/** The published version's tree, for the public. */
export async function getPublishedPlanTree(
  db: Kysely<Database>,
  ctx: Ctx,
  planId: string,
  q: PlanTreeQuery,
): Promise<PlanTree> {
  if (!canReadPublishedPlan(ctx.user)) throw new AppError('FORBIDDEN');
  // A published plan of any level is public; the demo's invented county plans never are.
  const plan = await findPlanRow(db, planId);
  if (!plan || plan.demo_batch_id) throw new AppError('NOT_FOUND', '规划不存在');
  const heads = await versionHeads(db, [planId]);
  const head = heads.find((h) => h.is_published === 1);
  if (!head) throw new AppError('NOT_FOUND', '该规划尚未公开发布');
  return treeOf(db, plan, heads, head, { ...q, versionId: head.id });
}

/** What changed in `versionId` compared with the version before it (version 1 lists every task as added). */
export async function getVersionDiff(
  db: Kysely<Database>,
  ctx: Ctx,
  planId: string,
  versionId: string,
): Promise<PlanDiff> {
  requireRead(ctx);
  await requirePlan(db, ctx, planId);
  const heads = await versionHeads(db, [planId]);
  const to = heads.find((h) => h.id === versionId);
  if (!to) throw new AppError('NOT_FOUND', '该规划没有这个版本');
  const from = heads.find((h) => h.number === to.number - 1) ?? null;
  return computeDiff(db, from, to);
}

/** The source text of a version with the heading spans of its tasks (for reading the document beside the tree). */
export async function getVersionSource(
  db: Kysely<Database>,
  ctx: Ctx,
  planId: string,
  versionId: string,
): Promise<{ sourceText: string; warnings: string[] }> {
  requireRead(ctx);
  const row = await versionSource(db, versionId);
  if (!row || row.plan_id !== planId) throw new AppError('NOT_FOUND', '该规划没有这个版本');
  return { sourceText: row.source_text, warnings: JSON.parse(row.warnings) as string[] };
}

/** A unit's tasks in the latest version of every plan ("our tasks"); a reporter's own unit by default. */
export async function listUnitTasks(
  db: Kysely<Database>,
  ctx: Ctx,
  q: UnitTasksQuery,
): Promise<Page<UnitTaskRow> & { unit: UnitRef }> {
  requireRead(ctx);
  const unitId = q.unitId ?? ctx.user?.unitId ?? null;
  if (!unitId) throw new AppError('BAD_REQUEST', '请选择单位');
  const unitRow = await findUnitRow(db, unitId);
  if (!unitRow) throw new AppError('NOT_FOUND', '单位不存在');
  const { rows, total } = await unitAssignmentPage(
    db,
    unitId,
    await latestVersionIds(db),
    q.page,
    q.pageSize,
  );
  const taskRows = await taskRowsByIds(
    db,
    rows.map((r) => r.task_id),
  );
  const byId = new Map(
    toPlanTasks(taskRows, await contentWithBindings(db, { taskIds: taskRows.map((t) => t.id) })).map((t) => [
      t.id,
      t,
    ]),
  );
  const plans = await versionPlans(db, [...new Set(taskRows.map((t) => t.version_id))]);
  const versionOf = new Map(taskRows.map((t) => [t.id, t.version_id]));
  const items: UnitTaskRow[] = rows.map((r) => {
    const p = plans.get(versionOf.get(r.task_id)!)!;
    return {
      planId: p.planId,
      planTitle: p.planTitle,
      versionNumber: p.number,
      role: r.role as UnitRole,
      task: byId.get(r.task_id)!,
    };
  });
  return { items, total, page: q.page, pageSize: q.pageSize, unit: toUnitRef(unitRow) };
}

// ── editing ─────────────────────────────────────────────────────────────────────────────────────────────────

/** History stays as imported: only the newest version of a plan is edited. */
async function requireLatestVersion(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  versionId: string,
): Promise<VersionHead> {
  const head = await findVersionHead(db, versionId);
  if (!head) throw new AppError('NOT_FOUND', '版本不存在');
  assertOwnPlan(ctx, await requirePlan(db, ctx, head.plan_id));
  const [latest] = await versionHeads(db, [head.plan_id]);
  if (latest?.id !== head.id) {
    throw new AppError('INVALID_STATE', '只能修改最新版本；历史版本保持导入时的原样');
  }
  return head;
}

async function presentTask(db: Kysely<Database>, id: string): Promise<PlanTask> {
  const rows = await taskRowsByIds(db, [id]);
  return toPlanTasks(rows, await contentWithBindings(db, { taskIds: [id] }))[0]!;
}

export async function updateTask(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: TaskUpdate,
): Promise<PlanTask> {
  requireManage(ctx);
  return db.transaction().execute(async (trx) => {
    const row = await findTaskRow(trx, id);
    if (!row) throw new AppError('NOT_FOUND', '任务不存在');
    await requireLatestVersion(trx, ctx, row.version_id);
    const before = await presentTask(trx, id);
    const now = nowIso();
    const ok = await updateTaskRow(trx, id, input.version, {
      ...(input.title !== undefined ? { title: input.title } : {}),
      updated_at: now,
    });
    if (!ok) throw new AppError('CONFLICT', undefined, { currentVersion: row.version });
    if (input.units) {
      const assignments: PlanTaskUnitsTable[] = [];
      for (const [i, u] of input.units.entries()) {
        const unit = await findUnitRow(trx, u.unitId);
        if (!unit || unit.merged_into_id) throw new AppError('NOT_FOUND', '单位不存在或已被合并');
        const existing = before.units.find((x) => x.unitId === u.unitId);
        assignments.push({
          id: newId(),
          task_id: id,
          unit_id: u.unitId,
          role: u.role,
          written_name: existing?.writtenName ?? unit.short_name,
          sort_order: i + 1,
        });
      }
      await replaceAssignments(trx, id, assignments);
    }
    const after = await presentTask(trx, id);
    await recordAudit(trx, ctx, {
      action: 'plan.task.update',
      entityType: 'plan_task',
      entityId: id,
      before: { title: before.title, units: before.units.map((u) => [u.unitShortName, u.role]) },
      after: { title: after.title, units: after.units.map((u) => [u.unitShortName, u.role]) },
    });
    return after;
  });
}

export async function updateIndicator(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: IndicatorUpdate,
): Promise<Indicator> {
  requireManage(ctx);
  return db.transaction().execute(async (trx) => {
    const row = await findIndicatorRow(trx, id);
    if (!row) throw new AppError('NOT_FOUND', '指标不存在');
    const task = (await findTaskRow(trx, row.task_id))!;
    await requireLatestVersion(trx, ctx, task.version_id);
    const read = async () => {
      const c = await contentWithBindings(trx, { taskIds: [row.task_id] });
      return toIndicator(c.indicators.find((i) => i.id === id)!, c.breakdowns, c.bindings);
    };
    const before = await read();
    const changes: Partial<IndicatorsTable> = { updated_at: nowIso() };
    if (input.kind !== undefined) changes.kind = input.kind;
    if (input.text !== undefined) changes.text = input.text;
    if (input.comparator !== undefined) changes.comparator = input.comparator;
    if (input.targetValue !== undefined) changes.target_value = toDecimal(input.targetValue);
    if (input.unit !== undefined) changes.unit = input.unit;
    if (input.period !== undefined) changes.period = input.period;
    if (input.deadline !== undefined) changes.deadline = input.deadline;
    if (input.baselineValue !== undefined)
      changes.baseline_value = input.baselineValue === null ? null : toDecimal(input.baselineValue);
    if (input.baselineYear !== undefined) changes.baseline_year = input.baselineYear;
    if (input.breakdownByCounty !== undefined) changes.breakdown_by_county = input.breakdownByCounty ? 1 : 0;
    if (!(await updateIndicatorRow(trx, id, input.version, changes))) {
      throw new AppError('CONFLICT', undefined, { currentVersion: row.version });
    }
    if (input.breakdown) {
      const seen = new Set<string>();
      const rows = [];
      for (const b of input.breakdown) {
        const unit = await findUnitRow(trx, b.unitId);
        if (!unit) throw new AppError('NOT_FOUND', '单位不存在');
        if (unit.kind !== 'county' && unit.kind !== 'zone' && unit.kind !== 'city') {
          throw new AppError('BAD_REQUEST', `分县目标只能对应县(市)区或功能区，“${unit.short_name}”不是`);
        }
        if (seen.has(b.unitId)) throw new AppError('BAD_REQUEST', `“${unit.short_name}”重复出现`);
        seen.add(b.unitId);
        rows.push({
          id: newId(),
          indicator_id: id,
          unit_id: b.unitId,
          target_value: toDecimal(b.targetValue),
        });
      }
      await replaceBreakdowns(trx, id, rows);
    }
    const after = await read();
    await recordAudit(trx, ctx, {
      action: 'plan.indicator.update',
      entityType: 'indicator',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/**
 * The per-county targets of an indicator set by the level above's 分解下达 (the caller has authorized it): the
 * indicator is evaluated by county, each county's target keyed by its government unit.
 */
export async function replaceIndicatorBreakdowns(
  trx: Kysely<Database>,
  indicator: IndicatorsTable,
  targets: { unitId: string; targetValue: number }[],
): Promise<void> {
  const changes = { breakdown_by_county: 1, updated_at: nowIso() };
  if (!(await updateIndicatorRow(trx, indicator.id, indicator.version, changes))) {
    throw new AppError('CONFLICT', undefined, { currentVersion: indicator.version });
  }
  await replaceBreakdowns(
    trx,
    indicator.id,
    targets.map((t) => ({
      id: newId(),
      indicator_id: indicator.id,
      unit_id: t.unitId,
      target_value: toDecimal(t.targetValue),
    })),
  );
}

/**
 * Publish a version just imported, inside the caller's transaction, audited (the sample plan and the demo's county
 * plans at load; an admin goes through publishVersion).
 */
export async function publishImportedVersionInTrx(
  trx: Kysely<Database>,
  ctx: Ctx,
  planId: string,
  versionId: string,
  about: Record<string, unknown> = {},
): Promise<void> {
  await setPublishedVersion(trx, planId, versionId, nowIso());
  await recordAudit(trx, ctx, {
    action: 'plan.publish',
    entityType: 'plan',
    entityId: planId,
    after: { publishedVersionId: versionId, ...about },
  });
}

/** Publish one version of a plan (the public then reads it); any earlier published version is withdrawn. */
export async function publishVersion(
  db: Kysely<Database>,
  ctx: Ctx,
  planId: string,
  input: PlanPublish | { versionId: null; version: number },
): Promise<PlanDetail> {
  requireManage(ctx);
  await db.transaction().execute(async (trx) => {
    const plan = await requirePlan(trx, ctx, planId);
    assertOwnPlan(ctx, plan);
    const heads = await versionHeads(trx, [planId]);
    if (input.versionId && !heads.some((h) => h.id === input.versionId)) {
      throw new AppError('NOT_FOUND', '该规划没有这个版本');
    }
    const before = heads.find((h) => h.is_published === 1)?.id ?? null;
    const now = nowIso();
    if (!(await updatePlanRow(trx, planId, input.version, { updated_at: now }))) {
      throw new AppError('CONFLICT', undefined, { currentVersion: plan.version });
    }
    await setPublishedVersion(trx, planId, input.versionId, now);
    await recordAudit(trx, ctx, {
      action: input.versionId ? 'plan.publish' : 'plan.unpublish',
      entityType: 'plan',
      entityId: planId,
      before: { publishedVersionId: before },
      after: { publishedVersionId: input.versionId },
    });
  });
  return getPlan(db, ctx, planId);
}

/** The tree of a version for export (the latest unless given). */
export async function planForExport(
  db: Kysely<Database>,
  ctx: Ctx,
  planId: string,
  versionId?: string,
): Promise<PlanTree> {
  return getPlanTree(db, ctx, planId, versionId ? { versionId } : {});
}
