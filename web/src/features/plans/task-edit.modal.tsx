import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { type PlanTask, UNIT_ROLE_LABELS, UNIT_ROLES, type UnitRole } from '@kesu/shared';
import { App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { UnitSelect } from '../units/unit-select';
import { errorMessage } from '../../lib/format';
import { useUpdateTask } from './plans.api';

interface Row {
  key: string;
  unitId: string | null;
  label: string | null;
  role: UnitRole;
}

/** Edit a stored task's title and its units (order matters: the lead first). */
export function TaskEditModal({ task, onClose }: { task: PlanTask | null; onClose: () => void }) {
  const [title, setTitle] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const update = useUpdateTask();
  const { message } = App.useApp();
  useEffect(() => {
    if (!task) return;
    setTitle(task.title);
    setRows(task.units.map((u) => ({ key: u.id, unitId: u.unitId, label: u.unitName, role: u.role })));
  }, [task]);
  const incomplete = rows.some((r) => !r.unitId) || !title.trim();
  const submit = async () => {
    if (!task || incomplete) return;
    try {
      await update.mutateAsync({
        id: task.id,
        body: {
          title: title.trim(),
          units: rows.map((r) => ({ unitId: r.unitId!, role: r.role })),
          version: task.version,
        },
      });
      void message.success('任务已保存');
      onClose();
    } catch (e) {
      void message.error(
        isApiError(e) && e.code === 'CONFLICT' ? '该任务已被他人修改，请关闭后重试' : errorMessage(e),
      );
    }
  };
  return (
    <Modal
      open={task !== null}
      title={task ? `编辑任务 ${task.path}` : ''}
      okText="保存"
      cancelText="取消"
      onOk={() => void submit()}
      okButtonProps={{ disabled: incomplete, loading: update.isPending }}
      onCancel={onClose}
      destroyOnHidden
      width={640}
    >
      <Form layout="vertical" onFinish={() => void submit()}>
        <Form.Item label="标题" htmlFor="task-title" required>
          <Input id="task-title" value={title} maxLength={500} onChange={(e) => setTitle(e.target.value)} />
        </Form.Item>
        <Form.Item label="责任单位（第一个通常为牵头单位）">
          <Space direction="vertical" style={{ width: '100%' }}>
            {rows.map((r, i) => (
              <Space key={r.key} style={{ width: '100%' }} align="start">
                <UnitSelect
                  value={r.unitId}
                  selectedLabel={r.label}
                  style={{ width: 340 }}
                  onChange={(unitId) => setRows((rs) => rs.map((x, j) => (j === i ? { ...x, unitId } : x)))}
                />
                <Select
                  aria-label="角色"
                  value={r.role}
                  style={{ width: 90 }}
                  options={UNIT_ROLES.map((v) => ({ value: v, label: UNIT_ROLE_LABELS[v] }))}
                  onChange={(role: UnitRole) =>
                    setRows((rs) => rs.map((x, j) => (j === i ? { ...x, role } : x)))
                  }
                />
                <Button
                  aria-label="移除该单位"
                  icon={<DeleteOutlined />}
                  onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
                />
              </Space>
            ))}
            <Button
              icon={<PlusOutlined />}
              onClick={() =>
                setRows((rs) => [
                  ...rs,
                  {
                    key: `new-${Date.now()}`,
                    unitId: null,
                    label: null,
                    role: rs.length === 0 ? 'lead' : 'co',
                  },
                ])
              }
            >
              添加单位
            </Button>
          </Space>
        </Form.Item>
      </Form>
    </Modal>
  );
}
