import { ROLE_LABELS, type Session } from '@kesu/shared';
import { Alert, App, Button, Card, Descriptions, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { errorMessage, formatDateTime } from '../../lib/format';
import { useRevokeSession, useSessions } from './auth.api';
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
            title: '浏览器',
            dataIndex: 'userAgent',
            render: (v: string | null) => (
              <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 280 }}>
                {v ?? '—'}
              </Typography.Text>
            ),
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
      <Card title="修改密码">
        <ChangePasswordForm />
      </Card>
      <SessionsCard />
    </Space>
  );
}
