import {
  COMPARATOR_LABELS,
  COMPARATORS,
  type Comparator,
  INDICATOR_KIND_LABELS,
  INDICATOR_KINDS,
  type Indicator,
  type IndicatorKind,
  isCalendarDate,
  UNIT_KIND_LABELS,
} from '@kesu/shared';
import { App, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { errorMessage } from '../../lib/format';
import { useUnitList } from '../units/units.api';
import { useUpdateIndicator } from './plans.api';

interface Values {
  kind: IndicatorKind;
  comparator: Comparator;
  targetValue: number;
  unit: string;
  isAnnual: boolean;
  deadline: string;
  baselineValue: number | null;
  baselineYear: number | null;
  breakdownByCounty: boolean;
  breakdown: Record<string, number | null>;
}

/** Edit an indicator: kind, comparator, value, unit, period/deadline, baseline and county targets. */
export function IndicatorEditModal({
  indicator,
  onClose,
}: {
  indicator: Indicator | null;
  onClose: () => void;
}) {
  const [v, setV] = useState<Values | null>(null);
  const update = useUpdateIndicator();
  const counties = useUnitList({ kind: 'county', active: 'true', page: 1, pageSize: 50 });
  const { message } = App.useApp();
  useEffect(() => {
    if (!indicator) return setV(null);
    setV({
      kind: indicator.kind,
      comparator: indicator.comparator,
      targetValue: indicator.targetValue,
      unit: indicator.unit,
      isAnnual: indicator.period === 'year',
      deadline: indicator.deadline ?? '',
      baselineValue: indicator.baselineValue,
      baselineYear: indicator.baselineYear,
      breakdownByCounty: indicator.breakdownByCounty,
      breakdown: Object.fromEntries(indicator.breakdown.map((b) => [b.unitId, b.targetValue])),
    });
  }, [indicator]);
  const set = (patch: Partial<Values>) => setV((x) => (x ? { ...x, ...patch } : x));
  const deadlineOk = !v || v.deadline === '' || isCalendarDate(v.deadline);
  const submit = async () => {
    if (!indicator || !v || !deadlineOk) return;
    try {
      await update.mutateAsync({
        id: indicator.id,
        body: {
          kind: v.kind,
          comparator: v.comparator,
          targetValue: v.targetValue,
          unit: v.unit.trim() || indicator.unit,
          period: v.isAnnual ? 'year' : null,
          deadline: v.deadline || null,
          baselineValue: v.baselineValue,
          baselineYear: v.baselineYear,
          breakdownByCounty: v.breakdownByCounty,
          breakdown: Object.entries(v.breakdown)
            .filter((e): e is [string, number] => typeof e[1] === 'number')
            .map(([unitId, targetValue]) => ({ unitId, targetValue })),
          version: indicator.version,
        },
      });
      void message.success('指标已保存');
      onClose();
    } catch (e) {
      void message.error(
        isApiError(e) && e.code === 'CONFLICT' ? '该指标已被他人修改，请关闭后重试' : errorMessage(e),
      );
    }
  };
  return (
    <Modal
      open={indicator !== null}
      title="编辑指标"
      okText="保存"
      cancelText="取消"
      onOk={() => void submit()}
      okButtonProps={{ loading: update.isPending, disabled: !deadlineOk }}
      onCancel={onClose}
      destroyOnHidden
      width={640}
    >
      {indicator && v && (
        <Form layout="vertical" onFinish={() => void submit()}>
          <Typography.Paragraph type="secondary">原文：{indicator.text}</Typography.Paragraph>
          <Space wrap>
            <Form.Item label="类型" htmlFor="ind-kind">
              <Select
                id="ind-kind"
                style={{ width: 140 }}
                value={v.kind}
                options={INDICATOR_KINDS.map((k) => ({ value: k, label: INDICATOR_KIND_LABELS[k] }))}
                onChange={(kind: IndicatorKind) => set({ kind })}
              />
            </Form.Item>
            <Form.Item label="比较" htmlFor="ind-cmp">
              <Select
                id="ind-cmp"
                style={{ width: 80 }}
                value={v.comparator}
                options={COMPARATORS.map((c) => ({ value: c, label: COMPARATOR_LABELS[c] }))}
                onChange={(comparator: Comparator) => set({ comparator })}
              />
            </Form.Item>
            <Form.Item label="目标值" htmlFor="ind-value">
              <InputNumber
                id="ind-value"
                value={v.targetValue}
                onChange={(n) => set({ targetValue: n ?? 0 })}
              />
            </Form.Item>
            <Form.Item label="单位" htmlFor="ind-unit">
              <Input
                id="ind-unit"
                style={{ width: 80 }}
                value={v.unit}
                onChange={(e) => set({ unit: e.target.value })}
              />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item label="周期">
              <Checkbox checked={v.isAnnual} onChange={(e) => set({ isAnnual: e.target.checked })}>
                每年
              </Checkbox>
            </Form.Item>
            <Form.Item
              label="截止日期"
              htmlFor="ind-deadline"
              validateStatus={deadlineOk ? undefined : 'error'}
              help={deadlineOk ? undefined : '日期无效：应为真实存在的日期，格式 YYYY-MM-DD'}
            >
              <Input
                id="ind-deadline"
                placeholder="2025-12-31"
                value={v.deadline}
                onChange={(e) => set({ deadline: e.target.value.trim() })}
              />
            </Form.Item>
            <Form.Item label="基线值" htmlFor="ind-base">
              <InputNumber
                id="ind-base"
                value={v.baselineValue}
                onChange={(n) => set({ baselineValue: n })}
              />
            </Form.Item>
            <Form.Item label="基线年份" htmlFor="ind-base-year">
              <InputNumber
                id="ind-base-year"
                min={1949}
                max={2100}
                value={v.baselineYear}
                onChange={(n) => set({ baselineYear: n })}
              />
            </Form.Item>
          </Space>
          <Form.Item>
            <Checkbox
              checked={v.breakdownByCounty}
              onChange={(e) => set({ breakdownByCounty: e.target.checked })}
            >
              按县(市)区分解跟踪
            </Checkbox>
          </Form.Item>
          {v.breakdownByCounty && (
            <Form.Item label={`各${UNIT_KIND_LABELS.county}目标（留空则与总目标相同）`}>
              <Space wrap>
                {(counties.data?.items ?? []).map((c) => (
                  <Space key={c.id} size={4}>
                    <label htmlFor={`bd-${c.id}`}>{c.shortName}</label>
                    <InputNumber
                      id={`bd-${c.id}`}
                      style={{ width: 90 }}
                      value={v.breakdown[c.id] ?? null}
                      onChange={(n) => set({ breakdown: { ...v.breakdown, [c.id]: n } })}
                    />
                  </Space>
                ))}
              </Space>
            </Form.Item>
          )}
        </Form>
      )}
    </Modal>
  );
}
