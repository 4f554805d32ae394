import type { SurveyEstimate, SurveyWave } from '@kesu/shared';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildMe, jsonResponse, mockFetch, renderApp } from '../../test/render';
import { XUZHOU_RATE_TARGET } from './monitoring.fixtures';

/** The table row of a breakdown level (the chart beside it draws the same name as SVG text). */
async function tableRow(name: string): Promise<HTMLElement> {
  const rows = (await screen.findAllByText(name)).map((e) => e.closest('tr'));
  const row = rows.find((r): r is HTMLTableRowElement => r !== null);
  if (!row) throw new Error(`no table row for ${name}`);
  return row;
}

const WAVE: SurveyWave = {
  id: '01J0000000000000000000000W',
  name: '2024 年公民科学素质抽样调查',
  year: 2024,
  scoringRule: 'official-2021',
  design: {
    weights: 'weight',
    strata: 'stratum',
    clusters: 'psu',
    fpc: null,
    lonelyPsu: 'fail',
    raking: null,
  },
  mapping: { weight: 'w', stratum: 'stratum', psu: 'psu', literate: 'literate' },
  sourceFileName: 'data.csv',
  rows: 2151,
  isPublished: false,
  isDemo: false,
  version: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

function est(over: Partial<SurveyEstimate>): SurveyEstimate {
  return {
    method: 'linearization',
    by: null,
    domain: null,
    variable: 'literate',
    kind: 'proportion',
    ciMethod: 'logit',
    flags: [],
    n: 2151,
    estimate: 0.103020030000274,
    se: 0.0120457237923319,
    ciLow: 0.0813156384812976,
    ciHigh: 0.129699768256662,
    deff: 3.37672712811511,
    cv: 0.117,
    df: 80,
    ...over,
  };
}

// The page is loaded lazily; a cold transform of it and antd can take seconds.
describe('MonitoringPage', { timeout: 30_000 }, () => {
  it('shows the headline rate with its CI, breakdowns with small-sample warnings and method-note links', async () => {
    const estimates = [
      est({}),
      est({ by: 'district', domain: '泉山区', n: 25, estimate: 0.2, ciLow: 0.08, ciHigh: 0.4, cv: 0.45 }),
      est({ by: 'district', domain: '鼓楼区', n: 300, estimate: 0.12, ciLow: 0.09, ciHigh: 0.15, cv: 0.1 }),
    ];
    mockFetch({
      'GET /api/v1/surveys/waves': () => jsonResponse({ items: [WAVE] }),
      [`GET /api/v1/surveys/waves/${WAVE.id}`]: () => jsonResponse({ wave: WAVE, estimates }),
      'GET /api/v1/surveys/headlines': () =>
        jsonResponse({
          items: [
            {
              waveId: WAVE.id,
              name: WAVE.name,
              year: 2024,
              isPublished: false,
              scoringRule: 'official-2021',
              method: 'linearization',
              estimate: 0.103020030000274,
              ciLow: 0.0813156384812976,
              ciHigh: 0.129699768256662,
              n: 2151,
            },
          ],
          target: XUZHOU_RATE_TARGET,
        }),
    });
    renderApp('/monitoring', buildMe({ role: 'leader' }));
    const headline = await screen.findByTestId('headline-rate', {}, { timeout: 15_000 });
    expect(headline.textContent).toBe('10.30% [8.13%, 12.97%]');
    // The target is the plan's own survey-rate indicator.
    expect(await screen.findByText('规划 2025 年目标')).toBeTruthy();
    expect(screen.getByText(/低于目标 5\.20 个百分点/)).toBeTruthy();
    // Leaders read, they do not upload or publish.
    expect(screen.queryByRole('button', { name: /上传调查数据/ })).toBeNull();
    expect(screen.queryByRole('switch', { name: '公开发布主要结果' })).toBeNull();
    const row = await tableRow('泉山区');
    expect(within(row).getByText('小样本')).toBeTruthy();
    expect(within(row).getByText('20.00% [8.00%, 40.00%]')).toBeTruthy();
    const link = within(row).getByRole('link', { name: '方法说明' }) as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe(
      `/api/v1/surveys/waves/${WAVE.id}/method-note?method=linearization&variable=literate&by=district&domain=${encodeURIComponent('泉山区')}`,
    );
    const other = await tableRow('鼓楼区');
    expect(within(other).queryByText('小样本')).toBeNull();
    expect(within(other).queryByText('全为 0')).toBeNull();
  });

  it('before any wave, still shows the published series (baselines, national, provincial)', async () => {
    mockFetch({ 'GET /api/v1/surveys/waves': () => jsonResponse({ items: [] }) });
    renderApp('/monitoring', buildMe({ role: 'leader' }));
    expect(await screen.findByText(/还没有调查轮次/, {}, { timeout: 15_000 })).toBeTruthy();
    expect(screen.getByText('变化趋势')).toBeTruthy();
    expect(screen.getByRole('img', { name: '公民具备科学素质比例的变化趋势' })).toBeTruthy();
  });

  it('shows the flag and the method beside an exact-0 row and the mean-type score', async () => {
    const estimates = [
      est({}),
      est({
        variable: 'score',
        kind: 'mean',
        ciMethod: 'wald',
        estimate: 36.58,
        se: 1.03,
        ciLow: 34.51,
        ciHigh: 38.64,
      }),
      est({
        by: 'district',
        domain: '贾汪区',
        n: 40,
        estimate: 0,
        se: 0,
        ciLow: null,
        ciHigh: null,
        deff: null,
        cv: null,
        ciMethod: null,
        flags: ['all_zero'],
      }),
    ];
    mockFetch({
      'GET /api/v1/surveys/waves': () => jsonResponse({ items: [WAVE] }),
      [`GET /api/v1/surveys/waves/${WAVE.id}`]: () => jsonResponse({ wave: WAVE, estimates }),
    });
    renderApp('/monitoring', buildMe({ role: 'leader' }));
    const score = await screen.findByTestId('headline-score', {}, { timeout: 15_000 });
    expect(score.textContent).toContain('36.58 [34.51, 38.64]');
    const scoreItem = score.closest('td')!;
    expect(within(scoreItem).getByText('均值·Wald 区间')).toBeTruthy();
    expect(within(scoreItem).getByText('线性化（设计权数）')).toBeTruthy();
    // The district also labels the gap chart: take the table cell.
    const cells = await screen.findAllByText('贾汪区');
    const row = cells.map((c) => c.closest('tr')).find((r) => r !== null)!;
    expect(within(row).getByText('0.00%')).toBeTruthy();
    expect(within(row).getByText('全为 0')).toBeTruthy();
    expect(within(row).getByText('线性化（设计权数）')).toBeTruthy();
  });

  it('offers analysts the upload and the publish switch; reporters get no monitoring', async () => {
    mockFetch({
      'GET /api/v1/surveys/waves': () => jsonResponse({ items: [WAVE] }),
      [`GET /api/v1/surveys/waves/${WAVE.id}`]: () => jsonResponse({ wave: WAVE, estimates: [est({})] }),
    });
    renderApp('/monitoring', buildMe({ role: 'analyst' }));
    expect(await screen.findByRole('switch', { name: '公开发布主要结果' }, { timeout: 15_000 })).toBeTruthy();
    expect(screen.getByRole('button', { name: /上传调查数据/ })).toBeTruthy();
  });

  it('marks the demo wave and offers no publish switch for it', async () => {
    const demo = { ...WAVE, isDemo: true, name: '2025 年公民科学素质抽样调查（演示）' };
    mockFetch({
      'GET /api/v1/surveys/waves': () => jsonResponse({ items: [demo] }),
      [`GET /api/v1/surveys/waves/${WAVE.id}`]: () => jsonResponse({ wave: demo, estimates: [est({})] }),
    });
    renderApp('/monitoring', buildMe({ role: 'analyst' }));
    expect(await screen.findByText('演示数据 · 不公开发布', {}, { timeout: 15_000 })).toBeTruthy();
    expect(screen.queryByRole('switch', { name: '公开发布主要结果' })).toBeNull();
  });
});
