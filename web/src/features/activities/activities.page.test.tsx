import type { Coverage, PublicCalendar } from '@kesu/shared';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildMe, jsonResponse, mockFetch, renderApp } from '../../test/render';

const CITY = '01J0000000000000000000000C';
const FENGXIAN = '01J0000000000000000000000F';
const PEIXIAN = '01J0000000000000000000000P';

const jurisdictions = {
  items: [
    {
      id: CITY,
      code: '320300',
      name: '徐州市',
      shortName: '徐州市',
      level: 'city',
      parentId: null,
      depth: 0,
      governmentUnitId: null,
      unitCount: 0,
      userCount: 0,
      sortOrder: 0,
      version: 1,
    },
  ],
};

const common = {
  'GET /api/v1/jurisdictions': () => jsonResponse(jurisdictions),
  'GET /api/v1/notifications': () => jsonResponse({ items: [], total: 0, unread: 0, page: 1, pageSize: 20 }),
  'GET /api/v1/notifications/unread-count': () => jsonResponse({ count: 0 }),
};

describe('CoveragePage', () => {
  it('shows the share against 80% with the source of residents, and a county without residents as missing', async () => {
    const row = (id: string, name: string, extra: Partial<Coverage['total']>) => ({
      jurisdictionId: id,
      name,
      personTimes: 0,
      activities: 0,
      residents: null,
      populationSource: null,
      coverage: null,
      status: 'missing_population' as const,
      ...extra,
    });
    const coverage: Coverage = {
      year: 2026,
      target: 0.8,
      caveat: '覆盖面按活动参与人次计算，同一居民多次参加会重复计入，并非覆盖的人数。',
      rows: [
        row(FENGXIAN, '丰县', {
          personTimes: 850,
          activities: 2,
          residents: 1000,
          populationSource: '县统计局公报',
          coverage: 0.85,
          status: 'ok',
        }),
        row(PEIXIAN, '沛县', { personTimes: 400, activities: 1 }),
      ],
      total: row(CITY, '徐州市', { personTimes: 1250, activities: 3 }),
    };
    mockFetch({ ...common, 'GET /api/v1/coverage': () => jsonResponse(coverage) });
    renderApp('/activities/coverage', buildMe());
    expect(await screen.findByText('85.0%')).toBeTruthy();
    expect(screen.getByText('来源：县统计局公报')).toBeTruthy();
    expect(screen.getAllByText('缺少常住人口数据')).toHaveLength(2);
    expect(screen.queryByText('0.0%')).toBeNull();
    expect(screen.getAllByText(/并非覆盖的人数/).length).toBeGreaterThan(0);
    expect(screen.getAllByRole('link', { name: '常住人口' })[0]!.getAttribute('href')).toBe(
      '/monitoring/margins',
    );
  });
});

describe('ActivityFormPage', () => {
  it('offers the phone camera and refuses an end before the start without sending anything', async () => {
    const fetchMock = mockFetch({ ...common });
    renderApp(
      '/activities/new',
      buildMe({
        role: 'reporter',
        unitId: '01J0000000000000000000000U',
        unitName: '丰县科协',
        jurisdictionId: CITY,
      }),
    );
    const camera = (await screen.findByLabelText('拍照')) as HTMLInputElement;
    expect(camera.getAttribute('capture')).toBe('environment');
    expect(camera.getAttribute('accept')).toBe('image/*');
    fireEvent.change(screen.getByLabelText('活动名称'), { target: { value: '科普讲座' } });
    fireEvent.change(screen.getByLabelText('活动地点'), { target: { value: '丰县科技馆' } });
    fireEvent.change(screen.getByLabelText('开始日期'), { target: { value: '2026-05-21' } });
    fireEvent.change(screen.getByLabelText('结束日期'), { target: { value: '2026-05-20' } });
    fireEvent.change(screen.getByLabelText('参与人次'), { target: { value: '120' } });
    fireEvent.click(screen.getByRole('button', { name: /上\s*报/ }));
    expect(await screen.findByText('结束日期不能早于开始日期')).toBeTruthy();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
  });
});

describe('PublicCalendarPage', () => {
  it('lists upcoming activities to anyone, without signing in', async () => {
    const calendar: PublicCalendar = {
      today: '2026-05-01',
      jurisdictions: [
        { id: CITY, name: '徐州市', parentId: null },
        { id: FENGXIAN, name: '丰县', parentId: CITY },
      ],
      items: [
        {
          id: '01J0000000000000000000000A',
          title: '青少年科学营',
          organiserName: '丰县科协',
          jurisdictionId: FENGXIAN,
          jurisdictionName: '丰县',
          place: '丰县实验小学',
          startDate: '2026-05-10',
          endDate: '2026-05-10',
          theme: null,
          campaign: '科技活动周',
          mode: 'offline',
          populations: ['youth'],
          summary: null,
        },
      ],
      truncated: false,
    };
    mockFetch({ 'GET /api/v1/public/activities': () => jsonResponse(calendar) });
    renderApp('/public/calendar', null);
    expect(await screen.findByText('青少年科学营')).toBeTruthy();
    await waitFor(() => expect(screen.getByText(/丰县实验小学/)).toBeTruthy());
    expect(screen.getByText('面向：青少年')).toBeTruthy();
  });
});
