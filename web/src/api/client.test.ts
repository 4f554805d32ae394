import { MeSchema } from '@kesu/shared';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../test/render';
import { parseErrorResponse } from './api-error';
import { ApiError, api, toQueryString } from './client';

function stubFetch(impl: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>) {
  const fn = vi.fn(impl);
  vi.stubGlobal('fetch', fn);
  return fn;
}

describe('parseErrorResponse', () => {
  it('keeps the server code, Chinese message and details of an error body', async () => {
    const res = jsonResponse(
      { error: { code: 'CONFLICT', message: '数据已被他人修改，请刷新后重试', details: { version: 3 } } },
      409,
    );
    const e = await parseErrorResponse(res);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 409, code: 'CONFLICT', message: '数据已被他人修改，请刷新后重试' });
    expect(e.details).toEqual({ version: 3 });
  });

  it('turns a proxy HTML 502 into BAD_RESPONSE with a Chinese message', async () => {
    const res = new Response('<html><body>Bad Gateway</body></html>', {
      status: 502,
      headers: { 'Content-Type': 'text/html' },
    });
    const e = await parseErrorResponse(res);
    expect(e.status).toBe(502);
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.message).toMatch(/服务器暂时不可用/);
  });

  it('does not trust JSON that is not an error body', async () => {
    const e = await parseErrorResponse(jsonResponse({ message: 'nope' }, 400));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.message).toBe('请求失败（400）');
  });
});

describe('api', () => {
  it('sends JSON with same-origin credentials and validates the answer with a shared schema', async () => {
    const me = {
      id: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
      username: 'admin',
      displayName: '管理员',
      role: 'admin',
      unitId: null,
      unitName: null,
      jurisdictionId: null,
      jurisdictionName: null,
      atRoot: true,
      mustChangePassword: true,
    };
    const fetchMock = stubFetch(async () => jsonResponse(me));
    const result = await api.post('/api/v1/auth/login', { username: 'admin', password: 'x' }, MeSchema);
    expect(result).toEqual(me);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/v1/auth/login');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin' });
    expect(init?.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init?.body))).toEqual({ username: 'admin', password: 'x' });
  });

  it('sends the JSON body of a PUT too (the contact form and task links use PUT)', async () => {
    const fetchMock = stubFetch(async () => jsonResponse({ ok: true }));
    await api.put('/api/v1/users/me/contact', { phone: '13800000000' });
    const [, init] = fetchMock.mock.calls[0] ?? [];
    expect(init).toMatchObject({ method: 'PUT' });
    expect(init?.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init?.body))).toEqual({ phone: '13800000000' });
  });

  it('throws the parsed ApiError on an error status', async () => {
    stubFetch(async () =>
      jsonResponse({ error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' } }, 401),
    );
    await expect(api.post('/api/v1/auth/login', {})).rejects.toMatchObject({
      status: 401,
      code: 'INVALID_CREDENTIALS',
      message: '用户名或密码错误',
    });
  });

  it('reports a network failure as NETWORK with status 0', async () => {
    stubFetch(async () => {
      throw new TypeError('Failed to fetch');
    });
    const e = await api.get('/api/v1/units').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 0, code: 'NETWORK', message: '无法连接服务器，请检查网络后重试' });
  });

  it('rejects a 200 whose body does not match the schema', async () => {
    stubFetch(async () => jsonResponse({ id: 1 }));
    await expect(api.get('/api/v1/auth/me', { schema: MeSchema })).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
    });
  });

  it('leaves blank filters out of the query string', () => {
    expect(toQueryString({ q: '', kind: undefined, active: 'all', page: 2 })).toBe('?active=all&page=2');
    expect(toQueryString({ q: '科协 市' })).toBe('?q=%E7%A7%91%E5%8D%8F+%E5%B8%82');
  });
});
