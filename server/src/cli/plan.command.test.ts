import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, expect, it } from 'vitest';
import { goldenPlan, makeDocx, xuzhouText } from '../test/plans-factory';
import { runKesu } from '../test/spawn';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-plan-cli-'));
const env = { DATA_DIR: dir, DATABASE_URL: '' };
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, content: string | Uint8Array) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

it('kesu plan parse FILE --json prints exactly the golden of the Xuzhou document', () => {
  // The acceptance command, run from the repository root as written in the issue.
  const r = runKesu(['plan', 'parse', 'fixtures/plans/xuzhou-2022.txt', '--json'], env);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual(goldenPlan());
}, 60_000);

it('parses GBK text and .docx to the same plan as UTF-8', async () => {
  const text = xuzhouText();
  const gbk = runKesu(['plan', 'parse', write('gbk.txt', iconv.encode(text, 'gbk')), '--json'], env);
  expect(gbk.status, gbk.stderr).toBe(0);
  expect(JSON.parse(gbk.stdout)).toEqual(goldenPlan());
  const docx = runKesu(['plan', 'parse', write('plan.docx', await makeDocx(text)), '--json'], env);
  expect(docx.status, docx.stderr).toBe(0);
  expect(JSON.parse(docx.stdout).tasks).toEqual(goldenPlan().tasks);
}, 60_000);

it('refuses bad input with one Chinese line on stderr and exit 2', () => {
  const cases: [string, string | Uint8Array, RegExp][] = [
    ['empty.txt', '', /文档内容为空/],
    ['binary.bin', Uint8Array.from({ length: 2048 }, (_, i) => (i * 31) % 256), /不支持的文件/],
    ['notice.txt', '关于召开会议的通知\n请准时参加。', /未识别到编号标题/],
    ['big.txt', Buffer.alloc(10 * 1024 * 1024 + 1, 0x41), /10 MB/],
  ];
  for (const [name, content, message] of cases) {
    const r = runKesu(['plan', 'parse', write(name, content), '--json'], env);
    expect(r.status, name).toBe(2);
    expect(r.stdout, name).toBe('');
    expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
    expect(r.stderr, name).toMatch(message);
  }
  const missing = runKesu(['plan', 'parse', path.join(dir, 'nope.txt')], env);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toContain('无法读取文件');
}, 120_000);

it('kesu plan import imports, refuses unknown units unless --create-units, and revises', () => {
  // A new database already holds the sample; an edited copy with one renamed unit is another plan.
  const text = xuzhouText()
    .replaceAll('市人防办', '市民防办')
    .replace('徐政发〔2022〕13号', '徐政发〔2023〕1号');
  const file = write('renamed.txt', text);
  const refused = runKesu(['plan', 'import', file, '--new'], env);
  expect(refused.status).toBe(2);
  expect(refused.stderr).toContain('市民防办');
  const ok = runKesu(['plan', 'import', file, '--new', '--create-units'], env);
  expect(ok.status, ok.stderr).toBe(0);
  expect(ok.stdout).toContain('第 1 版');
  expect(ok.stdout).toContain('新建单位：市民防办');
  const revised = write('revised.txt', text.replace('全市创建15所', '全市创建18所'));
  const planId = /规划 (\w+)/.exec(ok.stdout)?.[1];
  const second = runKesu(['plan', 'import', revised, '--plan', planId!], env);
  expect(second.status, second.stderr).toBe(0);
  expect(second.stdout).toContain('第 2 版');
  expect(second.stdout).toContain('目标变化 1');
}, 120_000);
