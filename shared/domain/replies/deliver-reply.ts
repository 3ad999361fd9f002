import type { TicketRespondedDetail } from '#contracts/events';
import type { SocialPost } from '#contracts/social-post';
import { ReplyRejectedError, ReplyUnavailableError, type SentReply } from './reply-errors.ts';
import { InProgressError } from '../errors.ts';
import type { Clock, ReplyRecord } from '../ports.ts';

export type ReplyClaim =
  | { outcome: 'claimed'; token: string; attempt: number }
  /** Sent or failed before: nothing to do. */
  | { outcome: 'done'; reply: ReplyRecord }
  /** Another runner is sending it right now. */
  | { outcome: 'busy' }
  /** A runner took it and never said how it went: the platform may have it. */
  | { outcome: 'abandoned'; token: string };

/** Where replies and their delivery state are kept (shared/adapters/reply-store.ts). */
export interface ReplyStore {
  /** The reply and the customer's post it answers; null while either is not stored. */
  find(ticketId: string, replyId: string): Promise<{ reply: ReplyRecord; post: SocialPost } | null>;
  /** Takes a pending reply for sending, under a lease. */
  claim(ticketId: string, replyId: string, now: Date): Promise<ReplyClaim>;
  recordSent(ticketId: string, replyId: string, token: string, platformId: string, now: Date): Promise<void>;
  /** For good: the reply will not be sent again. */
  recordFailed(ticketId: string, replyId: string, token: string, reason: string, now: Date): Promise<void>;
  /** Back to pending, for a later attempt, with the reason this one failed. */
  release(ticketId: string, replyId: string, token: string, reason: string, now: Date): Promise<void>;
}

export interface ReplySenderPort {
  send(post: SocialPost, text: string): Promise<SentReply>;
}

export type ReplyOutcome =
  | { outcome: 'sent'; platformId: string }
  | { outcome: 'failed'; reason: string }
  | { outcome: 'already_done'; status: ReplyRecord['delivery']['status'] }
  | { outcome: 'in_progress' };

/** Attempts within one invocation for a reply the platform could not take; then a later retry. */
export const ATTEMPTS_PER_RUN = 3;
const BACKOFF_MS = [1_000, 4_000];

/**
 * Sends one agent reply to the platform, at most once: the reply is leased before the call and
 * its outcome recorded under that lease. A refusal is recorded as failed with the platform's
 * reason. A platform that cannot take it just now is tried again with backoff; after
 * ATTEMPTS_PER_RUN the reply goes back to pending and the invocation fails, so the bus retries
 * it later (and dead-letters it in the end, for a redrive). When a call may have reached the
 * platform without an answer (a timeout, a 500), or an earlier runner died mid-call, the reply
 * is recorded as failed with that said, rather than risk posting it twice.
 */
export async function deliverReply(
  event: Pick<TicketRespondedDetail, 'ticketId' | 'replyId'>,
  ports: { replies: ReplyStore; sender: ReplySenderPort; now: Clock; sleep?: (ms: number) => Promise<void> },
): Promise<ReplyOutcome> {
  const { ticketId, replyId } = event;
  const sleep = ports.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const found = await ports.replies.find(ticketId, replyId);
  // The reply is stored before its event is published (deliverOutbox), so this is a brief race at most.
  if (!found) throw new InProgressError(`reply ${replyId} of ticket ${ticketId} or the post it answers is not stored yet; retry`);

  const claim = await ports.replies.claim(ticketId, replyId, ports.now());
  if (claim.outcome === 'done') return { outcome: 'already_done', status: claim.reply.delivery.status };
  if (claim.outcome === 'busy') return { outcome: 'in_progress' };
  if (claim.outcome === 'abandoned') {
    const reason = 'an earlier attempt stopped before the platform answered; it may have posted the reply, so check there before sending it again';
    await ports.replies.recordFailed(ticketId, replyId, claim.token, reason, ports.now());
    return { outcome: 'failed', reason };
  }

  let lastError = '';
  for (let attempt = 1; attempt <= ATTEMPTS_PER_RUN; attempt++) {
    let sent: SentReply;
    try {
      sent = await ports.sender.send(found.post, found.reply.text);
    } catch (error) {
      if (error instanceof ReplyRejectedError) {
        await ports.replies.recordFailed(ticketId, replyId, claim.token, error.message, ports.now());
        return { outcome: 'failed', reason: error.message };
      }
      if (!(error instanceof ReplyUnavailableError)) {
        await ports.replies.release(ticketId, replyId, claim.token, `unexpected: ${(error as Error).message}`, ports.now());
        throw error;
      }
      if (error.maybeDelivered) {
        const reason = `${error.message}; the platform may have posted it, so check there before sending it again`;
        await ports.replies.recordFailed(ticketId, replyId, claim.token, reason, ports.now());
        return { outcome: 'failed', reason };
      }
      lastError = error.message;
      const wait = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : BACKOFF_MS[attempt - 1];
      // A wait longer than the backoff (a rate-limit reset far off) is left to the bus's retry.
      if (attempt < ATTEMPTS_PER_RUN && wait !== undefined && wait <= 10_000) {
        await sleep(wait);
        continue;
      }
      break;
    }
    // The platform has it. The store retries recording that through throttling; should it fail
    // all the same, the reply stays `sending` until its lease runs out and the next run records
    // it as failed-maybe-posted: never back to pending, which would post it again.
    await ports.replies.recordSent(ticketId, replyId, claim.token, sent.platformId, ports.now());
    return { outcome: 'sent', platformId: sent.platformId };
  }
  await ports.replies.release(ticketId, replyId, claim.token, lastError, ports.now());
  throw new ReplyDeferredError(`reply ${replyId} not sent yet: ${lastError}`);
}

/** The platform could not take the reply in this invocation; it is pending again and the event should be retried. */
export class ReplyDeferredError extends Error {
  override readonly name = 'ReplyDeferredError';
}
