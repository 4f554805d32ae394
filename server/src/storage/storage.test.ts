import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase } from '../test/env';
import { CHUNK_BYTES } from './database-storage';
import { createFileStorage, type FileStorage, StorageKeyExistsError } from './index';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function bytesOf(storage: FileStorage, key: string): Promise<Buffer | null> {
  const s = await storage.open(key);
  if (!s) return null;
  const parts: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer>) parts.push(c);
  return Buffer.concat(parts);
}

for (const dialect of DIALECTS) {
  for (const kind of ['local', 'database'] as const) {
    describe(`file storage ${kind} [${dialect}]`, () => {
      let t: Awaited<ReturnType<typeof openTestDatabase>>;
      let storage: FileStorage;
      beforeAll(async () => {
        t = await openTestDatabase(dialect, { FILE_STORAGE: kind, SEED_SAMPLE: 'false' });
        storage = createFileStorage(t.config, t.db.kysely);
      });
      afterAll(async () => {
        await t?.cleanup();
      });

      it('keeps bytes exactly, from a buffer and from a file, across chunk boundaries', async () => {
        expect(storage.kind).toBe(kind);
        for (const size of [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 17]) {
          const data = randomBytes(size);
          const key = `attachments/2026/b${size}`;
          expect(await storage.put(key, data)).toEqual({ size, sha256: sha(data) });
          expect((await bytesOf(storage, key))?.equals(data)).toBe(true);
          const tmp = path.join(os.tmpdir(), `kesu-storage-${process.pid}-${size}`);
          fs.writeFileSync(tmp, data);
          const fileKey = `survey-uploads/f${size}.csv`;
          expect(await storage.putFile(fileKey, tmp)).toEqual({ size, sha256: sha(data) });
          expect(fs.existsSync(tmp)).toBe(false);
          expect((await bytesOf(storage, fileKey))?.equals(data)).toBe(true);
          // A path on this machine with the same bytes (the database storage's copy, or the file itself).
          const local = await storage.localPath(fileKey);
          expect(local && fs.readFileSync(local).equals(data)).toBe(true);
          await storage.releaseLocalPath(fileKey);
        }
      });

      it('refuses an existing key unless told to replace, and deletes', async () => {
        const key = 'activity-files/2026/x';
        await storage.put(key, Buffer.from('一'));
        await expect(storage.put(key, Buffer.from('二'))).rejects.toBeInstanceOf(StorageKeyExistsError);
        expect((await bytesOf(storage, key))?.toString()).toBe('一');
        await storage.put(key, Buffer.from('三'), { replace: true });
        expect((await bytesOf(storage, key))?.toString()).toBe('三');
        expect(await storage.has(key)).toBe(true);
        await storage.delete(key);
        expect(await storage.has(key)).toBe(false);
        expect(await storage.open(key)).toBeNull();
        expect(await storage.localPath(key)).toBeNull();
        await storage.delete(key); // missing: no error
      });

      it('refuses keys that could leave its place', async () => {
        for (const key of ['../etc/passwd', '/etc/passwd', 'attachments/../../x', 'attachments\\x', '']) {
          await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
        }
      });

      it.runIf(kind === 'database')(
        'keeps nothing on the local disk but the copies it is asked for',
        async () => {
          await storage.put('assessment-files/2026/y', Buffer.from('abc'));
          const walk = (d: string): string[] =>
            fs.existsSync(d)
              ? fs
                  .readdirSync(d, { withFileTypes: true })
                  .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [e.name]))
              : [];
          expect(walk(path.join(t.config.dataDir, 'assessment-files'))).toEqual([]);
          const copy = await storage.localPath('assessment-files/2026/y');
          expect(copy?.startsWith(path.join(t.config.dataDir, '.file-cache'))).toBe(true);
          await storage.delete('assessment-files/2026/y');
          expect(fs.existsSync(copy as string)).toBe(false);
        },
      );
    });
  }
}
