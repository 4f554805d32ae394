import { INDICATOR_KIND_LABELS, UNIT_ROLE_LABELS, type UnitTaskRow } from '@kesu/shared';
import { Alert, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { UnitSelect } from '../units/unit-select';
import { errorMessage } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { formatTarget } from './plan-format';
import { useUnitTasks } from './plans.api';
import { serverPagination } from '../../components/server-pagination';

/** /plans/my-tasks — a unit's tasks in the latest version of every plan; a reporter sees their own unit's. */
export function UnitTasksPage() {
  const me = useCurrentUser();
  const [unitId, setUnitId] = useState<string | null>(me.unitId);
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const list = useUnitTasks(unitId, page.page, page.pageSize, unitId !== null);
  const unitName = list.data?.unit.shortName ?? me.unitName;
  return (
    <Card
      title={unitName ? `${unitName}的任务` : '单位任务'}
      extra={
        <UnitSelect
          id="unit-tasks-unit"
          placeholder="选择单位"
          value={unitId}
          selectedLabel={unitName}
          allowClear={false}
          style={{ width: 280 }}
          onChange={(v) => {
            setUnitId(v);
            setPage((p) => ({ ...p, page: 1 }));
          }}
        />
      }
    >
      {unitId === null && <Empty description="请选择一个单位，查看它在各规划中牵头或配合的任务。" />}
      {list.isError && (
        <Alert
          type="error"
          showIcon
          title={errorMessage(list.error)}
          action={<Button onClick={() => void list.refetch()}>重试</Button>}
          style={{ marginBottom: 16 }}
        />
      )}
      {unitId !== null && (
        <Table<UnitTaskRow>
          rowKey={(r) => r.task.id}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description="该单位在现行规划中没有任务" /> }}
          columns={[
            {
              title: '规划',
              key: 'plan',
              render: (_, r) => <Link to={`/plans/${r.planId}`}>{r.planTitle}</Link>,
            },
            { title: '编号', key: 'path', render: (_, r) => r.task.path },
            { title: '任务', key: 'title', render: (_, r) => r.task.title },
            {
              title: '角色',
              key: 'role',
              render: (_, r) => (
                <Tag color={r.role === 'lead' ? 'gold' : undefined}>{UNIT_ROLE_LABELS[r.role]}</Tag>
              ),
            },
            {
              title: '其他单位',
              key: 'others',
              render: (_, r) =>
                r.task.units
                  .filter((u) => u.unitId !== unitId)
                  .map((u) => u.unitShortName)
                  .join('、') || '—',
            },
            {
              title: '指标',
              key: 'indicators',
              render: (_, r) =>
                r.task.indicators.length === 0 ? (
                  '—'
                ) : (
                  <Space direction="vertical" size={0}>
                    {r.task.indicators.map((i) => (
                      <Typography.Text key={i.id}>
                        <Tag>{INDICATOR_KIND_LABELS[i.kind]}</Tag>
                        {formatTarget({ ...i, value: i.targetValue })}
                      </Typography.Text>
                    ))}
                  </Space>
                ),
            },
          ]}
          pagination={serverPagination(
            page,
            list.data?.total,
            (p, pageSize) => setPage({ page: p, pageSize }),
            '项任务',
          )}
        />
      )}
    </Card>
  );
}
