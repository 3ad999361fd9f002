import type { Classification } from '#contracts/classification';
import type { OutgoingEvent } from '#contracts/events';
import type { Ticket, TicketStatus } from '#contracts/ticket';
import type { StoredPost } from './tickets/open-ticket.ts';

/** The only doors out of the domain. Adapters in shared/adapters implement them. */

export type Clock = () => Date;

export interface EventPublisher {
  /**
   * Publishes every event or throws PublishError naming the ones it could not hand on; never
   * returns with an event left behind.
   */
  publish(events: OutgoingEvent[]): Promise<void>;
}

export interface PostToClassify {
  text: string;
  /** ISO 8601 with the post's own offset, for waits stated as "since 6am". */
  createdAt?: string;
  /** The platform's guess at the language (X's `lang`). */
  languageHint?: string;
}

/**
 * Decides whether posts are issues, what kind and how urgent, with reasons. The webhook uses the
 * embedded model (shared/adapters/embedded-classifier.ts); another backend (Amazon Bedrock,
 * Comprehend) implements this and nothing else changes. Asynchronous because such a backend is.
 */
export interface Classifier {
  /** One classification per post, in the posts' order. */
  classify(posts: readonly PostToClassify[]): Promise<Classification[]>;
}

export type DedupeClaim = { outcome: 'claimed'; token: string } | { outcome: 'duplicate' } | { outcome: 'in_progress' };

/**
 * Remembers which deliveries were handed on, so a platform's retry (or the same post arriving
 * through two products) has no second effect. A claim is held while the delivery is handed on,
 * then completed; a failed hand-on releases it so the retry can claim it again.
 */
export interface DedupeStore {
  /** Claims `key`, or says it was handed on before, or that another request holds it right now. */
  claim(key: string, now: Date): Promise<DedupeClaim>;
  /** Marks keys handed on; in bulk, since a Meta delivery can hand on 1,000 posts at once. */
  complete(claims: ReadonlyArray<{ key: string; token: string }>): Promise<void>;
  release(key: string, token: string): Promise<void>;
}

export interface OutboxClaim {
  ticketId: string;
  token: string;
  events: OutgoingEvent[];
  /** The ticket as it was when claimed; no change can land while its events are unpublished. */
  ticket: Ticket;
}

/** A ticket the SLA monitor must look at: a deadline passed, or events still to publish. */
export interface DueTicket {
  ticket: Ticket;
  outboxPending: boolean;
}

export interface QueueQuery {
  queue: string;
  statuses: readonly TicketStatus[];
  limit: number;
  cursor?: string;
}

export interface TicketPage {
  tickets: Ticket[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}

export interface TicketRepository {
  /**
   * Stores a new ticket with its first post and the events it emits (as its outbox). Safe to
   * repeat: a ticket or post that already exists is left as it is.
   */
  createTicket(ticket: Ticket, post: StoredPost, events: OutgoingEvent[]): Promise<void>;
  /** Replaces a stored post with a later edit of it; false when there is no such post or the edit is not newer. */
  recordPostEdit(ticketId: string, post: StoredPost): Promise<boolean>;
  /** Leases the ticket's unpublished events, or returns null when there are none or another holds them. */
  claimOutbox(ticketId: string, now: Date): Promise<OutboxClaim | null>;
  /** Clears the events published under the lease and puts the ticket under its next deadline. */
  completeOutbox(claim: OutboxClaim): Promise<void>;
  /** Gives the lease up without publishing, so the next runner need not wait for it to expire. */
  releaseOutbox(claim: OutboxClaim): Promise<void>;
  /** Tickets whose next deadline is at or before `now`, oldest first. */
  findDue(now: Date, limit: number): Promise<DueTicket[]>;
  /**
   * Marks the first-response breach once and stores the event to emit. False when the ticket
   * moved on (another monitor marked it, or it changed since it was read).
   */
  markFirstResponseBreached(ticket: Ticket, now: Date, event: OutgoingEvent): Promise<boolean>;
  listQueue(query: QueueQuery): Promise<TicketPage>;
}
