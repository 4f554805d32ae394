import {
  DEMO_LABEL,
  type ExportFormat,
  normalizeUnitName,
  REGISTRY_COLUMN_ORDER,
  REGISTRY_DEFINITIONS,
  REGISTRY_IMPORT_MAX_ROWS,
  type RegistryImportRowError,
  type RegistryListQuery,
  type RegistryRecord,
  type RegistryRecordInput,
  RegistryRecordInputSchema,
  type ResourceKind,
} from '@kesu/shared';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { authorize, type SignedInCtx } from '../../authorize';
import { type Ctx, readsJurisdiction } from '../../context';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { guardZip, readXlsxCells } from '../../files/office-reader';
import { ZIP_LIMITS } from '../../files/zip-guard';
import { type ExportFile, type ExportTable, renderTable } from '../exchange/table-export';
import { listJurisdictions } from '../jurisdictions/jurisdictions.service';
import { allUnitRows } from '../units/unit-reads.service';
import { canReadRegistries, canWriteRegistries } from './registries.policy';
import { resourcesNamed } from './registries.repository';
import { allRegistryRows, insertRegistryRecord } from './registries.service';

/** Most rows one export gives (a larger list is refused, not silently cut). */
const MAX_EXPORT_ROWS = 100_000;
/** The sheet of the import template. */
const SHEET = '登记表';
const YES = '是';
const NO = '否';

/**
 * One column of a kind's spreadsheet (template, import, export): the header, how to read it from a record, and how
 * a cell sets the input. Built from the kind's definition, so the three always agree.
 */
interface SheetColumn {
  header: string;
  required?: boolean;
  width?: number;
  /** Drop-down choices in the template. */
  choices?: readonly string[];
  value: (r: RegistryRecord) => string | number | null;
  /** Text or number of the cell → the input; returns an error message, or null. */
  read?: (cell: string, into: ImportDraft) => string | null;
}

interface ImportDraft {
  input: Partial<RegistryRecordInput> & { details: Record<string, string> };
  jurisdictionName?: string;
  unitName?: string;
  parentName?: string;
}

const num = (label: string, integer: boolean) => (cell: string) => {
  const plain = cell.normalize('NFKC').replace(/,/g, '').trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(plain)) return { error: `${label}“${cell}”不是数字` };
  const n = Number(plain);
  if (integer && !Number.isInteger(n)) return { error: `${label}应为整数` };
  return { value: n };
};

function sheetColumns(kind: ResourceKind): SheetColumn[] {
  const def = REGISTRY_DEFINITIONS[kind];
  const c = def.columns;
  const cols: SheetColumn[] = [
    {
      header: def.nameLabel,
      required: true,
      width: 28,
      value: (r) => r.name,
      read: (v, d) => {
        d.input.name = v;
        return null;
      },
    },
    {
      header: '所属行政区划',
      width: 12,
      value: (r) => r.jurisdictionName,
      read: (v, d) => {
        d.jurisdictionName = v;
        return null;
      },
    },
    {
      header: '登记单位',
      width: 20,
      value: (r) => r.unitName,
      read: (v, d) => {
        d.unitName = v;
        return null;
      },
    },
  ];
  const text = (
    key: 'theme' | 'address' | 'openingHours' | 'category',
    label: string,
    width = 16,
  ): SheetColumn => ({
    header: label,
    width,
    value: (r) => r[key],
    read: (v, d) => {
      d.input[key] = v;
      return null;
    },
  });
  const date = (key: 'recognisedOn' | 'expiresOn' | 'withdrawnOn', label: string): SheetColumn => ({
    header: label,
    width: 12,
    value: (r) => r[key],
    read: (v, d) => {
      d.input[key] = v.replace(/[./年月]/g, '-').replace(/日$/, '');
      return null;
    },
  });
  for (const column of REGISTRY_COLUMN_ORDER) {
    const f = c[column];
    if (!f) continue;
    if (column === 'level') {
      cols.push({
        header: f.label,
        required: f.required,
        width: 8,
        choices: def.levels,
        value: (r) => r.level,
        read: (v, d) => {
          d.input.level = v as RegistryRecordInput['level'];
          return null;
        },
      });
    } else if (column === 'category') {
      cols.push({ ...text('category', f.label, 14), required: f.required, choices: def.categories });
    } else if (column === 'theme' || column === 'address' || column === 'openingHours') {
      cols.push({ ...text(column, f.label, column === 'address' ? 30 : 16), required: f.required });
    } else if (column === 'recognisedOn' || column === 'expiresOn') {
      cols.push({ ...date(column, f.label), required: f.required });
    } else if (column === 'quantity' || column === 'hours') {
      cols.push({
        header: f.label,
        required: f.required,
        width: 10,
        value: (r) => r[column],
        read: (v, d) => {
          const n = num(f.label, column === 'quantity')(v);
          if ('error' in n) return n.error ?? null;
          d.input[column] = n.value;
          return null;
        },
      });
    } else if (column === 'coordinates') {
      for (const [key, label] of [
        ['longitude', '经度'],
        ['latitude', '纬度'],
      ] as const) {
        cols.push({
          header: label,
          width: 10,
          value: (r) => r[key],
          read: (v, d) => {
            const n = num(label, false)(v);
            if ('error' in n) return n.error ?? null;
            d.input[key] = n.value;
            return null;
          },
        });
      }
    } else if (column === 'openToPublic') {
      cols.push({
        header: f.label,
        width: 10,
        choices: [YES, NO],
        value: (r) => (r.openToPublic === null ? null : r.openToPublic ? YES : NO),
        read: (v, d) => {
          if (v !== YES && v !== NO) return `${f.label}应填“是”或“否”`;
          d.input.openToPublic = v === YES;
          return null;
        },
      });
    } else if (column === 'parent') {
      cols.push({
        header: f.label,
        required: f.required,
        width: 20,
        value: (r) => r.parentName,
        read: (v, d) => {
          d.parentName = v;
          return null;
        },
      });
    } else if (column === 'withdrawn') {
      cols.push(date('withdrawnOn', `${f.label}日期`));
      cols.push({
        header: `${f.label}原因`,
        width: 20,
        value: (r) => r.withdrawnReason,
        read: (v, d) => {
          d.input.withdrawnReason = v;
          return null;
        },
      });
    }
  }
  for (const det of def.details) {
    cols.push({
      header: det.label,
      required: det.required,
      width: 16,
      value: (r) => r.details[det.key] ?? null,
      read: (v, d) => {
        d.input.details[det.key] = v;
        return null;
      },
    });
  }
  return cols;
}

/** A kind's registry as xlsx or csv: the list's own filters and rights, every page, plus the status column. */
export async function exportRegistry(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: ResourceKind,
  q: Omit<RegistryListQuery, 'page' | 'pageSize'>,
  format: ExportFormat,
  timeZone: string,
): Promise<ExportFile> {
  authorize(ctx, canReadRegistries);
  const page = await allRegistryRows(db, ctx, kind, q, timeZone, MAX_EXPORT_ROWS);
  const columns = sheetColumns(kind).map((c) => ({ header: c.header, value: c.value, width: c.width }));
  const table: ExportTable<RegistryRecord> = {
    title: REGISTRY_DEFINITIONS[kind].label,
    rows: page.items,
    columns: [
      ...columns,
      { header: `状态（截至 ${page.asOf}）`, value: (r) => r.status, width: 14 },
      { header: '数据来源', value: (r) => (r.isDemo ? DEMO_LABEL : ''), width: 10 },
    ],
  };
  return renderTable(table, format);
}

/** The import template of a kind: its columns in Chinese (必填 marked), drop-downs for levels and yes/no. */
export async function registryTemplate(ctx: Ctx, kind: ResourceKind): Promise<ExportFile> {
  authorize(ctx, canReadRegistries);
  const def = REGISTRY_DEFINITIONS[kind];
  const cols = sheetColumns(kind);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'kesu 科素';
  const ws = wb.addWorksheet(SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c) => ({ header: c.required ? `${c.header}*` : c.header, width: c.width ?? 14 }));
  ws.getRow(1).font = { bold: true };
  cols.forEach((c, k) => {
    if (!c.choices?.length) return;
    const list = `"${c.choices.join(',')}"`;
    for (let row = 2; row <= 501; row++) {
      ws.getCell(row, k + 1).dataValidation = {
        type: 'list',
        allowBlank: !c.required,
        formulae: [list],
        showErrorMessage: true,
        errorTitle: c.header,
        error: `请从下拉列表中选择${c.header}`,
      };
    }
  });
  const notes = wb.addWorksheet('填写说明');
  const lines = [
    `${def.label}导入模板：每行一条记录，第 1 行为表头，请勿改动表头。带 * 的列必填。`,
    '日期写成 2025-06-30 的格式（或设为 Excel 日期）。',
    '所属行政区划：留空为本级；填写时须是本级或下级的名称（如 丰县）。',
    '登记单位：单位用户留空即本单位；管理员须填写单位全称、简称或别名，单位须属于该行政区划或其上级。',
    ...(def.columns.coordinates ? ['经度和纬度同时填写或都不填，须落在所属行政区划的范围内。'] : []),
    ...(def.columns.parent ? [`${def.columns.parent.label}：填写已登记的名称。`] : []),
    '任何一行有错误时整份文件都不会导入，请按提示逐行改正后重新上传。',
  ];
  lines.forEach((l, k) => {
    notes.getCell(k + 1, 1).value = l;
  });
  notes.getColumn(1).width = 100;
  return {
    body: Buffer.from(await wb.xlsx.writeBuffer()),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: `${def.label}导入模板.xlsx`,
  };
}

/** The text of a cell as typed (rich text joined, formulas by their result, dates as YYYY-MM-DD). */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v)
      return (v as { richText: { text: string }[] }).richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('result' in v) return cellText((v as { result?: unknown }).result ?? null);
    if ('text' in v) return String((v as { text: unknown }).text).trim();
  }
  return String(v).trim();
}

const refuseFile = () =>
  new AppError('UNSUPPORTED_MEDIA_TYPE', '文件不是 Excel（.xlsx）格式：请下载本类别的导入模板，填写后上传');

/**
 * Import a filled template: every row checked first — the kind's rules, the jurisdiction (本级 or below, by name), the
 * unit (by name, of that jurisdiction or above), the parent (by name) and the same checks as the form; any bad row →
 * VALIDATION_FAILED with `details.rows` ("第 N 行：……") and nothing written. Otherwise every row in one transaction,
 * each with its audit row.
 */
export async function importRegistry(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: ResourceKind,
  buffer: Buffer,
): Promise<{ imported: number }> {
  authorize(ctx, canWriteRegistries, '领导和分析员只能查看资源库');
  const def = REGISTRY_DEFINITIONS[kind];
  const cols = sheetColumns(kind);
  if (buffer.length < 4 || buffer.readUInt32LE(0) !== 0x04034b50) throw refuseFile();
  await guardZip(buffer, ZIP_LIMITS.template, refuseFile);
  const cells = await readXlsxCells(buffer, {
    sheets: [SHEET],
    maxRows: REGISTRY_IMPORT_MAX_ROWS + 1,
    maxCols: cols.length,
  });
  if (!cells || cells.sheetNames.length === 0) throw refuseFile();
  const rows = cells.sheets[SHEET];
  if (!rows) throw new AppError('BAD_REQUEST', `找不到工作表“${SHEET}”：请使用${def.label}的导入模板`);
  const header = rows.find(([n]) => n === 1)?.[1] ?? [];
  const expected = cols.map((c) => c.header);
  const found = expected.map((_, k) => cellText(header[k]).replace(/\*$/, ''));
  const bad = expected.findIndex((h, k) => found[k] !== h);
  if (bad >= 0)
    throw new AppError(
      'BAD_REQUEST',
      `表头第 ${bad + 1} 列应为“${expected[bad]}”，不是${def.label}的导入模板或表头已被改动`,
      {
        column: bad + 1,
        expected: expected[bad],
        found: found[bad],
      },
    );
  const dataRows = rows.filter(([n, values]) => n > 1 && values.some((v) => cellText(v) !== ''));
  if (dataRows.length === 0) throw new AppError('BAD_REQUEST', '模板中没有要导入的记录');

  const user = ctx.user;
  const jurisdictions = (await listJurisdictions(db, ctx)).items;
  const units = await allUnitRows(db);
  const errors: RegistryImportRowError[] = [];
  const fail = (row: number, message: string) => errors.push({ row, message: `第 ${row} 行：${message}` });

  const drafts: { row: number; input: RegistryRecordInput; parentName?: string }[] = [];
  for (const [rowNo, values] of dataRows) {
    const d: ImportDraft = { input: { details: {} } };
    const problems: string[] = [];
    cols.forEach((c, k) => {
      const text = cellText(values[k]);
      if (text === '') return;
      const err = c.read?.(text, d);
      if (err) problems.push(err);
    });
    if (d.jurisdictionName) {
      const j = jurisdictions.find(
        (x) => x.name === d.jurisdictionName || x.shortName === d.jurisdictionName,
      );
      if (!j) problems.push(`所属行政区划“${d.jurisdictionName}”不是本级或下级的行政区划`);
      else d.input.jurisdictionId = j.id;
    }
    if (d.unitName) {
      const key = normalizeUnitName(d.unitName);
      const jid = d.input.jurisdictionId ?? user.jurisdictionId;
      const path = jurisdictions.find((j) => j.id === jid);
      const chain = new Set<string | null>();
      for (let j = path; j; j = jurisdictions.find((x) => x.id === j?.parentId)) chain.add(j.id);
      const matches = units.filter(
        (u) =>
          !u.merged_into_id &&
          (chain.size === 0 || chain.has(u.jurisdiction_id)) &&
          [u.name, u.short_name, ...(JSON.parse(u.aliases) as string[])].some(
            (n) => normalizeUnitName(n) === key,
          ),
      );
      if (matches.length === 0) problems.push(`登记单位“${d.unitName}”在该行政区划中不存在`);
      else d.input.unitId = matches[0]!.id;
    }
    const parsed = RegistryRecordInputSchema.safeParse(d.input);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const h = headerOfPath(kind, String(i.path[0] ?? ''));
        problems.push(h ? `${h}：${i.message}` : i.message);
      }
    }
    if (problems.length) {
      fail(rowNo, problems.join('；'));
      continue;
    }
    drafts.push({ row: rowNo, input: parsed.data!, parentName: d.parentName });
  }

  const parents = def.parentKind
    ? await resourcesNamed(db, def.parentKind, user.jurisdictionPath ?? '/', [
        ...new Set(drafts.map((d) => d.parentName).filter((n): n is string => !!n)),
      ])
    : [];

  let imported = 0;
  try {
    await db.transaction().execute(async (trx) => {
      for (const d of drafts) {
        try {
          if (d.parentName) {
            const p = parents.filter((x) => x.name === d.parentName && readsJurisdiction(user, x.path));
            if (p.length === 0)
              throw new AppError(
                'VALIDATION_FAILED',
                `${def.columns.parent?.label ?? '上级'}“${d.parentName}”尚未登记`,
              );
            d.input.parentId = p[0]!.id;
          }
          await insertRegistryRecord(trx, ctx as SignedInCtx, kind, d.input);
          imported += 1;
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          fail(d.row, errorText(err, kind));
        }
      }
      if (errors.length) throw new ImportRefused();
    });
  } catch (err) {
    if (!(err instanceof ImportRefused)) throw err;
  }
  if (errors.length) {
    errors.sort((a, b) => a.row - b.row);
    throw new AppError(
      'VALIDATION_FAILED',
      `导入文件有 ${errors.length} 行错误，未导入任何记录。${errors
        .slice(0, 3)
        .map((e) => e.message)
        .join('；')}${errors.length > 3 ? '……' : ''}`,
      { rows: errors },
    );
  }
  return { imported };
}

class ImportRefused extends Error {}

/** The header of an input field, for row messages. */
function headerOfPath(kind: ResourceKind, field: string): string | undefined {
  const def = REGISTRY_DEFINITIONS[kind];
  const c = def.columns;
  const map: Record<string, string | undefined> = {
    name: def.nameLabel,
    unitId: '登记单位',
    parentId: c.parent?.label,
    level: c.level?.label,
    category: c.category?.label,
    theme: c.theme?.label,
    recognisedOn: c.recognisedOn?.label,
    expiresOn: c.expiresOn?.label,
    withdrawnOn: c.withdrawn ? `${c.withdrawn.label}日期` : undefined,
    withdrawnReason: c.withdrawn ? `${c.withdrawn.label}原因` : undefined,
    quantity: c.quantity?.label,
    hours: c.hours?.label,
    address: c.address?.label,
    longitude: '经度',
    latitude: '纬度',
    openingHours: c.openingHours?.label,
  };
  return map[field];
}

/** A row's error in words: the field problems of a validation failure, or the message. */
function errorText(err: AppError, kind: ResourceKind): string {
  const fields = (err.details as { fields?: { path: string; message: string }[] } | undefined)?.fields;
  if (fields?.length) {
    return fields
      .map((f) => {
        const h = headerOfPath(kind, f.path.replace(/^body\./, ''));
        return h && !f.message.includes(h) ? `${h}：${f.message}` : f.message;
      })
      .join('；');
  }
  return err.message;
}
