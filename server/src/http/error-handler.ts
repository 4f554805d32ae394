import { ERROR_MESSAGES, type ErrorBody, type ErrorCode } from '@kesu/shared';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, ERROR_STATUS } from '../errors';

function body(code: ErrorCode, message: string, requestId: string, details?: unknown): ErrorBody {
  return { error: { code, message, requestId, ...(details === undefined ? {} : { details }) } };
}

/** Fastify's own error codes that are the client's fault, mapped to ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_TYPE: 'BAD_REQUEST',
};

/**
 * One handler for every error: `{ error: { code, message, details? } }`. Expected errors carry their code; request
 * validation failures list each field; anything unknown is logged with the request id and answered as INTERNAL
 * without internals.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send(body(err.code, err.message, req.id, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = err.validation.map((v) => ({
        path: [err.validationContext, ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
        message: v.message,
      }));
      const first = fields[0];
      const msg = first ? `${ERROR_MESSAGES.VALIDATION_FAILED}：${first.path} ${first.message}` : undefined;
      return reply
        .status(400)
        .send(body('VALIDATION_FAILED', msg ?? ERROR_MESSAGES.VALIDATION_FAILED, req.id, { fields }));
    }
    const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (mapped) return reply.status(ERROR_STATUS[mapped]).send(body(mapped, ERROR_MESSAGES[mapped], req.id));
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send(body('BAD_REQUEST', ERROR_MESSAGES.BAD_REQUEST, req.id));
    } else {
      req.log.error({ err }, 'unhandled error');
    }
    return reply.status(500).send(body('INTERNAL', ERROR_MESSAGES.INTERNAL, req.id));
  });
}
