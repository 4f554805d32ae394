import { ApiError, networkError, parseErrorResponse } from './api-error';

export { ApiError, isApiError } from './api-error';

/** Anything with zod's safeParse: the shared schemas, without the web importing zod itself. */
export interface Parser<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: unknown[] } };
}

type Query = Record<string, string | number | boolean | null | undefined>;

/** `?a=1&b=x`, skipping empty values, so filters left blank are not sent. */
export function toQueryString(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body: unknown,
  schema: Parser<T> | undefined,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  // POST/PUT/PATCH always carry a JSON body (an empty object when there is nothing to say), so the server never
  // has to accept a body-less JSON request.
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw networkError(e);
  }
  if (!res.ok) throw await parseErrorResponse(res);
  if (res.status === 204) return undefined as T;
  let data: unknown;
  try {
    data = await res.json();
  } catch {
    throw new ApiError(res.status, 'BAD_RESPONSE', '服务器返回了无法识别的内容');
  }
  if (!schema) return data as T;
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new ApiError(res.status, 'BAD_RESPONSE', '服务器返回的数据格式不正确', parsed.error.issues);
  }
  return parsed.data;
}

/**
 * The one typed API client. Pass a shared schema to validate the answer (and get its type); without one the
 * caller names the type.
 */
export const api = {
  get: <T>(path: string, opts?: { query?: Query; schema?: Parser<T> }) =>
    request<T>('GET', path + toQueryString(opts?.query), undefined, opts?.schema),
  post: <T>(path: string, body?: unknown, schema?: Parser<T>) => request<T>('POST', path, body, schema),
  patch: <T>(path: string, body: unknown, schema?: Parser<T>) => request<T>('PATCH', path, body, schema),
  put: <T>(path: string, body: unknown, schema?: Parser<T>) => request<T>('PUT', path, body, schema),
  delete: <T>(path: string, schema?: Parser<T>) => request<T>('DELETE', path, undefined, schema),
};
