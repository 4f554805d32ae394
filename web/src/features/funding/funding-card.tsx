import { FUNDING_MISSING_RESIDENTS } from '@kesu/shared';
import { Card, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { useFunding, yuan } from './funding.api';

/**
 * 科普经费 of a level in a year, for a dashboard: budgeted, spent and per resident against the standard. A level
 * without residents shows "缺少常住人口数据", never 0.
 */
export function FundingCard({ jurisdictionId, year }: { jurisdictionId: string; year: number }) {
  const q = useFunding(jurisdictionId, year);
  if (q.isLoading)
    return (
      <Card title={`${year}年科普经费`} size="small">
        <Skeleton active />
      </Card>
    );
  if (q.isError || !q.data) return null;
  const o = q.data.own;
  return (
    <Card title={`${year}年科普经费`} size="small">
      <Space size="large" wrap>
        <Statistic title="预算（元）" value={yuan(o.budgeted)} />
        <Statistic title="支出（元）" value={yuan(o.spent)} />
        <div>
          <Typography.Text type="secondary">人均（元/人）</Typography.Text>
          <div style={{ fontSize: 24 }}>
            {o.perResident === null ? (
              <Typography.Text type="warning" style={{ fontSize: 14 }}>
                {o.missing ?? FUNDING_MISSING_RESIDENTS}
              </Typography.Text>
            ) : (
              o.perResident.toFixed(2)
            )}
          </div>
          {o.standard !== null && (
            <Space size={4}>
              <Typography.Text type="secondary">标准 {o.standard.toFixed(2)} 元/人</Typography.Text>
              {o.meetsStandard !== null && (
                <Tag color={o.meetsStandard ? 'green' : 'red'}>{o.meetsStandard ? '达标' : '未达标'}</Tag>
              )}
            </Space>
          )}
        </div>
      </Space>
    </Card>
  );
}
