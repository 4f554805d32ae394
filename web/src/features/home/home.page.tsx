import { INBOX_STATE_LABELS, INBOX_STATES } from '@kesu/shared';
import { dashboardTitle } from '../../layout/nav';
import { Card, Col, Row, Skeleton, Space, Statistic, Typography } from 'antd';
import { Link } from 'react-router';
import { useCurrentUser } from '../auth/require-auth';
import { OverviewPanel } from '../dashboards/overview.page';
import { DemoBanner } from '../demo/demo';
import { useInbox } from '../reporting/reporting.api';

/** A reporter's unit at a glance: its inbox counts, each linking to the inbox. */
function UnitSummary({ unitId }: { unitId: string }) {
  const inbox = useInbox(unitId);
  if (inbox.isLoading || !inbox.data) return <Skeleton active />;
  return (
    <Card title={`${inbox.data.unitName} · 填报事项`} extra={<Link to="/reporting">进入填报</Link>}>
      <Row gutter={[16, 16]}>
        {INBOX_STATES.map((s) => (
          <Col key={s} xs={8} md={4}>
            <Statistic title={INBOX_STATE_LABELS[s]} value={inbox.data.counts[s] ?? 0} />
          </Col>
        ))}
      </Row>
    </Card>
  );
}

/** Home: the city overview for the admin, leaders and analysts (summary first); a reporter's unit summary. */
export function HomePage() {
  const me = useCurrentUser();
  if (me.role === 'reporter') {
    return (
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          欢迎，{me.displayName}
        </Typography.Title>
        <DemoBanner />
        {me.unitId ? <UnitSummary unitId={me.unitId} /> : null}
        <Link to="/dashboard">查看{dashboardTitle(me)}</Link>
      </Space>
    );
  }
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Typography.Text type="secondary">欢迎，{me.displayName}</Typography.Text>
      <DemoBanner />
      <OverviewPanel title={me.role === 'leader' ? '领导看板' : dashboardTitle(me)} />
    </Space>
  );
}
