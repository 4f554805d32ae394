import type { NoticeDetail, SupervisionAlert } from '@kesu/shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildMe, jsonResponse, mockFetch, renderApp } from '../../test/render';

const UNIT = '01J0000000000000000000000A';
const NOTICE = '01J0000000000000000000000N';
const INDICATOR = '01J0000000000000000000000B';

const alert: SupervisionAlert = {
  key: `indicator_red:${INDICATOR}`,
  kind: 'indicator_red',
  unitId: UNIT,
  unitName: '市教育局',
  title: '市教育局：指标“到2025年底创建15所示范学校”亮红灯',
  detail: '实际 3 所，目标 15 所',
  since: '2026-11-29',
  proposal: {
    subject: '指标亮红灯：到2025年底创建15所示范学校',
    content: '请分析原因，提出整改措施。',
    severity: 'orange',
    deadline: '2099-01-15',
    link: { entityType: 'indicator', entityId: INDICATOR, label: '到2025年底创建15所示范学校' },
  },
  noticeId: null,
};

function buildNotice(overrides: Partial<NoticeDetail> = {}): NoticeDetail {
  return {
    id: NOTICE,
    unitId: UNIT,
    unitName: '市教育局',
    subject: alert.proposal.subject,
    content: alert.proposal.content,
    severity: 'orange',
    deadline: '2099-01-15',
    state: 'issued',
    isOverdue: false,
    link: { entityType: 'indicator', entityId: INDICATOR, label: '到2025年底创建15所示范学校' },
    alertKey: alert.key,
    issuedBy: '系统管理员',
    issuedAt: '2026-11-29T01:00:00.000Z',
    signedAt: null,
    doneAt: null,
    closedAt: null,
    version: 1,
    updatedAt: '2026-11-29T01:00:00.000Z',
    events: [
      {
        id: '01J0000000000000000000000E',
        action: 'issue',
        fromState: null,
        toState: 'issued',
        comment: '',
        actorName: '系统管理员',
        at: '2026-11-29T01:00:00.000Z',
      },
    ],
    can: { sign: false, reply: false, finish: false, return: false, close: false },
    ...overrides,
  };
}

const common = {
  'GET /api/v1/notifications/unread-count': () => jsonResponse({ count: 3 }),
  'GET /api/v1/units': () => jsonResponse({ items: [], total: 0, page: 1, pageSize: 50 }),
};

describe('supervision pages', () => {
  it('turns an alert into a notice: the form is pre-filled and posts the proposal with the alert key', async () => {
    const fetchMock = mockFetch({
      ...common,
      'GET /api/v1/supervision/alerts': () =>
        jsonResponse({
          today: '2026-11-29',
          items: [alert],
          failedSources: [],
          // 2026-11-29 00:00 UTC: 08:00 in Beijing.
          lastAutoScan: {
            startedAt: '2026-11-29T00:00:01.000Z',
            finishedAt: '2026-11-29T00:00:03.000Z',
            found: 4,
            new: 3,
            failedSources: [],
          },
        }),
      'POST /api/v1/supervision/notices': () => jsonResponse(buildNotice(), 201),
      [`GET /api/v1/supervision/notices/${NOTICE}`]: () => jsonResponse(buildNotice()),
    });
    renderApp('/supervision/alerts', buildMe());
    fireEvent.click(await screen.findByRole('button', { name: '转为督办' }, { timeout: 5000 }));
    // When the scheduled scan last ran, in Beijing time, and what it found new.
    expect(screen.getByText('上次自动扫描：2026-11-29 08:00（新增 3 条）')).toBeTruthy();
    const dialog = await screen.findByRole('dialog');
    expect((within(dialog).getByLabelText('督办事项') as HTMLInputElement).value).toBe(
      alert.proposal.subject,
    );
    // The linked indicator shows by its name, never by its internal 编号.
    expect(within(dialog).getByText('到2025年底创建15所示范学校')).toBeTruthy();
    expect(dialog.textContent).not.toContain(INDICATOR);
    fireEvent.click(within(dialog).getByRole('button', { name: /交\s*办/ }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(true));
    const post = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({
      unitId: UNIT,
      subject: alert.proposal.subject,
      content: alert.proposal.content,
      severity: 'orange',
      deadline: '2099-01-15',
      link: { entityType: 'indicator', entityId: INDICATOR },
      alertKey: alert.key,
    });
    // Then the new notice opens, with its timeline.
    expect(await screen.findByText('办理过程', {}, { timeout: 5000 })).toBeTruthy();
    // The bell shows the unread count.
    expect(screen.getByRole('button', { name: '通知（3 条未读）' })).toBeTruthy();
    // The first test of the file pays for loading the lazy pages, antd's form controls and the modal.
  }, 45_000);

  it('turns a selection of alerts into notices after a confirmation, sending their keys', async () => {
    const second: SupervisionAlert = {
      ...alert,
      key: 'report_overdue:x',
      kind: 'report_overdue',
      title: '市科协：报告逾期',
    };
    const fetchMock = mockFetch({
      ...common,
      'GET /api/v1/supervision/alerts': () =>
        jsonResponse({ today: '2026-11-29', items: [alert, second], failedSources: [], lastAutoScan: null }),
      'POST /api/v1/supervision/notices/from-alerts': () =>
        jsonResponse({
          created: [
            { alertKey: alert.key, noticeId: NOTICE },
            { alertKey: second.key, noticeId: NOTICE },
          ],
          skipped: [],
        }),
    });
    renderApp('/supervision/alerts', buildMe());
    const batchButton = await screen.findByRole('button', { name: /批量转为督办/ }, { timeout: 5000 });
    // No scheduled scan yet: the page says so.
    expect(await screen.findByText('上次自动扫描：尚未运行', {}, { timeout: 5000 })).toBeTruthy();
    expect((batchButton as HTMLButtonElement).disabled).toBe(true);
    const boxes = await screen.findAllByRole('checkbox');
    fireEvent.click(boxes[0] as HTMLElement); // the header box selects every row
    fireEvent.click(screen.getByRole('button', { name: /批量转为督办（2）/ }));
    expect((await screen.findAllByText('把选中的 2 条预警转为督办单？')).length).toBeGreaterThan(0);
    fireEvent.click((await screen.findAllByRole('button', { name: /确认交办/ }))[0] as HTMLElement);
    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([url]) => String(url).includes('/from-alerts'))).toBe(true),
    );
    const post = fetchMock.mock.calls.find(([url]) => String(url).includes('/from-alerts'));
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ alertKeys: [alert.key, second.key] });
    expect(await screen.findByText('已交办 2 份督办单')).toBeTruthy();
  }, 45_000);

  it('refuses a blank issue form without sending anything', async () => {
    const fetchMock = mockFetch({
      ...common,
      'GET /api/v1/supervision/notices': () => jsonResponse({ items: [], total: 0, page: 1, pageSize: 20 }),
    });
    renderApp('/supervision', buildMe());
    expect(await screen.findByText('暂无督办单')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '交办督办单' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: /交\s*办/ }));
    expect(await within(dialog).findByText('请选择承办单位')).toBeTruthy();
    expect(within(dialog).getByText('督办事项不能为空')).toBeTruthy();
    expect(within(dialog).getByText('请选择办理期限')).toBeTruthy();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
  });

  it('finds the linked record by name: choosing a type, typing a name and picking sends its id', async () => {
    const TASK = '01J0000000000000000000000T';
    const searches: string[] = [];
    const fetchSpy = mockFetch({
      ...common,
      'GET /api/v1/supervision/notices': () => jsonResponse({ items: [], total: 0, page: 1, pageSize: 20 }),
      'GET /api/v1/supervision/link-targets': () =>
        jsonResponse({
          items: [{ id: TASK, label: '三.(一).1 推进科普基地建设', context: '徐州市全民科学素质行动规划' }],
        }),
    });
    renderApp('/supervision', buildMe());
    fireEvent.click(await screen.findByRole('button', { name: '交办督办单' }));
    const dialog = await screen.findByRole('dialog');
    const name = within(dialog).getByRole('combobox', { name: '关联对象名称' });
    expect((name as HTMLInputElement).disabled).toBe(true); // a type first
    fireEvent.mouseDown(within(dialog).getByRole('combobox', { name: '关联对象类型' }));
    fireEvent.click(await screen.findByText('规划任务'));
    await waitFor(() => expect((name as HTMLInputElement).disabled).toBe(false));
    fireEvent.mouseDown(name);
    fireEvent.change(name, { target: { value: '科普基地' } });
    // The typed name is what the server searches (after the debounce).
    await waitFor(() => {
      const urls = fetchSpy.mock.calls.map(([url]) => String(url)).filter((u) => u.includes('link-targets'));
      searches.splice(0, searches.length, ...urls);
      expect(
        searches.some((u) => u.includes('type=task') && u.includes(encodeURIComponent('科普基地'))),
      ).toBe(true);
    });
    fireEvent.click(await screen.findByText('三.(一).1 推进科普基地建设', {}, { timeout: 5000 }));
    // The picked record shows by its name in the field.
    await waitFor(() =>
      expect(within(dialog).getAllByText('三.(一).1 推进科普基地建设').length).toBeGreaterThan(0),
    );
    expect(dialog.textContent).not.toContain(TASK);
  }, 20_000);

  it('lets a reporter sign a notice of its unit after confirming, sending the version read', async () => {
    let current = buildNotice({
      version: 4,
      can: { sign: true, reply: false, finish: false, return: false, close: false },
    });
    const fetchMock = mockFetch({
      ...common,
      [`GET /api/v1/supervision/notices/${NOTICE}`]: () => jsonResponse(current),
      [`POST /api/v1/supervision/notices/${NOTICE}/sign`]: () => {
        current = buildNotice({ state: 'signed', version: 5 });
        return jsonResponse(current);
      },
    });
    renderApp(
      `/supervision/notices/${NOTICE}`,
      buildMe({ role: 'reporter', unitId: UNIT, unitName: '市教育局' }),
    );
    fireEvent.click(await screen.findByRole('button', { name: /^签\s*收$/ }, { timeout: 5000 }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('确认签收该督办单？')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: '确认签收' }));
    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([url]) => String(url).endsWith('/sign'))).toBe(true),
    );
    const call = fetchMock.mock.calls.find(([url]) => String(url).endsWith('/sign'));
    expect(JSON.parse(String(call?.[1]?.body))).toEqual({ version: 4, comment: '' });
    expect((await screen.findAllByText('已签收')).length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: /^签\s*收$/ })).toBeNull();
  });

  it('shows a reporter 我的督办 with an empty state', async () => {
    mockFetch({
      ...common,
      'GET /api/v1/supervision/notices': () => jsonResponse({ items: [], total: 0, page: 1, pageSize: 20 }),
    });
    renderApp('/supervision/mine', buildMe({ role: 'reporter', unitId: UNIT, unitName: '市教育局' }));
    expect(await screen.findByText('本单位暂无督办事项')).toBeTruthy();
    expect(screen.getByText('我的督办（市教育局）')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '交办督办单' })).toBeNull();
  });
});
