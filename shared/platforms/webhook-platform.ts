import type { ParsedDelivery } from '#contracts/delivery';

export type { Ignored, IncomingPost, ParsedDelivery, Removal } from '#contracts/delivery';

/**
 * What every platform's webhook module provides (shared/platforms/<platform>/), so the webhook
 * function handles X, Meta and Standard Webhooks senders the same way: handshake, verify the
 * raw bytes, then parse into normalised posts. ../shared/specs/webhooks.md has each contract.
 */
export interface WebhookPlatform<Secrets> {
  /** The path segment: POST /webhooks/{name}. */
  name: string;
  /** Larger bodies are refused with 413 before anything else looks at them. */
  maxBodyBytes: number;
  /**
   * GET: the platform's verification handshake (X's CRC, Meta's hub.challenge). Absent when the
   * platform has none; then GET is answered 405.
   */
  handshake?(query: Readonly<Record<string, string | undefined>>, secrets: Secrets): HandshakeResponse;
  /**
   * Checks the signature over the exact raw body bytes, with every configured secret accepted;
   * throws AuthenticationError (from #domain/errors) with a reason that carries no body content.
   */
  verify(headers: Readonly<Record<string, string | undefined>>, body: Buffer, secrets: Secrets, now: Date): void;
  /**
   * Parses a verified body; throws ValidationError (from #domain/errors) naming the problem when
   * it is not JSON or not a shape the platform documents. Never throws anything else.
   */
  parse(body: Buffer, now: Date): ParsedDelivery;
}

export interface HandshakeResponse {
  statusCode: number;
  contentType: string;
  body: string;
}
