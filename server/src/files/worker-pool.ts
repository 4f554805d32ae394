import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';

/**
 * One pool of worker threads per process (piscina) for CPU-heavy work that must not hold the event loop: survey
 * parsing and validation, estimation. Each module keeps its own worker entry (`<module>.worker.ts`, bundled by
 * build.mjs as `dist/<name>.js`); tasks name the entry, so one set of threads serves them all. Size:
 * `WORKER_THREADS` (config), default max(1, cpus − 1); created on first use, destroyed when the app closes.
 */

let size = Math.max(1, os.availableParallelism() - 1);
let pool: Piscina | null = null;

/** The pool's size (from config); takes effect for a pool not yet started. */
export function configureWorkerPool(threads: number): void {
  size = Math.max(1, threads);
}

function thePool(): Piscina {
  pool ??= new Piscina({ minThreads: 0, maxThreads: size, idleTimeout: 30_000, execArgv: [] });
  return pool;
}

/** End the pool's threads (app close); a later task starts a new pool. */
export async function closeWorkerPool(): Promise<void> {
  const p = pool;
  pool = null;
  if (p) await p.destroy();
}

const sourceBundles = new Map<string, Promise<string>>();

/**
 * A worker entry's file: `dist/<bundled>` beside the bundle; from source (tests, tsx) the `.ts` entry bundled once
 * per process by esbuild (Node alone cannot load the workspace's TypeScript packages), packages left external and
 * found from server/.worker-bundles/.
 */
export function workerEntry(moduleUrl: string, source: string, bundled: string): Promise<string> {
  if (!moduleUrl.endsWith('.ts')) return Promise.resolve(new URL(`./${bundled}`, moduleUrl).href);
  const src = fileURLToPath(new URL(`./${source}`, moduleUrl));
  let p = sourceBundles.get(src);
  if (!p) {
    p = (async () => {
      const { build } = await import('esbuild');
      const dir = fileURLToPath(new URL('../../.worker-bundles/', import.meta.url));
      const outfile = path.join(dir, `${path.basename(bundled, '.js')}-${process.pid}.mjs`);
      await build({
        entryPoints: [src],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        logLevel: 'silent',
        plugins: [
          {
            name: 'packages-external',
            setup(b) {
              b.onResolve({ filter: /^[^./]/ }, (a) =>
                a.path.startsWith('@kesu/') ? undefined : { path: a.path, external: true },
              );
            },
          },
        ],
      });
      return pathToFileURL(outfile).href;
    })();
    sourceBundles.set(src, p);
  }
  return p;
}

/** Run export `name` of a worker entry with `arg`; `transfer` lists what moves to the worker rather than copied. */
export async function runInPool<T>(
  entry: Promise<string>,
  name: string,
  arg: unknown,
  transfer: Array<ArrayBuffer | import('node:worker_threads').MessagePort> = [],
): Promise<T> {
  return thePool().run(arg, { filename: await entry, name, transferList: transfer as never }) as Promise<T>;
}
