import type { SurveyDesign, SurveyEstimate, SurveyUpload, SurveyWave, ValidationReport } from '@kesu/shared';
import type { SurveyEstimatesTable, SurveyUploadsTable, SurveyWavesTable } from '../../db/schema';

/** Rows of the surveys module as the API shows them. */

export function toWave(row: SurveyWavesTable): SurveyWave {
  return {
    id: row.id,
    name: row.name,
    year: row.year,
    scoringRule: row.scoring_rule as SurveyWave['scoringRule'],
    design: JSON.parse(row.design_json) as SurveyDesign,
    mapping: JSON.parse(row.mapping_json) as SurveyWave['mapping'],
    sourceFileName: row.source_file_name,
    rows: row.n_rows,
    isPublished: row.is_published === 1,
    isDemo: Boolean(row.demo_batch_id),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toEstimate(row: SurveyEstimatesTable): SurveyEstimate {
  return {
    method: row.method as SurveyEstimate['method'],
    by: row.by_var,
    domain: row.domain,
    variable: row.variable,
    kind: row.kind as SurveyEstimate['kind'],
    ciMethod: row.ci_method as SurveyEstimate['ciMethod'],
    flags: JSON.parse(row.flags) as SurveyEstimate['flags'],
    n: row.n,
    estimate: row.estimate,
    se: row.se,
    ciLow: row.ci_low,
    ciHigh: row.ci_high,
    deff: row.deff,
    cv: row.estimate === 0 ? null : row.se / Math.abs(row.estimate),
    df: row.df,
  };
}

export function toUpload(row: SurveyUploadsTable): SurveyUpload {
  return {
    id: row.id,
    fileName: row.file_name,
    format: row.format as SurveyUpload['format'],
    sizeBytes: row.size_bytes,
    columns: JSON.parse(row.columns_json) as string[],
    preview: JSON.parse(row.preview_json) as string[][],
    suggestedMapping: JSON.parse(row.suggested_mapping_json) as SurveyUpload['suggestedMapping'],
    status: row.status as SurveyUpload['status'],
    bytesRead: row.bytes_read,
    rowsRead: row.rows_read,
    phase: row.phase,
    report: row.report_json ? (JSON.parse(row.report_json) as ValidationReport) : null,
    waveId: row.wave_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
