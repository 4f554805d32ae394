import type { AuditEntry } from '@kesu/shared';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  DatePicker,
  Empty,
  Input,
  Space,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { errorMessage, formatDateTime } from '../../lib/format';
import { type AuditFilters, useAuditList } from './audit.api';
import { AuditDiffView } from './audit-diff.view';
import { ENTITY_LABELS, actionLabel } from './audit-labels';
import { serverPagination } from '../../components/server-pagination';

const ENTITY_OPTIONS = Object.entries(ENTITY_LABELS).map(([value, label]) => ({
  value,
  label: `${label}（${value}）`,
}));

const columns: ColumnsType<AuditEntry> = [
  { title: '时间', dataIndex: 'at', width: 170, render: formatDateTime },
  {
    title: '操作人',
    dataIndex: 'actorName',
    render: (name: string | null) => name ?? <Typography.Text type="secondary">系统</Typography.Text>,
  },
  {
    title: '操作',
    dataIndex: 'action',
    render: (action: string) => {
      const label = actionLabel(action);
      // The code stays reachable for whoever needs it (a tooltip), not on screen.
      return (
        <Tooltip title={`代码：${action}`}>
          <span>{label ?? '其他操作'}</span>
        </Tooltip>
      );
    },
  },
  {
    title: '对象',
    key: 'entity',
    render: (_, e) => (
      <span>
        <Tooltip title={`代码：${e.entityType}`}>
          <span>{ENTITY_LABELS[e.entityType] ?? '其他'}</span>
        </Tooltip>
        {e.entityId && (
          <Typography.Text
            type="secondary"
            copyable={{ text: e.entityId, tooltips: ['复制对象编号', '已复制'] }}
            style={{ marginLeft: 6, fontSize: 12 }}
          />
        )}
      </span>
    ),
  },
  {
    title: '请求编号',
    dataIndex: 'requestId',
    render: (id: string | null) =>
      id ? (
        <Typography.Text
          copyable={{ text: id, tooltips: ['复制请求编号', '已复制'] }}
          style={{ fontSize: 12 }}
        />
      ) : (
        '—'
      ),
  },
  { title: 'IP 地址', dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
];

/** /audit — who changed what (admin only). */
export function AuditPage() {
  const [filters, setFilters] = useState<AuditFilters>({ page: 1, pageSize: 20 });
  const [entityType, setEntityType] = useState('');
  const [action, setAction] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const list = useAuditList(filters);

  const apply = () =>
    setFilters((f) => ({
      ...f,
      entityType: entityType.trim() || undefined,
      action: action.trim() || undefined,
      // Whole local days, sent as UTC instants.
      from: range?.[0]?.startOf('day').toISOString(),
      to: range?.[1]?.endOf('day').toISOString(),
      page: 1,
    }));
  const clear = () => {
    setEntityType('');
    setAction('');
    setRange(null);
    setFilters({ page: 1, pageSize: filters.pageSize });
  };

  return (
    <Card title="审计日志">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
        style={{ marginBottom: 16 }}
      >
        <Space wrap>
          <AutoComplete
            id="audit-entity-type"
            aria-label="对象类型"
            placeholder="对象类型，如 unit"
            style={{ width: 200 }}
            value={entityType}
            options={ENTITY_OPTIONS}
            onChange={setEntityType}
            allowClear
          />
          <Input
            id="audit-action"
            name="action"
            aria-label="操作"
            placeholder="操作，如 unit.create"
            style={{ width: 200 }}
            value={action}
            onChange={(e) => setAction(e.target.value)}
            allowClear
          />
          <DatePicker.RangePicker
            id={{ start: 'audit-from', end: 'audit-to' }}
            value={range}
            onChange={(v) => setRange(v)}
            allowEmpty={[true, true]}
          />
          <Button type="primary" htmlType="submit">
            查询
          </Button>
          <Button onClick={clear}>重置</Button>
        </Space>
      </form>
      {list.isError && (
        <Alert
          type="error"
          showIcon
          title={errorMessage(list.error)}
          action={<Button onClick={() => void list.refetch()}>重试</Button>}
          style={{ marginBottom: 16 }}
        />
      )}
      <Table<AuditEntry>
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        expandable={{
          expandedRowRender: (e) => <AuditDiffView before={e.before} after={e.after} />,
          rowExpandable: (e) => e.before !== null || e.after !== null,
        }}
        locale={{ emptyText: <Empty description="没有符合条件的记录" /> }}
        pagination={serverPagination(filters, list.data?.total, (page, pageSize) =>
          setFilters((f) => ({ ...f, page, pageSize })),
        )}
      />
    </Card>
  );
}
