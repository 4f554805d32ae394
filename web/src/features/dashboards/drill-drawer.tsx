import { REPORT_STATE_LABELS, TIMELINESS_LABELS } from '@kesu/shared';
import { Alert, Drawer, Empty, List, Skeleton, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { type DrillTarget, useDrill } from './dashboards.api';
import { LIGHT_COLORS } from './overview-view';

/** The indicators and reports behind a number, each report linking to its page. */
export function DrillDrawer({
  cycleId,
  target,
  onClose,
}: {
  cycleId: string | null;
  target: DrillTarget | null;
  onClose: () => void;
}) {
  const q = useDrill(cycleId, target);
  const d = q.data;
  return (
    <Drawer open={target !== null} onClose={onClose} width={720} title={d?.title ?? '明细'}>
      {q.isLoading || !d ? (
        <Skeleton active />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{d.description}</Typography.Paragraph>
          {d.indicators.length > 0 && (
            <List
              size="small"
              header="指标"
              dataSource={d.indicators}
              renderItem={(i) => (
                <List.Item>
                  <List.Item.Meta
                    title={
                      <span>
                        <Tag color={LIGHT_COLORS[i.status]}>{i.actual ?? '无数据'}</Tag>
                        {i.taskPath} {i.text}
                      </span>
                    }
                    description={i.explanation}
                  />
                </List.Item>
              )}
            />
          )}
          {d.hiddenCount > 0 && (
            <Alert type="info" showIcon message={`另有 ${d.hiddenCount} 份其他单位的报告，无权查看`} />
          )}
          {d.reports.length === 0 ? (
            <Empty description="没有对应的报告" />
          ) : (
            <Table
              rowKey={(r) => `${r.unitId}|${r.taskId}|${r.cycleId}`}
              size="small"
              pagination={{ pageSize: 20 }}
              dataSource={d.reports}
              columns={[
                { title: '单位', dataIndex: 'unitName' },
                { title: '任务', render: (_, r) => `${r.taskPath} ${r.taskTitle}` },
                { title: '周期', dataIndex: 'cycleName' },
                {
                  title: '状态',
                  render: (_, r) =>
                    r.timeliness
                      ? TIMELINESS_LABELS[r.timeliness]
                      : r.state
                        ? REPORT_STATE_LABELS[r.state]
                        : '',
                },
                {
                  title: '报告',
                  render: (_, r) =>
                    r.reportId ? <Link to={`/reporting/reports/${r.reportId}`}>查看</Link> : '未填报',
                },
              ]}
            />
          )}
        </>
      )}
    </Drawer>
  );
}
