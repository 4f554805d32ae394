import zlib from 'node:zlib';

/**
 * Zip archives for tests and benchmarks, bombs included: an entry is given either as its bytes, or as `repeat`
 * (a chunk written `times` times, deflated as a stream so a 600 MB entry never exists in memory). `declaredSize`
 * lies about the inflated size in the directory (what a crafted file does).
 */
export interface ZipEntrySpec {
  name: string;
  data?: Buffer;
  repeat?: { chunk: Buffer; times: number };
  declaredSize?: number;
  stored?: boolean;
}

async function deflateEntry(e: ZipEntrySpec): Promise<{ body: Buffer; size: number; crc: number }> {
  if (e.data) {
    const body = e.stored ? e.data : zlib.deflateRawSync(e.data, { level: 9 });
    return { body, size: e.data.length, crc: zlib.crc32(e.data) };
  }
  const { chunk, times } = e.repeat ?? { chunk: Buffer.alloc(0), times: 0 };
  const deflate = zlib.createDeflateRaw({ level: 9, memLevel: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  let crc = 0;
  for (let i = 0; i < times; i++) {
    crc = zlib.crc32(chunk, crc);
    if (!deflate.write(chunk)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  return { body: Buffer.concat(out), size: chunk.length * times, crc };
}

/** A zip (deflate, or stored with `stored`) holding `entries` in order. */
export async function makeZip(entries: ZipEntrySpec[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const { body, size, crc } = await deflateEntry(e);
    const name = Buffer.from(e.name);
    const declared = e.declaredSize ?? size;
    const method = e.stored ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt32LE(crc >>> 0, 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(declared, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(c, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

const CONTENT_TYPES = (parts: string) =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${parts}</Types>`,
  );

/** A .docx whose word/document.xml inflates to about `mb` MB of paragraphs (the 100 MB bomb). */
export function docxBomb(mb: number, opts: { declaredSize?: number } = {}): Promise<Buffer> {
  const para = Buffer.from('<w:p><w:r><w:t>一、科学素质</w:t></w:r></w:p>'.repeat(1000));
  const times = Math.ceil((mb * 1024 * 1024) / para.length);
  return makeZip([
    {
      name: '[Content_Types].xml',
      data: CONTENT_TYPES(
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
      ),
    },
    {
      name: '_rels/.rels',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ),
    },
    {
      name: 'word/document.xml',
      repeat: { chunk: para, times },
      ...(opts.declaredSize !== undefined ? { declaredSize: opts.declaredSize } : {}),
    },
  ]);
}

/** An .xlsx whose xl/sharedStrings.xml inflates to about `mb` MB (the 300 MB template, 600 MB survey). */
export function xlsxBomb(mb: number, opts: { declaredSize?: number } = {}): Promise<Buffer> {
  const si = Buffer.from('<si><t>泉山区科学素质调查</t></si>'.repeat(1000));
  const times = Math.ceil((mb * 1024 * 1024) / si.length);
  return makeZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES('') },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="填报" sheetId="1"/></sheets></workbook>',
      ),
    },
    {
      name: 'xl/sharedStrings.xml',
      repeat: { chunk: si, times },
      ...(opts.declaredSize !== undefined ? { declaredSize: opts.declaredSize } : {}),
    },
  ]);
}
