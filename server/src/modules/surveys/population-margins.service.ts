import { authorize } from '../../authorize';
import {
  MARGIN_DIMENSIONS,
  type PopulationMargin,
  type PopulationMargins,
  type PopulationMarginsPut,
  XUZHOU_CENSUS_2020,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database, PopulationMarginsTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { canManageMargins, canReadMargins } from './surveys.policy';
import { marginRows, marginYears, replaceMarginRows } from './surveys.repository';

/**
 * Population margins (常住人口) by year: total, sex, sex × age band, urban/rural, education, county. Raking a wave
 * to a year's margins freezes the totals into the wave's design, so editing a table never changes stored results.
 */

function toMargin(row: PopulationMarginsTable): PopulationMargin {
  return {
    dimension: row.dimension as PopulationMargin['dimension'],
    level: row.level,
    population: Number(row.population),
    source: row.source,
  };
}

function requireRead(ctx: Ctx): void {
  authorize(ctx, canReadMargins);
}

export async function listMarginYears(db: Kysely<Database>, ctx: Ctx): Promise<{ years: number[] }> {
  requireRead(ctx);
  return { years: await marginYears(db) };
}

export async function getMargins(db: Kysely<Database>, ctx: Ctx, year: number): Promise<PopulationMargins> {
  requireRead(ctx);
  const rows = await marginRows(db, year);
  const updatedAt = rows.reduce<string | null>(
    (m, r) => (m === null || r.updated_at > m ? r.updated_at : m),
    null,
  );
  return { year, rows: rows.map(toMargin), updatedAt };
}

function rowsOf(year: number, rows: PopulationMargin[], userId: string | null): PopulationMarginsTable[] {
  const now = nowIso();
  const order = (d: string) => MARGIN_DIMENSIONS.indexOf(d as PopulationMargin['dimension']);
  return [...rows]
    .map((r, i) => ({ r, i }))
    .sort((a, b) => order(a.r.dimension) - order(b.r.dimension) || a.i - b.i)
    .map(({ r }, k) => ({
      id: newId(),
      year,
      dimension: r.dimension,
      level: r.level,
      population: r.population,
      source: r.source ?? null,
      sort_order: k,
      updated_by: userId,
      updated_at: now,
    }));
}

/** Replace a year's table (the editable table is saved whole). */
export async function putMargins(
  db: Kysely<Database>,
  ctx: Ctx,
  year: number,
  input: PopulationMarginsPut,
): Promise<PopulationMargins> {
  authorize(ctx, canManageMargins);
  const seen = new Set<string>();
  for (const r of input.rows) {
    const key = `${r.dimension}\u0000${r.level}`;
    if (seen.has(key))
      throw new AppError('DUPLICATE', `「${r.level}」在同一维度中出现了两次`, { level: r.level });
    seen.add(key);
    if (r.dimension === 'sex_age' && !/^[^,]+,[^,]+$/.test(r.level)) {
      throw new AppError('VALIDATION_FAILED', `性别×年龄组的类别应写作「男,18-29」：${r.level}`, {
        fields: [{ path: 'body.rows', message: r.level }],
      });
    }
  }
  await db.transaction().execute(async (trx) => {
    const before = (await marginRows(trx, year)).map(toMargin);
    await replaceMarginRows(trx, year, rowsOf(year, input.rows, ctx.user?.id ?? null));
    await recordAudit(trx, ctx, {
      action: 'population_margins.update',
      entityType: 'population_margins',
      entityId: String(year),
      before,
      after: input.rows,
    });
  });
  return getMargins(db, ctx, year);
}

/**
 * The census figures docs/DOMAIN.md gives for Xuzhou (2020), on a new database. Nothing else is invented: other counties
 * and the sex × age, urban/rural and education tables are entered by the admin or an analyst.
 */
export async function seedCensusMargins(trx: Kysely<Database>, ctx: Ctx): Promise<number> {
  const c = XUZHOU_CENSUS_2020;
  if ((await marginYears(trx)).length > 0) return 0;
  const rows: PopulationMargin[] = [
    { dimension: 'total', level: '全市', population: c.total, source: c.source },
    { dimension: 'sex', level: '男', population: c.male, source: c.source },
    { dimension: 'sex', level: '女', population: c.female, source: c.source },
    ...Object.entries(c.counties).map(([level, population]) => ({
      dimension: 'county' as const,
      level,
      population,
      source: c.source,
    })),
  ];
  await replaceMarginRows(trx, c.year, rowsOf(c.year, rows, null));
  await recordAudit(trx, ctx, {
    action: 'population_margins.seed',
    entityType: 'population_margins',
    entityId: String(c.year),
    after: rows,
  });
  return rows.length;
}
