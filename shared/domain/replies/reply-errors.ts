/** How sending a reply to a platform can end, as every platform adapter reports it. */

/** What the platform made of the reply: its own id for it. */
export interface SentReply {
  platformId: string;
}

/**
 * The platform refused the reply for good (a 4xx other than 408/429, or a post nothing can be
 * sent to): sending it again would fail the same way. `reason` says what to do about it.
 */
export class ReplyRejectedError extends Error {
  override readonly name = 'ReplyRejectedError';
}

/**
 * The platform could not take the reply just now (429, 5xx, a timeout, the network): a later
 * attempt may succeed. `maybeDelivered` when the request may have reached the platform.
 */
export class ReplyUnavailableError extends Error {
  override readonly name = 'ReplyUnavailableError';
  constructor(
    message: string,
    readonly maybeDelivered: boolean,
    /** Seconds the platform asked us to wait (Retry-After, x-rate-limit-reset). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
