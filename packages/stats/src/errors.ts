/**
 * Error codes of the stats engine. They are public API: a CLI maps every one of them to exit code 2 and
 * prints the Chinese message; a server maps them to HTTP 400/422.
 */
export type StatsErrorCode =
  | 'MISSING_COLUMN'
  | 'BAD_WEIGHT'
  | 'BAD_INPUT'
  | 'LONELY_PSU'
  | 'RAKING_NOT_CONVERGED'
  | 'MARGIN_NOT_COVERED'
  | 'UNSUPPORTED_DESIGN';

/**
 * The one error type thrown by `@kesu/stats`. `code` is machine-readable, `message` is Chinese and meant for
 * the end user, `details` carries the offending names/values.
 */
export class StatsError extends Error {
  readonly code: StatsErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: StatsErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'StatsError';
    this.code = code;
    this.details = details;
  }
}
