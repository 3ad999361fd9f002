import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { PayloadTooLargeError } from '#domain/errors';

/** An HTTP API event whose raw body bytes passed the signature check. */
export type VerifiedEvent = APIGatewayProxyEventV2 & { rawBody: Buffer };

export interface VerifiedBodyOptions {
  maxBytes: number;
  /** Throws AuthenticationError when the signature does not hold. */
  verify(headers: APIGatewayProxyEventV2['headers'], body: Buffer): void | Promise<void>;
}

/**
 * Recovers the exact bytes the sender signed (HTTP API base64-encodes bodies it considers
 * binary), enforces the size limit, and verifies the signature before anything parses the body.
 */
export function verifiedBody(options: VerifiedBodyOptions): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    before: async (request) => {
      const { body = '', isBase64Encoded } = request.event;
      // Checked before decoding, so an oversized body costs no more than its length.
      const size = isBase64Encoded ? base64DecodedLength(body) : Buffer.byteLength(body);
      if (size > options.maxBytes) throw new PayloadTooLargeError(`the body is larger than ${options.maxBytes} bytes`);
      const raw = Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8');
      await options.verify(request.event.headers, raw);
      (request.event as VerifiedEvent).rawBody = raw;
    },
  };
}

function base64DecodedLength(encoded: string): number {
  const padding = encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0;
  return Math.floor((encoded.length * 3) / 4) - padding;
}
