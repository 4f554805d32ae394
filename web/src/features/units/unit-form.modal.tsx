import { UNIT_KIND_LABELS, UNIT_KINDS, type Unit, UnitCreateSchema, UnitUpdateSchema } from '@kesu/shared';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { applyServerFieldErrors, validateWith } from '../../lib/form-errors';
import { errorMessage } from '../../lib/format';
import { fetchUnit, useCreateUnit, useUpdateUnit } from './units.api';

interface Values {
  kind: Unit['kind'];
  name: string;
  shortName: string;
  aliases: string[];
  regionCode: string | null;
  sortOrder: number | null;
}

const KIND_OPTIONS = UNIT_KINDS.map((k) => ({ value: k, label: UNIT_KIND_LABELS[k] }));

function toValues(unit: Unit | null): Values {
  return unit
    ? {
        kind: unit.kind,
        name: unit.name,
        shortName: unit.shortName,
        aliases: unit.aliases,
        regionCode: unit.regionCode,
        sortOrder: unit.sortOrder,
      }
    : { kind: 'department', name: '', shortName: '', aliases: [], regionCode: null, sortOrder: 1000 };
}

/** Form values → the shape the shared schemas parse: blank code is "none", blank sort order is the default. */
function toPayload(v: Values) {
  const regionCode = v.regionCode?.trim() ? v.regionCode.trim() : null;
  return {
    kind: v.kind,
    name: v.name ?? '',
    shortName: v.shortName ?? '',
    aliases: (v.aliases ?? []).map((a) => a.trim()).filter(Boolean),
    regionCode,
    ...(v.sortOrder === null || v.sortOrder === undefined ? {} : { sortOrder: v.sortOrder }),
  };
}

interface Props {
  open: boolean;
  /** The unit to edit; null to create one. */
  unit: Unit | null;
  onClose: () => void;
}

/** Create or edit a unit. Edits carry the version read; a 409 reloads the unit and asks to check again. */
export function UnitFormModal({ open, unit, onClose }: Props) {
  const [form] = Form.useForm<Values>();
  const [current, setCurrent] = useState<Unit | null>(unit);
  const [notice, setNotice] = useState<{ type: 'error' | 'warning'; text: string } | null>(null);
  const create = useCreateUnit();
  const update = useUpdateUnit();
  const { message } = App.useApp();
  const isEdit = unit !== null;
  const pending = create.isPending || update.isPending;

  useEffect(() => {
    if (!open) return;
    setCurrent(unit);
    setNotice(null);
  }, [open, unit]);

  const onError = async (e: unknown) => {
    if (isApiError(e) && e.code === 'CONFLICT' && current) {
      try {
        const fresh = await fetchUnit(current.id);
        setCurrent(fresh);
        form.setFieldsValue(toValues(fresh));
        setNotice({ type: 'warning', text: '数据已被他人修改，已载入最新内容，请核对后重新保存。' });
      } catch (reloadError) {
        setNotice({ type: 'error', text: errorMessage(reloadError) });
      }
      return;
    }
    if (isApiError(e) && e.code === 'DUPLICATE') {
      form.setFields([{ name: 'name', errors: [e.message] }]);
      return;
    }
    if (applyServerFieldErrors(e, form)) return;
    setNotice({ type: 'error', text: errorMessage(e) });
  };

  const onFinish = (values: Values) => {
    setNotice(null);
    const payload = toPayload(values);
    if (current) {
      const v = validateWith(UnitUpdateSchema, { ...payload, version: current.version }, form);
      if (!v.ok) return;
      update.mutate(
        { id: current.id, body: v.data },
        {
          onSuccess: () => {
            void message.success('单位已保存');
            onClose();
          },
          onError: (e) => void onError(e),
        },
      );
    } else {
      const v = validateWith(UnitCreateSchema, payload, form);
      if (!v.ok) return;
      create.mutate(v.data, {
        onSuccess: (u) => {
          void message.success(`已新增单位「${u.name}」`);
          onClose();
        },
        onError: (e) => void onError(e),
      });
    }
  };

  return (
    <Modal
      open={open}
      title={isEdit ? '编辑单位' : '新增单位'}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={toValues(unit)}
        disabled={pending}
      >
        {notice && <Alert type={notice.type} showIcon title={notice.text} style={{ marginBottom: 16 }} />}
        <Form.Item label="全称" name="name" required>
          <Input name="name" autoFocus maxLength={100} placeholder="如：徐州市科学技术协会" />
        </Form.Item>
        <Form.Item label="简称" name="shortName" required>
          <Input name="shortName" maxLength={100} placeholder="如：市科协" />
        </Form.Item>
        <Form.Item label="类别" name="kind" required>
          <Select id="kind" options={KIND_OPTIONS} />
        </Form.Item>
        <Form.Item label="别名" name="aliases" extra="文件中出现的其他写法，输入后按回车添加">
          <Select
            id="aliases"
            mode="tags"
            suffixIcon={null}
            placeholder="如：科协"
            tokenSeparators={[',', '，', '、']}
            notFoundContent={null}
          />
        </Form.Item>
        <Form.Item label="行政区划代码" name="regionCode" extra="县(市)区填 6 位代码，其他单位可留空">
          <Input name="regionCode" maxLength={6} inputMode="numeric" placeholder="如：320311" />
        </Form.Item>
        <Form.Item label="排序" name="sortOrder" extra="数字越小越靠前">
          <InputNumber
            id="sortOrder"
            name="sortOrder"
            min={0}
            max={100000}
            precision={0}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose} disabled={false}>
            取消
          </Button>
          <Button type="primary" htmlType="submit" loading={pending}>
            保存
          </Button>
        </Space>
      </Form>
    </Modal>
  );
}
