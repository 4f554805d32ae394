/**
 * Why a document could not be parsed. Codes are public API (the server maps them to its own error codes);
 * each has the Chinese message shown to the admin who uploaded the document.
 */
export const PLAN_PARSE_ERROR_MESSAGES = {
  EMPTY_DOCUMENT: '文档内容为空，请上传规划或实施方案的正文',
  NOT_A_PLAN: '未识别到编号标题（如“一、”“（一）”“1.”），该文档不像是规划或实施方案',
  BINARY_CONTENT: '文档包含二进制或乱码内容，请上传 Word、PDF、网页或纯文本格式的规划文档',
} as const;

/** A plan-parse error code. */
export type PlanParseErrorCode = keyof typeof PLAN_PARSE_ERROR_MESSAGES;

/** Thrown by `parsePlan` when the input cannot be a plan document. `message` is Chinese, for display. */
export class PlanParseError extends Error {
  /** Stable machine-readable code. */
  readonly code: PlanParseErrorCode;
  /** Optional facts about the failure (e.g. the share of control characters found). */
  readonly details?: Record<string, unknown>;

  constructor(code: PlanParseErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? PLAN_PARSE_ERROR_MESSAGES[code]);
    this.name = 'PlanParseError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/** True when `value` is a `PlanParseError` (also across module copies, by name and code). */
export function isPlanParseError(value: unknown): value is PlanParseError {
  if (value instanceof PlanParseError) return true;
  if (!(value instanceof Error) || value.name !== 'PlanParseError') return false;
  const code: unknown = (value as { code?: unknown }).code;
  return typeof code === 'string' && code in PLAN_PARSE_ERROR_MESSAGES;
}
