import { ACTIVITY_MODE_LABELS, type PublicActivity } from '@kesu/shared';
import {
  Alert,
  Badge,
  Button,
  Calendar,
  Card,
  Empty,
  Layout,
  List,
  Segmented,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../lib/format';
import { usePublicCalendar } from './activities.api';
import { activityDates, populationsText } from './activity-labels';

/** Whether an activity is on (or spans) a day. */
const onDay = (a: PublicActivity, day: string) => a.startDate <= day && a.endDate >= day;

function ActivityItem({ a }: { a: PublicActivity }) {
  return (
    <List.Item>
      <List.Item.Meta
        title={
          <Space size={4} wrap>
            <span>{a.title}</span>
            {a.campaign && <Tag color="blue">{a.campaign}</Tag>}
            <Tag>{ACTIVITY_MODE_LABELS[a.mode]}</Tag>
          </Space>
        }
        description={
          <Space orientation="vertical" size={0}>
            <span>
              {activityDates(a)} · {a.jurisdictionName} · {a.place}
            </span>
            <span>主办：{a.organiserName}</span>
            {a.populations.length > 0 && <span>面向：{populationsText(a.populations)}</span>}
            {a.summary && (
              <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                {a.summary}
              </Typography.Paragraph>
            )}
          </Space>
        }
      />
    </List.Item>
  );
}

/** /public/calendar — upcoming science-popularization activities for anyone, by county; list or month view; phone first. */
export function PublicCalendarPage() {
  const [view, setView] = useState<'list' | 'month'>('list');
  const [jurisdictionId, setJurisdictionId] = useState<string | undefined>(undefined);
  const [month, setMonth] = useState<Dayjs>(() => dayjs());
  const [day, setDay] = useState<string | null>(null);
  const range =
    view === 'month'
      ? { from: month.startOf('month').format('YYYY-MM-DD'), to: month.endOf('month').format('YYYY-MM-DD') }
      : {};
  const q = usePublicCalendar({ jurisdictionId, ...range });
  const items = q.data?.items ?? [];
  const places = q.data?.jurisdictions ?? [];
  const rootId = places.find((p) => p.parentId === null)?.id;
  const counties = places.filter((p) => p.parentId !== null && p.parentId === rootId);
  const shown = useMemo(
    () => (view === 'month' && day ? items.filter((a) => onDay(a, day)) : items),
    [items, view, day],
  );

  return (
    <Layout style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <Layout.Content style={{ maxWidth: 820, width: '100%', margin: '0 auto', padding: 12 }}>
        <Card
          title="科普活动日历"
          extra={
            <Space size={12}>
              <Link to="/public/dashboard">公开看板</Link>
              <Link to="/public/open-data">开放数据</Link>
            </Space>
          }
          styles={{ body: { padding: 12 } }}
        >
          <Space wrap style={{ marginBottom: 12 }}>
            <Select
              aria-label="县区"
              size="large"
              placeholder="全部县区"
              allowClear
              style={{ width: 160 }}
              value={jurisdictionId}
              options={counties.map((c) => ({ value: c.id, label: c.name }))}
              onChange={(v?: string) => {
                setJurisdictionId(v);
                setDay(null);
              }}
            />
            <Segmented
              size="large"
              value={view}
              onChange={(v) => {
                setView(v as 'list' | 'month');
                setDay(null);
              }}
              options={[
                { value: 'list', label: '列表' },
                { value: 'month', label: '月历' },
              ]}
            />
          </Space>
          {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
          {view === 'month' && (
            <Calendar
              fullscreen={false}
              value={day ? dayjs(day) : month}
              onPanelChange={(d) => {
                setMonth(d);
                setDay(null);
              }}
              onSelect={(d, info) => {
                if (info.source === 'date') setDay(d.format('YYYY-MM-DD'));
                else {
                  setMonth(d);
                  setDay(null);
                }
              }}
              fullCellRender={(d, info) => {
                if (info.type !== 'date') return info.originNode;
                const key = d.format('YYYY-MM-DD');
                const n = items.filter((a) => onDay(a, key)).length;
                return (
                  <div className="ant-picker-cell-inner" title={n ? `${key} 有 ${n} 场活动` : key}>
                    {d.date()}
                    {n > 0 && <Badge status="processing" style={{ display: 'block', lineHeight: '4px' }} />}
                  </div>
                );
              }}
            />
          )}
          {view === 'month' && day && (
            <Space style={{ margin: '8px 0' }}>
              <Typography.Text strong>{day} 的活动</Typography.Text>
              <Button size="small" onClick={() => setDay(null)}>
                看整月
              </Button>
            </Space>
          )}
          {q.isLoading ? (
            <Spin />
          ) : (
            <List
              dataSource={shown}
              renderItem={(a) => <ActivityItem a={a} />}
              locale={{
                emptyText: (
                  <Empty
                    description={view === 'month' ? '这段时间暂无即将举办的活动' : '近期暂无即将举办的活动'}
                  />
                ),
              }}
            />
          )}
          {q.data?.truncated && (
            <Alert type="info" showIcon title="活动较多，只列出了前 500 场，请按县区或月份查看" />
          )}
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
            只列出尚未结束的活动；多家单位联合举办的同一活动只列一次。活动安排以主办单位通知为准。
          </Typography.Paragraph>
        </Card>
      </Layout.Content>
    </Layout>
  );
}
