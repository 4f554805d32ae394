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

/**
 * Parse as many complete CSV records (RFC 4180) as `text` holds. Returns them and the unparsed rest (an incomplete
 * last record), to be prefixed to the next chunk; with `final` everything is parsed. Blank lines are skipped.
 * `unclosedQuoteAt` is the offset of a quoted field still open at the end of a final chunk, else −1.
 */
export function parseCsvChunk(
  text: string,
  final: boolean,
): { records: RecordFields[]; rest: string; unclosedQuoteAt?: number } {
  const records: RecordFields[] = [];
  const n = text.length;
  let i = 0;
  let recStart = 0;
  let record: RecordFields = [];
  const incomplete = () => ({ records, rest: text.slice(recStart) });
  let unclosedQuoteAt = -1;
  const endRecord = () => {
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  while (i < n) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      let j = i + 1;
      let segStart = j;
      let buf = '';
      let closed = false;
      while (j < n) {
        if (text.charCodeAt(j) === QUOTE) {
          if (j + 1 < n && text.charCodeAt(j + 1) === QUOTE) {
            buf += text.slice(segStart, j + 1);
            j += 2;
            segStart = j;
            continue;
          }
          if (j + 1 >= n && !final) break; // a doubled quote may follow in the next chunk
          buf += text.slice(segStart, j);
          j += 1;
          closed = true;
          break;
        }
        j++;
      }
      if (!closed) {
        if (!final) return incomplete();
        unclosedQuoteAt = i;
        field = buf + text.slice(segStart);
        i = n;
      } else {
        field = buf;
        i = j;
        // Text between a closing quote and the next delimiter is not CSV; it is dropped.
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === COMMA || c === LF || c === CR) break;
          i++;
        }
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR) break;
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    record.push(field);
    if (i >= n) {
      if (!final) return incomplete();
      endRecord();
      recStart = n;
      break;
    }
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      if (i >= n) {
        if (!final) return incomplete();
        record.push('');
        endRecord();
        recStart = n;
      }
      continue;
    }
    if (c === CR) {
      if (i + 1 >= n && !final) return incomplete();
      i += text.charCodeAt(i + 1) === LF ? 2 : 1;
    } else i++;
    endRecord();
    recStart = i;
  }
  return { records, rest: final ? '' : text.slice(recStart), unclosedQuoteAt };
}

/** Line breaks (LF) in text[from, to). */
function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
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
  let rest = '';
  let bytes = 0;
  let first = true;
  /** Line breaks before `rest`: the file line of a syntax error. */
  let lines = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      decoder ??= new TextDecoder(detectEncoding(chunk.subarray(0, 64 * 1024)), { ignoreBOM: false });
      let text = rest + decoder.decode(chunk, { stream: true });
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      const parsed = parseCsvChunk(text, false);
      rest = parsed.rest;
      lines += countLines(text, 0, text.length - rest.length);
      onBytes(bytes);
      if (parsed.records.length) yield parsed.records;
    }
    const tail = rest + (decoder ? decoder.decode() : '');
    const last = first && tail.charCodeAt(0) === 0xfeff ? tail.slice(1) : tail;
    const parsed = parseCsvChunk(last, true);
    if (parsed.unclosedQuoteAt !== undefined && parsed.unclosedQuoteAt >= 0) {
      const line = lines + countLines(last, 0, parsed.unclosedQuoteAt) + 1;
      throw new CsvSyntaxError(`第 ${line} 行开始的带引号字段直到文件末尾都没有结束引号（少了一个 "）`, line);
    }
    onBytes(bytes);
    if (parsed.records.length) yield parsed.records;
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
