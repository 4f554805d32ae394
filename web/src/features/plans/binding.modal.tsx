import {
  describeRegistryQuery,
  type Indicator,
  measuresForKind,
  REGISTRY_MEASURE_LABELS,
  RESOURCE_KIND_LABELS,
  RESOURCE_KINDS,
  RESOURCE_LEVELS,
  type RegistryMeasure,
  type RegistryQuery,
  type ResourceKind,
  type ResourceLevel,
  TRAINING_CATEGORIES,
} from '@kesu/shared';
import { Alert, App, Button, DatePicker, Form, Modal, Radio, Select, Space, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/format';
import { useBinding, useSetBinding } from './binding.api';

const needsKind = (m: RegistryMeasure) => m === 'count' || m === 'sum_quantity' || m === 'count_in_year';

/**
 * 数据来源 of an indicator: typed by the responsible units in their reports, or computed from the registries by a
 * query (what to count, which levels and classes, 新认定 since when). The admin of the plan's level changes it.
 */
export function BindingModal({ indicator, onClose }: { indicator: Indicator; onClose: () => void }) {
  const { message } = App.useApp();
  const binding = useBinding(indicator.id);
  const save = useSetBinding(indicator.id);
  const [mode, setMode] = useState<'typed' | 'registry'>('typed');
  const [query, setQuery] = useState<RegistryQuery | null>(null);
  const measures = measuresForKind(indicator.kind);

  useEffect(() => {
    const b = binding.data;
    if (!b) return;
    const first = measuresForKind(b.indicatorKind)[0];
    setMode(b.query ? 'registry' : 'typed');
    setQuery(b.query ?? b.proposed ?? (first ? { measure: first } : null));
  }, [binding.data]);

  const canEdit = binding.data?.canEdit ?? false;
  const q = query;
  const valid = mode === 'typed' || (q !== null && (!needsKind(q.measure) || q.kind !== undefined));
  const submit = async () => {
    try {
      await save.mutateAsync({ query: mode === 'typed' ? null : q });
      message.success(mode === 'typed' ? '已改为由责任单位填报' : '已设为由资源库自动计算');
      onClose();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Modal
      open
      title={`数据来源：${indicator.text}`}
      onCancel={onClose}
      footer={
        canEdit ? (
          <Space>
            <Button onClick={onClose}>取消</Button>
            <Button type="primary" disabled={!valid} loading={save.isPending} onClick={() => void submit()}>
              保存
            </Button>
          </Space>
        ) : (
          <Button onClick={onClose}>关闭</Button>
        )
      }
    >
      {binding.isLoading && <Spin />}
      {binding.isError && <Alert type="error" showIcon title={errorMessage(binding.error)} />}
      {binding.data && (
        <Form layout="vertical" disabled={!canEdit}>
          <Form.Item label="实际值来自">
            <Radio.Group
              value={mode}
              onChange={(e) => setMode(e.target.value as 'typed' | 'registry')}
              options={[
                { value: 'typed', label: '责任单位填报' },
                { value: 'registry', label: '资源库自动计算', disabled: measures.length === 0 },
              ]}
            />
          </Form.Item>
          {measures.length === 0 && (
            <Typography.Text type="secondary">
              调查比例类指标由监测调查提供，不能由资源库计算。
            </Typography.Text>
          )}
          {mode === 'registry' && q && (
            <>
              <Form.Item label="统计口径">
                <Select
                  aria-label="统计口径"
                  value={q.measure}
                  onChange={(m: RegistryMeasure) => setQuery({ measure: m })}
                  options={measures.map((m) => ({ value: m, label: REGISTRY_MEASURE_LABELS[m] }))}
                />
              </Form.Item>
              {needsKind(q.measure) && (
                <>
                  <Form.Item label="资源类别" required>
                    <Select
                      aria-label="资源类别"
                      value={q.kind}
                      placeholder="请选择"
                      onChange={(k: ResourceKind) => setQuery({ ...q, kind: k })}
                      options={RESOURCE_KINDS.map((k) => ({ value: k, label: RESOURCE_KIND_LABELS[k] }))}
                    />
                  </Form.Item>
                  <Form.Item label="级别（不选则不限）">
                    <Select
                      aria-label="级别"
                      mode="multiple"
                      value={q.levels ?? []}
                      onChange={(v: ResourceLevel[]) => setQuery({ ...q, levels: v.length ? v : undefined })}
                      options={RESOURCE_LEVELS.map((l) => ({ value: l, label: l }))}
                    />
                  </Form.Item>
                  {q.kind === 'training' && (
                    <Form.Item label="培训类别（不选则不限）">
                      <Select
                        aria-label="培训类别"
                        mode="multiple"
                        value={q.categories ?? []}
                        onChange={(v: string[]) => setQuery({ ...q, categories: v.length ? v : undefined })}
                        options={TRAINING_CATEGORIES.map((c) => ({ value: c, label: c }))}
                      />
                    </Form.Item>
                  )}
                  {q.measure === 'count' && (
                    <Form.Item label="只计此日起新认定的（可不填）">
                      <DatePicker
                        aria-label="新认定起始日"
                        value={q.recognisedFrom ? dayjs(q.recognisedFrom) : null}
                        onChange={(d) =>
                          setQuery({ ...q, recognisedFrom: d ? d.format('YYYY-MM-DD') : undefined })
                        }
                      />
                    </Form.Item>
                  )}
                </>
              )}
              <Alert
                type="info"
                showIcon
                title={`将按“${describeRegistryQuery(q.kind || !needsKind(q.measure) ? q : { measure: q.measure })}”计算实际值`}
                description="报告中该指标不再填写，显示资源库的计算结果；每个数字都可打开其背后的记录。"
              />
            </>
          )}
        </Form>
      )}
    </Modal>
  );
}
