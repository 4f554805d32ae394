import { ChangePasswordBodySchema, LIMITS, type Me } from '@kesu/shared';
import { Alert, App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { applyServerFieldErrors, validateWith } from '../../lib/form-errors';
import { errorMessage } from '../../lib/format';
import { useChangePassword } from './auth.api';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** Current, new and repeated password; validated with the shared NewPasswordSchema before it is sent. */
export function ChangePasswordForm({ onChanged }: { onChanged?: (me: Me) => void }) {
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const change = useChangePassword();
  const { message } = App.useApp();

  const onFinish = (values: Values) => {
    setError(null);
    const body = { currentPassword: values.currentPassword ?? '', newPassword: values.newPassword ?? '' };
    const v = validateWith(ChangePasswordBodySchema, body, form);
    const mismatch = (values.confirmPassword ?? '') !== body.newPassword;
    if (mismatch) form.setFields([{ name: 'confirmPassword', errors: ['两次输入的新密码不一致'] }]);
    else form.setFields([{ name: 'confirmPassword', errors: [] }]);
    if (!v.ok || mismatch) return;
    if (body.newPassword === body.currentPassword) {
      form.setFields([{ name: 'newPassword', errors: ['新密码不能与当前密码相同'] }]);
      return;
    }
    change.mutate(v.data, {
      onSuccess: (me) => {
        form.resetFields();
        void message.success('密码已修改');
        onChanged?.(me);
      },
      onError: (e) => {
        if (applyServerFieldErrors(e, form)) return;
        if (isApiError(e) && e.code === 'INVALID_CREDENTIALS') {
          form.setFields([{ name: 'currentPassword', errors: ['当前密码不正确'] }]);
        } else if (isApiError(e) && e.code === 'WEAK_PASSWORD') {
          form.setFields([{ name: 'newPassword', errors: [e.message] }]);
        } else {
          setError(errorMessage(e));
        }
      },
    });
  };

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={onFinish}
      style={{ maxWidth: 420 }}
      disabled={change.isPending}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
      <Form.Item label="当前密码" name="currentPassword">
        <Input.Password name="currentPassword" autoComplete="current-password" autoFocus />
      </Form.Item>
      <Form.Item
        label="新密码"
        name="newPassword"
        extra={`至少 ${LIMITS.passwordMin} 个字符，须同时包含字母和数字`}
      >
        <Input.Password name="newPassword" autoComplete="new-password" />
      </Form.Item>
      <Form.Item label="确认新密码" name="confirmPassword">
        <Input.Password name="confirmPassword" autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={change.isPending}>
        修改密码
      </Button>
    </Form>
  );
}
