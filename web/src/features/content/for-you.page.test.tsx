import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMe, jsonResponse, mockFetch, renderApp } from '../../test/render';

const ID = (n: number) => `01J00000000000000000000${String(n).padStart(3, '0')}`;

const PLACES = {
  items: [
    { id: ID(1), name: '徐州市', level: 'city', parentId: null },
    { id: ID(2), name: '丰县', level: 'county', parentId: ID(1) },
  ],
};

describe('为您推荐 and 科普经费', () => {
  afterEach(() => localStorage.clear());

  it('asks for a county and a group first, then shows the remembered choice with its reasons', async () => {
    mockFetch({
      'GET /api/v1/public/recommendations/jurisdictions': () => jsonResponse(PLACES),
      'GET /api/v1/public/recommendations': () =>
        jsonResponse({
          jurisdictionName: '丰县',
          groupLabel: '青少年',
          content: [
            {
              id: ID(10),
              title: '青少年近视防控十问',
              summary: '每天户外活动两小时',
              url: null,
              themes: ['健康'],
              publishedOn: '2026-01-10',
              publisher: '徐州市',
              reason: '因为您选择了丰县和青少年',
            },
          ],
          activities: [
            {
              id: ID(11),
              title: '丰县青少年科技节',
              place: '丰县科技馆',
              startDate: '2099-06-01',
              endDate: '2099-06-01',
              theme: null,
              mode: '线下',
              jurisdictionName: '丰县',
              reason: '因为您选择了青少年',
            },
          ],
        }),
    });
    renderApp('/public/for-you', null);
    expect(await screen.findByText('请先选择县区和人群', {}, { timeout: 15_000 })).toBeTruthy();

    localStorage.setItem('kesu.forYou', JSON.stringify({ jurisdictionId: ID(2), group: 'youth' }));
    renderApp('/public/for-you', null);
    expect(await screen.findByText('青少年近视防控十问', {}, { timeout: 15_000 })).toBeTruthy();
    expect(screen.getByText('因为您选择了丰县和青少年')).toBeTruthy();
    expect(screen.getByText('因为您选择了青少年')).toBeTruthy();
    expect(document.body.textContent).not.toContain(ID(10));
  });

  it('shows a child without residents as missing on the 科普经费 page, never 0', async () => {
    const summary = (id: string, name: string, residents: number | null) => ({
      jurisdictionId: id,
      name,
      budgeted: 1_500_000,
      spent: null,
      residents,
      residentsYear: residents ? 2026 : null,
      perResident: residents ? 1.5 : null,
      standard: 1.5,
      meetsStandard: residents ? true : null,
      missing: residents ? null : '缺少常住人口数据',
    });
    mockFetch({
      'GET /api/v1/jurisdictions': () =>
        jsonResponse({
          items: [{ id: ID(1), name: '徐州市', parentId: null, level: 'city', path: `/${ID(1)}/` }],
        }),
      'GET /api/v1/funding': () =>
        jsonResponse({
          jurisdictionId: ID(1),
          jurisdictionName: '徐州市',
          year: 2026,
          rows: [],
          own: summary(ID(1), '徐州市', 9_000_000),
          children: [summary(ID(2), '沛县', null)],
          ownStandard: 1.5,
          canEdit: true,
          canSetStandard: true,
        }),
    });
    renderApp('/funding', buildMe({ role: 'admin', jurisdictionId: ID(1) }));
    expect(await screen.findByText('缺少常住人口数据', {}, { timeout: 15_000 })).toBeTruthy();
    expect(screen.getByText('达标')).toBeTruthy();
  });
});
