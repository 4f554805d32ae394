import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { LoginBodySchema } from '@kesu/shared';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../lib/format';
import { validateWith } from '../../lib/form-errors';
import { useLogin, useMe } from './auth.api';
import { FORCED_PASSWORD_PATH, safeNext } from './require-auth';

interface LoginValues {
  username: string;
  password: string;
}

export function LoginPage() {
  const [form] = Form.useForm<LoginValues>();
  const [error, setError] = useState<string | null>(null);
  const login = useLogin();
  const me = useMe();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));

  // Already signed in (e.g. a bookmarked /login): go on. Not while a submit is in flight, which navigates itself.
  if (me.data && !login.isPending && !login.isSuccess) {
    return <Navigate to={me.data.mustChangePassword ? FORCED_PASSWORD_PATH : next} replace />;
  }

  const onFinish = (values: LoginValues) => {
    setError(null);
    // Untouched fields are undefined; the schema's own "请输入…" messages expect strings.
    const v = validateWith(
      LoginBodySchema,
      { username: values.username ?? '', password: values.password ?? '' },
      form,
    );
    if (!v.ok) return;
    login.mutate(v.data, {
      onSuccess: (user) => navigate(user.mustChangePassword ? FORCED_PASSWORD_PATH : next, { replace: true }),
      onError: (e) => {
        setError(errorMessage(e));
        form.setFieldValue('password', '');
      },
    });
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        background: '#f5f7fa',
        padding: 16,
      }}
    >
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 4 }}>
          科素
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          全民科学素质行动规划管理系统
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form
          form={form}
          layout="vertical"
          onFinish={onFinish}
          requiredMark={false}
          disabled={login.isPending}
        >
          <Form.Item label="用户名" name="username">
            <Input
              name="username"
              prefix={<UserOutlined />}
              autoComplete="username"
              autoFocus
              placeholder="请输入用户名"
            />
          </Form.Item>
          <Form.Item label="密码" name="password">
            <Input.Password
              name="password"
              prefix={<LockOutlined />}
              autoComplete="current-password"
              placeholder="请输入密码"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            登录
          </Button>
        </Form>
        <Typography.Paragraph style={{ textAlign: 'center', marginTop: 16, marginBottom: 0 }}>
          <Link to="/self-test">公民科学素质自测</Link> · <Link to="/public/for-you">为您推荐</Link> ·{' '}
          <Link to="/public/open-data">开放数据</Link>
          （无需登录）
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
