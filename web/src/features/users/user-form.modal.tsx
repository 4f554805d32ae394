import {
  ROLE_LABELS,
  ROLES,
  type OneTimePassword,
  type Role,
  type User,
  UserCreateSchema,
  UserUpdateSchema,
} from '@kesu/shared';
import { Alert, App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { useCurrentUser } from '../auth/require-auth';
import { useJurisdictions } from '../jurisdictions/jurisdictions.api';
import { UnitSelect } from '../units/unit-select';
import { applyServerFieldErrors, validateWith } from '../../lib/form-errors';
import { errorMessage } from '../../lib/format';
import { useCreateUser, useUpdateUser } from './users.api';

interface Values {
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  jurisdictionId: string | null;
}

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

interface Props {
  open: boolean;
  /** The user to edit; null to create one. */
  user: User | null;
  onClose: () => void;
  /** After a create: the new user and the one-time password to show. */
  onCreated: (result: OneTimePassword) => void;
}

export function UserFormModal({ open, user, onClose, onCreated }: Props) {
  const [form] = Form.useForm<Values>();
  const role = Form.useWatch('role', form);
  const [error, setError] = useState<string | null>(null);
  const create = useCreateUser();
  const update = useUpdateUser();
  const { message } = App.useApp();
  const pending = create.isPending || update.isPending;
  const me = useCurrentUser();
  const places = useJurisdictions().data?.items ?? [];
  const own = places.find((j) => j.id === me.jurisdictionId) ?? places[0];
  // An admin opens accounts in its own jurisdiction, and the admin accounts of the jurisdictions directly below.
  const childPlaces = own ? places.filter((j) => j.parentId === own.id) : [];

  useEffect(() => {
    if (open) setError(null);
  }, [open]);

  const onError = (e: unknown) => {
    if (isApiError(e) && e.code === 'DUPLICATE') {
      form.setFields([{ name: 'username', errors: [e.message] }]);
    } else if (isApiError(e) && e.code === 'CONFLICT') {
      setError('数据已被他人修改，列表已刷新。请关闭后重新打开编辑。');
    } else if (!applyServerFieldErrors(e, form)) {
      setError(errorMessage(e));
    }
  };

  const onFinish = (values: Values) => {
    setError(null);
    // Only reporters belong to a unit; switching away from 填报单位 drops it.
    const unitId = values.role === 'reporter' ? (values.unitId ?? null) : null;
    if (values.role === 'reporter' && !unitId) {
      form.setFields([{ name: 'unitId', errors: ['填报单位用户必须选择所属单位'] }]);
      return;
    }
    if (user) {
      const v = validateWith(
        UserUpdateSchema,
        { displayName: values.displayName ?? '', role: values.role, unitId, version: user.version },
        form,
      );
      if (!v.ok) return;
      update.mutate(
        { id: user.id, body: v.data },
        {
          onSuccess: () => {
            void message.success('用户已保存');
            onClose();
          },
          onError,
        },
      );
    } else {
      const v = validateWith(
        UserCreateSchema,
        {
          username: values.username ?? '',
          displayName: values.displayName ?? '',
          role: values.role,
          unitId,
          jurisdictionId: values.role === 'admin' ? (values.jurisdictionId ?? null) : null,
        },
        form,
      );
      if (!v.ok) {
        if (v.formErrors.length) setError(v.formErrors.join('；'));
        return;
      }
      create.mutate(v.data, {
        onSuccess: (result) => {
          onClose();
          onCreated(result);
        },
        onError,
      });
    }
  };

  const initial: Values = user
    ? {
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        unitId: user.unitId,
        jurisdictionId: user.jurisdictionId,
      }
    : { username: '', displayName: '', role: 'reporter', unitId: null, jurisdictionId: own?.id ?? null };

  return (
    <Modal
      open={open}
      title={user ? '编辑用户' : '新增用户'}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Form form={form} layout="vertical" onFinish={onFinish} initialValues={initial} disabled={pending}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form.Item
          label="用户名"
          name="username"
          required={!user}
          extra={user ? '用户名创建后不能修改' : undefined}
        >
          <Input
            name="username"
            autoFocus={!user}
            disabled={Boolean(user)}
            autoComplete="off"
            maxLength={64}
          />
        </Form.Item>
        <Form.Item label="姓名" name="displayName" required>
          <Input name="displayName" autoFocus={Boolean(user)} maxLength={64} />
        </Form.Item>
        <Form.Item label="角色" name="role" required>
          <Select id="role" options={ROLE_OPTIONS} />
        </Form.Item>
        {!user && role === 'admin' && own && childPlaces.length > 0 && (
          <Form.Item
            label="管理的行政区划"
            name="jurisdictionId"
            extra="选择下级（如某县）即开设该县的管理员账号；县里的其他账号由县管理员开设"
          >
            <Select
              id="jurisdictionId"
              options={[own, ...childPlaces].map((j) => ({ value: j.id, label: j.name }))}
            />
          </Form.Item>
        )}
        {role === 'reporter' && (
          <Form.Item label="所属单位" name="unitId" required>
            <UnitSelect id="unitId" selectedLabel={user?.unitName ?? null} />
          </Form.Item>
        )}
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
