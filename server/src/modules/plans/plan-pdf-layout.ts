/**
 * PDF text items → plain text in reading order. Pure: the items come from plan-pdf.worker.ts (pdf.js text content,
 * positions in PDF points, y up). What it does that a plain join of the items does not:
 * - reading order: lines top to bottom; two columns read left column first, then right (a gutter found per page;
 *   a line spanning the gutter, such as a title, cuts the page into bands read in turn);
 * - table rows: items of one line far apart become cells separated by tabs, which the parser reads as a table;
 * - page furniture: page numbers ("— 3 —", "-3-", "第3页") and lines repeated at the top or bottom of most pages
 *   (running headers and footers) are dropped.
 */

/** One text run: `x`,`y` of its baseline start, `w` its advance width, `h` its font size (all in points). */
export interface PdfItem {
  s: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One page: its size and its text runs. */
export interface PdfPage {
  width: number;
  height: number;
  items: PdfItem[];
}

interface Line {
  y: number;
  h: number;
  x0: number;
  x1: number;
  items: PdfItem[];
}

const PAGE_NUMBER =
  /^(?:[-—–_~·•*\s]*\d{1,4}[-—–_~·•*\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*\/\s*\d{1,4})$/;

/** Groups items into lines: same baseline within half a font size. Lines top to bottom, items left to right. */
function toLines(items: readonly PdfItem[]): Line[] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Line[] = [];
  for (const it of sorted) {
    const last = lines[lines.length - 1];
    if (last && Math.abs(last.y - it.y) <= Math.max(2, 0.5 * Math.min(last.h, it.h || last.h))) {
      last.items.push(it);
      last.x0 = Math.min(last.x0, it.x);
      last.x1 = Math.max(last.x1, it.x + it.w);
      last.h = Math.max(last.h, it.h);
    } else lines.push({ y: it.y, h: it.h, x0: it.x, x1: it.x + it.w, items: [it] });
  }
  for (const l of lines) l.items.sort((a, b) => a.x - b.x);
  return lines;
}

/** The text of a line: runs joined, a space for a small gap, a tab for a gap of 1.5 characters or more (cells). */
function lineText(line: Line): string {
  let out = '';
  let end: number | null = null;
  for (const it of line.items) {
    if (end !== null) {
      const gap = it.x - end;
      const size = it.h || line.h || 10;
      if (gap > 1.5 * size) out += '\t';
      else if (gap > 0.25 * size) out += ' ';
    }
    out += it.s;
    end = Math.max(end ?? 0, it.x + it.w);
  }
  return out.replace(/\s+$/, '');
}

/**
 * The x of a column gutter: a vertical band in the middle of the page that no item crosses while many lines have
 * text on both sides of it. Null for a one-column page.
 */
function findGutter(items: readonly PdfItem[], width: number): number | null {
  if (items.length < 8 || width <= 0) return null;
  const step = 2;
  const bins = Math.ceil(width / step) + 1;
  const cover = new Uint16Array(bins);
  for (const it of items) {
    const from = Math.max(0, Math.floor(it.x / step));
    const to = Math.min(bins - 1, Math.ceil((it.x + it.w) / step));
    for (let i = from; i < to; i++) cover[i] = (cover[i] ?? 0) + 1;
  }
  // Items that span the whole middle (a title over both columns) are allowed to cross: count only a few.
  const allowed = Math.max(1, Math.floor(items.length * 0.04));
  let best: { center: number; size: number } | null = null;
  let runStart = -1;
  for (let i = Math.floor((0.3 * width) / step); i <= Math.ceil((0.7 * width) / step); i++) {
    if ((cover[i] ?? 0) <= allowed) {
      if (runStart < 0) runStart = i;
      const size = (i - runStart + 1) * step;
      if (!best || size > best.size) best = { center: ((runStart + i + 1) / 2) * step, size };
    } else runStart = -1;
  }
  if (!best || best.size < 8) return null;
  const g = best.center;
  const left = items.filter((it) => it.x + it.w <= g).length;
  const right = items.filter((it) => it.x >= g).length;
  return left >= items.length * 0.2 && right >= items.length * 0.2 ? g : null;
}

/** The lines of one page in reading order. */
function pageLines(page: PdfPage): Line[] {
  const items = page.items.filter((it) => it.s.trim() !== '');
  const gutter = findGutter(items, page.width);
  if (gutter === null) return toLines(items);
  const spanning = toLines(items.filter((it) => it.x < gutter && it.x + it.w > gutter));
  const left = items.filter((it) => it.x + it.w <= gutter);
  const right = items.filter((it) => it.x >= gutter);
  // Bands between spanning lines, top to bottom: each band's left column, then its right column.
  const cuts = [Number.POSITIVE_INFINITY, ...spanning.map((l) => l.y), Number.NEGATIVE_INFINITY];
  const out: Line[] = [];
  for (let b = 0; b + 1 < cuts.length; b++) {
    const top = cuts[b] ?? 0;
    const bottom = cuts[b + 1] ?? 0;
    const inBand = (it: PdfItem): boolean => it.y < top && it.y > bottom;
    out.push(...toLines(left.filter(inBand)), ...toLines(right.filter(inBand)));
    const cut = spanning[b];
    if (cut) out.push(cut);
  }
  return out;
}

/** A page number line, or a line repeated at the same edge of at least half the pages (two or more). */
function furniture(
  pages: ReadonlyArray<{ page: PdfPage; lines: Line[] }>,
): (line: Line, page: PdfPage) => boolean {
  const topLine = (page: PdfPage): Line | undefined => {
    const laid = pages.find((p) => p.page === page);
    let top: Line | undefined;
    for (const l of laid?.lines ?? []) if (!top || l.y > top.y) top = l;
    return top;
  };
  const edge = (line: Line, page: PdfPage): 'top' | 'bottom' | null =>
    line.y > page.height * 0.9 ? 'top' : line.y < page.height * 0.1 ? 'bottom' : null;
  const counts = new Map<string, number>();
  const key = (line: Line, page: PdfPage): string | null => {
    const where = edge(line, page);
    return where ? `${where}:${lineText(line).replace(/\d+/g, '#').replace(/\s+/g, '')}` : null;
  };
  for (const { page, lines } of pages) {
    const seen = new Set<string>();
    for (const line of lines) {
      const k = key(line, page);
      if (k && !seen.has(k)) {
        seen.add(k);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
  }
  // On every page but the first (a running header usually skips the title page), or on half of many pages.
  const repeated = Math.max(2, Math.ceil((pages.length - 1) / 2));
  const sizes = pages.flatMap(({ lines }) => lines.map((l) => l.h)).sort((a, b) => a - b);
  const bodySize = sizes[Math.floor(sizes.length / 2)] ?? 0;
  return (line, page) => {
    const text = lineText(line).trim();
    if (PAGE_NUMBER.test(text) && (edge(line, page) !== null || text.length <= 8)) return true;
    const k = key(line, page);
    if (k !== null && (counts.get(k) ?? 0) >= repeated) return true;
    // A running header in small type above the text of a page after the first, even when seen only once.
    return (
      page !== pages[0]?.page &&
      edge(line, page) === 'top' &&
      line.h < bodySize * 0.85 &&
      line === topLine(page)
    );
  };
}

/**
 * The text of a PDF from its pages' text items: one line per printed line, in reading order, page furniture
 * dropped, pages joined by a newline (the parser joins a sentence broken by a page break).
 */
export function pdfPagesToText(pages: readonly PdfPage[]): string {
  const laid = pages.map((page) => ({ page, lines: pageLines(page) }));
  const isFurniture = furniture(laid);
  const out: string[] = [];
  for (const { page, lines } of laid) {
    for (const line of lines) if (!isFurniture(line, page)) out.push(lineText(line));
  }
  return out.join('\n');
}

/** Characters of text on the pages (to tell a scanned PDF, which has none, from one with a text layer). */
export function pdfTextChars(pages: readonly PdfPage[]): number {
  let n = 0;
  for (const p of pages) for (const it of p.items) n += it.s.replace(/\s+/g, '').length;
  return n;
}
