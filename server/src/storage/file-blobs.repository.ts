import type { Kysely } from 'kysely';
import type { Database, FileBlobsTable } from '../db/schema';

export async function findBlob(db: Kysely<Database>, key: string): Promise<FileBlobsTable | undefined> {
  return db.selectFrom('file_blobs').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function insertBlob(db: Kysely<Database>, row: FileBlobsTable): Promise<void> {
  await db.insertInto('file_blobs').values(row).execute();
}

export async function finishBlob(
  db: Kysely<Database>,
  key: string,
  facts: { size_bytes: number; sha256: string; chunk_count: number },
): Promise<void> {
  await db.updateTable('file_blobs').set(facts).where('key', '=', key).execute();
}

/** The blob and its chunks (chunks first: SQLite and PostgreSQL cascade alike, but this needs no cascade). */
export async function deleteBlob(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('file_chunks').where('key', '=', key).execute();
  await db.deleteFrom('file_blobs').where('key', '=', key).execute();
}

export async function insertChunk(
  db: Kysely<Database>,
  key: string,
  seq: number,
  data: Buffer,
): Promise<void> {
  await db.insertInto('file_chunks').values({ key, seq, data }).execute();
}

export async function readChunk(db: Kysely<Database>, key: string, seq: number): Promise<Buffer | null> {
  const row = await db
    .selectFrom('file_chunks')
    .select('data')
    .where('key', '=', key)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row ? Buffer.from(row.data) : null;
}
