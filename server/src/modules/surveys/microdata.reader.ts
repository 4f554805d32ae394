import fs from 'node:fs';
import { TextDecoder } from 'node:util';
import ExcelJS from 'exceljs';

/**
 * Streaming readers for uploaded microdata: a file is read in chunks and handed on as batches of records (arrays of
 * field text), so a million-row file never sits in memory as text and the event loop is free between chunks.
 */

export type MicrodataFormat = 'csv' | 'xlsx';

/** Fields of one record, as text. */
export type RecordFields = string[];

/** `onBytes(n)` receives the bytes of the file read so far. */
export type ProgressFn = (bytesRead: number) => void;

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** A file that is not valid CSV at a line (1-based, the header is line 1); the message is Chinese. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Caps of an uploaded CSV: far above real survey files (tens to hundreds of columns, lines of a few KB). */
export const CSV_LIMITS = {
  /** Most fields of one record (the header included). */
  maxColumns: 5000,
  /** Most characters of one record (a quoted field may span lines; they count together). */
  maxRecordChars: 1_000_000,
};

/** A CSV record past a cap: `kind` 'columns' (too many fields) or 'line' (too long); the message is Chinese. */
export class CsvLimitError extends Error {
  constructor(
    readonly kind: 'columns' | 'line',
    readonly line: number,
    readonly limit: number,
  ) {
    super(
      kind === 'columns'
        ? `第 ${line} 行超过 ${limit} 列上限`
        : `第 ${line} 行超过 ${limit.toLocaleString('zh-CN')} 个字符的长度上限`,
    );
  }
}

enum S {
  /** At the start of a field. */
  Start,
  /** Inside an unquoted field. */
  Plain,
  /** Inside a quoted field. */
  Quoted,
  /** A quote inside a quoted field: the closing one, or the first of a doubled one. */
  QuoteSeen,
  /** After a closing quote: text up to the next delimiter is not CSV and is dropped. */
  AfterClose,
}

/**
 * Incremental RFC 4180 parser: feed text chunks in order, each character is looked at once (a 150 MB line costs
 * what 150 MB of short lines cost, and is refused at `maxRecordChars`). Blank lines are skipped; a record of one
 * empty field is a blank line. Throws CsvLimitError past a cap.
 */
export class CsvRecordParser {
  private state = S.Start;
  private field = '';
  private record: RecordFields = [];
  private recordChars = 0;
  private skipLf = false;
  /** LF line of the next character (1-based); of the record; of the open quote. */
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;

  constructor(private readonly limits = CSV_LIMITS) {}

  private endField(): void {
    if (this.record.length >= this.limits.maxColumns) {
      throw new CsvLimitError('columns', this.recordLine, this.limits.maxColumns);
    }
    this.record.push(this.field);
    this.field = '';
    this.state = S.Start;
  }

  private endRecord(out: RecordFields[]): void {
    this.endField();
    const r = this.record;
    if (!(r.length === 1 && r[0] === '')) out.push(r);
    this.record = [];
    this.recordChars = 0;
  }

  /** Parse `text` (the next chunk); complete records are appended to `out`. */
  push(text: string, out: RecordFields[]): void {
    const n = text.length;
    // Start of the run of field characters not yet copied into `field`, or -1.
    let seg = -1;
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) this.line++;
      if (this.skipLf) {
        this.skipLf = false;
        if (c === LF) continue;
      }
      if (++this.recordChars === 1) this.recordLine = this.line;
      else if (this.recordChars > this.limits.maxRecordChars) {
        throw new CsvLimitError('line', this.recordLine, this.limits.maxRecordChars);
      }
      switch (this.state) {
        case S.Quoted:
          if (c === QUOTE) {
            if (seg >= 0) this.field += text.slice(seg, i);
            seg = -1;
            this.state = S.QuoteSeen;
          } else if (seg < 0) seg = i;
          continue;
        case S.QuoteSeen:
          if (c === QUOTE) {
            this.field += '"';
            this.state = S.Quoted;
            continue;
          }
          this.state = S.AfterClose;
          break;
        case S.Start:
          if (c === QUOTE) {
            this.state = S.Quoted;
            this.quoteLine = this.line;
            continue;
          }
          if (c !== COMMA && c !== LF && c !== CR) {
            this.state = S.Plain;
            seg = i;
            continue;
          }
          break;
        case S.Plain:
          if (c !== COMMA && c !== LF && c !== CR) {
            if (seg < 0) seg = i;
            continue;
          }
          if (seg >= 0) this.field += text.slice(seg, i);
          seg = -1;
          break;
        case S.AfterClose:
          break;
      }
      // A delimiter outside quotes (or text after a closing quote, dropped).
      if (c === COMMA) this.endField();
      else if (c === LF || c === CR) {
        this.endRecord(out);
        if (c === CR) this.skipLf = true;
      }
    }
    if (seg >= 0) this.field += text.slice(seg, n);
  }

  /**
   * The end of the text: the last record, if any. Returns the line a quoted field was opened on and never closed,
   * else −1 (the field is kept as read).
   */
  end(out: RecordFields[]): number {
    let unclosed = -1;
    if (this.state === S.Quoted) unclosed = this.quoteLine;
    if (this.state !== S.Start || this.record.length > 0) this.endRecord(out);
    return unclosed;
  }
}

/** UTF-8 unless the start of the file is not valid UTF-8, then GB18030 (Excel's "CSV" on Chinese Windows). */
function detectEncoding(head: Buffer): 'utf-8' | 'gb18030' {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

async function* csvBatches(file: string, onBytes: ProgressFn): AsyncGenerator<RecordFields[]> {
  // 256 KB chunks: each holds the event loop for a few tens of milliseconds (bench/survey.bench.ts prints it).
  const stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  let decoder: TextDecoder | null = null;
  const parser = new CsvRecordParser();
  let bytes = 0;
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      decoder ??= new TextDecoder(detectEncoding(chunk.subarray(0, 64 * 1024)), { ignoreBOM: false });
      let text = decoder.decode(chunk, { stream: true });
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      const records: RecordFields[] = [];
      parser.push(text, records);
      onBytes(bytes);
      if (records.length) yield records;
    }
    const records: RecordFields[] = [];
    let tail = decoder ? decoder.decode() : '';
    if (first && tail.charCodeAt(0) === 0xfeff) tail = tail.slice(1);
    parser.push(tail, records);
    const line = parser.end(records);
    if (line >= 0) {
      throw new CsvSyntaxError(`第 ${line} 行开始的带引号字段直到文件末尾都没有结束引号（少了一个 "）`, line);
    }
    onBytes(bytes);
    if (records.length) yield records;
  } finally {
    stream.destroy();
  }
}

/** The text of an exceljs cell value (numbers as JavaScript writes them, formulas by their result). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return '';
  }
  return String(v);
}

async function* xlsxBatches(file: string, onBytes: ProgressFn): AsyncGenerator<RecordFields[]> {
  const input = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  let bytes = 0;
  input.on('data', (c) => {
    bytes += (c as Buffer).length;
  });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      let batch: RecordFields[] = [];
      for await (const row of sheet) {
        const values = row.values as unknown[];
        if (values.length - 1 > CSV_LIMITS.maxColumns) {
          throw new CsvLimitError('columns', row.number, CSV_LIMITS.maxColumns);
        }
        const fields: string[] = [];
        // row.values is 1-based and sparse.
        for (let c = 1; c < values.length; c++) fields.push(cellText(values[c]));
        batch.push(fields);
        if (batch.length >= 5000) {
          onBytes(bytes);
          yield batch;
          batch = [];
        }
      }
      onBytes(bytes);
      if (batch.length) yield batch;
      break; // the first worksheet only
    }
  } finally {
    input.destroy();
  }
}

/** Batches of records of a microdata file; the first record is the header. */
export function readRecordBatches(
  file: string,
  format: MicrodataFormat,
  onBytes: ProgressFn = () => {},
): AsyncGenerator<RecordFields[]> {
  return format === 'csv' ? csvBatches(file, onBytes) : xlsxBatches(file, onBytes);
}

/** The header and the first `rows` data records, reading no more of the file than needed. */
export async function readHeadAndPreview(
  file: string,
  format: MicrodataFormat,
  rows = 5,
): Promise<{ header: string[]; preview: string[][] }> {
  const head: string[][] = [];
  for await (const batch of readRecordBatches(file, format)) {
    for (const r of batch) {
      head.push(r);
      if (head.length > rows) break;
    }
    if (head.length > rows) break;
  }
  const [header = [], ...preview] = head;
  return { header: header.map((h) => h.trim()), preview };
}
