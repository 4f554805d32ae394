import type { Me, Role } from '@kesu/shared';
import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { errorMessage } from '../../lib/format';
import { ForbiddenPage } from '../../components/status-pages';
import { useMe } from './auth.api';

export const FORCED_PASSWORD_PATH = '/account/password';

export function FullPageSpin() {
  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: '60vh' }}>
      <Spin size="large" />
    </div>
  );
}

/**
 * Renders children only for a signed-in user. No session → /login (remembering where to come back);
 * a password that must change → the password page, and nothing else.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data: me, isPending, isError, error, refetch } = useMe();
  const location = useLocation();
  if (isPending) return <FullPageSpin />;
  if (isError) {
    return (
      <Result
        status="error"
        title="无法获取登录状态"
        subTitle={errorMessage(error)}
        extra={<Button onClick={() => void refetch()}>重试</Button>}
      />
    );
  }
  if (!me) {
    const next = location.pathname + location.search;
    const to = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
  if (me.mustChangePassword && location.pathname !== FORCED_PASSWORD_PATH) {
    return <Navigate to={FORCED_PASSWORD_PATH} replace />;
  }
  return children;
}

/** Renders children only for the given roles; others get the 403 page. Use inside RequireAuth. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { data: me } = useMe();
  if (!me || !roles.includes(me.role)) return <ForbiddenPage />;
  return children;
}

/** The signed-in user, for components rendered under RequireAuth. */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser used outside RequireAuth');
  return data;
}

/** A post-login target from `?next=`, only if it is a path on this site. */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}
