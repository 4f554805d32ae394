import type { Kysely } from 'kysely';
import type { Database, DocumentTemplatesTable } from '../../db/schema';

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
