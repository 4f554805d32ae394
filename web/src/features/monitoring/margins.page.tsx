import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  AGE_BANDS,
  MARGIN_DIMENSION_LABELS,
  MARGIN_DIMENSIONS,
  type PopulationMargin,
  PopulationMarginsPutSchema,
} from '@kesu/shared';
import { Alert, App, Button, Card, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { useMarginYears, useMargins, useSaveMargins } from './monitoring.api';

type Row = PopulationMargin & { key: number };

/** Sum of a dimension's levels, to compare with the total. */
function sums(rows: readonly PopulationMargin[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.dimension, (m.get(r.dimension) ?? 0) + r.population);
  return m;
}

/**
 * /monitoring/margins — population margins by year (常住人口): total, sex, sex × age band, urban/rural, education,
 * county. Census 2020 figures of the city are pre-filled; everything else is entered here, never invented.
 */
export function MarginsPage() {
  const me = useCurrentUser();
  const canEdit = me.role === 'admin' || me.role === 'analyst';
  const years = useMarginYears();
  const [year, setYear] = useState<number | undefined>(undefined);
  const shown = year ?? years.data?.years.at(-1) ?? new Date().getFullYear();
  const margins = useMargins(shown);
  const save = useSaveMargins();
  const { message } = App.useApp();
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setRows((margins.data?.rows ?? []).map((r, i) => ({ ...r, key: i })));
  }, [margins.data]);

  const patch = (key: number, change: Partial<PopulationMargin>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const add = () =>
    setRows((rs) => [
      ...rs,
      {
        key: Math.max(0, ...rs.map((r) => r.key)) + 1,
        dimension: 'county',
        level: '',
        population: 0,
        source: null,
      },
    ]);
  const onSave = () => {
    const parsed = PopulationMarginsPutSchema.safeParse({ rows: rows.map(({ key: _k, ...r }) => r) });
    if (!parsed.success) {
      setError(
        `第 ${Number(parsed.error.issues[0]?.path[1] ?? 0) + 1} 行：${parsed.error.issues[0]?.message}`,
      );
      return;
    }
    setError(null);
    save.mutate(
      { year: shown, body: parsed.data },
      { onSuccess: () => void message.success('已保存'), onError: (e) => setError(errorMessage(e)) },
    );
  };
  const total = rows.find((r) => r.dimension === 'total')?.population;
  const s = sums(rows);
  const mismatched = MARGIN_DIMENSIONS.filter(
    (d) => d !== 'total' && d !== 'county' && s.has(d) && total && s.get(d) !== total,
  );

  return (
    <Card title="人口边际（用于校准）" extra={<Link to="/monitoring">返回监测</Link>}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Typography.Text>年份</Typography.Text>
        <Select
          aria-label="年份"
          style={{ width: 120 }}
          value={shown}
          options={[...new Set([...(years.data?.years ?? []), shown])].map((y) => ({
            value: y,
            label: String(y),
          }))}
          onChange={setYear}
        />
        {canEdit && (
          <InputNumber
            aria-label="新的年份"
            placeholder="新增年份"
            min={2000}
            max={2100}
            onPressEnter={(e) => {
              const y = Number((e.target as HTMLInputElement).value);
              if (y >= 2000 && y <= 2100) setYear(y);
            }}
          />
        )}
      </Space>
      <Typography.Paragraph type="secondary">
        性别×年龄组的类别写作「男,18-29」（年龄组 {AGE_BANDS.join('、')}
        ）；类别须与调查数据中的取值一致。调查对象为 18–69
        岁常住人口，校准用的总数应为同一口径。导入时所用的边际会固定在该轮次的设计中，之后修改本表不影响已有结果。
      </Typography.Paragraph>
      {mismatched.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={`以下维度的合计与总人口不一致：${mismatched.map((d) => MARGIN_DIMENSION_LABELS[d]).join('、')}`}
        />
      )}
      <Table<Row>
        size="small"
        rowKey="key"
        pagination={false}
        loading={margins.isPending}
        dataSource={rows}
        columns={[
          {
            title: '维度',
            dataIndex: 'dimension',
            width: 160,
            render: (v: Row['dimension'], r) =>
              canEdit ? (
                <Select
                  aria-label="维度"
                  style={{ width: '100%' }}
                  value={v}
                  options={MARGIN_DIMENSIONS.map((d) => ({ value: d, label: MARGIN_DIMENSION_LABELS[d] }))}
                  onChange={(dimension) => patch(r.key, { dimension })}
                />
              ) : (
                MARGIN_DIMENSION_LABELS[v]
              ),
          },
          {
            title: '类别',
            dataIndex: 'level',
            render: (v: string, r) =>
              canEdit ? (
                <Input
                  aria-label="类别"
                  value={v}
                  onChange={(e) => patch(r.key, { level: e.target.value })}
                />
              ) : (
                v
              ),
          },
          {
            title: '人口',
            dataIndex: 'population',
            align: 'right',
            width: 180,
            render: (v: number, r) =>
              canEdit ? (
                <InputNumber
                  aria-label="人口"
                  style={{ width: '100%' }}
                  min={0}
                  value={v}
                  onChange={(population) => patch(r.key, { population: Number(population ?? 0) })}
                />
              ) : (
                v.toLocaleString('zh-CN')
              ),
          },
          {
            title: '来源',
            dataIndex: 'source',
            render: (v: string | null, r) =>
              canEdit ? (
                <Input
                  aria-label="来源"
                  value={v ?? ''}
                  onChange={(e) => patch(r.key, { source: e.target.value || null })}
                />
              ) : (
                (v ?? '—')
              ),
          },
          ...(canEdit
            ? [
                {
                  title: '',
                  key: 'del',
                  width: 48,
                  render: (_: unknown, r: Row) => (
                    <Button
                      type="text"
                      danger
                      aria-label="删除"
                      icon={<DeleteOutlined />}
                      onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
      {canEdit && (
        <Space style={{ marginTop: 16 }}>
          <Button icon={<PlusOutlined />} onClick={add}>
            添加一行
          </Button>
          <Button type="primary" loading={save.isPending} onClick={onSave}>
            保存 {shown} 年
          </Button>
        </Space>
      )}
    </Card>
  );
}
