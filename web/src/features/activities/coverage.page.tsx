import { COVERAGE_STATUS_LABELS, type CoverageRow } from '@kesu/shared';
import { Alert, Card, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { useJurisdictions } from '../jurisdictions/jurisdictions.api';
import { useCoverage } from './activities.api';
import { YEAR_OPTIONS } from './activities.page';
import { formatCount } from './activity-labels';

const THIS_YEAR = YEAR_OPTIONS[1]!.value;

function percent(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

/** Coverage on a 0–100% bar with the target marked (a share above 100% fills the bar). */
function CoverageBar({ coverage, target, ok }: { coverage: number; target: number; ok: boolean }) {
  return (
    <div
      role="img"
      aria-label={`覆盖面 ${percent(coverage)}，目标 ${percent(target)}`}
      style={{
        position: 'relative',
        height: 8,
        background: '#f0f0f0',
        borderRadius: 4,
        width: '100%',
        maxWidth: 320,
      }}
    >
      <div
        style={{
          width: `${Math.min(1, coverage) * 100}%`,
          height: '100%',
          borderRadius: 4,
          background: ok ? '#52c41a' : '#ff4d4f',
        }}
      />
      <div
        title={`目标 ${percent(target)}`}
        style={{
          position: 'absolute',
          left: `${target * 100}%`,
          top: -3,
          width: 2,
          height: 14,
          background: '#262626',
        }}
      />
    </div>
  );
}

/** The coverage of one row: a bar against 80%, or "missing" with where residents are entered. */
function CoverageCell({
  row,
  target,
  canEnterPopulation,
}: {
  row: CoverageRow;
  target: number;
  canEnterPopulation: boolean;
}) {
  if (row.coverage === null)
    return (
      <Space orientation="vertical" size={0}>
        <Tag color="default">{COVERAGE_STATUS_LABELS.missing_population}</Tag>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {canEnterPopulation ? (
            <>
              请在 <Link to="/monitoring/margins">常住人口</Link> 中录入当年常住人口
            </>
          ) : (
            '由市级管理员在“科学素质监测 › 常住人口”中录入'
          )}
        </Typography.Text>
      </Space>
    );
  return (
    <Space orientation="vertical" size={0} style={{ width: '100%' }}>
      <CoverageBar coverage={row.coverage} target={target} ok={row.status === 'ok'} />
      <span>
        <Typography.Text strong>{percent(row.coverage)}</Typography.Text>{' '}
        <Tag color={row.status === 'ok' ? 'green' : 'red'}>{COVERAGE_STATUS_LABELS[row.status]}</Tag>
      </span>
    </Space>
  );
}

/** /activities/coverage — 覆盖面: person-times ÷ residents per county against 80%, with the caveat beside the numbers. */
export function CoveragePage() {
  const me = useCurrentUser();
  const places = useJurisdictions().data?.items ?? [];
  const [year, setYear] = useState<number>(THIS_YEAR);
  const [jurisdictionId, setJurisdictionId] = useState<string | undefined>(undefined);
  const q = useCoverage(jurisdictionId, year);
  // Population margins are kept by the root's office (科学素质监测 › 常住人口).
  const canEnterPopulation = me.role === 'admin' && me.atRoot;
  const data = q.data;
  const columns: ColumnsType<CoverageRow> = [
    { title: '地区', dataIndex: 'name', width: 120 },
    { title: '活动场次', dataIndex: 'activities', width: 90, align: 'right', render: formatCount },
    { title: '参与人次', dataIndex: 'personTimes', width: 120, align: 'right', render: formatCount },
    {
      title: '常住人口',
      key: 'residents',
      width: 200,
      render: (_, r) =>
        r.residents === null ? (
          <Typography.Text type="secondary">缺少</Typography.Text>
        ) : (
          <Space orientation="vertical" size={0}>
            <span>{formatCount(r.residents)}</span>
            {r.populationSource && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                来源：{r.populationSource}
              </Typography.Text>
            )}
          </Space>
        ),
    },
    {
      title: `覆盖面（目标 ${percent(data?.target ?? 0.8)}）`,
      key: 'coverage',
      render: (_, r) => (
        <CoverageCell row={r} target={data?.target ?? 0.8} canEnterPopulation={canEnterPopulation} />
      ),
    },
  ];
  const rows = data ? [...data.rows, { ...data.total, name: `${data.total.name}（合计）` }] : [];
  return (
    <Card
      title="科普活动覆盖面"
      extra={
        <Space wrap>
          {places.length > 1 && (
            <Select
              aria-label="地区"
              style={{ width: 150 }}
              value={jurisdictionId ?? places[0]?.id}
              options={places.map((p) => ({ value: p.id, label: p.name }))}
              onChange={setJurisdictionId}
            />
          )}
          <Select
            aria-label="年份"
            style={{ width: 110 }}
            value={year}
            options={YEAR_OPTIONS}
            onChange={setYear}
          />
        </Space>
      }
    >
      {data && <Alert type="info" showIcon title={data.caveat} style={{ marginBottom: 12 }} />}
      {q.isError && (
        <Alert type="error" showIcon title={errorMessage(q.error)} style={{ marginBottom: 12 }} />
      )}
      <Table<CoverageRow>
        rowKey="jurisdictionId"
        size="middle"
        loading={q.isFetching}
        columns={columns}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <Empty description="没有数据" /> }}
        rowClassName={(r) => (data && r.jurisdictionId === data.total.jurisdictionId ? 'kesu-total-row' : '')}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        覆盖面 = 当年在该地区举办的科普活动参与人次之和 ÷ 当年常住人口；多家单位联合上报的同一活动只计一次。
      </Typography.Paragraph>
    </Card>
  );
}
