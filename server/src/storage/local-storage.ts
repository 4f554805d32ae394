import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { assertKey, type FileStorage, StorageKeyExistsError, type StoredFile } from './file-storage';

async function digestOf(file: string): Promise<StoredFile> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(fs.createReadStream(file), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
    }
  });
  return { size, sha256: hash.digest('hex') };
}

/** Files under `root` (DATA_DIR) at their keys, owner-only. */
export function localStorage(root: string): FileStorage {
  const abs = (key: string) => {
    assertKey(key);
    return path.join(root, ...key.split('/'));
  };
  const prepare = (key: string, replace: boolean | undefined) => {
    const target = abs(key);
    if (!replace && fs.existsSync(target)) throw new StorageKeyExistsError(key);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    return target;
  };
  return {
    kind: 'local',
    async put(key, data, opts) {
      const target = prepare(key, opts?.replace);
      // Written beside and renamed: a reader never sees half a file.
      const tmp = `${target}.tmp-${process.pid}`;
      fs.writeFileSync(tmp, data, { mode: 0o600 });
      fs.renameSync(tmp, target);
      return { size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
    },
    async putFile(key, file, opts) {
      const target = prepare(key, opts?.replace);
      const facts = await digestOf(file);
      try {
        fs.renameSync(file, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        fs.copyFileSync(file, target);
        fs.rmSync(file, { force: true });
      }
      fs.chmodSync(target, 0o600);
      return facts;
    },
    async open(key) {
      const file = abs(key);
      return fs.existsSync(file) ? fs.createReadStream(file) : null;
    },
    async has(key) {
      return fs.existsSync(abs(key));
    },
    async stat(key) {
      const file = abs(key);
      return fs.existsSync(file) ? digestOf(file) : null;
    },
    async delete(key) {
      // Not rmSync: unlinking a large upload (a 70 MB survey file) held the event loop ~0.1 s.
      await fs.promises.rm(abs(key), { force: true });
    },
    async localPath(key) {
      const file = abs(key);
      return fs.existsSync(file) ? file : null;
    },
    async releaseLocalPath() {},
  };
}
