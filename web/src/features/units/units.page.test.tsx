import type { Unit } from '@kesu/shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildMe, jsonResponse, mockFetch, renderApp } from '../../test/render';

function buildUnit(overrides: Partial<Unit> = {}): Unit {
  return {
    id: '01J0000000000000000000000A',
    kind: 'mass_org',
    name: '徐州市科学技术协会',
    shortName: '市科协',
    aliases: ['科协'],
    regionCode: null,
    jurisdictionId: null,
    isActive: true,
    sortOrder: 10,
    version: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const page = (items: Unit[]) => jsonResponse({ items, total: items.length, page: 1, pageSize: 20 });

describe('UnitsPage', () => {
  it('lets an admin add a unit and shows it after the list refetches', async () => {
    let units: Unit[] = [];
    const fetchMock = mockFetch({
      'GET /api/v1/units': () => page(units),
      'POST /api/v1/units': (init) => {
        const body = JSON.parse(String(init.body));
        const created = buildUnit({ ...body, id: '01J0000000000000000000000B' });
        units = [created];
        return jsonResponse(created, 201);
      },
    });
    renderApp('/units', buildMe());
    expect(await screen.findByText('暂无单位')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /新增单位/ }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('全称'), { target: { value: '徐州市气象局' } });
    fireEvent.change(within(dialog).getByLabelText('简称'), { target: { value: '市气象局' } });
    fireEvent.change(within(dialog).getByLabelText('行政区划代码'), { target: { value: '32031' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    // Shared RegionCodeSchema refuses five digits: nothing is sent.
    expect(await within(dialog).findByText('行政区划代码应为 6 位数字')).toBeTruthy();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);

    fireEvent.change(within(dialog).getByLabelText('行政区划代码'), { target: { value: '' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    expect(await screen.findByText('徐州市气象局')).toBeTruthy();
    const post = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({
      kind: 'department',
      name: '徐州市气象局',
      shortName: '市气象局',
      aliases: [],
      regionCode: null,
      sortOrder: 1000,
      jurisdictionId: null,
    });
  });

  it('shows a reporter the list without admin actions', async () => {
    mockFetch({ 'GET /api/v1/units': () => page([buildUnit()]) });
    renderApp(
      '/units',
      buildMe({ role: 'reporter', unitId: '01J0000000000000000000000A', unitName: '市科协' }),
    );
    expect(await screen.findByText('徐州市科学技术协会')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /新增单位/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /停\s*用/ })).toBeNull();
  });

  it('sends the version read when an admin deactivates a unit', async () => {
    const fetchMock = mockFetch({
      'GET /api/v1/units': () => page([buildUnit({ version: 7 })]),
      'POST /api/v1/units/01J0000000000000000000000A/deactivate': () =>
        jsonResponse(buildUnit({ isActive: false, version: 8 })),
    });
    renderApp('/units', buildMe());
    // Text queries, not role queries: computing accessible names over an antd table is very slow in jsdom.
    await screen.findByText('徐州市科学技术协会');
    fireEvent.click(screen.getByText(/^停\s*用$/).closest('button') as HTMLElement);
    // Nothing is sent until the Popconfirm is confirmed.
    const popover = (await screen.findByText('停用「市科协」？')).closest('.ant-popover') as HTMLElement;
    expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/deactivate'))).toBe(false);
    fireEvent.click(
      within(popover)
        .getByText(/^停\s*用$/)
        .closest('button') as HTMLElement,
    );
    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/deactivate'))).toBe(true),
    );
    const call = fetchMock.mock.calls.find(([url]) => String(url).endsWith('/deactivate'));
    expect(JSON.parse(String(call?.[1]?.body))).toEqual({ version: 7 });
  });
});
