import net from 'node:net';

/**
 * A TCP port free on 127.0.0.1 at the moment of asking. No test framework here: the Vitest suites, the browser flows
 * (e2e/lib/harness.ts), the cluster test and the benches (bench/lib.ts) share it.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}
