import type { FastifyError, FastifyInstance } from 'fastify';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorCode } from '@collaro/shared';
import { isDatabaseUnavailable } from '../db/availability.js';
import { DomainError, type DomainErrorCode } from '../domain-errors.js';

const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The one place a refusal from the policy or a service becomes an HTTP status. */
const DOMAIN_ERROR_STATUS: Record<DomainErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  auth_provider_mismatch: 409,
  payload_too_large: 413,
  validation_failed: 422,
  rate_limited: 429,
  service_unavailable: 503,
};

const FRAMEWORK_CODES: Record<string, { status: number; code: ErrorCode }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'bad_request' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'bad_request' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_request' },
};

/**
 * A failed query's error carries its bound parameters (token and password hashes among them);
 * the log gets the SQL and the driver's reason, never the values.
 */
function withoutQueryParameters(error: Error): Error | { type: string; message: string; query: string; cause: unknown } {
  if (!(error instanceof DrizzleQueryError)) return error;
  const cause = error.cause as { message?: string; code?: string } | undefined;
  return { type: 'DrizzleQueryError', message: 'Failed query', query: error.query, cause: { message: cause?.message, code: cause?.code } };
}

/** Every error leaves as `{ error: { code, message } }`; anything unexpected is logged and masked. */
export const errorsPlugin = fp(async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.code(DOMAIN_ERROR_STATUS[error.code]).send({ error: { code: error.code, message: error.message } });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const message = error.validation
        .map((issue) => {
          const where = [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].join('.');
          return `${where}: ${issue.message}`;
        })
        .join('; ');
      return reply.code(422).send({ error: { code: 'validation_failed', message } });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: withoutQueryParameters(error) }, 'response did not match its schema');
      return reply.code(500).send({ error: { code: 'internal', message: 'Internal server error' } });
    }
    const known = error.code ? FRAMEWORK_CODES[error.code] : undefined;
    if (known) return reply.code(known.status).send({ error: { code: known.code, message: error.message } });
    if (error.statusCode === 429) {
      return reply.code(429).send({ error: { code: 'rate_limited', message: error.message } });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: { code: 'bad_request', message: error.message } });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: withoutQueryParameters(error) }, 'database unavailable');
      return reply
        .code(503)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .send({ error: { code: 'service_unavailable', message: 'The database is unreachable right now; try again shortly' } });
    }
    request.log.error({ err: withoutQueryParameters(error) }, 'request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'Internal server error' } });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: { code: 'not_found', message: `Route ${request.method} ${request.url.split('?')[0]} not found` } });
  });
});
