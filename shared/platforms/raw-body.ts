import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PayloadTooLargeError } from '#domain/errors';

/**
 * The exact bytes the sender signed: API Gateway base64-encodes bodies it takes for binary. The
 * size is checked before decoding, so an oversized body costs no more than its length.
 */
export function rawBody(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>, maxBytes: number): Buffer {
  const { body = '', isBase64Encoded } = event;
  const size = isBase64Encoded ? base64DecodedLength(body) : Buffer.byteLength(body);
  if (size > maxBytes) throw new PayloadTooLargeError(`the body is larger than ${maxBytes} bytes`);
  return Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8');
}

function base64DecodedLength(encoded: string): number {
  const padding = encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0;
  return Math.floor((encoded.length * 3) / 4) - padding;
}
