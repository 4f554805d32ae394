import { PlusOutlined } from '@ant-design/icons';
import { UNIT_KIND_LABELS, UNIT_KINDS, type Unit, type UnitKind } from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { ExportButtons } from '../../components/export-buttons';
import { isApiError } from '../../api/client';
import { errorMessage } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { useJurisdictionNames } from '../jurisdictions/jurisdictions.api';
import { UnitFormModal } from './unit-form.modal';
import { UnitMergeModal } from './unit-merge.modal';
import { type UnitFilters, useDeactivateUnit, useUnitList, useUpdateUnit } from './units.api';
import { serverPagination } from '../../components/server-pagination';

const ACTIVE_OPTIONS = [
  { value: 'true', label: '启用中' },
  { value: 'false', label: '已停用' },
  { value: 'all', label: '全部状态' },
] as const;

function UnitActions({
  unit,
  onEdit,
  onMerge,
}: {
  unit: Unit;
  onEdit: (u: Unit) => void;
  onMerge: (u: Unit) => void;
}) {
  const deactivate = useDeactivateUnit();
  const update = useUpdateUnit();
  const { message } = App.useApp();
  const report = (ok: string) => ({
    onSuccess: () => void message.success(ok),
    onError: (e: unknown) =>
      void message.error(
        isApiError(e) && e.code === 'CONFLICT' ? '数据已被他人修改，列表已刷新，请重试' : errorMessage(e),
      ),
  });
  return (
    <Space size={0} wrap>
      <Button type="link" size="small" onClick={() => onEdit(unit)}>
        编辑
      </Button>
      {unit.isActive ? (
        <>
          <Button type="link" size="small" onClick={() => onMerge(unit)}>
            合并
          </Button>
          <Popconfirm
            title={`停用「${unit.shortName || unit.name}」？`}
            description="停用后不能再被选用，已有的引用保留。"
            okText="停用"
            okButtonProps={{ danger: true }}
            cancelText="取消"
            onConfirm={() => deactivate.mutateAsync(unit, report('已停用')).catch(() => undefined)}
          >
            <Button type="link" size="small" danger loading={deactivate.isPending}>
              停用
            </Button>
          </Popconfirm>
        </>
      ) : (
        <Popconfirm
          title={`重新启用「${unit.shortName || unit.name}」？`}
          okText="启用"
          cancelText="取消"
          onConfirm={() =>
            update
              .mutateAsync(
                { id: unit.id, body: { version: unit.version, isActive: true } },
                report('已重新启用'),
              )
              .catch(() => undefined)
          }
        >
          <Button type="link" size="small" loading={update.isPending}>
            启用
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}

/** /units — the responsible units (组织机构). Everyone signed in may look; only admins change. */
export function UnitsPage() {
  const me = useCurrentUser();
  const isAdmin = me.role === 'admin';
  const [filters, setFilters] = useState<UnitFilters>({ active: 'true', page: 1, pageSize: 20 });
  const [editing, setEditing] = useState<{ unit: Unit | null } | null>(null);
  const [merging, setMerging] = useState<Unit | null>(null);
  const list = useUnitList(filters);
  const places = useJurisdictionNames();
  // A city admin reads the units of its counties too, but changes only its own jurisdiction's.
  const manages = (u: Unit) =>
    isAdmin && (u.jurisdictionId === me.jurisdictionId || me.jurisdictionId === null);

  const columns: ColumnsType<Unit> = [
    { title: '全称', dataIndex: 'name' },
    { title: '简称', dataIndex: 'shortName' },
    { title: '类别', dataIndex: 'kind', render: (k: UnitKind) => UNIT_KIND_LABELS[k] },
    {
      title: '别名',
      dataIndex: 'aliases',
      render: (aliases: string[]) =>
        aliases.length ? aliases.map((a) => <Tag key={a}>{a}</Tag>) : <span aria-hidden>—</span>,
    },
    { title: '行政区划代码', dataIndex: 'regionCode', render: (v: string | null) => v ?? '—' },
    ...(places.size > 1
      ? [
          {
            title: '所属',
            dataIndex: 'jurisdictionId',
            render: (id: string | null) => (id ? (places.get(id)?.name ?? '—') : '—'),
          },
        ]
      : []),
    { title: '排序', dataIndex: 'sortOrder', width: 80 },
    {
      title: '状态',
      dataIndex: 'isActive',
      width: 90,
      render: (active: boolean) => (active ? <Tag color="green">启用</Tag> : <Tag>已停用</Tag>),
    },
  ];
  if (isAdmin) {
    columns.push({
      title: '操作',
      key: 'actions',
      fixed: 'right',
      render: (_, unit) =>
        manages(unit) ? (
          <UnitActions unit={unit} onEdit={(u) => setEditing({ unit: u })} onMerge={setMerging} />
        ) : (
          <Typography.Text type="secondary">由下级管理</Typography.Text>
        ),
    });
  }

  const filtered = Boolean(filters.q || filters.kind || filters.jurisdictionId || filters.active !== 'true');

  return (
    <Card
      title="组织机构"
      extra={
        <Space>
          <ExportButtons table="units" query={{ q: filters.q, kind: filters.kind, active: filters.active }} />
          {isAdmin && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ unit: null })}>
              新增单位
            </Button>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          id="units-search"
          aria-label="搜索单位"
          placeholder="搜索全称、简称或别名"
          allowClear
          style={{ width: 280 }}
          onSearch={(q) => setFilters((f) => ({ ...f, q: q.trim() || undefined, page: 1 }))}
        />
        <Select
          id="units-kind"
          aria-label="类别"
          placeholder="全部类别"
          allowClear
          style={{ width: 160 }}
          value={filters.kind}
          options={UNIT_KINDS.map((k) => ({ value: k, label: UNIT_KIND_LABELS[k] }))}
          onChange={(kind?: UnitKind) => setFilters((f) => ({ ...f, kind, page: 1 }))}
        />
        {places.size > 1 && (
          <Select
            id="units-jurisdiction"
            aria-label="所属行政区划"
            placeholder="全部行政区划"
            allowClear
            style={{ width: 180 }}
            value={filters.jurisdictionId}
            options={[...places.values()].map((j) => ({ value: j.id, label: j.name }))}
            onChange={(jurisdictionId?: string) => setFilters((f) => ({ ...f, jurisdictionId, page: 1 }))}
          />
        )}
        <Select
          id="units-active"
          aria-label="状态"
          style={{ width: 130 }}
          value={filters.active}
          options={[...ACTIVE_OPTIONS]}
          onChange={(active: UnitFilters['active']) => setFilters((f) => ({ ...f, active, page: 1 }))}
        />
      </Space>
      {list.isError && (
        <Alert
          type="error"
          showIcon
          title={errorMessage(list.error)}
          action={<Button onClick={() => void list.refetch()}>重试</Button>}
          style={{ marginBottom: 16 }}
        />
      )}
      <Table<Unit>
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <Empty description={filtered ? '没有符合条件的单位' : '暂无单位'}>
              {isAdmin && !filtered && (
                <Button type="primary" onClick={() => setEditing({ unit: null })}>
                  添加第一个单位
                </Button>
              )}
            </Empty>
          ),
        }}
        pagination={serverPagination(
          filters,
          list.data?.total,
          (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
          '个单位',
        )}
      />
      {isAdmin && (
        <>
          <UnitFormModal
            open={editing !== null}
            unit={editing?.unit ?? null}
            onClose={() => setEditing(null)}
          />
          <UnitMergeModal target={merging} onClose={() => setMerging(null)} />
        </>
      )}
    </Card>
  );
}
