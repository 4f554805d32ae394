import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildMe, jsonResponse, mockFetch, renderApp } from '../../test/render';

function fillAndSubmit(username: string, password: string) {
  fireEvent.change(screen.getByLabelText('用户名'), { target: { value: username } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
}

describe('LoginPage', () => {
  it('shows the server’s Chinese message when sign-in fails', async () => {
    const fetchMock = mockFetch({
      'POST /api/v1/auth/login': () =>
        jsonResponse({ error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' } }, 401),
    });
    renderApp('/login', null);
    fillAndSubmit('admin', 'wrong-password');
    expect((await screen.findByRole('alert')).textContent).toContain('用户名或密码错误');
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const init = fetchMock.mock.calls[0]?.[1];
    expect(JSON.parse(String(init?.body))).toEqual({ username: 'admin', password: 'wrong-password' });
    // The password is cleared for the next try; the username stays.
    expect((screen.getByLabelText('密码') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('用户名') as HTMLInputElement).value).toBe('admin');
  });

  it('validates with the shared schema before sending anything', async () => {
    const fetchMock = mockFetch({});
    renderApp('/login', null);
    fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
    expect(await screen.findByText('请输入用户名')).toBeTruthy();
    expect(screen.getByText('请输入密码')).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('goes to the forced password change when the account must change its password', async () => {
    const fetchMock = mockFetch({
      'POST /api/v1/auth/login': () => jsonResponse(buildMe({ mustChangePassword: true })),
    });
    renderApp('/login', null);
    fillAndSubmit(' admin ', 'initial-secret-1');
    expect(await screen.findByText('首次登录，请修改密码')).toBeTruthy();
    // The shared LoginBodySchema trimmed the username before it was sent.
    expect(JSON.parse(String(fetchMock.mock.calls[0]?.[1]?.body))).toMatchObject({ username: 'admin' });
    expect(screen.getByLabelText('当前密码')).toBeTruthy();
    expect(screen.queryByRole('menu', { name: '主导航' })).toBeNull();
  });

  it('goes home after a normal sign-in', async () => {
    mockFetch({ 'POST /api/v1/auth/login': () => jsonResponse(buildMe()) });
    renderApp('/login', null);
    fillAndSubmit('admin', 'good-password-1');
    expect(await screen.findByText(/欢迎，/)).toBeTruthy();
    expect(screen.getByRole('menu', { name: '主导航' })).toBeTruthy();
  });
});
