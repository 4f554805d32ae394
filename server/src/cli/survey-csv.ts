import fs from 'node:fs';
import { TextDecoder } from 'node:util';
import { Worker } from 'node:worker_threads';
import { type CodedLabels, StatsError } from '@kesu/stats';

/**
 * Reads the columns an estimate needs from a survey CSV file in one streaming pass, without holding the text
 * or the unused columns in memory: numeric columns go to Float64Arrays, label columns to codes into their distinct
 * labels (CodedLabels of @kesu/stats, which takes them without coding strings again). RFC 4180 as `parseCsv` of
 * @kesu/stats (quoted fields, doubled quotes, CRLF or LF, optional BOM). A large file is read in two threads.
 * Measured on 1,000,000 rows × 44 columns (174 MB, 10 columns wanted), on the 2-core machine with another job on
 * it (load ~2): 0.77–0.84 s in one thread, 0.66–0.71 s in two; 330–390 MB peak RSS for the whole
 * `kesu survey estimate` (bench/RESULTS.md); against 5.5 s and 1.7 GB for `parseCsv` on the whole text.
 */

/** How one wanted column is kept. `number`: '' and 'NA' are missing (NaN); anything else must be a number. */
export type ColumnKind = 'number' | 'label';

export interface ColumnRequest {
  name: string;
  kind: ColumnKind;
}

/** A numeric column, or a label column: `labels[codes[i]]` (distinct, in order of first appearance), −1 missing. */
export type ReadColumn = Float64Array | CodedLabels;

/**
 * Incremental CSV tokenizer: feed text chunks, receive records with their field count and the file line they start
 * on (1-based; a quoted field may span lines). Only the fields whose index is wanted are materialised
 * (`wanted === null` keeps all, used for the header).
 * @throws StatsError BAD_INPUT from `end()` when a quoted field is never closed, naming the line it opened on.
 */
export class CsvTokenizer {
  private field = '';
  private fieldIndex = 0;
  private record: (string | undefined)[] = [];
  private inQuotes = false;
  /** A quote seen inside a quoted field: either the closing quote or the first of a doubled one. */
  private quotePending = false;
  /** The field has content (so an empty last line is not a record). */
  private recordStarted = false;
  private skipLf = false;
  private first = true;
  /** Line of the next character (line breaks seen + 1); a CR LF pair is one break. */
  private line = 1;
  private lastCr = false;
  private recordLine = 1;
  private quoteLine = 1;
  wanted: boolean[] | null = null;

  constructor(
    private readonly onRecord: (fields: (string | undefined)[], fieldCount: number, line: number) => void,
  ) {}

  private keep(): boolean {
    const w = this.wanted;
    return w === null || w[this.fieldIndex] === true;
  }

  private endField(): void {
    if (this.keep()) this.record[this.fieldIndex] = this.field;
    this.field = '';
    this.fieldIndex++;
  }

  private endRecord(): void {
    this.endField();
    const r = this.record;
    const count = this.fieldIndex;
    this.record = [];
    this.fieldIndex = 0;
    this.recordStarted = false;
    this.onRecord(r, count, this.recordLine);
  }

  push(chunk: string): void {
    let i = 0;
    const n = chunk.length;
    if (this.first) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    // Start of the current (unfinished) run of plain field characters in this chunk, or -1.
    let seg = -1;
    const flush = (end: number) => {
      if (seg >= 0) {
        if (this.keep()) this.field += chunk.slice(seg, end);
        seg = -1;
      }
    };
    for (; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) {
        if (!this.lastCr) this.line++;
        this.lastCr = false;
      } else if (c === 13) {
        this.line++;
        this.lastCr = true;
      } else this.lastCr = false;
      if (this.skipLf) {
        this.skipLf = false;
        if (c === 10) continue;
      }
      if (this.quotePending) {
        this.quotePending = false;
        if (c === 34) {
          // Doubled quote: a literal quote, still inside the quoted field.
          if (this.keep()) this.field += '"';
          continue;
        }
        this.inQuotes = false;
      }
      if (this.inQuotes) {
        if (c === 34) {
          flush(i);
          this.quotePending = true;
        } else if (seg < 0) seg = i;
        continue;
      }
      if (c === 44) {
        flush(i);
        this.endField();
        this.recordStarted = true;
      } else if (c === 10 || c === 13) {
        flush(i);
        if (this.recordStarted || this.field !== '' || this.fieldIndex > 0) this.endRecord();
        this.recordLine = this.line;
        if (c === 13) this.skipLf = true;
      } else if (c === 34 && seg < 0) {
        this.inQuotes = true;
        this.quoteLine = this.line;
        this.recordStarted = true;
      } else {
        this.recordStarted = true;
        if (seg < 0) seg = i;
      }
    }
    if (seg >= 0) flush(n);
  }

  end(): void {
    if (this.quotePending) {
      this.quotePending = false;
      this.inQuotes = false;
    }
    if (this.inQuotes) {
      throw new StatsError(
        'BAD_INPUT',
        `数据文件第 ${this.quoteLine} 行开始的带引号字段直到文件末尾都没有结束引号(少了一个 ")`,
        { line: this.quoteLine },
      );
    }
    if (this.recordStarted || this.field !== '' || this.fieldIndex > 0) this.endRecord();
  }
}

class NumberColumn {
  data = new Float64Array(1 << 14);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  /** The values of a later part of the file. */
  append(xs: Float64Array): void {
    if (this.length + xs.length > this.data.length) {
      const next = new Float64Array(this.length + xs.length);
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data.set(xs, this.length);
    this.length += xs.length;
  }
  done(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

function isMissingText(s: string): boolean {
  return s === '' || s === 'NA';
}

/** UTF-8 unless the start of the file is not valid UTF-8, then GB18030 (a superset of GBK and GB2312). */
function detectEncoding(head: Buffer): 'utf-8' | 'gb18030' {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
/** 1 for the bytes that end or open a field (comma, line breaks, quote), 0 for the rest. */
const SPECIAL = new Uint8Array(256);
for (const b of [QUOTE, COMMA, LF, CR]) SPECIAL[b] = 1;
/** 10^k for the exact decimal fast path (k ≤ 22: every power is an exact double). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A number straight from the bytes of a plain decimal ([+-]digits[.digits], at most 15 digits): m / 10^k with both
 * exact, so IEEE division gives the correctly rounded value — the same double as `Number(text)`. Anything else
 * (spaces, exponents, more digits, 'NA', nothing) returns NaN and is read through a string as before.
 */
function plainDecimal(b: Buffer, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = b[i];
  if (first === 45 || first === 43) {
    negative = first === 45;
    i++;
  }
  let m = 0;
  let digits = 0;
  let scale = -1;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && scale < 0) scale = 0;
    else return Number.NaN;
  }
  if (digits === 0 || digits > 15) return Number.NaN;
  const x = scale > 0 ? m / POW10[scale]! : m;
  return negative ? -x : x;
}

/** A distinct label: its bytes as in the file, and its string. */
interface LabelEntry {
  bytes: Buffer;
  value: string;
}

/**
 * Interned labels keyed by their bytes: a cell's bytes are hashed and compared in place, so a string is made once
 * per distinct value (decoded in the file's encoding), never per cell.
 */
class ByteInterner {
  private readonly buckets = new Map<number, LabelEntry[]>();
  private readonly byText = new Map<string, string>();
  private readonly byString = new Map<string, LabelEntry>();
  constructor(private readonly decoder: TextDecoder) {}

  text(s: string): string {
    let v = this.byText.get(s);
    if (v === undefined) {
      v = s;
      this.byText.set(s, s);
    }
    return v;
  }

  /** The entry of a label known only as text (doubled quotes undone, or read by the tokenizer). */
  textEntry(s: string): LabelEntry {
    let e = this.byString.get(s);
    if (e === undefined) {
      e = { bytes: Buffer.alloc(0), value: this.text(s) };
      this.byString.set(s, e);
    }
    return e;
  }

  /** The entry (kept bytes and string) of the label b[start, end). */
  entry(b: Buffer, start: number, end: number): LabelEntry {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    let bucket = this.buckets.get(h);
    if (bucket) {
      for (const e of bucket) if (sameBytes(e.bytes, b, start, end)) return e;
    } else {
      bucket = [];
      this.buckets.set(h, bucket);
    }
    const copy = Buffer.from(b.subarray(start, end));
    const e = { bytes: copy, value: this.text(this.decoder.decode(copy)) };
    bucket.push(e);
    return e;
  }
}

/** Whether `a` holds the bytes b[start, end) (a loop: labels are short, and a native compare costs more per call). */
function sameBytes(a: Buffer, b: Buffer, start: number, end: number): boolean {
  const n = end - start;
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[start + i]) return false;
  return true;
}

/** Slots of a label column's cache (a power of two). */
const SLOTS = 1024;

/**
 * A label column: a code per cell (−1 missing) into the column's distinct labels, numbered in order of first
 * appearance (as @kesu/stats codes strings; equal strings are one code even when their bytes differ). A cell is
 * looked up first as the column's last label (files run in strata and PSUs), then in a slot chosen by its length
 * and first, middle and last bytes (an array, not a map: distinct among the handful of labels most columns have —
 * sex, area, education …), then by hash of all its bytes (ByteInterner).
 */

class LabelColumn {
  private codes = new Int32Array(1 << 14);
  private length = 0;
  private readonly labels: string[] = [];
  /** Code by label string: one code per distinct string, whichever bytes or path it came by. */
  private readonly codeOf = new Map<string, number>();
  private last: LabelEntry | null = null;
  private lastCode = -1;
  /** A direct-mapped cache of labels met by their bytes, with their codes, by a small key of the bytes. */
  private readonly slots: (LabelEntry | null)[] = new Array(SLOTS).fill(null);
  private readonly slotCodes = new Int32Array(SLOTS);
  constructor(private readonly interner: ByteInterner) {}

  private pushCode(c: number): void {
    if (this.length === this.codes.length) {
      const next = new Int32Array(this.codes.length * 2);
      next.set(this.codes);
      this.codes = next;
    }
    this.codes[this.length++] = c;
  }

  pushMissing(): void {
    this.pushCode(-1);
  }

  pushText(s: string): void {
    this.pushEntry(this.interner.textEntry(s));
  }

  pushBytes(b: Buffer, start: number, end: number): void {
    const last = this.last;
    if (last !== null && sameBytes(last.bytes, b, start, end)) {
      this.pushCode(this.lastCode);
      return;
    }
    const n = end - start;
    const slot = (n * 977 + b[start]! * 31 + b[end - 1]! * 7 + b[start + (n >> 1)]!) & (SLOTS - 1);
    const e = this.slots[slot]!;
    if (e !== null && sameBytes(e.bytes, b, start, end)) {
      const c = this.slotCodes[slot]!;
      this.last = e;
      this.lastCode = c;
      this.pushCode(c);
      return;
    }
    const met = this.interner.entry(b, start, end);
    this.pushEntry(met);
    this.slots[slot] = met;
    this.slotCodes[slot] = this.lastCode;
  }

  private pushEntry(e: LabelEntry): void {
    let c = this.codeOf.get(e.value);
    if (c === undefined) {
      c = this.labels.length;
      this.labels.push(e.value);
      this.codeOf.set(e.value, c);
    }
    this.last = e;
    this.lastCode = c;
    this.pushCode(c);
  }

  /** The cells of a later part of the file, read with labels of its own: recoded into this column's. */
  append(part: CodedLabels): void {
    const recode = part.labels.map((l) => {
      let c = this.codeOf.get(l);
      if (c === undefined) {
        c = this.labels.length;
        this.labels.push(this.interner.text(l));
        this.codeOf.set(l, c);
      }
      return c;
    });
    const map = Int32Array.from(recode);
    const from = part.codes;
    if (this.length + from.length > this.codes.length) {
      const next = new Int32Array(this.length + from.length);
      next.set(this.codes.subarray(0, this.length));
      this.codes = next;
    }
    const to = this.codes;
    let at = this.length;
    for (let i = 0; i < from.length; i++) {
      const k = from[i]!;
      to[at++] = k < 0 ? -1 : map[k]!;
    }
    this.length = at;
    this.last = null;
  }

  done(): CodedLabels {
    return { codes: this.codes.slice(0, this.length), labels: this.labels };
  }
}

/** Where the fields of one record lie in the buffer, by header index (wanted fields only). */
interface FieldSpans {
  start: Int32Array;
  end: Int32Array;
  /** 0 plain, 1 quoted (the quotes excluded from the span), 2 quoted with doubled quotes inside. */
  quoted: Uint8Array;
}

/**
 * Read the requested columns of a CSV file in one pass. `requests` may be a function of the header (e.g. to expand
 * a pattern of replicate-weight columns). Returns the header and the encoding the file was read in.
 *
 * A byte-level scanner (issue 17): the file is read in large blocks into one reused buffer; only the wanted fields'
 * positions are noted; numbers are parsed from their bytes (plainDecimal) and labels interned by their bytes
 * (ByteInterner), so no string is made per cell. A record the fast path does not take as it is — a quote inside an
 * unquoted field, text after a closing quote — is read by `CsvTokenizer` from its text, the reference reader, so
 * every file reads exactly as before. Delimiters, quotes and line breaks are ASCII and never the trail byte of a GBK
 * or GB18030 character, so one scanner serves both encodings. `chunkBytes` (tests) makes block boundaries frequent.
 * A file of `twoThreadsFrom` bytes or more is read in two threads (see `readFrom`), with the same answer.
 * @throws StatsError MISSING_COLUMN when a requested column is not in the header; BAD_INPUT for a duplicated
 *   column name, an unterminated quote, a row whose field count differs from the header's (naming the file line
 *   and the data row), or a non-numeric value of a numeric column (BAD_WEIGHT for `weightColumn`), naming the data
 *   row (1 = the first row after the header).
 */
export async function readCsvColumns(
  file: string,
  requests: readonly ColumnRequest[] | ((header: readonly string[]) => readonly ColumnRequest[]),
  opts: ReadOptions = {},
): Promise<{
  rows: number;
  columns: Record<string, ReadColumn>;
  header: string[];
  encoding: 'utf-8' | 'gb18030';
  /** 2 when a worker read the second half (see {@link ReadOptions.twoThreadsFrom}), else 1. */
  threads: 1 | 2;
}> {
  const fd = await fs.promises.open(file, 'r');
  try {
    // The encoding from the first 64 KiB (read at offset 0 apart from the blocks, whatever their size).
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead: headBytes } = await fd.read(head, 0, head.length, 0);
    const encoding = detectEncoding(head.subarray(0, headBytes));
    const size = (await fd.stat()).size;
    const r = await readFrom(fd, { file, encoding, start: 0, header: null, requests, size, ...opts });
    return { ...r, encoding };
  } finally {
    await fd.close();
  }
}

/** Options of {@link readCsvColumns}. */
export interface ReadOptions {
  /** The column whose bad numbers are BAD_WEIGHT (not BAD_INPUT). */
  weightColumn?: string;
  /** Block size (tests: small, so that blocks end everywhere). */
  chunkBytes?: number;
  /**
   * Files of at least this many bytes (default 32 MiB) are read in two threads, the second half by a worker
   * (survey-read.worker.ts) from a line break near the middle; `Infinity` never (tests: small, to split any file).
   */
  twoThreadsFrom?: number;
}

/** What the worker reading the second half is given (survey-read.worker.ts). */
export interface RangeInput {
  file: string;
  encoding: 'utf-8' | 'gb18030';
  /** The first byte of its part: just after a line break. */
  start: number;
  header: string[];
  requests: ColumnRequest[];
  weightColumn?: string;
  chunkBytes?: number;
}

/** The worker's answer: its part's columns, or that it could not read it (then the first thread reads on). */
export type RangeAnswer = { ok: true; rows: number; columns: Record<string, ReadColumn> } | { ok: false };

/** The second half of a file read by the worker (survey-read.worker.ts): its columns, its rows numbered from 1. */
export async function readCsvRange(
  input: RangeInput,
): Promise<{ rows: number; columns: Record<string, ReadColumn> }> {
  const fd = await fs.promises.open(input.file, 'r');
  try {
    return await readFrom(fd, {
      ...input,
      size: (await fd.stat()).size,
      twoThreadsFrom: Number.POSITIVE_INFINITY,
    });
  } finally {
    await fd.close();
  }
}

/** The worker entry: the TypeScript source bundled once by esbuild (tests, tsx), or dist/survey-read-worker.js. */
async function workerUrl(): Promise<string> {
  if (!import.meta.url.endsWith('.ts')) return new URL('./survey-read-worker.js', import.meta.url).href;
  const { workerEntry } = await import('../files/worker-pool');
  return workerEntry(import.meta.url, 'survey-read.worker.ts', 'survey-read-worker.js');
}

/** The second half of the file from `start` in a worker thread; any failure answers { ok: false }. */
function readInWorker(input: RangeInput): { answer: Promise<RangeAnswer>; cancel: () => void } {
  let worker: Worker | null = null;
  let cancelled = false;
  const answer = (async (): Promise<RangeAnswer> => {
    try {
      const url = await workerUrl();
      if (cancelled) return { ok: false };
      const w = new Worker(new URL(url), { workerData: input });
      worker = w;
      return await new Promise<RangeAnswer>((resolve) => {
        w.once('message', (m: RangeAnswer) => resolve(m));
        w.once('error', () => resolve({ ok: false }));
        w.once('exit', () => resolve({ ok: false }));
      });
    } catch {
      return { ok: false };
    } finally {
      void worker?.terminate();
    }
  })();
  return {
    answer,
    cancel: () => {
      cancelled = true;
      void worker?.terminate();
    },
  };
}

/** The first line break at or after `from` (within 1 MiB), the byte after it; -1 when there is none. */
async function lineStartAfter(fd: fs.promises.FileHandle, from: number): Promise<number> {
  const window = Buffer.allocUnsafe(1 << 20);
  const { bytesRead } = await fd.read(window, 0, window.length, from);
  const at = window.subarray(0, bytesRead).indexOf(LF);
  return at < 0 ? -1 : from + at + 1;
}

interface ReadFromInput extends ReadOptions {
  file: string;
  encoding: 'utf-8' | 'gb18030';
  /** Offset of the first byte to read: 0 (the header first), or a record's start when `header` is given. */
  start: number;
  header: string[] | null;
  requests: readonly ColumnRequest[] | ((header: readonly string[]) => readonly ColumnRequest[]);
  /** The file's size when opened (where a split may go). */
  size: number;
}

/**
 * The scanner over the file from `input.start`: the header (unless given), then every record. With a file of at
 * least `twoThreadsFrom` bytes, a worker reads from a line break near the middle while this thread reads up to it;
 * when this thread's last record ends exactly there, the split was a record boundary and the worker's part is
 * appended (its labels recoded into this thread's); otherwise (a quoted field spanning it), or when the worker could
 * not read its part (a bad row, which this thread then meets and reports with its right numbers), this thread reads
 * on to the end alone. Either way the answer is that of one pass.
 */
async function readFrom(
  fd: fs.promises.FileHandle,
  input: ReadFromInput,
): Promise<{ rows: number; columns: Record<string, ReadColumn>; header: string[]; threads: 1 | 2 }> {
  const opts = input;
  const requests = input.requests;
  let buf = Buffer.allocUnsafe(Math.max(1, opts.chunkBytes ?? 8 << 20));
  let len = 0;
  let pos = 0;
  let eof = false;
  /** Offset of the next block in the file. */
  let offset = input.start;
  /** Where this thread stops (a split), unless a record crosses it. */
  let limit = Number.POSITIVE_INFINITY;
  let second: ReturnType<typeof readInWorker> | null = null;
  /** Read more: keep the unfinished record (from `pos`), grow when it fills the buffer. */
  const fill = async () => {
    if (pos > 0) {
      buf.copy(buf, 0, pos, len);
      len -= pos;
      pos = 0;
    }
    if (len === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, len);
      buf = bigger;
    }
    if (offset >= limit) {
      // The record at `pos` goes on past the split: the split was inside it; read on alone.
      limit = Number.POSITIVE_INFINITY;
      second?.cancel();
      second = null;
    }
    const { bytesRead } = await fd.read(buf, len, Math.min(buf.length - len, limit - offset), offset);
    if (bytesRead === 0) eof = true;
    len += bytesRead;
    offset += bytesRead;
  };
  const decoder = new TextDecoder(input.encoding);
  if (input.header === null) {
    await fill();
    while (!eof && len < 3) await fill();
    if (len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
  }

  let line = 1;
  let lastCr = false;
  /**
   * Scan one record from `pos`: the positions of every field (only wanted ones kept), its field count, and where
   * it ends. Returns 'more' when the buffer ends inside it before the end of the file; 'slow' when the fast path
   * does not take it; 'blank' for an empty line. Line breaks are counted into `lines` only when it is complete.
   */
  let header: string[] | null = null;
  let wanted: Uint8Array = new Uint8Array(0);
  let spans: FieldSpans = {
    start: new Int32Array(0),
    end: new Int32Array(0),
    quoted: new Uint8Array(0),
  };
  let fieldCount = 0;
  let recordEnd = 0;
  let breaks = 0;
  let endsCr = false;
  const scan = (): 'ok' | 'more' | 'slow' | 'blank' => {
    let i = pos;
    let field = 0;
    let nl = 0;
    let prevCr = lastCr;
    const w = wanted;
    const nw = w.length;
    if (i >= len) return eof ? 'blank' : 'more';
    const c0 = buf[i]!;
    if (c0 === LF || c0 === CR) {
      // An empty line (or the LF of a CR LF whose CR ended the last record): not a record.
      if (c0 === CR && i + 1 >= len && !eof) return 'more';
      recordEnd = c0 === CR && buf[i + 1] === LF ? i + 2 : i + 1;
      breaks = c0 === LF && prevCr ? 0 : 1;
      endsCr = c0 === CR && recordEnd === i + 1;
      return 'blank';
    }
    for (;;) {
      const start = i;
      if (i < len && buf[i] === QUOTE) {
        let j = i + 1;
        let doubled = false;
        for (;;) {
          if (j >= len) return eof ? 'slow' : 'more';
          const b = buf[j]!;
          if (b === QUOTE) {
            if (j + 1 >= len && !eof) return 'more';
            if (buf[j + 1] === QUOTE) {
              doubled = true;
              j += 2;
              prevCr = false;
              continue;
            }
            break;
          }
          if (b === LF) {
            if (!prevCr) nl++;
            prevCr = false;
          } else if (b === CR) {
            nl++;
            prevCr = true;
          } else prevCr = false;
          j++;
        }
        // j is the closing quote; the field must end right after it.
        const after = j + 1;
        if (after < len) {
          const a = buf[after]!;
          if (a !== COMMA && a !== LF && a !== CR) return 'slow';
        } else if (!eof) return 'more';
        if (field < nw && w[field] === 1) {
          spans.start[field] = start + 1;
          spans.end[field] = j;
          spans.quoted[field] = doubled ? 2 : 1;
        }
        i = after;
      } else {
        // Plain bytes by one table look-up each; the field ends at the first special one.
        while (i < len && SPECIAL[buf[i]!] === 0) i++;
        if (i < len && buf[i] === QUOTE) return 'slow';
        if (i >= len && !eof) return 'more';
        if (field < nw && w[field] === 1) {
          spans.start[field] = start;
          spans.end[field] = i;
          spans.quoted[field] = 0;
        }
      }
      field++;
      if (i >= len) {
        recordEnd = i;
        breaks = nl;
        endsCr = false;
        break;
      }
      const d = buf[i]!;
      if (d === COMMA) {
        i++;
        prevCr = false;
        continue;
      }
      if (d === CR) {
        if (i + 1 >= len && !eof) return 'more';
        recordEnd = buf[i + 1] === LF ? i + 2 : i + 1;
        endsCr = recordEnd === i + 1;
      } else {
        recordEnd = i + 1;
        endsCr = false;
      }
      breaks = nl + 1;
      break;
    }
    fieldCount = field;
    return 'ok';
  };

  /**
   * The record at `pos` read by the reference tokenizer from its text (its end found by `endOfRecord`, reading on
   * when the buffer ends inside it). A quote never closed before the end of the file is refused naming its line.
   */
  const slowRecord = async (recordLine: number): Promise<(string | undefined)[]> => {
    let end = endOfRecord(buf, pos, len, eof);
    while (end < 0) {
      await fill();
      end = endOfRecord(buf, pos, len, eof);
    }
    let fields: (string | undefined)[] = [];
    let count = -1;
    const t = new CsvTokenizer((f, n) => {
      if (count < 0) {
        fields = f;
        count = n;
      }
    });
    t.push(decoder.decode(buf.subarray(pos, end)));
    try {
      t.end();
    } catch (err) {
      const at = err instanceof StatsError ? err.details?.line : undefined;
      if (typeof at !== 'number') throw err;
      const line0 = recordLine + at - 1;
      throw new StatsError(
        'BAD_INPUT',
        `数据文件第 ${line0} 行开始的带引号字段直到文件末尾都没有结束引号(少了一个 ")`,
        { line: line0 },
      );
    }
    fieldCount = Math.max(count, 0);
    let nl = 0;
    let prev = lastCr;
    for (let k = pos; k < end; k++) {
      const c = buf[k]!;
      if (c === LF) {
        if (!prev) nl++;
        prev = false;
      } else if (c === CR) {
        nl++;
        prev = true;
      } else prev = false;
    }
    breaks = nl;
    endsCr = prev;
    recordEnd = end;
    return fields;
  };

  let row = 0;
  const numbers = new Map<string, NumberColumn>();
  const labels = new Map<string, LabelColumn>();
  const interner = new ByteInterner(decoder);
  /** The wanted fields by kind, each with its header index, in header order (a bad number: the first one's). */
  const numberAt: { j: number; col: NumberColumn; name: string }[] = [];
  const labelAt: { j: number; col: LabelColumn }[] = [];

  let resolved: ColumnRequest[] = [];
  const takeHeader = (fields: (string | undefined)[]) => {
    header = fields.map((f) => (f ?? '').trim());
    const seen = new Map<string, number>();
    header.forEach((h, j) => {
      if (h === '') return;
      const first = seen.get(h);
      if (first !== undefined) {
        throw new StatsError(
          'BAD_INPUT',
          `表头中列名「${h}」重复(第 ${first + 1} 列和第 ${j + 1} 列):无法确定用哪一列,请改名后再试`,
          { column: h },
        );
      }
      seen.set(h, j);
    });
    const kinds = new Map<string, ColumnKind>();
    resolved = [...(typeof requests === 'function' ? requests(header) : requests)];
    for (const r of resolved) {
      // A column asked for both ways is kept as labels: @kesu/stats converts labels to numbers itself.
      if (kinds.get(r.name) !== 'label') kinds.set(r.name, r.kind);
    }
    const n = header.length;
    wanted = new Uint8Array(n);
    spans = { start: new Int32Array(n), end: new Int32Array(n), quoted: new Uint8Array(n) };
    for (const [name, kind] of kinds) {
      const j = seen.get(name) ?? -1;
      if (j < 0) throw new StatsError('MISSING_COLUMN', `数据中缺少列「${name}」`, { column: name });
      wanted[j] = 1;
      if (kind === 'number') {
        const col = new NumberColumn();
        numbers.set(name, col);
        numberAt.push({ j, col, name });
      } else {
        const col = new LabelColumn(interner);
        labels.set(name, col);
        labelAt.push({ j, col });
      }
    }
    numberAt.sort((a, b) => a.j - b.j);
  };

  const numberFromText = (raw: string, name: string): number => {
    const t = raw.trim();
    if (isMissingText(t)) return Number.NaN;
    const x = Number(t);
    if (!Number.isFinite(x)) {
      throw name === opts.weightColumn
        ? new StatsError('BAD_WEIGHT', `第 ${row} 行的权数「${t}」不是数字`, { row, value: t })
        : new StatsError('BAD_INPUT', `列「${name}」第 ${row} 行的值「${t}」不是数字`, {
            column: name,
            row,
            value: t,
          });
    }
    return x;
  };

  const checkCount = (recordLine: number) => {
    const expected = header!.length;
    if (fieldCount !== expected) {
      throw new StatsError(
        'BAD_INPUT',
        `数据文件第 ${recordLine} 行(第 ${row} 条数据)${fieldCount < expected ? '只' : ''}有 ${fieldCount} 个字段,表头有 ${expected} 个:${fieldCount < expected ? '这一行缺了字段(行被截断、少了逗号,或引号不成对)' : '多出的字段可能来自没有加引号的逗号,或引号不成对'}`,
        { line: recordLine, row, fields: fieldCount, expected },
      );
    }
  };

  /** The wanted fields of a fast-path record, from their spans. */
  const takeSpans = () => {
    const b = buf;
    const { start, end, quoted } = spans;
    for (let k = 0; k < numberAt.length; k++) {
      const { j, col, name } = numberAt[k]!;
      const s = start[j]!;
      const e = end[j]!;
      const q = quoted[j]!;
      const x = q === 2 ? Number.NaN : plainDecimal(b, s, e);
      col.push(!Number.isNaN(x) ? x : numberFromText(fieldText(b, s, e, q, decoder), name));
    }
    for (let k = 0; k < labelAt.length; k++) {
      const { j, col } = labelAt[k]!;
      const s = start[j]!;
      const e = end[j]!;
      if (e === s || (e - s === 2 && b[s] === 78 && b[s + 1] === 65)) col.pushMissing();
      else if (quoted[j] === 2) col.pushText(fieldText(b, s, e, 2, decoder));
      else col.pushBytes(b, s, e);
    }
  };

  /** The wanted fields of a record read by the tokenizer. */
  const takeFields = (fields: (string | undefined)[]) => {
    for (const { j, col, name } of numberAt) col.push(numberFromText(fields[j] ?? '', name));
    for (const { j, col } of labelAt) {
      const f = fields[j];
      if (f === undefined || isMissingText(f)) col.pushMissing();
      else col.pushText(f);
    }
  };

  /** Records until the end of the file, or until the split ('split'). */
  const readRecords = async (): Promise<'end' | 'split'> => {
    for (;;) {
      if (pos >= len) {
        if (eof) return 'end';
        if (offset === limit) return 'split';
      }
      const recordLine = line;
      let r = scan();
      while (r === 'more') {
        await fill();
        r = scan();
      }
      let fields: (string | undefined)[] | null = null;
      if (r === 'slow') fields = await slowRecord(recordLine);
      if (r !== 'blank') {
        if (header === null) {
          if (fields === null) {
            // The header: every field, read by the tokenizer from its text (names are few).
            const t = new CsvTokenizer((f) => {
              fields = f;
            });
            t.push(decoder.decode(buf.subarray(pos, recordEnd)));
            t.end();
          }
          takeHeader(fields ?? []);
          await startSecondHalf(recordEnd);
        } else {
          row++;
          checkCount(recordLine);
          if (fields === null) takeSpans();
          else takeFields(fields);
        }
      }
      line += breaks;
      lastCr = endsCr;
      pos = recordEnd;
    }
  };

  /** After the header: with a large file, a worker for the part after a line break near the middle. */
  const startSecondHalf = async (headerEnd: number) => {
    const from = opts.twoThreadsFrom ?? 32 << 20;
    if (input.size < from || header === null) return;
    // The header's end in the file: `offset` is where the buffer's end lies.
    const afterHeader = offset - (len - headerEnd);
    const split = await lineStartAfter(fd, Math.max(afterHeader, Math.floor(input.size / 2)));
    if (split <= afterHeader || split >= input.size) return;
    if (offset > split) {
      // The buffer already holds bytes past the split (a small file): they are the worker's.
      len -= offset - split;
      offset = split;
      eof = false;
    }
    limit = split;
    second = readInWorker({
      file: input.file,
      encoding: input.encoding,
      start: split,
      header,
      requests: resolved,
      weightColumn: opts.weightColumn,
      chunkBytes: opts.chunkBytes,
    });
  };

  if (input.header !== null) {
    header = input.header;
    takeHeader(input.header);
  }
  let ended: 'end' | 'split';
  try {
    ended = await readRecords();
  } catch (err) {
    (second as ReturnType<typeof readInWorker> | null)?.cancel();
    throw err;
  }
  let threads: 1 | 2 = 1;
  if (ended === 'split') {
    const answer = second ? await (second as ReturnType<typeof readInWorker>).answer : { ok: false as const };
    if (answer.ok) {
      for (const [name, col] of numbers) col.append(answer.columns[name] as Float64Array);
      for (const [name, col] of labels) col.append(answer.columns[name] as CodedLabels);
      row += answer.rows;
      threads = 2;
    } else {
      // The worker could not read its part: read it here, where rows and lines are numbered from the start.
      limit = Number.POSITIVE_INFINITY;
      await readRecords();
    }
  }
  if (header === null) throw new StatsError('BAD_INPUT', '数据文件为空（没有表头）');
  const columns: Record<string, ReadColumn> = {};
  for (const [name, col] of numbers) columns[name] = col.done();
  for (const [name, col] of labels) columns[name] = col.done();
  return { rows: row, columns, header: header as string[], threads };
}

/** A field's text: decoded, with doubled quotes undone when it had them. */
function fieldText(b: Buffer, start: number, end: number, quoted: number, decoder: TextDecoder): string {
  const t = decoder.decode(b.subarray(start, end));
  return quoted === 2 ? t.replaceAll('""', '"') : t;
}

/**
 * The end (after its line break) of the record starting at `start`, following quotes as `CsvTokenizer` does (a quote
 * opens quoted text only where its field has no plain text yet; a doubled quote inside stays inside), or -1 when
 * the buffer ends first and more of the file is to come. At the end of the file the record ends there.
 */
function endOfRecord(b: Buffer, start: number, len: number, eof: boolean): number {
  let inQuotes = false;
  let plain = false;
  for (let i = start; i < len; i++) {
    const c = b[i]!;
    if (inQuotes) {
      if (c === QUOTE) {
        if (i + 1 >= len && !eof) return -1;
        if (b[i + 1] === QUOTE) i++;
        else inQuotes = false;
      }
    } else if (c === COMMA) plain = false;
    else if (c === LF) return i + 1;
    else if (c === CR) {
      if (i + 1 >= len && !eof) return -1;
      return b[i + 1] === LF ? i + 2 : i + 1;
    } else if (c === QUOTE && !plain) inQuotes = true;
    else plain = true;
  }
  return eof ? len : -1;
}
