import type { Me } from '@kesu/shared';
import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { AppRoutes, Providers } from '../App';
import { ME_KEY } from '../api/query-client';

export function buildMe(overrides: Partial<Me> = {}): Me {
  return {
    id: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
    username: 'admin',
    displayName: '系统管理员',
    role: 'admin',
    unitId: null,
    unitName: null,
    jurisdictionId: null,
    jurisdictionName: null,
    atRoot: true,
    mustChangePassword: false,
    ...overrides,
  };
}

/** Render the whole app at `path`, with the session already known (null = signed out). */
export function renderApp(path: string, me: Me | null) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  queryClient.setQueryData(ME_KEY, me);
  return {
    queryClient,
    ...render(
      <Providers queryClient={queryClient}>
        <MemoryRouter initialEntries={[path]}>
          <AppRoutes />
        </MemoryRouter>
      </Providers>,
    ),
  };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** Stub fetch with a handler keyed by `METHOD path`; unknown requests fail the test loudly. */
export function mockFetch(routes: Record<string, (init: RequestInit) => Response | Promise<Response>>) {
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const key = `${init.method ?? 'GET'} ${url.split('?')[0]}`;
    const handler = routes[key];
    if (!handler) throw new Error(`unexpected request ${key}`);
    return handler(init);
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}
