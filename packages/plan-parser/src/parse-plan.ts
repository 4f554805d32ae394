import { PlanParseError } from './errors';
import { matchHeading, splitHeadingTitle, type HeadingMatch } from './headings';
import { extractMetadata } from './metadata';
import { normalizeParagraphs } from './normalize';
import type { Baseline, ParsedPlan, ParsedTask, PlanDocument, Span, TaskUnit } from './schema';
import { extractFigures, type FoundTarget } from './targets';
import { findUnitBlocks, type UnitMention } from './units';

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
const MAX_WARNINGS = 50;

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
 * schema of DOMAIN.md §6: title, issuer, document number, issue date and every numbered heading as a task with
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
  let firstHeading = -1;
  let preamble: Array<{ text: string; offset: number }> = [];
  for (let i = 0; i < paragraphs.length; i++) {
    const p = paragraphs[i] ?? '';
    const offset = offsets[i] ?? 0;
    const heading = matchHeading(p);
    if (!heading) {
      if (TAIL_START.test(p)) inTail = true;
      if (inTail) continue;
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
    };
    childCounts.delete(path); // a repeated path restarts its children's count
    nodes.push(node);
    stack.push(node);
  }
  if (nodes.length === 0) throw new PlanParseError('NOT_A_PLAN');

  const header = paragraphs.slice(0, firstHeading);
  const tail = paragraphs.slice(Math.max(0, paragraphs.length - 15));
  const meta = extractMetadata(header, tail);
  const docYear = options.docYear ?? yearOf(meta.date, meta.docNumber);

  // Pass 2: units, targets and baselines of each node.
  const baselines: Baseline[] = [];
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

  return { ...meta, tasks, baselines, sourceText, warnings };
}

/** Projects a parse result onto exactly the golden fields of DOMAIN.md §6 (drops roles, spans, baselines …). */
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
