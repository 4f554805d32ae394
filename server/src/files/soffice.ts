import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * One file converted by LibreOffice in headless mode, when it is installed (`soffice` on the PATH): legacy Word/WPS
 * uploads → .docx (plans), generated .docx → PDF (documents). Each conversion runs in its own temporary folder with
 * its own LibreOffice profile (so two at once do not fight over a lock), one at a time (LibreOffice is heavy on a
 * two-core machine), and is killed after `timeoutMs`. Callers turn the outcome into their own error.
 */

/** The LibreOffice command and the time one conversion may take. `command` is replaceable for tests. */
export const SOFFICE = { command: 'soffice', timeoutMs: 90_000 };

export type SofficeOutcome =
  | { kind: 'ok'; bytes: Buffer }
  | { kind: 'missing' }
  | { kind: 'timeout' }
  | { kind: 'failed'; exitCode: number | null };

let queue: Promise<unknown> = Promise.resolve();

function run(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; missing: boolean; timedOut: boolean }> {
  return new Promise((resolve) => {
    let timedOut = false;
    const child = spawn(SOFFICE.command, args, { cwd, stdio: 'ignore', detached: true });
    const timer = setTimeout(() => {
      timedOut = true;
      // The whole process group: soffice starts soffice.bin under it.
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, SOFFICE.timeoutMs);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: null, missing: err.code === 'ENOENT', timedOut });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, missing: false, timedOut });
    });
  });
}

async function convert(
  buf: Uint8Array,
  inputExt: string,
  filter: string,
  outputExt: string,
): Promise<SofficeOutcome> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kesu-soffice-'));
  try {
    const input = path.join(dir, `input.${inputExt}`);
    await fs.writeFile(input, buf);
    const profile = pathToFileURL(path.join(dir, 'profile')).href;
    const result = await run(
      [
        `-env:UserInstallation=${profile}`,
        '--headless',
        '--norestore',
        '--nologo',
        '--nodefault',
        '--nolockcheck',
        '--convert-to',
        filter,
        '--outdir',
        dir,
        input,
      ],
      dir,
    );
    if (result.missing) return { kind: 'missing' };
    if (result.timedOut) return { kind: 'timeout' };
    try {
      return { kind: 'ok', bytes: await fs.readFile(path.join(dir, `input.${outputExt}`)) };
    } catch {
      return { kind: 'failed', exitCode: result.code };
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * `buf` (a file of type `inputExt`) converted with LibreOffice's `--convert-to <filter>`, read back as
 * `input.<outputExt>`; queued behind any conversion under way.
 */
export function convertWithSoffice(
  buf: Uint8Array,
  inputExt: string,
  filter: string,
  outputExt: string,
): Promise<SofficeOutcome> {
  const next = queue.then(() => convert(buf, inputExt, filter, outputExt));
  queue = next.catch(() => undefined);
  return next;
}
