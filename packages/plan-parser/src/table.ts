/** Separator of the cells of a table row in normalized text ("1｜深化学校科学教育｜市教育局｜市科协"). */
export const TABLE_CELL_SEPARATOR = '｜';

/** True when a normalized paragraph is a table row (at least three cells). */
export function isTableRow(paragraph: string): boolean {
  let n = 0;
  for (
    let i = paragraph.indexOf(TABLE_CELL_SEPARATOR);
    i >= 0;
    i = paragraph.indexOf(TABLE_CELL_SEPARATOR, i + 1)
  ) {
    if (++n >= 2) return true;
  }
  return false;
}

/** The cells of a table row with their offsets inside the row. */
export function tableRowCells(row: string): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  let start = 0;
  for (;;) {
    const at = row.indexOf(TABLE_CELL_SEPARATOR, start);
    const end = at < 0 ? row.length : at;
    out.push({ text: row.slice(start, end), start });
    if (at < 0) break;
    start = at + 1;
  }
  return out;
}

/** A table of the document: consecutive rows, with the offset of each row in the normalized text. */
export interface DocTable {
  rows: Array<{ text: string; offset: number }>;
}

/** What a table says, by kind of table. */
export type TableKind = 'division' | 'targets' | 'other';

/** Columns of a 任务分工表 (task → lead / co-operating units) or a 年度目标分解表 (indicator × year). */
export interface TableColumns {
  kind: TableKind;
  /** Index of the header row (tables may have a caption row above it). */
  headerRow: number;
  number: number | null;
  task: number | null;
  lead: number | null;
  co: number | null;
  responsible: number | null;
  unit: number | null;
  /** Year columns: column index → year. */
  years: Map<number, number>;
}

const YEAR_HEADER = /^(20\d{2})\s*年?(?:底|末)?(?:目标值?|预期值?|值)?$/;

/**
 * Reads a table's header: a 任务分工表 has a 牵头/责任单位 column and a task column; a 年度目标分解表 has year
 * columns ("2023年", "2024年"). Looks at the first three rows for the header.
 */
export function tableColumns(table: DocTable): TableColumns {
  const none: TableColumns = {
    kind: 'other',
    headerRow: 0,
    number: null,
    task: null,
    lead: null,
    co: null,
    responsible: null,
    unit: null,
    years: new Map(),
  };
  for (let r = 0; r < Math.min(3, table.rows.length); r++) {
    const cells = tableRowCells(table.rows[r]?.text ?? '').map((c) => c.text);
    const find = (re: RegExp): number | null => {
      const i = cells.findIndex((c) => re.test(c));
      return i < 0 ? null : i;
    };
    const years = new Map<number, number>();
    cells.forEach((c, i) => {
      const m = YEAR_HEADER.exec(c);
      if (m) years.set(i, Number(m[1]));
    });
    const lead = find(/牵头/);
    const responsible = find(/^(?:主要)?责任(?:单位|部门)$|^责任主体$/);
    const co = find(/配合|协办|参与|协同/);
    const number = find(/^(?:序号|编号|任务编号)$/);
    const task = find(/任务|事项|工作内容|具体措施|举措|内容$/);
    const unit = find(/^(?:计量)?单位$/);
    if (years.size > 0) {
      return {
        ...none,
        kind: 'targets',
        headerRow: r,
        number,
        task: find(/指标|目标|名称|项目|内容/) ?? task,
        unit,
        responsible: lead ?? responsible,
        years,
      };
    }
    if ((lead !== null || responsible !== null) && (task !== null || number !== null)) {
      return { ...none, kind: 'division', headerRow: r, number, task, lead, co, responsible, unit };
    }
  }
  return none;
}
