import { authorize } from '../../authorize';
import fs from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import {
  type ColumnMapping,
  MARGIN_DIMENSION_LABELS,
  MARGIN_DIMENSION_VARIABLE,
  type MethodNoteQuery,
  NUMERIC_SURVEY_ROLES,
  type PublicLiteracy,
  type SurveyHeadlines,
  type RakingMargin,
  SURVEY_ROLES,
  type SurveyDesign,
  type SurveyEstimate,
  type SurveyRole,
  type SurveyUpload,
  type SurveyWave,
  type SurveyWaveDetail,
  type SurveyWaveUpdate,
  type ValidationReport,
  type WaveImport,
} from '@kesu/shared';
import { StatsError } from '@kesu/stats';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database, SurveyUploadsTable, SurveyWavesTable } from '../../db/schema';
import { AppError } from '../../errors';
import type { FileStorage } from '../../storage';
import type { Config } from '../../config';
import { guardZip } from '../../files/office-reader';
import { ZIP_LIMITS } from '../../files/zip-guard';
import { nowIso } from '../../ids';
import type { JobQueue } from '../../jobs/job-queue';
import { recordAudit } from '../audit/audit.service';
import { methodNote, methodNoteHtml } from './method-note';
import { planRateTarget, surveyHeadlines } from './survey-headline';
import { decodeColumn, type StoredColumn } from './microdata.codec';
import { CsvSyntaxError, type MicrodataFormat, CsvLimitError, readHeadAndPreview } from './microdata.reader';
import { IssueLog, MicrodataCollector } from './microdata.validate';
import { canManageSurveys, canReadSurveys } from './surveys.policy';
import { collectMicrodata, estimateWave, saveWaveInPool } from './surveys.offloop';
import { toEstimate, toUpload, toWave } from './surveys.present';
import {
  estimateRowsOf,
  type ImportedWave,
  type PreparedWave,
  prepareWave,
  writeImportedWave,
} from './surveys.save';

export { toEstimate, toWave } from './surveys.present';
export { insertPreparedWave, type PreparedWave } from './surveys.save';
import {
  columnRows,
  deleteWaveRows,
  estimateRows,
  findUploadRow,
  findWaveRow,
  insertUploadRow,
  listWaveRows,
  marginRows,
  recentWaveMappings,
  replaceEstimateRows,
  transitionUpload,
  updateUploadRow,
  updateWaveRow,
} from './surveys.repository';

/** Where uploaded files wait for their import, under DATA_DIR. */
export const UPLOAD_DIR = 'survey-uploads';

// ---------------------------------------------------------------- authorization

/** Throws unless the user may upload and manage waves. Routes call it before accepting an upload's body. */
export function requireSurveyManager(ctx: Ctx): void {
  authorize(ctx, canManageSurveys);
}

function requireSurveyReader(ctx: Ctx): void {
  authorize(ctx, canReadSurveys);
}

// ---------------------------------------------------------------- uploads

/** Usual names of each role's column in survey files (lower-cased), for the first suggestion. */
const ROLE_NAME_HINTS: Record<SurveyRole, string[]> = {
  weight: ['w', 'weight', 'wt', 'weights', '权数', '权重', '设计权数'],
  stratum: ['stratum', 'strata', '层', '抽样层'],
  psu: ['psu', 'cluster', 'clusters', '初级抽样单位', '村居', '村居委会'],
  fpc: ['fpc', 'fpc1'],
  psu2: ['psu2', 'ssu', '第二阶段单位', '住户', '户'],
  fpc2: ['fpc2'],
  district: ['district', 'county', '区县', '县市区', '县(市)区', '县（市）区'],
  area: ['area', 'urban', '城乡', '城乡属性'],
  gender: ['gender', 'sex', '性别'],
  age: ['age', '年龄'],
  age_group: ['age_group', 'agegroup', 'age_band', '年龄组', '年龄段'],
  education: ['education', 'edu', '文化程度', '学历'],
  group: ['group', '重点人群', '人群'],
  literate: ['literate', '具备科学素质', '是否具备科学素质'],
  score: ['score', '得分', '总分'],
};

async function suggestMapping(db: Kysely<Database>, header: string[]): Promise<ColumnMapping> {
  const have = new Set(header);
  for (const { mapping_json } of await recentWaveMappings(db)) {
    const m = JSON.parse(mapping_json) as ColumnMapping;
    if (Object.values(m).every((c) => c && have.has(c))) return m;
  }
  const lower = new Map(header.map((h) => [h.toLowerCase(), h]));
  const out: Partial<Record<SurveyRole, string>> = {};
  for (const role of SURVEY_ROLES) {
    const hit = ROLE_NAME_HINTS[role].map((n) => lower.get(n)).find((h) => h !== undefined);
    if (hit) out[role] = hit;
  }
  return out as ColumnMapping;
}

export interface ReceivedFile {
  id: string;
  fileName: string;
  format: MicrodataFormat;
  sizeBytes: number;
  /** The local file the route streamed the upload into (moved into the file storage once it is read). */
  file: string;
}

/** Register a file the route has streamed to disk: read its header and first rows, suggest a mapping. */
export async function registerUpload(
  db: Kysely<Database>,
  storage: FileStorage,
  ctx: Ctx,
  received: ReceivedFile,
): Promise<SurveyUpload> {
  requireSurveyManager(ctx);
  if (received.format === 'xlsx') {
    // The zip guard before exceljs sees the file: a shared-strings part inflating to 600 MB is refused here.
    try {
      await guardZip(
        received.file,
        ZIP_LIMITS.surveyXlsx,
        () => new AppError('BAD_REQUEST', `文件「${received.fileName}」不是有效的 xlsx 工作簿`),
      );
    } catch (err) {
      fs.rmSync(received.file, { force: true });
      throw err;
    }
  }
  let head: { header: string[]; preview: string[][] };
  try {
    head = await readHeadAndPreview(received.file, received.format);
  } catch (err) {
    fs.rmSync(received.file, { force: true });
    if (err instanceof CsvLimitError) {
      throw err.kind === 'line'
        ? new AppError('PAYLOAD_TOO_LARGE', `文件「${received.fileName}」${err.message}`, {
            line: err.line,
            limitChars: err.limit,
          })
        : new AppError('BAD_REQUEST', `文件「${received.fileName}」${err.message}`, {
            line: err.line,
            limitColumns: err.limit,
          });
    }
    throw new AppError(
      'BAD_REQUEST',
      `无法读取文件「${received.fileName}」：请上传 UTF-8 或 GBK 编码的 CSV，或 xlsx 工作簿`,
    );
  }
  if (head.header.length === 0 || head.header.every((h) => h === '')) {
    fs.rmSync(received.file, { force: true });
    throw new AppError('BAD_REQUEST', '文件第一行应为列名（表头），但它是空的');
  }
  // One pass with a set (indexOf per column was quadratic: 17.5 s for 100k columns).
  const seen = new Set<string>();
  const dup = head.header.find((h) => {
    if (h === '') return false;
    if (seen.has(h)) return true;
    seen.add(h);
    return false;
  });
  if (dup) {
    fs.rmSync(received.file, { force: true });
    throw new AppError('BAD_REQUEST', `表头中列名「${dup}」重复`);
  }
  const now = nowIso();
  const row: SurveyUploadsTable = {
    id: received.id,
    file_name: received.fileName,
    format: received.format,
    size_bytes: received.sizeBytes,
    storage_path: uploadKeyOf(received),
    columns_json: JSON.stringify(head.header),
    preview_json: JSON.stringify(head.preview),
    suggested_mapping_json: JSON.stringify(await suggestMapping(db, head.header)),
    status: 'uploaded',
    phase: null,
    bytes_read: 0,
    rows_read: 0,
    report_json: null,
    wave_id: null,
    created_by: ctx.user?.id ?? null,
    created_at: now,
    updated_at: now,
  };
  try {
    await storage.putFile(row.storage_path, received.file);
  } finally {
    fs.rmSync(received.file, { force: true });
  }
  try {
    await db.transaction().execute(async (trx) => {
      await insertUploadRow(trx, row);
      await recordAudit(trx, ctx, {
        action: 'survey_upload.create',
        entityType: 'survey_upload',
        entityId: row.id,
        after: { fileName: row.file_name, sizeBytes: row.size_bytes, columns: head.header.length },
      });
    });
  } catch (err) {
    await storage.delete(row.storage_path);
    throw err;
  }
  return toUpload(row);
}

/** The background job that imports an upload (keyed by the upload's id: one import of an upload at a time). */
export const SURVEY_IMPORT_JOB = 'survey-import';

interface SurveyImportJob {
  uploadId: string;
  input: WaveImport;
  ctx: Ctx;
}

/**
 * The import job's handler, registered on the app's queue. It re-runs the whole import from the stored upload:
 * nothing is written but progress until the one transaction that saves the wave and marks the upload done, so a job
 * retried after its node died gives the same wave as an uninterrupted run, and a retry after that commit does nothing.
 */
export async function registerSurveyJobs(
  jobs: JobQueue,
  db: Kysely<Database>,
  storage: FileStorage,
  opts: { database: Config['database']; concurrency: number },
): Promise<void> {
  await jobs.register<SurveyImportJob>(
    SURVEY_IMPORT_JOB,
    async (job) => {
      const row = await findUploadRow(db, job.data.uploadId);
      if (row?.status !== 'processing') return { skipped: row?.status ?? 'missing' };
      const { input, ctx } = job.data;
      const header = JSON.parse(row.columns_json) as string[];
      const margins = await resolveMargins(db, input.mapping, input);
      const design = designOf(input.mapping, input, margins);
      await updateUploadRow(db, row.id, {
        phase: 'reading',
        bytes_read: 0,
        rows_read: 0,
        updated_at: nowIso(),
      });
      const file = await storage.localPath(row.storage_path);
      if (!file) {
        const log = new IssueLog();
        log.add('file_unreadable', null, null, '上传的文件已不在服务器上，请重新上传');
        await updateUploadRow(db, row.id, {
          status: 'failed',
          phase: null,
          report_json: JSON.stringify(log.report(0)),
          updated_at: nowIso(),
        });
        return { missing: true };
      }
      await runImport(db, opts.database, storage, ctx, row, file, header, input, design);
      return { done: true };
    },
    { concurrency: opts.concurrency },
  );
}

/** An upload's key in the file storage: survey-uploads/<id>.<csv|xlsx>. */
function uploadKeyOf(received: Pick<ReceivedFile, 'id' | 'format'>): string {
  return `${UPLOAD_DIR}/${received.id}.${received.format}`;
}

export async function getUpload(
  db: Kysely<Database>,
  jobs: JobQueue,
  ctx: Ctx,
  id: string,
): Promise<SurveyUpload> {
  requireSurveyManager(ctx);
  const row = await findUploadRow(db, id);
  if (!row) throw new AppError('NOT_FOUND', '上传记录不存在');
  const job = row.status === 'processing' ? await jobs.latestByKey(SURVEY_IMPORT_JOB, id) : null;
  if (row.status === 'processing' && (!job || job.state === 'failed' || job.state === 'cancelled')) {
    // The job is gone (an SQLite process restarted) or gave up (its nodes died more often than it may retry).
    const log = new IssueLog();
    log.add('file_unreadable', null, null, '导入在服务重启时中断，请重新导入');
    await updateUploadRow(db, id, {
      status: 'failed',
      phase: null,
      report_json: JSON.stringify(log.report(row.rows_read)),
      updated_at: nowIso(),
    });
    return toUpload((await findUploadRow(db, id))!);
  }
  return toUpload(row);
}

/**
 * The design a wave is stored with: roles as column names (see SurveyDesignSchema). With a second-stage unit it is
 * R's `svydesign(ids = ~psu + psu2, fpc = ~fpc + fpc2)`.
 */
function designOf(mapping: ColumnMapping, input: WaveImport, margins: RakingMargin[] | null): SurveyDesign {
  const raking = input.raking;
  return {
    weights: 'weight',
    strata: mapping.stratum ? 'stratum' : null,
    clusters: mapping.psu2 ? ['psu', 'psu2'] : mapping.psu ? 'psu' : null,
    fpc: mapping.fpc2 ? ['fpc', 'fpc2'] : mapping.fpc ? 'fpc' : null,
    lonelyPsu: input.lonelyPsu,
    raking:
      margins && raking.source !== 'none'
        ? { margins, maxIter: raking.maxIter, epsilon: raking.epsilon }
        : null,
  };
}

/** Roles a wave will store: the mapped ones, and age_group when it is derived from age. */
function storedRoles(mapping: ColumnMapping): Set<string> {
  const roles = new Set<string>(Object.keys(mapping).filter((k) => mapping[k as SurveyRole]));
  if (mapping.age) roles.add('age_group');
  return roles;
}

/** The raking margins of an import, checked against the roles it will store. */
async function resolveMargins(
  db: Kysely<Database>,
  mapping: ColumnMapping,
  input: WaveImport,
): Promise<RakingMargin[] | null> {
  const raking = input.raking;
  if (raking.source === 'none') return null;
  const roles = storedRoles(mapping);
  let margins: RakingMargin[];
  if (raking.source === 'explicit') margins = raking.margins;
  else {
    const rows = await marginRows(db, raking.year);
    margins = raking.dimensions.map((dim) => {
      const totals: Record<string, number> = {};
      for (const r of rows) if (r.dimension === dim) totals[r.level] = Number(r.population);
      if (Object.keys(totals).length === 0) {
        throw new AppError(
          'VALIDATION_FAILED',
          `${raking.year} 年没有录入「${MARGIN_DIMENSION_LABELS[dim]}」的人口边际`,
          {
            fields: [{ path: 'body.raking.dimensions', message: dim }],
          },
        );
      }
      return { variable: MARGIN_DIMENSION_VARIABLE[dim], totals };
    });
  }
  for (const m of margins) {
    for (const part of m.variable.split(':')) {
      if (!roles.has(part) || NUMERIC_SURVEY_ROLES.includes(part as SurveyRole)) {
        throw new AppError('VALIDATION_FAILED', `校准变量「${part}」不是已映射的分类列`, {
          fields: [{ path: 'body.raking', message: part }],
        });
      }
    }
  }
  return margins;
}

/**
 * Start turning an upload into a wave: check the mapping against the file's columns, then read, validate, estimate
 * and store in the background. Poll {@link getUpload} for progress; the result is `done` with a wave or `failed`
 * with the validation report.
 */
export async function startImport(
  db: Kysely<Database>,
  storage: FileStorage,
  jobs: JobQueue,
  ctx: Ctx,
  id: string,
  input: WaveImport,
): Promise<SurveyUpload> {
  requireSurveyManager(ctx);
  const row = await findUploadRow(db, id);
  if (!row) throw new AppError('NOT_FOUND', '上传记录不存在');
  if (row.status !== 'uploaded' && row.status !== 'failed') {
    throw new AppError('INVALID_STATE', row.status === 'done' ? '该文件已导入' : '该文件正在导入');
  }
  const header = JSON.parse(row.columns_json) as string[];
  const mapping = Object.fromEntries(
    Object.entries(input.mapping).filter(([, c]) => Boolean(c)),
  ) as ColumnMapping;
  const fields: { path: string; message: string }[] = [];
  const used = new Map<string, string>();
  for (const [role, c] of Object.entries(mapping)) {
    if (!header.includes(c!)) fields.push({ path: `body.mapping.${role}`, message: `文件中没有列「${c}」` });
    const other = used.get(c!);
    if (other) fields.push({ path: `body.mapping.${role}`, message: `列「${c}」已用作 ${other}` });
    used.set(c!, role);
  }
  // A second stage needs a first; its fpc needs the first stage's (R: one fpc per stage, outermost first).
  if (mapping.psu2 && !mapping.psu)
    fields.push({
      path: 'body.mapping.psu2',
      message: '指定了第二阶段抽样单位，但没有指定初级抽样单位（PSU）',
    });
  if (mapping.fpc2 && !(mapping.psu2 && mapping.fpc))
    fields.push({
      path: 'body.mapping.fpc2',
      message: '第二阶段有限总体校正需要同时指定第二阶段抽样单位和第一阶段有限总体校正',
    });
  if (fields.length) {
    throw new AppError('VALIDATION_FAILED', `列映射有误：${fields[0]!.message}`, { fields });
  }
  // Checked here so bad margins answer 4xx now; the job derives the same design again from the same rows.
  designOf(mapping, input, await resolveMargins(db, mapping, input));
  if (!(await storage.has(row.storage_path)))
    throw new AppError('INVALID_STATE', '上传的文件已不在服务器上，请重新上传');
  const started = await transitionUpload(db, id, ['uploaded', 'failed'], {
    status: 'processing',
    phase: 'reading',
    bytes_read: 0,
    rows_read: 0,
    report_json: null,
    updated_at: nowIso(),
  });
  if (!started) throw new AppError('INVALID_STATE', '该文件正在导入');
  const job: SurveyImportJob = { uploadId: id, input: { ...input, mapping }, ctx };
  // Retries are for a node that died mid-import; an import that fails reports it on the upload and is not retried.
  await jobs.enqueue(SURVEY_IMPORT_JOB, job, { singletonKey: id, retryLimit: 3 });
  return toUpload((await findUploadRow(db, id))!);
}

async function runImport(
  db: Kysely<Database>,
  database: Config['database'],
  storage: FileStorage,
  ctx: Ctx,
  upload: SurveyUploadsTable,
  file: string,
  header: string[],
  input: WaveImport,
  design: SurveyDesign,
): Promise<void> {
  const id = upload.id;
  const fail = async (report: ValidationReport) => {
    await updateUploadRow(db, id, {
      status: 'failed',
      phase: null,
      report_json: JSON.stringify(report),
      updated_at: nowIso(),
    });
  };
  try {
    // Read and validated in the worker pool; its progress written at most every 250 ms.
    let bytes = 0;
    let lastWrite = Date.now();
    let progressWrite: Promise<unknown> = Promise.resolve();
    const collected = await collectMicrodata(
      file,
      upload.format as MicrodataFormat,
      header,
      { mapping: input.mapping, lonelyPsu: input.lonelyPsu, margins: design.raking?.margins ?? null },
      (b, rows) => {
        bytes = b;
        if (Date.now() - lastWrite <= 250) return;
        lastWrite = Date.now();
        progressWrite = progressWrite
          .then(() => updateUploadRow(db, id, { bytes_read: b, rows_read: rows, updated_at: nowIso() }))
          .catch(() => undefined);
      },
    );
    await progressWrite;
    await updateUploadRow(db, id, {
      bytes_read: bytes,
      rows_read: collected.n,
      phase: collected.report.errorCount ? null : 'estimating',
      updated_at: nowIso(),
    });
    if (collected.report.errorCount > 0) return await fail(collected.report);
    await yieldToLoop();

    let estimates: SurveyEstimate[];
    try {
      estimates = await estimateWave(collected.columns, design);
    } catch (err) {
      if (!(err instanceof StatsError)) throw err;
      const log = new IssueLog();
      log.add('estimation_failed', null, null, `估计失败：${err.message}`);
      return await fail(log.report(collected.n));
    }
    await updateUploadRow(db, id, { phase: 'saving', updated_at: nowIso() });
    await saveWave(db, database, {
      ctx,
      upload,
      input,
      design,
      n: collected.n,
      columns: collected.columns,
      estimates,
    });
    await storage.delete(upload.storage_path);
  } catch (err) {
    const log = new IssueLog();
    if (err instanceof CsvSyntaxError) log.add('file_unreadable', err.line, null, err.message);
    else log.add('file_unreadable', null, null, `文件读取或保存失败：${(err as Error).message}`);
    await fail(log.report(0)).catch(() => undefined);
  }
}

/**
 * A wave from records held in memory (the demo's generated sample), validated, stored and estimated exactly as an
 * uploaded file is; written by the caller with `insertPreparedWave`. Records that fail validation are a bug of
 * the generator: it throws.
 */
export async function prepareWaveFromRecords(
  ctx: Ctx,
  input: WaveImport,
  header: string[],
  records: string[][],
  opts: { sourceFileName: string; demoBatchId: string | null },
): Promise<PreparedWave> {
  const collector = new MicrodataCollector(header, {
    mapping: input.mapping,
    lonelyPsu: input.lonelyPsu,
    margins: null,
  });
  collector.add(records, 2);
  const collected = collector.finish();
  if (collected.report.errorCount > 0) {
    throw new Error(`generated survey records are invalid: ${JSON.stringify(collected.report.errors[0])}`);
  }
  const design = designOf(input.mapping, input, null);
  const estimates = await estimateWave(collected.columns, design);
  return prepareWave(
    ctx,
    input,
    design,
    opts.sourceFileName,
    collected.n,
    collected.columns,
    estimates,
    opts.demoBatchId,
  );
}

/**
 * The one transaction that saves an imported wave and marks its upload done. On SQLite it runs in the worker pool on
 * a connection of its own (surveys.worker.ts `saveImportedWave`): better-sqlite3 writes synchronously, and a
 * million-row wave is ~13 MB of encoded columns whose write and fsync held the event loop ~0.4 s. WAL lets this
 * process's connection go on reading meanwhile. On PostgreSQL the driver does not block: it runs here.
 */
async function saveWave(
  db: Kysely<Database>,
  database: Config['database'],
  wave: ImportedWave,
): Promise<void> {
  if (database.kind === 'sqlite') await saveWaveInPool({ file: database.file, ...wave });
  else await writeImportedWave(db, wave);
}

// ---------------------------------------------------------------- waves

async function requireWave(db: Kysely<Database>, id: string): Promise<SurveyWavesTable> {
  const row = await findWaveRow(db, id);
  if (!row) throw new AppError('NOT_FOUND', '调查轮次不存在');
  return row;
}

export async function listWaves(db: Kysely<Database>, ctx: Ctx): Promise<{ items: SurveyWave[] }> {
  requireSurveyReader(ctx);
  return { items: (await listWaveRows(db)).map(toWave) };
}

export async function getWave(db: Kysely<Database>, ctx: Ctx, id: string): Promise<SurveyWaveDetail> {
  requireSurveyReader(ctx);
  const row = await requireWave(db, id);
  return { wave: toWave(row), estimates: (await estimateRows(db, [id])).map(toEstimate) };
}

export async function updateWave(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  input: SurveyWaveUpdate,
): Promise<SurveyWave> {
  requireSurveyManager(ctx);
  return db.transaction().execute(async (trx) => {
    const row = await requireWave(trx, id);
    const before = toWave(row);
    if (input.isPublished && before.isDemo) {
      throw new AppError('INVALID_STATE', '演示数据的调查轮次不能公开发布');
    }
    const ok = await updateWaveRow(trx, id, input.version, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.isPublished !== undefined ? { is_published: input.isPublished ? 1 : 0 } : {}),
      updated_at: nowIso(),
    });
    if (!ok) throw new AppError('CONFLICT', undefined, { currentVersion: row.version });
    const after = toWave(await requireWave(trx, id));
    await recordAudit(trx, ctx, {
      action:
        input.isPublished !== undefined && input.isPublished !== before.isPublished
          ? input.isPublished
            ? 'survey_wave.publish'
            : 'survey_wave.unpublish'
          : 'survey_wave.update',
      entityType: 'survey_wave',
      entityId: id,
      before: { name: before.name, isPublished: before.isPublished },
      after: { name: after.name, isPublished: after.isPublished },
    });
    return after;
  });
}

export async function deleteWave(db: Kysely<Database>, ctx: Ctx, id: string): Promise<void> {
  requireSurveyManager(ctx);
  await db.transaction().execute(async (trx) => {
    const row = await requireWave(trx, id);
    if (row.is_published === 1) throw new AppError('INVALID_STATE', '已发布的调查轮次不能删除，请先撤回发布');
    await deleteWaveRows(trx, id);
    await recordAudit(trx, ctx, {
      action: 'survey_wave.delete',
      entityType: 'survey_wave',
      entityId: id,
      before: { name: row.name, year: row.year, rows: row.n_rows },
    });
  });
}

/** The stored microdata of a wave, decoded. */
export async function loadWaveColumns(
  db: Kysely<Database>,
  id: string,
): Promise<Partial<Record<SurveyRole, StoredColumn>>> {
  const out: Partial<Record<SurveyRole, StoredColumn>> = {};
  for (const r of await columnRows(db, id)) out[r.role as SurveyRole] = decodeColumn(r);
  return out;
}

/** Recompute a wave's estimates from its stored microdata (after an engine update, or to check the cache). */
export async function recomputeWave(db: Kysely<Database>, ctx: Ctx, id: string): Promise<SurveyWaveDetail> {
  requireSurveyManager(ctx);
  const row = await requireWave(db, id);
  const wave = toWave(row);
  const columns = await loadWaveColumns(db, id);
  let estimates: SurveyEstimate[];
  try {
    estimates = await estimateWave(columns, wave.design);
  } catch (err) {
    if (err instanceof StatsError)
      throw new AppError('BAD_REQUEST', `估计失败：${err.message}`, { code: err.code });
    throw err;
  }
  await db.transaction().execute(async (trx) => {
    await replaceEstimateRows(trx, id, estimateRowsOf(id, estimates));
    await recordAudit(trx, ctx, { action: 'survey_wave.recompute', entityType: 'survey_wave', entityId: id });
  });
  return getWave(db, ctx, id);
}

/** The method note (markdown) of one figure of a wave. */
export async function methodNoteOf(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  q: MethodNoteQuery,
): Promise<{ fileName: string; text: string; mime: 'text/markdown' | 'text/html' }> {
  requireSurveyReader(ctx);
  const { wave, estimates } = await getWave(db, ctx, id);
  const e = estimates.find(
    (x) =>
      x.method === q.method &&
      x.variable === q.variable &&
      x.by === (q.by ?? null) &&
      x.domain === (q.by ? (q.domain ?? null) : null),
  );
  if (!e) throw new AppError('NOT_FOUND', '没有这个估计值');
  const label = [wave.year, q.variable, q.method, q.by, q.domain].filter(Boolean).join('-');
  const text = methodNote(wave, e, nowIso());
  if (q.format === 'html') {
    return {
      fileName: `method-note-${label}.html`,
      text: methodNoteHtml(text, `${wave.name} · 方法说明`),
      mime: 'text/html',
    };
  }
  return { fileName: `method-note-${label}.md`, text, mime: 'text/markdown' };
}

/** Published waves' headline figures, for everyone (no sign-in). */
/** The public page: the headline of every published wave and the plan's target (survey-headline.ts). */
export async function publicLiteracy(db: Kysely<Database>): Promise<PublicLiteracy> {
  return { items: await surveyHeadlines(db, { publishedOnly: true }), target: await planRateTarget(db) };
}

/** The monitoring page: every wave's headline (published or not, for those who read surveys) and the plan's target. */
export async function listHeadlines(db: Kysely<Database>, ctx: Ctx): Promise<SurveyHeadlines> {
  requireSurveyReader(ctx);
  return { items: await surveyHeadlines(db, { publishedOnly: false }), target: await planRateTarget(db) };
}
