import { ERROR_MESSAGES, type ErrorCode, isErrorBody } from '@kesu/shared';

/**
 * Codes the client makes itself, besides the server's closed list: NETWORK (no answer at all) and
 * BAD_RESPONSE (an answer that is not our JSON, e.g. a proxy's 502 page, or a body that fails its schema).
 */
export type ClientErrorCode = ErrorCode | 'NETWORK' | 'BAD_RESPONSE';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

const STATUS_MESSAGES: Record<number, string> = {
  502: '服务器暂时不可用（网关错误），请稍后重试',
  503: '服务暂时不可用，请稍后重试',
  504: '服务器响应超时，请稍后重试',
};

/**
 * The one error parser: turns a non-2xx response into an ApiError. The server's Chinese message wins; a body that
 * is not an error body (HTML from a proxy, empty) gets a message chosen by status.
 */
export async function parseErrorResponse(res: Response): Promise<ApiError> {
  const requestId = res.headers.get('x-request-id') ?? undefined;
  let body: unknown;
  try {
    body = JSON.parse(await res.text());
  } catch {
    body = undefined;
  }
  if (isErrorBody(body)) {
    const { code, message, details } = body.error;
    const known = code in ERROR_MESSAGES ? (code as ErrorCode) : 'BAD_RESPONSE';
    return new ApiError(
      res.status,
      known,
      message || ERROR_MESSAGES[code as ErrorCode] || `请求失败（${res.status}）`,
      details,
      body.error.requestId ?? requestId,
    );
  }
  const message =
    STATUS_MESSAGES[res.status] ??
    (res.status >= 500 ? `服务器错误（${res.status}），请稍后重试` : `请求失败（${res.status}）`);
  return new ApiError(res.status, 'BAD_RESPONSE', message, undefined, requestId);
}

/** A fetch that rejected: offline, DNS, refused connection, CORS. */
export function networkError(cause: unknown): ApiError {
  const e = new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  (e as { cause?: unknown }).cause = cause;
  return e;
}
