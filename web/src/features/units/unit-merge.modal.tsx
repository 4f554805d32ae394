import type { Unit } from '@kesu/shared';
import { Alert, App, Button, Modal, Popconfirm, Space, Typography } from 'antd';
import { useState } from 'react';
import { UnitSelect } from './unit-select';
import { errorMessage } from '../../lib/format';
import { useMergeUnit } from './units.api';

interface Props {
  /** The unit that stays (merge target); null when closed. */
  target: Unit | null;
  onClose: () => void;
}

export function UnitMergeModal({ target, onClose }: Props) {
  return (
    <Modal open={target !== null} title="合并单位" onCancel={onClose} footer={null} destroyOnHidden>
      {target && <MergeForm key={target.id} target={target} onClose={onClose} />}
    </Modal>
  );
}

function MergeForm({ target, onClose }: { target: Unit; onClose: () => void }) {
  const [sourceId, setSourceId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const merge = useMergeUnit();
  const { message } = App.useApp();

  const onConfirm = async () => {
    if (!sourceId) return;
    setError(null);
    try {
      await merge.mutateAsync({ targetId: target.id, sourceId });
      void message.success(`已合并到「${target.name}」`);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph style={{ margin: 0 }}>
        将另一个单位合并到 <Typography.Text strong>「{target.name}」</Typography.Text>（保留此单位）。
      </Typography.Paragraph>
      <div>
        <label htmlFor="merge-source" style={{ display: 'block', marginBottom: 8 }}>
          被合并的单位
        </label>
        <UnitSelect id="merge-source" value={sourceId} onChange={setSourceId} excludeId={target.id} />
      </div>
      <Alert
        type="warning"
        showIcon
        title="合并不可撤销"
        description="被合并单位将被停用，其全称、简称和别名成为本单位的别名；所有引用它的用户、任务和填报记录都将转到本单位。"
      />
      {error && <Alert type="error" showIcon title={error} role="alert" />}
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        <Button onClick={onClose}>取消</Button>
        <Popconfirm
          title="确认合并？"
          description="所有引用将转到本单位，被合并单位将被停用。此操作不可撤销。"
          okText="确认合并"
          okButtonProps={{ danger: true }}
          cancelText="取消"
          onConfirm={onConfirm}
          disabled={!sourceId}
        >
          <Button type="primary" danger disabled={!sourceId} loading={merge.isPending}>
            合并
          </Button>
        </Popconfirm>
      </Space>
    </Space>
  );
}
