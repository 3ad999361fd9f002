import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '#domain/errors';

/** Both reference libraries accept a timestamp up to 300 s old or early (../shared/specs/webhooks.md §3). */
export const TOLERANCE_SECONDS = 300;

export interface StandardWebhookHeaders {
  'webhook-id'?: string;
  'webhook-timestamp'?: string;
  'webhook-signature'?: string;
}

export type VerifyOutcome = { ok: true; webhookId: string } | { ok: false; reason: string };

/** A `whsec_...` secret (the prefix is optional, as in the reference libraries) as HMAC key bytes. */
export function decodeSecret(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new Error('a Standard Webhooks secret must be "whsec_" followed by base64');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 16) throw new Error('a Standard Webhooks secret must hold at least 16 bytes');
  return key;
}

/** The `webhook-signature` value a sender puts on a delivery (`v1,` + base64 HMAC-SHA256). */
export function signStandardWebhook(delivery: { id: string; timestamp: number; body: Buffer | string; secret: string }): string {
  const mac = createHmac('sha256', decodeSecret(delivery.secret))
    .update(`${delivery.id}.${delivery.timestamp}.`)
    .update(delivery.body)
    .digest('base64');
  return `v1,${mac}`;
}

/**
 * Verifies a Standard Webhooks delivery over the exact raw body bytes: HMAC-SHA256 of
 * `{id}.{timestamp}.{body}`, accepted when any `v1,` entry of the space-delimited signature list
 * matches under any configured key (so secrets rotate without downtime). Malformed entries are
 * skipped, never thrown on. Comparison is constant-time.
 */
export function verifyStandardWebhook(
  headers: StandardWebhookHeaders,
  body: Buffer,
  keys: readonly Buffer[],
  now: Date,
): VerifyOutcome {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
  if (id.includes('.') || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed webhook-id or webhook-timestamp header' };
  const skew = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (skew > TOLERANCE_SECONDS) return { ok: false, reason: 'webhook-timestamp is too old' };
  if (skew < -TOLERANCE_SECONDS) return { ok: false, reason: 'webhook-timestamp is too new' };

  const candidates = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  const signedPrefix = Buffer.from(`${id}.${timestamp}.`);
  for (const key of keys) {
    const expected = createHmac('sha256', key).update(signedPrefix).update(body).digest();
    if (candidates.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))) {
      return { ok: true, webhookId: id };
    }
  }
  return { ok: false, reason: 'no webhook-signature entry matches' };
}

/** The same check for a request handler: throws AuthenticationError with the reason. */
export function assertStandardWebhook(headers: StandardWebhookHeaders, body: Buffer, secrets: readonly string[], now: Date): string {
  const outcome = verifyStandardWebhook(headers, body, secrets.map(decodeSecret), now);
  if (!outcome.ok) throw new AuthenticationError(`Standard Webhooks signature rejected: ${outcome.reason}`);
  return outcome.webhookId;
}
