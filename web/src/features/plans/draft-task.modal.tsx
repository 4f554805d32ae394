import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  COMPARATOR_LABELS,
  COMPARATORS,
  type Comparator,
  type DraftTarget,
  type DraftTask,
} from '@kesu/shared';
import { Button, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';

/** Roles stay as parsed; when no unit leads any more, the first one does. */
function withLead(units: DraftTask['units']): DraftTask['units'] {
  if (units.length === 0 || units.some((u) => u.role === 'lead')) return units;
  return units.map((u, i) => (i === 0 ? { ...u, role: 'lead' } : u));
}

interface Props {
  task: DraftTask | null;
  /** Names the registry knows, offered when typing a unit. */
  knownNames: string[];
  onSave: (task: DraftTask) => void;
  onClose: () => void;
}

/** Correct one parsed task before import: title, units (first = lead) and targets. */
export function DraftTaskModal({ task, knownNames, onSave, onClose }: Props) {
  const [title, setTitle] = useState('');
  const [units, setUnits] = useState<string[]>([]);
  const [targets, setTargets] = useState<DraftTarget[]>([]);
  useEffect(() => {
    if (!task) return;
    setTitle(task.title);
    setUnits(task.units.map((u) => u.name));
    setTargets(task.targets.map((t) => ({ ...t })));
  }, [task]);
  const setTarget = (i: number, patch: Partial<DraftTarget>) =>
    setTargets((ts) => ts.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  const deadlinesOk = targets.every((t) => t.deadline === null || /^\d{4}-\d{2}-\d{2}$/.test(t.deadline));
  const valid = title.trim() !== '' && deadlinesOk && targets.every((t) => t.unit.trim() !== '');
  const save = () => {
    if (!task || !valid) return;
    const oldRoles = new Map(task.units.map((u) => [u.name, u.role]));
    onSave({
      ...task,
      title: title.trim(),
      units: withLead(units.map((name) => ({ name, role: oldRoles.get(name) ?? 'co' }))),
      targets,
      // Spans of targets no longer line up once targets are added or removed.
      spans: task.spans
        ? { ...task.spans, targets: targets.length === task.targets.length ? task.spans.targets : [] }
        : null,
    });
  };
  return (
    <Modal
      open={task !== null}
      title={task ? `校正任务 ${task.path}` : ''}
      okText="确定"
      cancelText="取消"
      onOk={save}
      okButtonProps={{ disabled: !valid }}
      onCancel={onClose}
      destroyOnHidden
      width={760}
    >
      <Form layout="vertical" onFinish={save}>
        <Form.Item label="标题" htmlFor="draft-title" required>
          <Input id="draft-title" value={title} maxLength={500} onChange={(e) => setTitle(e.target.value)} />
        </Form.Item>
        <Form.Item label="责任单位（按顺序，第一个为牵头单位；可输入新名称）" htmlFor="draft-units">
          <Select
            id="draft-units"
            mode="tags"
            value={units}
            onChange={(v: string[]) => setUnits([...new Set(v.map((s) => s.trim()).filter(Boolean))])}
            options={knownNames.map((n) => ({ value: n, label: n }))}
            tokenSeparators={['、', '，', ',']}
            placeholder="输入单位名称后回车"
          />
        </Form.Item>
        <Form.Item label="目标">
          <Space direction="vertical" style={{ width: '100%' }}>
            {targets.map((t, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: targets have no identity before import
              <div key={i} style={{ borderBottom: '1px dashed #f0f0f0', paddingBottom: 8 }}>
                <Input
                  aria-label={`目标 ${i + 1} 原文`}
                  value={t.text}
                  onChange={(e) => setTarget(i, { text: e.target.value })}
                  style={{ marginBottom: 4 }}
                />
                <Space wrap>
                  <Select
                    aria-label="比较"
                    style={{ width: 70 }}
                    value={t.comparator}
                    options={COMPARATORS.map((c) => ({ value: c, label: COMPARATOR_LABELS[c] }))}
                    onChange={(comparator: Comparator) => setTarget(i, { comparator })}
                  />
                  <InputNumber
                    aria-label="目标值"
                    value={t.value}
                    onChange={(n) => setTarget(i, { value: n ?? 0 })}
                  />
                  <Input
                    aria-label="单位"
                    style={{ width: 70 }}
                    value={t.unit}
                    onChange={(e) => setTarget(i, { unit: e.target.value })}
                  />
                  <Checkbox
                    checked={t.period === 'year'}
                    onChange={(e) => setTarget(i, { period: e.target.checked ? 'year' : null })}
                  >
                    每年
                  </Checkbox>
                  <Input
                    aria-label="截止日期"
                    placeholder="截止 YYYY-MM-DD"
                    style={{ width: 150 }}
                    status={
                      t.deadline === null || /^\d{4}-\d{2}-\d{2}$/.test(t.deadline) ? undefined : 'error'
                    }
                    value={t.deadline ?? ''}
                    onChange={(e) => setTarget(i, { deadline: e.target.value.trim() || null })}
                  />
                  <Button
                    aria-label={`删除目标 ${i + 1}`}
                    icon={<DeleteOutlined />}
                    onClick={() => setTargets((ts) => ts.filter((_, j) => j !== i))}
                  />
                </Space>
              </div>
            ))}
            {targets.length === 0 && (
              <Typography.Text type="secondary">该任务没有识别出数字目标。</Typography.Text>
            )}
            <Button
              icon={<PlusOutlined />}
              onClick={() =>
                setTargets((ts) => [
                  ...ts,
                  { text: '', value: 0, unit: '个', comparator: '=', period: null, deadline: null },
                ])
              }
            >
              添加目标
            </Button>
          </Space>
        </Form.Item>
      </Form>
    </Modal>
  );
}
