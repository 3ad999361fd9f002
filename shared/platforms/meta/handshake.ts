import { createHash, timingSafeEqual } from 'node:crypto';
import type { HandshakeResponse } from '#platforms/webhook-platform';

/**
 * Meta calls the challenge "an int" (../shared/specs/webhooks.md §2.2) and it is echoed verbatim;
 * anything beyond this shape is refused, so the endpoint cannot be made to reflect arbitrary
 * content (the X CRC lesson, §9).
 */
const PLAUSIBLE_CHALLENGE = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Answers Meta's subscription check `GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...`
 * (§2.2). Query names keep their dots, as API Gateway passes them. Failures are unspecified by
 * Meta; like the public samples we answer 403 (policy).
 */
export function answerMetaHandshake(query: Readonly<Record<string, string | undefined>>, verifyToken: string): HandshakeResponse {
  if (!verifyToken) return json(503, 'unavailable', 'META_VERIFY_TOKEN is not configured');
  if (query['hub.mode'] !== 'subscribe') return json(403, 'forbidden', 'hub.mode must be "subscribe"');
  if (!sameToken(query['hub.verify_token'], verifyToken)) return json(403, 'forbidden', 'hub.verify_token does not match');
  const challenge = query['hub.challenge'];
  if (typeof challenge !== 'string' || !PLAUSIBLE_CHALLENGE.test(challenge)) {
    return json(403, 'forbidden', 'hub.challenge is missing or not a plausible challenge');
  }
  return { statusCode: 200, contentType: 'text/plain', body: challenge };
}

/** Constant-time, whatever the lengths: both sides are hashed to 32 bytes first. */
function sameToken(given: string | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function json(statusCode: number, error: string, message: string): HandshakeResponse {
  return { statusCode, contentType: 'application/json', body: JSON.stringify({ error, message }) };
}
