import { COVERAGE_STATUS_LABELS, type CoverageRow } from '@kesu/shared';
import { Card, Space, Statistic, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useCoverage } from '../activities/activities.api';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function CoverageTag({ row }: { row: CoverageRow }) {
  if (row.coverage === null) return <Tag>{COVERAGE_STATUS_LABELS.missing_population}</Tag>;
  return <Tag color={row.status === 'ok' ? 'green' : 'red'}>{pct(row.coverage)}</Tag>;
}

/**
 * 科普活动覆盖面 of the dashboard's level in the year it stands at: the level's own person-times over its residents and
 * each child's, from the registries (every level's dashboard, whether or not its plan has a coverage target), with
 * the caveat beside the numbers and a link to the 覆盖面 page.
 */
export function ResourcesCard({
  jurisdictionId,
  year,
}: {
  jurisdictionId: string | undefined;
  year: number;
}) {
  const q = useCoverage(jurisdictionId, year);
  const d = q.data;
  return (
    <Card
      title={`科普活动覆盖面（${year}年）`}
      size="small"
      loading={q.isLoading}
      data-testid="resources-card"
      extra={<Link to="/activities/coverage">详情</Link>}
    >
      {d && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap size="large">
            <Statistic
              title={`${d.total.name}覆盖面（目标 ${pct(d.target)}）`}
              value={
                d.total.coverage === null ? COVERAGE_STATUS_LABELS.missing_population : pct(d.total.coverage)
              }
              valueStyle={{ fontSize: d.total.coverage === null ? 16 : undefined }}
              data-testid="resources-coverage-total"
            />
            <Statistic title="参与人次" value={d.total.personTimes.toLocaleString('zh-CN')} />
            <Statistic title="活动场次（联合活动只计一次）" value={d.total.activities} />
          </Space>
          {d.rows.length > 0 && (
            <div data-testid="resources-coverage-children">
              {d.rows.map((r) => (
                <span
                  key={r.jurisdictionId}
                  style={{ display: 'inline-block', marginRight: 8, marginBottom: 4 }}
                >
                  {r.name} <CoverageTag row={r} />
                </span>
              ))}
            </div>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {d.caveat}
          </Typography.Text>
        </Space>
      )}
    </Card>
  );
}
