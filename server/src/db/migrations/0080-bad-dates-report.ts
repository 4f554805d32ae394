import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Before issue 8 a date field was only checked for the shape YYYY-MM-DD, so impossible dates (2027-13-01,
// 2025-02-29, 0000-00-00) could be stored and then broke every page that read them. From now on the API refuses
// them; this step finds any already stored and reports each on stderr, with the command that fixes them
// (`kesu dates`). It changes nothing: which date was meant is for a person to say.

/** Every column holding a calendar date, as of this migration. */
const DATE_COLUMNS: ReadonlyArray<readonly [table: string, column: string]> = [
  ['plan_versions', 'doc_date'],
  ['indicators', 'deadline'],
  ['reporting_cycles', 'period_start'],
  ['reporting_cycles', 'period_end'],
  ['reporting_cycles', 'due_date'],
  ['dashboard_snapshots', 'period_end'],
  ['supervision_notices', 'deadline'],
];

function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= ([31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  const found: string[] = [];
  for (const [table, column] of DATE_COLUMNS) {
    const rows: Array<{ id: string; value: string }> = await db
      .selectFrom(table)
      .select(['id', `${column} as value`])
      .where(column, 'is not', null)
      .execute();
    for (const r of rows)
      if (!isCalendarDate(r.value)) found.push(`${table}.${column} ${r.id} = “${r.value}”`);
  }
  if (found.length > 0) {
    console.warn(
      `数据库中有 ${found.length} 个无效日期，相关页面可能无法打开。请运行 kesu dates 查看，kesu dates fix 修正：\n  ${found.join('\n  ')}`,
    );
  }
}

// Nothing to undo: up() only reads.
export async function down(): Promise<void> {}
