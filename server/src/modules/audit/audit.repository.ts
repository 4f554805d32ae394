import type { AuditQuery } from '@kesu/shared';
import type { Kysely } from 'kysely';
import { toCount } from '../../db/dialect';
import type { AuditLogTable, Database } from '../../db/schema';

export function insertAudit(db: Kysely<Database>, row: AuditLogTable): Promise<unknown> {
  return db.insertInto('audit_log').values(row).execute();
}

export async function listAudit(
  db: Kysely<Database>,
  q: AuditQuery,
): Promise<{ rows: AuditLogTable[]; total: number }> {
  let base = db.selectFrom('audit_log');
  if (q.entityType) base = base.where('entity_type', '=', q.entityType);
  if (q.entityId) base = base.where('entity_id', '=', q.entityId);
  if (q.actorId) base = base.where('actor_id', '=', q.actorId);
  if (q.action) base = base.where('action', '=', q.action);
  if (q.from) base = base.where('at', '>=', new Date(q.from).toISOString());
  if (q.to) base = base.where('at', '<=', new Date(q.to).toISOString());
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: toCount(count.n) };
}

/** Every audit row of one record, oldest first (a record's history; the caller decides who may read it). */
export function auditRowsOf(
  db: Kysely<Database>,
  entityType: string,
  entityId: string,
): Promise<AuditLogTable[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}
