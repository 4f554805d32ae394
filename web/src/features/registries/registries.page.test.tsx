import type { RegistryRecord } from '@kesu/shared';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildMe, jsonResponse, mockFetch, renderApp } from '../../test/render';

const record: RegistryRecord = {
  id: '01J0000000000000000000000A',
  kind: 'demo_school',
  name: '徐州市第一中学',
  jurisdictionId: '01J0000000000000000000000J',
  jurisdictionName: '徐州市',
  unitId: '01J0000000000000000000000B',
  unitName: '徐州市教育局',
  level: '省级',
  category: null,
  theme: null,
  recognisedOn: '2023-09-01',
  expiresOn: null,
  withdrawnOn: null,
  withdrawnReason: null,
  year: 2023,
  quantity: null,
  hours: null,
  address: null,
  longitude: null,
  latitude: null,
  openToPublic: null,
  openingHours: null,
  parentId: null,
  parentName: null,
  details: {},
  status: '在册',
  canEdit: true,
  isDemo: false,
  version: 1,
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('RegistriesPage', () => {
  it('lists the records behind a linked number and checks the kind’s rules before sending', async () => {
    const fetchMock = mockFetch({
      'GET /api/v1/registries/demo_school': () =>
        jsonResponse({ items: [record], total: 1, page: 1, pageSize: 20, asOf: '2025-12-31' }),
      'GET /api/v1/jurisdictions': () => jsonResponse({ items: [] }),
    });
    renderApp(
      '/registries/demo_school?level=省级&status=in_force&asOf=2025-12-31',
      buildMe({ role: 'reporter', unitId: '01J0000000000000000000000B', unitName: '徐州市教育局' }),
    );
    expect(await screen.findByText('徐州市第一中学')).toBeTruthy();
    expect(screen.getAllByText('状态（2025-12-31）').length).toBeGreaterThan(0);
    const listCall = fetchMock.mock.calls.find(([url]) =>
      String(url).startsWith('/api/v1/registries/demo_school'),
    );
    const query = new URLSearchParams(String(listCall?.[0]).split('?')[1]);
    expect(Object.fromEntries(query)).toMatchObject({
      level: '省级',
      status: 'in_force',
      asOf: '2025-12-31',
    });

    fireEvent.click(screen.getByRole('button', { name: /登\s*记/ }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('学校名称'), { target: { value: '新学校' } });
    fireEvent.change(within(dialog).getByLabelText('认定日期'), { target: { value: '2025-02-29' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    expect(await within(dialog).findByText(/日期无效/)).toBeTruthy();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
  });
});
