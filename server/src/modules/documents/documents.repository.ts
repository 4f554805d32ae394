import type { Kysely } from 'kysely';
import type { Database, DocumentTemplatesTable, GeneratedDocumentsTable } from '../../db/schema';

export function findTemplateRow(
  db: Kysely<Database>,
  kind: string,
  jurisdictionId: string | null,
): Promise<(DocumentTemplatesTable & { updated_by_name: string | null }) | undefined> {
  return db
    .selectFrom('document_templates as t')
    .leftJoin('users as u', 'u.id', 't.updated_by')
    .selectAll('t')
    .select('u.display_name as updated_by_name')
    .where('t.kind', '=', kind)
    .where((eb) =>
      jurisdictionId === null
        ? eb('t.jurisdiction_id', 'is', null)
        : eb('t.jurisdiction_id', '=', jurisdictionId),
    )
    .executeTakeFirst();
}

export async function insertTemplateRow(db: Kysely<Database>, row: DocumentTemplatesTable): Promise<void> {
  await db.insertInto('document_templates').values(row).execute();
}

/** Optimistic update: false when the row moved on from `expectedVersion`. */
export async function updateTemplateRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<DocumentTemplatesTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('document_templates')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ── documents made in the background (generated_documents) ───────────────────────────────────────────────────

export async function insertGeneratedDocument(
  db: Kysely<Database>,
  row: GeneratedDocumentsTable,
): Promise<void> {
  await db.insertInto('generated_documents').values(row).execute();
}

export function findGeneratedDocument(
  db: Kysely<Database>,
  id: string,
): Promise<GeneratedDocumentsTable | undefined> {
  return db.selectFrom('generated_documents').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The queued or running request with this key (who, kind, subject, format), if any. */
export function findActiveGeneratedDocument(
  db: Kysely<Database>,
  activeKey: string,
): Promise<GeneratedDocumentsTable | undefined> {
  return db
    .selectFrom('generated_documents')
    .selectAll()
    .where('active_key', '=', activeKey)
    .executeTakeFirst();
}

/** Update a row only while its status is one of `from`: false when another node moved it on first. */
export async function transitionGeneratedDocument(
  db: Kysely<Database>,
  id: string,
  from: string[],
  changes: Partial<GeneratedDocumentsTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('generated_documents')
    .set(changes)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Done rows finished before `before` (ISO-8601): their files are due for deletion. */
export function doneGeneratedDocumentsBefore(
  db: Kysely<Database>,
  before: string,
): Promise<Pick<GeneratedDocumentsTable, 'id' | 'file_key'>[]> {
  return db
    .selectFrom('generated_documents')
    .select(['id', 'file_key'])
    .where('status', '=', 'done')
    .where('finished_at', '<', before)
    .orderBy('finished_at')
    .execute();
}
