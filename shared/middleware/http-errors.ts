import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import {
  AccessDeniedError,
  AuthenticationError,
  InProgressError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  PublishError,
  ValidationError,
} from '#domain/errors';
import { logger } from './observability.ts';

export interface ErrorBody {
  error: string;
  message: string;
  fields?: Array<{ path: string; message: string }>;
}

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/**
 * Every error to an HTTP response, in one place. Errors raised on purpose map to 4xx with a
 * message a person can act on; anything else is our fault: 5xx, logged, no details exposed.
 */
export function toHttpResponse(error: unknown): APIGatewayProxyResultV2 {
  if (error instanceof ValidationError) {
    const body: ErrorBody = { error: 'invalid_request', message: error.message };
    if (error.issues.length > 0) body.fields = error.issues;
    return jsonResponse(400, body);
  }
  if (error instanceof AuthenticationError) return jsonResponse(401, { error: 'unauthorized', message: error.message });
  if (error instanceof AccessDeniedError) return jsonResponse(403, { error: 'forbidden', message: error.message });
  if (error instanceof NotFoundError) return jsonResponse(404, { error: 'not_found', message: error.message });
  if (error instanceof MethodNotAllowedError) {
    return jsonResponse(405, { error: 'method_not_allowed', message: error.message }, { allow: error.allowed.join(', ') });
  }
  if (error instanceof InProgressError) return jsonResponse(409, { error: 'in_progress', message: error.message }, { 'retry-after': '1' });
  if (error instanceof PayloadTooLargeError) return jsonResponse(413, { error: 'payload_too_large', message: error.message });
  if (error instanceof PublishError) {
    // Not handed on: the sender must retry, so this is never a 2xx.
    return jsonResponse(503, { error: 'unavailable', message: 'The post could not be handed on; retry later.' }, { 'retry-after': '5' });
  }
  return jsonResponse(500, { error: 'internal_error', message: 'Something went wrong on our side; retry later.' });
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
