import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InstrumentItem } from '@kesu/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_ITEM_BANK, SAMPLE_QUESTIONNAIRE } from '../modules/instruments/instruments.sample';
import { runKesu } from '../test/spawn';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-score-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const env = { DATA_DIR: tmp, DATABASE_URL: '' };

const items = SAMPLE_QUESTIONNAIRE.items;
const scored = items.filter((i) => i.points > 0);
const veto = items.find((i) => i.kind === 'veto')!;

function wrong(item: InstrumentItem): string {
  return item.options.find((o) => !item.key.includes(o.key))!.key;
}
/** A respondent answering the first `right` scored items correctly, the rest wrongly, the veto item as told. */
function respondent(id: string, right: number, vetoRight = true): string[] {
  const ok = new Set(scored.slice(0, right).map((i) => i.id));
  return [
    id,
    ...items.map((i) => {
      if (i === veto) return vetoRight ? i.key.join('') : wrong(i);
      return ok.has(i.id) ? i.key.join('') : wrong(i);
    }),
  ];
}
function writeResponses(file: string, rows: string[][]): string {
  const p = path.join(tmp, file);
  fs.writeFileSync(p, [['id', ...items.map((i) => i.id)], ...rows].map((r) => r.join(',')).join('\n'));
  return p;
}

// Each test starts the command line several times: on a loaded machine that takes longer than the default.
describe('kesu survey score', { timeout: 120_000 }, () => {
  it('the sample questionnaire is 100 points, 40/20/20/20, each scored item 5 points, with a veto item', () => {
    expect(SAMPLE_QUESTIONNAIRE.rule.kind).toBe('official-2021');
    expect(scored).toHaveLength(20);
    expect(scored.every((i) => i.points === 5)).toBe(true);
    expect(veto.points).toBe(0);
  });

  it('scores every respondent of a file under the official rule, with grades at the boundaries', () => {
    // Each scored item is 5 of 100 points: 17 right = 85, 14 = 70, 11 = 55.
    const file = writeResponses('official.csv', [
      respondent('r17', 17),
      respondent('r16', 16),
      respondent('r14', 14),
      respondent('r13', 13),
      respondent('r11', 11),
      respondent('r10', 10),
    ]);
    const r = runKesu(['survey', 'score', '--sample', '--responses', file, '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rule.kind).toBe('official-2021');
    const got = out.respondents.map(
      (x: { id: string; score: number; grade: string; isLiterate: boolean }) => [
        x.id,
        x.score,
        x.grade,
        x.isLiterate,
      ],
    );
    expect(got).toEqual([
      ['r17', 85, 'advanced', true],
      ['r16', 80, 'literate', true],
      ['r14', 70, 'literate', true],
      ['r13', 65, 'basic', false],
      ['r11', 55, 'basic', false],
      ['r10', 50, 'low', false],
    ]);
    expect(out.summary).toMatchObject({ respondents: 6, literateShare: 0.5 });
  });

  it('rescoring with --rule legacy-2010 applies the veto and stores the rule in the output', () => {
    const file = writeResponses('legacy.csv', [respondent('ok', 20), respondent('vetoed', 20, false)]);
    const r = runKesu(
      ['survey', 'score', '--sample', '--responses', file, '--rule', 'legacy-2010', '--json'],
      env,
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rule.kind).toBe('legacy-2010');
    expect(
      out.respondents.map((x: { isLiterate: boolean; isVetoed: boolean }) => [x.isLiterate, x.isVetoed]),
    ).toEqual([
      [true, false],
      [false, true],
    ]);
    const text = runKesu(['survey', 'score', '--sample', '--responses', file], env);
    expect(text.stdout).toContain('编号\t得分\t等级');
    expect(text.stdout).toContain('不是总体估计');
  });

  it('scores a file against an instrument file (the self-test bank, on the columns present)', () => {
    const bankFile = path.join(tmp, 'bank.json');
    fs.writeFileSync(bankFile, JSON.stringify(SAMPLE_ITEM_BANK));
    const some = SAMPLE_ITEM_BANK.items.slice(0, 50);
    const p = path.join(tmp, 'bank.csv');
    const answers = some.map((i, k) => (k < 30 ? i.key.join('') : wrong(i)));
    fs.writeFileSync(p, `${some.map((i) => i.id).join(',')}\n${answers.join(',')}\n`);
    const r = runKesu(['survey', 'score', '--instrument', bankFile, '--responses', p, '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).respondents[0]).toMatchObject({ score: 60, grade: 'pass', isLiterate: true });
  });

  it('refuses an invalid answer, a missing item column and an invalid instrument with exit 2', () => {
    const rows = [respondent('a', 3)];
    rows[0]![2] = 'Z';
    const bad = runKesu(['survey', 'score', '--sample', '--responses', writeResponses('bad.csv', rows)], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`第 1 行题目 ${items[1]!.id} 的答案「Z」不是有效选项`);

    const p = path.join(tmp, 'partial.csv');
    fs.writeFileSync(p, `id,${items[0]!.id}\n1,A\n`);
    const missing = runKesu(['survey', 'score', '--sample', '--responses', p], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('作答文件缺少题目列');

    const inst = path.join(tmp, 'broken.json');
    fs.writeFileSync(inst, JSON.stringify({ ...SAMPLE_QUESTIONNAIRE, items: [] }));
    const broken = runKesu(['survey', 'score', '--instrument', inst, '--responses', p], env);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('问卷文件无效');
  });
});
