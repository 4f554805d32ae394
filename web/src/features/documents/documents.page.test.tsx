import type { DocumentJob, Notice } from '@kesu/shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { buildMe, jsonResponse, mockFetch, renderApp } from '../../test/render';

const EMPTY_PAGE = { items: [], total: 0, page: 1, pageSize: 100 };
const NOTICE_ID = '01J0000000000000000000000N';
const JOB_ID = '01J00000000000000000000J0B';

const notice: Notice = {
  id: NOTICE_ID,
  unitId: '01J00000000000000000000XNT',
  unitName: '市教育局',
  subject: '请补报第四季度进展',
  content: '按规划要求推进',
  severity: 'red',
  deadline: '2099-01-15',
  state: 'issued',
  isOverdue: false,
  link: null,
  alertKey: null,
  issuedBy: '系统管理员',
  issuedAt: '2026-11-20T02:00:00.000Z',
  signedAt: null,
  doneAt: null,
  closedAt: null,
  version: 1,
  updatedAt: '2026-11-20T02:00:00.000Z',
};

function buildJob(overrides: Partial<DocumentJob> = {}): DocumentJob {
  return {
    id: JOB_ID,
    kind: 'notice',
    query: { noticeId: NOTICE_ID },
    format: 'docx',
    status: 'queued',
    progress: null,
    error: null,
    errorCode: null,
    fileName: null,
    contentType: null,
    sizeBytes: null,
    createdAt: '2026-12-04T08:00:00.000Z',
    finishedAt: null,
    ...overrides,
  };
}

/** Choose 督办通知书 and its one notice, then press a download button. */
async function generateNotice(button: RegExp) {
  const kinds = await screen.findByRole('radiogroup', {}, { timeout: 15_000 });
  fireEvent.click(within(kinds).getByText('督办通知书'));
  fireEvent.mouseDown(await screen.findByRole('combobox'));
  fireEvent.click(await screen.findByText(/请补报第四季度进展/));
  const b = screen.getByRole('button', { name: button });
  await waitFor(() => expect(b.hasAttribute('disabled')).toBe(false));
  fireEvent.click(b);
}

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

  it('makes the document in the background: shows its progress, then saves the file', async () => {
    let polls = 0;
    let started: unknown = null;
    const saved: string[] = [];
    // jsdom has no object URLs: the saved file is seen as the name the page gives its download link.
    const objectUrls = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    URL.createObjectURL = () => 'blob:doc';
    URL.revokeObjectURL = () => undefined;
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push(this.download);
    });
    const fetch = pickerLists({
      'GET /api/v1/supervision/notices': () => jsonResponse({ ...EMPTY_PAGE, items: [notice], total: 1 }),
      'POST /api/v1/documents/jobs': (init) => {
        started = JSON.parse(String(init.body));
        return jsonResponse(buildJob(), 202);
      },
      [`GET /api/v1/documents/jobs/${JOB_ID}`]: () => {
        polls += 1;
        return jsonResponse(
          polls < 3
            ? buildJob({ status: 'running', progress: { phase: 'rendering', percent: 50 } })
            : buildJob({
                status: 'done',
                fileName: '督办通知书.docx',
                contentType: 'application/octet-stream',
                sizeBytes: 3,
                finishedAt: '2026-12-04T08:00:05.000Z',
              }),
        );
      },
      [`GET /api/v1/documents/jobs/${JOB_ID}/file`]: () =>
        new Response('doc', {
          headers: {
            'content-type': 'application/octet-stream',
            'content-disposition': `attachment; filename="document.docx"; filename*=UTF-8''${encodeURIComponent('督办通知书.docx')}`,
          },
        }),
    });
    try {
      renderApp('/documents', buildMe());
      await generateNotice(/下载 Word/);
      expect(await screen.findByText(/正在生成……正在排版/, {}, { timeout: 10_000 })).toBeTruthy();
      expect(within(screen.getByRole('status', { name: '生成进度' })).getByText('50%')).toBeTruthy();
      expect(started).toEqual({ kind: 'notice', query: { noticeId: NOTICE_ID }, format: 'docx' });
      expect(await screen.findByText(/已生成：督办通知书\.docx/, {}, { timeout: 10_000 })).toBeTruthy();
      await waitFor(() => expect(saved).toEqual(['督办通知书.docx']));
      expect(screen.queryByText(/正在生成……/)).toBeNull();
      // Saved once, however often the page renders afterwards.
      const files = fetch.mock.calls.filter(([u]) => String(u).endsWith('/file'));
      expect(files).toHaveLength(1);
    } finally {
      click.mockRestore();
      URL.createObjectURL = objectUrls.create;
      URL.revokeObjectURL = objectUrls.revoke;
    }
  });

  it('shows why a background document failed, in Chinese', async () => {
    pickerLists({
      'GET /api/v1/supervision/notices': () => jsonResponse({ ...EMPTY_PAGE, items: [notice], total: 1 }),
      'POST /api/v1/documents/jobs': () => jsonResponse(buildJob({ format: 'pdf' }), 202),
      [`GET /api/v1/documents/jobs/${JOB_ID}`]: () =>
        jsonResponse(
          buildJob({
            format: 'pdf',
            status: 'failed',
            errorCode: 'DOCUMENT_PDF_UNAVAILABLE',
            error: '服务器未安装 LibreOffice，无法生成 PDF，请下载 Word 版本',
            finishedAt: '2026-12-04T08:00:01.000Z',
          }),
        ),
    });
    renderApp('/documents', buildMe());
    await generateNotice(/下载 PDF/);
    expect(
      await screen.findByText(
        '服务器未安装 LibreOffice，无法生成 PDF，请下载 Word 版本',
        {},
        { timeout: 10_000 },
      ),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: /下载 PDF/ }).hasAttribute('disabled')).toBe(false);
  });
});
