import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Runs `server/bin/kesu.js` under the running Node with process.version(s) made to read `version`. */
function kesuAs(version: string) {
  const preload = `Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '${version}' } });
Object.defineProperty(process, 'version', { value: 'v${version}' });`;
  return spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(preload)}`, 'server/bin/kesu.js', '--help'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
}

it('kesu refuses a Node.js older than 22.22 with one Chinese line naming what to install', () => {
  for (const old of ['20.19.0', '22.12.0']) {
    const r = kesuAs(old);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`当前为 v${old}`);
    expect(lines[0]).toContain('Node.js 24');
  }
});

it('passes a supported Node.js on to the command', () => {
  for (const ok of ['22.22.0', '24.21.0']) {
    const r = kesuAs(ok);
    expect(r.stderr).not.toContain('需要 Node.js');
  }
});
