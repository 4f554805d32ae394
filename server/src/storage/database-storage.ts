import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import {
  deleteBlob,
  findBlob,
  finishBlob,
  insertBlob,
  insertChunk,
  readChunk,
} from './file-blobs.repository';
import { assertKey, type FileStorage, StorageKeyExistsError, type StoredFile } from './file-storage';

/** Bytes per chunk row: small enough for any driver's parameter, large enough that a 100 MB upload is ~200 rows. */
export const CHUNK_BYTES = 512 * 1024;

/**
 * Files as rows of the database (FILE_STORAGE=database): one file_blobs row and its file_chunks. A file is written in
 * one transaction (a reader sees all of it or none) and read chunk by chunk (a download streams; memory stays one
 * chunk). `cacheDir` (DATA_DIR/.file-cache) holds the local copies `localPath` makes for readers that need a path.
 */
export function databaseStorage(db: Kysely<Database>, cacheDir: string): FileStorage {
  const write = async (key: string, replace: boolean | undefined, chunks: AsyncIterable<Buffer>) => {
    assertKey(key);
    return db.transaction().execute(async (trx) => {
      if (await findBlob(trx, key)) {
        if (!replace) throw new StorageKeyExistsError(key);
        await deleteBlob(trx, key);
      }
      await insertBlob(trx, {
        key,
        size_bytes: 0,
        sha256: '',
        chunk_count: 0,
        created_at: new Date().toISOString(),
      });
      const hash = createHash('sha256');
      let size = 0;
      let seq = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async (all: boolean) => {
        let buf = Buffer.concat(pending, pendingBytes);
        while (buf.length >= CHUNK_BYTES || (all && buf.length > 0)) {
          await insertChunk(trx, key, seq++, buf.subarray(0, CHUNK_BYTES));
          buf = buf.subarray(Math.min(CHUNK_BYTES, buf.length));
        }
        pending = buf.length ? [buf] : [];
        pendingBytes = buf.length;
      };
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= CHUNK_BYTES) await flush(false);
      }
      await flush(true);
      const facts: StoredFile = { size, sha256: hash.digest('hex') };
      await finishBlob(trx, key, { size_bytes: size, sha256: facts.sha256, chunk_count: seq });
      return facts;
    });
  };

  const cached = (key: string) => path.join(cacheDir, ...key.split('/'));

  const open = async (key: string): Promise<Readable | null> => {
    assertKey(key);
    const blob = await findBlob(db, key);
    if (!blob) return null;
    const count = blob.chunk_count;
    return Readable.from(
      (async function* () {
        for (let seq = 0; seq < count; seq++) {
          const data = await readChunk(db, key, seq);
          if (!data) throw new Error(`file ${key} lost chunk ${seq}`);
          yield data;
        }
      })(),
      { objectMode: false },
    );
  };

  return {
    kind: 'database',
    put(key, data, opts) {
      return write(
        key,
        opts?.replace,
        (async function* () {
          yield data;
        })(),
      );
    },
    async putFile(key, file, opts) {
      const facts = await write(
        key,
        opts?.replace,
        fs.createReadStream(file, { highWaterMark: CHUNK_BYTES }),
      );
      fs.rmSync(file, { force: true });
      return facts;
    },
    open,
    async has(key) {
      assertKey(key);
      return (await findBlob(db, key)) !== undefined;
    },
    async stat(key) {
      assertKey(key);
      const blob = await findBlob(db, key);
      return blob ? { size: Number(blob.size_bytes), sha256: blob.sha256 } : null;
    },
    async delete(key) {
      assertKey(key);
      await db.transaction().execute((trx) => deleteBlob(trx, key));
      await fs.promises.rm(cached(key), { force: true });
    },
    async localPath(key) {
      assertKey(key);
      const blob = await findBlob(db, key);
      if (!blob) return null;
      const target = cached(key);
      // A copy of the right size is this file's (keys are never reused for other bytes).
      if (fs.existsSync(target) && fs.statSync(target).size === Number(blob.size_bytes)) return target;
      const source = await open(key);
      if (!source) return null;
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
      const hash = createHash('sha256');
      const out = fs.openSync(tmp, 'w', 0o600);
      try {
        for await (const chunk of source as AsyncIterable<Buffer>) {
          hash.update(chunk);
          fs.writeSync(out, chunk);
        }
      } catch (err) {
        fs.closeSync(out);
        fs.rmSync(tmp, { force: true });
        throw err;
      }
      fs.closeSync(out);
      if (hash.digest('hex') !== blob.sha256) {
        fs.rmSync(tmp, { force: true });
        throw new Error(`file ${key} does not match its SHA-256`);
      }
      fs.renameSync(tmp, target);
      return target;
    },
    async releaseLocalPath(key) {
      assertKey(key);
      await fs.promises.rm(cached(key), { force: true });
    },
  };
}
