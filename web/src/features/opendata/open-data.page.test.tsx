import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockFetch, renderApp } from '../../test/render';

const base = '/api/v1/public/open-data/320300/dashboard-summary';
const links = (period: string) => ({
  csv: `${base}/${period}.csv`,
  xlsx: `${base}/${period}.xlsx`,
  json: `${base}/${period}.json`,
});

const CATALOGUE = {
  licence: '开放数据：可免费复制、使用和再发布，须注明来源。',
  rateLimitPerMinute: 120,
  csvNote: 'CSV 只含数据表；数据截至日期在响应头。',
  items: [
    {
      dataset: 'dashboard-summary',
      title: '规划实施总体情况',
      description: '一个填报周期的总体完成度。',
      method: '公众看板发布时冻结的数字。',
      source: '公众看板快照',
      jurisdiction: { key: '320300', name: '徐州市', level: '市级', depth: 0 },
      periods: [
        { period: '2025-12-31', label: '2025年度', asOf: '2025-12-31', urls: links('2025-12-31') },
        { period: '2024-12-31', label: '2024年度', asOf: '2024-12-31', urls: links('2024-12-31') },
      ],
      latest: links('latest'),
    },
  ],
};

describe('开放数据 (public)', () => {
  it('lists each level’s datasets with the as-of date, method, downloads and stable URLs', async () => {
    mockFetch({ 'GET /api/v1/public/open-data': () => jsonResponse(CATALOGUE) });
    renderApp('/public/open-data', null);
    expect(await screen.findByText('规划实施总体情况', {}, { timeout: 15_000 })).toBeTruthy();
    expect(screen.getByText('徐州市')).toBeTruthy();
    expect(screen.getByText('数据截至 2025-12-31')).toBeTruthy();
    expect(screen.getByText(/统计方法：公众看板发布时冻结的数字/)).toBeTruthy();
    const csv = screen.getByRole('link', { name: '下载规划实施总体情况（CSV）' });
    expect(csv.getAttribute('href')).toBe(`${base}/2025-12-31.csv`);
    expect(screen.getByRole('link', { name: '下载规划实施总体情况（Excel）' }).getAttribute('href')).toBe(
      `${base}/2025-12-31.xlsx`,
    );
    expect(screen.getByText(`${base}/latest.csv`)).toBeTruthy();
    // Another period: its own fixed URL and date.
    fireEvent.mouseDown(screen.getByRole('combobox', { name: '规划实施总体情况的期别' }));
    fireEvent.click(await screen.findByText('2024年度'));
    expect(await screen.findByText('数据截至 2024-12-31')).toBeTruthy();
    expect(screen.getByText(`${base}/2024-12-31.csv`)).toBeTruthy();
    expect(screen.getByText(/每分钟最多 120 次/)).toBeTruthy();
  });

  it('says so when nothing is published', async () => {
    mockFetch({ 'GET /api/v1/public/open-data': () => jsonResponse({ ...CATALOGUE, items: [] }) });
    renderApp('/public/open-data', null);
    expect(await screen.findByText('尚无已发布的开放数据', {}, { timeout: 15_000 })).toBeTruthy();
  });
});
