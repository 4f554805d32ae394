import { UploadOutlined } from '@ant-design/icons';
import type { PlanSummary } from '@kesu/shared';
import { Alert, Button, Card, Empty, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage, formatDateTime } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { DemoTag } from '../demo/demo';
import { usePlanList } from './plans.api';
import { serverPagination } from '../../components/server-pagination';

/** /plans — every plan, the higher level's first, then newest first. Admins import from here. */
export function PlansPage() {
  const me = useCurrentUser();
  const isAdmin = me.role === 'admin';
  const navigate = useNavigate();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const list = usePlanList(page.page, page.pageSize);
  const columns: ColumnsType<PlanSummary> = [
    {
      title: '规划',
      dataIndex: 'title',
      render: (t: string, p) => (
        <>
          <Link to={`/plans/${p.id}`}>{t}</Link> <DemoTag show={p.isDemo === true} />
        </>
      ),
    },
    { title: '文号', dataIndex: 'docNumber', render: (v: string | null) => v ?? '—' },
    { title: '印发机关', dataIndex: 'issuer', render: (v: string | null) => v ?? '—' },
    { title: '最新版本', dataIndex: 'latestVersionNumber', render: (n: number) => `第 ${n} 版` },
    {
      title: '公开',
      dataIndex: 'publishedVersionId',
      // The demo's county plans are published inside kesu but never to the public.
      render: (v: string | null, p) => (v && !p.isDemo ? <Tag color="green">已公开</Tag> : <Tag>未公开</Tag>),
    },
    { title: '更新时间', dataIndex: 'updatedAt', render: formatDateTime },
  ];
  return (
    <Card
      title="规划"
      extra={
        isAdmin && (
          <Button type="primary" icon={<UploadOutlined />} onClick={() => navigate('/plans/import')}>
            导入规划文档
          </Button>
        )
      }
    >
      {list.isError && (
        <Alert
          type="error"
          showIcon
          title={errorMessage(list.error)}
          action={<Button onClick={() => void list.refetch()}>重试</Button>}
          style={{ marginBottom: 16 }}
        />
      )}
      <Table<PlanSummary>
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <Empty description="还没有规划。导入已印发的规划文档，系统会拆分出任务、责任单位和指标。">
              {isAdmin && (
                <Button type="primary" onClick={() => navigate('/plans/import')}>
                  导入第一份规划
                </Button>
              )}
            </Empty>
          ),
        }}
        pagination={serverPagination(
          page,
          list.data?.total,
          (p, pageSize) => setPage({ page: p, pageSize }),
          '份规划',
        )}
      />
    </Card>
  );
}
