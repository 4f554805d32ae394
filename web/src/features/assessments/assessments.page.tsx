import {
  ASSESSMENT_AUDIENCE_LABELS,
  ASSESSMENT_AUDIENCES,
  ASSESSMENT_STATE_LABELS,
  type AssessmentAudience,
  type AssessmentItemInput,
  type AssessmentRubric,
} from '@kesu/shared';
import { Alert, App, Button, Card, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage, formatDateTime } from '../../lib/format';
import { useAssessmentActions, useRubrics } from './assessments.api';
import { RubricEditor } from './rubric-editor';

export const thisYear = () =>
  Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

export const stateTag = (r: AssessmentRubric) => (
  <Space size={4} wrap>
    <Tag color={r.state === 'frozen' ? 'green' : r.state === 'computed' ? 'blue' : 'default'}>
      {ASSESSMENT_STATE_LABELS[r.state]}
    </Tag>
    {r.publishedAt && <Tag color="gold">已发布</Tag>}
    {r.openAppeals > 0 && <Tag color="red">待答复申诉 {r.openAppeals}</Tag>}
  </Space>
);

const EMPTY_ITEMS: AssessmentItemInput[] = [];

/** 年度考核: the level's rubrics by year and audience; new, copy from last year, open one. */
export function AssessmentsPage() {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [year, setYear] = useState<number | undefined>(undefined);
  const [audience, setAudience] = useState<AssessmentAudience | undefined>(undefined);
  const list = useRubrics({ ...(year ? { year } : {}), ...(audience ? { audience } : {}) });
  const actions = useAssessmentActions();
  const [creating, setCreating] = useState(false);
  const [newYear, setNewYear] = useState(thisYear());
  const [newAudience, setNewAudience] = useState<AssessmentAudience>('counties');
  const years = useMemo(() => Array.from({ length: 6 }, (_, k) => thisYear() + 1 - k), []);
  const rows = list.data?.items ?? [];
  const canManage = rows.some((r) => r.canManage) || rows.length === 0;

  const copyNext = async (r: AssessmentRubric) => {
    try {
      const made = (await actions.copy.mutateAsync({ id: r.id, year: r.year + 1 })) as AssessmentRubric;
      message.success(`已复制为${made.year}年考核草稿`);
      navigate(`/assessments/${made.id}`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          年度考核
        </Typography.Title>
        <Space wrap>
          <Select
            aria-label="年度"
            placeholder="全部年度"
            allowClear
            style={{ width: 120 }}
            value={year}
            options={years.map((y) => ({ value: y, label: `${y}年` }))}
            onChange={setYear}
          />
          <Select
            aria-label="考核对象"
            placeholder="全部对象"
            allowClear
            style={{ width: 170 }}
            value={audience}
            options={ASSESSMENT_AUDIENCES.map((a) => ({ value: a, label: ASSESSMENT_AUDIENCE_LABELS[a] }))}
            onChange={setAudience}
          />
          {canManage && (
            <Button type="primary" onClick={() => setCreating(true)}>
              新建考核
            </Button>
          )}
        </Space>
      </Space>
      <Typography.Text type="secondary">
        按本级责任单位或下级县（市、区）分别制定考核方案；计算后开放申诉，答复全部申诉后定稿排名，可选择向社会公开。
      </Typography.Text>
      {list.error && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <Card size="small">
        <Table<AssessmentRubric>
          rowKey="id"
          loading={list.isLoading}
          dataSource={rows}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description="还没有考核方案，请新建或复制往年方案" /> }}
          columns={[
            { title: '年度', dataIndex: 'year', width: 80, render: (y: number) => `${y}年` },
            {
              title: '考核名称',
              render: (_, r) => <Link to={`/assessments/${r.id}`}>{r.title}</Link>,
            },
            { title: '考核对象', width: 150, render: (_, r) => ASSESSMENT_AUDIENCE_LABELS[r.audience] },
            { title: '所属', width: 110, dataIndex: 'jurisdictionName' },
            { title: '项目', width: 70, render: (_, r) => `${r.items.length} 项` },
            { title: '状态', width: 220, render: (_, r) => stateTag(r) },
            { title: '计算时间', width: 160, render: (_, r) => formatDateTime(r.computedAt) },
            {
              title: '操作',
              width: 150,
              render: (_, r) =>
                r.canManage && (
                  <Button size="small" onClick={() => void copyNext(r)} loading={actions.copy.isPending}>
                    复制为{r.year + 1}年
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <RubricEditor
        key={String(creating)}
        open={creating}
        heading="新建考核方案"
        title={`${newYear}年度${newAudience === 'counties' ? '县（市、区）' : '市级单位'}科学素质工作考核`}
        items={EMPTY_ITEMS}
        saving={actions.create.isPending}
        onCancel={() => setCreating(false)}
        extra={
          <Space wrap>
            <Select
              aria-label="考核年度"
              style={{ width: 120 }}
              value={newYear}
              options={years.map((y) => ({ value: y, label: `${y}年` }))}
              onChange={setNewYear}
            />
            <Select
              aria-label="考核对象类别"
              style={{ width: 190 }}
              value={newAudience}
              options={ASSESSMENT_AUDIENCES.map((a) => ({ value: a, label: ASSESSMENT_AUDIENCE_LABELS[a] }))}
              onChange={setNewAudience}
            />
          </Space>
        }
        onSave={async (title, items) => {
          try {
            const made = (await actions.create.mutateAsync({
              year: newYear,
              audience: newAudience,
              title,
              items,
            })) as AssessmentRubric;
            setCreating(false);
            message.success('已新建考核方案');
            navigate(`/assessments/${made.id}`);
          } catch (e) {
            message.error(errorMessage(e));
          }
        }}
      />
    </Space>
  );
}
