import type { Drill, Overview } from '@kesu/shared';
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildMe, jsonResponse, mockFetch, renderApp } from '../../test/render';

const ID = (n: number) => `01J00000000000000000000${String(n).padStart(3, '0')}`;

const OVERVIEW: Overview = {
  planId: ID(1),
  planTitle: '徐州市全民科学素质行动规划实施方案',
  versionId: ID(2),
  cycle: {
    id: ID(3),
    name: '2024年度',
    periodStart: '2024-01-01',
    periodEnd: '2024-12-31',
    dueDate: '2025-01-15',
    lateAfter: '2025-01-20',
    state: 'open',
  },
  asOf: '2024-12-31',
  today: '2025-02-01',
  generatedAt: '2025-02-01T00:00:00.000Z',
  summary: {
    overallProgress: 0.625,
    overallCounted: 3,
    overallWithoutData: 1,
    indicatorTotal: 4,
    counts: { green: 1, yellow: 0, red: 2, no_data: 1 },
    reportsExpected: 5,
    onTime: 2,
    late: 2,
    missing: 1,
    pending: 0,
    onTimeRate: 0.4,
    redIndicators: [{ indicatorId: ID(10), taskPath: '3.2.1', text: '每年培育高素质农民1.2万名' }],
    laggingUnits: [{ unitId: ID(20), unitName: '市农业农村局', missing: 1, late: 1 }],
  },
  groups: [
    {
      taskId: ID(30),
      path: '3.2',
      title: '实施农民科学素质提升行动',
      populationGroup: 'farmers',
      progress: 0.25,
      counts: { green: 0, yellow: 0, red: 1, no_data: 0 },
      indicatorCount: 1,
      explanation: '',
    },
  ],
  populations: [
    {
      group: 'farmers',
      label: '农民',
      taskIds: [ID(30)],
      progress: 0.25,
      counts: { green: 0, yellow: 0, red: 1, no_data: 0 },
      indicatorCount: 1,
      explanation: '',
    },
  ],
  counts: { green: 1, yellow: 0, red: 2, no_data: 1 },
  units: [
    {
      unitId: ID(20),
      unitName: '市农业农村局',
      expected: 3,
      onTime: 1,
      late: 1,
      missing: 1,
      pending: 0,
      onTimeRate: 1 / 3,
    },
  ],
  counties: { counties: [], indicators: [] },
};

const DRILL: Drill = {
  title: '指标状态：严重滞后',
  description: '2 项指标，截至 2024-12-31 计入的已审核报告',
  indicators: [],
  reports: [
    {
      unitId: ID(20),
      unitName: '市农业农村局',
      taskId: ID(31),
      taskPath: '3.2.1',
      taskTitle: '培育高素质农民',
      cycleId: ID(3),
      cycleName: '2024年度',
      reportId: ID(40),
      state: 'approved',
      firstSubmittedAt: null,
      timeliness: null,
    },
  ],
  hiddenCount: 0,
};

describe('OverviewPage', { timeout: 30_000 }, () => {
  it('shows the summary first and opens the reports behind a number', async () => {
    const fetch = mockFetch({
      'GET /api/v1/reporting/cycles': () => jsonResponse({ items: [], total: 0, page: 1, pageSize: 200 }),
      'GET /api/v1/dashboards/overview': () => jsonResponse(OVERVIEW),
      'GET /api/v1/dashboards/drill': () => jsonResponse(DRILL),
    });
    renderApp('/dashboard', buildMe({ role: 'leader' }));
    expect(await screen.findByText('62.5%', {}, { timeout: 15_000 })).toBeTruthy();
    expect(screen.getByText('40.0%')).toBeTruthy();
    // The completion says what it is the mean of.
    expect(screen.getByTestId('overall-basis').textContent).toBe('3 项指标计入，1 项无数据未计入');
    // The rate says what it is out of: the reports due by now.
    expect(screen.getByTestId('on-time-due').textContent).toBe('2/5 已到期');
    expect(screen.getByText('33.3%（1/3）')).toBeTruthy();
    // Leaders read only: no publishing.
    expect(screen.queryByText('发布到公众看板')).toBeNull();
    fireEvent.click(screen.getByTestId('count-red'));
    expect(await screen.findByText('指标状态：严重滞后')).toBeTruthy();
    expect(await screen.findByText('3.2.1 培育高素质农民')).toBeTruthy();
    const drillCall = fetch.mock.calls.find(([u]) => String(u).includes('/dashboards/drill'));
    expect(String(drillCall?.[0])).toContain('kind=status');
    expect(String(drillCall?.[0])).toContain('key=red');
  });

  it('before any report is due, the rate is not a 100%: it says nothing is due yet', async () => {
    const early: Overview = {
      ...OVERVIEW,
      summary: { ...OVERVIEW.summary, onTime: 0, late: 0, missing: 0, pending: 5, onTimeRate: null },
    };
    mockFetch({
      'GET /api/v1/reporting/cycles': () => jsonResponse({ items: [], total: 0, page: 1, pageSize: 200 }),
      'GET /api/v1/dashboards/overview': () => jsonResponse(early),
    });
    renderApp('/dashboard', buildMe({ role: 'leader' }));
    expect(await screen.findByText('尚无到期报告', {}, { timeout: 15_000 })).toBeTruthy();
    expect(screen.queryByTestId('on-time-due')).toBeNull();
  });

  it('the public dashboard says so when nothing is published', async () => {
    mockFetch({ 'GET /api/v1/public/dashboards': () => jsonResponse({ items: [] }) });
    renderApp('/public/dashboard', null);
    expect(await screen.findByText('尚无已发布的数据', {}, { timeout: 15_000 })).toBeTruthy();
  });
});
