import { PlanParseError } from './errors';
import { matchHeading, splitHeadingTitle, type HeadingMatch } from './headings';
import { extractMetadata } from './metadata';
import { normalizeParagraphs } from './normalize';
import type {
  Baseline,
  ParsedPlan,
  ParsedTask,
  PlanDocument,
  ReviewLine,
  Span,
  Target,
  TaskUnit,
} from './schema';
import { type DocTable, isTableRow, tableColumns, tableRowCells } from './table';
import { extractFigures, type FoundTarget, readTableValue } from './targets';
import { findUnitBlocks, parseUnitList, type UnitMention } from './units';

/** Options of `parsePlan`. */
export interface ParsePlanOptions {
  /**
   * How a path is numbered. "printed" (default) uses the numbers as printed (三 → 3, (一) → 1, 1. → 1), so when
   * task numbers continue across groups ("(二) 5.") the path is "3.2.5". "sequential" counts headings within
   * their parent instead ("3.2.1").
   */
  numbering?: 'printed' | 'sequential';
  /** Year the plan was issued, when the document does not say (used to tell history from deadlines). */
  docYear?: number;
}

const TAIL_START = /^(?:抄送|抄报|主送)[:]/;
/** "附件", "附件2", "附件:某某县重点任务分工表" — after the body, an appendix (tables, not headings). */
const APPENDIX_START = /^附件\s*\d{0,2}\s*(?::.{0,40})?$/;
const MAX_WARNINGS = 50;
const MAX_REVIEW = 100;
/** Numbering the parser does not take as a heading: "一.", "1)", "A.", "Ⅱ", "第3条". */
const ODD_NUMBERING =
  /^(?:[一二三四五六七八九十]{1,3}[.)]|\d{1,2}\)|[A-Za-z][.、)]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|第[一二三四五六七八九十\d]{1,3}[条项])/;
/** A heading left inside a paragraph: "…。2.加强…", "…;(三)完善…". */
const INNER_HEADING =
  /[。;](?:\d{1,2}[.、](?!\d)|\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、)(?=[\u4e00-\u9fa5])/g;
const NOT_A_TITLE =
  /[。,;:!?]|^[(【〔[]|(?:政府|办公室|委员会)$|^\d{4}年|^[〇零一二三四五六七八九十]{4}年|^附件|文件$|号$/;

interface Node {
  heading: HeadingMatch;
  paragraphIndex: number;
  path: string;
  depth: number;
  title: string;
  headingSpan: Span;
  bodyStart: number;
  bodyEnd: number;
  /** Body pieces: [text, absolute offset]. The first may be the text run on after the heading title. */
  pieces: Array<{ text: string; offset: number }>;
  deadline: string | null;
  /** Units the 任务分工表 gives this task (used when its text names none). */
  tableUnits: UnitMention[];
  /** Targets of a 年度目标分解表 placed under this task. */
  tableTargets: FoundTarget[];
}

/** Rejects input that is not text a person wrote: NUL bytes or many control / replacement characters. */
function assertTextual(text: string): void {
  let bad = 0;
  const limit = Math.min(text.length, 1 << 20);
  for (let i = 0; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) throw new PlanParseError('BINARY_CONTENT', undefined, { offset: i });
    if (
      (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11) ||
      c === 0xfffd ||
      (c >= 0x7f && c < 0xa0)
    )
      bad++;
  }
  if (limit > 0 && bad / limit > 0.02 && bad >= 3) {
    throw new PlanParseError('BINARY_CONTENT', undefined, { controlShare: bad / limit });
  }
}

/** Deadline stated in a heading title ("2025年主要目标", "到2025年底重点任务"), if any and in the future. */
function headingDeadline(title: string, docYear: number | null): string | null {
  const m = /(\d{4})\s*年/.exec(title);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 2000 || year > 2100) return null; // outside the years a deadline may take (CalendarDateSchema)
  if (docYear !== null ? year < docYear : !/到|至|目标|底|末/.test(title)) return null;
  return `${year}-12-31`;
}

function yearOf(date: string | null, docNumber: string | null): number | null {
  if (date) return Number(date.slice(0, 4));
  const m = docNumber ? /〔(\d{4})〕/.exec(docNumber) : null;
  return m ? Number(m[1]) : null;
}

/**
 * Parses the text of a 全民科学素质行动规划 implementation plan (or any document of that family) into the plan
 * schema of docs/DOMAIN.md §6: title, issuer, document number, issue date and every numbered heading as a task with
 * its responsible units (first = lead unless the text says otherwise) and quantitative targets; plus the
 * historical baselines, the normalized `sourceText` and source spans for highlighting. Pure: no I/O.
 *
 * @throws PlanParseError EMPTY_DOCUMENT (nothing but whitespace), BINARY_CONTENT (not text), NOT_A_PLAN (no
 *   numbered headings).
 */
export function parsePlan(text: string, options: ParsePlanOptions = {}): ParsedPlan {
  if (typeof text !== 'string' || text.trim() === '') throw new PlanParseError('EMPTY_DOCUMENT');
  assertTextual(text);
  const paragraphs = normalizeParagraphs(text);
  if (paragraphs.length === 0) throw new PlanParseError('EMPTY_DOCUMENT');

  const offsets: number[] = [];
  let pos = 0;
  for (const p of paragraphs) {
    offsets.push(pos);
    pos += p.length + 1;
  }
  const sourceText = paragraphs.join('\n');
  const warnings: string[] = [];
  const warn = (message: string): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push(message);
  };

  // Pass 1: headings, paths and bodies.
  const nodes: Node[] = [];
  const stack: Node[] = [];
  const childCounts = new Map<string, number>();
  const seenPaths = new Set<string>();
  let inTail = false;
  let inAppendix = false;
  let firstHeading = -1;
  let preamble: Array<{ text: string; offset: number }> = [];
  const tables: Array<{ table: DocTable; owner: Node | null; inAppendix: boolean }> = [];
  /** Paragraph indexes of the body that are plain text (for the review of heading-like lines). */
  const textParagraphs: Array<{ index: number; node: Node | null }> = [];
  let lastWasRow = false;
  for (let i = 0; i < paragraphs.length; i++) {
    const p = paragraphs[i] ?? '';
    const offset = offsets[i] ?? 0;
    if (isTableRow(p)) {
      const last = tables[tables.length - 1];
      if (lastWasRow && last) last.table.rows.push({ text: p, offset });
      else
        tables.push({
          table: { rows: [{ text: p, offset }] },
          owner: stack[stack.length - 1] ?? null,
          inAppendix,
        });
      lastWasRow = true;
      continue;
    }
    lastWasRow = false;
    if (firstHeading >= 0 && !inTail && APPENDIX_START.test(p)) inAppendix = true;
    const heading = inAppendix ? null : matchHeading(p);
    if (!heading) {
      if (TAIL_START.test(p)) inTail = true;
      if (inTail || inAppendix) continue;
      if (firstHeading >= 0) textParagraphs.push({ index: i, node: stack[stack.length - 1] ?? null });
      const current = stack[stack.length - 1];
      if (current) {
        current.pieces.push({ text: p, offset });
        current.bodyEnd = offset + p.length;
      } else preamble.push({ text: p, offset });
      continue;
    }
    inTail = false;
    if (firstHeading < 0) firstHeading = i;
    while (stack.length > 0 && (stack[stack.length - 1]?.heading.rank ?? 0) >= heading.rank) stack.pop();
    const parent = stack[stack.length - 1];
    const parentPath = parent?.path ?? '';
    const count = (childCounts.get(parentPath) ?? 0) + 1;
    childCounts.set(parentPath, count);
    const ordinal = options.numbering === 'sequential' ? count : heading.ordinal;
    const path = parentPath ? `${parentPath}.${ordinal}` : String(ordinal);
    if (seenPaths.has(path)) warn(`编号重复:路径 ${path} 出现多次(第 ${i + 1} 段)`);
    seenPaths.add(path);
    const { title, titleEnd, bodyStart } = splitHeadingTitle(p, heading);
    const node: Node = {
      heading,
      paragraphIndex: i,
      path,
      depth: stack.length + 1,
      title,
      headingSpan: { start: offset, end: offset + titleEnd },
      bodyStart: offset + bodyStart,
      bodyEnd: offset + p.length,
      // The heading paragraph after its number: a target or a "(X牵头)" may sit in the title itself.
      pieces: [{ text: p.slice(heading.markerLength), offset: offset + heading.markerLength }],
      deadline: null,
      tableUnits: [],
      tableTargets: [],
    };
    childCounts.delete(path); // a repeated path restarts its children's count
    nodes.push(node);
    stack.push(node);
  }
  if (nodes.length === 0) throw new PlanParseError('NOT_A_PLAN');

  const header = paragraphs.slice(0, firstHeading).filter((p) => !isTableRow(p));
  const textual = paragraphs.filter((p) => !isTableRow(p));
  const tail = textual.slice(Math.max(0, textual.length - 15));
  const meta = extractMetadata(header, tail);
  const docYear = options.docYear ?? yearOf(meta.date, meta.docNumber);

  for (const { table, owner, inAppendix: appendix } of tables) {
    applyTable(table, nodes, appendix ? null : owner, warn);
  }

  // Pass 2: units, targets and baselines of each node.
  const baselines: Baseline[] = [];
  const untakenFigures: ReviewLine[] = [];
  const parents: Node[] = [];
  const tasks: ParsedTask[] = nodes.map((node) => {
    while (parents.length > 0 && (parents[parents.length - 1]?.heading.rank ?? 0) >= node.heading.rank)
      parents.pop();
    node.deadline = headingDeadline(node.title, docYear) ?? parents[parents.length - 1]?.deadline ?? null;
    parents.push(node);

    const mentions: UnitMention[] = [];
    const found: FoundTarget[] = [];
    for (const piece of node.pieces) {
      const blocks = findUnitBlocks(piece.text, piece.offset);
      for (const b of blocks) {
        for (const m of b.mentions) mentions.push(m);
        // "1.加强科学教育(市教育局牵头)": the block is not part of the title.
        if (b.start > node.headingSpan.start && b.start < node.headingSpan.end) {
          node.title = node.title
            .slice(0, b.start - node.headingSpan.start - node.heading.markerLength)
            .trim();
          node.headingSpan = { start: node.headingSpan.start, end: b.start };
        }
      }
      const figures = extractFigures(piece.text, piece.offset, {
        docYear,
        blocked: blocks,
        initialDeadline: node.deadline,
      });
      for (const f of figures.targets) found.push(f);
      for (const b of figures.baselines) baselines.push({ ...b, path: node.path });
      for (const u of figures.untaken)
        if (untakenFigures.length < MAX_REVIEW) untakenFigures.push({ ...u, path: node.path });
    }
    for (const f of node.tableTargets) found.push(f);
    if (mentions.length === 0) mentions.push(...node.tableUnits);
    else if (node.tableUnits.length > 0) {
      const inText = mentions.map((m) => m.name).join('、');
      const inTable = node.tableUnits.map((m) => m.name).join('、');
      if (inText !== inTable)
        warn(`${node.path}“${node.title}”正文的责任单位与任务分工表不一致，已采用正文：${inText}`);
    }
    const unitRoles: TaskUnit[] = [];
    const unitSpans: Span[] = [];
    const seen = new Set<string>();
    for (const m of mentions) {
      if (seen.has(m.name)) continue;
      seen.add(m.name);
      unitRoles.push({ name: m.name, role: m.role });
      unitSpans.push({ start: m.start, end: m.end });
    }
    return {
      path: node.path,
      title: node.title,
      units: unitRoles.map((u) => u.name),
      targets: found.map((f) => f.target),
      unitRoles,
      kind: node.heading.kind,
      depth: node.depth,
      label: node.heading.label,
      spans: {
        heading: node.headingSpan,
        body: { start: node.bodyStart, end: Math.max(node.bodyStart, node.bodyEnd) },
        units: unitSpans,
        targets: found.map((f) => f.span),
      },
    };
  });

  for (const piece of preamble) {
    const figures = extractFigures(piece.text, piece.offset, { docYear, blocked: [], initialDeadline: null });
    for (const b of figures.baselines) baselines.push({ ...b, path: null });
    if (figures.targets.length > 0) warn(`正文标题之前有 ${figures.targets.length} 个数字目标未归入任何任务`);
  }
  preamble = [];
  baselines.sort((a, b) => a.span.start - b.span.start);

  const headingLike: ReviewLine[] = [];
  for (const { index, node } of textParagraphs) {
    if (headingLike.length >= MAX_REVIEW) break;
    const p = paragraphs[index] ?? '';
    const offset = offsets[index] ?? 0;
    const path = node?.path ?? null;
    const next = paragraphs[index + 1] ?? '';
    if (ODD_NUMBERING.test(p)) {
      const end = Math.min(p.length, 40);
      headingLike.push({ text: p.slice(0, end), path, span: { start: offset, end: offset + end } });
    } else if (p.length >= 4 && p.length <= 25 && !NOT_A_TITLE.test(p) && next && !matchHeading(next)) {
      headingLike.push({ text: p, path, span: { start: offset, end: offset + p.length } });
    }
    for (const m of p.matchAll(INNER_HEADING)) {
      const at = (m.index ?? 0) + 1;
      const stop = p.indexOf('。', at);
      const end = Math.min(stop < 0 ? p.length : stop, at + 40);
      headingLike.push({ text: p.slice(at, end), path, span: { start: offset + at, end: offset + end } });
    }
  }

  return {
    ...meta,
    tasks,
    baselines,
    sourceText,
    warnings,
    review: { headingLike: headingLike.slice(0, MAX_REVIEW), untakenFigures },
  };
}

/** A title as it may be written in a table cell: no number, no final "。", no spaces. */
function titleKey(text: string): string {
  const heading = matchHeading(text);
  return (heading ? text.slice(heading.markerLength) : text).replace(/[。;:,\s]+$/, '').trim();
}

/** The task a 任务分工表 row names: by its title (within the current group first), else by its number. */
function findRowTask(
  cells: readonly string[],
  cols: ReturnType<typeof tableColumns>,
  nodes: readonly Node[],
  scope: Node | null,
): Node | null {
  const inScope = (n: Node): boolean => scope === null || n.path.startsWith(`${scope.path}.`);
  const taskCell = cols.task !== null ? titleKey(cells[cols.task] ?? '') : '';
  if (taskCell.length >= 2) {
    const byTitle = (n: Node): boolean =>
      n.title === taskCell ||
      (n.title.length >= 4 && (taskCell.startsWith(n.title) || n.title.startsWith(taskCell)));
    const found = nodes.find((n) => inScope(n) && byTitle(n)) ?? nodes.find(byTitle);
    if (found) return found;
  }
  const numberCell =
    (cols.number !== null ? cells[cols.number] : taskCell.length < 2 ? cells[cols.task ?? -1] : '') ?? '';
  const number = numberCell.replace(/[.、。\s]+$/, '');
  if (/^\d+(?:\.\d+)+$/.test(number)) return nodes.find((n) => n.path === number) ?? null;
  const ordinal = /^\d{1,3}$/.test(number) ? Number(number) : null;
  if (ordinal === null) return null;
  const withOrdinal = nodes.filter((n) => n.heading.kind === 'task' && n.heading.ordinal === ordinal);
  const scoped = withOrdinal.filter(inScope);
  if (scoped.length === 1) return scoped[0] ?? null;
  return withOrdinal.length === 1 ? (withOrdinal[0] ?? null) : null;
}

/**
 * Applies a table to the tasks: a 任务分工表 gives each task it names its lead and co-operating units; a
 * 年度目标分解表 gives one target per indicator and year, under the task the table stands in (an appendix table:
 * under the first task about 目标, else the first task). Rows that match no task are warnings.
 */
function applyTable(
  table: DocTable,
  nodes: readonly Node[],
  owner: Node | null,
  warn: (m: string) => void,
): void {
  const cols = tableColumns(table);
  if (cols.kind === 'other') return;
  const rows = table.rows.slice(cols.headerRow + 1);
  if (cols.kind === 'targets') {
    const holder = owner ?? nodes.find((n) => /目标/.test(n.title)) ?? nodes[0];
    if (!holder) return;
    for (const row of rows) {
      const cells = tableRowCells(row.text);
      const name = cells[cols.task ?? 0]?.text ?? '';
      const unitCell = cols.unit !== null ? (cells[cols.unit]?.text ?? '') : '';
      const unitInName = /[(]([^)]{1,6})[)]$/.exec(name)?.[1] ?? '';
      for (const [col, year] of cols.years) {
        const cell = cells[col]?.text ?? '';
        const read = readTableValue(cell, unitCell || unitInName);
        if (!read) continue;
        const target: Target = {
          text: row.text,
          value: read.value,
          unit: read.unit,
          comparator: read.comparator,
          period: /每年|年度新增|当年/.test(name) ? 'year' : null,
          deadline: `${year}-12-31`,
        };
        holder.tableTargets.push({ target, span: { start: row.offset, end: row.offset + row.text.length } });
      }
    }
    return;
  }
  let scope: Node | null = null;
  for (const row of rows) {
    const cells = tableRowCells(row.text);
    const texts = cells.map((c) => c.text);
    const filled = texts.filter((t) => t !== '');
    if (filled.length === 1) {
      // A group row spanning the table: "(一)实施青少年科学素质提升行动".
      const key = titleKey(filled[0] ?? '');
      scope = nodes.find((n) => n.title === key) ?? scope;
      continue;
    }
    const task = findRowTask(texts, cols, nodes, scope);
    if (!task) {
      warn(`任务分工表中的“${filled.slice(0, 2).join(' ')}”未能对应到任务`);
      continue;
    }
    const mentions: UnitMention[] = [];
    const add = (col: number | null, role: 'lead' | 'co' | 'auto'): void => {
      const cell = col === null ? undefined : cells[col];
      if (!cell || cell.text === '') return;
      mentions.push(...parseUnitList(cell.text, row.offset + cell.start, role));
    };
    add(cols.lead, 'lead');
    add(cols.responsible, cols.lead !== null ? 'co' : 'auto');
    add(cols.co, 'co');
    task.tableUnits.push(...mentions);
  }
}

/** Projects a parse result onto exactly the golden fields of docs/DOMAIN.md §6 (drops roles, spans, baselines …). */
export function toPlanDocument(plan: ParsedPlan): PlanDocument {
  return {
    title: plan.title,
    issuer: plan.issuer,
    docNumber: plan.docNumber,
    date: plan.date,
    tasks: plan.tasks.map((t) => ({
      path: t.path,
      title: t.title,
      units: [...t.units],
      targets: t.targets.map((g) => ({ ...g })),
    })),
  };
}
