import {
  checkRegistryInput,
  REGISTRY_COLUMN_ORDER,
  REGISTRY_DEFINITIONS,
  type RegistryDetail,
  type RegistryRecordInput,
  RegistryRecordInputSchema,
  type ResourceKind,
} from '@kesu/shared';
import { Alert, App, Button, Col, Form, Input, InputNumber, Modal, Row, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { useDebounced } from '../../lib/use-debounced';
import { errorMessage } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { useJurisdictionNames } from '../jurisdictions/jurisdictions.api';
import { UnitSelect } from '../units/unit-select';
import { fetchRegistryRecord, useParentOptions, useSaveRecord } from './registries.api';

type Values = Record<string, unknown> & { details?: Record<string, string> };

const DATE_HINT = 'YYYY-MM-DD，如 2025-06-30';

function toValues(r: RegistryDetail | null): Values {
  if (!r) return { details: {} };
  return {
    name: r.name,
    jurisdictionId: r.jurisdictionId,
    unitId: r.unitId,
    level: r.level ?? undefined,
    category: r.category ?? undefined,
    theme: r.theme ?? undefined,
    recognisedOn: r.recognisedOn ?? undefined,
    expiresOn: r.expiresOn ?? undefined,
    withdrawnOn: r.withdrawnOn ?? undefined,
    withdrawnReason: r.withdrawnReason ?? undefined,
    quantity: r.quantity ?? undefined,
    hours: r.hours ?? undefined,
    address: r.address ?? undefined,
    longitude: r.longitude ?? undefined,
    latitude: r.latitude ?? undefined,
    openToPublic: r.openToPublic === null ? undefined : r.openToPublic ? 'yes' : 'no',
    openingHours: r.openingHours ?? undefined,
    parentId: r.parentId ?? undefined,
    details: r.details,
  };
}

const blank = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : v;

/** Form values → the API input (blank fields null; 是/否 as a boolean). */
export function toInput(v: Values): RegistryRecordInput {
  const details = Object.fromEntries(
    Object.entries(v.details ?? {}).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '',
    ),
  );
  const text = (k: string) => (blank(v[k]) as string | null) ?? null;
  return {
    name: String(v.name ?? ''),
    ...(v.jurisdictionId ? { jurisdictionId: String(v.jurisdictionId) } : {}),
    ...(v.unitId ? { unitId: String(v.unitId) } : {}),
    level: (blank(v.level) as RegistryRecordInput['level']) ?? null,
    category: text('category'),
    theme: text('theme'),
    recognisedOn: text('recognisedOn'),
    expiresOn: text('expiresOn'),
    withdrawnOn: text('withdrawnOn'),
    withdrawnReason: text('withdrawnReason'),
    quantity: (blank(v.quantity) as number | null) ?? null,
    hours: (blank(v.hours) as number | null) ?? null,
    address: text('address'),
    longitude: (blank(v.longitude) as number | null) ?? null,
    latitude: (blank(v.latitude) as number | null) ?? null,
    openToPublic: v.openToPublic === 'yes' ? true : v.openToPublic === 'no' ? false : null,
    openingHours: text('openingHours'),
    parentId: text('parentId'),
    details,
  };
}

/** `body.details.contact` / `details.contact` → the form field name path. */
function fieldName(path: string): (string | number)[] {
  const parts = path.replace(/^body\./, '').split('.');
  return parts[0] === 'details' ? ['details', parts.slice(1).join('.')] : [parts[0] ?? ''];
}

function ParentSelect({
  kind,
  value,
  onChange,
  label,
}: {
  kind: ResourceKind;
  value?: string;
  onChange?: (v?: string) => void;
  label: string | null;
}) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const list = useParentOptions(kind, q);
  const options = (list.data?.items ?? []).map((r) => ({
    value: r.id,
    label: `${r.name}（${r.jurisdictionName}）`,
  }));
  if (value && label && !options.some((o) => o.value === value)) options.unshift({ value, label });
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={value}
      onChange={onChange}
      options={options}
      placeholder="输入名称搜索"
      notFoundContent={list.isFetching ? '搜索中…' : '没有匹配的记录'}
    />
  );
}

interface Props {
  kind: ResourceKind;
  /** The record to edit; null to create one. */
  record: RegistryDetail | null;
  open: boolean;
  onClose: () => void;
}

/**
 * Create or edit a record of a kind: the fields its definition uses, required ones marked, checked with the same
 * rules as the server before sending; Enter saves. A 409 reloads the record and asks to check again.
 */
export function RegistryFormModal({ kind, record, open, onClose }: Props) {
  const def = REGISTRY_DEFINITIONS[kind];
  const me = useCurrentUser();
  const places = useJurisdictionNames();
  const [form] = Form.useForm<Values>();
  const [current, setCurrent] = useState<RegistryDetail | null>(record);
  const [notice, setNotice] = useState<{ type: 'error' | 'warning'; text: string } | null>(null);
  const save = useSaveRecord(kind);
  const { message } = App.useApp();

  useEffect(() => {
    if (!open) return;
    setCurrent(record);
    setNotice(null);
    form.resetFields();
    form.setFieldsValue(toValues(record));
  }, [open, record, form]);

  const showIssues = (issues: { path: string; message: string }[]) => {
    const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
    for (const i of issues) {
      const name = fieldName(i.path);
      const key = name.join('.');
      const entry = byField.get(key) ?? { name, errors: [] };
      entry.errors.push(i.message);
      byField.set(key, entry);
    }
    form.setFields([...byField.values()]);
  };

  const onError = async (e: unknown) => {
    if (isApiError(e) && e.code === 'CONFLICT' && current) {
      try {
        const fresh = await fetchRegistryRecord(kind, current.id);
        setCurrent(fresh);
        form.setFieldsValue(toValues(fresh));
        setNotice({ type: 'warning', text: '该记录已被他人修改，已载入最新内容，请核对后重新保存。' });
      } catch (reloadError) {
        setNotice({ type: 'error', text: errorMessage(reloadError) });
      }
      return;
    }
    const fields = isApiError(e)
      ? (e.details as { fields?: { path: string; message: string }[] } | undefined)?.fields
      : undefined;
    if (fields?.length) showIssues(fields);
    setNotice({ type: 'error', text: errorMessage(e) });
  };

  const onFinish = (values: Values) => {
    setNotice(null);
    const input = toInput(values);
    const parsed = RegistryRecordInputSchema.safeParse(input);
    if (!parsed.success) {
      showIssues(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      return;
    }
    const issues = checkRegistryInput(kind, parsed.data);
    if (issues.length) {
      showIssues(issues);
      return;
    }
    save.mutate(
      { id: current?.id ?? null, body: current ? { ...parsed.data, version: current.version } : parsed.data },
      {
        onSuccess: (r) => {
          void message.success(current ? '已保存' : `已登记「${r.name}」`);
          onClose();
        },
        onError: (e) => void onError(e),
      },
    );
  };

  const c = def.columns;
  const dateItem = (name: string, label: string, required?: boolean) => (
    <Form.Item label={label} name={name} required={required} key={name}>
      <Input placeholder={DATE_HINT} maxLength={10} inputMode="numeric" />
    </Form.Item>
  );
  const items: React.ReactNode[] = [];
  for (const column of REGISTRY_COLUMN_ORDER) {
    const f = c[column];
    if (!f) continue;
    if (column === 'level')
      items.push(
        <Form.Item label={f.label} name="level" required={f.required} key="level">
          <Select
            allowClear
            options={(def.levels ?? []).map((l) => ({ value: l, label: l }))}
            placeholder="请选择"
          />
        </Form.Item>,
      );
    else if (column === 'category')
      items.push(
        <Form.Item label={f.label} name="category" required={f.required} key="category">
          {def.categories ? (
            <Select
              allowClear
              options={def.categories.map((x) => ({ value: x, label: x }))}
              placeholder="请选择"
            />
          ) : (
            <Input maxLength={40} />
          )}
        </Form.Item>,
      );
    else if (column === 'theme' || column === 'address' || column === 'openingHours')
      items.push(
        <Form.Item label={f.label} name={column} required={f.required} key={column}>
          <Input maxLength={column === 'address' ? 200 : 100} />
        </Form.Item>,
      );
    else if (column === 'recognisedOn' || column === 'expiresOn')
      items.push(dateItem(column, f.label, f.required));
    else if (column === 'quantity' || column === 'hours')
      items.push(
        <Form.Item label={f.label} name={column} required={f.required} key={column}>
          <InputNumber min={0} precision={column === 'quantity' ? 0 : 1} style={{ width: '100%' }} />
        </Form.Item>,
      );
    else if (column === 'coordinates')
      for (const [name, label, hint] of [
        ['longitude', '经度', '如 117.18'],
        ['latitude', '纬度', '如 34.26'],
      ] as const)
        items.push(
          <Form.Item label={`${label}（可不填）`} name={name} key={name}>
            <InputNumber placeholder={hint} style={{ width: '100%' }} />
          </Form.Item>,
        );
    else if (column === 'openToPublic')
      items.push(
        <Form.Item label={f.label} name="openToPublic" key="openToPublic">
          <Select
            allowClear
            options={[
              { value: 'yes', label: '是' },
              { value: 'no', label: '否' },
            ]}
            placeholder="请选择"
          />
        </Form.Item>,
      );
    else if (column === 'parent' && def.parentKind)
      items.push(
        <Form.Item label={f.label} name="parentId" required={f.required} key="parent">
          <ParentSelect kind={def.parentKind} label={current?.parentName ?? null} />
        </Form.Item>,
      );
  }
  for (const d of def.details)
    items.push(
      <Form.Item label={d.label} name={['details', d.key]} required={d.required} key={`d-${d.key}`}>
        <Input maxLength={d.max ?? 200} />
      </Form.Item>,
    );
  if (current?.withdrawnOn && c.withdrawn) {
    items.push(dateItem('withdrawnOn', `${c.withdrawn.label}日期`));
    items.push(
      <Form.Item label={`${c.withdrawn.label}原因`} name="withdrawnReason" key="withdrawnReason">
        <Input maxLength={200} />
      </Form.Item>,
    );
  }

  return (
    <Modal
      open={open}
      title={current ? `编辑${def.label}` : `登记${def.label}`}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={720}
      mask={{ closable: false }}
    >
      <Form form={form} layout="vertical" onFinish={onFinish} disabled={save.isPending}>
        {notice && <Alert type={notice.type} showIcon title={notice.text} style={{ marginBottom: 16 }} />}
        <Form.Item label={def.nameLabel} name="name" required>
          <Input autoFocus maxLength={100} />
        </Form.Item>
        <Row gutter={16}>
          {places.size > 1 && me.role === 'admin' && (
            <Col xs={24} sm={12}>
              <Form.Item label="所属行政区划" name="jurisdictionId" tooltip="留空为本级">
                <Select
                  allowClear
                  placeholder="本级"
                  options={[...places.values()].map((j) => ({ value: j.id, label: j.name }))}
                />
              </Form.Item>
            </Col>
          )}
          {me.role === 'admin' && (
            <Col xs={24} sm={12}>
              <Form.Item label="登记单位" name="unitId" required tooltip="保管并维护这条记录的单位">
                <UnitSelect selectedLabel={current?.unitName ?? null} />
              </Form.Item>
            </Col>
          )}
          {items.map((node, k) => (
            <Col xs={24} sm={12} key={(node as { key?: string }).key ?? k}>
              {node}
            </Col>
          ))}
        </Row>
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            保存
          </Button>
        </Space>
      </Form>
    </Modal>
  );
}
