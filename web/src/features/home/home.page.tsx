import { Card, Empty, Space, Typography } from 'antd';
import { useCurrentUser } from '../auth/require-auth';
import { DemoBanner } from '../demo/demo';

export function HomePage() {
  const me = useCurrentUser();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        欢迎，{me.displayName}
      </Typography.Title>
      <DemoBanner />
      <Card>
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            <>
              <Typography.Paragraph strong style={{ marginBottom: 4 }}>
                规划、填报与监测功能即将上线
              </Typography.Paragraph>
              <Typography.Text type="secondary">
                上线后，这里将显示规划任务进度、各单位填报情况与公民科学素质监测结果。
              </Typography.Text>
            </>
          }
        />
      </Card>
    </Space>
  );
}
