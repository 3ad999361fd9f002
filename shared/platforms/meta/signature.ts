import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '#domain/errors';
import { headerValue, usableSecrets } from '../signature-inputs.ts';

/**
 * Only the SHA-256 header counts; whether Meta still sends the old sha1 `x-hub-signature` is
 * unconfirmed, and it is ignored either way (../shared/specs/webhooks.md §2.3).
 */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** Meta signs with lowercase hex digits (§2.3); uppercase or any other shape is rejected (§6.2). */
const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

/** Longer than a handful of comma-joined duplicates (§6.1) is not a header Meta sent. */
const MAX_HEADER_LENGTH = 1024;

export type MetaVerifyOutcome = { ok: true } | { ok: false; reason: string };

/** The `x-hub-signature-256` value Meta puts on a delivery: `sha256=` + lowercase hex HMAC-SHA256 of the body. */
export function signMetaBody(body: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/**
 * Verifies a Meta delivery over the exact raw body bytes (§2.3: Meta signs an escaped-unicode
 * body, so re-serialised JSON would not match). Any configured app secret is accepted, so the
 * secret rotates without downtime. Never throws; the comparison is constant-time.
 */
export function verifyMetaSignature(
  headers: Readonly<Record<string, string | undefined>>,
  body: Buffer,
  appSecrets: readonly string[],
): MetaVerifyOutcome {
  const secrets = usableSecrets(appSecrets);
  if (secrets.length === 0) return { ok: false, reason: 'no Meta app secret is configured (META_APP_SECRET)' };
  const header = headerValue(headers, SIGNATURE_HEADER);
  if (header === undefined) return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  if (header.length > MAX_HEADER_LENGTH) return { ok: false, reason: `malformed ${SIGNATURE_HEADER} header` };

  // API Gateway joins repeated headers with commas (§6.1); each part must be well-formed.
  const candidates: Buffer[] = [];
  for (const part of header.split(',')) {
    const match = SIGNATURE.exec(part.trim());
    if (!match?.[1]) return { ok: false, reason: `malformed ${SIGNATURE_HEADER} header` };
    candidates.push(Buffer.from(match[1], 'hex'));
  }
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    if (candidates.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))) return { ok: true };
  }
  return { ok: false, reason: `${SIGNATURE_HEADER} matches no configured app secret` };
}

/** The same check for a request handler: throws AuthenticationError with the reason (no body content). */
export function assertMetaSignature(
  headers: Readonly<Record<string, string | undefined>>,
  body: Buffer,
  appSecrets: readonly string[],
): void {
  const outcome = verifyMetaSignature(headers, body, appSecrets);
  if (!outcome.ok) throw new AuthenticationError(`Meta signature rejected: ${outcome.reason}`);
}

/** API Gateway lower-cases header names (§6.1); other callers (tests, the local gateway) may not. */
