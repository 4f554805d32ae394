import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../errors';

/**
 * Legacy Word (.doc) and WPS (.wps) → .docx through LibreOffice in headless mode, when it is installed (`soffice`
 * on the PATH). Each conversion runs in its own temporary folder with its own LibreOffice profile (so two at once
 * do not fight over a lock), one at a time, and is killed after `timeoutMs`. Without LibreOffice the upload is
 * answered with PLAN_CONVERTER_MISSING, which names what to install.
 */

/** The LibreOffice command and the time one conversion may take. `command` is replaceable for tests. */
export const SOFFICE = { command: 'soffice', timeoutMs: 90_000 };

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

/** Converts a legacy Word/WPS file to .docx bytes with LibreOffice. */
async function convert(buf: Uint8Array, ext: 'doc' | 'wps'): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kesu-soffice-'));
  try {
    const input = path.join(dir, `input.${ext}`);
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
        'docx:MS Word 2007 XML',
        '--outdir',
        dir,
        input,
      ],
      dir,
    );
    if (result.missing) throw new AppError('PLAN_CONVERTER_MISSING', undefined, { detected: ext });
    if (result.timedOut) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        '文件转换超时（超出时间上限），已拒绝；请另存为 .docx 后再上传',
        {
          reason: 'timeout',
        },
      );
    }
    try {
      return await fs.readFile(path.join(dir, 'input.docx'));
    } catch {
      throw new AppError(
        'PLAN_FILE_UNSUPPORTED',
        `无法读取该${ext === 'wps' ? ' WPS' : '旧版 Word（.doc）'}文件，可能已损坏；请用 WPS 或 Word 另存为 .docx 后再上传`,
        { detected: ext, exitCode: result.code },
      );
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** .doc/.wps → .docx bytes, one conversion at a time (LibreOffice is heavy on a two-core machine). */
export function legacyWordToDocx(buf: Uint8Array, ext: 'doc' | 'wps'): Promise<Buffer> {
  const next = queue.then(() => convert(buf, ext));
  queue = next.catch(() => undefined);
  return next;
}
