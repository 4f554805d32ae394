import { PlusOutlined } from '@ant-design/icons';
import { type OneTimePassword, ROLE_LABELS, ROLES, type Role, type User } from '@kesu/shared';
import { Alert, App, Button, Card, Empty, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { ExportButtons } from '../../components/export-buttons';
import { isApiError } from '../../api/client';
import { UnitSelect } from '../units/unit-select';
import { errorMessage, formatDateTime } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { OneTimePasswordModal } from './one-time-password.modal';
import { UserFormModal } from './user-form.modal';
import {
  type UserFilters,
  useResetPassword,
  useRevokeUserSessions,
  useUpdateUser,
  useUserList,
} from './users.api';
import { serverPagination } from '../../components/server-pagination';

function isLocked(u: User): boolean {
  return u.lockedUntil !== null && new Date(u.lockedUntil).getTime() > Date.now();
}

function UserActions({
  user,
  isSelf,
  onEdit,
  onPassword,
}: {
  user: User;
  isSelf: boolean;
  onEdit: (u: User) => void;
  onPassword: (r: OneTimePassword) => void;
}) {
  const reset = useResetPassword();
  const revoke = useRevokeUserSessions();
  const update = useUpdateUser();
  const { message } = App.useApp();
  const fail = (e: unknown) =>
    void message.error(
      isApiError(e) && e.code === 'CONFLICT' ? '数据已被他人修改，列表已刷新，请重试' : errorMessage(e),
    );
  const name = user.displayName || user.username;
  return (
    <Space size={0} wrap>
      <Button type="link" size="small" onClick={() => onEdit(user)}>
        编辑
      </Button>
      <Popconfirm
        title={`重置「${name}」的密码？`}
        description="原密码立即失效，并生成一次性密码；对方登录后须修改密码。"
        okText="重置"
        okButtonProps={{ danger: true }}
        cancelText="取消"
        onConfirm={() => reset.mutateAsync(user.id).then(onPassword, fail)}
      >
        <Button type="link" size="small">
          重置密码
        </Button>
      </Popconfirm>
      <Popconfirm
        title={`注销「${name}」的全部会话？`}
        description="该用户在所有设备上的登录将立即失效。"
        okText="注销"
        okButtonProps={{ danger: true }}
        cancelText="取消"
        onConfirm={() => revoke.mutateAsync(user.id).then(() => void message.success('已注销全部会话'), fail)}
      >
        <Button type="link" size="small">
          注销会话
        </Button>
      </Popconfirm>
      {user.isActive ? (
        <Popconfirm
          title={`停用「${name}」？`}
          description="停用后该用户不能登录，现有会话立即失效。"
          okText="停用"
          okButtonProps={{ danger: true }}
          cancelText="取消"
          disabled={isSelf}
          onConfirm={() =>
            update
              .mutateAsync({ id: user.id, body: { isActive: false, version: user.version } })
              .then(() => void message.success('已停用'), fail)
          }
        >
          <Button
            type="link"
            size="small"
            danger
            disabled={isSelf}
            title={isSelf ? '不能停用自己' : undefined}
          >
            停用
          </Button>
        </Popconfirm>
      ) : (
        <Popconfirm
          title={`启用「${name}」？`}
          okText="启用"
          cancelText="取消"
          onConfirm={() =>
            update
              .mutateAsync({ id: user.id, body: { isActive: true, version: user.version } })
              .then(() => void message.success('已启用'), fail)
          }
        >
          <Button type="link" size="small">
            启用
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}

/** /users — accounts (admin only). */
export function UsersPage() {
  const me = useCurrentUser();
  const [filters, setFilters] = useState<UserFilters>({ page: 1, pageSize: 20 });
  const [editing, setEditing] = useState<{ user: User | null } | null>(null);
  const [password, setPassword] = useState<{ title: string; result: OneTimePassword } | null>(null);
  const list = useUserList(filters);

  const columns: ColumnsType<User> = [
    { title: '用户名', dataIndex: 'username' },
    { title: '姓名', dataIndex: 'displayName' },
    { title: '角色', dataIndex: 'role', render: (r: Role) => ROLE_LABELS[r] },
    { title: '单位', dataIndex: 'unitName', render: (v: string | null) => v ?? '—' },
    { title: '所属行政区划', dataIndex: 'jurisdictionName', render: (v: string | null) => v ?? '—' },
    {
      title: '状态',
      key: 'status',
      render: (_, u) => (
        <Space size={4} wrap>
          {u.isActive ? <Tag color="green">启用</Tag> : <Tag>已停用</Tag>}
          {isLocked(u) && <Tag color="red">已锁定</Tag>}
          {u.mustChangePassword && <Tag color="orange">待改密</Tag>}
        </Space>
      ),
    },
    { title: '最近登录', dataIndex: 'lastLoginAt', render: formatDateTime },
    {
      title: '操作',
      key: 'actions',
      fixed: 'right',
      render: (_, u) => (
        <UserActions
          user={u}
          isSelf={u.id === me.id}
          onEdit={(user) => setEditing({ user })}
          onPassword={(result) => setPassword({ title: '密码已重置', result })}
        />
      ),
    },
  ];

  return (
    <Card
      title="用户管理"
      extra={
        <Space>
          <ExportButtons table="users" query={{ q: filters.q, role: filters.role, unitId: filters.unitId }} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ user: null })}>
            新增用户
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          id="users-search"
          aria-label="搜索用户"
          placeholder="搜索用户名或姓名"
          allowClear
          style={{ width: 240 }}
          onSearch={(q) => setFilters((f) => ({ ...f, q: q.trim() || undefined, page: 1 }))}
        />
        <Select
          id="users-role"
          aria-label="角色"
          placeholder="全部角色"
          allowClear
          style={{ width: 140 }}
          value={filters.role}
          options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          onChange={(role?: Role) => setFilters((f) => ({ ...f, role, page: 1 }))}
        />
        <UnitSelect
          id="users-unit"
          placeholder="全部单位"
          style={{ width: 240 }}
          value={filters.unitId ?? null}
          onChange={(unitId) => setFilters((f) => ({ ...f, unitId: unitId ?? undefined, page: 1 }))}
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
      <Table<User>
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description="没有符合条件的用户" /> }}
        pagination={serverPagination(
          filters,
          list.data?.total,
          (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
          '个用户',
        )}
      />
      <UserFormModal
        open={editing !== null}
        user={editing?.user ?? null}
        onClose={() => setEditing(null)}
        onCreated={(result) => setPassword({ title: '用户已创建', result })}
      />
      <OneTimePasswordModal
        result={password?.result ?? null}
        title={password?.title ?? ''}
        onClose={() => setPassword(null)}
      />
    </Card>
  );
}
