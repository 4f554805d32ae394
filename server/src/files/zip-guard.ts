import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * Zip-bomb guard for office files (.docx, .xlsx), run before any parser sees them. A parser trusts the archive: a
 * 356 KB .docx inflating to 100 MB took the server to 4 GB. Here the central directory is read first (entry count,
 * declared sizes, per-entry and total caps, no ZIP64, only stored/deflate), then every entry is actually inflated
 * through a streaming counter that stops at its declared size, so an archive that lies about its sizes is refused
 * after at most `maxTotalBytes` of inflation, with a few KB of memory.
 */

export interface ZipLimits {
  /** Most entries (parts) in the archive. */
  maxEntries: number;
  /** Most bytes one entry may inflate to, unless a rule in `entryCaps` names it. */
  maxEntryBytes: number;
  /** Most bytes all entries together may inflate to. */
  maxTotalBytes: number;
  /** Tighter caps for named parts (e.g. xl/sharedStrings.xml, which readers hold in memory). */
  entryCaps?: ReadonlyArray<{ pattern: RegExp; maxBytes: number }>;
}

/** Why an archive was refused: `kind` for programs, the message in Chinese for people. */
export class ZipRefused extends Error {
  constructor(
    readonly kind: 'not-zip' | 'too-many-entries' | 'too-large' | 'lying-size' | 'unsupported',
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Reads bytes at an offset of a buffer or a file. */
interface Source {
  length: number;
  read(offset: number, length: number): Promise<Buffer>;
  stream(start: number, length: number): Readable;
}

function bufferSource(buf: Uint8Array): Source {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return {
    length: b.length,
    read: async (offset, length) => b.subarray(offset, Math.min(b.length, offset + length)),
    stream: (start, length) => Readable.from([b.subarray(start, start + length)]),
  };
}

async function fileSource(file: string): Promise<Source & { close(): Promise<void> }> {
  const fh = await fs.promises.open(file, 'r');
  const { size } = await fh.stat();
  return {
    length: size,
    read: async (offset, length) => {
      const n = Math.max(0, Math.min(length, size - offset));
      const out = Buffer.alloc(n);
      if (n > 0) await fh.read(out, 0, n, offset);
      return out;
    },
    stream: (start, length) =>
      length > 0 ? fs.createReadStream(file, { start, end: start + length - 1 }) : Readable.from([]),
    close: () => fh.close(),
  };
}

const MB = 1024 * 1024;
const fmtMb = (n: number) => `${Math.round((n / MB) * 10) / 10} MB`;

/** The central directory: every entry with its declared sizes. */
async function readDirectory(src: Source, limits: ZipLimits): Promise<ZipEntry[]> {
  const notZip = () => new ZipRefused('not-zip', '文件不是有效的压缩格式（Office 文档应为 zip 格式）');
  const tailLen = Math.min(src.length, 22 + 0xffff);
  const tail = await src.read(src.length - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notZip();
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    throw new ZipRefused('unsupported', '不支持 ZIP64 格式的压缩文件');
  }
  if (count > limits.maxEntries) {
    throw new ZipRefused(
      'too-many-entries',
      `压缩文件包含 ${count} 个部件，超过 ${limits.maxEntries} 个上限`,
      {
        entries: count,
        limitEntries: limits.maxEntries,
      },
    );
  }
  if (cdOffset + cdSize > src.length) throw notZip();
  const cd = await src.read(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  let total = 0;
  while (p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50) {
    const nameLen = cd.readUInt16LE(p + 28);
    const e: ZipEntry = {
      method: cd.readUInt16LE(p + 10),
      compressedSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      name: cd.toString('utf8', p + 46, p + 46 + nameLen),
      localOffset: cd.readUInt32LE(p + 42),
    };
    p += 46 + nameLen + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    if (entries.length >= limits.maxEntries) {
      throw new ZipRefused('too-many-entries', `压缩文件包含的部件超过 ${limits.maxEntries} 个上限`, {
        limitEntries: limits.maxEntries,
      });
    }
    checkEntrySize(e.name, e.size, limits);
    total += e.size;
    if (total > limits.maxTotalBytes) throw tooLarge(total, limits.maxTotalBytes);
    entries.push(e);
  }
  if (entries.length !== count) throw notZip();
  return entries;
}

function tooLarge(bytes: number, limit: number, name?: string): ZipRefused {
  return new ZipRefused(
    'too-large',
    `文件解压后${name ? `（部件 ${name}）` : ''}超过 ${fmtMb(limit)} 上限，可能是恶意构造的压缩文件，已拒绝`,
    { inflatedBytes: bytes, limitBytes: limit, ...(name ? { entry: name } : {}) },
  );
}

function capOf(name: string, limits: ZipLimits): number {
  return limits.entryCaps?.find((c) => c.pattern.test(name))?.maxBytes ?? limits.maxEntryBytes;
}

function checkEntrySize(name: string, size: number, limits: ZipLimits): void {
  const cap = capOf(name, limits);
  if (size > cap) throw tooLarge(size, cap, name);
}

/** Inflate one entry through a counter; stops (and refuses) past its declared size. Returns the bytes inflated. */
async function inflatedSize(src: Source, e: ZipEntry): Promise<number> {
  const local = await src.read(e.localOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) {
    throw new ZipRefused('not-zip', '压缩文件已损坏（部件位置不符）');
  }
  const start = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (start + e.compressedSize > src.length) throw new ZipRefused('not-zip', '压缩文件已损坏（部件被截断）');
  if (e.method === 0) {
    if (e.compressedSize !== e.size) throw lying(e);
    return e.size;
  }
  if (e.method !== 8) {
    throw new ZipRefused('unsupported', `压缩文件使用了不支持的压缩方式（${e.method}）`, {
      method: e.method,
    });
  }
  return new Promise<number>((resolve, reject) => {
    const input = src.stream(start, e.compressedSize);
    const inflate = zlib.createInflateRaw();
    let n = 0;
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      input.destroy();
      inflate.destroy();
      reject(err);
    };
    inflate.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (n > e.size) fail(lying(e));
    });
    inflate.on('end', () => {
      if (done) return;
      done = true;
      if (n !== e.size) reject(lying(e));
      else resolve(n);
    });
    inflate.on('error', () => fail(new ZipRefused('not-zip', `压缩文件已损坏（部件 ${e.name} 无法解压）`)));
    input.on('error', fail);
    input.pipe(inflate);
  });
}

function lying(e: ZipEntry): ZipRefused {
  return new ZipRefused(
    'lying-size',
    `压缩文件的部件 ${e.name} 实际解压大小与声明不符，可能是恶意构造的压缩文件，已拒绝`,
    {
      entry: e.name,
      declaredBytes: e.size,
    },
  );
}

async function check(src: Source, limits: ZipLimits): Promise<ZipEntry[]> {
  const entries = await readDirectory(src, limits);
  for (const e of entries) await inflatedSize(src, e);
  return entries;
}

/** Check an archive in memory; resolves with its entries or rejects with a ZipRefused. */
export function checkZipBuffer(buf: Uint8Array, limits: ZipLimits): Promise<ZipEntry[]> {
  return check(bufferSource(buf), limits);
}

/** Check an archive on disk (read by ranges; never loaded whole). */
export async function checkZipFile(file: string, limits: ZipLimits): Promise<ZipEntry[]> {
  const src = await fileSource(file);
  try {
    return await check(src, limits);
  } finally {
    await src.close();
  }
}

/** Limits of the office files kesu reads. Real files are far below them (a plan .docx: a few MB inflated). */
export const ZIP_LIMITS = {
  /** A plan document (.docx, or what LibreOffice made of a .doc/.wps). */
  docx: { maxEntries: 2000, maxEntryBytes: 32 * MB, maxTotalBytes: 128 * MB },
  /** A reporting template (.xlsx) kesu made: a few hundred rows. */
  template: {
    maxEntries: 200,
    maxEntryBytes: 16 * MB,
    maxTotalBytes: 48 * MB,
  },
  /** Survey microdata (.xlsx): worksheets are streamed, but shared strings and styles are held in memory. */
  surveyXlsx: {
    maxEntries: 500,
    maxEntryBytes: 48 * MB,
    maxTotalBytes: 1536 * MB,
    entryCaps: [
      { pattern: /^xl\/worksheets\//i, maxBytes: 1024 * MB },
      { pattern: /.*/, maxBytes: 48 * MB },
    ],
  },
} satisfies Record<string, ZipLimits>;
