import { ERROR_MESSAGES, type ErrorCode } from '@kesu/shared';

/** HTTP status of each public error code (docs/ERRORS.md mirrors this table). */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  TOO_MANY_ATTEMPTS: 429,
  RATE_LIMITED: 429,
  ACCOUNT_DISABLED: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  WEAK_PASSWORD: 400,
  CSRF_REJECTED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DUPLICATE: 409,
  INVALID_STATE: 409,
  PLAN_FILE_UNSUPPORTED: 415,
  PLAN_FILE_NEEDS_OCR: 422,
  PLAN_FILE_ENCRYPTED: 422,
  PLAN_CONVERTER_MISSING: 415,
  PLAN_FILE_EMPTY: 422,
  PLAN_NOT_RECOGNISED: 422,
  PLAN_UNKNOWN_UNITS: 422,
  CYCLE_CLOSED: 409,
  CYCLE_LOCKED: 423,
  REPORT_LOCKED: 409,
  EXPLANATION_REQUIRED: 422,
  ATTACHMENT_REFUSED: 415,
  NOTICE_INVALID_TRANSITION: 409,
  NOTICE_LINK_NOT_FOUND: 422,
  TEMPLATE_INVALID: 422,
  TEMPLATE_MISMATCH: 422,
  ASSESSMENT_APPEAL_CLOSED: 409,
  ASSESSMENT_FROZEN: 409,
  ASSESSMENT_OPEN_APPEALS: 409,
  DOCUMENT_TEMPLATE_PLACEHOLDER: 422,
  DOCUMENT_PDF_UNAVAILABLE: 422,
  INTERNAL: 500,
};

/** An expected failure with a public code; anything else thrown becomes a logged 500. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERROR_MESSAGES[code]);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
