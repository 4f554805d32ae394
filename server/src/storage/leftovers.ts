import fs from 'node:fs';
import path from 'node:path';
import type { FileStorage } from './file-storage';
import { isValidKey } from './file-storage';

/** Under DATA_DIR: files being received (an upload streamed here, then moved into the storage). */
export const INCOMING_DIR = '.incoming';
/** Under DATA_DIR: the database storage's local copies (`localPath`). */
export const CACHE_DIR = '.file-cache';

function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * What a killed process leaves on this node's disk, removed at start: received files older than a day (an upload cut
 * off before it was stored), half-written copies, and copies of files the storage no longer holds (an import that
 * another node finished after this one died). Returns how many files were removed.
 */
export async function sweepLeftovers(
  dataDir: string,
  storage: FileStorage,
  now = Date.now(),
): Promise<number> {
  let removed = 0;
  const remove = async (file: string) => {
    await fs.promises.rm(file, { force: true });
    removed += 1;
  };
  for (const file of filesUnder(path.join(dataDir, INCOMING_DIR))) {
    if (now - fs.statSync(file).mtimeMs > 24 * 3600_000) await remove(file);
  }
  const cache = path.join(dataDir, CACHE_DIR);
  for (const file of filesUnder(cache)) {
    const key = path.relative(cache, file).split(path.sep).join('/');
    if (/\.tmp-\d+-\d+$/.test(key)) {
      if (now - fs.statSync(file).mtimeMs > 3600_000) await remove(file);
    } else if (!isValidKey(key) || !(await storage.has(key))) {
      await remove(file);
    }
  }
  return removed;
}
