import { PlusOutlined } from '@ant-design/icons';
import { ACTIVITY_CAMPAIGNS, type Activity } from '@kesu/shared';
import {
  Alert,
  Button,
  Card,
  Empty,
  Grid,
  Input,
  List,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { FileExportButtons } from '../../components/export-buttons';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { serverPagination } from '../../components/server-pagination';
import { errorMessage } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { useJurisdictions } from '../jurisdictions/jurisdictions.api';
import { type ActivityFilters, activitiesExportUrl, useActivityList } from './activities.api';
import { activityDates, formatCount, jointText } from './activity-labels';

const THIS_YEAR = Number(
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()),
);
export const YEAR_OPTIONS = Array.from({ length: 6 }, (_, i) => THIS_YEAR + 1 - i).map((y) => ({
  value: y,
  label: `${y}年`,
}));

function JointTag({ a }: { a: Activity }) {
  const text = jointText(a);
  if (!text) return null;
  return (
    <Tag color={a.duplicateOf ? 'default' : 'blue'} title={text}>
      {a.duplicateOf ? '联合活动·不重复计数' : '联合活动·计数'}
    </Tag>
  );
}

/** /activities — 科普活动: filters, pages, the joint marker; clerks and admins record new ones. */
export function ActivitiesPage() {
  const me = useCurrentUser();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const canRecord = me.role === 'admin' || (me.role === 'reporter' && me.unitId !== null);
  const [filters, setFilters] = useState<ActivityFilters>({ page: 1, pageSize: 20 });
  const list = useActivityList(filters);
  const places = useJurisdictions().data?.items ?? [];
  const set = (patch: Partial<ActivityFilters>) => setFilters((f) => ({ ...f, ...patch, page: 1 }));

  const columns: ColumnsType<Activity> = [
    {
      title: '活动名称',
      dataIndex: 'title',
      render: (title: string, a) => (
        <Space size={4} wrap>
          <Link to={`/activities/${a.id}`}>{title}</Link>
          <JointTag a={a} />
          {a.isDemo && <Tag color="orange">演示</Tag>}
        </Space>
      ),
    },
    { title: '日期', key: 'dates', width: 170, render: (_, a) => activityDates(a) },
    ...(places.length > 1 ? [{ title: '地区', dataIndex: 'jurisdictionName', width: 100 }] : []),
    { title: '地点', dataIndex: 'place', ellipsis: true },
    { title: '主办单位', key: 'organiser', ellipsis: true, render: (_, a) => a.organiser.name },
    {
      title: '参与人次',
      dataIndex: 'participants',
      width: 100,
      align: 'right',
      render: (n: number, a) => (
        <Typography.Text type={a.duplicateOf ? 'secondary' : undefined} delete={Boolean(a.duplicateOf)}>
          {formatCount(n)}
        </Typography.Text>
      ),
    },
    { title: '活动品牌', dataIndex: 'campaign', width: 130, render: (c: string | null) => c ?? '—' },
  ];

  const filtered = Boolean(filters.q || filters.year || filters.campaign || filters.jurisdictionId);

  return (
    <Card
      title="科普活动"
      extra={
        <Space wrap>
          <Link to="/activities/coverage">覆盖面</Link>
          {canRecord && (
            <Button
              type="primary"
              size="large"
              icon={<PlusOutlined />}
              onClick={() => navigate('/activities/new')}
            >
              上报活动
            </Button>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label="搜索活动"
          placeholder="搜索名称、地点或主题"
          allowClear
          style={{ width: narrow ? '100%' : 240 }}
          onSearch={(q) => set({ q: q.trim() || undefined })}
        />
        {places.length > 1 && (
          <Select
            aria-label="地区"
            placeholder="全部地区"
            allowClear
            style={{ width: 150 }}
            value={filters.jurisdictionId}
            options={places.map((j) => ({ value: j.id, label: j.name }))}
            onChange={(jurisdictionId?: string) => set({ jurisdictionId })}
          />
        )}
        <Select
          aria-label="年份"
          placeholder="全部年份"
          allowClear
          style={{ width: 120 }}
          value={filters.year}
          options={YEAR_OPTIONS}
          onChange={(year?: number) => set({ year })}
        />
        <Select
          aria-label="活动品牌"
          placeholder="全部活动品牌"
          allowClear
          style={{ width: 180 }}
          value={filters.campaign}
          options={ACTIVITY_CAMPAIGNS.map((c) => ({ value: c, label: c }))}
          onChange={(campaign?: string) => set({ campaign })}
        />
        <Space size={6}>
          <Switch
            aria-label="只看计数的活动"
            checked={filters.includeDuplicates === false}
            onChange={(only) => set({ includeDuplicates: only ? false : undefined })}
          />
          <span>联合活动只看计数的一条</span>
        </Space>
        <FileExportButtons urlOf={(f) => activitiesExportUrl(f, filters)} />
      </Space>
      {list.isError && (
        <Alert type="error" showIcon title={errorMessage(list.error)} style={{ marginBottom: 12 }} />
      )}
      {narrow ? (
        <List
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <Empty description={filtered ? '没有符合条件的活动' : '还没有上报的活动'} /> }}
          pagination={
            (list.data?.total ?? 0) > filters.pageSize
              ? {
                  current: filters.page,
                  pageSize: filters.pageSize,
                  total: list.data?.total ?? 0,
                  onChange: (page) => setFilters((f) => ({ ...f, page })),
                  simple: true,
                }
              : false
          }
          renderItem={(a) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Space size={4} wrap>
                    <Link to={`/activities/${a.id}`}>{a.title}</Link>
                    <JointTag a={a} />
                  </Space>
                }
                description={`${activityDates(a)} · ${a.place} · ${a.organiser.name} · ${formatCount(a.participants)} 人次`}
              />
            </List.Item>
          )}
        />
      ) : (
        <Table<Activity>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          columns={columns}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <Empty description={filtered ? '没有符合条件的活动' : '还没有上报的活动'} /> }}
          pagination={serverPagination(filters, list.data?.total, (page, pageSize) =>
            setFilters((f) => ({ ...f, page, pageSize: Math.min(pageSize, 100) })),
          )}
        />
      )}
    </Card>
  );
}
