import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runKesu } from '../test/spawn';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-cli-'));
const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

it('migrates, manages users, backs up and restores from the command line', () => {
  const m = runKesu(['migrate'], env);
  expect(m.status, m.stderr).toBe(0);
  // A command says which database it opened (on stderr, so stdout stays the command's output), and that it is new.
  expect(m.stderr).toContain(`数据库：内嵌 SQLite ${path.join(dataDir, 'kesu.db')}（新建`);
  const again = runKesu(['user', 'list'], env);
  expect(again.stderr).toContain(`数据库：内嵌 SQLite ${path.join(dataDir, 'kesu.db')}`);
  expect(again.stderr).not.toContain('新建');

  const create = runKesu(
    ['user', 'create', '--username', 'li.si', '--name', '李四', '--role', 'reporter', '--unit', '市科协等'],
    env,
  );
  expect(create.status, create.stderr).toBe(0);
  expect(create.stdout).toContain('徐州市科学技术协会');
  expect(create.stdout).toMatch(/一次性密码: \S{16}/);

  const badUnit = runKesu(
    ['user', 'create', '--username', 'w', '--role', 'reporter', '--unit', '不存在的局'],
    env,
  );
  expect(badUnit.status).toBe(2);
  expect(badUnit.stderr).toContain('找不到单位');

  const list = runKesu(['user', 'list'], env);
  expect(list.stdout).toContain('li.si\treporter\t徐州市科学技术协会');
  expect(list.stdout).toContain('admin\tadmin');

  const reset = runKesu(['user', 'reset-password', 'li.si'], env);
  expect(reset.status).toBe(0);
  expect(reset.stdout).toMatch(/一次性密码: \S{16}/);
  expect(runKesu(['user', 'reset-password', 'nobody'], env).status).toBe(2);

  const file = path.join(dataDir, 'b.gz');
  const backup = runKesu(['backup', file], env);
  expect(backup.status, backup.stderr).toBe(0);
  const refused = runKesu(['restore', file], env);
  expect(refused.status).toBe(2);
  expect(refused.stderr).toContain('--force');
  const restored = runKesu(['restore', file, '--force'], env);
  expect(restored.status, restored.stderr).toBe(0);

  const dates = runKesu(['dates'], env);
  expect(dates.status, dates.stderr).toBe(0);
  expect(dates.stdout).toContain('没有无效日期');
  const badFix = runKesu(['dates', 'fix', 'indicators', 'X', 'deadline', '2025-02-29'], env);
  expect(badFix.status).toBe(2);
  expect(badFix.stderr).toContain('2025-02-29');

  const unknown = runKesu(['frobnicate'], env);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toContain('未知命令');
}, 120_000);

it('stops at start with a message naming every bad variable', () => {
  const r = runKesu(['migrate'], { ...env, PORT: 'abc', DATABASE_URL: 'mysql://x' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('PORT');
  expect(r.stderr).toContain('DATABASE_URL');
});

it('writes the initial admin password to a file only its owner can read', () => {
  const own = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-init-'));
  try {
    expect(runKesu(['user', 'list'], { DATA_DIR: own, DATABASE_URL: '' }).status).toBe(0);
    // `user list` does not bootstrap; `user create` prepares the database like a first start.
    runKesu(['user', 'create', '--username', 'x1', '--role', 'leader'], { DATA_DIR: own, DATABASE_URL: '' });
    const file = path.join(own, 'initial-admin.txt');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/one-time password: \S{16}/);
  } finally {
    fs.rmSync(own, { recursive: true, force: true });
  }
}, 60_000);
