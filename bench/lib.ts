import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort } from '../server/src/test/free-port';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export { freePort };

export async function waitReady(url: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready`);
}

export function startNode(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The engines a benchmark runs on: SQLite and PostgreSQL, or those named by BENCH_DATABASES=sqlite,postgres. */
export function benchEngines(): ('sqlite' | 'postgres')[] {
  const only = process.env.BENCH_DATABASES?.split(',');
  return (['sqlite', 'postgres'] as const).filter((k) => !only || only.includes(k));
}

/** kesu's server in a process of its own; BENCH_PROFILE_DIR writes its CPU profile there. */
export function startServer(env: Record<string, string>, port: number): ChildProcess {
  const profile = process.env.BENCH_PROFILE_DIR;
  const profileArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  return startNode([...profileArgs, 'server/bin/kesu.js', 'serve'], {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
}

/** Stop a server started by startServer (SIGTERM when profiling, so the profile is written on the way out). */
export async function stopServer(server: ChildProcess | null): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill(process.env.BENCH_PROFILE_DIR ? 'SIGTERM' : 'SIGKILL');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (server.exitCode === null) server.kill('SIGKILL');
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Requests that failed, timeouts included (autocannon counts a timeout as an error too). */
  errors: number;
  /** Requests unanswered after autocannon's 10 s: not in the latencies, so p99 understates them. */
  timeouts: number;
  non2xx: number;
}

/** A bounded load from this process against a loopback URL: `connections` at once for `seconds`. */
export async function load(
  url: string,
  opts: { connections?: number; seconds?: number; headers?: Record<string, string> } = {},
): Promise<LoadResult> {
  const r = await autocannon({
    url,
    connections: opts.connections ?? 50,
    duration: opts.seconds ?? 10,
    headers: opts.headers ?? {},
  });
  return {
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}

/** Sign in through the API; the session cookie (`kesu_session=…`) to send with later requests. */
export async function signIn(base: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ username, password }),
  });
  if (r.status !== 200) throw new Error(`${username} could not sign in: ${r.status} ${await r.text()}`);
  return (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  console.log(`\n## ${title}`);
  console.table(rows);
}

/** The p-th percentile of sorted values (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Run `work` while asking `url` (e.g. /healthz) one request at a time, the next ~10 ms after each answer: how long the
 * server's event loop is held shows as a slow answer. Latencies in ms (a failed request is Infinity), sorted.
 */
export async function pollDuring<T>(
  url: string,
  work: () => Promise<T>,
): Promise<{ result: T; ms: number; latencies: number[] }> {
  let polling = true;
  const latencies: number[] = [];
  const poller = (async () => {
    while (polling) {
      const t0 = performance.now();
      const r = await fetch(url).catch(() => null);
      if (r) await r.arrayBuffer();
      latencies.push(r?.ok ? performance.now() - t0 : Number.POSITIVE_INFINITY);
      await new Promise((res) => setTimeout(res, 10));
    }
  })();
  const t0 = performance.now();
  let result: T;
  let ms: number;
  try {
    result = await work();
    ms = performance.now() - t0;
  } finally {
    polling = false;
    await poller;
  }
  return { result, ms, latencies: latencies.sort((a, b) => a - b) };
}
