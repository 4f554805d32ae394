import { CalendarDateSchema, isCalendarDate } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { recordAudit } from '../audit/audit.service';
import { DATE_COLUMNS, listDateValues, readDateValue, writeDateValue } from './stored-dates.repository';

/** A stored value of a date column that is not a real calendar date in the years kesu serves. */
export interface BadDate {
  table: string;
  column: string;
  id: string;
  value: string;
}

/** Every bad stored date (the API refuses them since issue 8; older databases may hold some). */
export async function findBadDates(db: Kysely<Database>): Promise<BadDate[]> {
  const out: BadDate[] = [];
  for (const c of DATE_COLUMNS) {
    for (const r of await listDateValues(db, c)) {
      if (!isCalendarDate(r.value)) out.push({ table: c.table, column: c.column, id: r.id, value: r.value });
    }
  }
  return out;
}

/** Replace one stored date by a valid one, in a transaction with its audit row. */
export async function fixStoredDate(
  db: Kysely<Database>,
  ctx: Ctx,
  fix: { table: string; column: string; id: string; value: string },
): Promise<{ before: string | null }> {
  const c = DATE_COLUMNS.find((d) => d.table === fix.table && d.column === fix.column);
  if (!c) {
    throw new AppError(
      'BAD_REQUEST',
      `没有日期列 ${fix.table}.${fix.column}（可修正：${DATE_COLUMNS.map((d) => `${d.table}.${d.column}`).join('、')}）`,
    );
  }
  const parsed = CalendarDateSchema.safeParse(fix.value);
  if (!parsed.success)
    throw new AppError(
      'VALIDATION_FAILED',
      `新日期“${fix.value}”${parsed.error.issues[0]?.message ?? '无效'}`,
    );
  return db.transaction().execute(async (trx) => {
    const before = await readDateValue(trx, c, fix.id);
    if (before === undefined) throw new AppError('NOT_FOUND', `${fix.table} 中没有编号为 ${fix.id} 的记录`);
    await writeDateValue(trx, c, fix.id, parsed.data);
    await recordAudit(trx, ctx, {
      action: 'date.fix',
      entityType: c.table,
      entityId: fix.id,
      before: { [c.column]: before },
      after: { [c.column]: parsed.data },
    });
    return { before };
  });
}
