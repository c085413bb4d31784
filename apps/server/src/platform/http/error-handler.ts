import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { FieldIssue } from '@mamori/contracts';
import { AppError } from '../errors.js';

function issuePath(instancePath: string | undefined, context: string): string {
  const p = (instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  return p || context;
}

/** Maps any thrown error to the one API error shape. No stack traces leave the server. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues: FieldIssue[] = err.validation.map((v) => ({
      path: issuePath(v.instancePath, err.validationContext ?? 'body'),
      message: v.message ?? 'invalid',
      code: v.keyword,
    }));
    return new AppError('validation_failed', 'The request is not valid.', {
      location: err.validationContext ?? 'body',
      issues,
    });
  }
  const fe = err as Partial<FastifyError>;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Unsupported content type.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('validation_failed', 'The request body is not valid JSON.');
    default:
      break;
  }
  if (fe.statusCode === 429) return new AppError('rate_limited', 'Too many requests.');
  if (fe.statusCode === 404) return new AppError('not_found', 'Not found.');
  if (fe.statusCode === 413)
    return new AppError('payload_too_large', 'The request body is too large.');
  if (fe.statusCode === 415)
    return new AppError('unsupported_media_type', 'Unsupported content type.');
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('validation_failed', 'The request is not valid.');
  }
  return new AppError('internal', 'Internal error.');
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(err);
    if (appError.code === 'internal') {
      request.log.error({ err }, 'unhandled error');
    } else if (appError.status >= 500) {
      request.log.warn({ code: appError.code }, appError.message);
    }
    void reply.status(appError.status).type('application/json').send(appError.toBody());
  });
}
