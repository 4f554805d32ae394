import {
  type ChildJurisdictionRow,
  LIGHT_LABELS,
  type Overview,
  TIMELINESS_LABELS,
  type UnitTimeliness,
} from '@kesu/shared';
import { QuestionCircleOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Popover, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { BarChart } from '../../components/charts/bar-chart';
import { DonutChart } from '../../components/charts/donut-chart';
import type { DrillTarget } from './dashboards.api';

export const LIGHT_COLORS = {
  green: '#52c41a',
  yellow: '#faad14',
  red: '#f5222d',
  no_data: '#bfbfbf',
} as const;
const LIGHTS = ['green', 'yellow', 'red', 'no_data'] as const;

export function pct(v: number | null): string {
  return v === null ? '无数据' : `${(v * 100).toFixed(1)}%`;
}

/**
 * The city overview: summary first (the leader's view), then progress by group and key population, indicator
 * lights, reporting on time by unit and the county comparison. Every number calls `onDrill` with what it counts
 * (signed-in pages open the reports behind it); the public page passes none and nothing is clickable.
 */
export function OverviewView({
  overview: o,
  onDrill,
  onOpenChild,
  onSuperviseChild,
  canOpenChild,
}: {
  overview: Overview;
  onDrill?: (t: DrillTarget) => void;
  /** Open a lower level's own dashboard (signed-in pages; the public page links to its published page instead). */
  onOpenChild?: (row: ChildJurisdictionRow) => void;
  /** 督办 a lower level (the office of the level shown). */
  onSuperviseChild?: (row: ChildJurisdictionRow) => void;
  /** Which lower levels can be opened (the public page: those that published); default: those with a plan. */
  canOpenChild?: (row: ChildJurisdictionRow) => boolean;
}) {
  const drill = (t: DrillTarget) => onDrill?.(t);
  const link = (text: string | number, t: DrillTarget, testId?: string) =>
    onDrill ? (
      <Button
        type="link"
        size="small"
        style={{
          padding: 0,
          whiteSpace: 'normal',
          height: 'auto',
          textAlign: 'start',
          overflowWrap: 'anywhere',
        }}
        onClick={() => drill(t)}
        data-testid={testId}
      >
        {text}
      </Button>
    ) : (
      <span data-testid={testId}>{text}</span>
    );
  const s = o.summary;
  const unitColumns = [
    { title: '单位', dataIndex: 'unitName', key: 'unitName' },
    { title: '应报', dataIndex: 'expected', key: 'expected' },
    ...(['onTime', 'late', 'missing', 'pending'] as const).map((k) => {
      const part = { onTime: 'on_time', late: 'late', missing: 'missing', pending: 'pending' }[k];
      return {
        title: TIMELINESS_LABELS[part as keyof typeof TIMELINESS_LABELS],
        key: k,
        render: (_: unknown, u: UnitTimeliness) => link(u[k], { kind: 'unit', key: u.unitId, part }),
      };
    }),
    {
      title: '按时率',
      key: 'rate',
      // Beside the rate, what it is out of: the reports due by now (not yet due ones are left out).
      render: (_: unknown, u: UnitTimeliness) =>
        u.onTimeRate === null ? '尚无到期' : `${pct(u.onTimeRate)}（${u.onTime}/${u.expected - u.pending}）`,
    },
  ];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        {o.planTitle} ·{' '}
        {o.cycle ? `${o.cycle.name}（截至 ${o.asOf}，报送截止 ${o.cycle.lateAfter}）` : `截至 ${o.asOf}`}
      </Typography.Text>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={
                <Space size={4}>
                  规划总体完成度
                  <Popover
                    title="怎样计算"
                    content={
                      <div style={{ maxWidth: 320 }}>
                        全部有数据指标完成度的平均，每项指标权重相同；无数据的指标不计入（不按 0 计）。
                        规划各部分、各任务组的完成度用同一公式计算。
                      </div>
                    }
                  >
                    <QuestionCircleOutlined aria-label="规划总体完成度怎样计算" />
                  </Popover>
                </Space>
              }
              value={pct(s.overallProgress)}
            />
            <Typography.Text type="secondary" data-testid="overall-basis">
              {s.overallCounted} 项指标计入
              {s.overallWithoutData > 0 ? `，${s.overallWithoutData} 项无数据未计入` : ''}
            </Typography.Text>
            <div>{link('查看指标', { kind: 'overall', key: '' })}</div>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title="指标（绿 / 黄 / 红 / 无数据）" value={s.indicatorTotal} />
            <Space size={4}>
              {LIGHTS.map((l) => (
                <span key={l}>{link(s.counts[l], { kind: 'status', key: l }, `count-${l}`)}</span>
              ))}
            </Space>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title="按时报送率"
              value={s.onTimeRate === null ? '尚无到期报告' : pct(s.onTimeRate)}
              suffix={
                s.onTimeRate === null ? undefined : (
                  <Typography.Text type="secondary" style={{ fontSize: 14 }} data-testid="on-time-due">
                    {s.onTime}/{s.reportsExpected - s.pending} 已到期
                  </Typography.Text>
                )
              }
            />
            <Typography.Text type="secondary">
              应报 {s.reportsExpected}，按时 {s.onTime}，逾期 {s.late}，未报 {s.missing}，未到期 {s.pending}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card title="需要关注" size="small">
            {s.redIndicators.length === 0 && s.laggingUnits.length === 0 ? (
              <Typography.Text type="secondary">暂无红灯指标或逾期单位</Typography.Text>
            ) : (
              <Space orientation="vertical" size={4} style={{ width: '100%', minWidth: 0 }}>
                {s.redIndicators.slice(0, 3).map((r) => (
                  <span key={r.indicatorId}>
                    <Tag color="red">红灯</Tag>
                    {link(`${r.taskPath} ${r.text}`, { kind: 'indicator', key: r.indicatorId })}
                  </span>
                ))}
                {s.laggingUnits.slice(0, 3).map((u) => (
                  <span key={u.unitId}>
                    <Tag color="orange">报送</Tag>
                    {link(`${u.unitName} 未报 ${u.missing}、逾期 ${u.late}`, { kind: 'unit', key: u.unitId })}
                  </span>
                ))}
              </Space>
            )}
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title="重点任务分组完成度">
            <BarChart
              ariaLabel="十个任务分组的完成度"
              horizontal
              percent
              categories={o.groups.map((g) => g.title.replace(/^实施/, ''))}
              series={[{ name: '完成度', values: o.groups.map((g) => g.progress), color: '#1677ff' }]}
              onBarClick={(i) => drill({ kind: 'group', key: o.groups[i]!.taskId })}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title="指标状态">
            <DonutChart
              ariaLabel="指标亮灯数量"
              slices={LIGHTS.map((l) => ({
                name: LIGHT_LABELS[l],
                value: o.counts[l],
                color: LIGHT_COLORS[l],
              }))}
              onSliceClick={(i) => drill({ kind: 'status', key: LIGHTS[i]! })}
            />
          </Card>
        </Col>
      </Row>

      <Card title="重点人群">
        <Row gutter={[16, 16]}>
          {o.populations.map((p) => (
            <Col key={p.group} xs={12} md={8} lg={4}>
              <Statistic title={p.label} value={pct(p.progress)} />
              {p.indicatorCount > 0 ? (
                link(`${p.indicatorCount} 项指标`, { kind: 'population', key: p.group })
              ) : (
                <Typography.Text type="secondary">无指标</Typography.Text>
              )}
            </Col>
          ))}
        </Row>
      </Card>

      {o.children && o.children.rows.length > 0 && (
        <ChildrenCard
          comparison={o.children}
          onOpen={onOpenChild}
          onSupervise={onSuperviseChild}
          canOpen={canOpenChild ?? ((r) => r.planId !== null)}
        />
      )}

      <Card title="各单位按时报送">
        {o.units.length === 0 ? (
          <Empty description="本周期没有填报任务" />
        ) : (
          <>
            <BarChart
              ariaLabel="各单位报送情况"
              horizontal
              stacked
              categories={o.units.map((u) => u.unitName)}
              series={[
                { name: '按时报送', values: o.units.map((u) => u.onTime), color: LIGHT_COLORS.green },
                { name: '逾期报送', values: o.units.map((u) => u.late), color: LIGHT_COLORS.yellow },
                { name: '未报送', values: o.units.map((u) => u.missing), color: LIGHT_COLORS.red },
                { name: '未到期', values: o.units.map((u) => u.pending), color: LIGHT_COLORS.no_data },
              ]}
              onBarClick={(i, series) =>
                drill({
                  kind: 'unit',
                  key: o.units[i]!.unitId,
                  part: ['on_time', 'late', 'missing', 'pending'][series] ?? 'all',
                })
              }
            />
            <Table
              rowKey="unitId"
              size="small"
              pagination={{ pageSize: 10 }}
              dataSource={o.units}
              columns={unitColumns}
            />
          </>
        )}
      </Card>

      <Card title="分县区指标">
        {o.counties.indicators.length === 0 ? (
          <Empty description="没有分县区的指标" />
        ) : (
          <Table
            rowKey="indicatorId"
            size="small"
            pagination={false}
            scroll={{ x: true }}
            dataSource={o.counties.indicators}
            columns={[
              { title: '指标', key: 'text', render: (_: unknown, r) => `${r.taskPath} ${r.text}` },
              ...o.counties.counties.map((c, ci) => ({
                title: c.name,
                key: c.id,
                render: (_: unknown, r: (typeof o.counties.indicators)[number]) => {
                  const cell = r.cells[ci];
                  if (!cell) return null;
                  const text = cell.actual === null ? '—' : `${Math.round(cell.actual * 10) / 10}${r.unit}`;
                  return (
                    <span style={{ color: LIGHT_COLORS[cell.status] }}>
                      {link(text, { kind: 'county', key: r.indicatorId, part: c.id })}
                    </span>
                  );
                },
              })),
            ]}
          />
        )}
      </Card>
    </Space>
  );
}

const rate = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const percent = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);

/**
 * 县区对比: each level below judged on its own plan, ranked by completion; the method is written under the table.
 * A county without a plan or without data is listed as such, never as 0.
 */
function ChildrenCard({
  comparison: c,
  onOpen,
  onSupervise,
  canOpen,
}: {
  comparison: NonNullable<Overview['children']>;
  canOpen: (row: ChildJurisdictionRow) => boolean;
  onOpen?: ((row: ChildJurisdictionRow) => void) | undefined;
  onSupervise?: ((row: ChildJurisdictionRow) => void) | undefined;
}) {
  const levelWord = c.rows.some((r) => r.level === 'city') ? '市' : '县（市、区）';
  return (
    <Card title={`${levelWord}对比`} data-testid="children-comparison">
      <Table
        rowKey="jurisdictionId"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={c.rows}
        columns={[
          { title: '排名', key: 'rank', width: 56, render: (_: unknown, r) => r.rank ?? '—' },
          {
            title: '地区',
            key: 'name',
            render: (_: unknown, r) =>
              onOpen && canOpen(r) ? (
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onOpen(r)}>
                  {r.name}
                </Button>
              ) : (
                r.name
              ),
          },
          {
            title: '完成度',
            key: 'progress',
            render: (_: unknown, r) =>
              r.planId === null ? (
                <Typography.Text type="secondary">尚未导入实施方案</Typography.Text>
              ) : r.progress === null ? (
                '无数据'
              ) : (
                `${(r.progress * 100).toFixed(1)}%`
              ),
          },
          {
            title: '按时报送率',
            key: 'onTime',
            render: (_: unknown, r) => (r.planId === null ? '—' : rate(r.onTimeRate)),
          },
          {
            title: '亮灯',
            key: 'lights',
            render: (_: unknown, r) =>
              r.planId === null ? (
                '—'
              ) : (
                <Space size={2} wrap>
                  <Tag
                    color={LIGHT_COLORS[r.status]}
                    style={{ marginInlineEnd: 4 }}
                    data-testid="child-light"
                  >
                    {r.status === 'no_data' ? '无数据' : `总体${LIGHT_LABELS[r.status]}`}
                  </Tag>
                  {LIGHTS.filter((k) => k !== 'no_data' && r.counts[k] > 0).map((k) => (
                    <Tag key={k} color={LIGHT_COLORS[k]} style={{ marginInlineEnd: 0 }}>
                      {LIGHT_LABELS[k]} {r.counts[k]}
                    </Tag>
                  ))}
                  {r.counts.no_data > 0 && (
                    <Tag style={{ marginInlineEnd: 0 }}>无数据 {r.counts.no_data}</Tag>
                  )}
                </Space>
              ),
          },
          ...(c.coverageIndicator
            ? [
                {
                  title: '活动覆盖率',
                  key: 'coverage',
                  render: (_: unknown, r: ChildJurisdictionRow) => percent(r.coverage),
                },
              ]
            : []),
          ...(c.literacyIndicator
            ? [
                {
                  title: '科学素质比例',
                  key: 'literacy',
                  render: (_: unknown, r: ChildJurisdictionRow) => percent(r.literacy),
                },
              ]
            : []),
          { title: '最近周期', key: 'cycle', render: (_: unknown, r) => r.cycleName ?? '—' },
          ...(onSupervise
            ? [
                {
                  title: '操作',
                  key: 'act',
                  render: (_: unknown, r: ChildJurisdictionRow) =>
                    r.governmentUnitId ? (
                      <Button size="small" onClick={() => onSupervise(r)} aria-label={`督办${r.name}`}>
                        督办
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
        排名方法：{c.method}
        {c.coverageIndicator && `活动覆盖率取自本级指标“${c.coverageIndicator}”（按人次计，非人数）。`}
        {c.literacyIndicator && `科学素质比例取自本级指标“${c.literacyIndicator}”。`}
      </Typography.Paragraph>
    </Card>
  );
}
