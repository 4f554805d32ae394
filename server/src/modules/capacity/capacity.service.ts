import {
  type CapacityConfigInput,
  type CapacityConfigView,
  type CapacityDimension,
  CapacityDimensionSchema,
  type CapacityManualValue,
  type CapacityQuery,
  type CapacityResult,
  type CapacityResultsView,
  type CapacityScaling,
  defaultCapacityDimensions,
  describeCapacitySource,
  type PublicCapacity,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { authorize, type SignedInCtx } from '../../authorize';
import { type Ctx, readsJurisdiction, worksIn } from '../../context';
import type {
  CapacityConfigsTable,
  CapacityResultsTable,
  Database,
  JurisdictionsTable,
} from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { dateIn } from '../../time';
import { countedPersonTimes } from '../activities/coverage.service';
import { recordAudit } from '../audit/audit.service';
import { fundingPerResident } from '../funding/funding-reads.service';
import { childJurisdictions, findJurisdiction } from '../jurisdictions/jurisdictions.service';
import { jurisdictionResidents } from '../progress/progress-reads.service';
import { registryCountsIn } from '../registries/registries-reads.service';
import { computeCapacityIndex, methodText, type RawValue, sensitivityOf } from './capacity-index';
import { canEditCapacity, canReadCapacity } from './capacity.policy';
import {
  findConfigRow,
  findResultRow,
  insertConfigRow,
  insertResultRow,
  latestResultRow,
  publishedResultKeys,
  publishedResultRow,
  setPublishedResult,
  updateConfigRow,
} from './capacity.repository';

/** A jurisdiction the user reads (its own level or below), or NOT_FOUND (a forged id says nothing). */
async function visibleJurisdiction(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  id: string,
): Promise<JurisdictionsTable> {
  const j = await findJurisdiction(db, id);
  if (!j || !readsJurisdiction(ctx.user, j.path)) throw new AppError('NOT_FOUND', '行政区划不存在');
  return j;
}

/** The level's own admin only (a level above reads, it does not configure a county's index). */
function requireOwnLevel(ctx: SignedInCtx, j: JurisdictionsTable): void {
  if (!worksIn(ctx.user, j.id)) throw new AppError('FORBIDDEN', '只能配置、计算和发布本级的能力指数');
}

const StoredDimensionsSchema = z.array(CapacityDimensionSchema);
const StoredManualSchema = z.array(
  z.object({ indicatorKey: z.string(), jurisdictionId: z.string(), value: z.number() }),
);

interface Config {
  scaling: CapacityScaling;
  dimensions: CapacityDimension[];
  manualValues: CapacityManualValue[];
  row: CapacityConfigsTable | null;
}

function parseConfig(row: CapacityConfigsTable): Config {
  return {
    scaling: row.scaling === 'zscore' ? 'zscore' : 'minmax',
    dimensions: StoredDimensionsSchema.parse(JSON.parse(row.dimensions_json)),
    manualValues: StoredManualSchema.parse(JSON.parse(row.manual_values_json)),
    row,
  };
}

/** The year's saved configuration, else the default (six dimensions, equal weights, min–max). */
async function configOf(db: Kysely<Database>, jurisdictionId: string, year: number): Promise<Config> {
  const row = await findConfigRow(db, jurisdictionId, year);
  if (row) return parseConfig(row);
  return { scaling: 'minmax', dimensions: defaultCapacityDimensions(), manualValues: [], row: null };
}

async function configView(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  j: JurisdictionsTable,
  year: number,
): Promise<CapacityConfigView> {
  const [c, previous, counties] = await Promise.all([
    configOf(db, j.id, year),
    findConfigRow(db, j.id, year - 1),
    childJurisdictions(db, j.id),
  ]);
  return {
    jurisdictionId: j.id,
    jurisdictionName: j.name,
    year,
    scaling: c.scaling,
    dimensions: c.dimensions,
    manualValues: c.manualValues,
    version: c.row?.version ?? null,
    isDefault: c.row === null,
    hasPrevious: previous !== undefined,
    counties: counties.map((x) => ({ id: x.id, name: x.name })),
    canEdit: canEditCapacity(ctx.user) && worksIn(ctx.user, j.id),
  };
}

/** The configuration of a level's index for a year (the default when none is saved). */
export async function getCapacityConfig(
  db: Kysely<Database>,
  ctx: Ctx,
  q: CapacityQuery,
): Promise<CapacityConfigView> {
  authorize(ctx, canReadCapacity);
  const j = await visibleJurisdiction(db, ctx, q.jurisdictionId);
  return configView(db, ctx, j, q.year);
}

async function writeConfig(
  trx: Kysely<Database>,
  ctx: SignedInCtx,
  j: JurisdictionsTable,
  year: number,
  next: { scaling: CapacityScaling; dimensions: CapacityDimension[]; manualValues: CapacityManualValue[] },
  version: number | undefined,
  action: string,
): Promise<void> {
  const counties = new Set((await childJurisdictions(trx, j.id)).map((c) => c.id));
  if (next.manualValues.some((m) => !counties.has(m.jurisdictionId)))
    throw new AppError('VALIDATION_FAILED', '录入值的县区不是本级的下级');
  const was = await findConfigRow(trx, j.id, year);
  const now = nowIso();
  const fields = {
    scaling: next.scaling,
    dimensions_json: JSON.stringify(next.dimensions),
    manual_values_json: JSON.stringify(next.manualValues),
    updated_by: ctx.user.id,
    updated_at: now,
  };
  if (was) {
    if (version !== undefined && version !== was.version)
      throw new AppError('CONFLICT', '能力指数配置已被他人修改，请刷新后重试');
    if (!(await updateConfigRow(trx, was.id, was.version, fields)))
      throw new AppError('CONFLICT', '能力指数配置已被他人修改，请刷新后重试');
  } else {
    await insertConfigRow(trx, {
      id: newId(),
      jurisdiction_id: j.id,
      year,
      version: 1,
      created_at: now,
      ...fields,
    });
  }
  await recordAudit(trx, ctx, {
    action,
    entityType: 'jurisdiction',
    entityId: j.id,
    before: was ? { 年度: year, 标准化: was.scaling, 维度: JSON.parse(was.dimensions_json) } : null,
    after: { 年度: year, 标准化: next.scaling, 维度: next.dimensions, 录入值个数: next.manualValues.length },
  });
}

/** Save a level's configuration of a year (its own admin; the stored version when one exists). */
export async function saveCapacityConfig(
  db: Kysely<Database>,
  ctx: Ctx,
  input: CapacityConfigInput,
): Promise<CapacityConfigView> {
  authorize(ctx, canEditCapacity, '只有管理员可以配置能力指数');
  return db.transaction().execute(async (trx) => {
    const j = await visibleJurisdiction(trx, ctx, input.jurisdictionId);
    requireOwnLevel(ctx, j);
    const was = await findConfigRow(trx, j.id, input.year);
    if (was && input.version === undefined)
      throw new AppError('CONFLICT', '能力指数配置已被他人保存，请刷新后重试');
    await writeConfig(trx, ctx, j, input.year, input, input.version, 'capacity.config.save');
    return configView(trx, ctx, j, input.year);
  });
}

/** Copy last year's dimensions, indicators, weights and scaling to the year (values entered by hand are not copied). */
export async function copyCapacityConfig(
  db: Kysely<Database>,
  ctx: Ctx,
  input: CapacityQuery,
): Promise<CapacityConfigView> {
  authorize(ctx, canEditCapacity, '只有管理员可以配置能力指数');
  return db.transaction().execute(async (trx) => {
    const j = await visibleJurisdiction(trx, ctx, input.jurisdictionId);
    requireOwnLevel(ctx, j);
    const previous = await findConfigRow(trx, j.id, input.year - 1);
    if (!previous) throw new AppError('NOT_FOUND', `${input.year - 1}年没有能力指数配置可复制`);
    const p = parseConfig(previous);
    await writeConfig(
      trx,
      ctx,
      j,
      input.year,
      { scaling: p.scaling, dimensions: p.dimensions, manualValues: [] },
      undefined,
      'capacity.config.copy',
    );
    return configView(trx, ctx, j, input.year);
  });
}

/** The day inputs are read as of: the year's end, or today while the year runs. */
function asOfDay(year: number, timeZone: string): string {
  const today = dateIn(timeZone);
  const end = `${year}-12-31`;
  return today < end ? today : end;
}

/** Each indicator's raw value by county, with its source in words and as-of day. */
async function gatherInputs(
  db: Kysely<Database>,
  j: JurisdictionsTable,
  counties: JurisdictionsTable[],
  year: number,
  asOf: string,
  c: Config,
): Promise<{
  raw: Map<string, Map<string, RawValue>>;
  sources: Map<string, { source: string; asOf: string }>;
}> {
  const raw = new Map<string, Map<string, RawValue>>();
  const sources = new Map<string, { source: string; asOf: string }>();
  const ids = counties.map((x) => x.id);
  let funding: Awaited<ReturnType<typeof fundingPerResident>> | undefined;
  let personTimes: Map<string, { personTimes: number }> | undefined;
  for (const d of c.dimensions) {
    for (const ind of d.indicators) {
      const values = new Map<string, RawValue>();
      const s = ind.source;
      let asOfText = asOf;
      if (s.kind === 'registry') {
        const counts = await registryCountsIn(
          db,
          { kind: s.resourceKind, levels: s.levels, categories: s.categories, asOf },
          counties,
        );
        for (const id of ids) values.set(id, { value: counts.get(id) ?? 0 });
        asOfText = `截至${asOf}在册`;
      } else if (s.kind === 'funding_per_resident') {
        funding ??= await fundingPerResident(db, ids, [year]);
        for (const f of funding)
          values.set(
            f.jurisdictionId,
            f.perResident !== null
              ? { value: f.perResident }
              : { value: null, reason: f.residents === null ? '缺少常住人口数据' : '尚未填报经费' },
          );
        asOfText = `${year}年预算`;
      } else if (s.kind === 'activity_person_times') {
        personTimes ??= await countedPersonTimes(db, j.path, year, counties);
        for (const id of ids) values.set(id, { value: personTimes.get(id)?.personTimes ?? 0 });
        asOfText = `${year}年截至${asOf}`;
      } else {
        for (const m of c.manualValues)
          if (m.indicatorKey === ind.key) values.set(m.jurisdictionId, { value: m.value });
        asOfText = `${year}年录入`;
      }
      raw.set(ind.key, values);
      sources.set(ind.key, { source: describeCapacitySource(s), asOf: asOfText });
    }
  }
  return { raw, sources };
}

function toResult(row: CapacityResultsTable): CapacityResult {
  const body = JSON.parse(row.result_json) as Omit<CapacityResult, 'id' | 'isPublished' | 'publishedAt'>;
  return { ...body, id: row.id, isPublished: row.is_published === 1, publishedAt: row.published_at };
}

/**
 * Compute a level's index of a year over its children (the counties) from its configuration (the default when none
 * is saved), store the result with everything it was made from, and return it. The level's own admin.
 */
export async function computeCapacity(
  db: Kysely<Database>,
  ctx: Ctx,
  timeZone: string,
  input: CapacityQuery,
): Promise<CapacityResult> {
  authorize(ctx, canEditCapacity, '只有管理员可以计算能力指数');
  return db.transaction().execute(async (trx) => {
    const j = await visibleJurisdiction(trx, ctx, input.jurisdictionId);
    requireOwnLevel(ctx, j);
    const counties = await childJurisdictions(trx, j.id);
    if (counties.length === 0) throw new AppError('INVALID_STATE', '本级没有下级行政区划，无法计算能力指数');
    const c = await configOf(trx, j.id, input.year);
    const asOf = asOfDay(input.year, timeZone);
    const [{ raw, sources }, residents] = await Promise.all([
      gatherInputs(trx, j, counties, input.year, asOf, c),
      jurisdictionResidents(trx, counties, [input.year]),
    ]);
    const index = computeCapacityIndex({
      scaling: c.scaling,
      dimensions: c.dimensions,
      counties: counties.map((x) => ({
        id: x.id,
        name: x.name,
        residents: residents.get(`${x.id}|${input.year}`)?.residents ?? null,
      })),
      raw: (key, id) => raw.get(key)?.get(id) ?? { value: null, reason: '未录入' },
    });
    const sensitivity = sensitivityOf(index, c.dimensions);
    const computedAt = nowIso();
    const body: Omit<CapacityResult, 'id' | 'isPublished' | 'publishedAt'> = {
      jurisdictionId: j.id,
      jurisdictionName: j.name,
      year: input.year,
      scaling: c.scaling,
      computedAt,
      asOf,
      dimensions: c.dimensions.map((d) => ({
        key: d.key,
        name: d.name,
        weight: index.dimensionWeights[d.key] ?? 0,
        indicators: d.indicators.map((i) => ({
          key: i.key,
          name: i.name,
          unit: i.unit,
          weight: index.indicatorWeights[i.key] ?? 0,
          direction: i.direction,
          perResident: i.perResident,
          source: sources.get(i.key)?.source ?? '',
          asOf: sources.get(i.key)?.asOf ?? asOf,
        })),
      })),
      counties: index.counties,
      sensitivity,
      method: methodText(c.scaling),
    };
    const row: CapacityResultsTable = {
      id: newId(),
      jurisdiction_id: j.id,
      year: input.year,
      scaling: c.scaling,
      as_of: asOf,
      result_json: JSON.stringify(body),
      computed_by: ctx.user.id,
      computed_at: computedAt,
      is_published: 0,
      published_at: null,
      published_by: null,
    };
    await insertResultRow(trx, row);
    await recordAudit(trx, ctx, {
      action: 'capacity.compute',
      entityType: 'capacity_result',
      entityId: row.id,
      after: {
        行政区划: j.name,
        年度: input.year,
        截至: asOf,
        排名: index.counties.map((x) => ({ 县区: x.name, 指数: x.index, 名次: x.rank })),
      },
    });
    return toResult(row);
  });
}

/** The newest computed result of a level and year, and the published one. */
export async function getCapacityResults(
  db: Kysely<Database>,
  ctx: Ctx,
  q: CapacityQuery,
): Promise<CapacityResultsView> {
  authorize(ctx, canReadCapacity);
  const j = await visibleJurisdiction(db, ctx, q.jurisdictionId);
  const [latest, published] = await Promise.all([
    latestResultRow(db, j.id, q.year),
    publishedResultRow(db, j.id, q.year),
  ]);
  return {
    latest: latest ? toResult(latest) : null,
    published: published ? toResult(published) : null,
    canEdit: canEditCapacity(ctx.user) && worksIn(ctx.user, j.id),
  };
}

async function setPublished(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  publish: boolean,
): Promise<CapacityResult> {
  authorize(ctx, canEditCapacity, '只有管理员可以发布能力指数');
  return db.transaction().execute(async (trx) => {
    const row = await findResultRow(trx, id);
    if (!row) throw new AppError('NOT_FOUND', '能力指数结果不存在');
    const j = await visibleJurisdiction(trx, ctx, row.jurisdiction_id);
    requireOwnLevel(ctx, j);
    if (!publish && row.is_published !== 1) throw new AppError('INVALID_STATE', '该结果尚未发布');
    await setPublishedResult(trx, j.id, row.year, publish ? row.id : null, ctx.user.id, nowIso());
    await recordAudit(trx, ctx, {
      action: publish ? 'capacity.publish' : 'capacity.unpublish',
      entityType: 'capacity_result',
      entityId: row.id,
      after: { 行政区划: j.name, 年度: row.year, 计算时间: row.computed_at },
    });
    const next = await findResultRow(trx, id);
    return toResult(next ?? row);
  });
}

/** Publish a computed result (it replaces the level's published result of the year). */
export const publishCapacity = (db: Kysely<Database>, ctx: Ctx, id: string) =>
  setPublished(db, ctx, id, true);
/** Withdraw a published result from the public site. */
export const unpublishCapacity = (db: Kysely<Database>, ctx: Ctx, id: string) =>
  setPublished(db, ctx, id, false);

/** The public page: every published result's level and year, and the asked one (else the newest, upper level first). */
export async function publicCapacity(
  db: Kysely<Database>,
  q: { jurisdictionId?: string | undefined; year?: number | undefined },
): Promise<PublicCapacity> {
  const keys = await publishedResultKeys(db);
  const available = keys.map((k) => ({
    jurisdictionId: k.jurisdiction_id,
    jurisdictionName: k.name,
    year: k.year,
  }));
  const chosen =
    available.find(
      (a) => (!q.jurisdictionId || a.jurisdictionId === q.jurisdictionId) && (!q.year || a.year === q.year),
    ) ?? null;
  const row = chosen ? await publishedResultRow(db, chosen.jurisdictionId, chosen.year) : undefined;
  return { available, result: row ? toResult(row) : null };
}

/** The published result of a level and year, or null (no permission check: published results are public). */
export async function publishedResult(
  db: Kysely<Database>,
  jurisdictionId: string,
  year: number,
): Promise<CapacityResult | null> {
  const row = await publishedResultRow(db, jurisdictionId, year);
  return row ? toResult(row) : null;
}
