import { PlusOutlined } from '@ant-design/icons';
import {
  JURISDICTION_LEVEL_LABELS,
  type Jurisdiction,
  JurisdictionCreateSchema,
  type JurisdictionLevel,
  JurisdictionUpdateSchema,
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
  Select,
  Table,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { applyServerFieldErrors, validateWith } from '../../lib/form-errors';
import { errorMessage } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { BoundsModal } from './bounds.modal';
import { useCreateJurisdiction, useJurisdictions, useUpdateJurisdiction } from './jurisdictions.api';

/** What may sit below each level: a province hosts cities; a city its counties and function zones. */
const CHILD_LEVELS: Record<JurisdictionLevel, JurisdictionLevel[]> = {
  province: ['city'],
  city: ['county', 'zone'],
  county: [],
  zone: [],
};

interface Values {
  name: string;
  shortName: string;
  code: string | null;
  level: JurisdictionLevel;
  sortOrder: number | null;
}

type Editing = { mode: 'create'; parent: Jurisdiction } | { mode: 'edit'; item: Jurisdiction };

function JurisdictionFormModal({ editing, onClose }: { editing: Editing | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const create = useCreateJurisdiction();
  const update = useUpdateJurisdiction();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const levels = editing?.mode === 'create' ? CHILD_LEVELS[editing.parent.level] : [];

  useEffect(() => {
    if (!editing) return;
    setError(null);
    form.setFieldsValue(
      editing.mode === 'edit'
        ? {
            name: editing.item.name,
            shortName: editing.item.shortName,
            code: editing.item.code,
            level: editing.item.level,
            sortOrder: editing.item.sortOrder,
          }
        : { name: '', shortName: '', code: null, level: levels[0] ?? 'county', sortOrder: 1000 },
    );
  }, [editing, form, levels]);

  const payload = (v: Values) => ({
    name: v.name ?? '',
    shortName: v.shortName?.trim() ? v.shortName : (v.name ?? ''),
    code: v.code?.trim() ? v.code.trim() : null,
    ...(v.sortOrder === null || v.sortOrder === undefined ? {} : { sortOrder: v.sortOrder }),
  });

  const onFinish = async (v: Values) => {
    if (!editing) return;
    try {
      if (editing.mode === 'create') {
        const body = validateWith(
          JurisdictionCreateSchema,
          { ...payload(v), parentId: editing.parent.id, level: v.level },
          form,
        );
        if (!body.ok) return;
        await create.mutateAsync(body.data);
        void message.success('已增加下级行政区划');
      } else {
        const body = validateWith(
          JurisdictionUpdateSchema,
          { ...payload(v), version: editing.item.version },
          form,
        );
        if (!body.ok) return;
        await update.mutateAsync({ id: editing.item.id, body: body.data });
        void message.success('已保存');
      }
      onClose();
    } catch (e) {
      if (applyServerFieldErrors(e, form)) return;
      if (isApiError(e) && e.code === 'CONFLICT') setError('数据已被他人修改，请关闭后刷新再改。');
      else setError(errorMessage(e));
    }
  };

  return (
    <Modal
      open={editing !== null}
      title={editing?.mode === 'create' ? `在「${editing.parent.name}」下增加` : '修改行政区划'}
      okText="保存"
      cancelText="取消"
      confirmLoading={create.isPending || update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={onFinish} requiredMark="optional">
        <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
          <Input id="jurisdiction-name" placeholder="如：丰县" maxLength={50} autoFocus />
        </Form.Item>
        <Form.Item name="shortName" label="简称" extra="不填则与名称相同">
          <Input id="jurisdiction-short-name" maxLength={50} />
        </Form.Item>
        {editing?.mode === 'create' && (
          <Form.Item name="level" label="层级" rules={[{ required: true, message: '请选择层级' }]}>
            <Select
              id="jurisdiction-level"
              options={levels.map((l) => ({ value: l, label: JURISDICTION_LEVEL_LABELS[l] }))}
            />
          </Form.Item>
        )}
        <Form.Item name="code" label="行政区划代码" extra="6 位数字（GB/T 2260）；功能区可不填">
          <Input id="jurisdiction-code" maxLength={6} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="sortOrder" label="排序">
          <InputNumber id="jurisdiction-sort" min={0} max={100000} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** /jurisdictions — the tree of 行政区划 the admin works in: its own and those below, with their units and accounts. */
export function JurisdictionsPage() {
  const me = useCurrentUser();
  const list = useJurisdictions();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [bounding, setBounding] = useState<Jurisdiction | null>(null);
  const items = list.data?.items ?? [];
  const own = items.find((j) => j.id === me.jurisdictionId) ?? items[0];
  const canEdit = (j: Jurisdiction) => j.id === own?.id || j.parentId === own?.id;

  const columns: ColumnsType<Jurisdiction> = [
    {
      title: '名称',
      dataIndex: 'name',
      render: (name: string, j) => (
        <span style={{ paddingLeft: j.depth * 24 }}>
          {j.depth > 0 && (
            <Typography.Text type="secondary" aria-hidden>
              └{' '}
            </Typography.Text>
          )}
          {name}
        </span>
      ),
    },
    { title: '层级', dataIndex: 'level', render: (l: JurisdictionLevel) => JURISDICTION_LEVEL_LABELS[l] },
    { title: '行政区划代码', dataIndex: 'code', render: (c: string | null) => c ?? '—' },
    {
      title: '上级规划中的单位',
      dataIndex: 'governmentUnitName',
      render: (n: string | null) => n ?? '—',
    },
    { title: '单位数', dataIndex: 'unitCount', align: 'right' },
    { title: '账号数', dataIndex: 'userCount', align: 'right' },
    {
      title: '经纬度范围',
      dataIndex: 'bounds',
      width: 150,
      render: (b: Jurisdiction['bounds']) =>
        b ? (
          <span style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
            东经 {b.minLng}～{b.maxLng}
            <br />
            北纬 {b.minLat}～{b.maxLat}
          </span>
        ) : (
          <Typography.Text type="secondary">沿用上级</Typography.Text>
        ),
    },
    {
      title: '操作',
      key: 'actions',
      // Kept in view at the right edge: at 1366 px the table scrolls inside itself, never the buttons away.
      fixed: 'right',
      width: 120,
      render: (_, j) =>
        canEdit(j) ? (
          <>
            <Button type="link" size="small" onClick={() => setEditing({ mode: 'edit', item: j })}>
              编辑
            </Button>
            <Button type="link" size="small" onClick={() => setBounding(j)}>
              范围
            </Button>
          </>
        ) : null,
    },
  ];

  const childLevels = own ? CHILD_LEVELS[own.level] : [];
  return (
    <Card
      title="行政区划"
      extra={
        own &&
        childLevels.length > 0 && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing({ mode: 'create', parent: own })}
          >
            增加下级
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">
        每个行政区划有自己的规划（实施方案）、单位和账号。本级管理员管理本级的单位、账号和规划，查看下级的情况；下级的管理员账号由本级开设。
      </Typography.Paragraph>
      {list.isError && (
        <Alert
          type="error"
          showIcon
          title={errorMessage(list.error)}
          action={<Button onClick={() => void list.refetch()}>重试</Button>}
          style={{ marginBottom: 16 }}
        />
      )}
      <Table<Jurisdiction>
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={list.isFetching}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description="暂无行政区划" /> }}
      />
      <JurisdictionFormModal editing={editing} onClose={() => setEditing(null)} />
      <BoundsModal item={bounding} onClose={() => setBounding(null)} />
    </Card>
  );
}
