import { authenticate, authorize } from '../../authorize';
import { createHash } from 'node:crypto';
import {
  REPORT_STATE_LABELS,
  type ReportDetail,
  type ReportValueInput,
  TASK_PROGRESS,
  TASK_PROGRESS_LABELS,
  type TaskProgress,
  type TemplateAppliedRow,
  type TemplateRowMessage,
  type TemplateUploadResult,
} from '@kesu/shared';
import ExcelJS from 'exceljs';
import { guardZip, readXlsxCells } from '../../files/office-reader';
import { ZIP_LIMITS } from '../../files/zip-guard';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { recordAudit } from '../audit/audit.service';
import { requireCycle } from '../reporting/cycles.service';
import { canCreateReport, canEditReport } from '../reporting/reporting.policy';
import { canDownloadTemplate, canUploadTemplate } from './exchange.policy';
import {
  findReportRow,
  reportRowsOfUnit,
  unitAssignments,
  valueRows,
} from '../reporting/reporting-reads.service';
import {
  evaluateReportValues,
  getReport,
  openReportForUpload,
  previewReport,
  type ReportPrefill,
  saveReportInTrx,
} from '../reporting/reports.service';
import { findUnitRow } from '../units/unit-reads.service';

/**
 * The Excel round-trip of a unit's reports for one cycle.
 *
 * Layout of sheet “填报” (row 1 headers, data from row 2): a task row (类型 “任务”) carrying 进展状态 and 工作进展说明,
 * then one row per reported indicator (× county where the indicator is broken down) carrying 填报值 and 说明. Columns
 * N–R are hidden stable ids (report, task, indicator, county, report version at download). The very hidden sheet
 * “_kesu” holds the signature: unit id, cycle id and a SHA-256 over the headers and every row's ids, so a template of
 * another unit or cycle, or one whose headers or ids were edited, is refused whole. Sheet protection locks the
 * layout; only the value/explanation (indicator rows), status/narrative (task rows) and county cells are unlocked.
 */

export const TEMPLATE_HEADERS = [
  '类型',
  '编号',
  '任务',
  '报告状态',
  '指标',
  '计量单位',
  '目标',
  '县区',
  '上次审核值',
  '填报值',
  '说明（落后或低于上次审核值时必填）',
  '进展状态',
  '工作进展说明',
  '报告ID',
  '任务ID',
  '指标ID',
  '县区ID',
  '报告版本',
] as const;

/** 1-based column numbers. */
const COL = {
  kind: 1,
  path: 2,
  task: 3,
  state: 4,
  indicator: 5,
  unit: 6,
  target: 7,
  county: 8,
  previous: 9,
  value: 10,
  note: 11,
  progress: 12,
  narrative: 13,
  reportId: 14,
  taskId: 15,
  indicatorId: 16,
  countyId: 17,
  version: 18,
} as const;

const SHEET = '填报';
const META = '_kesu';
const MAGIC = 'kesu-template';
const FORMAT_VERSION = 1;
const TASK_ROW = '任务';
const INDICATOR_ROW = '指标';
/** 报告状态 of a task whose report is not opened yet (the upload opens it). */
const NOT_OPENED = '未填报';

const PROGRESS_BY_LABEL = new Map(TASK_PROGRESS.map((p) => [TASK_PROGRESS_LABELS[p], p]));

/** The signature over what must not change between download and upload. */
export function templateSignature(unitId: string, cycleId: string, rowKeys: string[]): string {
  const h = createHash('sha256');
  h.update(`${MAGIC}|${FORMAT_VERSION}|${unitId}|${cycleId}|${TEMPLATE_HEADERS.join('\t')}`);
  for (const k of rowKeys) h.update(`\n${k}`);
  return h.digest('hex');
}

// ── download ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The unit's template for a cycle. Its own reporter gets every assigned task: missing reports are opened first
 * (pre-filled from the previous cycle, as the web form does), so every row has a stable report id. Readers of all
 * units (admin, leaders, analysts) get the unit's existing reports, to look at.
 */
export async function buildTemplate(
  db: Kysely<Database>,
  ctx: Ctx,
  q: { cycleId: string; unitId?: string },
): Promise<{ body: Buffer; fileName: string }> {
  authenticate(ctx);
  const unitId = q.unitId ?? ctx.user.unitId;
  if (!unitId) throw new AppError('BAD_REQUEST', '请选择单位');
  if (!canDownloadTemplate(ctx.user, unitId)) throw new AppError('FORBIDDEN', '只能下载本单位的填报模板');
  const unit = await findUnitRow(db, unitId);
  if (!unit) throw new AppError('NOT_FOUND', '单位不存在');
  const cycle = await requireCycle(db, q.cycleId);
  const assignments = await unitAssignments(db, unitId, [cycle.version_id]);
  if (assignments.length === 0) throw new AppError('NOT_FOUND', '本单位在该周期的规划中没有责任任务');
  const rows = await reportRowsOfUnit(db, unitId, [cycle.id]);
  const byTask = new Map(rows.map((r) => [r.task_id, r]));
  const canOpen = canCreateReport(ctx.user, unitId) && cycle.state === 'open';
  // A task without a report yet gets the rows its pre-filled draft would have, keyed by the task (no report id):
  // downloading opens nothing; the upload opens the report when it changes something.
  const details: { detail: ReportDetail; exists: boolean }[] = [];
  for (const a of assignments) {
    const r = byTask.get(a.task_id);
    if (r) details.push({ detail: await getReport(db, ctx, r.id), exists: true });
    else if (canOpen) {
      const detail = await previewReport(db, ctx, { cycleId: cycle.id, taskId: a.task_id, unitId });
      details.push({ detail, exists: false });
    }
  }

  const wb = new ExcelJS.Workbook();
  wb.creator = 'kesu 科素';
  const ws = wb.addWorksheet(SHEET, { views: [{ state: 'frozen', ySplit: 1, xSplit: 3 }] });
  const widths = [6, 8, 28, 8, 40, 8, 12, 12, 11, 12, 30, 10, 40, 28, 28, 28, 28, 8];
  ws.columns = TEMPLATE_HEADERS.map((h, k) => ({ header: h, width: widths[k] ?? 12 }));
  ws.getRow(1).font = { bold: true };
  for (let c = COL.reportId; c <= COL.version; c++) ws.getColumn(c).hidden = true;

  const meta = wb.addWorksheet(META);
  meta.state = 'veryHidden';
  const countyNames = [
    ...new Set(
      details.flatMap(({ detail }) => detail.indicators.flatMap((i) => i.counties.map((c) => c.name))),
    ),
  ];
  countyNames.forEach((name, k) => {
    meta.getCell(k + 1, 5).value = name;
  });

  const keys: string[] = [];
  const unlock = (cell: ExcelJS.Cell) => {
    cell.protection = { locked: false };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF7D6' } };
  };
  const statusList = `"${TASK_PROGRESS.map((p) => TASK_PROGRESS_LABELS[p]).join(',')}"`;
  for (const { detail: d, exists } of details) {
    const reportId = exists ? d.id : '';
    const version = exists ? d.version : 0;
    const stateLabel = exists ? REPORT_STATE_LABELS[d.state] : NOT_OPENED;
    const taskRow = ws.addRow([]);
    taskRow.getCell(COL.kind).value = TASK_ROW;
    taskRow.getCell(COL.path).value = d.taskPath;
    taskRow.getCell(COL.task).value = d.taskTitle;
    taskRow.getCell(COL.state).value = stateLabel;
    taskRow.getCell(COL.progress).value = TASK_PROGRESS_LABELS[d.progress];
    taskRow.getCell(COL.narrative).value = d.narrative;
    taskRow.getCell(COL.reportId).value = reportId;
    taskRow.getCell(COL.taskId).value = d.taskId;
    taskRow.getCell(COL.version).value = version;
    taskRow.font = { bold: true };
    unlock(taskRow.getCell(COL.progress));
    unlock(taskRow.getCell(COL.narrative));
    taskRow.getCell(COL.progress).dataValidation = {
      type: 'list',
      allowBlank: false,
      formulae: [statusList],
      showErrorMessage: true,
      errorTitle: '进展状态',
      error: '请从下拉列表中选择进展状态',
    };
    keys.push(`${reportId}|${d.taskId}||`);
    for (const ind of d.indicators.filter((i) => i.isReported)) {
      const counties: ({ id: string; name: string } | null)[] = ind.breakdownByCounty ? ind.counties : [null];
      for (const county of counties) {
        const v = d.values.find((x) => x.indicatorId === ind.id && x.countyId === (county?.id ?? null));
        const prev = ind.previous.find((p) => p.countyId === (county?.id ?? null));
        const row = ws.addRow([]);
        row.getCell(COL.kind).value = INDICATOR_ROW;
        row.getCell(COL.path).value = d.taskPath;
        row.getCell(COL.task).value = d.taskTitle;
        row.getCell(COL.state).value = stateLabel;
        row.getCell(COL.indicator).value = ind.text;
        row.getCell(COL.unit).value = ind.unit;
        row.getCell(COL.target).value =
          `${ind.comparator === '>=' ? '≥' : ind.comparator === '<=' ? '≤' : ind.comparator}${ind.targetValue}`;
        row.getCell(COL.county).value = county?.name ?? '';
        row.getCell(COL.previous).value = prev ? prev.value : null;
        row.getCell(COL.value).value = v?.value ?? null;
        row.getCell(COL.note).value = v?.note ?? '';
        row.getCell(COL.reportId).value = reportId;
        row.getCell(COL.taskId).value = d.taskId;
        row.getCell(COL.indicatorId).value = ind.id;
        row.getCell(COL.countyId).value = county?.id ?? '';
        row.getCell(COL.version).value = version;
        unlock(row.getCell(COL.value));
        unlock(row.getCell(COL.note));
        row.getCell(COL.value).dataValidation = {
          type: 'decimal',
          operator: 'greaterThanOrEqual',
          allowBlank: true,
          formulae: [0],
          showErrorMessage: true,
          errorTitle: '填报值',
          error: '请填写不小于 0 的数字',
        };
        if (county) {
          unlock(row.getCell(COL.county));
          row.getCell(COL.county).dataValidation = {
            type: 'list',
            allowBlank: false,
            formulae: [`'${META}'!$E$1:$E$${Math.max(1, countyNames.length)}`],
            showErrorMessage: true,
            errorTitle: '县区',
            error: '请从下拉列表中选择县区',
          };
        }
        keys.push(`${reportId}|${d.taskId}|${ind.id}|${county?.id ?? ''}`);
      }
    }
  }
  meta.getCell('A1').value = MAGIC;
  meta.getCell('A2').value = FORMAT_VERSION;
  meta.getCell('B1').value = unitId;
  meta.getCell('B2').value = unit.short_name;
  meta.getCell('C1').value = cycle.id;
  meta.getCell('C2').value = cycle.name;
  meta.getCell('D1').value = templateSignature(unitId, cycle.id, keys);
  await ws.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
  });
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  return { body, fileName: `填报模板-${unit.short_name}-${cycle.name}.xlsx` };
}

// ── upload ───────────────────────────────────────────────────────────────────────────────────────────────

/** The text of a cell as typed (rich text joined, formulas by their result). */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('error' in v) return String((v as { error: unknown }).error);
  }
  return String(v);
}

/** A number cell: a number, or text that reads as one (full-width digits, thousands separators allowed). */
function parseNumber(v: ExcelJS.CellValue): { ok: true; value: number | null } | { ok: false; text: string } {
  if (typeof v === 'number')
    return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, text: String(v) };
  if (v && typeof v === 'object' && 'result' in v && typeof v.result === 'number') {
    return { ok: true, value: v.result };
  }
  const text = cellText(v).normalize('NFKC').trim();
  if (text === '') return { ok: true, value: null };
  const plain = text.replace(/,/g, '');
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(plain)) return { ok: true, value: Number(plain) };
  return { ok: false, text: cellText(v).trim() };
}

/** Most rows an uploaded template may hold: far above any unit's tasks × indicators × counties. */
export const TEMPLATE_MAX_ROWS = 20_000;

/** One sheet's cells by row number (1-based) and column (1-based); absent cells read as null. */
type Grid = (row: number, col: number) => ExcelJS.CellValue;

function gridOf(rows: Array<[number, unknown[]]> | undefined): Grid {
  const byRow = new Map(rows ?? []);
  return (row, col) => (byRow.get(row)?.[col - 1] ?? null) as ExcelJS.CellValue;
}

/**
 * Refuse anything that is not an xlsx by its content (a zip starting with PK\x03\x04 that exceljs can read), check
 * the archive with the zip guard, then read the two sheets in a worker with a heap limit (files/office-reader.ts):
 * only rows that hold something, at most TEMPLATE_MAX_ROWS.
 */
async function readTemplateSheets(
  buffer: Buffer,
): Promise<{ meta: Grid | null; sheet: Grid | null; rowNumbers: number[] }> {
  const refuse = () =>
    new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      '文件不是 Excel（.xlsx）格式：请上传本系统下载的填报模板（按文件内容判断）',
    );
  if (buffer.length < 4 || buffer.readUInt32LE(0) !== 0x04034b50) throw refuse();
  await guardZip(buffer, ZIP_LIMITS.template, refuse);
  const cells = await readXlsxCells(buffer, {
    sheets: [META, SHEET],
    maxRows: TEMPLATE_MAX_ROWS,
    maxCols: COL.version,
  });
  // A zip that is not a workbook (no xl/workbook.xml) loads as a workbook without sheets.
  if (!cells || cells.sheetNames.length === 0) throw refuse();
  const sheetRows = cells.sheets[SHEET];
  return {
    meta: cells.sheets[META] ? gridOf(cells.sheets[META]) : null,
    sheet: sheetRows ? gridOf(sheetRows) : null,
    rowNumbers: (sheetRows ?? []).map(([n]) => n),
  };
}

interface ParsedRow {
  row: number;
  kind: string;
  reportId: string;
  taskId: string;
  indicatorId: string;
  countyId: string;
  countyName: string;
  version: number;
  valueCell: ExcelJS.CellValue;
  note: string;
  progress: string;
  narrative: string;
}

/** Whether a row of a report not yet opened changes its pre-fill (a row that cannot be read counts as a change). */
function rowDiffers(p: ParsedRow, prefill: ReportPrefill): boolean {
  if (p.kind === TASK_ROW) {
    return (
      PROGRESS_BY_LABEL.get(p.progress) !== prefill.progress ||
      p.narrative.replace(/\r\n/g, '\n').trim() !== prefill.narrative.trim()
    );
  }
  const num = parseNumber(p.valueCell);
  if (!num.ok) return true;
  const carried = prefill.values.find(
    (v) => v.indicator_id === p.indicatorId && (v.county_id ?? '') === p.countyId,
  );
  return (carried ? Number(carried.value) : null) !== num.value || p.note !== '';
}

/**
 * Apply an uploaded template of the caller's unit for `cycleId`: valid rows go through the reporting service's save
 * (same gates: own unit, draft/returned, open cycle, non-negative values, counties), all in one transaction with an
 * audit row per applied row; rows equal to what is stored are skipped (idempotent); invalid rows are listed.
 */
export async function applyTemplate(
  db: Kysely<Database>,
  ctx: Ctx,
  cycleId: string,
  buffer: Buffer,
): Promise<TemplateUploadResult> {
  authorize(ctx, canUploadTemplate, '只有填报单位的填报人可以上传填报模板');
  const user = ctx.user;
  const ownUnitId = user.unitId ?? '';
  const cycle = await requireCycle(db, cycleId);
  const { meta, sheet: ws, rowNumbers } = await readTemplateSheets(buffer);
  if (!meta || !ws || cellText(meta(1, 1)) !== MAGIC) {
    throw new AppError(
      'TEMPLATE_INVALID',
      '这不是本系统下载的填报模板（缺少模板标识），请在“我的填报”中下载模板后填写',
    );
  }
  const tplUnit = cellText(meta(1, 2));
  const tplCycle = cellText(meta(1, 3));
  if (tplUnit !== ownUnitId) {
    const own = await findUnitRow(db, ownUnitId);
    throw new AppError(
      'TEMPLATE_MISMATCH',
      `该模板属于“${cellText(meta(2, 2)) || '其他单位'}”，不是本单位（${own?.short_name ?? ''}）的模板，未导入任何内容`,
      { templateUnit: tplUnit },
    );
  }
  if (tplCycle !== cycle.id) {
    throw new AppError(
      'TEMPLATE_MISMATCH',
      `该模板属于填报周期“${cellText(meta(2, 3)) || '其他周期'}”，不是当前周期“${cycle.name}”，未导入任何内容`,
      { templateCycle: tplCycle },
    );
  }
  TEMPLATE_HEADERS.forEach((h, k) => {
    const found = cellText(ws(1, k + 1)).trim();
    if (found !== h) {
      const column = String.fromCharCode(65 + k);
      throw new AppError(
        'TEMPLATE_INVALID',
        `表头被修改：第 ${column} 列应为“${h}”，实为“${found}”。请勿改动表头，重新下载模板后填写`,
        { column, expected: h, found },
      );
    }
  });
  // The signature first (ids only), so nothing of an edited or foreign template is read further.
  const filled = rowNumbers.filter(
    (r) => r >= 2 && (cellText(ws(r, COL.reportId)).trim() || cellText(ws(r, COL.kind)).trim()),
  );
  const keyOf = (r: number) =>
    [COL.reportId, COL.taskId, COL.indicatorId, COL.countyId].map((c) => cellText(ws(r, c)).trim()).join('|');
  if (templateSignature(tplUnit, tplCycle, filled.map(keyOf)) !== cellText(meta(1, 4))) {
    throw new AppError(
      'TEMPLATE_INVALID',
      '模板的隐藏编号或行被改动（签名不符），未导入任何内容。请重新下载模板后填写',
    );
  }
  const rows: ParsedRow[] = filled.map((r) => ({
    row: r,
    kind: cellText(ws(r, COL.kind)).trim(),
    reportId: cellText(ws(r, COL.reportId)).trim(),
    taskId: cellText(ws(r, COL.taskId)).trim(),
    indicatorId: cellText(ws(r, COL.indicatorId)).trim(),
    countyId: cellText(ws(r, COL.countyId)).trim(),
    countyName: cellText(ws(r, COL.county)).trim(),
    version: Number(cellText(ws(r, COL.version))),
    valueCell: ws(r, COL.value),
    note: cellText(ws(r, COL.note)).trim(),
    progress: cellText(ws(r, COL.progress)).trim(),
    narrative: cellText(ws(r, COL.narrative)),
  }));

  const applied: TemplateAppliedRow[] = [];
  const errors: TemplateRowMessage[] = [];
  const flags: TemplateRowMessage[] = [];
  let unchanged = 0;
  let reportsChanged = 0;
  const err = (row: number, message: string) => errors.push({ row, message: `第 ${row} 行：${message}` });

  await db.transaction().execute(async (trx) => {
    // Rows of a report not opened at download carry no report id: they are grouped by their task.
    const byReport = new Map<string, ParsedRow[]>();
    for (const p of rows) {
      const key = p.reportId || `task:${p.taskId}`;
      byReport.set(key, [...(byReport.get(key) ?? []), p]);
    }
    for (const list of byReport.values()) {
      let reportId = list[0]!.reportId;
      if (!reportId) {
        let found: { id: string } | null;
        try {
          found = await openReportForUpload(
            trx,
            ctx,
            { cycleId: cycle.id, taskId: list[0]!.taskId, unitId: ownUnitId },
            (prefill) => list.some((p) => rowDiffers(p, prefill)),
          );
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          for (const p of list) err(p.row, e.message);
          continue;
        }
        if (!found) {
          unchanged += list.length; // the upload leaves the pre-filled content as it is: nothing to open
          continue;
        }
        reportId = found.id;
      }
      const report = await findReportRow(trx, reportId);
      if (!report || report.unit_id !== ownUnitId || report.cycle_id !== cycle.id) {
        for (const p of list) err(p.row, '报告编号无效或不属于本单位本周期');
        continue;
      }
      const detail = await getReport(trx, ctx, reportId);
      const stored = await valueRows(trx, reportId);
      const storedOf = new Map(stored.map((v) => [`${v.indicator_id}|${v.county_id ?? ''}`, v]));
      const indicatorOf = new Map(detail.indicators.map((i) => [i.id, i]));
      const label = `${report.task_path} ${report.task_title}`;

      // 1. Read each row and keep what differs from what is stored.
      let progress = report.progress as TaskProgress;
      let narrative = report.narrative;
      const taskChanges: { row: ParsedRow; before: string; after: string }[] = [];
      const valueChanges: {
        row: ParsedRow;
        input: Required<ReportValueInput>;
        before: string;
        county: string | null;
      }[] = [];
      const seen = new Map<string, number>();
      for (const p of list) {
        if (p.kind === TASK_ROW) {
          const next = PROGRESS_BY_LABEL.get(p.progress);
          if (!next) {
            err(
              p.row,
              `“进展状态”应为 ${TASK_PROGRESS.map((t) => TASK_PROGRESS_LABELS[t]).join('、')} 之一，实为“${p.progress}”`,
            );
            continue;
          }
          const nextNarrative = p.narrative.replace(/\r\n/g, '\n');
          if (next === report.progress && nextNarrative.trim() === report.narrative.trim()) {
            unchanged += 1;
            continue;
          }
          taskChanges.push({
            row: p,
            before: `${TASK_PROGRESS_LABELS[report.progress as TaskProgress]}｜${report.narrative}`,
            after: `${TASK_PROGRESS_LABELS[next]}｜${nextNarrative}`,
          });
          progress = next;
          narrative = nextNarrative;
          continue;
        }
        const ind = indicatorOf.get(p.indicatorId);
        if (p.kind !== INDICATOR_ROW || !ind || !ind.isReported) {
          err(p.row, '指标编号无效，请重新下载模板');
          continue;
        }
        let countyId: string | null = null;
        let countyName: string | null = null;
        if (ind.breakdownByCounty) {
          const county = ind.counties.find((c) => c.name === p.countyName);
          if (!county) {
            err(
              p.row,
              `“县区”应从下拉列表中选择（${ind.counties.map((c) => c.name).join('、')}），实为“${p.countyName}”`,
            );
            continue;
          }
          countyId = county.id;
          countyName = county.name;
        }
        const key = `${ind.id}|${countyId ?? ''}`;
        if (seen.has(key)) {
          err(
            p.row,
            `与第 ${seen.get(key)} 行重复（同一指标${countyName ? `、同一县区“${countyName}”` : ''}），本行未导入`,
          );
          continue;
        }
        seen.set(key, p.row);
        const num = parseNumber(p.valueCell);
        if (!num.ok) {
          err(p.row, `“填报值”应为数字，实为“${num.text}”`);
          continue;
        }
        if (num.value !== null && num.value < 0) {
          err(p.row, `“填报值”不能为负数（${num.value}）`);
          continue;
        }
        const before = storedOf.get(key);
        const beforeValue = before?.value ?? null;
        const same =
          (beforeValue === null ? null : Number(beforeValue)) === num.value &&
          (before?.note ?? '').trim() === p.note;
        if (same) {
          unchanged += 1;
          continue;
        }
        valueChanges.push({
          row: p,
          input: { indicatorId: ind.id, countyId, value: num.value, note: p.note },
          before: `${beforeValue ?? ''}${before?.note ? `（${before.note}）` : ''}`,
          county: countyName,
        });
      }
      if (taskChanges.length === 0 && valueChanges.length === 0) continue;

      // 2. Gates: the owner unit, a draft or returned report, an open cycle, the version the template was made from.
      const changedRows = [...taskChanges.map((c) => c.row), ...valueChanges.map((c) => c.row)];
      const refuseAll = (message: string) => {
        for (const p of changedRows) err(p.row, message);
      };
      if (cycle.state !== 'open') {
        refuseAll(`填报周期“${cycle.name}”已${cycle.state === 'locked' ? '锁定' : '截止'}，不能修改`);
        continue;
      }
      if (!canEditReport(user, { unitId: report.unit_id, state: report.state })) {
        refuseAll(
          `报告“${label}”${REPORT_STATE_LABELS[report.state as keyof typeof REPORT_STATE_LABELS] ?? report.state}，不能修改`,
        );
        continue;
      }
      // A report opened after the download (version 1, never saved) still holds what the template showed.
      const stale = (p: ParsedRow) =>
        p.version !== report.version && !(p.version === 0 && report.version === 1);
      if (changedRows.some(stale)) {
        refuseAll(`报告“${label}”在下载模板后已在网上修改过，为免覆盖他人的修改，请重新下载模板后填写`);
        continue;
      }

      // 3. The engine's checks: a value behind or below the last approved one needs an explanation.
      const entered = valueChanges.filter((c) => c.input.value !== null);
      const checks =
        entered.length > 0
          ? await evaluateReportValues(
              trx,
              ctx,
              reportId,
              entered.map((c) => c.input),
            )
          : [];
      const accepted = valueChanges.filter((c) => {
        const check = checks.find(
          (k) => k.indicatorId === c.input.indicatorId && k.countyId === c.input.countyId,
        );
        if (!check) return true;
        const why = check.anomaly ? check.anomaly : check.text;
        if (check.explanationRequired && !check.hasExplanation) {
          err(c.row.row, `${why}。须在“说明”栏填写原因，本行未导入`);
          return false;
        }
        if (check.anomaly)
          flags.push({
            row: c.row.row,
            message: `第 ${c.row.row} 行：${check.anomaly}（已填写说明，请审核时核实）`,
          });
        else if (check.isBehind) flags.push({ row: c.row.row, message: `第 ${c.row.row} 行：${check.text}` });
        return true;
      });
      if (taskChanges.length === 0 && accepted.length === 0) continue;

      // 4. Save through the reporting service: every stored value, with the accepted changes laid over.
      const merged = new Map<string, Required<ReportValueInput>>();
      for (const v of stored) {
        merged.set(`${v.indicator_id}|${v.county_id ?? ''}`, {
          indicatorId: v.indicator_id,
          countyId: v.county_id,
          value: v.value === null ? null : Number(v.value),
          note: v.note,
        });
      }
      for (const c of accepted) merged.set(`${c.input.indicatorId}|${c.input.countyId ?? ''}`, c.input);
      await saveReportInTrx(trx, ctx, reportId, {
        progress,
        narrative,
        values: [...merged.values()],
        version: report.version,
      });
      reportsChanged += 1;
      for (const c of taskChanges) {
        applied.push({
          row: c.row.row,
          reportId,
          taskPath: report.task_path,
          item: '进展状态/工作进展说明',
          county: null,
          before: c.before,
          after: c.after,
        });
      }
      for (const c of accepted) {
        applied.push({
          row: c.row.row,
          reportId,
          taskPath: report.task_path,
          item: indicatorOf.get(c.input.indicatorId)?.text ?? '',
          county: c.county,
          before: c.before,
          after: `${c.input.value ?? ''}${c.input.note ? `（${c.input.note}）` : ''}`,
        });
      }
    }
    applied.sort((a, b) => a.row - b.row);
    for (const a of applied) {
      await recordAudit(trx, ctx, {
        action: 'template.apply_row',
        entityType: 'progress_report',
        entityId: a.reportId,
        before: { row: a.row, item: a.item, county: a.county, value: a.before },
        after: { row: a.row, item: a.item, county: a.county, value: a.after },
      });
    }
    await recordAudit(trx, ctx, {
      action: 'template.upload',
      entityType: 'reporting_cycle',
      entityId: cycle.id,
      after: {
        unitId: ownUnitId,
        applied: applied.length,
        errors: errors.length,
        unchanged,
        reportsChanged,
      },
    });
  });
  errors.sort((a, b) => a.row - b.row);
  flags.sort((a, b) => a.row - b.row);
  return { cycleId: cycle.id, unitId: ownUnitId, applied, errors, flags, unchanged, reportsChanged };
}
