import type { PlanDiff } from '@kesu/shared';
import { Alert, Descriptions, Empty, List, Space, Tag, Typography } from 'antd';
import { formatTarget } from './plan-format';

const FIELD_LABELS = { path: '编号', title: '标题', units: '责任单位' } as const;

/** What a version changed compared with the one before it. */
export function PlanDiffView({ diff }: { diff: PlanDiff }) {
  if (diff.fromNumber === null) {
    return (
      <Alert
        type="info"
        showIcon
        title={`第 ${diff.toNumber} 版是首次导入，共 ${diff.tasksAdded.length} 个任务。`}
      />
    );
  }
  const empty =
    diff.tasksAdded.length +
      diff.tasksRemoved.length +
      diff.tasksChanged.length +
      diff.targetsChanged.length ===
    0;
  if (empty) return <Empty description={`与第 ${diff.fromNumber} 版相比没有变化`} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="plan-diff">
      <Typography.Text>
        第 {diff.toNumber} 版与第 {diff.fromNumber} 版相比：新增任务 {diff.tasksAdded.length}，删除{' '}
        {diff.tasksRemoved.length}，修改 {diff.tasksChanged.length}，目标变化 {diff.targetsChanged.length}
      </Typography.Text>
      {diff.tasksAdded.length > 0 && (
        <List
          size="small"
          header={<Tag color="green">新增任务</Tag>}
          dataSource={diff.tasksAdded}
          renderItem={(t) => <List.Item>{`${t.path} ${t.title}`}</List.Item>}
        />
      )}
      {diff.tasksRemoved.length > 0 && (
        <List
          size="small"
          header={<Tag color="red">删除任务</Tag>}
          dataSource={diff.tasksRemoved}
          renderItem={(t) => (
            <List.Item>
              <Typography.Text delete>{`${t.path} ${t.title}`}</Typography.Text>
            </List.Item>
          )}
        />
      )}
      {diff.tasksChanged.length > 0 && (
        <List
          size="small"
          header={<Tag color="orange">修改任务</Tag>}
          dataSource={diff.tasksChanged}
          renderItem={(c) => (
            <List.Item>
              <Descriptions size="small" column={1} title={`${c.path} ${c.title}`}>
                {c.fields.map((f) => (
                  <Descriptions.Item key={f} label={FIELD_LABELS[f]}>
                    <Typography.Text delete type="secondary">
                      {f === 'units' ? c.before.units.join('、') : c.before[f]}
                    </Typography.Text>
                    {' → '}
                    {f === 'units' ? c.after.units.join('、') : c.after[f]}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            </List.Item>
          )}
        />
      )}
      {diff.targetsChanged.length > 0 && (
        <List
          size="small"
          header={<Tag color="blue">目标变化</Tag>}
          dataSource={diff.targetsChanged}
          renderItem={(c) => (
            <List.Item>
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{`${c.path} ${c.title}`}</Typography.Text>
                <Typography.Text delete type="secondary">
                  {c.before.map(formatTarget).join('；') || '（无）'}
                </Typography.Text>
                <Typography.Text>{c.after.map(formatTarget).join('；') || '（无）'}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Space>
  );
}
