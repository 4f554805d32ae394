import {
  REPORT_STATE_LABELS,
  REPORT_STATES,
  type ReportState,
  type ReportSummary,
  TASK_PROGRESS_LABELS,
} from '@kesu/shared';
import { Alert, Card, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ExportButtons } from '../../components/export-buttons';
import { UnitSelect } from '../../components/unit-select';
import { DemoTag } from '../demo/demo';
import { errorMessage, formatDateTime } from '../../lib/format';
import { STATE_COLORS } from './reporting.labels';
import { useCycles, useReports } from './reporting.api';
import { serverPagination } from '../../components/server-pagination';

/** /reporting/review — the review queue, filtered by cycle, unit and state (submitted first by default). */
export function ReviewPage() {
  const [cycleId, setCycleId] = useState<string | undefined>();
  const [unitId, setUnitId] = useState<string | null>(null);
  const [state, setState] = useState<ReportState | undefined>('submitted');
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const cycles = useCycles();
  const list = useReports({ cycleId, unitId: unitId ?? undefined, state, ...page });
  return (
    <Card
      title="报告审核"
      extra={<ExportButtons table="reports" query={{ cycleId, unitId: unitId ?? undefined, state }} />}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label="周期"
          placeholder="全部周期"
          allowClear
          style={{ width: 220 }}
          value={cycleId}
          onChange={(v) => {
            setCycleId(v);
            setPage((p) => ({ ...p, page: 1 }));
          }}
          options={(cycles.data?.items ?? []).map((c) => ({
            value: c.id,
            label: `${c.name}（${c.planTitle}）`,
          }))}
        />
        <UnitSelect
          id="review-unit"
          placeholder="全部单位"
          value={unitId}
          style={{ width: 220 }}
          onChange={setUnitId}
        />
        <Select<ReportState>
          aria-label="状态"
          placeholder="全部状态"
          allowClear
          style={{ width: 140 }}
          value={state}
          onChange={(v) => {
            setState(v);
            setPage((p) => ({ ...p, page: 1 }));
          }}
          options={REPORT_STATES.map((s) => ({ value: s, label: REPORT_STATE_LABELS[s] }))}
        />
      </Space>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <Table<ReportSummary>
        rowKey="id"
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={serverPagination(
          page,
          list.data?.total,
          (p, s) => setPage({ page: p, pageSize: s }),
          '份报告',
        )}
        columns={[
          {
            title: '状态',
            key: 'state',
            render: (_, r) => (
              <>
                <Tag color={STATE_COLORS[r.state]}>{REPORT_STATE_LABELS[r.state]}</Tag>
                <DemoTag show={r.isDemo === true} />
              </>
            ),
          },
          { title: '周期', dataIndex: 'cycleName' },
          { title: '单位', dataIndex: 'unitName' },
          { title: '任务', key: 'task', render: (_, r) => `${r.taskPath} ${r.taskTitle}` },
          { title: '进展', key: 'progress', render: (_, r) => TASK_PROGRESS_LABELS[r.progress] },
          { title: '提交时间', key: 'submittedAt', render: (_, r) => formatDateTime(r.submittedAt) },
          {
            title: '操作',
            key: 'op',
            render: (_, r) => (
              <Link to={`/reporting/reports/${r.id}`}>{r.state === 'submitted' ? '审核' : '查看'}</Link>
            ),
          },
        ]}
      />
    </Card>
  );
}
