import { DownloadOutlined, UploadOutlined, WarningOutlined } from '@ant-design/icons';
import {
  ESTIMATE_METHOD_LABELS,
  JIANGSU_SERIES,
  NATIONAL_SERIES,
  SCORING_RULE_LABELS,
  SURVEY_BREAKDOWNS,
  SURVEY_ROLE_LABELS,
  type SurveyEstimate,
  type SurveyHeadline,
  type SurveyWave,
} from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Segmented,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { EChart } from '../../components/charts/echart';
import { errorMessage } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { methodNoteUrl, useHeadlines, useUpdateWave, useWave, useWaves } from './monitoring.api';
import {
  breakdownOption,
  estimateNotes,
  findEstimate,
  formatEstimate,
  gapOption,
  gapToTarget,
  pct,
  type RateTarget,
  rateTargetOf,
  sampleWarnings,
  targetVerdict,
  trendOption,
  type WavePoint,
} from './monitoring.model';

const METHOD_LABELS = ESTIMATE_METHOD_LABELS;

/** The kind and flags of a row that is not an ordinary proportion, each a tag with its explanation. */
function Notes({ e }: { e: SurveyEstimate }) {
  const notes = estimateNotes(e);
  if (!notes.length) return null;
  return (
    <Space size={4} wrap>
      {notes.map((n) => (
        <Tooltip key={n.label} title={n.text}>
          <Tag color={e.kind === 'mean' && n.label.startsWith('均值') ? 'blue' : 'purple'}>{n.label}</Tag>
        </Tooltip>
      ))}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {METHOD_LABELS[e.method]}
      </Typography.Text>
    </Space>
  );
}

function NoteLink({ waveId, e }: { waveId: string; e: SurveyEstimate }) {
  return (
    <Tooltip title="下载方法说明（设计、方法、等价的 R 调用、n、df、置信区间方法）">
      <a href={methodNoteUrl(waveId, e)} download aria-label="方法说明">
        <DownloadOutlined /> 方法说明
      </a>
    </Tooltip>
  );
}

function Warnings({ e }: { e: SurveyEstimate }) {
  const w = sampleWarnings(e);
  if (!w.length) return null;
  return (
    <Tooltip title={`小样本：${w.join('；')}，估计不稳定`}>
      <Tag color="warning" icon={<WarningOutlined />}>
        小样本
      </Tag>
    </Tooltip>
  );
}

function Headline({
  wave,
  estimates,
  method,
  target,
}: {
  wave: SurveyWave;
  estimates: SurveyEstimate[];
  method: string;
  target: RateTarget | null;
}) {
  const me = useCurrentUser();
  const canManage = me.role === 'admin' || me.role === 'analyst';
  const update = useUpdateWave();
  const { message } = App.useApp();
  const e = findEstimate(estimates, { method, variable: 'literate', by: null });
  const score = findEstimate(estimates, { method, variable: 'score', by: null });
  const latestNational = NATIONAL_SERIES.points.at(-1)!;
  const latestJiangsu = JIANGSU_SERIES.points.at(-1)!;
  if (!e) return <Alert type="info" showIcon message="该轮次没有“具备科学素质”变量的估计" />;
  const verdict = target ? targetVerdict(e, target) : null;
  const gap = target ? gapToTarget(e.estimate, target) : 0;
  return (
    <Card
      title={`公民具备科学素质的比例 · ${wave.name}`}
      extra={
        <Space>
          <NoteLink waveId={wave.id} e={e} />
          {wave.isDemo && <Tag color="orange">演示数据 · 不公开发布</Tag>}
          {canManage && !wave.isDemo && (
            <Space size={4}>
              <Typography.Text type="secondary">公开发布</Typography.Text>
              <Switch
                aria-label="公开发布主要结果"
                checked={wave.isPublished}
                loading={update.isPending}
                onChange={(isPublished) =>
                  update.mutate(
                    { id: wave.id, body: { version: wave.version, isPublished } },
                    {
                      onSuccess: () => void message.success(isPublished ? '已公开发布' : '已撤回发布'),
                      onError: (err) => void message.error(errorMessage(err)),
                    },
                  )
                }
              />
            </Space>
          )}
        </Space>
      }
    >
      <Row gutter={[24, 16]}>
        <Col xs={24} md={10}>
          <Typography.Text type="secondary">
            估计值与 95% 置信区间（{METHOD_LABELS[method as SurveyEstimate['method']]}）
          </Typography.Text>
          <div data-testid="headline-rate" style={{ fontSize: 30, fontWeight: 600, lineHeight: 1.4 }}>
            {formatEstimate(e)}
          </div>
          <Space wrap>
            <Typography.Text>n = {e.n}</Typography.Text>
            <Typography.Text>SE = {(e.se * 100).toFixed(2)} 个百分点</Typography.Text>
            <Typography.Text>deff = {e.deff === null ? '—' : e.deff.toFixed(2)}</Typography.Text>
            <Typography.Text>df = {e.df}</Typography.Text>
            <Warnings e={e} />
            <Notes e={e} />
          </Space>
        </Col>
        <Col xs={24} md={14}>
          <Descriptions size="small" column={1} bordered>
            {target ? (
              <Descriptions.Item label={target.label}>
                {target.value}%（{gap >= 0 ? '高于' : '低于'}目标 {Math.abs(gap).toFixed(2)} 个百分点；
                {verdict === 'above'
                  ? '置信区间整体高于目标'
                  : verdict === 'below'
                    ? '置信区间整体低于目标'
                    : '置信区间跨越目标，尚不能判定'}
                ）
              </Descriptions.Item>
            ) : (
              <Descriptions.Item label="规划目标">规划中没有按调查比例衡量的指标</Descriptions.Item>
            )}
            <Descriptions.Item label={`全国 ${latestNational.year}（公布值，无 CI）`}>
              {latestNational.value}%
            </Descriptions.Item>
            <Descriptions.Item label={`江苏 ${latestJiangsu.year}（公布值，无 CI）`}>
              {latestJiangsu.value}%
            </Descriptions.Item>
            {score && (
              <Descriptions.Item label="平均得分">
                <Space size={4} wrap>
                  <span data-testid="headline-score">
                    {formatEstimate(score)}（SE {score.se.toFixed(2)}）
                  </span>
                  <Notes e={score} />
                </Space>
              </Descriptions.Item>
            )}
            <Descriptions.Item label="评分规则">{SCORING_RULE_LABELS[wave.scoringRule]}</Descriptions.Item>
          </Descriptions>
        </Col>
      </Row>
    </Card>
  );
}

function Trend({ headlines, target }: { headlines: SurveyHeadline[]; target: RateTarget | null }) {
  // One point per year: the latest wave's headline of that year (the list is oldest first).
  const byYear = new Map<number, WavePoint>();
  for (const h of headlines)
    byYear.set(h.year, {
      year: h.year,
      name: h.name,
      estimate: h.estimate,
      ciLow: h.ciLow,
      ciHigh: h.ciHigh,
    });
  const points = [...byYear.values()];
  return (
    <Card title="变化趋势">
      <EChart option={trendOption(points, target)} ariaLabel="公民具备科学素质比例的变化趋势" height={340} />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        实心点与竖线：本系统按调查微观数据计算的估计值及 95% 置信区间。空心点与虚线：公布值（徐州市规划基线
        2010/2015/2020 年、 全国、江苏），官方只公布点估计，没有置信区间。不同评分规则下的比例不可直接比较。
      </Typography.Paragraph>
    </Card>
  );
}

function BreakdownTable({
  waveId,
  rows,
  target,
}: {
  waveId: string;
  rows: SurveyEstimate[];
  target: RateTarget | null;
}) {
  const columns: ColumnsType<SurveyEstimate> = [
    { title: '类别', dataIndex: 'domain' },
    { title: 'n', dataIndex: 'n', align: 'right' },
    { title: '比例 [95% CI]', key: 'est', render: (_, r) => formatEstimate(r) },
    { title: 'SE（百分点）', key: 'se', align: 'right', render: (_, r) => (r.se * 100).toFixed(2) },
    {
      title: 'deff',
      dataIndex: 'deff',
      align: 'right',
      render: (d: number | null) => (d === null ? '—' : d.toFixed(2)),
    },
    {
      title: 'CV',
      dataIndex: 'cv',
      align: 'right',
      render: (c: number | null) => (c === null ? '—' : c.toFixed(3)),
    },
    ...(target
      ? [
          {
            title: '距目标（百分点）',
            key: 'gap',
            align: 'right' as const,
            render: (_: unknown, r: SurveyEstimate) => {
              const g = gapToTarget(r.estimate, target);
              return (
                <Typography.Text type={g < 0 ? 'danger' : 'success'}>
                  {g >= 0 ? `+${g.toFixed(2)}` : g.toFixed(2)}
                </Typography.Text>
              );
            },
          },
        ]
      : []),
    {
      title: '提示',
      key: 'warn',
      render: (_, r) => (
        <Space size={4} wrap>
          <Warnings e={r} />
          <Notes e={r} />
        </Space>
      ),
    },
    { title: '', key: 'note', render: (_, r) => <NoteLink waveId={waveId} e={r} /> },
  ];
  return (
    <Table
      rowKey={(r) => `${r.by}-${r.domain}`}
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={false}
      // On a phone the table scrolls within itself; the page never scrolls sideways.
      scroll={{ x: 'max-content' }}
    />
  );
}

function Breakdowns({
  wave,
  estimates,
  method,
  target,
}: {
  wave: SurveyWave;
  estimates: SurveyEstimate[];
  method: string;
  target: RateTarget | null;
}) {
  const items = SURVEY_BREAKDOWNS.flatMap((by) => {
    const rows = estimates.filter((e) => e.method === method && e.variable === 'literate' && e.by === by);
    if (!rows.length) return [];
    return [
      {
        key: by,
        label: SURVEY_ROLE_LABELS[by],
        children: (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <EChart
              option={breakdownOption(rows, target)}
              ariaLabel={`按${SURVEY_ROLE_LABELS[by]}的比例与置信区间`}
            />
            <BreakdownTable waveId={wave.id} rows={rows} target={target} />
          </Space>
        ),
      },
    ];
  });
  if (!items.length) return null;
  return (
    <Card title="分组结果">
      <Tabs items={items} />
    </Card>
  );
}

function Gaps({
  estimates,
  method,
  target,
}: {
  estimates: SurveyEstimate[];
  method: string;
  target: RateTarget | null;
}) {
  const pick = (by: string) =>
    estimates.filter((e) => e.method === method && e.variable === 'literate' && e.by === by);
  const counties = pick('district');
  const groups = pick('group');
  if (!target || (!counties.length && !groups.length)) return null;
  return (
    <Card title={`与${target.label} ${target.value}% 的差距（发展不平衡）`}>
      <Row gutter={16}>
        {counties.length > 0 && (
          <Col xs={24} lg={12}>
            <Typography.Title level={5}>县(市)区</Typography.Title>
            <EChart
              option={gapOption(counties, target)}
              ariaLabel="各县(市)区距目标的差距"
              height={Math.max(200, counties.length * 28)}
            />
          </Col>
        )}
        {groups.length > 0 && (
          <Col xs={24} lg={12}>
            <Typography.Title level={5}>重点人群</Typography.Title>
            <EChart
              option={gapOption(groups, target)}
              ariaLabel="各重点人群距目标的差距"
              height={Math.max(200, groups.length * 28)}
            />
          </Col>
        )}
      </Row>
    </Card>
  );
}

/** /monitoring — the survey figures: headline vs target, trend, breakdowns with CIs, gaps, method notes. */
export function MonitoringPage() {
  const me = useCurrentUser();
  const canManage = me.role === 'admin' || me.role === 'analyst';
  const [params, setParams] = useSearchParams();
  const waves = useWaves();
  const list = waves.data?.items ?? [];
  const waveId = params.get('wave') ?? list[0]?.id;
  const detail = useWave(waveId);
  const headlines = useHeadlines();
  const target = rateTargetOf(headlines.data?.target);
  const methods = useMemo(
    () => [...new Set((detail.data?.estimates ?? []).map((e) => e.method))],
    [detail.data],
  );
  // The headline's method by default (raking when the wave has margins); the user may look at another.
  const headlineMethod = headlines.data?.items.find((h) => h.waveId === waveId)?.method ?? 'linearization';
  const [methodChoice, setMethod] = useState<string | null>(null);
  const method = methodChoice && methods.includes(methodChoice as never) ? methodChoice : headlineMethod;

  if (waves.isPending) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  if (waves.isError) return <Alert type="error" showIcon message={errorMessage(waves.error)} />;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title="公民科学素质监测"
        extra={
          <Space wrap>
            <Link to="/monitoring/margins">人口边际</Link>
            {canManage && (
              <Link to="/monitoring/upload">
                <Button type="primary" icon={<UploadOutlined />}>
                  上传调查数据
                </Button>
              </Link>
            )}
          </Space>
        }
      >
        {list.length === 0 ? (
          <Empty description="还没有调查轮次。上传一轮抽样调查的微观数据后，这里显示比例、置信区间与分组结果。" />
        ) : (
          <Space wrap>
            <Select
              aria-label="调查轮次"
              style={{ width: 'min(420px, calc(100vw - 64px))' }}
              value={waveId}
              options={list.map((w) => ({
                value: w.id,
                label: `${w.year} · ${w.name}${
                  w.isDemo
                    ? w.name.includes('演示')
                      ? ''
                      : '（演示数据）'
                    : w.isPublished
                      ? '（已发布）'
                      : ''
                }`,
              }))}
              onChange={(v) => setParams({ wave: v })}
            />
            {methods.length > 1 && (
              <Segmented
                value={method}
                onChange={(v) => setMethod(String(v))}
                options={methods.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
              />
            )}
          </Space>
        )}
      </Card>
      {/* Before any wave: the published series (baselines, national, provincial) still show. */}
      {list.length === 0 && <Trend headlines={[]} target={target} />}
      {detail.isError && <Alert type="error" showIcon message={errorMessage(detail.error)} />}
      {detail.data && (
        <>
          <Headline
            wave={detail.data.wave}
            estimates={detail.data.estimates}
            method={method}
            target={target}
          />
          <Trend headlines={headlines.data?.items ?? []} target={target} />
          <Breakdowns
            wave={detail.data.wave}
            estimates={detail.data.estimates}
            method={method}
            target={target}
          />
          <Gaps estimates={detail.data.estimates} method={method} target={target} />
          <Typography.Text type="secondary">
            {pct(null)}{' '}
            表示无法估计。所有比例均按抽样设计（分层、整群、权数）计算标准误与置信区间；子总体估计保留全部设计。
          </Typography.Text>
        </>
      )}
    </Space>
  );
}
