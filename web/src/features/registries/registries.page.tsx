import { PlusOutlined } from '@ant-design/icons';
import {
  isCalendarDate,
  REGISTRY_DEFINITIONS,
  REGISTRY_STATUS_FILTER_LABELS,
  REGISTRY_STATUSES,
  type RegistryDetail,
  type RegistryRecord,
  RESOURCE_KINDS,
  type ResourceKind,
  type ResourceLevel,
  type RegistryStatusFilter,
} from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { FileExportButtons } from '../../components/export-buttons';
import { useState } from 'react';
import { Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { serverPagination } from '../../components/server-pagination';
import { errorMessage } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { useJurisdictionNames } from '../jurisdictions/jurisdictions.api';
import { exportUrl, useDeleteRecord, useRegistryList, useWithdrawRecord } from './registries.api';
import { STATUS_COLORS, RegistryDrawer } from './registry-drawer';
import {
  type RegistryFilters,
  filtersFromParams,
  isFiltered,
  isResourceKind,
  paramsFromFilters,
} from './registry-filters';
import { RegistryFormModal } from './registry-form.modal';
import { RegistryImportModal } from './registry-import.modal';

const KIND_OPTIONS = RESOURCE_KINDS.map((k) => ({ value: k, label: REGISTRY_DEFINITIONS[k].label }));

/** 摘牌 (or 撤销/注销/解聘/闭馆): date and reason, confirmed in the dialog. */
function WithdrawModal({
  kind,
  record,
  onClose,
}: {
  kind: ResourceKind;
  record: RegistryRecord | null;
  onClose: () => void;
}) {
  const label = REGISTRY_DEFINITIONS[kind].columns.withdrawn?.label ?? '摘牌';
  const [form] = Form.useForm<{ withdrawnOn: string; reason: string }>();
  const withdraw = useWithdrawRecord(kind);
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open={record !== null}
      title={`${label}「${record?.name ?? ''}」`}
      okText={`确认${label}`}
      okButtonProps={{ danger: true, loading: withdraw.isPending }}
      cancelText="取消"
      onCancel={() => {
        setError(null);
        onClose();
      }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        自{label}日期起，该记录不再计入在册数量。此操作会记入修改历史。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => {
          if (!record) return;
          withdraw.mutate(
            {
              id: record.id,
              body: { withdrawnOn: v.withdrawnOn.trim(), reason: v.reason.trim(), version: record.version },
            },
            {
              onSuccess: () => {
                void message.success(`已${label}`);
                setError(null);
                onClose();
              },
              onError: (e) => setError(errorMessage(e)),
            },
          );
        }}
      >
        <Form.Item
          label={`${label}日期`}
          name="withdrawnOn"
          rules={[
            { required: true, message: '请填写日期' },
            {
              validator: (_, v: string) =>
                !v || isCalendarDate(v.trim())
                  ? Promise.resolve()
                  : Promise.reject(new Error('日期应为 YYYY-MM-DD 的真实日期')),
            },
          ]}
        >
          <Input autoFocus placeholder="YYYY-MM-DD" maxLength={10} />
        </Form.Item>
        <Form.Item
          label={`${label}原因`}
          name="reason"
          rules={[{ required: true, whitespace: true, message: '请填写原因' }]}
        >
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * /registries/:kind — 资源库: a kind's records in the user's jurisdiction and below, filtered (jurisdiction, level,
 * category, status as of a date, year, search) from the address bar, so other pages link to the records behind a
 * number; detail with history, create/edit, 摘牌, delete of mistakes, import and export.
 */
export function RegistriesPage() {
  const { kind: kindParam } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const me = useCurrentUser();
  const places = useJurisdictionNames();
  const [editing, setEditing] = useState<{ record: RegistryDetail | null } | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const [withdrawing, setWithdrawing] = useState<RegistryRecord | null>(null);
  const [importing, setImporting] = useState(false);
  const kind: ResourceKind = isResourceKind(kindParam) ? kindParam : 'science_base';
  const filters = filtersFromParams(params);
  const list = useRegistryList(kind, filters);
  const del = useDeleteRecord(kind);
  const { message } = App.useApp();
  if (!isResourceKind(kindParam)) return <Navigate to="/registries/science_base" replace />;

  const def = REGISTRY_DEFINITIONS[kind];
  const c = def.columns;
  const canWrite = me.role === 'admin' || (me.role === 'reporter' && me.unitId !== null);
  const setFilters = (patch: Partial<RegistryFilters>) =>
    setParams(paramsFromFilters({ ...filters, page: 1, ...patch }), { replace: true });
  const asOfText = filters.asOf ?? '今日';

  const columns: ColumnsType<RegistryRecord> = [
    {
      title: def.nameLabel,
      dataIndex: 'name',
      render: (name: string, r) => (
        <Button
          type="link"
          size="small"
          style={{ padding: 0, whiteSpace: 'normal', textAlign: 'left' }}
          onClick={() => setViewing(r.id)}
        >
          {name}
        </Button>
      ),
    },
    ...(places.size > 1 ? [{ title: '行政区划', dataIndex: 'jurisdictionName', width: 100 }] : []),
    { title: '登记单位', dataIndex: 'unitName', ellipsis: true },
    ...(c.level
      ? [{ title: c.level.label, dataIndex: 'level', width: 80, render: (v: string | null) => v ?? '—' }]
      : []),
    ...(c.category
      ? [
          {
            title: c.category.label,
            dataIndex: 'category',
            width: 110,
            render: (v: string | null) => v ?? '—',
          },
        ]
      : []),
    ...(c.parent
      ? [{ title: c.parent.label, dataIndex: 'parentName', render: (v: string | null) => v ?? '—' }]
      : []),
    ...(c.recognisedOn
      ? [
          {
            title: c.recognisedOn.label,
            dataIndex: 'recognisedOn',
            width: 110,
            render: (v: string | null) => v ?? '—',
          },
        ]
      : []),
    ...(c.expiresOn
      ? [
          {
            title: c.expiresOn.label,
            dataIndex: 'expiresOn',
            width: 110,
            render: (v: string | null) => v ?? '—',
          },
        ]
      : []),
    ...(c.quantity
      ? [
          {
            title: c.quantity.label,
            dataIndex: 'quantity',
            width: 90,
            render: (v: number | null) => v ?? '—',
          },
        ]
      : []),
    {
      title: `状态（${asOfText}）`,
      dataIndex: 'status',
      width: 110,
      render: (s: string, r) => (
        <Space size={4}>
          <Tag color={STATUS_COLORS[s]}>{s}</Tag>
          {r.isDemo && <Tag color="purple">演示</Tag>}
        </Space>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 150,
      render: (_, r) =>
        r.canEdit ? (
          <Space size={0} wrap>
            <Button type="link" size="small" onClick={() => setViewing(r.id)}>
              查看
            </Button>
            {c.withdrawn && !r.withdrawnOn && (
              <Button type="link" size="small" danger onClick={() => setWithdrawing(r)}>
                {c.withdrawn.label}
              </Button>
            )}
          </Space>
        ) : (
          <Button type="link" size="small" onClick={() => setViewing(r.id)}>
            查看
          </Button>
        ),
    },
  ];

  const recordActions = (r: RegistryDetail) =>
    r.canEdit ? (
      <Space>
        <Button onClick={() => setEditing({ record: r })}>编辑</Button>
        <Popconfirm
          title={`删除「${r.name}」？`}
          description="删除只用于误录的记录；已不再有效的请摘牌。已被引用的记录不能删除。"
          okText="删除"
          okButtonProps={{ danger: true }}
          cancelText="取消"
          onConfirm={() =>
            del
              .mutateAsync(r.id)
              .then(() => {
                void message.success('已删除');
                setViewing(null);
              })
              .catch((e: unknown) => void message.error(errorMessage(e)))
          }
        >
          <Button danger loading={del.isPending}>
            删除
          </Button>
        </Popconfirm>
      </Space>
    ) : null;

  return (
    <Card title={`资源库 · ${def.label}`}>
      <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 12 }}>
        <Space wrap>
          <FileExportButtons size="small" urlOf={(f) => exportUrl(kind, f, filters)} />
          {canWrite && (
            <>
              <Button size="small" onClick={() => setImporting(true)}>
                导入
              </Button>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ record: null })}>
                登记
              </Button>
            </>
          )}
        </Space>
      </div>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label="资源类别"
          style={{ width: 220 }}
          value={kind}
          options={KIND_OPTIONS}
          onChange={(k: ResourceKind) => navigate(`/registries/${k}`)}
        />
        {places.size > 1 && (
          <Select
            aria-label="行政区划"
            placeholder="全部行政区划"
            allowClear
            style={{ width: 150 }}
            value={filters.jurisdictionId}
            options={[...places.values()].map((j) => ({ value: j.id, label: j.name }))}
            onChange={(jurisdictionId?: string) => setFilters({ jurisdictionId })}
          />
        )}
        {c.level && (
          <Select
            aria-label="级别"
            placeholder="全部级别"
            allowClear
            style={{ width: 110 }}
            value={filters.level as ResourceLevel | undefined}
            options={[
              ...(def.levels ?? []).map((l) => ({ value: l as string, label: l as string })),
              // Several levels from an indicator's link (e.g. 省级,国家级) stay selectable as one.
              ...(filters.level?.includes(',')
                ? [{ value: filters.level, label: filters.level.replaceAll(',', '、') }]
                : []),
            ]}
            onChange={(level?: string) => setFilters({ level })}
          />
        )}
        {def.categories && (
          <Select
            aria-label="类别"
            placeholder="全部类别"
            allowClear
            style={{ width: 150 }}
            value={filters.category}
            options={def.categories.map((x) => ({ value: x, label: x }))}
            onChange={(category?: string) => setFilters({ category })}
          />
        )}
        <Select
          aria-label="状态"
          style={{ width: 110 }}
          value={filters.status}
          options={REGISTRY_STATUSES.map((s) => ({
            value: s,
            label: s === 'all' ? '全部状态' : REGISTRY_STATUS_FILTER_LABELS[s],
          }))}
          onChange={(status: RegistryStatusFilter) => setFilters({ status })}
        />
        <Input
          aria-label="截至日期"
          placeholder="截至日期（默认今日）"
          allowClear
          style={{ width: 190 }}
          defaultValue={filters.asOf}
          key={`asOf-${filters.asOf ?? ''}`}
          onPressEnter={(e) => {
            const v = (e.target as HTMLInputElement).value.trim();
            if (v === '' || isCalendarDate(v)) setFilters({ asOf: v || undefined });
            else void message.warning('日期应为 YYYY-MM-DD 的真实日期');
          }}
          onBlur={(e) => {
            const v = e.target.value.trim();
            if ((v === '' || isCalendarDate(v)) && v !== (filters.asOf ?? ''))
              setFilters({ asOf: v || undefined });
          }}
        />
        <InputNumber
          aria-label="年度"
          placeholder="年度"
          min={2000}
          max={2100}
          style={{ width: 100 }}
          value={filters.year}
          onChange={(year) => setFilters({ year: year ?? undefined })}
        />
        <Input.Search
          aria-label="搜索名称或地址"
          placeholder="搜索名称或地址"
          allowClear
          style={{ width: 220 }}
          defaultValue={filters.q}
          onSearch={(q) => setFilters({ q: q.trim() || undefined })}
        />
        {filters.recognisedFrom && (
          <Tag closable onClose={() => setFilters({ recognisedFrom: undefined })}>
            {filters.recognisedFrom} 起认定
          </Tag>
        )}
        {filters.parentId && (
          <Tag closable onClose={() => setFilters({ parentId: undefined })}>
            仅看所选{c.parent?.label ?? '上级'}下的记录
          </Tag>
        )}
      </Space>
      {list.error && (
        <Alert type="error" showIcon title={errorMessage(list.error)} style={{ marginBottom: 16 }} />
      )}
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <Empty
              description={
                isFiltered(filters)
                  ? `没有符合条件的${def.label}记录`
                  : `还没有登记${def.label}${canWrite ? '，可点击“登记”或“导入”' : ''}`
              }
            />
          ),
        }}
        pagination={serverPagination(filters, list.data?.total, (page, pageSize) =>
          setParams(paramsFromFilters({ ...filters, page, pageSize }), { replace: true }),
        )}
      />
      <RegistryDrawer kind={kind} id={viewing} onClose={() => setViewing(null)} actions={recordActions} />
      {editing && (
        <RegistryFormModal kind={kind} record={editing.record} open onClose={() => setEditing(null)} />
      )}
      <WithdrawModal kind={kind} record={withdrawing} onClose={() => setWithdrawing(null)} />
      <RegistryImportModal kind={kind} open={importing} onClose={() => setImporting(false)} />
    </Card>
  );
}
