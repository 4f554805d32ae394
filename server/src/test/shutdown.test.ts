import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { freePort, startKesu, waitReady } from './spawn';

/**
 * SIGTERM while a request is in flight: the request still gets its whole answer, then the process exits 0.
 * The request's body is sent in two parts with the signal in between, so it is certainly in flight.
 */
it('finishes an in-flight request on SIGTERM, then exits cleanly', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-term-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startKesu({ DATA_DIR: dataDir, DATABASE_URL: '', PORT: String(port), SEED_SAMPLE: 'false' });
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  try {
    await waitReady(base);
    const body = JSON.stringify({ username: 'nobody', password: 'not-a-password' });
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let answer = '';
    socket.on('data', (d) => (answer += d));
    const closed = new Promise((r) => socket.once('close', r));
    socket.write(
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${base}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 300));
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    socket.write(body.slice(10));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
    expect(answer).toContain('INVALID_CREDENTIALS');
    expect(await exited).toBe(0);
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
