import type { TemplateUploadResult } from '@kesu/shared';
import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exportUrl } from '../../components/export-buttons';
import { buildMe, jsonResponse, renderApp } from '../../test/render';
import { TemplateResult } from './template-buttons';

const ID = (c: string) => `01J00000000000000000000${c.padStart(3, '0')}`;

/** Answer /api/v1/demo with `demo`, anything else with an empty 404 (other widgets may ask). */
function stubDemo(isLoaded: boolean) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.startsWith('/api/v1/demo')) {
        return jsonResponse({
          isLoaded,
          batchId: isLoaded ? ID('9') : null,
          createdAt: isLoaded ? '2026-01-01T00:00:00.000Z' : null,
          counts: isLoaded ? { progress_reports: 1563 } : {},
        });
      }
      return jsonResponse({ error: { code: 'NOT_FOUND', message: '请求的资源不存在' } }, 404);
    }),
  );
}

describe('exchange web', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('export links carry the list filters and the format, never the page', () => {
    expect(exportUrl('reports', 'csv', { cycleId: ID('1'), state: undefined, page: 3, pageSize: 20 })).toBe(
      `/api/v1/exports/reports?cycleId=${ID('1')}&format=csv`,
    );
    expect(exportUrl('units', 'xlsx')).toBe('/api/v1/exports/units?format=xlsx');
  });

  it('the upload result lists row errors in Chinese, flags and applied rows', () => {
    const result: TemplateUploadResult = {
      cycleId: ID('1'),
      unitId: ID('2'),
      applied: [
        {
          row: 3,
          reportId: ID('3'),
          taskPath: '3.1.1',
          item: '到2025年底创建15所',
          county: null,
          before: '8',
          after: '12',
        },
      ],
      errors: [{ row: 12, message: '第 12 行：“填报值”应为数字，实为“十二”' }],
      flags: [{ row: 3, message: '第 3 行：低于上次审核值（已填写说明，请审核时核实）' }],
      unchanged: 4,
      reportsChanged: 1,
    };
    render(<TemplateResult result={result} />);
    expect(screen.getByTestId('template-summary').textContent).toContain('已导入 1 行');
    expect(screen.getByTestId('template-errors').textContent).toContain('第 12 行：“填报值”应为数字');
    expect(screen.getByText('到2025年底创建15所')).toBeTruthy();
    expect(screen.getByText(/低于上次审核值/)).toBeTruthy();
  });

  it('the home page shows the demo banner while demo data exists, and not after', async () => {
    stubDemo(true);
    const { unmount } = renderApp('/', buildMe());
    expect((await screen.findByTestId('demo-banner')).textContent).toContain('npx kesu demo remove');
    unmount();
    stubDemo(false);
    renderApp('/', buildMe());
    await screen.findByText(/欢迎/);
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('demo-banner')).toBeNull();
  });
});
