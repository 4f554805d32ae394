import {
  REPORT_STATE_LABELS,
  REPORT_STATES,
  type ReportState,
  type ReportSummary,
  TASK_PROGRESS_LABELS,
} from '@kesu/shared';
import { Alert, App, Button, Card, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ExportButtons } from '../../components/export-buttons';
import { UnitSelect } from '../units/unit-select';
import { DemoTag } from '../demo/demo';
import { errorMessage, formatDateTime } from '../../lib/format';
import { STATE_COLORS } from './reporting.labels';
import { useCycles, useReports, useReviewMany } from './reporting.api';
import { showBulkResult } from './bulk-result';
import { serverPagination } from '../../components/server-pagination';

/** /reporting/review — the review queue, filtered by cycle, unit and state (submitted first by default). */
export function ReviewPage() {
  const [cycleId, setCycleId] = useState<string | undefined>();
  const [unitId, setUnitId] = useState<string | null>(null);
  const [state, setState] = useState<ReportState | undefined>('submitted');
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const cycles = useCycles();
  const list = useReports({ cycleId, unitId: unitId ?? undefined, state, ...page });
  const [selected, setSelected] = useState<string[]>([]);
  const [decision, setDecision] = useState<'approve' | 'return' | null>(null);
  const [comment, setComment] = useState('');
  const review = useReviewMany();
  const { modal, message } = App.useApp();
  const onReview = async () => {
    if (!decision) return;
    if (decision === 'return' && comment.trim() === '') {
      message.error('退回须填写意见');
      return;
    }
    try {
      const r = await review.mutateAsync({ decision, reportIds: selected, comment });
      setDecision(null);
      setComment('');
      setSelected([]);
      showBulkResult(
        modal,
        decision === 'approve' ? '审核通过结果' : '退回结果',
        r,
        decision === 'approve' ? '已通过' : '已退回',
      );
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
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
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">已选 {selected.length} 份</Typography.Text>
        <Button type="primary" disabled={selected.length === 0} onClick={() => setDecision('approve')}>
          批量通过
        </Button>
        <Button danger disabled={selected.length === 0} onClick={() => setDecision('return')}>
          批量退回
        </Button>
      </Space>
      <Modal
        open={decision !== null}
        title={
          decision === 'approve' ? `通过所选 ${selected.length} 份报告` : `退回所选 ${selected.length} 份报告`
        }
        okText={decision === 'approve' ? '确认通过' : '确认退回'}
        cancelText="取消"
        confirmLoading={review.isPending}
        onOk={() => void onReview()}
        onCancel={() => setDecision(null)}
      >
        <Typography.Paragraph>
          {decision === 'approve'
            ? '通过后报告即锁定，各单位会收到审核通过的通知。意见（可不填）会同时写入每份报告。'
            : '各单位会收到退回通知和下面的意见，修改后可重新提交。'}
        </Typography.Paragraph>
        <Input.TextArea
          aria-label="审核意见"
          rows={3}
          maxLength={2000}
          placeholder={decision === 'return' ? '退回意见（必填）' : '审核意见（选填）'}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </Modal>
      <Table<ReportSummary>
        rowKey="id"
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys.map(String)),
          getCheckboxProps: (r) => ({
            disabled: r.state !== 'submitted',
            'aria-label': `选择 ${r.unitName} ${r.taskPath}`,
          }),
        }}
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
            fixed: 'right',
            render: (_, r) => (
              <Link to={`/reporting/reports/${r.id}`}>{r.state === 'submitted' ? '审核' : '查看'}</Link>
            ),
          },
        ]}
      />
    </Card>
  );
}
