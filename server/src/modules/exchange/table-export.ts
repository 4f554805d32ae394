import type { ExportFormat } from '@kesu/shared';
import ExcelJS from 'exceljs';

/** A column of an exported table: header text and how to read the cell from a row. */
export interface ExportColumn<T> {
  header: string;
  value: (row: T) => string | number | null;
  /** Excel column width, characters. */
  width?: number;
}

export interface ExportTable<T> {
  /** Sheet name and file name stem (Chinese is fine: the file name is sent RFC 5987-encoded). */
  title: string;
  columns: ExportColumn<T>[];
  rows: T[];
  /** xlsx only: a second sheet 说明 of label/text pairs (as-of date, method, source …); csv carries the table alone. */
  notes?: [string, string][];
}

export interface ExportFile {
  body: Buffer;
  contentType: string;
  fileName: string;
}

/** Characters that make a spreadsheet read a CSV cell as a formula (or that hide one: tab, carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. Text that starts with = + - @ tab or CR is prefixed with a single quote so Excel/WPS shows it as
 * text instead of running it (CSV injection); numbers are written as numbers (−5 is a value, not a formula).
 * Cells holding a comma, quote or line break are quoted, quotes doubled (RFC 4180).
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a byte-order mark (so Excel opens Chinese correctly), CRLF line ends. */
export function toCsv<T>(table: ExportTable<T>): Buffer {
  const lines = [table.columns.map((c) => csvCell(c.header)).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((c) => csvCell(c.value(row))).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

/** One sheet, a bold frozen header, typed cells (text stays text: xlsx cells are never read as formulas). */
export async function toXlsx<T>(table: ExportTable<T>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'kesu 科素';
  const ws = wb.addWorksheet(table.title.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet1', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  ws.columns = table.columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
  ws.getRow(1).font = { bold: true };
  for (const row of table.rows) ws.addRow(table.columns.map((c) => c.value(row)));
  if (table.notes) {
    const notes = wb.addWorksheet('说明');
    notes.columns = [{ width: 14 }, { width: 100 }];
    for (const [label, text] of table.notes) notes.addRow([label, text]);
    notes.getColumn(1).font = { bold: true };
    notes.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The table as a file of the asked format. */
export async function renderTable<T>(table: ExportTable<T>, format: ExportFormat): Promise<ExportFile> {
  const stamp = new Date().toISOString().slice(0, 10);
  if (format === 'csv') {
    return {
      body: toCsv(table),
      contentType: 'text/csv; charset=utf-8',
      fileName: `${table.title}-${stamp}.csv`,
    };
  }
  return {
    body: await toXlsx(table),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: `${table.title}-${stamp}.xlsx`,
  };
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function attachmentDisposition(fileName: string): string {
  const ext = fileName.split('.').pop() ?? 'bin';
  return `attachment; filename="export.${ext}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
