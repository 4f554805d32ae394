import { ASSESSMENT_AUDIENCE_LABELS } from '@kesu/shared';
import { Alert, Card, Empty, Layout, List, Skeleton, Space, Tag, Typography } from 'antd';
import { errorMessage, formatDateTime } from '../../lib/format';
import { scoreText, usePublicAssessments } from './assessments.api';

/** /public/assessments (no sign-in): frozen and published 考核 rankings — names, totals, grades, ranks. 390 px. */
export function PublicAssessmentsPage() {
  const q = usePublicAssessments();
  return (
    <Layout style={{ minHeight: '100vh', padding: 'clamp(8px, 3vw, 24px)' }}>
      <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 900, margin: '0 auto' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          年度考核结果
        </Typography.Title>
        <Typography.Text type="secondary">
          科学素质工作年度考核的定稿结果。同分并列同一名次；被一票否决的排在最后，等次为不合格。
        </Typography.Text>
        {q.isLoading && <Skeleton active />}
        {q.error && <Alert type="error" showIcon title={errorMessage(q.error)} />}
        {q.data && q.data.items.length === 0 && <Empty description="暂无公开的考核结果" />}
        {q.data?.items.map((r) => (
          <Card key={r.id} size="small" title={<span style={{ whiteSpace: 'normal' }}>{r.title}</span>}>
            <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
              {r.jurisdictionName} · {ASSESSMENT_AUDIENCE_LABELS[r.audience]} · 定稿{' '}
              {formatDateTime(r.frozenAt)} · 发布 {formatDateTime(r.publishedAt)}
            </Typography.Paragraph>
            <List
              dataSource={r.rows}
              renderItem={(x) => (
                <List.Item>
                  <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
                    <Space>
                      <Typography.Text strong style={{ width: 56, display: 'inline-block' }}>
                        第 {x.rank} 名
                      </Typography.Text>
                      <span>{x.subjectName}</span>
                    </Space>
                    <Space>
                      <span>{scoreText(x.total)} 分</span>
                      <Tag color={x.grade === '不合格' ? 'red' : x.grade === '优秀' ? 'green' : 'blue'}>
                        {x.grade}
                      </Tag>
                      {x.vetoed && <Tag color="red">一票否决</Tag>}
                    </Space>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        ))}
      </Space>
    </Layout>
  );
}
