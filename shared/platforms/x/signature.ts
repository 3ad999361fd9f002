import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '#domain/errors';
import { headerValue, usableSecrets } from '../signature-inputs.ts';

/** One header and one key for every X webhook product: AAA, XAA and filtered stream (../shared/specs/webhooks.md §1.3). */
export const X_SIGNATURE_HEADER = 'x-twitter-webhooks-signature';

/** `sha256=` and the 44-character standard base64 of a 32-byte HMAC-SHA256, nothing more. */
const SIGNATURE_VALUE = /^sha256=([A-Za-z0-9+/]{43}=)$/;

/** API Gateway comma-joins repeated headers (§6.1); more than a few values is not X. */
const MAX_SIGNATURE_VALUES = 4;

export type XVerifyOutcome = { ok: true } | { ok: false; reason: string };

/**
 * The CRC answer: HMAC-SHA256 keyed with the consumer secret over the token exactly as received
 * (not base64-decoded), base64, prefixed `sha256=` (§1.2). It is the same construction as the POST
 * signature, which is why the CRC handler only answers token-shaped input (see crc.ts).
 */
export function crcResponseToken(crcToken: string, consumerSecret: string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(crcToken).digest('base64')}`;
}

/** The `x-twitter-webhooks-signature` value X puts on a POST carrying `body` (§1.3). */
export function signXBody(body: Buffer | string, consumerSecret: string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(body).digest('base64')}`;
}

/**
 * Checks `x-twitter-webhooks-signature` over the exact raw body bytes (§0, §6.1), accepting any
 * configured consumer secret so one can rotate without downtime. The header is decoded strictly
 * and compared in constant time (§6.2); malformed values are rejected, never thrown on.
 */
export function verifyXSignature(
  headers: Readonly<Record<string, string | undefined>>,
  body: Buffer,
  consumerSecrets: readonly string[],
): XVerifyOutcome {
  const secrets = usableSecrets(consumerSecrets);
  if (secrets.length === 0) return { ok: false, reason: 'X_CONSUMER_SECRET is not configured' };
  const header = headerValue(headers, X_SIGNATURE_HEADER);
  if (typeof header !== 'string' || header === '') return { ok: false, reason: `missing ${X_SIGNATURE_HEADER} header` };

  const candidates = header
    .split(',', MAX_SIGNATURE_VALUES + 1)
    .slice(0, MAX_SIGNATURE_VALUES)
    .map((value) => decodeSignature(value.trim()))
    .filter((mac): mac is Buffer => mac !== undefined);
  if (candidates.length === 0) return { ok: false, reason: `malformed ${X_SIGNATURE_HEADER} header` };

  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    // Every pair is compared, so the time taken says nothing about which secret or value matched.
    for (const candidate of candidates) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  return matched ? { ok: true } : { ok: false, reason: `${X_SIGNATURE_HEADER} does not match` };
}

/** The same check for a request handler: throws AuthenticationError with the reason, which never quotes the body. */
export function assertXSignature(headers: Readonly<Record<string, string | undefined>>, body: Buffer, consumerSecrets: readonly string[]): void {
  const outcome = verifyXSignature(headers, body, consumerSecrets);
  if (!outcome.ok) throw new AuthenticationError(`X signature rejected: ${outcome.reason}`);
}

/** Secrets that can key an HMAC nobody else can compute: an empty one would sign for anyone. */

function decodeSignature(value: string): Buffer | undefined {
  const match = SIGNATURE_VALUE.exec(value);
  if (!match) return undefined;
  const encoded = match[1]!;
  const mac = Buffer.from(encoded, 'base64');
  // Node's decoder ignores stray bits in the last character; only the canonical spelling is X's.
  return mac.length === 32 && mac.toString('base64') === encoded ? mac : undefined;
}

/** Header names arrive lower-cased from API Gateway (§6.1); other callers may not have done that. */
