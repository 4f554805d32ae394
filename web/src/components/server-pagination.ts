import type { TablePaginationConfig } from 'antd';

/**
 * The pagination of a table whose pages come from the server (`?page=&pageSize=`): one look for every list —
 * total shown as “共 N 条” (or the given measure word), page size selectable.
 */
export function serverPagination(
  state: { page: number; pageSize: number },
  total: number | undefined,
  onChange: (page: number, pageSize: number) => void,
  counted = '条',
): TablePaginationConfig {
  return {
    current: state.page,
    pageSize: state.pageSize,
    total: total ?? 0,
    showSizeChanger: true,
    showTotal: (t) => `共 ${t} ${counted}`,
    onChange,
  };
}
