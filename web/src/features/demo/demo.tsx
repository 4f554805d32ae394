import { DEMO_LABEL, DemoStatusSchema } from '@kesu/shared';
import { useQuery } from '@tanstack/react-query';
import { Alert, Tag, Typography } from 'antd';
import { api } from '../../api/client';

/** Whether demo data is loaded (GET /api/v1/demo). */
export function useDemoStatus() {
  return useQuery({
    queryKey: ['demo'],
    queryFn: () => api.get('/api/v1/demo', { schema: DemoStatusSchema }),
    staleTime: 60_000,
  });
}

/** The “演示数据” tag shown on rows made by the demo loader (or, without `show`, whenever demo data exists). */
export function DemoTag({ show }: { show?: boolean }) {
  const status = useDemoStatus();
  if (show === false || (show === undefined && !status.data?.isLoaded)) return null;
  return (
    <Tag color="purple" data-testid="demo-tag">
      {DEMO_LABEL}
    </Tag>
  );
}

/** The home page banner while demo data exists. */
export function DemoBanner() {
  const status = useDemoStatus();
  if (!status.data?.isLoaded) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="demo-banner"
      title={`系统中有${DEMO_LABEL}`}
      description={
        <>
          这些报告和填报周期
          {(status.data.counts.plans ?? 0) > 0 &&
            `，以及 ${status.data.counts.plans} 个县的虚构实施方案和单位，`}
          {(status.data.counts.resources ?? 0) > 0 &&
            '科普资源名录、科普活动、科普经费和科普内容（名称均为虚构），'}
          是为了演示而生成的（共 {status.data.counts.progress_reports ?? 0} 份报告），不是真实填报，并以“
          {DEMO_LABEL}”标记。正式使用前请由管理员在服务器上运行{' '}
          <Typography.Text code>npx kesu demo remove</Typography.Text> 删除全部演示数据。
        </>
      }
    />
  );
}
