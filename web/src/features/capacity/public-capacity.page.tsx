import { Alert, Card, Empty, Layout, Select, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage, formatDateTime } from '../../lib/format';
import { usePublicCapacity } from './capacity.api';
import { CapacityMethod, CapacityRanking, CapacitySensitivity, CapacityWeights } from './capacity-result';

/** /public/capacity — the published capacity index by county, with its weights, sources and method; phone first. */
export function PublicCapacityPage() {
  const [chosen, setChosen] = useState<{ jurisdictionId?: string; year?: number }>({});
  const q = usePublicCapacity(chosen);
  const result = q.data?.result ?? null;
  const available = q.data?.available ?? [];
  const keyOf = (a: { jurisdictionId: string; year: number }) => `${a.jurisdictionId}|${a.year}`;
  return (
    <Layout style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <Layout.Content style={{ maxWidth: 960, width: '100%', margin: '0 auto', padding: 12 }}>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Card
            title="科学素质建设能力指数"
            extra={<Link to="/public/dashboard">公开看板</Link>}
            styles={{ body: { padding: 12 } }}
          >
            {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
            {q.isLoading && <Spin />}
            {!q.isLoading && !result && <Empty description="尚未发布能力指数" />}
            {available.length > 1 && (
              <Select
                aria-label="年度与地区"
                size="large"
                style={{ width: '100%', maxWidth: 280, marginBottom: 12 }}
                value={result ? keyOf(result) : undefined}
                onChange={(v: string) => {
                  const [jurisdictionId, year] = v.split('|');
                  setChosen({ jurisdictionId, year: Number(year) });
                }}
                options={available.map((a) => ({
                  value: keyOf(a),
                  label: `${a.jurisdictionName} ${a.year}年`,
                }))}
              />
            )}
            {result && (
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Typography.Text>
                  {result.jurisdictionName} {result.year}年各县区科学素质建设能力指数
                </Typography.Text>
                <Typography.Text type="secondary">
                  数据截至 {result.asOf}；发布于 {formatDateTime(result.publishedAt)}
                </Typography.Text>
                <CapacityRanking result={result} />
              </Space>
            )}
          </Card>
          {result && (
            <>
              <Card title="权重与数据来源" styles={{ body: { padding: 12 } }}>
                <CapacityWeights result={result} />
              </Card>
              <Card title="权重变化时的名次（敏感性）" styles={{ body: { padding: 12 } }}>
                <CapacitySensitivity result={result} />
              </Card>
              <Card title="计算方法" styles={{ body: { padding: 12 } }}>
                <CapacityMethod result={result} />
              </Card>
            </>
          )}
        </Space>
      </Layout.Content>
    </Layout>
  );
}
