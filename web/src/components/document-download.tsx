import { FilePdfOutlined, FileWordOutlined } from '@ant-design/icons';
import type { DocumentKind } from '@kesu/shared';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { networkError, parseErrorResponse } from '../api/api-error';
import { toQueryString } from '../api/client';
import { errorMessage } from '../lib/format';

/** The path of each kind of document (GET, `format=docx|pdf`). */
export const DOCUMENT_PATHS: Record<DocumentKind, string> = {
  bulletin: '/api/v1/documents/bulletin',
  annual: '/api/v1/documents/annual-report',
  notice: '/api/v1/documents/notice',
  'unit-summary': '/api/v1/documents/unit-summary',
};

/** The file name of a download from Content-Disposition (filename*=UTF-8''…), else the fallback. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const m = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (!m?.[1]) return fallback;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return fallback;
  }
}

/**
 * Generates a document and saves it in the browser: the error (e.g. no LibreOffice for PDF) comes back as the API's
 * message instead of a broken file.
 */
export async function downloadDocument(
  kind: DocumentKind,
  q: Record<string, string | number | undefined>,
  format: 'docx' | 'pdf',
): Promise<void> {
  await downloadFile(DOCUMENT_PATHS[kind] + toQueryString({ ...q, format }), `document.${format}`);
}

/**
 * Fetch a file the server makes and save it in the browser: a refusal comes back as the API's Chinese message (thrown)
 * instead of a saved file holding an error.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    throw networkError(e);
  }
  if (!res.ok) throw await parseErrorResponse(res);
  await saveDownload(res, fallbackName);
}

/** Save a file answer in the browser under the name its Content-Disposition gives (else `fallback`). */
export async function saveDownload(res: Response, fallback: string): Promise<void> {
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameOf(res.headers.get('content-disposition'), fallback);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 下载 Word / 下载 PDF of one document, each with its spinner while the server makes the file. */
export function DocumentDownloadButtons({
  kind,
  query,
  disabled = false,
  size,
}: {
  kind: DocumentKind;
  query: Record<string, string | number | undefined>;
  disabled?: boolean;
  size?: 'small' | 'middle';
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<'docx' | 'pdf' | null>(null);
  const get = async (format: 'docx' | 'pdf') => {
    setBusy(format);
    try {
      await downloadDocument(kind, query, format);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space wrap>
      <Button
        icon={<FileWordOutlined />}
        size={size}
        loading={busy === 'docx'}
        disabled={disabled || busy !== null}
        onClick={() => void get('docx')}
      >
        {busy === 'docx' ? '正在生成…' : '下载 Word'}
      </Button>
      <Button
        icon={<FilePdfOutlined />}
        size={size}
        loading={busy === 'pdf'}
        disabled={disabled || busy !== null}
        onClick={() => void get('pdf')}
      >
        {busy === 'pdf' ? '正在生成…' : '下载 PDF'}
      </Button>
    </Space>
  );
}

/** One small button that downloads the Word version (table rows: the cycle list's 通报). */
export function DocumentWordButton({
  kind,
  query,
  label,
}: {
  kind: DocumentKind;
  query: Record<string, string | number | undefined>;
  label: string;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      size="small"
      icon={<FileWordOutlined />}
      loading={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await downloadDocument(kind, query, 'docx');
        } catch (e) {
          message.error(errorMessage(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {label}
    </Button>
  );
}
