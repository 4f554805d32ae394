import { CONTENT_AUDIENCE_LABELS, CONTENT_AUDIENCES, type ContentAudience } from '@kesu/shared';
import { Alert, Card, Empty, Flex, List, Select, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../lib/format';
import { usePublicPlaces, useRecommendations } from './content.api';

const STORAGE_KEY = 'kesu.forYou';

function remembered(): { jurisdictionId?: string; group?: ContentAudience } {
  try {
    const v = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
    return {
      jurisdictionId: typeof v.jurisdictionId === 'string' ? v.jurisdictionId : undefined,
      group: CONTENT_AUDIENCES.includes(v.group) ? v.group : undefined,
    };
  } catch {
    return {};
  }
}

const dateRange = (a: string, b: string) => (a === b ? a : `${a} 至 ${b}`);

/**
 * 为您推荐 (public, no sign-in): the reader chooses a county and a group (remembered on this device), and sees
 * science content and upcoming activities chosen for them, each saying why. Fits a 390 px phone.
 */
export function ForYouPage() {
  const places = usePublicPlaces();
  const [choice, setChoice] = useState(remembered);
  useEffect(() => {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(choice));
    } catch {
      // A browser refusing storage only forgets the choice.
    }
  }, [choice]);
  const known = places.data?.items.some((p) => p.id === choice.jurisdictionId) ?? true;
  const rec = useRecommendations(known ? choice : {});

  return (
    <div style={{ maxWidth: 880, margin: '0 auto', padding: '16px 12px 48px' }}>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        为您推荐
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        选择您所在的县区和您属于的人群，我们为您推荐科普内容和近期的科普活动。您的选择只保存在本设备上。
      </Typography.Paragraph>
      <Flex gap={8} wrap="wrap" style={{ marginBottom: 16 }}>
        <Select
          aria-label="所在县区"
          placeholder="选择县区"
          style={{ flex: '1 1 160px', minWidth: 0 }}
          loading={places.isLoading}
          value={known ? choice.jurisdictionId : undefined}
          onChange={(jurisdictionId) => setChoice((c) => ({ ...c, jurisdictionId }))}
          options={(places.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
        />
        <Select
          aria-label="人群"
          placeholder="选择人群"
          style={{ flex: '1 1 160px', minWidth: 0 }}
          value={choice.group}
          onChange={(group) => setChoice((c) => ({ ...c, group }))}
          options={CONTENT_AUDIENCES.map((a) => ({ value: a, label: CONTENT_AUDIENCE_LABELS[a] }))}
        />
      </Flex>
      {!(choice.jurisdictionId && known && choice.group) && <Empty description="请先选择县区和人群" />}
      {rec.isError && <Alert type="error" showIcon message={errorMessage(rec.error)} />}
      {rec.isFetching && !rec.data && <Spin />}
      {rec.data && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Card size="small" title="推荐内容">
            <List
              dataSource={rec.data.content}
              locale={{ emptyText: '暂无为您推荐的内容' }}
              renderItem={(c) => (
                <List.Item key={c.id}>
                  <Space direction="vertical" size={2} style={{ width: '100%', minWidth: 0 }}>
                    <Typography.Text strong style={{ wordBreak: 'break-word' }}>
                      {c.url ? (
                        <a href={c.url} target="_blank" rel="noopener noreferrer">
                          {c.title}
                        </a>
                      ) : (
                        c.title
                      )}
                    </Typography.Text>
                    <Typography.Text style={{ wordBreak: 'break-word' }}>{c.summary}</Typography.Text>
                    <Space size={4} wrap>
                      <Tag color="green">{c.reason}</Tag>
                      {c.themes.map((t) => (
                        <Tag key={t}>{t}</Tag>
                      ))}
                    </Space>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {c.publisher} · {c.publishedOn}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
          <Card size="small" title="近期科普活动">
            <List
              dataSource={rec.data.activities}
              locale={{ emptyText: '近期暂无适合您的科普活动' }}
              renderItem={(a) => (
                <List.Item key={a.id}>
                  <Space direction="vertical" size={2} style={{ width: '100%', minWidth: 0 }}>
                    <Typography.Text strong style={{ wordBreak: 'break-word' }}>
                      {a.title}
                    </Typography.Text>
                    <Typography.Text style={{ wordBreak: 'break-word' }}>
                      {dateRange(a.startDate, a.endDate)} · {a.place}（{a.jurisdictionName}）· {a.mode}
                    </Typography.Text>
                    <Space size={4} wrap>
                      <Tag color="green">{a.reason}</Tag>
                      {a.theme && <Tag>{a.theme}</Tag>}
                    </Space>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        </Space>
      )}
      <Typography.Paragraph style={{ marginTop: 24 }}>
        <Link to="/self-test">测一测您的科学素质</Link>
      </Typography.Paragraph>
    </div>
  );
}
