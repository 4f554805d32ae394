import {
  POPULATION_GROUP_LABELS,
  POPULATION_GROUPS,
  PlanPageSchema,
  PlanTreeSchema,
  type PopulationGroup,
} from '@kesu/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, List, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { errorMessage } from '../../lib/format';
import { PlanTreeTable } from './plan-tree.table';

const shell: React.CSSProperties = { maxWidth: 1280, margin: '24px auto', padding: '0 16px' };

/** /public/plans — the plans the coordinating office has published; no sign-in. */
export function PublicPlansPage() {
  const list = useQuery({
    queryKey: ['public-plans'],
    queryFn: () => api.get('/api/v1/public/plans', { query: { pageSize: 50 }, schema: PlanPageSchema }),
  });
  return (
    <div style={shell}>
      <Card title="已公开的全民科学素质行动规划">
        {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
        <List
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <Empty description="暂无公开的规划" /> }}
          renderItem={(p) => (
            <List.Item>
              <Link to={`/public/plans/${p.id}`}>{p.title}</Link>
              <Typography.Text type="secondary">{p.docNumber ?? ''}</Typography.Text>
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}

/** /public/plans/:id — the published version of a plan: tasks, responsible units and indicators. */
export function PublicPlanPage() {
  const { id = '' } = useParams();
  const [group, setGroup] = useState<PopulationGroup | undefined>();
  const tree = useQuery({
    queryKey: ['public-plan', id, group],
    queryFn: () =>
      api.get(`/api/v1/public/plans/${encodeURIComponent(id)}`, { query: { group }, schema: PlanTreeSchema }),
    placeholderData: keepPreviousData,
  });
  if (tree.isError) {
    return (
      <div style={shell}>
        <Alert
          type="error"
          showIcon
          title={errorMessage(tree.error)}
          action={<Link to="/public/plans">返回列表</Link>}
        />
      </div>
    );
  }
  return (
    <div style={shell}>
      <Card
        title={tree.data?.plan.title ?? '规划'}
        loading={tree.isPending}
        extra={tree.data?.plan.docNumber}
      >
        <Space style={{ marginBottom: 12 }}>
          <Select
            aria-label="重点人群"
            placeholder="按重点人群筛选"
            allowClear
            style={{ width: 200 }}
            value={group}
            options={POPULATION_GROUPS.map((g) => ({ value: g, label: POPULATION_GROUP_LABELS[g] }))}
            onChange={(g?: PopulationGroup) => setGroup(g)}
          />
          {group && <Button onClick={() => setGroup(undefined)}>清除筛选</Button>}
        </Space>
        <PlanTreeTable
          tasks={tree.data?.tasks ?? []}
          matchedIds={group ? tree.data?.matchedIds : undefined}
          loading={tree.isFetching}
          emptyText="没有符合条件的任务"
        />
      </Card>
    </div>
  );
}
