import fs from 'node:fs';
import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';

/**
 * Test factory: real PDFs made from the text of a fixture with pdfkit and a CJK font, laid out like published plans
 * (A4, 3号-ish type, page numbers "— n —" at the foot, optionally a running header and two columns), so the PDF
 * reader is tested on what it meets: lines broken inside words and sentences, page breaks inside sentences,
 * tables as positioned cells. Also a scan (an image, no text) and an encrypted PDF.
 */

/** CJK fonts Debian installs (.ci/run installs fonts-wqy-zenhei), with the face to use inside a collection. */
const FONTS: ReadonlyArray<{ file: string; face?: string }> = [
  { file: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', face: 'WenQuanYiZenHei' },
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { file: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf' },
];

function cjkFont(): { file: string; face?: string } {
  const font = FONTS.find((f) => fs.existsSync(f.file));
  if (!font) throw new Error('making a test PDF needs a CJK font: apt-get install fonts-wqy-zenhei');
  return font;
}

export interface PdfLayout {
  /** Font size in points (16 ≈ 三号). */
  fontSize?: number;
  /** Text columns per page. */
  columns?: 1 | 2;
  /** A running header printed at the top of every page after the first. */
  header?: string;
  /** Page numbers "— n —" at the foot of every page (default true). */
  pageNumbers?: boolean;
  /** A password needed to open the PDF. */
  userPassword?: string;
}

function finish(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/**
 * A PDF of `text`: each line of the text a paragraph, wrapped at the column width character by character (as
 * Chinese typesetting does, so words and numbers break across lines); a line with tabs is a table row, its cells
 * at fixed positions. Returns the PDF bytes.
 */
export async function makePdf(text: string, layout: PdfLayout = {}): Promise<Buffer> {
  const size = layout.fontSize ?? 16;
  const columns = layout.columns ?? 1;
  const margin = { top: 72, bottom: 80, left: 70, right: 70 };
  const gutter = 28;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    ...(layout.userPassword ? { userPassword: layout.userPassword, ownerPassword: 'kesu-owner' } : {}),
  });
  const font = cjkFont();
  doc.registerFont('cjk', font.file, font.face);
  doc.font('cjk');
  const width = 595.28;
  const height = 841.89;
  const colWidth = (width - margin.left - margin.right - (columns - 1) * gutter) / columns;
  const lineHeight = size * 1.5;
  let page = 0;
  let column = 0;
  let y = 0;
  const newPage = (): void => {
    doc.addPage({ size: 'A4', margin: 0 });
    page++;
    column = 0;
    y = margin.top;
    if (layout.header && page > 1) {
      doc.fontSize(10.5).text(layout.header, margin.left, 40, { lineBreak: false });
    }
    if (layout.pageNumbers !== false) {
      const label = `— ${page} —`;
      doc.fontSize(14);
      doc.text(label, (width - doc.widthOfString(label)) / 2, height - 50, { lineBreak: false });
    }
    doc.fontSize(size);
  };
  const nextLine = (): void => {
    y += lineHeight;
    if (y + size > height - margin.bottom) {
      if (column + 1 < columns) {
        column++;
        y = margin.top;
      } else newPage();
    }
  };
  const x0 = (): number => margin.left + column * (colWidth + gutter);
  /** Advance width of each character at the body size (measured once: this is what makes long PDFs quick). */
  const widths = new Map<string, number>();
  newPage();
  for (const line of text.split('\n')) {
    if (line.includes('\t')) {
      // A table row: cells at equal widths, in a smaller size so each fits on its line.
      const cells = line.split('\t');
      const cellWidth = colWidth / cells.length;
      const longest = Math.max(...cells.map((c) => c.length), 1);
      // Two characters of padding between cells, as a ruled table has.
      const cellSize = Math.min(size, Math.max(5, cellWidth / (longest + 2.5)));
      doc.fontSize(cellSize);
      cells.forEach((cell, i) => {
        if (cell) doc.text(cell, x0() + i * cellWidth, y, { lineBreak: false });
      });
      doc.fontSize(size);
      nextLine();
      continue;
    }
    if (line.trim() === '') continue;
    let current = '';
    let used = 0;
    for (const ch of line) {
      let w = widths.get(ch);
      if (w === undefined) {
        w = doc.widthOfString(ch);
        widths.set(ch, w);
      }
      if (current && used + w > colWidth) {
        doc.text(current, x0(), y, { lineBreak: false });
        nextLine();
        current = '';
        used = 0;
      }
      current += ch;
      used += w;
    }
    if (current) {
      doc.text(current, x0(), y, { lineBreak: false });
      nextLine();
    }
  }
  return finish(doc);
}

/** A PNG image (grey stripes), for a PDF that is only a picture of a page. */
function stripesPng(w: number, h: number): Buffer {
  const rows: Buffer[] = [];
  for (let r = 0; r < h; r++) {
    const row = Buffer.alloc(w + 1);
    for (let c = 0; c < w; c++) row[c + 1] = (r >> 3) % 2 === 0 || c % 17 < 3 ? 40 : 235;
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A "scanned" PDF: every page an image, no text layer at all. */
export async function makeScannedPdf(pages = 3): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false });
  const png = stripesPng(400, 560);
  for (let i = 0; i < pages; i++) {
    doc.addPage({ size: 'A4', margin: 0 });
    doc.image(png, 40, 40, { width: 515 });
  }
  return finish(doc);
}
