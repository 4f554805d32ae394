import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/**
 * Columnar microdata: numbers in a Float64Array (NaN = missing), categories as Int32 codes into a level list
 * (-1 = missing). Stored one row per column in survey_wave_columns as gzip → base64 text, so a backup of the
 * database carries the microdata and both engines store it the same way.
 * Measured on 1,000,000 synthetic respondents (bench/survey.bench.ts prints it): see docs/ARCHITECTURE.md.
 */

export interface NumericColumn {
  kind: 'num';
  values: Float64Array;
}

export interface CategoryColumn {
  kind: 'cat';
  codes: Int32Array;
  levels: string[];
}

export type StoredColumn = NumericColumn | CategoryColumn;

/** Grows a Float64Array as rows arrive. */
export class NumericBuilder {
  private buf = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  finish(): NumericColumn {
    return { kind: 'num', values: this.buf.slice(0, this.length) };
  }
}

/** Codes categories in order of first appearance as rows arrive; '' is missing. */
export class CategoryBuilder {
  private buf = new Int32Array(1024);
  private readonly index = new Map<string, number>();
  readonly levels: string[] = [];
  length = 0;
  /** Returns the code given to `label` (-1 for missing). */
  push(label: string): number {
    let code = -1;
    if (label !== '') {
      const known = this.index.get(label);
      if (known === undefined) {
        code = this.levels.length;
        this.index.set(label, code);
        this.levels.push(label);
      } else code = known;
    }
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = code;
    return code;
  }
  finish(): CategoryColumn {
    return { kind: 'cat', codes: this.buf.slice(0, this.length), levels: this.levels };
  }
}

export const COLUMN_ENCODING = 'typed-le-gzip-base64';

/** Little-endian bytes of a typed array (every platform Node runs on is little-endian; checked at decode). */
function bytesOf(a: Float64Array | Int32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Compress a column on libuv's thread pool, so a million-row wave does not hold the event loop. */
export async function encodeColumn(col: StoredColumn): Promise<{
  kind: string;
  levelsJson: string | null;
  n: number;
  data: string;
}> {
  const arr = col.kind === 'num' ? col.values : col.codes;
  return {
    kind: col.kind,
    levelsJson: col.kind === 'cat' ? JSON.stringify(col.levels) : null,
    n: arr.length,
    data: (await gzipAsync(bytesOf(arr), { level: 6 })).toString('base64'),
  };
}

export function decodeColumn(row: {
  kind: string;
  levels_json: string | null;
  n: number;
  data: string;
  encoding: string;
}): StoredColumn {
  if (row.encoding !== COLUMN_ENCODING) throw new Error(`unknown microdata encoding ${row.encoding}`);
  const raw = gunzipSync(Buffer.from(row.data, 'base64'));
  // Copy into a fresh, aligned buffer.
  const bytes = new Uint8Array(raw.byteLength);
  bytes.set(raw);
  if (row.kind === 'num') {
    const values = new Float64Array(bytes.buffer);
    if (values.length !== row.n) throw new Error('microdata column length mismatch');
    return { kind: 'num', values };
  }
  const codes = new Int32Array(bytes.buffer);
  if (codes.length !== row.n) throw new Error('microdata column length mismatch');
  return { kind: 'cat', codes, levels: JSON.parse(row.levels_json ?? '[]') as string[] };
}

/** Labels of a category column as the estimation engine takes them (null = missing). */
export function labelsOf(col: CategoryColumn): (string | null)[] {
  const out: (string | null)[] = new Array(col.codes.length);
  for (let i = 0; i < col.codes.length; i++) {
    const c = col.codes[i]!;
    out[i] = c < 0 ? null : col.levels[c]!;
  }
  return out;
}
