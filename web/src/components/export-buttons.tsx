import type { ExportTable } from '@kesu/shared';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { toQueryString } from '../api/client';
import { errorMessage } from '../lib/format';
import { downloadFile } from './document-download';

type Query = Record<string, string | number | boolean | null | undefined>;
export type ExportFileFormat = 'xlsx' | 'csv';

const LABELS: Record<ExportFileFormat, string> = { xlsx: '导出 Excel', csv: '导出 CSV' };

/** The download address of a table export: the list's own filters plus the format. */
export function exportUrl(table: ExportTable, format: ExportFileFormat, query: Query = {}): string {
  return `/api/v1/exports/${table}${toQueryString({ ...query, page: undefined, pageSize: undefined, format })}`;
}

/**
 * “导出 Excel / 导出 CSV” for any export address: each button spins while the server makes the file (a large list
 * takes seconds) and the other waits; an error shows as a message.
 */
export function FileExportButtons({
  urlOf,
  formats = ['xlsx', 'csv'],
  size,
}: {
  urlOf: (format: ExportFileFormat) => string;
  formats?: ExportFileFormat[];
  size?: 'small' | 'middle';
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<ExportFileFormat | null>(null);
  const get = async (format: ExportFileFormat) => {
    setBusy(format);
    try {
      await downloadFile(urlOf(format), `export.${format}`);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space size="small">
      {formats.map((f) => (
        <Button
          key={f}
          size={size}
          loading={busy === f}
          disabled={busy !== null && busy !== f}
          onClick={() => void get(f)}
        >
          {LABELS[f]}
        </Button>
      ))}
    </Space>
  );
}

/**
 * The buttons for a table of the exchange module's exports (same filters and permissions as the list; csv is UTF-8
 * with BOM, cells that could run as formulas are escaped).
 */
export function ExportButtons({ table, query }: { table: ExportTable; query?: Query }) {
  return <FileExportButtons size="small" urlOf={(f) => exportUrl(table, f, query)} />;
}
