import { RECIPIENT_KIND_LABELS } from '@kesu/shared';
import { Alert, Card, Empty, Layout, List, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../lib/format';
import { usePublicRecognitions } from './recognitions.api';

/** /public/recognitions — confirmed, published commendations by year; phone first. */
export function PublicRecognitionsPage() {
  const [year, setYear] = useState<number | undefined>(undefined);
  const [page, setPage] = useState(1);
  const q = usePublicRecognitions({ year, page });
  return (
    <Layout style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <Layout.Content style={{ maxWidth: 820, width: '100%', margin: '0 auto', padding: 12 }}>
        <Card
          title="表彰奖励"
          extra={<Link to="/public/dashboard">公开看板</Link>}
          styles={{ body: { padding: 12 } }}
        >
          <Select
            aria-label="年度"
            size="large"
            allowClear
            placeholder="全部年度"
            style={{ width: 160, marginBottom: 12 }}
            value={year}
            onChange={(v?: number) => {
              setYear(v);
              setPage(1);
            }}
            options={(q.data?.years ?? []).map((y) => ({ value: y, label: `${y}年` }))}
          />
          {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
          <List
            loading={q.isLoading}
            dataSource={q.data?.items ?? []}
            locale={{ emptyText: <Empty description="暂无公开的表彰" /> }}
            pagination={
              (q.data?.total ?? 0) > 20
                ? { current: page, pageSize: 20, total: q.data?.total ?? 0, onChange: setPage, simple: true }
                : false
            }
            renderItem={(r) => (
              <List.Item>
                <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                  <Space wrap size={4}>
                    <Typography.Text strong>{r.recipientName}</Typography.Text>
                    <Tag>{RECIPIENT_KIND_LABELS[r.recipientKind]}</Tag>
                    <Tag color="gold">{r.level}</Tag>
                  </Space>
                  <span>{r.title}</span>
                  {r.reason && (
                    <Typography.Paragraph
                      type="secondary"
                      ellipsis={{ rows: 3, expandable: true }}
                      style={{ margin: 0 }}
                    >
                      {r.reason}
                    </Typography.Paragraph>
                  )}
                  <Typography.Text type="secondary">
                    {r.jurisdictionName} {r.year}年{r.docNumber ? ` · ${r.docNumber}` : ''}
                    {r.awardedOn ? ` · ${r.awardedOn}` : ''}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </Card>
      </Layout.Content>
    </Layout>
  );
}
