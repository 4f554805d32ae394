import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildMe, jsonResponse, mockFetch, renderApp } from '../../test/render';

const EMPTY_PAGE = { items: [], total: 0, page: 1, pageSize: 100 };

/** The lists the pickers read, empty. */
function pickerLists(extra: Parameters<typeof mockFetch>[0] = {}) {
  return mockFetch({
    'GET /api/v1/plans': () => jsonResponse(EMPTY_PAGE),
    'GET /api/v1/reporting/cycles': () => jsonResponse(EMPTY_PAGE),
    'GET /api/v1/supervision/notices': () => jsonResponse(EMPTY_PAGE),
    'GET /api/v1/units': () => jsonResponse(EMPTY_PAGE),
    ...extra,
  });
}

// The page is loaded lazily; a cold transform of it and antd can take seconds.
describe('DocumentsPage', { timeout: 30_000 }, () => {
  it('offers a unit’s user its own summary and notices only, and no template editor', async () => {
    pickerLists();
    renderApp(
      '/documents',
      buildMe({ role: 'reporter', unitId: '01J00000000000000000000UNT', unitName: '市教育局' }),
    );
    const kinds = await screen.findByRole('radiogroup', {}, { timeout: 15_000 });
    expect(
      within(kinds)
        .getAllByRole('radio')
        .map((r) => r.closest('label')?.textContent),
    ).toEqual(['单位年度工作总结', '督办通知书']);
    expect(screen.queryByRole('tab', { name: '文档模板' })).toBeNull();
    // Nothing chosen yet: the downloads wait for a plan.
    expect(screen.getByRole('button', { name: /下载 Word/ }).hasAttribute('disabled')).toBe(true);
  });

  it('gives the admin the four kinds and the template editor with the placeholders', async () => {
    pickerLists({
      'GET /api/v1/documents/templates': () =>
        jsonResponse({
          items: [
            {
              kind: 'bulletin',
              label: '进展通报',
              fields: {
                docNumber: '徐科协〔{{年份}}〕1号',
                title: '关于{{周期名称}}的通报',
                intro: '按时报送率{{按时报送率}}',
                closing: '',
                signature: '{{发文机关}}',
              },
              isDefault: true,
              version: null,
              updatedAt: null,
              updatedBy: null,
              placeholders: [
                { name: '年份', label: '文档所属年份' },
                { name: '按时报送率', label: '按时报送率（%）' },
              ],
            },
          ],
        }),
    });
    renderApp('/documents', buildMe());
    const kinds = await screen.findByRole('radiogroup', {}, { timeout: 15_000 });
    expect(within(kinds).getAllByRole('radio')).toHaveLength(4);
    fireEvent.click(screen.getByRole('tab', { name: '文档模板' }));
    expect(await screen.findByText('{{按时报送率}}')).toBeTruthy();
    expect(screen.getByText('按时报送率（%）')).toBeTruthy();
    expect(screen.getByText(/当前使用系统默认模板/)).toBeTruthy();
  });
});
