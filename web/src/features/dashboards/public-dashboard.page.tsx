import type { PublicSnapshotSummary } from '@kesu/shared';
import { Card, Empty, Layout, Select, Skeleton, Space, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { formatDateTime } from '../../lib/format';
import { usePublicSnapshot, usePublicSnapshots } from './dashboards.api';
import { OverviewView } from './overview-view';

/** The levels with something published, the top level first. */
function placesOf(items: PublicSnapshotSummary[]): { id: string; name: string; depth: number }[] {
  const seen = new Map<string, { id: string; name: string; depth: number }>();
  for (const s of items) {
    if (s.jurisdictionId && !seen.has(s.jurisdictionId)) {
      seen.set(s.jurisdictionId, {
        id: s.jurisdictionId,
        name: s.jurisdictionName ?? '',
        depth: s.jurisdictionDepth ?? 0,
      });
    }
  }
  return [...seen.values()].sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name, 'zh-CN'));
}

/**
 * 公众看板 (no sign-in): only what each level's office published. One page per level (?place=): the city's by
 * default, a county's from the picker or from the city's 县区对比; the latest snapshot, or another published cycle.
 */
export function PublicDashboardPage() {
  const list = usePublicSnapshots();
  const [params, setParams] = useSearchParams();
  const items = list.data?.items ?? [];
  const places = placesOf(items);
  const place = params.get('place') ?? places[0]?.id ?? null;
  const ofPlace = items.filter((s) => s.jurisdictionId === place);
  const id = params.get('snapshot') ?? ofPlace[0]?.id ?? null;
  const snap = usePublicSnapshot(id);
  const published = new Set(places.map((p) => p.id));
  const placeName = places.find((p) => p.id === place)?.name ?? '';
  return (
    <Layout style={{ minHeight: '100vh', padding: 'clamp(12px, 3vw, 24px)' }}>
      <Space orientation="vertical" size="large" style={{ width: '100%', maxWidth: 1280, margin: '0 auto' }}>
        <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
          <Typography.Title level={2} style={{ margin: 0 }}>
            {placeName ? `${placeName} · ` : ''}全民科学素质行动公众看板
          </Typography.Title>
          <Space wrap>
            {places.length > 1 && (
              <Select
                style={{ minWidth: 140 }}
                value={place ?? undefined}
                onChange={(v) => setParams({ place: v })}
                options={places.map((p) => ({ value: p.id, label: p.name }))}
                aria-label="选择地区"
              />
            )}
            {ofPlace.length > 0 && (
              <Select
                style={{ minWidth: 200 }}
                value={id ?? undefined}
                onChange={(v) => setParams({ ...(place ? { place } : {}), snapshot: v })}
                options={ofPlace.map((s) => ({ value: s.id, label: `${s.cycleName}（${s.planTitle}）` }))}
                aria-label="选择已发布的周期"
              />
            )}
            <Link to="/public/open-data">开放数据</Link>
            <Link to="/login">登录</Link>
          </Space>
        </Space>
        {list.isLoading ? (
          <Skeleton active />
        ) : ofPlace.length === 0 ? (
          <Card>
            <Empty description="尚无已发布的数据" />
          </Card>
        ) : !snap.data ? (
          <Skeleton active />
        ) : (
          <>
            <Typography.Text type="secondary">发布于 {formatDateTime(snap.data.publishedAt)}</Typography.Text>
            <OverviewView
              overview={snap.data.overview}
              onOpenChild={(c) => setParams({ place: c.jurisdictionId })}
              canOpenChild={(c) => published.has(c.jurisdictionId)}
            />
          </>
        )}
      </Space>
    </Layout>
  );
}
