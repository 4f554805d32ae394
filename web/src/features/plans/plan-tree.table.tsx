import { INDICATOR_KIND_LABELS, type Indicator, POPULATION_GROUP_LABELS, type PlanTask } from '@kesu/shared';
import { Button, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { formatTarget, taskNumber } from './plan-format';

interface Props {
  tasks: PlanTask[];
  /** Tasks that match the filter; the others are ancestors kept for context (shown dimmed). */
  matchedIds?: string[];
  loading?: boolean;
  canEdit?: boolean;
  onEditTask?: (task: PlanTask) => void;
  onEditIndicator?: (indicator: Indicator, task: PlanTask) => void;
  /** 分解下达 to the counties below (only when the plan's level has counties). */
  onAllocate?: (indicator: Indicator) => void;
  /** 数据来源: typed in reports or computed from the registries. */
  onBind?: (indicator: Indicator) => void;
  emptyText?: string;
}

export function IndicatorLine({ indicator }: { indicator: Indicator }) {
  return (
    <Tooltip title={indicator.text}>
      <span data-testid="indicator">
        <Tag color="blue">{INDICATOR_KIND_LABELS[indicator.kind]}</Tag>
        {formatTarget({ ...indicator, value: indicator.targetValue })}
        {indicator.baselineValue !== null && (
          <Typography.Text type="secondary">
            （基线 {indicator.baselineValue}
            {indicator.unit}，{indicator.baselineYear} 年）
          </Typography.Text>
        )}
        {indicator.breakdownByCounty && <Tag style={{ marginLeft: 4 }}>分县</Tag>}
        {indicator.computedFrom && (
          <Tag color="green" style={{ marginLeft: 4 }} title={`由资源库自动计算：${indicator.computedFrom}`}>
            资源库计算
          </Tag>
        )}
      </span>
    </Tooltip>
  );
}

export function UnitTags({ task }: { task: PlanTask }) {
  if (task.units.length === 0) return <span aria-hidden>—</span>;
  return (
    <Space size={[0, 4]} wrap>
      {task.units.map((u) => (
        <Tooltip
          key={u.id}
          title={u.writtenName !== u.unitShortName ? `文中写作“${u.writtenName}”` : u.unitName}
        >
          <Tag color={u.role === 'lead' ? 'gold' : undefined} data-testid="task-unit">
            {u.unitShortName}
            {u.role === 'lead' ? '（牵头）' : ''}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

/** The task tree as an indented table: number, title, units (lead first, marked), indicators. */
export function PlanTreeTable({
  tasks,
  matchedIds,
  loading,
  canEdit,
  onEditTask,
  onEditIndicator,
  onAllocate,
  onBind,
  emptyText,
}: Props) {
  const byId = useMemo(() => new Map(tasks.map((t) => [t.id, t])), [tasks]);
  const matched = useMemo(() => (matchedIds ? new Set(matchedIds) : null), [matchedIds]);
  const columns: ColumnsType<PlanTask> = [
    {
      title: '编号',
      key: 'number',
      width: 120,
      render: (_, t) => <span data-testid="task-number">{taskNumber(t, byId)}</span>,
    },
    {
      title: '任务',
      key: 'title',
      render: (_, t) => (
        <div style={{ paddingLeft: (t.depth - 1) * 16, opacity: matched && !matched.has(t.id) ? 0.55 : 1 }}>
          <Typography.Text strong={t.depth <= 2}>{t.title}</Typography.Text>
          {t.group && t.depth <= 2 && (
            <Tag color="purple" style={{ marginLeft: 8 }}>
              {POPULATION_GROUP_LABELS[t.group]}
            </Tag>
          )}
        </div>
      ),
    },
    { title: '责任单位', key: 'units', width: 320, render: (_, t) => <UnitTags task={t} /> },
    {
      title: '指标',
      key: 'indicators',
      width: 360,
      render: (_, t) =>
        t.indicators.length === 0 ? (
          <span aria-hidden>—</span>
        ) : (
          <Space direction="vertical" size={2}>
            {t.indicators.map((i) => (
              <Space key={i.id} size={4}>
                <IndicatorLine indicator={i} />
                {canEdit && onEditIndicator && (
                  <Button
                    type="link"
                    size="small"
                    onClick={() => onEditIndicator(i, t)}
                    aria-label={`编辑指标：${i.text}`}
                  >
                    改
                  </Button>
                )}
                {onBind && (
                  <Button
                    type="link"
                    size="small"
                    onClick={() => onBind(i)}
                    aria-label={`数据来源：${i.text}`}
                  >
                    来源
                  </Button>
                )}
                {canEdit && onAllocate && (
                  <Button
                    type="link"
                    size="small"
                    onClick={() => onAllocate(i)}
                    aria-label={`分解下达：${i.text}`}
                  >
                    下达
                  </Button>
                )}
              </Space>
            ))}
          </Space>
        ),
    },
  ];
  if (canEdit && onEditTask) {
    columns.push({
      title: '操作',
      key: 'actions',
      width: 80,
      render: (_, t) => (
        <Button type="link" size="small" onClick={() => onEditTask(t)} aria-label={`编辑任务：${t.title}`}>
          编辑
        </Button>
      ),
    });
  }
  return (
    <Table<PlanTask>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={tasks}
      loading={loading}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty description={emptyText ?? '没有任务'} /> }}
      pagination={
        tasks.length > 100 ? { pageSize: 100, showSizeChanger: false, showTotal: (n) => `共 ${n} 项` } : false
      }
      onRow={(t) => ({ 'data-path': t.path }) as React.HTMLAttributes<HTMLElement>}
    />
  );
}
