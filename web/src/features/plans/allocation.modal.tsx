import { INDICATOR_KIND_LABELS, type Indicator } from '@kesu/shared';
import { Alert, App, Button, InputNumber, Modal, Skeleton, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/format';
import { quotasByPopulation, useAllocate, useAllocation } from './allocation.api';

const fmt = (n: number) =>
  Number.isInteger(n) ? n.toLocaleString('zh-CN') : String(Math.round(n * 1e6) / 1e6);

/**
 * 分解下达: assign an indicator of the level's plan to its counties. A count takes quotas that must add up to the
 * target (a button proposes them in proportion to residents); a share or rate takes one rate for every county.
 * Each county with a 实施方案 receives the task; one without keeps its target until it has imported one.
 */
export function AllocationModal({
  indicator,
  onClose,
}: {
  indicator: Indicator | null;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const q = useAllocation(indicator?.id ?? null);
  const allocate = useAllocate(indicator?.id ?? '');
  const [quotas, setQuotas] = useState<Record<string, number | null>>({});
  const [rate, setRate] = useState<number | null>(null);
  const a = q.data;

  useEffect(() => {
    if (!a) return;
    setQuotas(Object.fromEntries(a.counties.map((c) => [c.jurisdictionId, c.target])));
    setRate(a.counties.find((c) => c.target !== null)?.target ?? a.target);
  }, [a]);

  if (!indicator) return null;
  const sum = Object.values(quotas).reduce<number>((s, v) => s + (v ?? 0), 0);
  const addsUp = a ? Math.abs(sum - a.target) <= 1e-6 * Math.max(1, a.target) : false;
  const ok = a?.mode === 'quota' ? addsUp : rate !== null;
  const withoutPlan = a?.counties.filter((c) => c.planId === null).length ?? 0;

  const save = () => {
    if (!a) return;
    const input =
      a.mode === 'quota'
        ? {
            mode: 'quota' as const,
            quotas: Object.entries(quotas)
              .filter(([, v]) => v !== null && v > 0)
              .map(([jurisdictionId, v]) => ({ jurisdictionId, targetValue: v ?? 0 })),
          }
        : { mode: 'rate' as const, rate: rate ?? 0 };
    allocate.mutate(input, {
      onSuccess: (r) => {
        const given = r.counties.filter((c) => c.target !== null);
        const pending = given.filter((c) => c.planId === null).length;
        message.success(
          `已下达到 ${given.length} 个县区${pending > 0 ? `（其中 ${pending} 个尚无实施方案，导入后再次下达即生成任务）` : ''}`,
        );
        onClose();
      },
      onError: (e) => message.error(errorMessage(e)),
    });
  };

  return (
    <Modal
      open
      title={`分解下达：${indicator.text}`}
      width="min(760px, 96vw)"
      okText="确认下达"
      cancelText="取消"
      onOk={save}
      okButtonProps={{ disabled: !ok }}
      confirmLoading={allocate.isPending}
      onCancel={onClose}
    >
      {q.isLoading || !a ? (
        q.isError ? (
          <Alert type="error" showIcon title={errorMessage(q.error)} />
        ) : (
          <Skeleton active />
        )
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            本级目标：<b>{fmt(a.target)}</b>
            {a.unit}（{INDICATOR_KIND_LABELS[a.kind]}）。
            {a.mode === 'quota'
              ? '数量型指标按配额分解，各县区配额合计须等于本级目标；县区完成数汇总为本级实际值。'
              : '比例型指标对每个县区下达相同的目标比例；本级实际值按各县区常住人口加权汇总。'}
          </Typography.Text>
          {a.allocatedAt && (
            <Typography.Text type="secondary">已下达过，再次保存将更新各县区目标。</Typography.Text>
          )}
          {withoutPlan > 0 && (
            <Alert
              type="info"
              showIcon
              title={`${withoutPlan} 个县区尚未导入实施方案：目标先保留，待其导入后再次下达即生成任务。`}
            />
          )}
          {a.mode === 'rate' && (
            <Space>
              <span>各县区目标</span>
              <InputNumber
                aria-label="各县区目标比例"
                min={0}
                max={100}
                value={rate}
                onChange={(v) => setRate(v)}
                addonAfter={a.unit}
              />
            </Space>
          )}
          {a.mode === 'quota' && (
            <Space wrap>
              <Button
                size="small"
                onClick={() => setQuotas(quotasByPopulation(a.target, a.counties))}
                disabled={!a.counties.some((c) => c.population !== null)}
              >
                按常住人口比例分配
              </Button>
              <Button size="small" onClick={() => setQuotas({})}>
                清空
              </Button>
              <Typography.Text type={addsUp ? 'success' : 'danger'} data-testid="quota-sum">
                合计 {fmt(sum)} / 目标 {fmt(a.target)}
                {a.unit}
                {addsUp ? '' : `（相差 ${fmt(a.target - sum)}）`}
              </Typography.Text>
            </Space>
          )}
          <Table
            rowKey="jurisdictionId"
            size="small"
            pagination={false}
            scroll={{ y: 320 }}
            dataSource={a.counties}
            columns={[
              { title: '县区', dataIndex: 'name', key: 'name', width: 110 },
              {
                title: '常住人口',
                key: 'population',
                render: (_: unknown, c) =>
                  c.population === null ? '—' : `${fmt(c.population)}（${c.populationYear} 年）`,
              },
              {
                title: '实施方案',
                key: 'plan',
                render: (_: unknown, c) =>
                  c.planId ? (
                    <Typography.Text ellipsis={{ tooltip: c.planTitle }} style={{ maxWidth: 180 }}>
                      {c.countyTaskId ? '已生成任务' : '已导入'}
                    </Typography.Text>
                  ) : (
                    <Typography.Text type="secondary">尚未导入</Typography.Text>
                  ),
              },
              {
                title: a.mode === 'quota' ? '配额' : '目标',
                key: 'target',
                width: 140,
                render: (_: unknown, c) =>
                  a.mode === 'quota' ? (
                    <InputNumber
                      aria-label={`${c.name}配额`}
                      min={0}
                      value={quotas[c.jurisdictionId] ?? null}
                      onChange={(v) => setQuotas((old) => ({ ...old, [c.jurisdictionId]: v }))}
                      style={{ width: 120 }}
                    />
                  ) : (
                    `${rate ?? '—'}${a.unit}`
                  ),
              },
            ]}
          />
        </Space>
      )}
    </Modal>
  );
}
