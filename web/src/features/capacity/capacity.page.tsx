import {
  CAPACITY_SCALING_LABELS,
  CAPACITY_SOURCE_LABELS,
  type CapacityConfigView,
  type CapacityDimension,
  type CapacityIndicator,
  type CapacityManualValue,
  type CapacityScaling,
  type CapacitySource,
  type CapacitySourceKind,
  RESOURCE_KIND_LABELS,
  RESOURCE_KINDS,
  RESOURCE_LEVELS,
  type ResourceKind,
} from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { errorMessage, formatDateTime } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { useJurisdictions } from '../jurisdictions/jurisdictions.api';
import {
  useCapacityConfig,
  useCapacityResults,
  useComputeCapacity,
  useCopyCapacityConfig,
  usePublishCapacity,
  useSaveCapacityConfig,
} from './capacity.api';
import { CapacityMethod, CapacityRanking, CapacitySensitivity, CapacityWeights } from './capacity-result';

const thisYear = () =>
  Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

let seq = 0;
const newKey = (prefix: string) => {
  seq += 1;
  return `${prefix}${Date.now().toString(36)}${seq}`;
};

const sourceOf = (kind: CapacitySourceKind): CapacitySource =>
  kind === 'registry' ? { kind, resourceKind: 'science_base', levels: [], categories: [] } : { kind };

interface Draft {
  scaling: CapacityScaling;
  dimensions: CapacityDimension[];
  manualValues: CapacityManualValue[];
}

/** The dimensions and indicators, editable by the level's admin. */
function ConfigEditor({
  view,
  draft,
  setDraft,
}: {
  view: CapacityConfigView;
  draft: Draft;
  setDraft: (d: Draft) => void;
}) {
  const edit = view.canEdit;
  const setDim = (k: number, d: Partial<CapacityDimension>) =>
    setDraft({ ...draft, dimensions: draft.dimensions.map((x, n) => (n === k ? { ...x, ...d } : x)) });
  const setInd = (k: number, n: number, i: Partial<CapacityIndicator>) =>
    setDim(k, {
      indicators: (draft.dimensions[k]?.indicators ?? []).map((x, m) => (m === n ? { ...x, ...i } : x)),
    });
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <span>标准化方法</span>
        <Select
          disabled={!edit}
          value={draft.scaling}
          style={{ width: 200 }}
          onChange={(scaling) => setDraft({ ...draft, scaling })}
          options={Object.entries(CAPACITY_SCALING_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <Typography.Text type="secondary">
          权重为相对值，计算时在维度内、维度间分别归一化为合计 1。
        </Typography.Text>
      </Space>
      {draft.dimensions.map((d, k) => (
        <Card
          key={d.key}
          size="small"
          title={
            <Space wrap>
              <Input
                aria-label="维度名称"
                disabled={!edit}
                value={d.name}
                style={{ width: 180 }}
                onChange={(e) => setDim(k, { name: e.target.value })}
              />
              <span>权重</span>
              <InputNumber
                aria-label="维度权重"
                disabled={!edit}
                min={0.01}
                max={1000}
                value={d.weight}
                onChange={(v) => setDim(k, { weight: v ?? 1 })}
              />
            </Space>
          }
          extra={
            edit && (
              <Popconfirm
                title={`删除维度“${d.name}”及其指标？`}
                okText="删除"
                cancelText="取消"
                onConfirm={() =>
                  setDraft({ ...draft, dimensions: draft.dimensions.filter((_, n) => n !== k) })
                }
              >
                <Button size="small" danger disabled={draft.dimensions.length <= 1}>
                  删除维度
                </Button>
              </Popconfirm>
            )
          }
        >
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            tableLayout="fixed"
            dataSource={d.indicators}
            columns={[
              {
                title: '指标',
                key: 'name',
                width: 220,
                render: (_: unknown, i, n) => (
                  <Input
                    aria-label="指标名称"
                    disabled={!edit}
                    value={i.name}
                    onChange={(e) => setInd(k, n, { name: e.target.value })}
                  />
                ),
              },
              {
                title: '单位',
                key: 'unit',
                width: 90,
                render: (_: unknown, i, n) => (
                  <Input
                    aria-label="计量单位"
                    disabled={!edit}
                    value={i.unit}
                    onChange={(e) => setInd(k, n, { unit: e.target.value })}
                  />
                ),
              },
              {
                title: '权重',
                key: 'weight',
                width: 90,
                render: (_: unknown, i, n) => (
                  <InputNumber
                    aria-label="指标权重"
                    disabled={!edit}
                    min={0.01}
                    max={1000}
                    value={i.weight}
                    onChange={(v) => setInd(k, n, { weight: v ?? 1 })}
                  />
                ),
              },
              {
                title: '方向',
                key: 'direction',
                width: 110,
                render: (_: unknown, i, n) => (
                  <Select
                    aria-label="指标方向"
                    disabled={!edit}
                    value={i.direction}
                    style={{ width: 100 }}
                    onChange={(direction) => setInd(k, n, { direction })}
                    options={[
                      { value: 'higher', label: '越高越好' },
                      { value: 'lower', label: '越低越好' },
                    ]}
                  />
                ),
              },
              {
                title: '每万人',
                key: 'per',
                width: 70,
                render: (_: unknown, i, n) => (
                  <Checkbox
                    aria-label="按每万常住人口"
                    disabled={!edit}
                    checked={i.perResident}
                    onChange={(e) => setInd(k, n, { perResident: e.target.checked })}
                  />
                ),
              },
              {
                title: '数据来源',
                key: 'source',
                render: (_: unknown, i, n) => (
                  <Space wrap size={4}>
                    <Select
                      disabled={!edit}
                      value={i.source.kind}
                      style={{ width: 170 }}
                      onChange={(kind: CapacitySourceKind) => setInd(k, n, { source: sourceOf(kind) })}
                      options={Object.entries(CAPACITY_SOURCE_LABELS).map(([value, label]) => ({
                        value,
                        label,
                      }))}
                    />
                    {i.source.kind === 'registry' && (
                      <>
                        <Select
                          disabled={!edit}
                          value={i.source.resourceKind}
                          style={{ width: 150 }}
                          onChange={(resourceKind: ResourceKind) =>
                            setInd(k, n, {
                              source: {
                                ...(i.source as Extract<CapacitySource, { kind: 'registry' }>),
                                resourceKind,
                              },
                            })
                          }
                          options={RESOURCE_KINDS.map((value) => ({
                            value,
                            label: RESOURCE_KIND_LABELS[value],
                          }))}
                        />
                        <Select
                          disabled={!edit}
                          mode="multiple"
                          placeholder="全部级别"
                          value={i.source.levels}
                          style={{ minWidth: 120 }}
                          onChange={(levels) =>
                            setInd(k, n, {
                              source: {
                                ...(i.source as Extract<CapacitySource, { kind: 'registry' }>),
                                levels,
                              },
                            })
                          }
                          options={RESOURCE_LEVELS.map((value) => ({ value, label: value }))}
                        />
                      </>
                    )}
                  </Space>
                ),
              },
              {
                title: '',
                key: 'del',
                width: 60,
                render: (_: unknown, _i, n) =>
                  edit && (
                    <Button
                      size="small"
                      type="link"
                      danger
                      disabled={d.indicators.length <= 1}
                      onClick={() => setDim(k, { indicators: d.indicators.filter((_, m) => m !== n) })}
                    >
                      删除
                    </Button>
                  ),
              },
            ]}
          />
          {edit && (
            <Button
              size="small"
              style={{ marginTop: 8 }}
              onClick={() =>
                setDim(k, {
                  indicators: [
                    ...d.indicators,
                    {
                      key: newKey('i'),
                      name: '新指标',
                      unit: '',
                      weight: 1,
                      direction: 'higher',
                      perResident: false,
                      source: { kind: 'manual' },
                    },
                  ],
                })
              }
            >
              添加指标
            </Button>
          )}
        </Card>
      ))}
      {edit && (
        <Button
          onClick={() =>
            setDraft({
              ...draft,
              dimensions: [
                ...draft.dimensions,
                {
                  key: newKey('d'),
                  name: '新维度',
                  weight: 1,
                  indicators: [
                    {
                      key: newKey('i'),
                      name: '新指标',
                      unit: '',
                      weight: 1,
                      direction: 'higher',
                      perResident: false,
                      source: { kind: 'manual' },
                    },
                  ],
                },
              ],
            })
          }
        >
          添加维度
        </Button>
      )}
    </Space>
  );
}

/** Values the admin enters per county for the manual indicators. */
function ManualValues({
  view,
  draft,
  setDraft,
}: {
  view: CapacityConfigView;
  draft: Draft;
  setDraft: (d: Draft) => void;
}) {
  const manual = draft.dimensions.flatMap((d) => d.indicators).filter((i) => i.source.kind === 'manual');
  if (manual.length === 0) return <Empty description="配置中没有手工录入的指标" />;
  if (view.counties.length === 0) return <Empty description="本级没有下级县区" />;
  const enteredValue = (key: string, id: string) =>
    draft.manualValues.find((m) => m.indicatorKey === key && m.jurisdictionId === id)?.value ?? null;
  const setValue = (key: string, id: string, value: number | null) => {
    const rest = draft.manualValues.filter((m) => !(m.indicatorKey === key && m.jurisdictionId === id));
    setDraft({
      ...draft,
      manualValues: value === null ? rest : [...rest, { indicatorKey: key, jurisdictionId: id, value }],
    });
  };
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={view.counties}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: '县区', dataIndex: 'name', key: 'name', fixed: 'left' as const },
        ...manual.map((i) => ({
          title: `${i.name}${i.unit ? `（${i.unit}）` : ''}`,
          key: i.key,
          render: (_: unknown, c: { id: string }) => (
            <InputNumber
              aria-label={i.name}
              disabled={!view.canEdit}
              value={enteredValue(i.key, c.id)}
              onChange={(v) => setValue(i.key, c.id, typeof v === 'number' ? v : null)}
              placeholder="未录入"
              style={{ width: 140 }}
            />
          ),
        })),
      ]}
    />
  );
}

/** 科学素质建设能力监测评估: configure, compute, read the ranking and its sensitivity, publish. */
export function CapacityPage() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const jurisdictions = useJurisdictions();
  const [year, setYear] = useState(thisYear() - 1);
  const [jurisdictionId, setJurisdictionId] = useState<string | null>(me.jurisdictionId);
  useEffect(() => {
    if (!jurisdictionId && jurisdictions.data?.items[0]) setJurisdictionId(jurisdictions.data.items[0].id);
  }, [jurisdictionId, jurisdictions.data]);
  const config = useCapacityConfig(jurisdictionId, year);
  const results = useCapacityResults(jurisdictionId, year);
  const save = useSaveCapacityConfig();
  const copy = useCopyCapacityConfig();
  const compute = useComputeCapacity();
  const publish = usePublishCapacity();
  const [draft, setDraft] = useState<Draft | null>(null);
  useEffect(() => {
    if (config.data)
      setDraft({
        scaling: config.data.scaling,
        dimensions: config.data.dimensions,
        manualValues: config.data.manualValues,
      });
  }, [config.data]);
  const years = useMemo(() => Array.from({ length: 6 }, (_, k) => thisYear() - k), []);
  const view = config.data;
  const latest = results.data?.latest ?? null;
  const published = results.data?.published ?? null;
  const canEdit = view?.canEdit ?? false;
  const fail = (e: unknown) => message.error(errorMessage(e));

  const onSave = () => {
    if (!view || !draft) return;
    save.mutate(
      {
        jurisdictionId: view.jurisdictionId,
        year,
        ...draft,
        ...(view.version !== null ? { version: view.version } : {}),
      },
      { onSuccess: () => message.success('配置已保存'), onError: fail },
    );
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          科学素质建设能力监测评估
        </Typography.Title>
        <Space wrap>
          <Select
            aria-label="行政区划"
            style={{ width: 160 }}
            value={jurisdictionId}
            onChange={setJurisdictionId}
            options={(jurisdictions.data?.items ?? []).map((j) => ({ value: j.id, label: j.name }))}
          />
          <Select
            aria-label="年度"
            style={{ width: 110 }}
            value={year}
            onChange={setYear}
            options={years.map((y) => ({ value: y, label: `${y}年` }))}
          />
        </Space>
      </Space>
      {config.error && <Alert type="error" showIcon title={errorMessage(config.error)} />}
      <Tabs
        items={[
          {
            key: 'result',
            label: '排名结果',
            children: (
              <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                <Space wrap>
                  {canEdit && (
                    <Button
                      type="primary"
                      loading={compute.isPending}
                      onClick={() =>
                        view &&
                        compute.mutate(
                          { jurisdictionId: view.jurisdictionId, year },
                          { onSuccess: () => message.success('已计算'), onError: fail },
                        )
                      }
                    >
                      {latest ? '重新计算' : '计算'}
                    </Button>
                  )}
                  {latest && (
                    <Typography.Text type="secondary">
                      计算于 {formatDateTime(latest.computedAt)}，数据截至 {latest.asOf}
                    </Typography.Text>
                  )}
                  {latest &&
                    (latest.isPublished ? (
                      <Tag color="green">已发布</Tag>
                    ) : published ? (
                      <Tag>已发布的是 {formatDateTime(published.computedAt)} 的结果</Tag>
                    ) : (
                      <Tag>未发布</Tag>
                    ))}
                  {canEdit && latest && !latest.isPublished && (
                    <Popconfirm
                      title="发布此结果？公众页面将显示排名、权重与方法。"
                      okText="发布"
                      cancelText="取消"
                      onConfirm={() =>
                        publish.mutate(
                          { id: latest.id, publish: true },
                          { onSuccess: () => message.success('已发布'), onError: fail },
                        )
                      }
                    >
                      <Button>发布</Button>
                    </Popconfirm>
                  )}
                  {canEdit && published && (
                    <Popconfirm
                      title="撤回已发布的结果？"
                      okText="撤回"
                      cancelText="取消"
                      onConfirm={() =>
                        publish.mutate(
                          { id: published.id, publish: false },
                          { onSuccess: () => message.success('已撤回'), onError: fail },
                        )
                      }
                    >
                      <Button danger>撤回发布</Button>
                    </Popconfirm>
                  )}
                </Space>
                {latest ? (
                  <>
                    <CapacityRanking result={latest} />
                    <Card size="small" title="权重与数据来源">
                      <CapacityWeights result={latest} />
                    </Card>
                    <Card size="small" title="计算方法">
                      <CapacityMethod result={latest} />
                    </Card>
                  </>
                ) : (
                  <Empty description={`${year}年尚未计算能力指数`} />
                )}
              </Space>
            ),
          },
          {
            key: 'sensitivity',
            label: '敏感性分析',
            children: latest ? (
              <CapacitySensitivity result={latest} />
            ) : (
              <Empty description="计算后可查看各维度权重±20%时的名次变化" />
            ),
          },
          {
            key: 'config',
            label: '指标配置',
            children:
              view && draft ? (
                <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                  {view.isDefault && (
                    <Alert
                      type="info"
                      showIcon
                      title={`${year}年尚未保存配置，以下为默认配置（六个维度，等权重）。`}
                    />
                  )}
                  {canEdit && (
                    <Space wrap>
                      <Button type="primary" loading={save.isPending} onClick={onSave}>
                        保存配置
                      </Button>
                      {view.hasPrevious && (
                        <Popconfirm
                          title={`以${year - 1}年的配置替换当前配置？手工录入值不复制。`}
                          okText="复制"
                          cancelText="取消"
                          onConfirm={() =>
                            copy.mutate(
                              { jurisdictionId: view.jurisdictionId, year },
                              { onSuccess: () => message.success('已复制上年配置'), onError: fail },
                            )
                          }
                        >
                          <Button>从上年复制</Button>
                        </Popconfirm>
                      )}
                    </Space>
                  )}
                  <ConfigEditor view={view} draft={draft} setDraft={setDraft} />
                </Space>
              ) : (
                <Empty />
              ),
          },
          {
            key: 'manual',
            label: '手工录入',
            children:
              view && draft ? (
                <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                  <Typography.Text type="secondary">
                    系统中没有的数据（如科普传媒、县区公民科学素质调查结果）按县区录入；未录入的县区该项不计分，不按
                    0 计。
                  </Typography.Text>
                  <ManualValues view={view} draft={draft} setDraft={setDraft} />
                  {canEdit && (
                    <Button type="primary" loading={save.isPending} onClick={onSave}>
                      保存录入值
                    </Button>
                  )}
                </Space>
              ) : (
                <Empty />
              ),
          },
        ]}
      />
    </Space>
  );
}
