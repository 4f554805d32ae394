import type { ReportDetail, ValueCheck } from '@kesu/shared';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildMe, jsonResponse, mockFetch, renderApp } from '../../test/render';

const ID = (c: string) => `01J00000000000000000000${c.padStart(3, '0')}`;
const NOW = '2025-01-01T00:00:00.000Z';
const REPORT = ID('1');
const IND = ID('2');

function buildReport(overrides: Partial<ReportDetail> = {}): ReportDetail {
  return {
    id: REPORT,
    cycleId: ID('3'),
    cycleName: '2024年上半年',
    unitId: ID('4'),
    unitName: '市教育局',
    taskId: ID('5'),
    taskPath: '3.1.1',
    taskTitle: '创建科学教育示范学校',
    state: 'draft',
    progress: 'in_progress',
    submittedAt: null,
    reviewedAt: null,
    reviewComment: '',
    version: 3,
    updatedAt: NOW,
    narrative: '',
    prefilledFromId: null,
    cycle: {
      id: ID('3'),
      planId: ID('6'),
      planTitle: '规划',
      versionId: ID('7'),
      versionNumber: 1,
      name: '2024年上半年',
      frequency: 'half_yearly',
      periodStart: '2024-01-01',
      periodEnd: '2024-06-30',
      dueDate: '2024-07-15',
      graceDays: 5,
      lateAfter: '2024-07-20',
      state: 'open',
      closedAt: null,
      lockedAt: null,
      planEnd: '2025-12-31',
      afterPlanEnd: false,
      version: 1,
      createdAt: NOW,
    },
    indicators: [
      {
        id: IND,
        text: '到2025年底创建15所示范学校',
        kind: 'cumulative',
        comparator: '>=',
        targetValue: 15,
        unit: '所',
        deadline: '2025-12-31',
        breakdownByCounty: false,
        computed: null,
        isReported: true,
        counties: [],
        previous: [],
      },
    ],
    values: [],
    checks: [],
    attachments: [],
    events: [],
    totalLabel: '全市',
    can: { edit: true, review: false, upload: true },
    ...overrides,
  };
}

const check = (value: number): ValueCheck => ({
  indicatorId: IND,
  countyId: null,
  status: value < 8 ? 'red' : 'green',
  isBehind: value < 8,
  anomaly: null,
  explanationRequired: value < 8,
  hasExplanation: false,
  text: `截至 2024-06-30 累计 ${value} 所，序时进度应完成 8.8 所`,
});

describe('report form', () => {
  it('shows the explanation field when a value is behind, refuses to submit without it, saves with the version', async () => {
    const saved: unknown[] = [];
    mockFetch({
      [`GET /api/v1/reports/${REPORT}`]: () => jsonResponse(buildReport()),
      [`POST /api/v1/reports/${REPORT}/evaluate`]: (init) => {
        const body = JSON.parse(String(init.body)) as { values: { value: number | null }[] };
        const v = body.values[0]?.value;
        return jsonResponse({ checks: v === null || v === undefined ? [] : [check(v)] });
      },
      [`PATCH /api/v1/reports/${REPORT}`]: (init) => {
        saved.push(JSON.parse(String(init.body)));
        return jsonResponse(buildReport({ version: 4 }));
      },
    });
    renderApp(
      `/reporting/reports/${REPORT}`,
      buildMe({ role: 'reporter', unitId: ID('4'), unitName: '市教育局' }),
    );
    const input = await screen.findByLabelText('到2025年底创建15所示范学校 全市');
    expect(screen.queryByLabelText(/情况说明/)).toBeNull();
    fireEvent.change(input, { target: { value: '3' } });
    const note = await screen.findByLabelText(/情况说明（落后于序时进度）/, undefined, { timeout: 3000 });
    expect(screen.getByText('红灯')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '提交审核' }));
    expect(await screen.findByText(/请先填写说明/)).toBeTruthy();
    fireEvent.change(note, { target: { value: '受疫情影响，下半年补足' } });
    fireEvent.click(screen.getByRole('button', { name: /保存草稿/ }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual({
      progress: 'in_progress',
      narrative: '',
      values: [{ indicatorId: IND, countyId: null, value: 3, note: '受疫情影响，下半年补足' }],
      version: 3,
    });
  });

  it('tells the user when someone else saved first (409)', async () => {
    mockFetch({
      [`GET /api/v1/reports/${REPORT}`]: () => jsonResponse(buildReport()),
      [`POST /api/v1/reports/${REPORT}/evaluate`]: () => jsonResponse({ checks: [] }),
      [`PATCH /api/v1/reports/${REPORT}`]: () =>
        jsonResponse({ error: { code: 'CONFLICT', message: '报告已被他人修改，请刷新后重试' } }, 409),
    });
    renderApp(`/reporting/reports/${REPORT}`, buildMe({ role: 'reporter', unitId: ID('4') }));
    fireEvent.click(await screen.findByRole('button', { name: /保存草稿/ }));
    expect(await screen.findByText(/报告已被他人修改：请刷新页面后再改/)).toBeTruthy();
  });

  it('is read-only for a leader: no inputs enabled, no save or submit', async () => {
    mockFetch({
      [`GET /api/v1/reports/${REPORT}`]: () =>
        jsonResponse(
          buildReport({
            state: 'approved',
            values: [{ indicatorId: IND, countyId: null, value: 12, note: '', isPrefilled: false }],
            can: { edit: false, review: false, upload: false },
          }),
        ),
    });
    renderApp(`/reporting/reports/${REPORT}`, buildMe({ role: 'leader' }));
    const input = (await screen.findByLabelText('到2025年底创建15所示范学校 全市')) as HTMLInputElement;
    expect(input.disabled).toBe(true);
    expect(input.value).toBe('12');
    expect(screen.queryByRole('button', { name: /保存草稿/ })).toBeNull();
    expect(screen.queryByRole('button', { name: '提交审核' })).toBeNull();
    expect(screen.queryByLabelText(/上传佐证材料/)).toBeNull();
  });

  it('shows a registry-bound indicator’s computed figure with a link to its records, and no input', async () => {
    const report = buildReport();
    const bound = {
      ...report.indicators[0]!,
      isReported: false,
      computed: {
        description: '省级 科学教育综合示范学校 截至当日在册数量',
        items: [
          {
            countyName: null,
            value: 13,
            label: '资源库 · 省级 科学教育综合示范学校 截至当日在册数量 · 截至 2025-12-31：13所',
            link: 'registries/demo_school?level=省级&status=in_force&asOf=2025-12-31',
          },
        ],
      },
    };
    mockFetch({
      [`GET /api/v1/reports/${REPORT}`]: () => jsonResponse({ ...report, indicators: [bound] }),
      [`POST /api/v1/reports/${REPORT}/evaluate`]: () => jsonResponse({ checks: [] }),
    });
    renderApp(`/reporting/reports/${REPORT}`, buildMe({ role: 'reporter', unitId: ID('4') }));
    const link = await screen.findByRole('link', { name: '截至 2025-12-31：13所' });
    expect(link.getAttribute('href')).toBe(
      '/registries/demo_school?level=省级&status=in_force&asOf=2025-12-31',
    );
    expect(screen.getByText(/该指标由资源库自动计算/)).toBeTruthy();
    expect(screen.queryByLabelText('到2025年底创建15所示范学校 全市')).toBeNull();
  });
});
