import type { Cycle, CycleUnit } from '@kesu/shared';
import { App, Button, Drawer, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage, formatDateTime } from '../../lib/format';
import { showBulkResult } from './bulk-result';
import { useCycleUnits, useUrge } from './reporting.api';

/** 催报: a cycle's units with what they still owe; remind a selection or every late unit (once a day each). */
export function UrgeDrawer({ cycle, onClose }: { cycle: Cycle; onClose: () => void }) {
  const units = useCycleUnits(cycle.id);
  const urge = useUrge(cycle.id);
  const { modal, message } = App.useApp();
  const [selected, setSelected] = useState<string[]>([]);
  const [text, setText] = useState('');
  const late = (units.data?.items ?? []).filter((u) => u.isLate);

  const send = async (unitIds: string[] | undefined) => {
    try {
      const r = await urge.mutateAsync({ ...(unitIds ? { unitIds } : {}), message: text });
      setSelected([]);
      showBulkResult(modal, '催报结果', r, '已催报');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Drawer open title={`催报：${cycle.name}`} size="large" onClose={onClose}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          截止 {cycle.dueDate}，宽限至 {cycle.lateAfter}
          。催报以站内通知发给单位（已设置邮箱、工作群的人员同时收到），每个单位每天最多一次。
        </Typography.Text>
        <Input.TextArea
          aria-label="催报附言"
          rows={2}
          maxLength={500}
          placeholder="附言（选填），如：请于本周五前完成填报"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <Space wrap>
          <Button
            type="primary"
            disabled={selected.length === 0}
            loading={urge.isPending}
            onClick={() => void send(selected)}
          >
            催报所选（{selected.length}）
          </Button>
          <Button disabled={late.length === 0} loading={urge.isPending} onClick={() => void send(undefined)}>
            催报全部逾期单位（{late.length}）
          </Button>
        </Space>
        <Table<CycleUnit>
          rowKey="unitId"
          size="small"
          loading={units.isFetching}
          dataSource={units.data?.items ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          rowSelection={{
            selectedRowKeys: selected,
            onChange: (keys) => setSelected(keys.map(String)),
            getCheckboxProps: (u) => ({ disabled: u.done >= u.tasks }),
          }}
          columns={[
            { title: '单位', dataIndex: 'unitName' },
            { title: '已提交', key: 'done', render: (_, u) => `${u.done} / ${u.tasks}` },
            {
              title: '状态',
              key: 'late',
              render: (_, u) =>
                u.done >= u.tasks ? (
                  <Tag color="green">已全部提交</Tag>
                ) : u.isLate ? (
                  <Tag color="red">已逾期</Tag>
                ) : (
                  <Tag color="blue">未完成</Tag>
                ),
            },
            {
              title: '最近催报',
              key: 'urged',
              render: (_, u) => (u.lastUrgedAt ? formatDateTime(u.lastUrgedAt) : '—'),
            },
          ]}
        />
      </Space>
    </Drawer>
  );
}
