import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { freePort } from './free-port';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = path.join(root, 'server/src/cli/index.ts');

/** How to start `kesu`: the bundle the global setup built (cli-bundle.setup.ts), else the source through tsx. */
function kesuArgs(): string[] {
  const bundle = inject('kesuCli');
  return bundle ? [bundle] : ['--import', 'tsx', CLI];
}

/** Run the `kesu` command and wait for it. */
export function runKesu(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [...kesuArgs(), ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Start `kesu serve` in the background. */
export function startKesu(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...kesuArgs(), 'serve'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'silent', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export { freePort };

export async function waitReady(base: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${base} not ready in ${ms} ms`);
}
