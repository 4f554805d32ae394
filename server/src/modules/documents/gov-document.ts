import {
  AlignmentType,
  Document,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { runInPool, workerEntry } from '../../files/worker-pool';
import type { ChartImage } from './charts';

/**
 * A small layer for documents in the form of 党政机关公文 (GB/T 9704-2012), written with `docx`: A4, margins top 37 mm,
 * bottom 35 mm, left 28 mm, right 26 mm; body 仿宋_GB2312 三号 (16 pt) on a fixed 28 pt line; first-level headings
 * (一、) 黑体, second-level ((一)) 楷体_GB2312; the title 方正小标宋简体 二号 (22 pt) centred under the 发文字号 line;
 * page numbers 4号 as "— 1 —" (a PAGE field between em dashes; odd pages right, even pages left); tables with a
 * repeated header row; under every table and chart a 数据说明 line with its as-of date and source. East-Asian font
 * names are set on every run (w:eastAsia) so Word and WPS pick the Chinese font; Latin text and figures take Times New Roman.
 */

export const FONTS = {
  body: '仿宋_GB2312',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  title: '方正小标宋简体',
  pageNumber: '宋体',
} as const;

/** Half-points (docx sizes): 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt. */
const SIZE = { title: 44, body: 32, pageNumber: 28, table: 24 } as const;
/** 28 pt exact line height (GB/T 9704: 22 lines a page). */
const LINE = 560;
/** Text width in pixels at 96 dpi (210 − 28 − 26 = 156 mm), a little less for charts. */
const CHART_WIDTH_PX = 560;
const TEXT_WIDTH_TWIPS = 8844;
/** Millimetres → twips, rounded (docx's own helper truncates: A4 would come out 11905 × 16837). */
const mm = (x: number) => Math.round((x * 1440) / 25.4);

/** Where a figure comes from and when it stands: printed as the 数据说明 line under a table or chart. */
export interface DataNote {
  /** YYYY-MM-DD. */
  asOf: string;
  source: string;
}

export type GovBlock =
  | { kind: 'heading1'; text: string }
  | { kind: 'heading2'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; header: string[]; rows: string[][]; note: DataNote; widths?: number[] }
  /** The image may still be rendering (charts.ts renders off the event loop): the document waits for it. */
  | { kind: 'chart'; image: ChartImage | Promise<ChartImage>; alt: string; note: DataNote };

export interface GovDocument {
  /** 发文字号, e.g. 徐科协〔2026〕3号; empty: no line. */
  docNumber: string;
  title: string;
  blocks: GovBlock[];
  /** 发文机关 under the text, and the date (YYYY-MM-DD) written 2026年9月30日. */
  signature: string;
  date: string;
}

/** 2026-09-30 → 2026年9月30日 (the way dates are written in the text of a 公文). */
export function chineseDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${Number(y)}年${Number(m)}月${Number(d)}日`;
}

/** The 数据说明 line: 数据截至2026年9月30日；来源：各责任单位填报（已审核）. */
export function dataNoteText(note: DataNote): string {
  return `数据说明：数据截至${chineseDate(note.asOf)}；来源：${note.source}`;
}

function run(text: string, font: string, size: number, bold = false): TextRun {
  return new TextRun({
    text,
    size,
    bold,
    font: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: font, cs: 'Times New Roman' },
  });
}

function para(
  text: string,
  opts: {
    font?: string;
    size?: number;
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    indent?: boolean;
  } = {},
): Paragraph {
  return new Paragraph({
    alignment: opts.align ?? AlignmentType.JUSTIFIED,
    spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
    // 首行缩进两字 (2 × 16 pt = 640 twips).
    indent: opts.indent === false ? undefined : { firstLine: 640 },
    children: text ? [run(text, opts.font ?? FONTS.body, opts.size ?? SIZE.body)] : [],
  });
}

function noteParagraph(note: DataNote): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.LEFT,
    spacing: { before: 60, after: 120, line: 360, lineRule: LineRuleType.AUTO },
    children: [run(dataNoteText(note), FONTS.body, SIZE.table)],
  });
}

function cell(text: string, header: boolean, widthPct: number | undefined): TableCell {
  return new TableCell({
    verticalAlign: VerticalAlign.CENTER,
    ...(widthPct ? { width: { size: widthPct, type: WidthType.PERCENTAGE } } : {}),
    ...(header ? { shading: { type: ShadingType.CLEAR, fill: 'E7E6E6', color: 'auto' } } : {}),
    margins: { left: 80, right: 80, top: 30, bottom: 30 },
    children: [
      new Paragraph({
        alignment: header ? AlignmentType.CENTER : AlignmentType.LEFT,
        spacing: { line: 320, lineRule: LineRuleType.AUTO },
        children: [run(text, header ? FONTS.heading1 : FONTS.body, SIZE.table)],
      }),
    ],
  });
}

function table(b: Extract<GovBlock, { kind: 'table' }>): Table {
  // Column widths as a share of the text width (156 mm = 8844 twips), fixed so Word, WPS and LibreOffice agree.
  const widths = b.widths ?? b.header.map(() => 100 / b.header.length);
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    layout: TableLayoutType.FIXED,
    columnWidths: widths.map((w) => Math.round((TEXT_WIDTH_TWIPS * w) / 100)),
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: b.header.map((h, i) => cell(h, true, b.widths?.[i])),
      }),
      ...b.rows.map(
        (r) => new TableRow({ cantSplit: true, children: r.map((c, i) => cell(c, false, b.widths?.[i])) }),
      ),
    ],
  });
}

function chart(b: { image: ChartImage; alt: string }): Paragraph {
  const scale = Math.min(1, CHART_WIDTH_PX / b.image.width);
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 120 },
    children: [
      new ImageRun({
        type: 'png',
        data: b.image.png,
        transformation: {
          width: Math.round(b.image.width * scale),
          height: Math.round(b.image.height * scale),
        },
        altText: { title: b.alt, description: b.alt, name: b.alt },
      }),
    ],
  });
}

function pageNumberFooter(align: (typeof AlignmentType)[keyof typeof AlignmentType]): Footer {
  const font = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: FONTS.pageNumber };
  return new Footer({
    children: [
      new Paragraph({
        alignment: align,
        // 空一字 from the edge.
        indent: align === AlignmentType.RIGHT ? { right: 280 } : { left: 280 },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: SIZE.pageNumber, font })],
      }),
    ],
  });
}

/** A document whose charts are drawn: what crosses to the worker pool. */
export type PackableGovDocument = Omit<GovDocument, 'blocks'> & {
  blocks: Array<
    Exclude<GovBlock, { kind: 'chart' }> | { kind: 'chart'; image: ChartImage; alt: string; note: DataNote }
  >;
};

const docxWorker = () => workerEntry(import.meta.url, 'documents.worker.ts', 'documents-worker.js');

/**
 * The document as .docx bytes. The charts are awaited here (they render on libuv's pool); building the document
 * and packing the zip (docx, JSZip: pure JavaScript, ~1 s for a province's annual report) run in the worker pool
 * (documents.worker.ts), so a large report does not hold the event loop.
 */
export async function renderGovDocx(doc: GovDocument): Promise<Buffer> {
  const blocks = await Promise.all(
    doc.blocks.map(async (b) => (b.kind === 'chart' ? { ...b, image: await b.image } : b)),
  );
  const bytes = await runInPool<Uint8Array>(docxWorker(), 'packDocx', { ...doc, blocks });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Build and pack the document (in the worker pool: see renderGovDocx). */
export async function packGovDocx(doc: PackableGovDocument): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [];
  if (doc.docNumber) children.push(para(doc.docNumber, { align: AlignmentType.CENTER, indent: false }));
  children.push(para('', { indent: false }));
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: 760, lineRule: LineRuleType.EXACT, after: 240 },
      children: [run(doc.title, FONTS.title, SIZE.title)],
    }),
  );
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'heading1':
        children.push(para(b.text, { font: FONTS.heading1 }));
        break;
      case 'heading2':
        children.push(para(b.text, { font: FONTS.heading2 }));
        break;
      case 'paragraph':
        children.push(para(b.text));
        break;
      case 'table':
        children.push(table(b), noteParagraph(b.note));
        break;
      case 'chart':
        children.push(chart({ image: b.image, alt: b.alt }), noteParagraph(b.note));
        break;
    }
  }
  children.push(para('', { indent: false }));
  if (doc.signature) children.push(para(doc.signature, { align: AlignmentType.RIGHT, indent: false }));
  children.push(para(chineseDate(doc.date), { align: AlignmentType.RIGHT, indent: false }));

  const document = new Document({
    creator: 'kesu',
    title: doc.title,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: {
            size: SIZE.body,
            font: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: FONTS.body },
          },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: mm(210), height: mm(297) },
            margin: {
              top: mm(37),
              bottom: mm(35),
              left: mm(28),
              right: mm(26),
              footer: mm(20),
            },
          },
        },
        footers: {
          default: pageNumberFooter(AlignmentType.RIGHT),
          even: pageNumberFooter(AlignmentType.LEFT),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
