import type { HandshakeResponse } from '#platforms/webhook-platform';
import { usableSecrets } from '../signature-inputs.ts';
import { crcResponseToken } from './signature.ts';

/**
 * Only opaque base64 (or base64url) tokens are answered. The CRC needs no authentication and its
 * answer is the POST signature construction, so echoing an HMAC of any string would sign any
 * body an attacker chooses; no JSON body can match this (../shared/specs/webhooks.md §1.2 Security).
 */
export const CRC_TOKEN = /^[A-Za-z0-9+/_-]{1,256}={0,2}$/;

/**
 * X's challenge-response check: GET `?crc_token=` answered 200 with exactly
 * `{"response_token":"sha256=<base64>"}`, keyed with the current (first) consumer secret (§1.2).
 * Other query parameters, such as the `nonce` X now sends, are ignored. Stateless, since X sends
 * CRCs on its own schedule.
 */
export function answerCrc(query: Readonly<Record<string, string | undefined>>, consumerSecrets: readonly string[]): HandshakeResponse {
  const token = query['crc_token'];
  if (typeof token !== 'string' || token === '') return json(400, { error: 'invalid_request', message: 'crc_token is missing' });
  if (!CRC_TOKEN.test(token)) {
    return json(400, { error: 'invalid_request', message: 'crc_token must be an opaque base64 token of at most 256 characters' });
  }
  const [secret] = usableSecrets(consumerSecrets);
  if (secret === undefined) return json(503, { error: 'unavailable', message: 'X_CONSUMER_SECRET is not configured' });
  return json(200, { response_token: crcResponseToken(token, secret) });
}

function json(statusCode: number, body: unknown): HandshakeResponse {
  return { statusCode, contentType: 'application/json', body: JSON.stringify(body) };
}
