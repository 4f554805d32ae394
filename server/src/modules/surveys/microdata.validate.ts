import {
  AGE_BANDS,
  type ColumnMapping,
  type LonelyPsu,
  NUMERIC_SURVEY_ROLES,
  type RakingMargin,
  SURVEY_AGE_MAX,
  SURVEY_AGE_MIN,
  SURVEY_LIMITS,
  SURVEY_ROLE_LABELS,
  SURVEY_ROLES,
  type SurveyIssue,
  type SurveyIssueKind,
  type SurveyRole,
  type ValidationReport,
} from '@kesu/shared';
import { CategoryBuilder, NumericBuilder, type StoredColumn } from './microdata.codec';

/**
 * Row-by-row validation of uploaded microdata while it is collected into columns, then the checks that need the
 * whole file (one-PSU strata, raking levels). Every problem is counted by kind; the first ones are listed with their
 * line number in the file (the header is line 1) and a Chinese message.
 */

export interface CollectOptions {
  mapping: ColumnMapping;
  lonelyPsu: LonelyPsu;
  /** Raking margins resolved to stored variables (crossed ones as "gender:age_group"), or null. */
  margins: readonly RakingMargin[] | null;
}

export interface Collected {
  n: number;
  columns: Partial<Record<SurveyRole, StoredColumn>>;
  report: ValidationReport;
}

const isMissingText = (t: string) => t === '' || t === 'NA' || t === '.';

/** The age band of an age in whole years (18–69), or '' outside them. */
export function ageBand(age: number): string {
  if (!(age >= SURVEY_AGE_MIN && age <= SURVEY_AGE_MAX)) return '';
  return AGE_BANDS[age < 30 ? 0 : Math.floor(age / 10) - 2] ?? '';
}

export class IssueLog {
  readonly counts: Partial<Record<SurveyIssueKind, number>> = {};
  readonly listed: SurveyIssue[] = [];
  total = 0;
  add(kind: SurveyIssueKind, line: number | null, column: string | null, message: string): void {
    this.total += 1;
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    if (this.listed.length < SURVEY_LIMITS.issuesListed)
      this.listed.push({ row: line, column, kind, message });
  }
  report(rows: number): ValidationReport {
    return { rows, errorCount: this.total, counts: { ...this.counts }, errors: [...this.listed] };
  }
}

/** Collects records into role columns, validating each row. Feed it the records after the header. */
export class MicrodataCollector {
  readonly issues = new IssueLog();
  private readonly index: Partial<Record<SurveyRole, number>> = {};
  private readonly numeric: Partial<Record<SurveyRole, NumericBuilder>> = {};
  private readonly category: Partial<Record<SurveyRole, CategoryBuilder>> = {};
  private readonly deriveAgeGroup: boolean;
  private n = 0;

  constructor(
    private readonly header: readonly string[],
    private readonly opts: CollectOptions,
  ) {
    for (const role of SURVEY_ROLES) {
      const col = opts.mapping[role];
      if (!col) continue;
      const at = header.indexOf(col);
      if (at < 0) throw new Error(`column ${col} not in header`); // checked by the service before
      this.index[role] = at;
      if (NUMERIC_SURVEY_ROLES.includes(role)) this.numeric[role] = new NumericBuilder();
      else this.category[role] = new CategoryBuilder();
    }
    this.deriveAgeGroup = Boolean(opts.mapping.age && !opts.mapping.age_group);
    if (this.deriveAgeGroup) this.category.age_group = new CategoryBuilder();
  }

  private col(role: SurveyRole): string {
    return this.opts.mapping[role] ?? role;
  }

  /** Add data records; `firstLine` is the file line of the first one. */
  add(records: readonly string[][], firstLine: number): void {
    const width = this.header.length;
    const log = this.issues;
    for (let r = 0; r < records.length; r++) {
      const rec = records[r]!;
      const line = firstLine + r;
      this.n += 1;
      if (rec.length !== width) {
        log.add('row_length', line, null, `第 ${line} 行有 ${rec.length} 个字段，表头有 ${width} 个`);
      }
      for (const role in this.numeric) {
        const k = role as SurveyRole;
        const raw = (rec[this.index[k]!] ?? '').trim();
        let v = Number.NaN;
        if (!isMissingText(raw)) {
          v = Number(raw);
          if (!Number.isFinite(v)) v = Number.NaN;
        }
        this.checkNumeric(k, raw, v, line);
        this.numeric[k]!.push(v);
        if (k === 'age' && this.deriveAgeGroup)
          this.category.age_group!.push(Number.isNaN(v) ? '' : ageBand(v));
      }
      for (const role in this.category) {
        const k = role as SurveyRole;
        if (k === 'age_group' && this.deriveAgeGroup) continue;
        let raw = (rec[this.index[k]!] ?? '').trim();
        if (raw === 'NA') raw = '';
        if (raw === '') {
          if (k === 'stratum')
            log.add(
              'stratum_missing',
              line,
              this.col(k),
              `第 ${line} 行的层（${this.col(k)}）为空：未知的层`,
            );
          else if (k === 'psu')
            log.add('psu_missing', line, this.col(k), `第 ${line} 行的初级抽样单位（${this.col(k)}）为空`);
          else if (k === 'psu2')
            log.add(
              'psu_missing',
              line,
              this.col(k),
              `第 ${line} 行的第二阶段抽样单位（${this.col(k)}）为空`,
            );
        }
        this.category[k]!.push(raw);
      }
    }
  }

  private checkNumeric(role: SurveyRole, raw: string, v: number, line: number): void {
    const log = this.issues;
    const col = this.col(role);
    const missing = isMissingText(raw);
    switch (role) {
      case 'weight':
        if (missing) log.add('weight_missing', line, col, `第 ${line} 行的权数（${col}）缺失`);
        else if (Number.isNaN(v))
          log.add('weight_invalid', line, col, `第 ${line} 行的权数「${raw}」不是数字`);
        else if (v < 0) log.add('weight_negative', line, col, `第 ${line} 行的权数 ${raw} 为负数`);
        return;
      case 'fpc':
      case 'fpc2':
        if (missing || Number.isNaN(v) || v <= 0)
          log.add(
            'fpc_invalid',
            line,
            col,
            `第 ${line} 行的${role === 'fpc2' ? '第二阶段' : ''}有限总体校正值「${raw}」应为正数`,
          );
        return;
      case 'age':
        if (missing || Number.isNaN(v) || !Number.isInteger(v))
          log.add('age_invalid', line, col, `第 ${line} 行的年龄「${raw}」不是整数`);
        else if (v < SURVEY_AGE_MIN || v > SURVEY_AGE_MAX)
          log.add(
            'age_out_of_range',
            line,
            col,
            `第 ${line} 行的年龄 ${raw} 超出调查范围 ${SURVEY_AGE_MIN}–${SURVEY_AGE_MAX} 岁`,
          );
        return;
      case 'literate':
        if (!missing && v !== 0 && v !== 1)
          log.add(
            'literate_invalid',
            line,
            col,
            `第 ${line} 行的“具备科学素质”值「${raw}」应为 0、1 或空（缺失）`,
          );
        return;
      case 'score':
        if (!missing && (Number.isNaN(v) || v < 0 || v > 100))
          log.add('score_invalid', line, col, `第 ${line} 行的得分「${raw}」应为 0–100 的数或空（缺失）`);
        return;
      default:
    }
  }

  /** The whole-file checks, then the columns and the report. */
  finish(): Collected {
    const columns: Partial<Record<SurveyRole, StoredColumn>> = {};
    for (const role in this.numeric) columns[role as SurveyRole] = this.numeric[role as SurveyRole]!.finish();
    for (const role in this.category)
      columns[role as SurveyRole] = this.category[role as SurveyRole]!.finish();
    if (this.n === 0) this.issues.add('no_rows', null, null, '文件中没有数据行');
    else {
      this.checkLonelyPsu(columns);
      this.checkMargins(columns);
    }
    return { n: this.n, columns, report: this.issues.report(this.n) };
  }

  /** Under lonelyPsu "fail", a stratum with a single PSU makes the variance undefined (R stops too). */
  private checkLonelyPsu(columns: Partial<Record<SurveyRole, StoredColumn>>): void {
    if (this.opts.lonelyPsu !== 'fail') return;
    const strata = columns.stratum?.kind === 'cat' ? columns.stratum : null;
    const psu = columns.psu?.kind === 'cat' ? columns.psu : null;
    const nStrata = strata ? strata.levels.length : 1;
    const psuSeen = new Map<number, Set<number>>();
    const firstRow = new Map<number, number>();
    for (let i = 0; i < this.n; i++) {
      const h = strata ? strata.codes[i]! : 0;
      if (h < 0) continue;
      const p = psu ? psu.codes[i]! : i;
      if (p < 0) continue;
      let set = psuSeen.get(h);
      if (!set) {
        set = new Set();
        psuSeen.set(h, set);
        firstRow.set(h, i);
      }
      if (set.size < 2) set.add(p);
    }
    for (let h = 0; h < nStrata; h++) {
      const set = psuSeen.get(h);
      if (set?.size !== 1) continue;
      const name = strata ? strata.levels[h]! : '（全部）';
      const line = (firstRow.get(h) ?? 0) + 2;
      this.issues.add(
        'lonely_psu',
        line,
        this.opts.mapping.stratum ?? null,
        `层「${name}」只有 1 个初级抽样单位，单 PSU 层处理方式为 fail（与 R survey.lonely.psu 相同）：请合并该层，或改用 adjust 等处理方式`,
      );
    }
  }

  /** Every level of a raking variable must have a population total, and no value may be missing. */
  private checkMargins(columns: Partial<Record<SurveyRole, StoredColumn>>): void {
    for (const m of this.opts.margins ?? []) {
      const parts = m.variable.split(':') as SurveyRole[];
      const cols = parts.map((p) => columns[p]);
      if (cols.some((c) => c?.kind !== 'cat')) continue; // checked by the service before
      const label = parts.map((p) => SURVEY_ROLE_LABELS[p] ?? p).join('×');
      const reported = new Set<string>();
      for (let i = 0; i < this.n; i++) {
        let key = '';
        let missing = false;
        for (let k = 0; k < cols.length; k++) {
          const c = cols[k] as { codes: Int32Array; levels: string[] };
          const code = c.codes[i]!;
          if (code < 0) {
            missing = true;
            break;
          }
          key = k === 0 ? c.levels[code]! : `${key},${c.levels[code]!}`;
        }
        if (missing) {
          this.issues.add('margin_level_unknown', i + 2, null, `第 ${i + 2} 行的校准变量「${label}」缺失`);
          continue;
        }
        if (!(key in m.totals) && !reported.has(key)) {
          reported.add(key);
          this.issues.add(
            'margin_level_unknown',
            i + 2,
            null,
            `第 ${i + 2} 行的「${label}」取值「${key}」在人口边际中没有对应的总数`,
          );
        }
      }
    }
  }
}
