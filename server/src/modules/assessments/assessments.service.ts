import {
  ASSESSMENT_BONUS_SOURCE_LABELS,
  ASSESSMENT_DEDUCTION_EVENT_LABELS,
  ASSESSMENT_RULE_LABELS,
  type AssessmentAnswer,
  type AssessmentAppeal,
  type AssessmentAppealCreate,
  type AssessmentAudience,
  type AssessmentEvidenceNote,
  type AssessmentFile,
  type AssessmentGrade,
  type AssessmentItem,
  type AssessmentItemInput,
  type AssessmentMark,
  type AssessmentOverride,
  type AssessmentResults,
  type AssessmentRubric,
  type AssessmentRubricCreate,
  type AssessmentRubricUpdate,
  type AssessmentRule,
  AssessmentRuleSchema,
  type AssessmentSubjectResult,
  type AssessmentWindow,
  gradeOf,
  type MyAssessments,
  type PublicAssessment,
  RESOURCE_KIND_LABELS,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authorize, type SignedInCtx } from '../../authorize';
import type { Ctx } from '../../context';
import { isUniqueViolation } from '../../db/dialect';
import type {
  AssessmentAppealsTable,
  AssessmentFilesTable,
  AssessmentItemsTable,
  AssessmentResultsTable,
  AssessmentScoresTable,
  Database,
} from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { dateIn } from '../../time';
import { recordAudit } from '../audit/audit.service';
import { findJurisdiction, rootJurisdictionId } from '../jurisdictions/jurisdictions.service';
import { findUnitRow } from '../units/unit-reads.service';
import { AssessmentFacts, computeItem, round1, subjectsOf } from './assessment-compute';
import {
  canAskAssessments,
  canManageAssessments,
  canManageRubric,
  canReadAllResults,
  canSeeRubric,
  type RubricScope,
  subjectOf,
} from './assessments.policy';
import {
  answerAppealRow,
  appealRows,
  fileRows,
  findAppealRow,
  findRubricByKey,
  findRubricRow,
  findScoreRow,
  insertAppealRow,
  insertFileRow,
  insertResultRows,
  insertRubricRow,
  insertScoreRow,
  itemRows,
  publishedRubricRows,
  type RubricRow,
  replaceItemRows,
  resultRows,
  rubricRows,
  scoreRows,
  updateRubricRow,
  updateScoreRow,
} from './assessments.repository';

// ── presenting ──────────────────────────────────────────────────────────────────────────────────────────────

const scopeOf = (r: RubricRow): RubricScope => ({
  jurisdictionId: r.jurisdiction_id,
  jurisdictionPath: r.jurisdiction_path,
  audience: r.audience as AssessmentAudience,
});

export function parseRule(json: string): AssessmentRule {
  return AssessmentRuleSchema.parse(JSON.parse(json));
}

/** Whether an item adds to the base (what grades are measured against): not a bonus, deduction or veto. */
const isBaseItem = (rule: AssessmentRule) =>
  rule.kind === 'evidence' || rule.kind === 'indicator_threshold' || rule.kind === 'proportional';

/** A rule in words, for the item list and the public. */
export function ruleText(rule: AssessmentRule, points: number): string {
  switch (rule.kind) {
    case 'evidence':
      return `凭佐证材料认定，完成得 ${points} 分`;
    case 'indicator_threshold':
      return `指标完成达到 ${rule.threshold}% 得 ${points} 分${rule.partial ? '，未达按比例计分' : '，未达不得分'}`;
    case 'proportional':
      return `${points} 分 × 完成度`;
    case 'deduction':
      return `${rule.events.map((e) => ASSESSMENT_DEDUCTION_EVENT_LABELS[e]).join('、')}每次扣 ${rule.perEvent} 分，最多扣 ${points} 分`;
    case 'bonus':
      if (rule.source === 'registry')
        return `新认定${rule.levels?.join('、') ?? ''}${rule.registryKind ? RESOURCE_KIND_LABELS[rule.registryKind] : ''}每个加 ${rule.perRecord} 分，最多加 ${points} 分`;
      if (rule.source === 'coverage') return `科普活动覆盖面达到 ${rule.threshold}% 加 ${points} 分`;
      if (rule.source === 'funding') return `人均科普经费达到 ${rule.threshold} 元/人加 ${points} 分`;
      return `${ASSESSMENT_BONUS_SOURCE_LABELS.manual}，最多加 ${points} 分`;
    case 'veto':
      return rule.condition === 'red_notice_open'
        ? '红色督办年底未销号，一票否决'
        : '经认定的否决事项，一票否决';
  }
}

function toItem(row: AssessmentItemsTable): AssessmentItem {
  const rule = parseRule(row.rule_json);
  return {
    id: row.id,
    title: row.title,
    points: Number(row.points),
    rule,
    ruleText: `${ASSESSMENT_RULE_LABELS[rule.kind]}：${ruleText(rule, Number(row.points))}`,
    sortOrder: row.sort_order,
  };
}

async function toRubric(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  r: RubricRow,
  items?: AssessmentItemsTable[],
  appeals?: AssessmentAppealsTable[],
): Promise<AssessmentRubric> {
  const its = (items ?? (await itemRows(db, [r.id]))).map(toItem);
  const open = (appeals ?? (await appealRows(db, r.id))).filter((a) => a.state === 'open').length;
  return {
    id: r.id,
    jurisdictionId: r.jurisdiction_id,
    jurisdictionName: r.jurisdiction_name,
    year: r.year,
    audience: r.audience as AssessmentAudience,
    title: r.title,
    state: r.state as AssessmentRubric['state'],
    basePoints: round1(its.filter((i) => isBaseItem(i.rule)).reduce((s, i) => s + i.points, 0)),
    appealStart: r.appeal_start,
    appealEnd: r.appeal_end,
    computedAt: r.computed_at,
    asOf: r.as_of,
    frozenAt: r.frozen_at,
    publishedAt: r.published_at,
    openAppeals: open,
    items: its,
    canManage: canManageRubric(ctx.user, scopeOf(r)),
    version: r.version,
  };
}

function toFile(f: AssessmentFilesTable): AssessmentFile {
  return { id: f.id, fileName: f.file_name, note: f.note, link: f.link, createdAt: f.created_at };
}

// ── reading ─────────────────────────────────────────────────────────────────────────────────────────────────

/** The rubric, or NOT_FOUND (also when the user may not see it: a forged id says nothing). */
async function requireRubric(db: Kysely<Database>, id: string): Promise<RubricRow> {
  const r = await findRubricRow(db, id);
  if (!r) throw new AppError('NOT_FOUND', '考核不存在');
  return r;
}

async function subjectIdsOf(db: Kysely<Database>, rubricId: string): Promise<Set<string>> {
  return new Set((await scoreRows(db, rubricId)).map((s) => s.subject_id));
}

/** The rubric as the user may see it: the office, or one of its subjects once computed; others NOT_FOUND. */
async function visibleRubric(db: Kysely<Database>, ctx: SignedInCtx, id: string): Promise<RubricRow> {
  const r = await requireRubric(db, id);
  const scope = scopeOf(r);
  if (canReadAllResults(ctx.user, scope)) return r;
  if (r.state === 'draft' || !canSeeRubric(ctx.user, scope, await subjectIdsOf(db, r.id)))
    throw new AppError('NOT_FOUND', '考核不存在');
  return r;
}

/** A rubric the user manages (the level's admin): unseen → NOT_FOUND, seen but not its own → FORBIDDEN. */
async function managedRubric(db: Kysely<Database>, ctx: SignedInCtx, id: string): Promise<RubricRow> {
  const r = await visibleRubric(db, ctx, id);
  if (!canManageRubric(ctx.user, scopeOf(r))) throw new AppError('FORBIDDEN', '只有本级管理员可以管理该考核');
  return r;
}

const assertNotFrozen = (r: RubricRow) => {
  if (r.state === 'frozen') throw new AppError('ASSESSMENT_FROZEN');
};

export async function listRubrics(
  db: Kysely<Database>,
  ctx: Ctx,
  q: { year?: number | undefined; audience?: AssessmentAudience | undefined },
): Promise<{ items: AssessmentRubric[] }> {
  authorize(
    ctx,
    (u) => u.role === 'admin' || u.role === 'leader' || u.role === 'analyst',
    '只有管理员、领导和分析员可以查看考核列表，单位请查看“我的考核”',
  );
  const rows = await rubricRows(db, {
    withinPath: ctx.user.jurisdictionPath,
    ...(q.year !== undefined ? { year: q.year } : {}),
    ...(q.audience !== undefined ? { audience: q.audience } : {}),
  });
  const items = await itemRows(
    db,
    rows.map((r) => r.id),
  );
  return {
    items: await Promise.all(
      rows.map((r) =>
        toRubric(
          db,
          ctx,
          r,
          items.filter((i) => i.rubric_id === r.id),
        ),
      ),
    ),
  };
}

export async function getRubric(db: Kysely<Database>, ctx: Ctx, id: string): Promise<AssessmentRubric> {
  authorize(ctx, canAskAssessments);
  return toRubric(db, ctx, await visibleRubric(db, ctx, id));
}

interface ResultsData {
  items: AssessmentItemsTable[];
  scores: AssessmentScoresTable[];
  appeals: AssessmentAppealsTable[];
  files: AssessmentFilesTable[];
  frozen: AssessmentResultsTable[];
}

async function resultsData(db: Kysely<Database>, r: RubricRow): Promise<ResultsData> {
  const [items, scores, appeals, files, frozen] = await Promise.all([
    itemRows(db, [r.id]),
    scoreRows(db, r.id),
    appealRows(db, r.id),
    fileRows(db, r.id),
    resultRows(db, [r.id]),
  ]);
  return { items, scores, appeals, files, frozen };
}

const effective = (s: AssessmentScoresTable | undefined): number | null =>
  s === undefined
    ? null
    : s.override_score !== null
      ? Number(s.override_score)
      : s.computed_score === null
        ? null
        : Number(s.computed_score);

/** A subject's total, veto and grade from its item scores: veto items count 1 when they apply. */
function totalOf(
  items: AssessmentItemsTable[],
  scoreOf: (itemId: string) => AssessmentScoresTable | undefined,
): { total: number; vetoed: boolean; vetoReason: string | null; grade: AssessmentGrade; base: number } {
  let sum = 0;
  let base = 0;
  const vetoes: string[] = [];
  for (const i of items) {
    const rule = parseRule(i.rule_json);
    const s = scoreOf(i.id);
    const v = effective(s) ?? 0;
    if (rule.kind === 'veto') {
      if (v >= 1) vetoes.push(`${i.title}：${s?.override_reason ?? s?.explanation ?? ''}`);
      continue;
    }
    if (isBaseItem(rule)) base += Number(i.points);
    sum += v;
  }
  const vetoed = vetoes.length > 0;
  const total = vetoed ? 0 : Math.max(0, round1(sum));
  return {
    total,
    vetoed,
    vetoReason: vetoed ? vetoes.join('；') : null,
    grade: gradeOf(total, base, vetoed),
    base,
  };
}

/** Ranks: higher totals first, equal totals share a rank (1, 1, 3), vetoed subjects after everyone else. */
export function rankOf<T extends { total: number; vetoed: boolean }>(rows: T[]): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => Number(a.vetoed) - Number(b.vetoed) || b.total - a.total);
  const out: (T & { rank: number })[] = [];
  sorted.forEach((r, i) => {
    const prev = out[i - 1];
    const same = prev && prev.vetoed === r.vetoed && prev.total === r.total;
    out.push({ ...r, rank: same ? prev.rank : i + 1 });
  });
  return out;
}

/** Every computed subject's total, grade and veto from the draft scores (overrides counted), unranked. */
export function draftTotals(items: AssessmentItemsTable[], scores: AssessmentScoresTable[]) {
  const scoreMap = new Map(scores.map((s) => [`${s.item_id}|${s.subject_id}`, s]));
  const subjects = new Map(scores.map((s) => [s.subject_id, s]));
  return [...subjects.values()].map((s) => {
    const t = totalOf(items, (itemId) => scoreMap.get(`${itemId}|${s.subject_id}`));
    return {
      subjectKind: s.subject_kind as 'unit' | 'jurisdiction',
      subjectId: s.subject_id,
      subjectName: s.subject_name,
      total: t.total,
      grade: t.grade,
      vetoed: t.vetoed,
    };
  });
}

function subjectResults(r: RubricRow, d: ResultsData, onlySubject: string | null): AssessmentSubjectResult[] {
  const bySubject = new Map<string, { kind: string; name: string }>();
  for (const s of d.scores) bySubject.set(s.subject_id, { kind: s.subject_kind, name: s.subject_name });
  const scoreMap = new Map(d.scores.map((s) => [`${s.item_id}|${s.subject_id}`, s]));
  const itemTitle = new Map(d.items.map((i) => [i.id, i.title]));
  const frozenBy = new Map(d.frozen.map((f) => [f.subject_id, f]));
  const rows = [...bySubject.entries()].map(([id, s]) => ({
    id,
    ...s,
    ...totalOf(d.items, (itemId) => scoreMap.get(`${itemId}|${id}`)),
  }));
  const ranked = r.state === 'frozen' ? null : new Map(rankOf(rows).map((x) => [x.id, x.rank]));
  return rows
    .filter((x) => onlySubject === null || x.id === onlySubject)
    .map((x) => {
      const f = frozenBy.get(x.id);
      return {
        subjectKind: x.kind as 'unit' | 'jurisdiction',
        subjectId: x.id,
        subjectName: x.name,
        total: f ? Number(f.total) : x.total,
        grade: (f ? f.grade : x.grade) as AssessmentGrade,
        rank: f ? f.rank : (ranked?.get(x.id) ?? null),
        vetoed: f ? f.vetoed === 1 : x.vetoed,
        vetoReason: f ? f.veto_reason : x.vetoReason,
        items: d.items.map((i) => {
          const s = scoreMap.get(`${i.id}|${x.id}`);
          return {
            itemId: i.id,
            computed: s?.computed_score == null ? null : Number(s.computed_score),
            explanation: s?.explanation ?? '',
            overrideScore: s?.override_score == null ? null : Number(s.override_score),
            overrideReason: s?.override_reason ?? null,
            score: effective(s),
            met: s?.met == null ? null : s.met === 1,
            evidence: d.files
              .filter((f) => f.item_id === i.id && f.subject_id === x.id && f.appeal_id === null)
              .map(toFile),
          };
        }),
        appeals: d.appeals
          .filter((a) => a.subject_id === x.id)
          .map(
            (a): AssessmentAppeal => ({
              id: a.id,
              itemId: a.item_id,
              itemTitle: itemTitle.get(a.item_id) ?? '',
              subjectId: a.subject_id,
              subjectName: x.name,
              text: a.text,
              state: a.state as AssessmentAppeal['state'],
              answer: a.answer,
              answeredScore: a.answered_score == null ? null : Number(a.answered_score),
              answeredAt: a.answered_at,
              createdAt: a.created_at,
              files: d.files.filter((f) => f.appeal_id === a.id).map(toFile),
            }),
          ),
      };
    })
    .sort(
      (a, b) =>
        (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
        a.subjectName.localeCompare(b.subjectName, 'zh-CN'),
    );
}

const appealOpenOn = (r: RubricRow, day: string) =>
  r.state === 'computed' &&
  r.appeal_start !== null &&
  r.appeal_end !== null &&
  day >= r.appeal_start &&
  day <= r.appeal_end;

/** Every subject's results (the office), or the user's own subject's (a unit, a county admin). */
export async function getResults(
  db: Kysely<Database>,
  ctx: Ctx,
  timeZone: string,
  id: string,
): Promise<AssessmentResults> {
  authorize(ctx, canAskAssessments);
  const r = await visibleRubric(db, ctx, id);
  const d = await resultsData(db, r);
  const only = canReadAllResults(ctx.user, scopeOf(r)) ? null : subjectOf(ctx.user, scopeOf(r));
  return {
    rubric: await toRubric(db, ctx, r, d.items, d.appeals),
    appealOpen: appealOpenOn(r, dateIn(timeZone)),
    subjects: subjectResults(r, d, only),
  };
}

/** 我的考核: the computed rubrics in which the user stands for a subject, with that subject's result only. */
export async function myAssessments(
  db: Kysely<Database>,
  ctx: Ctx,
  timeZone: string,
): Promise<MyAssessments> {
  authorize(ctx, canAskAssessments);
  const user = ctx.user;
  let candidates: RubricRow[] = [];
  if (user.role === 'reporter' && user.unitId) {
    const unit = await findUnitRow(db, user.unitId);
    if (unit?.jurisdiction_id)
      candidates = await rubricRows(db, { jurisdictionIds: [unit.jurisdiction_id], audience: 'units' });
  } else if (user.role === 'admin' && user.jurisdictionId) {
    const j = await findJurisdiction(db, user.jurisdictionId);
    if (j?.parent_id)
      candidates = await rubricRows(db, { jurisdictionIds: [j.parent_id], audience: 'counties' });
  }
  const day = dateIn(timeZone);
  const out: MyAssessments['items'] = [];
  for (const r of candidates) {
    if (r.state === 'draft') continue;
    const subject = subjectOf(user, scopeOf(r));
    if (!subject) continue;
    const d = await resultsData(db, r);
    const [result] = subjectResults(r, d, subject);
    if (!result) continue;
    out.push({
      rubric: await toRubric(db, ctx, r, d.items, d.appeals),
      appealOpen: appealOpenOn(r, day),
      result,
    });
  }
  return { items: out };
}

// ── editing ─────────────────────────────────────────────────────────────────────────────────────────────────

function itemRowsOf(rubricId: string, items: AssessmentItemInput[]): AssessmentItemsTable[] {
  return items.map((i, n) => ({
    id: newId(),
    rubric_id: rubricId,
    title: i.title,
    points: i.rule.kind === 'veto' ? 0 : i.points,
    rule_json: JSON.stringify(i.rule),
    sort_order: n + 1,
  }));
}

const auditItems = (items: { title: string; points: number; rule_json: string }[]) =>
  items.map((i) => ({ 项目: i.title, 分值: Number(i.points), 规则: JSON.parse(i.rule_json) as unknown }));

async function ownJurisdictionId(db: Kysely<Database>, ctx: SignedInCtx): Promise<string> {
  const id = ctx.user.jurisdictionId ?? (await rootJurisdictionId(db));
  if (!id) throw new AppError('INVALID_STATE', '尚未设置行政区划');
  return id;
}

/** A new draft rubric of the admin's own level for a year and audience (one per year and audience). */
export async function createRubric(
  db: Kysely<Database>,
  ctx: Ctx,
  input: AssessmentRubricCreate,
  copiedFrom: string | null = null,
): Promise<AssessmentRubric> {
  authorize(ctx, canManageAssessments, '只有管理员可以制定考核');
  const jurisdictionId = await ownJurisdictionId(db, ctx);
  const id = newId();
  const now = nowIso();
  try {
    await db.transaction().execute(async (trx) => {
      if (await findRubricByKey(trx, jurisdictionId, input.year, input.audience))
        throw new AppError('DUPLICATE', `${input.year}年已有该对象的考核，请直接编辑`);
      await insertRubricRow(trx, {
        id,
        jurisdiction_id: jurisdictionId,
        year: input.year,
        audience: input.audience,
        title: input.title,
        state: 'draft',
        appeal_start: null,
        appeal_end: null,
        computed_at: null,
        as_of: null,
        frozen_at: null,
        published_at: null,
        copied_from_id: copiedFrom,
        version: 1,
        created_by: ctx.user.id,
        created_at: now,
        updated_at: now,
      });
      const rows = itemRowsOf(id, input.items);
      await replaceItemRows(trx, id, rows);
      await recordAudit(trx, ctx, {
        action: copiedFrom ? 'assessment.copy' : 'assessment.create',
        entityType: 'assessment_rubric',
        entityId: id,
        after: {
          年度: input.year,
          对象: input.audience,
          名称: input.title,
          项目: auditItems(rows),
          复制自: copiedFrom,
        },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('DUPLICATE', `${input.year}年已有该对象的考核，请直接编辑`);
    throw err;
  }
  return getRubric(db, ctx, id);
}

/** Edit a draft's title and items (optimistic version). Computed rubrics keep their items. */
export async function updateRubric(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: AssessmentRubricUpdate,
): Promise<AssessmentRubric> {
  authorize(ctx, canManageAssessments, '只有管理员可以修改考核');
  await db.transaction().execute(async (trx) => {
    const r = await managedRubric(trx, ctx, id);
    assertNotFrozen(r);
    if (r.state !== 'draft') throw new AppError('INVALID_STATE', '考核已计算，考核项目不能再修改');
    if (!(await updateRubricRow(trx, id, input.version, { title: input.title, updated_at: nowIso() })))
      throw new AppError('CONFLICT', '考核已被他人修改，请刷新后重试', { currentVersion: r.version });
    const before = await itemRows(trx, [id]);
    const rows = itemRowsOf(id, input.items);
    await replaceItemRows(trx, id, rows);
    await recordAudit(trx, ctx, {
      action: 'assessment.update',
      entityType: 'assessment_rubric',
      entityId: id,
      before: { 名称: r.title, 项目: auditItems(before) },
      after: { 名称: input.title, 项目: auditItems(rows) },
    });
  });
  return getRubric(db, ctx, id);
}

/** Copy a rubric of an earlier year of the same level as the new year's draft (items only; no scores). */
export async function copyRubric(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  year: number,
): Promise<AssessmentRubric> {
  authorize(ctx, canManageAssessments, '只有管理员可以制定考核');
  const from = await managedRubric(db, ctx, id);
  if (from.year >= year) throw new AppError('VALIDATION_FAILED', `只能复制到 ${from.year} 年之后的年度`);
  const items = (await itemRows(db, [id])).map((i) => ({
    title: i.title,
    points: Number(i.points),
    rule: parseRule(i.rule_json),
  }));
  return createRubric(
    db,
    ctx,
    {
      year,
      audience: from.audience as AssessmentAudience,
      title: from.title.replaceAll(String(from.year), String(year)),
      items,
    },
    id,
  );
}

// ── computing ───────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Compute every item for every subject from the data as of the year's end (or today, when earlier). Recomputing
 * replaces computed scores and explanations; overrides, judgements and appeals stay.
 */
export async function computeRubric(
  db: Kysely<Database>,
  ctx: Ctx,
  timeZone: string,
  id: string,
): Promise<AssessmentRubric> {
  authorize(ctx, canManageAssessments, '只有管理员可以计算考核');
  const r = await managedRubric(db, ctx, id);
  assertNotFrozen(r);
  const today = dateIn(timeZone);
  const asOf = today < `${r.year}-12-31` ? today : `${r.year}-12-31`;
  if (asOf < `${r.year}-01-01`) throw new AppError('INVALID_STATE', `${r.year}年尚未开始，不能计算`);
  const items = await itemRows(db, [id]);
  if (items.length === 0) throw new AppError('INVALID_STATE', '请先添加考核项目');
  // Read and compute outside the write; then write in one transaction.
  const facts = new AssessmentFacts(db, r, asOf, []);
  const subjects = await subjectsOf(db, r, facts);
  const factsFor = new AssessmentFacts(db, r, asOf, subjects);
  const [existing, files] = await Promise.all([scoreRows(db, id), fileRows(db, id)]);
  const byKey = new Map(existing.map((s) => [`${s.item_id}|${s.subject_id}`, s]));
  const computed: {
    item: AssessmentItemsTable;
    subject: (typeof subjects)[number];
    score: number;
    explanation: string;
  }[] = [];
  for (const item of items) {
    const rule = parseRule(item.rule_json);
    for (const subject of subjects) {
      const was = byKey.get(`${item.id}|${subject.id}`);
      const c = await computeItem(
        factsFor,
        { title: item.title, points: Number(item.points), rule },
        subject,
        {
          met: was?.met == null ? null : was.met === 1,
          note: was?.met_note ?? null,
          evidenceCount: files.filter(
            (f) => f.item_id === item.id && f.subject_id === subject.id && f.appeal_id === null,
          ).length,
        },
      );
      computed.push({ item, subject, ...c });
    }
  }
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const fresh = await requireRubric(trx, id);
    assertNotFrozen(fresh);
    for (const c of computed) {
      const was = await findScoreRow(trx, c.item.id, c.subject.id);
      if (was)
        await updateScoreRow(trx, was.id, {
          subject_name: c.subject.name,
          computed_score: c.score,
          explanation: c.explanation,
          updated_at: now,
        });
      else
        await insertScoreRow(trx, {
          id: newId(),
          rubric_id: id,
          item_id: c.item.id,
          subject_id: c.subject.id,
          subject_kind: c.subject.kind,
          subject_name: c.subject.name,
          computed_score: c.score,
          explanation: c.explanation,
          override_score: null,
          override_reason: null,
          override_by: null,
          override_at: null,
          met: null,
          met_note: null,
          updated_at: now,
        });
    }
    await updateRubricRow(trx, id, fresh.version, {
      state: 'computed',
      computed_at: now,
      as_of: asOf,
      updated_at: now,
    });
    await recordAudit(trx, ctx, {
      action: 'assessment.compute',
      entityType: 'assessment_rubric',
      entityId: id,
      after: { 截至: asOf, 对象数: subjects.length, 项目数: items.length },
    });
  });
  return getRubric(db, ctx, id);
}

/** Set the appeal window (dates in the installation's time zone, inclusive). */
export async function setAppealWindow(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: AssessmentWindow,
): Promise<AssessmentRubric> {
  authorize(ctx, canManageAssessments, '只有管理员可以设置申诉期');
  await db.transaction().execute(async (trx) => {
    const r = await managedRubric(trx, ctx, id);
    assertNotFrozen(r);
    if (r.state !== 'computed') throw new AppError('INVALID_STATE', '请先计算考核结果，再开放申诉');
    if (
      !(await updateRubricRow(trx, id, input.version, {
        appeal_start: input.appealStart,
        appeal_end: input.appealEnd,
        updated_at: nowIso(),
      }))
    )
      throw new AppError('CONFLICT', '考核已被他人修改，请刷新后重试', { currentVersion: r.version });
    await recordAudit(trx, ctx, {
      action: 'assessment.appeal_window',
      entityType: 'assessment_rubric',
      entityId: id,
      before: { 申诉开始: r.appeal_start, 申诉截止: r.appeal_end },
      after: { 申诉开始: input.appealStart, 申诉截止: input.appealEnd },
    });
  });
  return getRubric(db, ctx, id);
}

async function requireItem(db: Kysely<Database>, rubricId: string, itemId: string) {
  const item = (await itemRows(db, [rubricId])).find((i) => i.id === itemId);
  if (!item) throw new AppError('NOT_FOUND', '考核项目不存在');
  return item;
}

async function requireScore(db: Kysely<Database>, itemId: string, subjectId: string) {
  const s = await findScoreRow(db, itemId, subjectId);
  if (!s) throw new AppError('NOT_FOUND', '该考核对象尚无此项得分，请先计算');
  return s;
}

/** Set (or clear) an item's score for a subject with a mandatory reason; shown beside the computed score; audited. */
export async function overrideScore(
  db: Kysely<Database>,
  ctx: Ctx,
  rubricId: string,
  itemId: string,
  input: AssessmentOverride,
): Promise<AssessmentResults['subjects'][number]['items'][number]> {
  authorize(ctx, canManageAssessments, '只有管理员可以调整分数');
  await db.transaction().execute(async (trx) => {
    const r = await managedRubric(trx, ctx, rubricId);
    assertNotFrozen(r);
    const item = await requireItem(trx, rubricId, itemId);
    const s = await requireScore(trx, itemId, input.subjectId);
    await applyOverride(trx, ctx, r, item, s, input.score, input.reason);
  });
  const s = await requireScore(db, itemId, input.subjectId);
  return {
    itemId,
    computed: s.computed_score == null ? null : Number(s.computed_score),
    explanation: s.explanation,
    overrideScore: s.override_score == null ? null : Number(s.override_score),
    overrideReason: s.override_reason,
    score: effective(s),
    met: s.met == null ? null : s.met === 1,
    evidence: [],
  };
}

async function applyOverride(
  trx: Kysely<Database>,
  ctx: SignedInCtx,
  r: RubricRow,
  item: AssessmentItemsTable,
  s: AssessmentScoresTable,
  score: number | null,
  reason: string,
): Promise<void> {
  const rule = parseRule(item.rule_json);
  const points = Number(item.points);
  if (score !== null) {
    const [lo, hi] = rule.kind === 'veto' ? [0, 1] : rule.kind === 'deduction' ? [-points, 0] : [0, points];
    if (score < lo || score > hi || (rule.kind === 'veto' && score !== 0 && score !== 1))
      throw new AppError(
        'VALIDATION_FAILED',
        rule.kind === 'veto' ? '否决项只能为 1（否决）或 0（不否决）' : `该项分数应在 ${lo} 到 ${hi} 分之间`,
        { fields: [{ path: 'body.score', message: `该项分数应在 ${lo} 到 ${hi} 分之间` }] },
      );
  }
  const now = nowIso();
  await updateScoreRow(trx, s.id, {
    override_score: score === null ? null : round1(score),
    override_reason: score === null ? null : reason,
    override_by: score === null ? null : ctx.user.id,
    override_at: score === null ? null : now,
    updated_at: now,
  });
  await recordAudit(trx, ctx, {
    action: 'assessment.override',
    entityType: 'assessment_rubric',
    entityId: r.id,
    before: {
      项目: item.title,
      对象: s.subject_name,
      计算得分: s.computed_score,
      调整分数: s.override_score,
    },
    after: { 项目: item.title, 对象: s.subject_name, 调整分数: score, 理由: reason },
  });
}

/** The admin's finding on a yes/no item (evidence, manual veto) for a subject; the score follows at once. */
export async function markItem(
  db: Kysely<Database>,
  ctx: Ctx,
  rubricId: string,
  itemId: string,
  input: AssessmentMark,
): Promise<void> {
  authorize(ctx, canManageAssessments, '只有管理员可以认定');
  await db.transaction().execute(async (trx) => {
    const r = await managedRubric(trx, ctx, rubricId);
    assertNotFrozen(r);
    const item = await requireItem(trx, rubricId, itemId);
    const rule = parseRule(item.rule_json);
    if (rule.kind !== 'evidence' && !(rule.kind === 'veto' && rule.condition === 'manual'))
      throw new AppError('INVALID_STATE', '只有“是否完成”和人工认定的否决项需要认定');
    if (rule.kind === 'veto' && input.met && input.note === '')
      throw new AppError('VALIDATION_FAILED', '认定一票否决须填写理由', {
        fields: [{ path: 'body.note', message: '认定一票否决须填写理由' }],
      });
    const s = await requireScore(trx, itemId, input.subjectId);
    const files = (await fileRows(trx, rubricId)).filter(
      (f) => f.item_id === itemId && f.subject_id === input.subjectId && f.appeal_id === null,
    );
    const c = await computeItem(
      new AssessmentFacts(trx, r, r.as_of ?? `${r.year}-12-31`, []),
      { title: item.title, points: Number(item.points), rule },
      {
        kind: s.subject_kind as 'unit',
        id: s.subject_id,
        name: s.subject_name,
        unitId: null,
        path: r.jurisdiction_path,
      },
      { met: input.met, note: input.note || null, evidenceCount: files.length },
    );
    await updateScoreRow(trx, s.id, {
      met: input.met ? 1 : 0,
      met_note: input.note || null,
      computed_score: c.score,
      explanation: c.explanation,
      updated_at: nowIso(),
    });
    await recordAudit(trx, ctx, {
      action: 'assessment.mark',
      entityType: 'assessment_rubric',
      entityId: rubricId,
      before: { 项目: item.title, 对象: s.subject_name, 认定: s.met },
      after: {
        项目: item.title,
        对象: s.subject_name,
        认定: input.met ? '已完成/成立' : '未完成/不成立',
        说明: input.note,
      },
    });
  });
}

// ── evidence, appeals, files ────────────────────────────────────────────────────────────────────────────────

/** Who may add evidence or appeal for a subject: the subject itself, or (evidence only) the level's admin. */
async function subjectAccess(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  rubricId: string,
  subjectId: string,
  adminToo: boolean,
): Promise<RubricRow> {
  const r = await visibleRubric(db, ctx, rubricId);
  assertNotFrozen(r);
  const scope = scopeOf(r);
  const own = subjectOf(ctx.user, scope) === subjectId;
  if (!own && !(adminToo && canManageRubric(ctx.user, scope)))
    throw new AppError(
      'FORBIDDEN',
      adminToo ? '只能为本单位（本县区）提供佐证材料' : '只能对本单位（本县区）的得分提出申诉',
    );
  if (!(await subjectIdsOf(db, rubricId)).has(subjectId) && r.state !== 'draft')
    throw new AppError('NOT_FOUND', '该考核对象不存在');
  return r;
}

/** Evidence as a note or a link (files are uploaded separately). */
export async function addEvidenceNote(
  db: Kysely<Database>,
  ctx: Ctx,
  rubricId: string,
  itemId: string,
  input: AssessmentEvidenceNote,
): Promise<AssessmentFile> {
  authorize(ctx, canAskAssessments);
  const r = await subjectAccess(db, ctx, rubricId, input.subjectId, true);
  const item = await requireItem(db, rubricId, itemId);
  if (parseRule(item.rule_json).kind !== 'evidence')
    throw new AppError('INVALID_STATE', '该项目不需要佐证材料');
  const row: AssessmentFilesTable = {
    id: newId(),
    rubric_id: r.id,
    item_id: itemId,
    subject_id: input.subjectId,
    appeal_id: null,
    note: input.note || null,
    link: input.link,
    file_name: null,
    mime: null,
    size_bytes: null,
    sha256: null,
    storage_path: null,
    uploaded_by: ctx.user.id,
    created_at: nowIso(),
  };
  await db.transaction().execute(async (trx) => {
    await insertFileRow(trx, row);
    await recordAudit(trx, ctx, {
      action: 'assessment.evidence.add',
      entityType: 'assessment_rubric',
      entityId: r.id,
      after: { 项目: item.title, 对象: input.subjectId, 说明: input.note, 链接: input.link },
    });
  });
  return toFile(row);
}

/** An appeal of an item's score by its subject, within the window. */
export async function createAppeal(
  db: Kysely<Database>,
  ctx: Ctx,
  timeZone: string,
  rubricId: string,
  itemId: string,
  input: AssessmentAppealCreate,
): Promise<AssessmentAppeal> {
  authorize(ctx, canAskAssessments);
  const r = await subjectAccess(db, ctx, rubricId, input.subjectId, false);
  assertAppealOpen(r, dateIn(timeZone));
  const item = await requireItem(db, rubricId, itemId);
  const s = await requireScore(db, itemId, input.subjectId);
  const row: AssessmentAppealsTable = {
    id: newId(),
    rubric_id: rubricId,
    item_id: itemId,
    subject_id: input.subjectId,
    text: input.text,
    state: 'open',
    answer: null,
    answered_score: null,
    answered_by: null,
    answered_at: null,
    created_by: ctx.user.id,
    created_at: nowIso(),
  };
  await db.transaction().execute(async (trx) => {
    await insertAppealRow(trx, row);
    await recordAudit(trx, ctx, {
      action: 'assessment.appeal',
      entityType: 'assessment_rubric',
      entityId: rubricId,
      after: { 项目: item.title, 对象: s.subject_name, 申诉: input.text },
    });
  });
  return {
    id: row.id,
    itemId,
    itemTitle: item.title,
    subjectId: input.subjectId,
    subjectName: s.subject_name,
    text: row.text,
    state: 'open',
    answer: null,
    answeredScore: null,
    answeredAt: null,
    createdAt: row.created_at,
    files: [],
  };
}

export function assertAppealOpen(r: RubricRow, day: string): void {
  if (r.state === 'frozen') throw new AppError('ASSESSMENT_FROZEN', '该考核已定稿，不能再申诉');
  if (r.state !== 'computed' || r.appeal_start === null || r.appeal_end === null)
    throw new AppError('ASSESSMENT_APPEAL_CLOSED', '该考核尚未开放申诉');
  if (day < r.appeal_start)
    throw new AppError('ASSESSMENT_APPEAL_CLOSED', `申诉期为 ${r.appeal_start} 至 ${r.appeal_end}，尚未开始`);
  if (day > r.appeal_end)
    throw new AppError('ASSESSMENT_APPEAL_CLOSED', `申诉期为 ${r.appeal_start} 至 ${r.appeal_end}，已经结束`);
}

/** Answer an appeal: accept with a new score (an override with the answer as its reason) or reject with a reason. */
export async function answerAppeal(
  db: Kysely<Database>,
  ctx: Ctx,
  rubricId: string,
  appealId: string,
  input: AssessmentAnswer,
): Promise<void> {
  authorize(ctx, canManageAssessments, '只有管理员可以答复申诉');
  await db.transaction().execute(async (trx) => {
    const r = await managedRubric(trx, ctx, rubricId);
    assertNotFrozen(r);
    const a = await findAppealRow(trx, appealId);
    if (!a || a.rubric_id !== rubricId) throw new AppError('NOT_FOUND', '申诉不存在');
    if (a.state !== 'open') throw new AppError('INVALID_STATE', '该申诉已经答复');
    const item = await requireItem(trx, rubricId, a.item_id);
    if (input.decision === 'accept') {
      const s = await requireScore(trx, a.item_id, a.subject_id);
      await applyOverride(trx, ctx, r, item, s, input.score, `申诉答复：${input.answer}`);
    }
    const ok = await answerAppealRow(trx, appealId, {
      state: input.decision === 'accept' ? 'accepted' : 'rejected',
      answer: input.answer,
      answered_score: input.decision === 'accept' ? input.score : null,
      answered_by: ctx.user.id,
      answered_at: nowIso(),
    });
    if (!ok) throw new AppError('CONFLICT', '该申诉已被他人答复，请刷新');
    await recordAudit(trx, ctx, {
      action: 'assessment.appeal.answer',
      entityType: 'assessment_rubric',
      entityId: rubricId,
      after: {
        申诉: appealId,
        项目: item.title,
        结论: input.decision === 'accept' ? '采纳' : '不予采纳',
        答复: input.answer,
        分数: input.score,
      },
    });
  });
}

/** Where a new evidence or appeal file goes; the caller (the files service) stores the bytes. */
export async function fileTarget(
  db: Kysely<Database>,
  ctx: Ctx,
  timeZone: string,
  rubricId: string,
  target: { itemId: string; subjectId: string } | { appealId: string },
): Promise<{ rubric: RubricRow; itemId: string; subjectId: string; appealId: string | null }> {
  authorize(ctx, canAskAssessments);
  if ('appealId' in target) {
    const a = await findAppealRow(db, target.appealId);
    if (!a || a.rubric_id !== rubricId) throw new AppError('NOT_FOUND', '申诉不存在');
    const r = await subjectAccess(db, ctx, rubricId, a.subject_id, false);
    assertAppealOpen(r, dateIn(timeZone));
    if (a.state !== 'open') throw new AppError('INVALID_STATE', '该申诉已经答复，不能再添加材料');
    return { rubric: r, itemId: a.item_id, subjectId: a.subject_id, appealId: a.id };
  }
  const r = await subjectAccess(db, ctx, rubricId, target.subjectId, true);
  const item = await requireItem(db, rubricId, target.itemId);
  if (parseRule(item.rule_json).kind !== 'evidence')
    throw new AppError('INVALID_STATE', '该项目不需要佐证材料');
  return { rubric: r, itemId: item.id, subjectId: target.subjectId, appealId: null };
}

/** A file the user may read: the office's, or its own subject's. */
export async function readableFile(
  db: Kysely<Database>,
  ctx: Ctx,
  rubricId: string,
  fileId: string,
): Promise<AssessmentFilesTable> {
  authorize(ctx, canAskAssessments);
  const r = await visibleRubric(db, ctx, rubricId);
  const f = (await fileRows(db, rubricId)).find((x) => x.id === fileId);
  const scope = scopeOf(r);
  if (!f || (!canReadAllResults(ctx.user, scope) && subjectOf(ctx.user, scope) !== f.subject_id))
    throw new AppError('NOT_FOUND', '附件不存在');
  return f;
}

// ── freezing and publishing ─────────────────────────────────────────────────────────────────────────────────

/** Freeze: refused while an appeal is unanswered; writes the ranking once; nothing changes afterwards. */
export async function freezeRubric(db: Kysely<Database>, ctx: Ctx, id: string): Promise<AssessmentRubric> {
  authorize(ctx, canManageAssessments, '只有管理员可以定稿');
  await db.transaction().execute(async (trx) => {
    const r = await managedRubric(trx, ctx, id);
    assertNotFrozen(r);
    if (r.state !== 'computed') throw new AppError('INVALID_STATE', '请先计算考核结果，再定稿');
    const d = await resultsData(trx, r);
    const open = d.appeals.filter((a) => a.state === 'open').length;
    if (open > 0)
      throw new AppError('ASSESSMENT_OPEN_APPEALS', `还有 ${open} 条申诉未答复，答复后才能定稿`, { open });
    const subjects = subjectResults(r, d, null);
    const now = nowIso();
    await insertResultRows(
      trx,
      subjects.map((s) => ({
        id: newId(),
        rubric_id: id,
        subject_kind: s.subjectKind,
        subject_id: s.subjectId,
        subject_name: s.subjectName,
        total: s.total ?? 0,
        grade: s.grade ?? '不合格',
        rank: s.rank ?? subjects.length,
        vetoed: s.vetoed ? 1 : 0,
        veto_reason: s.vetoReason,
        items_json: JSON.stringify(
          s.items.map((i) => ({
            itemId: i.itemId,
            score: i.score,
            computed: i.computed,
            explanation: i.explanation,
            overrideReason: i.overrideReason,
          })),
        ),
      })),
    );
    if (!(await updateRubricRow(trx, id, r.version, { state: 'frozen', frozen_at: now, updated_at: now })))
      throw new AppError('CONFLICT', '考核已被他人修改，请刷新后重试');
    await recordAudit(trx, ctx, {
      action: 'assessment.freeze',
      entityType: 'assessment_rubric',
      entityId: id,
      after: { 排名: subjects.map((s) => `${s.rank} ${s.subjectName} ${s.total}`) },
    });
  });
  return getRubric(db, ctx, id);
}

/** Publish a frozen ranking on the public site (optional). */
export async function publishRubric(db: Kysely<Database>, ctx: Ctx, id: string): Promise<AssessmentRubric> {
  authorize(ctx, canManageAssessments, '只有管理员可以发布');
  await db.transaction().execute(async (trx) => {
    const r = await managedRubric(trx, ctx, id);
    if (r.state !== 'frozen') throw new AppError('INVALID_STATE', '定稿后才能发布');
    if (r.published_at) throw new AppError('INVALID_STATE', '该考核结果已经发布');
    const now = nowIso();
    await updateRubricRow(trx, id, r.version, { published_at: now, updated_at: now });
    await recordAudit(trx, ctx, {
      action: 'assessment.publish',
      entityType: 'assessment_rubric',
      entityId: id,
      after: { 发布: now },
    });
  });
  return getRubric(db, ctx, id);
}

/** Frozen and published rankings for everyone (no sign-in): names, totals, grades and ranks only. */
export async function publicAssessments(
  db: Kysely<Database>,
  id?: string,
): Promise<{ items: PublicAssessment[] }> {
  const rubrics = (await publishedRubricRows(db)).filter((r) => id === undefined || r.id === id);
  if (id !== undefined && rubrics.length === 0) throw new AppError('NOT_FOUND', '考核结果不存在或未发布');
  const results = await resultRows(
    db,
    rubrics.map((r) => r.id),
  );
  return {
    items: rubrics.map((r) => ({
      id: r.id,
      jurisdictionName: r.jurisdiction_name,
      year: r.year,
      audience: r.audience as AssessmentAudience,
      title: r.title,
      frozenAt: r.frozen_at ?? '',
      publishedAt: r.published_at ?? '',
      rows: results
        .filter((x) => x.rubric_id === r.id)
        .sort((a, b) => a.rank - b.rank || a.subject_name.localeCompare(b.subject_name, 'zh-CN'))
        .map((x) => ({
          subjectName: x.subject_name,
          total: Number(x.total),
          grade: x.grade as AssessmentGrade,
          rank: x.rank,
          vetoed: x.vetoed === 1,
        })),
    })),
  };
}
