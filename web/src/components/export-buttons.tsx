import type { ExportTable } from '@kesu/shared';
import { Button, Space } from 'antd';
import { toQueryString } from '../api/client';

type Query = Record<string, string | number | boolean | null | undefined>;

/** The download address of a table export: the list's own filters plus the format. */
export function exportUrl(table: ExportTable, format: 'xlsx' | 'csv', query: Query = {}): string {
  return `/api/v1/exports/${table}${toQueryString({ ...query, page: undefined, pageSize: undefined, format })}`;
}

/**
 * “导出 Excel / 导出 CSV” for a table: plain links to the server's export (same filters and permissions as the
 * list; csv is UTF-8 with BOM, cells that could run as formulas are escaped).
 */
export function ExportButtons({ table, query }: { table: ExportTable; query?: Query }) {
  return (
    <Space size="small">
      <Button size="small" href={exportUrl(table, 'xlsx', query)} download>
        导出 Excel
      </Button>
      <Button size="small" href={exportUrl(table, 'csv', query)} download>
        导出 CSV
      </Button>
    </Space>
  );
}
