import { CAPACITY_SCALING_LABELS, type CapacityCountyScore, type CapacityResult } from '@kesu/shared';
import { Card, Col, Descriptions, Grid, List, Row, Space, Table, Tag, Typography } from 'antd';
import type { EChartsOption } from 'echarts';
import { EChart } from '../../components/charts/echart';
import { score, weightText } from './capacity.api';

const byRank = (a: CapacityCountyScore, b: CapacityCountyScore) =>
  (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
  a.name.localeCompare(b.name, 'zh');

/** How a value reads: raw, per 万人 when normalised, with the reason when missing. */
function valueText(result: CapacityResult, s: CapacityCountyScore['indicators'][number]): string {
  const ind = result.dimensions.flatMap((d) => d.indicators).find((i) => i.key === s.key);
  if (s.value === null) return s.missing ?? '—';
  const unit = ind?.unit ?? '';
  if (!ind?.perResident) return `${Number(s.value.toFixed(2))}${unit}`;
  return `${s.raw ?? '—'}${unit}，每万人 ${s.value.toFixed(2)}`;
}

/** Each county's inputs: raw value, per 万人, scaled score or why it is missing. */
function CountyDetail({ result, county }: { result: CapacityResult; county: CapacityCountyScore }) {
  const indicators = result.dimensions.flatMap((d) => d.indicators.map((i) => ({ ...i, dimension: d.name })));
  return (
    <Descriptions size="small" column={1} bordered>
      {indicators.map((i) => {
        const s = county.indicators.find((x) => x.key === i.key);
        return (
          <Descriptions.Item key={i.key} label={`${i.dimension} · ${i.name}`}>
            {s ? (
              <Space wrap size={4}>
                <span>{valueText(result, s)}</span>
                {s.scaled !== null && <Tag>得分 {score(s.scaled)}</Tag>}
                {s.value === null && <Tag color="warning">未计入</Tag>}
              </Space>
            ) : (
              '—'
            )}
          </Descriptions.Item>
        );
      })}
    </Descriptions>
  );
}

/** The ranking: a table on wide screens, cards on a phone. */
export function CapacityRanking({ result }: { result: CapacityResult }) {
  const screens = Grid.useBreakpoint();
  const rows = [...result.counties].sort(byRank);
  if (!screens.md)
    return (
      <List
        dataSource={rows}
        renderItem={(c) => (
          <List.Item>
            <Card size="small" style={{ width: '100%' }}>
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{c.rank === null ? '未排名' : `第 ${c.rank} 名`}</Typography.Text>
                  <span>{c.name}</span>
                  {c.incomplete && <Tag color="warning">数据不全</Tag>}
                </Space>
                <span>能力指数：{score(c.index)}</span>
                <Typography.Text type="secondary">
                  {result.dimensions.map((d) => `${d.name} ${score(c.dimensions[d.key])}`).join('；')}
                </Typography.Text>
              </Space>
            </Card>
          </List.Item>
        )}
      />
    );
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={rows}
      scroll={{ x: 'max-content' }}
      expandable={{ expandedRowRender: (c) => <CountyDetail result={result} county={c} /> }}
      columns={[
        { title: '名次', key: 'rank', width: 64, render: (_: unknown, c) => c.rank ?? '—' },
        {
          title: '县区',
          key: 'name',
          render: (_: unknown, c) => (
            <Space size={4}>
              {c.name}
              {c.incomplete && <Tag color="warning">数据不全</Tag>}
            </Space>
          ),
        },
        {
          title: '能力指数',
          key: 'index',
          align: 'right' as const,
          render: (_: unknown, c) => score(c.index),
        },
        ...result.dimensions.map((d) => ({
          title: (
            <span>
              {d.name}
              <br />
              <Typography.Text type="secondary">权重 {weightText(d.weight)}</Typography.Text>
            </span>
          ),
          key: d.key,
          align: 'right' as const,
          render: (_: unknown, c: CapacityCountyScore) => score(c.dimensions[d.key]),
        })),
      ]}
    />
  );
}

/** The weights (normalised) and each indicator's source with its as-of day. */
export function CapacityWeights({ result }: { result: CapacityResult }) {
  return (
    <List
      size="small"
      dataSource={result.dimensions}
      renderItem={(d) => (
        <List.Item>
          <Space orientation="vertical" size={2} style={{ width: '100%' }}>
            <Typography.Text strong>
              {d.name}：权重 {weightText(d.weight)}
            </Typography.Text>
            {d.indicators.map((i) => (
              <Typography.Text key={i.key} type="secondary">
                {i.name}（维度内 {weightText(i.weight)}，{i.direction === 'higher' ? '越高越好' : '越低越好'}
                {i.perResident ? '，按每万常住人口' : ''}）——{i.source}，{i.asOf}
              </Typography.Text>
            ))}
          </Space>
        </List.Item>
      )}
    />
  );
}

/** The method in words and the as-of day. */
export function CapacityMethod({ result }: { result: CapacityResult }) {
  return (
    <Space orientation="vertical" size={4}>
      <Typography.Text type="secondary">
        标准化：{CAPACITY_SCALING_LABELS[result.scaling]}；数据截至 {result.asOf}
      </Typography.Text>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
        {result.method}
      </Typography.Paragraph>
    </Space>
  );
}

const changeText = (change: number) => (change < 0 ? '下调 20%' : '上调 20%');

/**
 * Sensitivity: each county's rank range over the ±20% moves of each dimension weight, and which moves change the
 * first place (a table, and a small chart of the ranges).
 */
export function CapacitySensitivity({ result }: { result: CapacityResult }) {
  const rows = [...result.counties].filter((c) => c.rank !== null).sort(byRank);
  const nameOf = new Map(result.counties.map((c) => [c.id, c.name]));
  const range = (id: string) => result.sensitivity.rankRange[id] ?? { best: null, worst: null };
  const screens = Grid.useBreakpoint();
  if (rows.length === 0) return <Typography.Text type="secondary">没有可排名的县区</Typography.Text>;
  const movedIn = (s: CapacityResult['sensitivity']['scenarios'][number]) =>
    rows
      .filter((c) => s.ranks[c.id] !== c.rank)
      .map((c) => `${c.name} ${c.rank}→${s.ranks[c.id] ?? '—'}`)
      .join('，') || '无';
  const rangeText = (id: string) => {
    const r = range(id);
    return r.best === r.worst ? `${r.best}（稳定）` : `${r.best}—${r.worst}`;
  };
  if (!screens.md)
    return (
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <List
          size="small"
          header="各县区名次范围（最好—最差）"
          dataSource={rows}
          renderItem={(c) => (
            <List.Item>
              {c.name}：第 {c.rank} 名，范围 {rangeText(c.id)}
            </List.Item>
          )}
        />
        <List
          size="small"
          header="权重调整后的第一名"
          dataSource={result.sensitivity.scenarios}
          renderItem={(s) => (
            <List.Item>
              <Space orientation="vertical" size={0}>
                <span>
                  {s.dimensionName}
                  {changeText(s.change)}（{weightText(s.weights[s.dimensionKey] ?? 0)}）：第一名{' '}
                  {s.top.map((id) => nameOf.get(id)).join('、') || '—'}{' '}
                  {s.changesTop ? <Tag color="orange">改变</Tag> : <Tag>不变</Tag>}
                </span>
                <Typography.Text type="secondary">名次变化：{movedIn(s)}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Space>
    );
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Table
          size="small"
          rowKey={(s) => `${s.dimensionKey}${s.change}`}
          pagination={false}
          dataSource={result.sensitivity.scenarios}
          columns={[
            {
              title: '权重调整',
              key: 'move',
              render: (_: unknown, s) =>
                `${s.dimensionName}${changeText(s.change)}（${weightText(s.weights[s.dimensionKey] ?? 0)}）`,
            },
            {
              title: '第一名',
              key: 'top',
              render: (_: unknown, s) => (
                <Space size={4} wrap>
                  {s.top.map((id) => nameOf.get(id)).join('、') || '—'}
                  {s.changesTop ? <Tag color="orange">改变</Tag> : null}
                </Space>
              ),
            },
            { title: '名次变化的县区', key: 'moved', render: (_: unknown, s) => movedIn(s) },
          ]}
        />
      </Col>
      <Col xs={24} xl={10}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: '县区', dataIndex: 'name', key: 'name' },
            { title: '名次', key: 'rank', render: (_: unknown, c) => c.rank },
            { title: '名次范围（最好—最差）', key: 'range', render: (_: unknown, c) => rangeText(c.id) },
          ]}
        />
        <EChart
          ariaLabel="各县区名次范围"
          height={Math.min(320, rows.length * 26 + 60)}
          option={rangeOption(
            rows.map((c) => ({ name: c.name, rank: c.rank ?? 0, ...range(c.id) })),
            rows.length,
          )}
        />
      </Col>
    </Row>
  );
}

/** Each county's rank range as a floating bar (best to worst), its rank as a dot; rank 1 on the left. */
export function rangeOption(
  rows: { name: string; rank: number; best: number | null; worst: number | null }[],
  n: number,
): EChartsOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: {
      type: 'value',
      min: 0,
      max: n + 1,
      interval: 1,
      name: '名次',
      axisLabel: { showMinLabel: false, showMaxLabel: false },
    },
    yAxis: { type: 'category', data: rows.map((r) => r.name), inverse: true },
    series: [
      {
        type: 'bar',
        stack: 'range',
        silent: true,
        itemStyle: { color: 'transparent' },
        tooltip: { show: false },
        data: rows.map((r) => (r.best === null ? null : r.best - 0.5)),
      },
      {
        type: 'bar',
        stack: 'range',
        name: '名次范围',
        barWidth: 12,
        itemStyle: { color: '#91caff' },
        data: rows.map((r) => (r.best === null || r.worst === null ? null : r.worst - r.best + 1)),
      },
      {
        type: 'scatter',
        name: '名次',
        symbolSize: 10,
        itemStyle: { color: '#1677ff' },
        data: rows.map((r, k) => [r.rank, k]),
      },
    ],
  };
}
