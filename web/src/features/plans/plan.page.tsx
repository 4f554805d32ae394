import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  type Indicator,
  POPULATION_GROUP_LABELS,
  POPULATION_GROUPS,
  type PlanTask,
  type PlanVersion,
  type PopulationGroup,
} from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { UnitSelect } from '../units/unit-select';
import { errorMessage, formatDateTime } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { FullPageSpin } from '../auth/require-auth';
import { useUnitList } from '../units/units.api';
import { AllocationModal } from './allocation.modal';
import { BindingModal } from './binding.modal';
import { IndicatorEditModal } from './indicator-edit.modal';
import { PlanDiffView } from './plan-diff.view';
import { useJurisdictionNames } from '../jurisdictions/jurisdictions.api';
import { PlanLinksView } from './plan-links.view';
import { PlanTreeTable } from './plan-tree.table';
import { exportUrl, usePlan, usePlanTree, usePublishPlan, useVersionDiff } from './plans.api';
import { TaskEditModal } from './task-edit.modal';
import { DemoTag } from '../demo/demo';

interface Filters {
  unitId?: string;
  group?: PopulationGroup;
  countyId?: string;
}

function VersionHistory({ planId, versions }: { planId: string; versions: PlanVersion[] }) {
  const [selected, setSelected] = useState<string | null>(versions[0]?.id ?? null);
  const diff = useVersionDiff(planId, selected);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table<PlanVersion>
        rowKey="id"
        size="small"
        dataSource={versions}
        pagination={versions.length > 10 ? { pageSize: 10 } : false}
        rowSelection={{
          type: 'radio',
          selectedRowKeys: selected ? [selected] : [],
          onChange: (keys) => setSelected((keys[0] as string) ?? null),
        }}
        columns={[
          { title: '版本', dataIndex: 'number', render: (n: number) => `第 ${n} 版` },
          { title: '文件', dataIndex: 'fileName', render: (v: string | null) => v ?? '—' },
          { title: '文号', dataIndex: 'docNumber', render: (v: string | null) => v ?? '—' },
          { title: '任务', dataIndex: 'taskCount' },
          { title: '指标', dataIndex: 'indicatorCount' },
          { title: '说明', dataIndex: 'note', render: (v: string) => v || '—' },
          { title: '导入人', dataIndex: 'createdBy', render: (v: string | null) => v ?? '系统' },
          { title: '导入时间', dataIndex: 'createdAt', render: formatDateTime },
          {
            title: '公开',
            dataIndex: 'isPublished',
            render: (v: boolean) => (v ? <Tag color="green">已公开</Tag> : null),
          },
        ]}
      />
      {diff.isError && <Alert type="error" showIcon title={errorMessage(diff.error)} />}
      {diff.data && <PlanDiffView diff={diff.data} />}
    </Space>
  );
}

/** /plans/:id — the plan browser: tree with units and indicators, filters, versions, export, publishing. */
export function PlanPage() {
  const { id = '' } = useParams();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [versionId, setVersionId] = useState<string | undefined>();
  const [filters, setFilters] = useState<Filters>({});
  const [editingTask, setEditingTask] = useState<PlanTask | null>(null);
  const [editingIndicator, setEditingIndicator] = useState<Indicator | null>(null);
  const [allocating, setAllocating] = useState<Indicator | null>(null);
  const [binding, setBinding] = useState<Indicator | null>(null);
  const plan = usePlan(id);
  // An admin changes only its own jurisdiction's plan (the city reads a county's 实施方案, never edits it).
  const isAdmin =
    me.role === 'admin' &&
    (plan.data
      ? (plan.data.jurisdictionId ?? null) === me.jurisdictionId || me.jurisdictionId === null
      : false);
  const tree = usePlanTree(id, { versionId, ...filters });
  const counties = useUnitList({ kind: 'county', active: 'true', page: 1, pageSize: 50 });
  const publish = usePublishPlan();
  const places = useJurisdictionNames();

  if (plan.isPending) return <FullPageSpin />;
  if (plan.isError) {
    return (
      <Alert
        type="error"
        showIcon
        title={errorMessage(plan.error)}
        action={<Button onClick={() => void plan.refetch()}>重试</Button>}
      />
    );
  }
  const p = plan.data;
  const hasParent = p.jurisdictionId !== null && (places.get(p.jurisdictionId)?.parentId ?? null) !== null;
  // A level with counties below it assigns indicators down to them (分解下达).
  const hasChildren =
    p.jurisdictionId !== null && [...places.values()].some((j) => j.parentId === p.jurisdictionId);
  const shown = p.versions.find((v) => v.id === (versionId ?? p.versions[0]?.id));
  const isLatest = shown?.id === p.versions[0]?.id;
  const isFiltered = Boolean(filters.unitId || filters.group || filters.countyId);
  const doPublish = async (target: string | null) => {
    try {
      await publish.mutateAsync({ planId: p.id, versionId: target, version: p.version });
      void message.success(target ? '已公开发布' : '已撤下公开版本');
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  return (
    <Card
      title={
        <>
          {p.title} <DemoTag show={p.isDemo === true} />
        </>
      }
      extra={
        <Space wrap>
          <Button icon={<DownloadOutlined />} href={exportUrl(p.id, shown?.id)}>
            导出 Excel
          </Button>
          {isAdmin && (
            <Button icon={<UploadOutlined />} onClick={() => navigate(`/plans/import?planId=${p.id}`)}>
              导入修订版
            </Button>
          )}
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="文号">{p.docNumber ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="印发机关">{p.issuer ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="版本">
          <Space wrap size={8}>
            <Select
              aria-label="版本"
              size="small"
              style={{ width: 200, maxWidth: '100%' }}
              value={shown?.id}
              options={p.versions.map((v) => ({
                value: v.id,
                label: `第 ${v.number} 版${v.isPublished ? '（已公开）' : ''}${v.id === p.versions[0]?.id ? '（最新）' : ''}`,
              }))}
              onChange={(v: string) => setVersionId(v)}
            />
            {isAdmin && shown && (
              <span>
                {shown.isPublished ? (
                  <Popconfirm
                    title="撤下公开版本？"
                    description="撤下后公众将看不到这份规划。"
                    okText="撤下"
                    okButtonProps={{ danger: true }}
                    cancelText="取消"
                    onConfirm={() => doPublish(null)}
                  >
                    <Button size="small" danger loading={publish.isPending}>
                      撤下公开
                    </Button>
                  </Popconfirm>
                ) : (
                  <Popconfirm
                    title={`公开发布第 ${shown.number} 版？`}
                    description="公众（无需登录）将能看到这一版；此前公开的版本会被撤下。"
                    okText="公开发布"
                    cancelText="取消"
                    onConfirm={() => doPublish(shown.id)}
                  >
                    <Button size="small" type="primary" loading={publish.isPending}>
                      公开发布此版本
                    </Button>
                  </Popconfirm>
                )}
              </span>
            )}
          </Space>
        </Descriptions.Item>
      </Descriptions>
      <Tabs
        items={[
          {
            key: 'tasks',
            label: '任务与指标',
            children: (
              <>
                <Space wrap style={{ marginBottom: 12 }}>
                  <UnitSelect
                    id="plan-filter-unit"
                    placeholder="按责任单位筛选"
                    value={filters.unitId ?? null}
                    style={{ width: 260 }}
                    onChange={(unitId) => setFilters((f) => ({ ...f, unitId: unitId ?? undefined }))}
                  />
                  <Select
                    id="plan-filter-group"
                    aria-label="重点人群"
                    placeholder="按重点人群筛选"
                    allowClear
                    style={{ width: 180 }}
                    value={filters.group}
                    options={POPULATION_GROUPS.map((g) => ({ value: g, label: POPULATION_GROUP_LABELS[g] }))}
                    onChange={(group?: PopulationGroup) => setFilters((f) => ({ ...f, group }))}
                  />
                  <Select
                    id="plan-filter-county"
                    aria-label="县(市)区"
                    placeholder="按县(市)区筛选"
                    allowClear
                    style={{ width: 180 }}
                    value={filters.countyId}
                    options={(counties.data?.items ?? []).map((c) => ({ value: c.id, label: c.shortName }))}
                    onChange={(countyId?: string) => setFilters((f) => ({ ...f, countyId }))}
                  />
                  {isFiltered && <Button onClick={() => setFilters({})}>清除筛选</Button>}
                  {tree.data && isFiltered && (
                    <Typography.Text type="secondary">
                      符合条件的任务 {tree.data.matchedIds.length} 项
                    </Typography.Text>
                  )}
                </Space>
                {tree.isError && (
                  <Alert
                    type="error"
                    showIcon
                    title={errorMessage(tree.error)}
                    style={{ marginBottom: 12 }}
                  />
                )}
                {isAdmin && !isLatest && (
                  <Alert
                    type="info"
                    showIcon
                    title="这是历史版本，保持导入时的原样，不能修改。"
                    style={{ marginBottom: 12 }}
                  />
                )}
                <PlanTreeTable
                  tasks={tree.data?.tasks ?? []}
                  matchedIds={isFiltered ? tree.data?.matchedIds : undefined}
                  loading={tree.isFetching}
                  canEdit={isAdmin && isLatest}
                  onEditTask={setEditingTask}
                  onEditIndicator={(i) => setEditingIndicator(i)}
                  {...(hasChildren ? { onAllocate: setAllocating } : {})}
                  onBind={setBinding}
                  emptyText={isFiltered ? '没有符合条件的任务' : '该版本没有任务'}
                />
              </>
            ),
          },
          // A plan of a jurisdiction below another (a county's 实施方案) is linked to the plan above.
          ...(hasParent
            ? [
                {
                  key: 'links',
                  label: '对接上级任务',
                  children: <PlanLinksView planId={p.id} canEdit={isAdmin} />,
                },
              ]
            : []),
          {
            key: 'versions',
            label: `版本历史（${p.versions.length}）`,
            children: <VersionHistory planId={p.id} versions={p.versions} />,
          },
        ]}
      />
      {isAdmin && (
        <>
          <TaskEditModal task={editingTask} onClose={() => setEditingTask(null)} />
          <IndicatorEditModal indicator={editingIndicator} onClose={() => setEditingIndicator(null)} />
          {allocating && <AllocationModal indicator={allocating} onClose={() => setAllocating(null)} />}
          {binding && <BindingModal indicator={binding} onClose={() => setBinding(null)} />}
        </>
      )}
    </Card>
  );
}
