import { INBOX_STATE_LABELS, type InboxItem, UNIT_ROLE_LABELS } from '@kesu/shared';
import { Alert, App, Badge, Button, Card, Empty, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { UnitSelect } from '../units/unit-select';
import { errorMessage } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { DemoTag } from '../demo/demo';
import { TemplateButtons } from '../exchange/template-buttons';
import { INBOX_COLORS, STATE_COLORS } from './reporting.labels';
import { useInbox, useOpenReport } from './reporting.api';
import { SubmitAllButton } from './submit-all';

/** /reporting — what a unit has to report: due, overdue, returned (badges), and where the rest stands. */
export function InboxPage() {
  const me = useCurrentUser();
  const [unitId, setUnitId] = useState<string | null>(me.unitId);
  const inbox = useInbox(unitId);
  const open = useOpenReport();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const counts = inbox.data?.counts;
  const items = inbox.data?.items ?? [];
  const cycleIds = [...new Set(items.map((i) => i.cycle.id))];
  /** Reports of a cycle a reporter could submit now: drafts and returned ones. */
  const waiting = (cycleId: string) =>
    items.filter(
      (i) =>
        i.cycle.id === cycleId &&
        (i.inbox === 'draft' || i.inbox === 'returned' || (i.inbox === 'overdue' && i.report)),
    ).length;

  const onOpen = async (item: InboxItem) => {
    if (item.report) return navigate(`/reporting/reports/${item.report.id}`);
    try {
      const r = await open.mutateAsync({ cycleId: item.cycle.id, taskId: item.taskId });
      navigate(`/reporting/reports/${r.id}`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Card
      title={
        <Space wrap>
          <span>{inbox.data ? `${inbox.data.unitName}的填报事项` : '填报事项'}</span>
          {inbox.data && (
            <TemplateButtons
              cycles={[...new Map(inbox.data.items.map((i) => [i.cycle.id, i.cycle])).values()]}
              unitId={inbox.data.unitId}
              canUpload={me.role === 'reporter'}
              afterUpload={(cycleId, close) => (
                <SubmitAllButton cycleId={cycleId} count={waiting(cycleId)} onDone={close} size="middle" />
              )}
            />
          )}
          {me.role === 'reporter' &&
            cycleIds.map((id) => <SubmitAllButton key={id} cycleId={id} count={waiting(id)} />)}
          {counts && (
            <>
              <Badge count={counts.overdue} color="red" showZero title="已逾期">
                <Tag color="red">已逾期</Tag>
              </Badge>
              <Badge count={counts.returned} color="orange" showZero title="被退回">
                <Tag color="orange">被退回</Tag>
              </Badge>
              <Badge count={counts.due + counts.draft} color="blue" showZero title="待填报">
                <Tag color="blue">待填报</Tag>
              </Badge>
            </>
          )}
        </Space>
      }
      extra={
        me.role !== 'reporter' && (
          <UnitSelect
            id="inbox-unit"
            placeholder="选择单位"
            value={unitId}
            selectedLabel={inbox.data?.unitName ?? null}
            allowClear={false}
            style={{ width: 260 }}
            onChange={setUnitId}
          />
        )
      }
    >
      {unitId === null && <Empty description="请选择一个单位，查看它的填报事项。" />}
      {inbox.isError && <Alert type="error" showIcon title={errorMessage(inbox.error)} />}
      {unitId !== null && (
        <Table<InboxItem>
          rowKey={(r) => `${r.cycle.id}|${r.taskId}`}
          dataSource={inbox.data?.items ?? []}
          loading={inbox.isFetching}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description="当前没有开放的填报周期或本单位没有任务" /> }}
          columns={[
            {
              title: '状态',
              key: 'inbox',
              render: (_, r) => <Tag color={INBOX_COLORS[r.inbox]}>{INBOX_STATE_LABELS[r.inbox]}</Tag>,
            },
            { title: '周期', key: 'cycle', render: (_, r) => r.cycle.name },
            {
              title: '截止',
              key: 'due',
              render: (_, r) => `${r.cycle.dueDate}（宽限至 ${r.cycle.lateAfter}）`,
            },
            { title: '编号', key: 'path', render: (_, r) => r.taskPath },
            { title: '任务', key: 'title', render: (_, r) => r.taskTitle },
            {
              title: '角色',
              key: 'role',
              render: (_, r) => (
                <Tag color={r.role === 'lead' ? 'gold' : undefined}>{UNIT_ROLE_LABELS[r.role]}</Tag>
              ),
            },
            {
              title: '报告',
              key: 'report',
              render: (_, r) =>
                r.report ? (
                  <Space>
                    <Tag color={STATE_COLORS[r.report.state]}>
                      {r.report.state === 'returned' ? r.report.reviewComment : ''}
                    </Tag>
                    <Link to={`/reporting/reports/${r.report.id}`}>查看</Link>
                    <DemoTag show={r.report.isDemo === true} />
                  </Space>
                ) : (
                  '—'
                ),
            },
            {
              title: '操作',
              key: 'op',
              fixed: 'right',
              render: (_, r) =>
                me.role === 'reporter' && ['due', 'overdue', 'returned', 'draft'].includes(r.inbox) ? (
                  <Button size="small" type="primary" onClick={() => void onOpen(r)} loading={open.isPending}>
                    {r.inbox === 'returned' ? '修改' : '填报'}
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
    </Card>
  );
}
