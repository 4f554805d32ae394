import type { SurveyDesign, SurveyEstimate, SurveyRole, WaveImport } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type {
  Database,
  SurveyEstimatesTable,
  SurveyUploadsTable,
  SurveyWaveColumnsTable,
  SurveyWavesTable,
} from '../../db/schema';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { COLUMN_ENCODING, encodeColumn, type StoredColumn } from './microdata.codec';
import { insertColumnRows, insertWaveRow, replaceEstimateRows, updateUploadRow } from './surveys.repository';
import { toWave } from './surveys.present';

/**
 * Writing a wave: its row, encoded columns and estimate rows prepared outside a transaction, then written in one.
 * Apart from surveys.service.ts so the worker pool (surveys.worker.ts, the SQLite save) loads only this.
 */

export function estimateRowsOf(waveId: string, estimates: SurveyEstimate[]): SurveyEstimatesTable[] {
  return estimates.map((e, i) => ({
    id: newId(),
    wave_id: waveId,
    method: e.method,
    by_var: e.by,
    domain: e.domain,
    variable: e.variable,
    n: e.n,
    estimate: e.estimate,
    se: e.se,
    ci_low: e.ciLow,
    ci_high: e.ciHigh,
    deff: e.deff,
    df: e.df,
    kind: e.kind,
    ci_method: e.ciMethod,
    flags: JSON.stringify(e.flags),
    sort_order: i,
  }));
}

/** A wave ready to be written: its row, encoded columns and estimate rows, all computed outside a transaction. */
export interface PreparedWave {
  wave: SurveyWavesTable;
  columns: SurveyWaveColumnsTable[];
  estimates: SurveyEstimatesTable[];
}

export async function prepareWave(
  ctx: Ctx,
  input: Pick<WaveImport, 'name' | 'year' | 'scoringRule' | 'mapping'>,
  design: SurveyDesign,
  sourceFileName: string,
  n: number,
  columns: Partial<Record<SurveyRole, StoredColumn>>,
  estimates: SurveyEstimate[],
  demoBatchId: string | null = null,
): Promise<PreparedWave> {
  const now = nowIso();
  const wave: SurveyWavesTable = {
    id: newId(),
    name: input.name,
    year: input.year,
    scoring_rule: input.scoringRule,
    design_json: JSON.stringify(design),
    mapping_json: JSON.stringify(input.mapping),
    source_file_name: sourceFileName,
    n_rows: n,
    is_published: 0,
    created_by: ctx.user?.id ?? null,
    version: 1,
    created_at: now,
    updated_at: now,
    demo_batch_id: demoBatchId,
  };
  const encoded = await Promise.all(
    Object.entries(columns).map(async ([role, col]) => {
      const e = await encodeColumn(col!);
      return {
        id: newId(),
        wave_id: wave.id,
        role,
        kind: e.kind,
        levels_json: e.levelsJson,
        encoding: COLUMN_ENCODING,
        n: e.n,
        data: e.data,
      };
    }),
  );
  return { wave, columns: encoded, estimates: estimateRowsOf(wave.id, estimates) };
}

/** Write a prepared wave with its columns and estimates, audited, inside the caller's transaction. */
export async function insertPreparedWave(trx: Kysely<Database>, ctx: Ctx, p: PreparedWave): Promise<void> {
  await insertWaveRow(trx, p.wave);
  await insertColumnRows(trx, p.columns);
  await replaceEstimateRows(trx, p.wave.id, p.estimates);
  const w = toWave(p.wave);
  await recordAudit(trx, ctx, {
    action: 'survey_wave.create',
    entityType: 'survey_wave',
    entityId: p.wave.id,
    after: {
      name: w.name,
      year: w.year,
      scoringRule: w.scoringRule,
      rows: p.wave.n_rows,
      design: w.design,
      mapping: w.mapping,
      ...(p.wave.demo_batch_id ? { demoBatchId: p.wave.demo_batch_id } : {}),
    },
  });
}

/** What an import hands to its saving transaction. */
export interface ImportedWave {
  ctx: Ctx;
  upload: SurveyUploadsTable;
  input: WaveImport;
  design: SurveyDesign;
  n: number;
  columns: Partial<Record<SurveyRole, StoredColumn>>;
  estimates: SurveyEstimate[];
}

/** See saveWave: encode the columns, then one transaction for the wave, its columns and estimates, and the upload. */
export async function writeImportedWave(db: Kysely<Database>, w: ImportedWave): Promise<void> {
  const prepared = await prepareWave(
    w.ctx,
    w.input,
    w.design,
    w.upload.file_name,
    w.n,
    w.columns,
    w.estimates,
  );
  await db.transaction().execute(async (trx) => {
    await insertPreparedWave(trx, w.ctx, prepared);
    await updateUploadRow(trx, w.upload.id, {
      status: 'done',
      phase: null,
      wave_id: prepared.wave.id,
      report_json: JSON.stringify({ rows: w.n, errorCount: 0, counts: {}, errors: [] }),
      updated_at: nowIso(),
    });
  });
}
