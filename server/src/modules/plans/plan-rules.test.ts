import type { DraftBaseline, DraftTarget } from '@kesu/shared';
import { describe, expect, it } from 'vitest';
import { classifyTarget, pickBaseline } from './indicator-kind';
import { type DiffTask, diffTasks, isEmptyDiff } from './plan-diff';

const target = (over: Partial<DraftTarget>): DraftTarget => ({
  text: '',
  value: 1,
  unit: '个',
  comparator: '=',
  period: null,
  deadline: null,
  ...over,
});

describe('indicator kinds (docs/DOMAIN.md §3)', () => {
  it.each([
    ['到2025年底,全市创建15所', '所', null, '2025-12-31', 'cumulative'],
    ['每年培训科技辅导员300人', '人', 'year', null, 'annual'],
    ['年科普活动覆盖面达到县域常住人口的80%以上', '%', 'year', null, 'population_share'],
    ['公民具备科学素质的比例力争达到15.5%', '%', null, '2025-12-31', 'survey_rate'],
    ['科普经费占比达到1%', '%', null, '2025-12-31', 'cumulative'],
  ] as const)('%s → %s', (text, unit, period, deadline, kind) => {
    expect(classifyTarget(target({ text, unit, period, deadline }))).toBe(kind);
  });

  it('takes the latest earlier figure in the same unit as the baseline; counts never take a rate', () => {
    const baselines: DraftBaseline[] = [
      { text: '2010年的4.4%', value: 4.4, unit: '%', year: 2010, path: '1' },
      { text: '2020年达到11.7%', value: 11.7, unit: '%', year: 2020, path: '1' },
      { text: '2026年', value: 20, unit: '%', year: 2026, path: '1' },
    ];
    const rate = target({ unit: '%', deadline: '2025-12-31' });
    expect(pickBaseline('2.3', 'survey_rate', rate, baselines)?.value).toBe(11.7);
    // Outside its own branch, a non-survey target does not borrow the city's literacy rate.
    expect(pickBaseline('3.9.3', 'population_share', rate, baselines)).toBeNull();
    expect(pickBaseline('1.2', 'cumulative', rate, baselines)?.value).toBe(11.7);
    expect(pickBaseline('2.3', 'survey_rate', target({ unit: '所' }), baselines)).toBeNull();
  });
});

describe('plan diff', () => {
  const t = (path: string, title: string, units: string[] = [], targets: DraftTarget[] = []): DiffTask => ({
    path,
    title,
    units: units.map((name, i) => ({ name, role: i === 0 ? 'lead' : 'co' })),
    targets,
  });

  it('pairs a renumbered task by title instead of reporting it removed and added', () => {
    const before = [t('1', '总体要求'), t('2', '加强科学教育', ['市教育局']), t('3', '组织实施')];
    const after = [
      t('1', '总体要求'),
      t('2', '新增任务'),
      t('3', '加强科学教育', ['市教育局']),
      t('4', '组织实施'),
    ];
    const d = diffTasks(before, after);
    expect(d.tasksAdded).toEqual([{ path: '2', title: '新增任务' }]);
    expect(d.tasksRemoved).toEqual([]);
    expect(d.tasksChanged.map((c) => [c.before.path, c.after.path, c.fields])).toEqual([
      ['2', '3', ['path']],
      ['3', '4', ['path']],
    ]);
  });

  it('reports a retitled task, changed units and roles, and changed targets', () => {
    const before = [t('1', '旧标题', ['市教育局', '市科协'], [target({ value: 15 })])];
    const after = [t('1', '新标题', ['市科协', '市教育局'], [target({ value: 20 })])];
    const d = diffTasks(before, after);
    expect(d.tasksChanged).toHaveLength(1);
    expect(d.tasksChanged[0]?.fields).toEqual(['title', 'units']);
    expect(d.tasksChanged[0]?.before.units).toEqual(['市教育局（牵头）', '市科协']);
    expect(d.targetsChanged[0]?.before[0]?.value).toBe(15);
    expect(d.targetsChanged[0]?.after[0]?.value).toBe(20);
    expect(isEmptyDiff(diffTasks(before, before))).toBe(true);
  });
});
