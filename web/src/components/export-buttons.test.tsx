import { QueryClient } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Providers } from '../App';
import { jsonResponse, mockFetch } from '../test/render';
import { FileExportButtons } from './export-buttons';

function renderButtons() {
  const urlOf = vi.fn((f: 'xlsx' | 'csv') => `/api/v1/activities/export?format=${f}`);
  render(
    <Providers queryClient={new QueryClient()}>
      <FileExportButtons urlOf={urlOf} />
    </Providers>,
  );
  return urlOf;
}

// jsdom has no object URLs; the stubs go after each test (test files share a worker).
const objectUrls = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
function stubObjectUrls() {
  const create = vi.fn(() => 'blob:x');
  URL.createObjectURL = create;
  URL.revokeObjectURL = vi.fn();
  return create;
}

describe('FileExportButtons', () => {
  afterEach(() => {
    URL.createObjectURL = objectUrls.create;
    URL.revokeObjectURL = objectUrls.revoke;
  });

  it('shows the server’s refusal in Chinese instead of saving a file that holds an error', async () => {
    const message =
      '符合条件的活动有 200000 条，超过一次导出的上限 100000 条，请先按年度、地区或主办单位筛选';
    const fetch = mockFetch({
      'GET /api/v1/activities/export': () =>
        jsonResponse({ error: { code: 'PAYLOAD_TOO_LARGE', message, requestId: 'r' } }, 413),
    });
    const createObjectURL = stubObjectUrls();
    renderButtons();
    fireEvent.click(screen.getByRole('button', { name: '导出 Excel' }));
    expect(await screen.findByText(message)).toBeTruthy();
    expect(fetch).toHaveBeenCalledWith('/api/v1/activities/export?format=xlsx', {
      credentials: 'same-origin',
    });
    expect(createObjectURL).not.toHaveBeenCalled();
  });

  it('saves the file under the name the server gives, the other button waiting meanwhile', async () => {
    let answer: (r: Response) => void = () => {};
    mockFetch({
      'GET /api/v1/activities/export': () =>
        new Promise<Response>((resolve) => {
          answer = resolve;
        }),
    });
    const createObjectURL = stubObjectUrls();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderButtons();
    fireEvent.click(screen.getByRole('button', { name: '导出 CSV' }));
    await waitFor(() =>
      expect(screen.getByRole('button', { name: '导出 Excel' }).hasAttribute('disabled')).toBe(true),
    );
    answer(
      new Response('a,b\r\n', {
        status: 200,
        headers: {
          'content-type': 'text/csv',
          'content-disposition': `attachment; filename="export.csv"; filename*=UTF-8''${encodeURIComponent('科普活动-2026-12-05.csv')}`,
        },
      }),
    );
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    const a = click.mock.instances[0] as unknown as HTMLAnchorElement;
    expect(a.download).toBe('科普活动-2026-12-05.csv');
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: '导出 Excel' }).hasAttribute('disabled')).toBe(false),
    );
    click.mockRestore();
  });
});
