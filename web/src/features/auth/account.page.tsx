import {
  type ContactUpdate,
  NOTIFY_CHANNEL_LABELS,
  NOTIFY_CHANNELS,
  ROLE_LABELS,
  type Session,
} from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Popconfirm,
  Space,
  Table,
  Tag,
} from 'antd';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { describeDevice } from '../../lib/device';
import { applyServerFieldErrors } from '../../lib/form-errors';
import { errorMessage, formatDateTime } from '../../lib/format';
import { useMyContact, useRevokeSession, useSaveContact, useSessions } from './auth.api';
import { ChangePasswordForm } from './change-password.form';
import { useCurrentUser } from './require-auth';

/** /account/password — also the only page shown while a password change is forced. */
export function ChangePasswordPage() {
  const me = useCurrentUser();
  const navigate = useNavigate();
  return (
    <Card title={me.mustChangePassword ? '首次登录，请修改密码' : '修改密码'} style={{ maxWidth: 560 }}>
      {me.mustChangePassword && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="为保障账号安全，须先设置新密码才能继续使用系统。"
        />
      )}
      <ChangePasswordForm onChanged={() => navigate('/', { replace: true })} />
    </Card>
  );
}

function SessionsCard() {
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const { message } = App.useApp();
  return (
    <Card title="我的登录会话">
      {sessions.isError && <Alert type="error" showIcon title={errorMessage(sessions.error)} />}
      <Table<Session>
        rowKey="id"
        size="small"
        loading={sessions.isPending}
        dataSource={sessions.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '暂无会话' }}
        columns={[
          { title: '登录时间', dataIndex: 'createdAt', render: formatDateTime },
          { title: '最近活动', dataIndex: 'lastSeenAt', render: formatDateTime },
          { title: 'IP 地址', dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
          {
            title: '设备',
            dataIndex: 'userAgent',
            render: (v: string | null) => describeDevice(v),
          },
          {
            title: '操作',
            key: 'actions',
            render: (_, s) =>
              s.isCurrent ? (
                <Tag color="green">当前会话</Tag>
              ) : (
                <Popconfirm
                  title="注销该会话？"
                  description="该设备上的登录将立即失效。"
                  okText="注销"
                  cancelText="取消"
                  onConfirm={() =>
                    revoke.mutateAsync(s.id).then(
                      () => void message.success('会话已注销'),
                      (e: unknown) => void message.error(errorMessage(e)),
                    )
                  }
                >
                  <Button size="small" danger>
                    注销
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </Card>
  );
}

/** Phone, e-mail and the channels notifications also go to (in-app is always on). */
function ContactCard() {
  const contact = useMyContact();
  const save = useSaveContact();
  const { message } = App.useApp();
  const [form] = Form.useForm<ContactUpdate>();
  useEffect(() => {
    if (contact.data)
      form.setFieldsValue({
        phone: contact.data.phone,
        email: contact.data.email,
        notifyChannels: contact.data.notifyChannels,
      });
  }, [contact.data, form]);
  const configured = contact.data?.configuredChannels ?? [];
  const onFinish = async (v: ContactUpdate) => {
    try {
      await save.mutateAsync({
        phone: v.phone || null,
        email: v.email || null,
        notifyChannels: v.notifyChannels ?? [],
      });
      message.success('已保存');
    } catch (e) {
      if (!applyServerFieldErrors(e, form)) message.error(errorMessage(e));
    }
  };
  return (
    <Card title="联系方式与通知">
      <Form<ContactUpdate>
        form={form}
        layout="vertical"
        style={{ maxWidth: 520 }}
        onFinish={(v) => void onFinish(v)}
      >
        <Form.Item name="phone" label="手机号（选填）">
          <Input inputMode="tel" autoComplete="tel" placeholder="工作群机器人按手机号 @ 您" />
        </Form.Item>
        <Form.Item name="email" label="电子邮箱（选填）">
          <Input type="email" autoComplete="email" />
        </Form.Item>
        <Form.Item name="notifyChannels" label="除站内通知外，还通过以下方式通知我">
          <Checkbox.Group
            options={NOTIFY_CHANNELS.map((c) => ({
              value: c,
              label: configured.includes(c)
                ? NOTIFY_CHANNEL_LABELS[c]
                : `${NOTIFY_CHANNEL_LABELS[c]}（系统未配置，暂不发送）`,
            }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          保存
        </Button>
      </Form>
    </Card>
  );
}

/** /account — who I am, change password, my sessions. */
export function AccountPage() {
  const me = useCurrentUser();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title="账号信息">
        <Descriptions column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label="用户名">{me.username}</Descriptions.Item>
          <Descriptions.Item label="姓名">{me.displayName}</Descriptions.Item>
          <Descriptions.Item label="角色">{ROLE_LABELS[me.role]}</Descriptions.Item>
          <Descriptions.Item label="单位">{me.unitName ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <ContactCard />
      <Card title="修改密码">
        <ChangePasswordForm />
      </Card>
      <SessionsCard />
    </Space>
  );
}
