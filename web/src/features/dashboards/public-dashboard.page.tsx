import { Card, Empty, Layout, Select, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { usePublicSnapshot, usePublicSnapshots } from './dashboards.api';
import { OverviewView } from './overview-view';

/** 公众看板 (no sign-in): only what the admin published — the latest snapshot, or another published cycle. */
export function PublicDashboardPage() {
  const list = usePublicSnapshots();
  const [picked, setPicked] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  const id = picked ?? items[0]?.id ?? null;
  const snap = usePublicSnapshot(id);
  return (
    <Layout style={{ minHeight: '100vh', padding: 24 }}>
      <Space orientation="vertical" size="large" style={{ width: '100%', maxWidth: 1280, margin: '0 auto' }}>
        <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
          <Typography.Title level={2} style={{ margin: 0 }}>
            全民科学素质行动 · 公众看板
          </Typography.Title>
          <Space>
            {items.length > 0 && (
              <Select
                style={{ minWidth: 220 }}
                value={id ?? undefined}
                onChange={(v) => setPicked(v)}
                options={items.map((s) => ({ value: s.id, label: `${s.cycleName}（${s.planTitle}）` }))}
                aria-label="选择已发布的周期"
              />
            )}
            <Link to="/login">登录</Link>
          </Space>
        </Space>
        {list.isLoading ? (
          <Skeleton active />
        ) : items.length === 0 ? (
          <Card>
            <Empty description="尚无已发布的数据" />
          </Card>
        ) : !snap.data ? (
          <Skeleton active />
        ) : (
          <>
            <Typography.Text type="secondary">
              发布于 {snap.data.publishedAt.slice(0, 16).replace('T', ' ')}（UTC）
            </Typography.Text>
            <OverviewView overview={snap.data.overview} />
          </>
        )}
      </Space>
    </Layout>
  );
}
