import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Vitest global setup of the server project: bundles the `kesu` command once per run (server/build.mjs into
 * server/.test-cli/, a sibling of dist/, so the bundle finds server/sample and web/dist as dist/cli.js does) and hands
 * its path to the tests (`inject('kesuCli')` in spawn.ts). Tests spawn the command some sixty times: from TypeScript
 * source through tsx each start cost ~2.4 s on the 2-core CI machine, from the bundle ~1.2 s — and the tests then run
 * the code as `npm start` ships it. `KESU_TEST_FROM_SOURCE=1` keeps the tsx path (no build).
 */
export default function setup(project: TestProject): void {
  if (process.env.KESU_TEST_FROM_SOURCE === '1') {
    project.provide('kesuCli', '');
    return;
  }
  const serverDir = path.resolve(import.meta.dirname, '../..');
  const outdir = '.test-cli';
  fs.rmSync(path.join(serverDir, outdir), { recursive: true, force: true });
  execFileSync(process.execPath, ['build.mjs', outdir], { cwd: serverDir, stdio: 'inherit' });
  project.provide('kesuCli', path.join(serverDir, outdir, 'cli.js'));
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled `kesu` command the tests spawn, or '' to run it from source through tsx. */
    kesuCli: string;
  }
}
