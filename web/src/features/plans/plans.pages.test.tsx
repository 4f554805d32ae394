import type { PlanDetail, PlanPreview, PlanTree, Unit } from '@kesu/shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildMe, jsonResponse, mockFetch, renderApp } from '../../test/render';

const ID = (c: string) => `01J00000000000000000000${c.padStart(3, '0')}`;
const NOW = '2025-01-01T00:00:00.000Z';

const sourceText =
  '三、重点任务\n(一)实施青少年科学素质提升行动\n1.加强校内科学教育。到2025年底,全市创建15所示范学校。(责任单位:市教育局、团委会等)';

function buildPreview(): PlanPreview {
  const unitsStart = sourceText.indexOf('市教育局');
  const target = '全市创建15所示范学校';
  const tStart = sourceText.indexOf(target);
  return {
    identicalTo: null,
    draft: {
      title: '某市全民科学素质行动规划实施方案',
      issuer: '某市人民政府',
      docNumber: '某政发〔2022〕1号',
      date: '2022-05-13',
      fileName: 'plan.txt',
      sourceText,
      tasks: [
        {
          path: '3',
          label: '三、',
          kind: 'part',
          depth: 1,
          title: '重点任务',
          units: [],
          targets: [],
          spans: null,
        },
        {
          path: '3.1',
          label: '(一)',
          kind: 'group',
          depth: 2,
          title: '实施青少年科学素质提升行动',
          units: [],
          targets: [],
          spans: null,
        },
        {
          path: '3.1.1',
          label: '1.',
          kind: 'task',
          depth: 3,
          title: '加强校内科学教育',
          units: [
            { name: '市教育局', role: 'lead' },
            { name: '团委会', role: 'co' },
          ],
          targets: [
            { text: target, value: 15, unit: '所', comparator: '=', period: null, deadline: '2025-12-31' },
          ],
          spans: {
            heading: { start: sourceText.indexOf('1.加强'), end: sourceText.indexOf('。到') },
            body: { start: 0, end: sourceText.length },
            units: [
              { start: unitsStart, end: unitsStart + 4 },
              { start: sourceText.indexOf('团委会'), end: sourceText.indexOf('团委会') + 3 },
            ],
            targets: [{ start: tStart, end: tStart + target.length }],
          },
        },
      ],
      baselines: [],
      warnings: [],
    },
    format: 'text',
    encoding: 'gb18030',
    checks: {
      headingLike: [{ text: '加强组织领导', path: '3.1' }],
      untakenFigures: [{ text: '全市现有科普基地120家', path: '3.1.1' }],
    },
    units: [
      {
        name: '市教育局',
        unit: { id: ID('1'), name: '某市教育局', shortName: '市教育局', kind: 'department' },
        paths: ['3.1.1'],
      },
      { name: '团委会', unit: null, paths: ['3.1.1'] },
    ],
    candidates: [],
  };
}

const youthLeague: Unit = {
  id: ID('2'),
  kind: 'mass_org',
  name: '共青团某市委员会',
  shortName: '团市委',
  jurisdictionId: null,
  aliases: [],
  regionCode: null,
  isActive: true,
  sortOrder: 10,
  version: 1,
  createdAt: NOW,
  updatedAt: NOW,
};

describe('plan import page', () => {
  it('highlights the source, lists the unknown unit, and imports only once it is mapped', async () => {
    let imported: unknown = null;
    mockFetch({
      'POST /api/v1/plans/preview': () => jsonResponse(buildPreview()),
      'GET /api/v1/units': () => jsonResponse({ items: [youthLeague], total: 1, page: 1, pageSize: 50 }),
      'POST /api/v1/plans/import': (init) => {
        imported = JSON.parse(String(init.body));
        return jsonResponse({ error: { code: 'INTERNAL', message: '停在这里' } }, 500);
      },
    });
    const { container } = renderApp('/plans/import', buildMe());
    const input = await waitFor(() => {
      const el = container.querySelector('input[type=file]');
      if (!el) throw new Error('no file input');
      return el;
    });
    fireEvent.change(input, {
      target: { files: [new File([sourceText], 'plan.txt', { type: 'text/plain' })] },
    });

    const source = await screen.findByTestId('source-view');
    const marks = [...source.querySelectorAll('mark')].map((m) => [m.dataset.kind, m.textContent]);
    expect(marks).toEqual([
      ['heading', '1.加强校内科学教育'],
      ['target', '全市创建15所示范学校'],
      ['unit', '市教育局'],
      ['unit', '团委会'],
    ]);
    expect(screen.getByText('三.(一).1')).toBeTruthy();
    expect(screen.getByText('= 15 所 · 2025-12-31 前')).toBeTruthy();

    const confirm = screen.getByRole('button', { name: /确认导入/ });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    const unknown = screen.getByTestId('unknown-units');
    expect(within(unknown).getByText('团委会')).toBeTruthy();

    fireEvent.mouseDown(within(unknown).getByRole('combobox'));
    fireEvent.click(await screen.findByText('共青团某市委员会（团市委）'));
    await waitFor(() => expect((confirm as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(confirm);
    await waitFor(() => expect(imported).not.toBeNull());
    expect(imported).toMatchObject({
      planId: null,
      unitMappings: [{ name: '团委会', unitId: youthLeague.id, create: null }],
      draft: { docNumber: '某政发〔2022〕1号' },
    });
    expect(await screen.findByText('停在这里')).toBeTruthy();
  });

  it('lists what to check, each item opening its task to correct in place', async () => {
    const preview = buildPreview();
    preview.draft.tasks = preview.draft.tasks.map((t) => (t.path === '3.1.1' ? { ...t, units: [] } : t));
    const other = buildPreview().draft.tasks[2]!;
    preview.draft.tasks.push({ ...other, path: '3.1.2', label: '2.', title: '丰富教育内涵', spans: null });
    preview.draft.warnings = ['编号重复:路径 3.1.1 出现多次(第 4 段)'];
    mockFetch({ 'POST /api/v1/plans/preview': () => jsonResponse(preview) });
    const { container } = renderApp('/plans/import', buildMe());
    const input = await waitFor(() => container.querySelector('input[type=file]')!);
    fireEvent.change(input, { target: { files: [new File([sourceText], 'plan.pdf')] } });

    const checks = await screen.findByTestId('plan-checks');
    // One task without units, one unknown unit (团委会 in 3.1.2), one line, one sentence, one warning.
    expect(checks.textContent).toContain('请核对（共 5 项）');
    expect(checks.textContent).toContain('未写责任单位的任务');
    expect(within(checks).getByText('三.(一).1 加强校内科学教育')).toBeTruthy();
    expect(await within(checks).findByText('加强组织领导')).toBeTruthy();
    expect(within(checks).getByText('全市现有科普基地120家')).toBeTruthy();
    expect(within(checks).getByText('编号重复:路径 3.1.1 出现多次(第 4 段)')).toBeTruthy();
    fireEvent.click(within(checks).getByRole('button', { name: '补充单位' }));
    expect(await screen.findByText('校正任务 3.1.1')).toBeTruthy();
  });

  it('shows the server refusal of a bad file in Chinese', async () => {
    mockFetch({
      'POST /api/v1/plans/preview': () =>
        jsonResponse({ error: { code: 'PLAN_NOT_RECOGNISED', message: '未识别到编号标题' } }, 422),
    });
    const { container } = renderApp('/plans/import', buildMe());
    const input = await waitFor(() => container.querySelector('input[type=file]')!);
    fireEvent.change(input, { target: { files: [new File(['通知'], 'a.txt')] } });
    expect((await screen.findByTestId('upload-error')).textContent).toContain('未识别到编号标题');
  });
});

describe('plan browser', () => {
  it('shows the tree with numbers as printed, lead unit first, indicators', async () => {
    type Task = PlanTree['tasks'][number];
    const task = (over: Partial<Task> & Pick<Task, 'id' | 'path' | 'label' | 'title'>): Task => ({
      parentId: null,
      kind: 'part',
      depth: 1,
      group: null,
      units: [],
      indicators: [],
      version: 1,
      ...over,
    });
    const version = {
      id: ID('20'),
      planId: ID('10'),
      number: 1,
      title: '规划',
      docNumber: null,
      date: null,
      fileName: null,
      note: '',
      taskCount: 3,
      indicatorCount: 1,
      isPublished: false,
      publishedAt: null,
      createdBy: null,
      createdAt: NOW,
    };
    const plan: PlanDetail = {
      id: ID('10'),
      jurisdictionId: null,
      title: '某市规划',
      issuer: null,
      docNumber: null,
      latestVersionNumber: 1,
      publishedVersionId: null,
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
      versions: [version],
    };
    const tree: PlanTree = {
      plan,
      version,
      matchedIds: [ID('30'), ID('31'), ID('32')],
      tasks: [
        task({ id: ID('30'), path: '3', label: '三、', title: '重点任务' }),
        task({
          id: ID('31'),
          parentId: ID('30'),
          path: '3.1',
          label: '(一)',
          depth: 2,
          title: '实施青少年行动',
          group: 'youth',
        }),
        task({
          id: ID('32'),
          parentId: ID('31'),
          path: '3.1.1',
          label: '1.',
          depth: 3,
          title: '加强校内科学教育',
          group: 'youth',
          units: [
            {
              id: ID('40'),
              unitId: ID('1'),
              unitName: '某市教育局',
              unitShortName: '市教育局',
              unitKind: 'department',
              role: 'lead',
              writtenName: '市教育局',
            },
            {
              id: ID('41'),
              unitId: ID('2'),
              unitName: '共青团某市委员会',
              unitShortName: '团市委',
              unitKind: 'mass_org',
              role: 'co',
              writtenName: '团委会',
            },
          ],
          indicators: [
            {
              id: ID('50'),
              taskId: ID('32'),
              kind: 'cumulative',
              text: '全市创建15所示范学校',
              comparator: '=',
              targetValue: 15,
              unit: '所',
              period: null,
              deadline: '2025-12-31',
              baselineValue: null,
              baselineYear: null,
              breakdownByCounty: false,
              computedFrom: null,
              breakdown: [],
              version: 1,
            },
          ],
        }),
      ],
    };
    mockFetch({
      [`GET /api/v1/plans/${plan.id}`]: () => jsonResponse(plan),
      [`GET /api/v1/plans/${plan.id}/tree`]: () => jsonResponse(tree),
      'GET /api/v1/units': () => jsonResponse({ items: [], total: 0, page: 1, pageSize: 50 }),
    });
    renderApp(`/plans/${plan.id}`, buildMe({ role: 'leader' }));
    const row = (await screen.findByText('三.(一).1')).closest('tr')!;
    expect(
      within(row)
        .getAllByTestId('task-unit')
        .map((t) => t.textContent),
    ).toEqual(['市教育局（牵头）', '团市委']);
    expect(within(row).getByTestId('indicator').textContent).toContain('= 15 所');
    // A leader reads; nothing to edit or publish.
    expect(screen.queryByRole('button', { name: /编辑任务/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /公开发布/ })).toBeNull();
  });
});

describe('public plan page', () => {
  it('shows the published version to someone not signed in', async () => {
    const plan = {
      id: ID('60'),
      jurisdictionId: null,
      title: '某市公开规划',
      issuer: null,
      docNumber: '某政发〔2022〕9号',
      latestVersionNumber: 1,
      publishedVersionId: ID('61'),
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
    };
    const version = {
      id: ID('61'),
      planId: plan.id,
      number: 1,
      title: plan.title,
      docNumber: plan.docNumber,
      date: null,
      fileName: null,
      note: '',
      taskCount: 1,
      indicatorCount: 0,
      isPublished: true,
      publishedAt: NOW,
      createdBy: null,
      createdAt: NOW,
    };
    const fetchMock = mockFetch({
      [`GET /api/v1/public/plans/${plan.id}`]: () =>
        jsonResponse({
          plan,
          version,
          matchedIds: [ID('62')],
          tasks: [
            {
              id: ID('62'),
              parentId: null,
              path: '1',
              label: '一、',
              kind: 'part',
              depth: 1,
              title: '总体要求',
              group: null,
              units: [],
              indicators: [],
              version: 1,
            },
          ],
        }),
    });
    renderApp(`/public/plans/${plan.id}`, null);
    expect(await screen.findByText('总体要求')).toBeTruthy();
    expect(screen.getByText('某市公开规划')).toBeTruthy();
    expect(fetchMock.mock.calls.every(([url]) => String(url).startsWith('/api/v1/public/'))).toBe(true);
  });
});
