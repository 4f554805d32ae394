import {
  BENCHMARK_RULE_DEFAULT,
  type Instrument,
  type InstrumentSummary,
  LEGACY_RULE_DEFAULT,
  OFFICIAL_RULE_DEFAULT,
} from '@kesu/shared';
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildMe, jsonResponse, mockFetch, renderApp } from '../../test/render';

function summary(overrides: Partial<InstrumentSummary>): InstrumentSummary {
  return {
    id: '01J0000000000000000000000A',
    code: 'sample',
    name: '示例问卷',
    description: '',
    purpose: 'survey',
    rule: OFFICIAL_RULE_DEFAULT,
    isActive: true,
    version: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    itemCount: 21,
    benchmarksCovered: 17,
    selfTestCount: 0,
    selfTestPassCount: 0,
    ...overrides,
  };
}

describe('InstrumentsPage', () => {
  it('lists every instrument with its rule, and shows the items of one', async () => {
    const list = [
      summary({}),
      summary({
        id: '01J0000000000000000000000B',
        code: 'old',
        name: '旧问卷',
        rule: { ...LEGACY_RULE_DEFAULT, partMinShare: { knowledge: 0.7, method: 0.5, spirit: 0.5 } },
      }),
      summary({
        id: '01J0000000000000000000000C',
        code: 'bank',
        name: '自测题库',
        purpose: 'self_test_bank',
        rule: BENCHMARK_RULE_DEFAULT,
        itemCount: 61,
        benchmarksCovered: 26,
        selfTestCount: 12,
        selfTestPassCount: 7,
      }),
    ];
    const {
      itemCount: _n,
      benchmarksCovered: _b,
      selfTestCount: _s,
      selfTestPassCount: _p,
      ...base
    } = list[0]!;
    const full: Instrument = {
      ...base,
      items: [
        {
          id: 'Q01',
          dimension: 'knowledge',
          kind: 'true_false',
          stem: '声音在真空中不能传播。',
          options: [
            { key: 'T', text: '对' },
            { key: 'F', text: '错' },
          ],
          key: ['T'],
          points: 5,
          benchmarks: [11],
          explanation: '声音靠介质传播。',
        },
      ],
    };
    mockFetch({
      'GET /api/v1/instruments': () => jsonResponse({ items: list }),
      'GET /api/v1/instruments/01J0000000000000000000000A': () => jsonResponse(full),
    });
    renderApp('/instruments', buildMe({ role: 'analyst' }));
    // The page is loaded on demand: the first render in a cold test worker can take a few seconds.
    expect(await screen.findByText('示例问卷', {}, { timeout: 10_000 })).toBeTruthy();
    expect(
      screen.getByText('知识/方法/精神/应用 40/20/20/20 分；≥85 高阶，≥70 具备，≥55 基本具备'),
    ).toBeTruthy();
    expect(screen.getByText('知识 ≥70%、方法 ≥50%、精神 ≥50%；迷信题答错即否决')).toBeTruthy();
    expect(screen.getByText('每次抽 50 题覆盖 26 条基准，每题 2 分，≥60 分通过')).toBeTruthy();
    expect(screen.getByText('12（通过 7）')).toBeTruthy();
    expect(screen.getByRole('menuitem', { name: /问卷与自测/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '示例问卷' }));
    expect(await screen.findByText('声音在真空中不能传播。')).toBeTruthy();
  });

  it('is not offered to a reporter', async () => {
    mockFetch({});
    renderApp('/instruments', buildMe({ role: 'reporter', unitId: '01J0000000000000000000000U' }));
    expect(
      await screen.findByText('没有权限访问此页面。如需开通，请联系管理员。', {}, { timeout: 10_000 }),
    ).toBeTruthy();
    expect(screen.queryByRole('menuitem', { name: /问卷与自测/ })).toBeNull();
  });
});
