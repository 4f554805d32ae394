import {
  OPEN_DATA_FORMAT_LABELS,
  OPEN_DATA_FORMATS,
  type OpenDataEntry,
  type OpenDataJurisdiction,
} from '@kesu/shared';
import { Alert, Button, Card, Empty, Layout, Select, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../lib/format';
import { useOpenDataCatalogue } from './opendata.api';

/** The address people copy: absolute, so it works pasted into a script or a spreadsheet. */
function absolute(url: string): string {
  return `${window.location.origin}${url}`;
}

/** One dataset of one level: what it is, how it is made, a period, the three downloads and the stable URLs. */
function DatasetCard({ entry }: { entry: OpenDataEntry }) {
  const [period, setPeriod] = useState(entry.periods[0]?.period ?? '');
  const chosen = entry.periods.find((p) => p.period === period) ?? entry.periods[0];
  if (!chosen) return null;
  return (
    <Card size="small" title={entry.title} styles={{ body: { overflowWrap: 'anywhere' } }}>
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>
        <Typography.Text>{entry.description}</Typography.Text>
        <Space wrap size={8}>
          {entry.periods.length > 1 ? (
            <Select
              aria-label={`${entry.title}的期别`}
              style={{ minWidth: 180, maxWidth: '100%' }}
              value={chosen.period}
              onChange={setPeriod}
              options={entry.periods.map((p) => ({ value: p.period, label: p.label }))}
            />
          ) : (
            <Typography.Text strong>{chosen.label}</Typography.Text>
          )}
          <Typography.Text type="secondary">数据截至 {chosen.asOf}</Typography.Text>
        </Space>
        <Typography.Paragraph
          type="secondary"
          style={{ marginBottom: 0 }}
          ellipsis={{ rows: 2, expandable: true, symbol: '展开统计方法' }}
        >
          统计方法：{entry.method}
        </Typography.Paragraph>
        <Typography.Text type="secondary">来源：{entry.source}</Typography.Text>
        <Space wrap size={8}>
          {OPEN_DATA_FORMATS.map((f) => (
            <Button
              key={f}
              href={chosen.urls[f]}
              download
              aria-label={`下载${entry.title}（${OPEN_DATA_FORMAT_LABELS[f]}）`}
            >
              下载 {OPEN_DATA_FORMAT_LABELS[f]}
            </Button>
          ))}
        </Space>
        <Typography.Text type="secondary">本期地址（固定不变）：</Typography.Text>
        <Typography.Text code copyable={{ text: absolute(chosen.urls.csv) }}>
          {chosen.urls.csv}
        </Typography.Text>
        <Typography.Text type="secondary">最新一期地址（随发布更新）：</Typography.Text>
        <Typography.Text code copyable={{ text: absolute(entry.latest.csv) }}>
          {entry.latest.csv}
        </Typography.Text>
      </Space>
    </Card>
  );
}

/** Entries grouped by level, in the catalogue's order (the top level first). */
function byLevel(items: OpenDataEntry[]): { place: OpenDataJurisdiction; entries: OpenDataEntry[] }[] {
  const groups = new Map<string, { place: OpenDataJurisdiction; entries: OpenDataEntry[] }>();
  for (const e of items) {
    const g = groups.get(e.jurisdiction.key) ?? { place: e.jurisdiction, entries: [] };
    g.entries.push(e);
    groups.set(e.jurisdiction.key, g);
  }
  return [...groups.values()];
}

/**
 * /public/open-data (no sign-in): every published figure as csv, Excel or JSON at a stable address, with its as-of
 * date and method, by level. Fits a 390 px phone.
 */
export function OpenDataPage() {
  const q = useOpenDataCatalogue();
  const groups = byLevel(q.data?.items ?? []);
  const [placeKey, setPlaceKey] = useState<string | undefined>(undefined);
  const shown = placeKey ? groups.filter((g) => g.place.key === placeKey) : groups;
  return (
    <Layout style={{ minHeight: '100vh', padding: 'clamp(8px, 3vw, 24px)' }}>
      <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 1100, margin: '0 auto' }}>
        <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            开放数据
          </Typography.Title>
          <Space wrap size={12}>
            <Link to="/public/dashboard">公众看板</Link>
            <Link to="/public/plans">公开的规划</Link>
            <Link to="/public/venues">科普场馆</Link>
            <Link to="/public/calendar">活动日历</Link>
          </Space>
        </Space>
        <Typography.Text type="secondary">
          各级已发布的数字均可下载为 CSV、Excel 或 JSON，每份文件注明数据截至日期和统计方法。
        </Typography.Text>
        {q.data && (
          <Card size="small" styles={{ body: { overflowWrap: 'anywhere' } }}>
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Typography.Text>许可：{q.data.licence}</Typography.Text>
              <Typography.Text type="secondary">{q.data.csvNote}</Typography.Text>
              <Typography.Text type="secondary">
                目录（JSON）：
                <Typography.Text code copyable={{ text: absolute('/api/v1/public/open-data') }}>
                  /api/v1/public/open-data
                </Typography.Text>
                {q.data.rateLimitPerMinute > 0 &&
                  `；程序访问请控制频率：同一地址每分钟最多 ${q.data.rateLimitPerMinute} 次。`}
              </Typography.Text>
            </Space>
          </Card>
        )}
        {groups.length > 1 && (
          <Select
            aria-label="选择地区"
            placeholder="全部地区"
            allowClear
            style={{ width: 220, maxWidth: '100%' }}
            value={placeKey}
            onChange={setPlaceKey}
            options={groups.map((g) => ({ value: g.place.key, label: g.place.name }))}
          />
        )}
        {q.isLoading && <Skeleton active />}
        {q.error && <Alert type="error" showIcon title={errorMessage(q.error)} />}
        {q.data && groups.length === 0 && <Empty description="尚无已发布的开放数据" />}
        {shown.map((g) => (
          <Space key={g.place.key} orientation="vertical" size="small" style={{ width: '100%' }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {g.place.name}
              <Typography.Text type="secondary" style={{ fontSize: 14, marginLeft: 8 }}>
                {g.place.level}
              </Typography.Text>
            </Typography.Title>
            {g.entries.map((e) => (
              <DatasetCard key={`${e.jurisdiction.key}/${e.dataset}`} entry={e} />
            ))}
          </Space>
        ))}
      </Space>
    </Layout>
  );
}
