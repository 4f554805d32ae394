import { LogoutOutlined } from '@ant-design/icons';
import { ROLE_LABELS } from '@kesu/shared';
import { App, Button, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { Suspense, useEffect } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { ErrorBoundary } from '../components/error-boundary';
import { useLogout } from '../features/auth/auth.api';
import { useCurrentUser } from '../features/auth/require-auth';
import { NotificationBell } from '../features/notifications/notification-bell';
import { errorMessage } from '../lib/format';
import { activeNavPath, dashboardTitle, navForRole } from './nav';

const { Header, Sider, Content } = Layout;

function UserBox() {
  const me = useCurrentUser();

  const logout = useLogout();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const onLogout = () =>
    logout.mutate(undefined, {
      onError: (e) => void message.error(errorMessage(e)),
      onSettled: () => navigate('/login', { replace: true }),
    });
  return (
    <Space size="middle" wrap>
      <span data-testid="current-user">
        <Typography.Text strong>{me.displayName}</Typography.Text>{' '}
        <Tag color="blue" className="kesu-wide-only">
          {ROLE_LABELS[me.role]}
        </Tag>
        {(me.unitName ?? me.jurisdictionName) && (
          <Typography.Text type="secondary" className="kesu-wide-only">
            {me.unitName ?? me.jurisdictionName}
          </Typography.Text>
        )}
      </span>
      <Button
        icon={<LogoutOutlined />}
        onClick={onLogout}
        loading={logout.isPending}
        aria-label="退出登录"
        title="退出登录"
      >
        <span className="kesu-wide-only">退出登录</span>
      </Button>
    </Space>
  );
}

function Brand() {
  return (
    <Link to="/" style={{ color: 'inherit', fontWeight: 600, fontSize: 16, whiteSpace: 'nowrap' }}>
      科素<span className="kesu-wide-only"> · 全民科学素质行动规划</span>
    </Link>
  );
}

/** The browser tab says where you are: “填报事项 · 科素”. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · 科素` : '科素 · 全民科学素质行动规划';
  }, [title]);
}

function PageOutlet() {
  const location = useLocation();
  return (
    <ErrorBoundary key={location.pathname}>
      <Suspense fallback={<Spin style={{ display: 'block', margin: '80px auto' }} />}>
        <Outlet />
      </Suspense>
    </ErrorBoundary>
  );
}

const headerStyle = {
  background: '#fff',
  display: 'flex',
  alignItems: 'center',
  justifyContent: 'space-between',
  gap: 16,
  paddingInline: 'clamp(12px, 3vw, 24px)',
  borderBottom: '1px solid #f0f0f0',
} as const;

/** Signed-in shell: role-filtered menu, user box, page. While a password change is forced it shows nothing else. */
export function AppLayout() {
  const me = useCurrentUser();
  const location = useLocation();
  // A county's staff see their own jurisdiction's dashboard (丰县看板), not the city's.
  const items = navForRole(me.role, undefined, me.atRoot).map((i) =>
    i.path === '/dashboard' && !me.atRoot ? { ...i, label: dashboardTitle(me) } : i,
  );
  const selected = activeNavPath(location.pathname, items);
  usePageTitle(me.mustChangePassword ? '修改密码' : items.find((i) => i.path === selected)?.label);
  if (me.mustChangePassword) {
    return (
      <Layout style={{ minHeight: '100vh' }}>
        <Header style={headerStyle}>
          <Brand />
          <UserBox />
        </Header>
        <Content style={{ padding: 24 }}>
          <PageOutlet />
        </Content>
      </Layout>
    );
  }
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header style={headerStyle} className="kesu-no-print">
        <Brand />
        <Space size="small">
          <NotificationBell />
          <UserBox />
        </Space>
      </Header>
      <Layout>
        <Sider theme="light" breakpoint="lg" collapsedWidth={0} width={200} className="kesu-no-print">
          <Menu
            mode="inline"
            aria-label="主导航"
            selectedKeys={selected ? [selected] : []}
            style={{ height: '100%', borderInlineEnd: 0 }}
            items={items.map((item) => ({
              key: item.path,
              icon: item.icon,
              label: <Link to={item.path}>{item.label}</Link>,
            }))}
          />
        </Sider>
        <Content style={{ padding: 'clamp(8px, 2.5vw, 24px)', minWidth: 0 }} className="kesu-page">
          <PageOutlet />
        </Content>
      </Layout>
    </Layout>
  );
}
