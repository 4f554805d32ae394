import { authorize } from '../../authorize';
import type { AuditEntry, AuditQuery, Page } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { AuditLogTable, Database } from '../../db/schema';
import { newId, nowIso } from '../../ids';
import { canReadAudit } from './audit.policy';
import { auditRowsOf, insertAudit, listAudit } from './audit.repository';

export interface AuditChange {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

/** Fields never written to the audit trail. */
const SECRET_FIELDS = new Set(['password_hash', 'passwordHash', 'password', 'token']);

function scrub(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (k, v) => (SECRET_FIELDS.has(k) ? '[隐藏]' : v));
}

/**
 * Record one change. Call it with the transaction that makes the change, so the write and its audit row commit or
 * roll back together.
 */
export async function recordAudit(trx: Kysely<Database>, ctx: Ctx, change: AuditChange): Promise<void> {
  await insertAudit(trx, {
    id: newId(),
    at: nowIso(),
    actor_id: ctx.user?.id ?? null,
    actor_name: ctx.user ? ctx.user.displayName || ctx.user.username : '系统',
    action: change.action,
    entity_type: change.entityType,
    entity_id: change.entityId,
    before_json: scrub(change.before),
    after_json: scrub(change.after),
    request_id: ctx.requestId,
    ip: ctx.ip,
  });
}

function toAuditEntry(row: AuditLogTable): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: row.before_json ? JSON.parse(row.before_json) : null,
    after: row.after_json ? JSON.parse(row.after_json) : null,
    requestId: row.request_id,
    ip: row.ip,
  };
}

export async function browseAudit(db: Kysely<Database>, ctx: Ctx, q: AuditQuery): Promise<Page<AuditEntry>> {
  authorize(ctx, canReadAudit);
  const { rows, total } = await listAudit(db, q);
  return { items: rows.map(toAuditEntry), total, page: q.page, pageSize: q.pageSize };
}

/**
 * The audit trail of one record, oldest first, for a module's own history view. No authorization here: the module
 * that owns the record has already decided the reader may see it.
 */
export async function recordHistory(
  db: Kysely<Database>,
  entityType: string,
  entityId: string,
): Promise<AuditEntry[]> {
  return (await auditRowsOf(db, entityType, entityId)).map(toAuditEntry);
}
