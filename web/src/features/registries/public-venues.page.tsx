import { Alert, Card, Empty, Layout, List, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { EChart } from '../../components/charts/echart';
import { errorMessage } from '../../lib/format';
import { usePublicVenues } from './registries.api';
import { venueScatterOption } from './registry-filters';

/**
 * /public/venues (no sign-in): 科普教育基地 and 科技馆 open to the public and in force today, with a scatter of those
 * with coordinates on longitude/latitude axes (drawn locally, no map tiles). Fits a 390 px phone.
 */
export function PublicVenuesPage() {
  const [params] = useSearchParams();
  const q = usePublicVenues(params.get('jurisdictionId') ?? undefined);
  const [place, setPlace] = useState<string | undefined>(undefined);
  const all = q.data?.items ?? [];
  const places = [...new Set(all.map((v) => v.jurisdictionName))];
  const venues = place ? all.filter((v) => v.jurisdictionName === place) : all;
  const scatter = venueScatterOption(venues);
  return (
    <Layout style={{ minHeight: '100vh', padding: 'clamp(8px, 3vw, 24px)' }}>
      <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 1100, margin: '0 auto' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          对公众开放的科普场馆
        </Typography.Title>
        <Typography.Text type="secondary">
          科普教育基地和科技馆，截至 {q.data?.asOf ?? '今日'} 在册且对公众开放。开放时间以场馆公布为准。
        </Typography.Text>
        {places.length > 1 && (
          <Select
            aria-label="县（市、区）"
            placeholder="全部县（市、区）"
            allowClear
            style={{ width: 200, maxWidth: '100%' }}
            value={place}
            options={places.map((p) => ({ value: p, label: p }))}
            onChange={setPlace}
          />
        )}
        {q.isLoading && <Skeleton active />}
        {q.error && <Alert type="error" showIcon title={errorMessage(q.error)} />}
        {q.data && venues.length === 0 && <Empty description="暂无对公众开放的科普场馆" />}
        {scatter.located > 0 && (
          <Card size="small" title="场馆分布（按经纬度）">
            <EChart option={scatter.option} height={320} ariaLabel="科普场馆按经度、纬度的分布" />
          </Card>
        )}
        {venues.length > 0 && (
          <List
            bordered
            style={{ background: '#fff' }}
            dataSource={venues}
            renderItem={(v) => (
              <List.Item>
                <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                  <Space wrap size={4}>
                    <Typography.Text strong>{v.name}</Typography.Text>
                    <Tag>{v.kindLabel}</Tag>
                    {v.level && <Tag color="blue">{v.level}</Tag>}
                  </Space>
                  <Typography.Text type="secondary">
                    {v.jurisdictionName}
                    {v.address ? ` · ${v.address}` : ''}
                  </Typography.Text>
                  {v.openingHours && <Typography.Text>开放时间：{v.openingHours}</Typography.Text>}
                </Space>
              </List.Item>
            )}
          />
        )}
        <Space wrap size={16}>
          <Link to="/public/plans">查看公开的规划 →</Link>
          <Link to="/public/open-data">下载开放数据 →</Link>
        </Space>
      </Space>
    </Layout>
  );
}
