import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorDetail } from '../../shared/errors.js';

/**
 * Errors the domain raises. They carry a stable code and know nothing about HTTP; `registerErrorHandler` maps
 * each code to a status.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what = 'resource') {
    super('not_found', `${what} not found`);
  }
}

export class ValidationError extends DomainError {
  constructor(details: ErrorDetail[]) {
    super('validation_failed', `invalid ${details.map((d) => d.field).join(', ')}`, details);
  }
}

export class ConflictError extends DomainError {}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'sign in first') {
    super('unauthenticated', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(code = 'forbidden', message = 'you may not do this') {
    super(code, message);
  }
}

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', `too many attempts; try again in ${retryAfterSeconds} s`);
  }
}

const STATUS_BY_CODE: Record<string, number> = {
  validation_failed: 400,
  invalid_credentials: 401,
  unauthenticated: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  email_taken: 409,
  card_exists: 409,
  session_completed: 409,
  conversation_ended: 409,
  conversation_busy: 409,
  nothing_to_undo: 409,
  budget_exhausted: 402,
  rate_limited: 429,
  ai_failed: 502,
  ai_unavailable: 503,
  database_unavailable: 503,
};

const HTTP_CODES: Record<number, string> = {
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  404: 'not_found',
};

function body(code: string, message: string, details?: ErrorDetail[]): ErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

/** One error handler for the whole API: known errors get their status, anything else a logged, generic 500. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DomainError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const context = err.validationContext ?? 'body';
      const details: ErrorDetail[] = err.validation.flatMap((v) => {
        const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        const keys = (v.params as { keys?: string[] }).keys;
        if (v.keyword === 'unrecognized_keys' && keys) {
          return keys.map((k) => ({ field: [path, k].filter(Boolean).join('.'), message: 'is not a known field' }));
        }
        return [{ field: path || context, message: v.message ?? 'is not valid' }];
      });
      return reply
        .status(400)
        .send(body('validation_failed', `invalid ${context}: ${details.map((d) => d.field).join(', ')}`, details));
    }
    if (err instanceof DomainError) {
      if (err instanceof RateLimitedError) reply.header('retry-after', String(err.retryAfterSeconds));
      return reply.status(STATUS_BY_CODE[err.code] ?? 400).send(body(err.code, err.message, err.details));
    }
    const status = (err as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      // Fastify's own refusals: malformed JSON, wrong content type, body too large…
      if ((err as FastifyError).code?.startsWith('FST_ERR_CTP_') && status === 400) {
        return reply
          .status(400)
          .send(
            body('validation_failed', 'the body is not valid JSON', [{ field: 'body', message: 'must be valid JSON' }]),
          );
      }
      return reply.status(status).send(body(HTTP_CODES[status] ?? 'bad_request', err.message));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(body('internal_error', 'something went wrong on our side; it has been logged'));
  });
}

/** The answer for a path no route serves. */
export function sendRouteNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.status(404).send(body('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
}
