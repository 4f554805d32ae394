import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ParsedPlan, type ParsedTask, parsePlan, toPlanDocument } from './index';

// Plans as they are really published (issue 15), each in its own invented fixture with an expected parse:
// a web page pasted one line per part, text copied out of a PDF, a 规划 in 第一章/第一节, a plan whose units are
// only in the 任务分工表 at the end.
const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../fixtures/plans/${name}`, import.meta.url)), 'utf8');

function task(plan: ParsedPlan, path: string): ParsedTask {
  const found = plan.tasks.find((t) => t.path === path);
  if (!found) throw new Error(`no task ${path}; have ${plan.tasks.map((t) => t.path).join(' ')}`);
  return found;
}

describe.each(['county-web-oneline', 'city-pdf-artefacts', 'district-chapters', 'county-division-table'])(
  '%s',
  (name) => {
    const plan = parsePlan(fixture(`${name}.txt`));

    it('deep-equals its expected parse', () => {
      expect(toPlanDocument(plan)).toEqual(JSON.parse(fixture(`${name}.expected.json`)));
    });

    it('gives spans that point at each heading and unit in sourceText', () => {
      for (const t of plan.tasks) {
        expect(plan.sourceText.slice(t.spans.heading.start, t.spans.heading.end)).toBe(
          `${t.label}${t.title}`,
        );
        expect(t.spans.units.map((s) => plan.sourceText.slice(s.start, s.end))).toEqual(t.units);
        expect(t.spans.targets.map((s) => plan.sourceText.slice(s.start, s.end))).toEqual(
          t.targets.map((g) => g.text),
        );
      }
    });
  },
);

describe('a web page pasted one line per part', () => {
  const plan = parsePlan(fixture('county-web-oneline.txt'));

  it('finds every heading run on inside the lines, numbered again from 1 in each group', () => {
    expect(plan.tasks).toHaveLength(20);
    expect(plan.tasks.filter((t) => t.kind === 'task').map((t) => t.path)).toEqual([
      '3.1.1',
      '3.1.2',
      '3.2.1',
      '3.2.2',
      '3.3.1',
      '3.4.1',
      '3.4.2',
    ]);
  });

  it('ends a title that runs into its text ("发展基础“十三五”以来", "指导思想以…", "主要目标到2025年")', () => {
    expect(['1', '2.1', '2.2'].map((p) => task(plan, p).title)).toEqual(['发展基础', '指导思想', '主要目标']);
  });

  it('does not take "一是……二是……" for headings and reads 〔牵头单位:…;配合单位:…〕', () => {
    expect(plan.sourceText).toContain('一是科普资源城乡分布不均衡,二是');
    expect(task(plan, '3.2.2').unitRoles).toEqual([
      { name: '县科协', role: 'lead' },
      { name: '县农业农村局', role: 'co' },
      { name: '各乡镇人民政府', role: 'co' },
    ]);
  });

  it('reads 力争, a range as its lower end, and one deadline per year of a "分别" sequence', () => {
    expect(task(plan, '2.2').targets.map((t) => [t.value, t.comparator])).toEqual([
      [13, '>='],
      [13.5, '='],
      [10, '>='],
      [200, '>='],
    ]);
    expect(task(plan, '3.2.2').targets.map((t) => [t.value, t.unit, t.deadline])).toEqual([
      [8, '个', '2024-12-31'],
      [60, '%', '2023-12-31'],
      [75, '%', '2024-12-31'],
      [90, '%', '2025-12-31'],
    ]);
  });

  it('lists the current facts for the admin to check, not as targets', () => {
    expect(plan.review.untakenFigures.map((r) => r.text)).toEqual([
      '全县现有县级以上科普教育基地21家,科普e站136个',
    ]);
    expect(task(plan, '1').targets).toEqual([]);
  });
});

describe('text copied out of a PDF', () => {
  const plan = parsePlan(fixture('city-pdf-artefacts.txt'));

  it('reads the document number spaced out, «» as 《》 and drops page numbers and running headers', () => {
    expect(plan.docNumber).toBe('石政发〔2023〕6号');
    expect(plan.sourceText).toContain('《全民科学素质行动规划纲要(2021—2035年)》');
    expect(plan.sourceText).not.toMatch(/— \d —|石桥市全民科学素质行动规划实施方案\n二、/);
    expect(plan.sourceText).toContain('科技馆年接待观众30万人次。');
  });

  it('joins a sentence over a page break with its running header and reads "牵头单位:…　责任单位:…"', () => {
    expect(task(plan, '2.1.2').targets.map((t) => t.value)).toEqual([15, 20000, 50]);
    expect(task(plan, '2.1.2').unitRoles).toEqual([
      { name: '市科协', role: 'lead' },
      { name: '市教育局', role: 'co' },
      { name: '市科技局', role: 'co' },
    ]);
    expect(task(plan, '2.2.4').units).toEqual(['市总工会', '市委宣传部', '市人社局']);
  });
});

describe('a 规划 in chapters and sections', () => {
  const plan = parsePlan(fixture('district-chapters.txt'));

  it('nests 第一章 › 第一节 › 一、 › (一) › (1) › ①', () => {
    expect(task(plan, '2.2.1.1.2.1')).toMatchObject({ kind: 'item', title: '组织科学调查体验活动' });
    expect(plan.tasks.filter((t) => t.kind === 'chapter').map((t) => t.title)).toEqual([
      '规划背景',
      '目标任务',
      '保障措施',
    ]);
  });

  it('reads 确保/力争, ranges "12—15所" and "3至5个", and 万元 per year of a sequence', () => {
    expect(task(plan, '2.1').targets.map((t) => [t.value, t.deadline])).toEqual([
      [15, '2025-12-31'],
      [16, '2025-12-31'],
      [8000000, '2023-12-31'],
      [9000000, '2024-12-31'],
      [10000000, '2025-12-31'],
    ]);
    expect(task(plan, '2.2.1.1.1').targets[0]).toMatchObject({ value: 12, comparator: '>=' });
    expect(task(plan, '2.2.1.2.1').targets[0]).toMatchObject({ value: 3, comparator: '>=' });
  });
});

describe('units only in the 任务分工表, targets in the 年度目标分解表', () => {
  const plan = parsePlan(fixture('county-division-table.txt'));

  it('gives each task the units of its row, matched by title within its group', () => {
    expect(task(plan, '2.2.2').unitRoles).toEqual([
      { name: '县科协', role: 'lead' },
      { name: '县农业农村局', role: 'co' },
      { name: '各乡镇人民政府', role: 'co' },
    ]);
    expect(task(plan, '2.3.2').units).toEqual(['县应急管理局', '县卫健委', '县气象局', '县科协']);
  });

  it('puts one target per indicator and year under the task about 目标', () => {
    expect(
      task(plan, '1')
        .targets.slice(1)
        .map((t) => [t.value, t.unit, t.comparator, t.deadline]),
    ).toEqual([
      [10.5, '%', '=', '2023-12-31'],
      [11.2, '%', '=', '2024-12-31'],
      [12, '%', '=', '2025-12-31'],
      [4, '所', '=', '2023-12-31'],
      [7, '所', '=', '2024-12-31'],
      [10, '所', '=', '2025-12-31'],
      [3000, '人', '=', '2023-12-31'],
      [4000, '人', '=', '2024-12-31'],
      [5000, '人', '>=', '2025-12-31'],
    ]);
  });

  it('keeps the appendix and its tables out of the last task and still finds the 印发 date', () => {
    expect(task(plan, '3.2').targets).toEqual([]);
    expect(plan.date).toBe('2023-05-09');
  });

  it('falls back on the number within the group, warns about a row that matches no task, prefers the text', () => {
    const text = fixture('county-division-table.txt')
      .replace('1\t培育高素质农民\t', '1\t培育新型职业农民\t')
      .replace('2\t推进乡村科普服务\t', '3\t开展农村电商培训\t县商务局\t县科协\n2\t推进乡村科普服务\t')
      .replace('每年不少于30场次。', '每年不少于30场次。(责任单位:县科技局)');
    const changed = parsePlan(text);
    expect(task(changed, '2.2.1').units).toEqual(['县农业农村局', '县人社局', '县科协']);
    expect(changed.warnings.filter((w) => w.includes('开展农村电商培训'))).toHaveLength(1);
    expect(task(changed, '2.2.2').units).toEqual(['县科技局']);
    expect(
      changed.warnings.filter((w) => w.includes('2.2.2') && w.includes('任务分工表不一致')),
    ).toHaveLength(1);
  });
});
