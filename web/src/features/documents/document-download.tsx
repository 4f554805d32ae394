import { FilePdfOutlined, FileWordOutlined } from '@ant-design/icons';
import type { DocumentKind } from '@kesu/shared';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../lib/format';
import { downloadDocument } from './documents.api';

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
