import type { UnitRole } from './schema';

/** One unit named in a responsibility block, with its offsets in the text given to `findUnitBlocks`. */
export interface UnitMention {
  name: string;
  role: UnitRole;
  start: number;
  end: number;
}

/** A responsibility block ("(责任单位:…)", "【牵头单位:…】", "(X牵头,Y按职责分工负责)") and its units. */
export interface UnitBlock {
  start: number;
  end: number;
  mentions: UnitMention[];
}

/** Bracket pairs by char code: ( ) [ ] 【 】 〔 〕. */
const OPEN_TO_CLOSE_CODE: Record<number, number> = { 40: 0x29, 91: 0x5d, 12304: 0x3011, 12308: 0x3015 };
/** A block needs "牵头"/"负责" or a label ("单位"/"部门"); most paragraphs have neither and are skipped. */
const QUICK_CHECK = /牵头|负责|单位|部门/;
const LABEL = /(?:主要)?(?:责任|牵头|配合|协办|参与|协同|主责|主办)(?:单位|部门)\s*[:]/g;
const LABEL_AT_START = /^\s*(?:主要)?(?:责任|牵头|配合|协办|参与|协同|主责|主办)(?:单位|部门)\s*[:]/;
const UNIT_SUFFIX =
  /(?:局|委|办|部|会|院|厅|府|台|社|联|署|处|中心|公司|集团|协|团|所|站|馆|室|队|行|校|大学|单位|部门|机构|组织|政府|管委会|街道|镇|乡|区|县|市)$/;
const CO_TAIL =
  /(?:按照?职责分工|按照?职责|分别|共同|协同|配合)?(?:负责|配合|参与|落实|推进|实施|办理|完成)(?:落实|实施)?$/;
const LEAD_MARK = /\((?:牵头|牵头单位|主责)\)$/;
const ETC_TAIL = /等(?:有关|相关|其他)?(?:部门|单位|成员单位)?$/;
const MAX_BLOCK = 600;

/** Splits a list of unit names at "、" "," ";" (not inside parentheses), with offsets relative to `base`. */
function splitNames(
  text: string,
  base: number,
): Array<{ name: string; lead: boolean; start: number; end: number }> {
  const out: Array<{ name: string; lead: boolean; start: number; end: number }> = [];
  let depth = 0;
  let pieceStart = 0;
  const flush = (pieceEnd: number): void => {
    let s = pieceStart;
    let e = pieceEnd;
    while (s < e && /[\s,、;:。]/.test(text.charAt(s))) s++;
    while (e > s && /[\s,、;:。]/.test(text.charAt(e - 1))) e--;
    if (text.startsWith('由', s)) s++;
    let name = text.slice(s, e);
    let lead = false;
    const mark = LEAD_MARK.exec(name);
    if (mark) {
      lead = true;
      name = name.slice(0, mark.index);
    }
    const etc = ETC_TAIL.exec(name);
    if (etc && etc.index > 0) name = name.slice(0, etc.index);
    name = name.trim();
    if (name.length > 0) out.push({ name, lead, start: base + s, end: base + s + name.length });
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (ch === '、' || ch === ',' || ch === ';' || ch === '/')) {
      flush(i);
      pieceStart = i + 1;
    }
  }
  flush(text.length);
  return out;
}

/** True when the names look like organisations (not "县(区)" or a sentence in parentheses). */
function looksLikeUnits(names: ReadonlyArray<{ name: string }>): boolean {
  if (names.length === 0) return false;
  return (
    names.every((n) => n.name.length <= 30 && !/\d/.test(n.name)) &&
    names.some((n) => UNIT_SUFFIX.test(n.name))
  );
}

/** "X、Y牵头,Z按职责分工负责" → X, Y lead; Z co. Returns null when the text is not of that form. */
function parseLeadForm(text: string, base: number): UnitMention[] | null {
  const at = text.indexOf('牵头');
  if (at <= 0) return null;
  const leads = splitNames(text.slice(0, at), base);
  let rest = text.slice(at + 2);
  const restBase = base + at + 2;
  const tail = CO_TAIL.exec(rest);
  if (tail) rest = rest.slice(0, tail.index);
  const cos = splitNames(rest, restBase);
  if (!looksLikeUnits(leads) || (cos.length > 0 && !looksLikeUnits(cos))) return null;
  return [
    ...leads.map((n) => ({ name: n.name, role: 'lead' as const, start: n.start, end: n.end })),
    ...cos.map((n) => ({ name: n.name, role: 'co' as const, start: n.start, end: n.end })),
  ];
}

/** "牵头单位:X;配合单位:Y" / "责任单位:X、Y等" → mentions with roles (first of a plain list leads). */
function parseLabeled(text: string, base: number): UnitMention[] {
  const labels: Array<{ start: number; end: number; label: string }> = [];
  const re = new RegExp(LABEL.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    labels.push({ start: m.index, end: m.index + m[0].length, label: m[0] });
  }
  const hasExplicitLead = labels.some((l) => /牵头|主责|主办/.test(l.label));
  const out: UnitMention[] = [];
  labels.forEach((label, i) => {
    const segEnd = labels[i + 1]?.start ?? text.length;
    const segment = text.slice(label.end, segEnd);
    const segBase = base + label.end;
    const leadForm = segment.includes('牵头') ? parseLeadForm(segment, segBase) : null;
    if (leadForm) {
      for (const m of leadForm) out.push(m);
      return;
    }
    let body = segment;
    const tail = CO_TAIL.exec(body.replace(/[\s;,。]+$/, ''));
    if (tail && /配合|协办|参与|协同/.test(label.label)) body = body.slice(0, tail.index);
    const names = splitNames(body, segBase);
    // "责任单位:市科协、市教育局(牵头)": a marked unit leads, so the first one does not.
    const marked = names.some((n) => n.lead);
    const role: UnitRole | 'auto' = /牵头|主责|主办/.test(label.label)
      ? 'lead'
      : /配合|协办|参与|协同/.test(label.label)
        ? 'co'
        : 'auto';
    names.forEach((n, j) => {
      const r: UnitRole =
        role !== 'auto'
          ? role
          : n.lead || (!hasExplicitLead && !marked && j === 0 && out.length === 0)
            ? 'lead'
            : 'co';
      out.push({ name: n.name, role: r, start: n.start, end: n.end });
    });
  });
  return out;
}

/** Parses the inside of a bracketed group; null when it is not a responsibility block. */
function parseBlockContent(content: string, base: number): UnitMention[] | null {
  if (LABEL_AT_START.test(content)) return parseLabeled(content, base);
  if (content.length > 300 || /\d/.test(content)) return null;
  if (content.includes('牵头')) return parseLeadForm(content, base);
  const m = /^(.+?)(?:按照?职责分工|按照?职责|分别|共同)?负责$/.exec(content);
  if (m?.[1]) {
    const names = splitNames(m[1], base);
    if (!looksLikeUnits(names)) return null;
    return names.map((n, j) => ({
      name: n.name,
      role: n.lead || j === 0 ? ('lead' as const) : ('co' as const),
      start: n.start,
      end: n.end,
    }));
  }
  return null;
}

/** Where a bare label's list ends: at "。", at a closing bracket that was never opened, or at the paragraph end. */
function bareBlockEnd(paragraph: string, from: number): number {
  let depth = 0;
  for (let i = from; i < paragraph.length; i++) {
    const ch = paragraph.charAt(i);
    if (ch === '。') return i;
    if (ch === '(') depth++;
    else if (ch === ')' || ch === '】' || ch === ']') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return paragraph.length;
}

/**
 * Finds responsibility blocks in one paragraph: bracketed ("(责任单位:…)", "【责任单位:…】",
 * "(牵头单位:X;配合单位:Y)", "(X牵头,Y按职责分工负责)", "(X负责)") or bare ("责任单位:X、Y。" up to the next
 * "。"). Offsets are relative to `base` (the paragraph's offset). Decoy brackets ("县(区)", "(10.56%)") are not
 * blocks.
 */
export function findUnitBlocks(paragraph: string, base = 0): UnitBlock[] {
  const blocks: UnitBlock[] = [];
  if (!QUICK_CHECK.test(paragraph)) return blocks;
  const stack: Array<{ close: number; at: number }> = [];
  for (let i = 0; i < paragraph.length; i++) {
    const c = paragraph.charCodeAt(i);
    const close = OPEN_TO_CLOSE_CODE[c];
    if (close !== undefined) {
      stack.push({ close, at: i });
      continue;
    }
    const top = stack[stack.length - 1];
    if (!top || top.close !== c) continue;
    stack.pop();
    if (stack.length > 0 || i - top.at > MAX_BLOCK) continue; // only outermost groups can be blocks
    const content = paragraph.slice(top.at + 1, i);
    const mentions = parseBlockContent(content, base + top.at + 1);
    if (mentions && mentions.length > 0) blocks.push({ start: base + top.at, end: base + i + 1, mentions });
  }
  // Bare labels outside brackets: "责任单位:市教育局、市科协。"
  const re = new RegExp(LABEL.source, 'g');
  for (let m = re.exec(paragraph); m; m = re.exec(paragraph)) {
    const at = m.index;
    if (blocks.some((b) => base + at >= b.start && base + at < b.end)) continue;
    const end = bareBlockEnd(paragraph, at);
    const mentions = parseLabeled(paragraph.slice(at, end), base + at);
    if (mentions.length > 0) blocks.push({ start: base + at, end: base + end, mentions });
    re.lastIndex = Math.max(re.lastIndex, end);
  }
  return blocks.sort((a, b) => a.start - b.start);
}

/**
 * The units of a plain list ("市教育局、市科协等", a cell of a 任务分工表), offsets relative to `base`. `role`
 * 'auto': the first leads, the rest co-operate (a unit marked "(牵头)" leads instead). Empty when the text does not
 * look like a list of organisations.
 */
export function parseUnitList(text: string, base: number, role: UnitRole | 'auto'): UnitMention[] {
  const names = splitNames(text.replace(/[\s。]+$/, ''), base);
  if (!looksLikeUnits(names)) return [];
  const marked = names.some((n) => n.lead);
  return names.map((n, j) => ({
    name: n.name,
    role: role !== 'auto' ? role : n.lead || (!marked && j === 0) ? 'lead' : 'co',
    start: n.start,
    end: n.end,
  }));
}
