import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { isTransient } from '#adapters/transient-errors';
import {
  AccessDeniedError,
  AuthenticationError,
  ConflictError,
  InProgressError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionRequiredError,
  PublishError,
  ValidationError,
} from '#domain/errors';
import { logger } from './observability.ts';

export interface ErrorBody {
  error: string;
  message: string;
  fields?: Array<{ path: string; message: string }>;
  /** With a stale-version conflict: the version to send in If-Match after re-reading. */
  currentVersion?: number;
}

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export interface ErrorKind {
  statusCode: number;
  /** The `error` code in the JSON body. */
  code: string;
  /** The `reason` dimension of the WebhookRejected metric (shared/middleware/metrics.ts). */
  reason: string;
}

/** Every error raised on purpose, with its status, its body code and its metric reason: one table, so they cannot drift. */
const KNOWN_ERRORS: Array<[new (...args: never[]) => Error, ErrorKind]> = [
  [ValidationError, { statusCode: 400, code: 'invalid_request', reason: 'invalid' }],
  [AuthenticationError, { statusCode: 401, code: 'unauthorized', reason: 'signature' }],
  [AccessDeniedError, { statusCode: 403, code: 'forbidden', reason: 'forbidden' }],
  [NotFoundError, { statusCode: 404, code: 'not_found', reason: 'not_found' }],
  [MethodNotAllowedError, { statusCode: 405, code: 'method_not_allowed', reason: 'method' }],
  [InProgressError, { statusCode: 409, code: 'in_progress', reason: 'in_progress' }],
  [ConflictError, { statusCode: 409, code: 'conflict', reason: 'conflict' }],
  [PayloadTooLargeError, { statusCode: 413, code: 'payload_too_large', reason: 'too_large' }],
  [PreconditionRequiredError, { statusCode: 428, code: 'precondition_required', reason: 'precondition' }],
  // Not handed on: the sender must retry, so this is never a 2xx.
  [PublishError, { statusCode: 503, code: 'unavailable', reason: 'not_handed_on' }],
];
/** DynamoDB or EventBridge throttling us, or briefly down: nothing is wrong with the request, so ask for it again. */
const UNAVAILABLE: ErrorKind = { statusCode: 503, code: 'unavailable', reason: 'unavailable' };
const INTERNAL: ErrorKind = { statusCode: 500, code: 'internal_error', reason: 'internal' };

/** What kind of failure `error` is; anything not raised on purpose or by a throttled service is ours: internal. */
export function errorKind(error: unknown): ErrorKind {
  return KNOWN_ERRORS.find(([type]) => error instanceof type)?.[1] ?? (isTransient(error) ? UNAVAILABLE : INTERNAL);
}

/**
 * Every error to an HTTP response, in one place. Errors raised on purpose map to 4xx with a
 * message a person can act on; DynamoDB or EventBridge throttling (or brief unavailability) to
 * 503 with Retry-After; anything else is our fault: 500, logged, no details exposed. Neither 5xx
 * is ever a 2xx, so a platform retries a post that was not handed on.
 */
export function toHttpResponse(error: unknown): APIGatewayProxyResultV2 {
  const kind = errorKind(error);
  const { statusCode, code } = kind;
  if (kind === INTERNAL) return jsonResponse(statusCode, { error: code, message: 'Something went wrong on our side; retry later.' });
  // Throttling usually passes within seconds.
  if (kind === UNAVAILABLE) return jsonResponse(statusCode, { error: code, message: 'A service we depend on is busy; retry in a few seconds.' }, { 'retry-after': '2' });
  if (error instanceof PublishError) return jsonResponse(statusCode, { error: code, message: 'The post could not be handed on; retry later.' }, { 'retry-after': '5' });
  const body: ErrorBody = { error: code, message: (error as Error).message };
  if (error instanceof ValidationError && error.issues.length > 0) body.fields = error.issues;
  if (error instanceof ConflictError && error.currentVersion !== undefined) body.currentVersion = error.currentVersion;
  const headers: Record<string, string> =
    error instanceof MethodNotAllowedError ? { allow: error.allowed.join(', ') } : error instanceof InProgressError ? { 'retry-after': '1' } : {};
  return jsonResponse(statusCode, body, headers);
}

export function httpErrors(): MiddlewareObj<unknown, APIGatewayProxyResultV2> {
  return {
    onError: (request) => {
      const response = toHttpResponse(request.error) as { statusCode: number };
      const { name, message } = request.error as Error;
      // Never the body or headers: they may carry personal data or secrets.
      if (response.statusCode >= 500) logger.error('request failed', { error: request.error as Error });
      else logger.warn('request rejected', { statusCode: response.statusCode, errorName: name, reason: message });
      request.response = response as APIGatewayProxyResultV2;
    },
  };
}
