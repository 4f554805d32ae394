import { withUnit } from '@kesu/indicators';
import { INDICATOR_KIND_LABELS, type IndicatorKind, type IndicatorStatusRow } from '@kesu/shared';
import { Alert, Card, Empty, Popover, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ExportButtons } from '../../components/export-buttons';
import { Link } from 'react-router';
import { errorMessage } from '../../lib/format';
import { usePlanList } from '../plans/plans.api';
import { LIGHT_COLORS, LIGHT_LABELS } from './reporting.labels';
import { useCycles, useIndicatorStatus } from './reporting.api';

const num = (v: number | null, digits = 2) =>
  v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(digits);

/** "How is this computed": the engine's sentence, formula and rule, beside the number. */
function HowComputed({ row }: { row: IndicatorStatusRow }) {
  return (
    <Popover
      title="计算方法"
      content={
        <div style={{ maxWidth: 460 }}>
          <Typography.Paragraph>{row.explanation}</Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            公式：{row.formula}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            亮灯规则：{row.ruleText}
          </Typography.Paragraph>
        </div>
      }
    >
      <Typography.Link aria-label={`${row.text} 的计算方法`}>怎么算的？</Typography.Link>
    </Popover>
  );
}

/** /reporting/indicators — every indicator's actual vs target, 序时进度, light, and the reports behind it. */
export function IndicatorStatusPage() {
  const plans = usePlanList(1, 100);
  const [planId, setPlanId] = useState<string | null>(null);
  const [cycleId, setCycleId] = useState<string | null>(null);
  useEffect(() => {
    if (planId === null && plans.data?.items[0]) setPlanId(plans.data.items[0].id);
  }, [plans.data, planId]);
  const cycles = useCycles(planId ? { planId } : {});
  const status = useIndicatorStatus(planId, cycleId);
  const d = status.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title="指标完成情况"
        extra={
          <Space wrap>
            <Select
              aria-label="规划"
              style={{ width: 260 }}
              value={planId ?? undefined}
              onChange={(v) => {
                setPlanId(v);
                setCycleId(null);
              }}
              options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
            />
            <Select
              aria-label="截至周期"
              style={{ width: 200 }}
              placeholder="截至今日"
              allowClear
              value={cycleId ?? undefined}
              onChange={(v) => setCycleId(v ?? null)}
              options={(cycles.data?.items ?? []).map((c) => ({ value: c.id, label: `截至 ${c.name}` }))}
            />
            {planId && <ExportButtons table="indicator-status" query={{ planId, cycleId }} />}
          </Space>
        }
      >
        {status.isError && <Alert type="error" showIcon title={errorMessage(status.error)} />}
        {d && (
          <Space size="large" wrap style={{ marginBottom: 16 }}>
            <Statistic title="评估日" value={d.asOf} />
            <Statistic title="绿灯" value={d.counts.green} valueStyle={{ color: '#389e0d' }} />
            <Statistic title="黄灯" value={d.counts.yellow} valueStyle={{ color: '#d48806' }} />
            <Statistic title="红灯" value={d.counts.red} valueStyle={{ color: '#cf1322' }} />
            <Statistic title="无数据" value={d.counts.no_data} />
          </Space>
        )}
        <Table<IndicatorStatusRow>
          rowKey="indicatorId"
          dataSource={d?.indicators ?? []}
          loading={status.isFetching}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description="该规划没有量化指标" /> }}
          expandable={{
            rowExpandable: (r) => r.sources.length > 0 || r.counties.length > 0,
            expandedRowRender: (r) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                {r.counties.length > 0 && (
                  <Typography.Text>
                    分县区：
                    {r.counties.map((c) => (
                      <Tag key={c.countyId} color={LIGHT_COLORS[c.status]} title={c.text}>
                        {c.countyName} {num(c.actual)}
                      </Tag>
                    ))}
                  </Typography.Text>
                )}
                <Typography.Text strong>数据来源</Typography.Text>
                {/* A registry query answers for every cycle end: only the figures counted are listed. */}
                {r.sources
                  .filter((s) => s.sourceKind !== 'registry' || s.isCounted)
                  .map((s) => (
                    <div key={`${s.ref}|${s.countyId ?? ''}|${s.period}`}>
                      {s.isCounted && <Tag color="blue">计入</Tag>}
                      {s.sourceKind === 'report' || s.sourceKind === 'county' ? (
                        <Link to={`/reporting/reports/${s.ref}`}>{s.label}</Link>
                      ) : s.sourceKind === 'registry' ? (
                        <Link to={`/${s.ref}`}>
                          {s.countyName ? `${s.countyName} · ` : ''}
                          {s.label}（查看记录）
                        </Link>
                      ) : (
                        s.label
                      )}
                      {s.sourceKind === 'registry'
                        ? ''
                        : `${s.countyName ? ` · ${s.countyName}` : ''} ：${s.value}（${String(s.period)}）`}
                    </div>
                  ))}
              </Space>
            ),
          }}
          columns={[
            { title: '任务', key: 't', render: (_, r) => `${r.taskPath} ${r.taskTitle}` },
            { title: '指标', dataIndex: 'text' },
            {
              title: '类型',
              key: 'k',
              render: (_, r) => INDICATOR_KIND_LABELS[r.kind as IndicatorKind] ?? r.kind,
            },
            {
              title: '实际 / 目标',
              key: 'a',
              render: (_, r) => (
                <Space>
                  <span data-testid={`actual-${r.indicatorId}`}>
                    <ActualValue row={r} /> / {withUnit(r.target, r.unit)}
                  </span>
                  <HowComputed row={r} />
                </Space>
              ),
            },
            {
              title: '序时进度',
              key: 'e',
              // Whole things (人、所、场…) in whole numbers, as the explanation sentence writes them.
              render: (_, r) => (r.expected === null ? '—' : withUnit(r.expected, r.unit)),
            },
            {
              title: '亮灯',
              key: 's',
              render: (_, r) => <Tag color={LIGHT_COLORS[r.status]}>{LIGHT_LABELS[r.status]}</Tag>,
            },
            {
              title: '异常',
              key: 'an',
              render: (_, r) =>
                r.anomalies.length ? (
                  <Tag color="orange" title={r.anomalies.join('\n')}>
                    {r.anomalies.length}
                  </Tag>
                ) : (
                  ''
                ),
            },
          ]}
        />
      </Card>
      {d && (
        <Card title="任务进度汇总（无数据的不计为 0）">
          <Table
            rowKey="taskId"
            size="small"
            pagination={false}
            dataSource={d.tasks}
            columns={[
              {
                title: '任务',
                key: 't',
                render: (_, t) => (
                  <span style={{ paddingLeft: (t.depth - 1) * 16 }}>{`${t.path} ${t.title}`}</span>
                ),
              },
              {
                title: '进度',
                key: 'p',
                render: (_, t) =>
                  t.progress === null ? <Tag>无数据</Tag> : `${(t.progress * 100).toFixed(1)}%`,
              },
              {
                title: '说明',
                key: 'x',
                render: (_, t) => <Typography.Text type="secondary">{t.explanation}</Typography.Text>,
              },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}

/** The actual figure; computed from the registries, it opens the records behind it. */
function ActualValue({ row }: { row: IndicatorStatusRow }) {
  if (row.actual === null) return <>—</>;
  const registry = row.sources.find((s) => s.sourceKind === 'registry' && s.isCounted && s.countyId === null);
  const shown = withUnit(row.actual, row.unit);
  return registry ? (
    <Link to={`/${registry.ref}`} title="查看计入的资源库记录">
      {shown}
    </Link>
  ) : (
    shown
  );
}
