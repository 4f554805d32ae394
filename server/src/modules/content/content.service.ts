import {
  ACTIVITY_MODE_LABELS,
  CONTENT_AUDIENCE_LABELS,
  type ContentAudience,
  type ContentInput,
  type ContentItem,
  type ContentListQuery,
  type ContentUpdate,
  type Page,
  type Recommendations,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authorize, type SignedInCtx } from '../../authorize';
import { type Ctx, readsJurisdiction, worksIn } from '../../context';
import type { ContentItemsTable, Database, JurisdictionsTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import {
  childJurisdictions,
  findJurisdiction,
  rootJurisdictionId,
} from '../jurisdictions/jurisdictions.service';
import { canManageContent } from './content.policy';
import {
  contentRowsWithin,
  deleteContentRow,
  findContentRow,
  insertContentRow,
  updateContentRow,
} from './content.repository';
import { upcomingActivitiesIn } from '../activities/activities-reads.service';
import { contentRowsOfPublishers } from './recommendations.repository';

const parseList = (json: string): string[] => {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

/** Jurisdictions by id, looked up once each. */
function jurisdictionCache(db: Kysely<Database>) {
  const seen = new Map<string, Promise<JurisdictionsTable | undefined>>();
  return (id: string) => {
    let p = seen.get(id);
    if (!p) {
      p = findJurisdiction(db, id);
      seen.set(id, p);
    }
    return p;
  };
}

async function toContentItem(
  row: ContentItemsTable,
  ctx: SignedInCtx,
  lookup: ReturnType<typeof jurisdictionCache>,
): Promise<ContentItem> {
  const targets = parseList(row.jurisdictions_json);
  const names = await Promise.all(targets.map(async (id) => (await lookup(id))?.name ?? ''));
  return {
    id: row.id,
    jurisdictionId: row.jurisdiction_id,
    jurisdictionName: (await lookup(row.jurisdiction_id))?.name ?? '',
    title: row.title,
    summary: row.summary,
    url: row.url,
    themes: parseList(row.themes_json),
    audiences: parseList(row.audiences_json) as ContentAudience[],
    jurisdictionIds: targets,
    jurisdictionNames: names.filter(Boolean),
    publishedOn: row.published_on,
    version: row.version,
    isDemo: row.demo_batch_id !== null,
    canEdit: worksIn(ctx.user, row.jurisdiction_id),
  };
}

/** The admin's own jurisdiction (the root when the account has none). */
async function ownJurisdiction(db: Kysely<Database>, ctx: SignedInCtx): Promise<JurisdictionsTable> {
  const id = ctx.user.jurisdictionId ?? (await rootJurisdictionId(db));
  const j = id ? await findJurisdiction(db, id) : undefined;
  if (!j) throw new AppError('INVALID_STATE', '尚未设置行政区划，无法发布科普内容');
  return j;
}

/** Target jurisdictions must lie in the publisher's subtree (empty: all of it). */
async function checkTargets(db: Kysely<Database>, own: JurisdictionsTable, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  for (const id of unique) {
    const j = await findJurisdiction(db, id);
    if (!j?.path.startsWith(own.path)) {
      throw new AppError('VALIDATION_FAILED', '推送范围只能是本级及下级行政区划', {
        field: 'jurisdictionIds',
      });
    }
  }
  return unique;
}

/** A content item the admin reads (published in its subtree), else NOT_FOUND. */
async function readable(db: Kysely<Database>, ctx: SignedInCtx, id: string): Promise<ContentItemsTable> {
  const row = await findContentRow(db, id);
  const j = row ? await findJurisdiction(db, row.jurisdiction_id) : undefined;
  if (!row || !j || !readsJurisdiction(ctx.user, j.path)) throw new AppError('NOT_FOUND', '科普内容不存在');
  return row;
}

const fields = (input: ContentInput, targets: string[]) => ({
  title: input.title,
  summary: input.summary,
  url: input.url || null,
  themes_json: JSON.stringify([...new Set(input.themes)]),
  audiences_json: JSON.stringify([...new Set(input.audiences)]),
  jurisdictions_json: JSON.stringify(targets),
  published_on: input.publishedOn,
});

const auditView = (r: Pick<ContentItemsTable, 'title' | 'url' | 'audiences_json' | 'published_on'>) => ({
  标题: r.title,
  链接: r.url,
  受众: parseList(r.audiences_json).map((a) => CONTENT_AUDIENCE_LABELS[a as ContentAudience] ?? a),
  发布日期: r.published_on,
});

/** Content of the admin's jurisdiction and the levels below it, newest first. */
export async function listContent(
  db: Kysely<Database>,
  ctx: Ctx,
  q: ContentListQuery,
): Promise<Page<ContentItem>> {
  authorize(ctx, canManageContent, '只有管理员可以管理科普内容');
  const own = await ownJurisdiction(db, ctx);
  const { rows, total } = await contentRowsWithin(db, ctx.user.jurisdictionPath ?? own.path, {
    q: q.q,
    audience: q.audience,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const lookup = jurisdictionCache(db);
  return {
    items: await Promise.all(rows.map((r) => toContentItem(r, ctx, lookup))),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function getContent(db: Kysely<Database>, ctx: Ctx, id: string): Promise<ContentItem> {
  authorize(ctx, canManageContent, '只有管理员可以管理科普内容');
  return toContentItem(await readable(db, ctx, id), ctx, jurisdictionCache(db));
}

export async function createContent(
  db: Kysely<Database>,
  ctx: Ctx,
  input: ContentInput,
): Promise<ContentItem> {
  authorize(ctx, canManageContent, '只有管理员可以发布科普内容');
  return db.transaction().execute(async (trx) => {
    const own = await ownJurisdiction(trx, ctx);
    const targets = await checkTargets(trx, own, input.jurisdictionIds);
    const now = nowIso();
    const row: ContentItemsTable = {
      id: newId(),
      jurisdiction_id: own.id,
      ...fields(input, targets),
      version: 1,
      created_by: ctx.user.id,
      created_at: now,
      updated_at: now,
      demo_batch_id: null,
    };
    await insertContentRow(trx, row);
    await recordAudit(trx, ctx, {
      action: 'content.create',
      entityType: 'content_item',
      entityId: row.id,
      after: auditView(row),
    });
    return toContentItem(row, ctx, jurisdictionCache(trx));
  });
}

export async function updateContent(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: ContentUpdate,
): Promise<ContentItem> {
  authorize(ctx, canManageContent, '只有管理员可以修改科普内容');
  return db.transaction().execute(async (trx) => {
    const was = await readable(trx, ctx, id);
    if (!worksIn(ctx.user, was.jurisdiction_id))
      throw new AppError('FORBIDDEN', '只能修改本级发布的科普内容');
    const own = (await findJurisdiction(trx, was.jurisdiction_id))!;
    const targets = await checkTargets(trx, own, input.jurisdictionIds);
    const changes = { ...fields(input, targets), updated_at: nowIso() };
    if (was.version !== input.version || !(await updateContentRow(trx, id, input.version, changes)))
      throw new AppError('CONFLICT');
    await recordAudit(trx, ctx, {
      action: 'content.update',
      entityType: 'content_item',
      entityId: id,
      before: auditView(was),
      after: auditView(changes),
    });
    return toContentItem((await findContentRow(trx, id))!, ctx, jurisdictionCache(trx));
  });
}

export async function deleteContent(db: Kysely<Database>, ctx: Ctx, id: string): Promise<{ ok: true }> {
  authorize(ctx, canManageContent, '只有管理员可以删除科普内容');
  return db.transaction().execute(async (trx) => {
    const was = await readable(trx, ctx, id);
    if (!worksIn(ctx.user, was.jurisdiction_id))
      throw new AppError('FORBIDDEN', '只能删除本级发布的科普内容');
    await deleteContentRow(trx, id);
    await recordAudit(trx, ctx, {
      action: 'content.delete',
      entityType: 'content_item',
      entityId: id,
      before: auditView(was),
    });
    return { ok: true as const };
  });
}

/** The levels a reader may choose on the public page: the root and the two levels below it. */
export async function publicJurisdictions(db: Kysely<Database>) {
  const rootId = await rootJurisdictionId(db);
  const root = rootId ? await findJurisdiction(db, rootId) : undefined;
  if (!root) return { items: [] };
  const out = [root];
  for (const c of await childJurisdictions(db, root.id)) {
    out.push(c);
    if (root.level === 'province') out.push(...(await childJurisdictions(db, c.id)));
  }
  return { items: out.map((j) => ({ id: j.id, name: j.name, level: j.level, parentId: j.parent_id })) };
}

const CONTENT_LIMIT = 20;
const ACTIVITY_LIMIT = 20;

/**
 * 精准推送: content and upcoming activities for a reader who chose a county (or any level) and a group. Content of
 * the chosen level and its ancestors that reaches the chosen level (targets empty, or naming it or a level above it)
 * and is either meant for the group, or specific to the chosen level (published by it or naming it) and meant for
 * 社会公众; upcoming counted
 * activities of the chosen level and its ancestors for the group (社会公众: every activity). Matching both first,
 * then content newest first and activities soonest first; each says why ("因为您选择了丰县和青少年").
 */
export async function recommend(
  db: Kysely<Database>,
  q: { jurisdictionId: string; group: ContentAudience },
  today: string,
): Promise<Recommendations> {
  const chosen = await findJurisdiction(db, q.jurisdictionId);
  if (!chosen) throw new AppError('NOT_FOUND', '行政区划不存在');
  const chain = chosen.path.split('/').filter(Boolean);
  const place = chosen.short_name || chosen.name;
  const groupLabel = CONTENT_AUDIENCE_LABELS[q.group];
  const reason = (county: boolean, group: boolean) =>
    county && group
      ? `因为您选择了${place}和${groupLabel}`
      : county
        ? `因为您选择了${place}`
        : `因为您选择了${groupLabel}`;
  const lookup = jurisdictionCache(db);

  const content = [];
  for (const r of await contentRowsOfPublishers(db, chain)) {
    const targets = parseList(r.jurisdictions_json);
    if (targets.length > 0 && !targets.some((t) => chain.includes(t))) continue;
    const county = r.jurisdiction_id === chosen.id || targets.includes(chosen.id);
    const audiences = parseList(r.audiences_json);
    const group = audiences.includes(q.group);
    // Specific to the chosen level but for another group: only what is meant for everyone (社会公众) is shown.
    if (!group && !(county && audiences.includes('public'))) continue;
    content.push({ r, county, group });
  }
  const score = (x: { county: boolean; group: boolean }) => (x.county && x.group ? 0 : 1);
  content.sort(
    (a, b) =>
      score(a) - score(b) || b.r.published_on.localeCompare(a.r.published_on) || b.r.id.localeCompare(a.r.id),
  );

  const activities = (
    await upcomingActivitiesIn(db, chain, today, q.group === 'public' ? null : q.group)
  ).map((a) => ({ a, county: a.jurisdictionId === chosen.id, group: true }));
  activities.sort(
    (x, y) =>
      score(x) - score(y) || x.a.startDate.localeCompare(y.a.startDate) || x.a.id.localeCompare(y.a.id),
  );

  return {
    jurisdictionName: chosen.name,
    groupLabel,
    content: await Promise.all(
      content.slice(0, CONTENT_LIMIT).map(async ({ r, county, group }) => ({
        id: r.id,
        title: r.title,
        summary: r.summary,
        url: r.url,
        themes: parseList(r.themes_json),
        publishedOn: r.published_on,
        publisher: (await lookup(r.jurisdiction_id))?.name ?? '',
        reason: reason(county, group),
      })),
    ),
    activities: await Promise.all(
      activities.slice(0, ACTIVITY_LIMIT).map(async ({ a, county, group }) => ({
        id: a.id,
        title: a.title,
        place: a.place,
        startDate: a.startDate,
        endDate: a.endDate,
        theme: a.theme,
        mode: ACTIVITY_MODE_LABELS[a.mode as keyof typeof ACTIVITY_MODE_LABELS] ?? a.mode,
        jurisdictionName: (await lookup(a.jurisdictionId))?.name ?? '',
        reason: reason(county, group),
      })),
    ),
  };
}
