import type { Classification } from '#contracts/classification';
import type { OutgoingEvent } from '#contracts/events';
import type { Platform } from '#contracts/social-post';
import type { Ticket, TicketActor, TicketStatus } from '#contracts/ticket';
import type { StoredPost } from './tickets/open-ticket.ts';
import type { TicketChange } from './tickets/ticket-changes.ts';

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

/** A change that was stored, and the claim on the outbox it took with it, if no other runner held one. */
export interface SavedChange {
  claim: OutboxClaim | null;
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

/** A ticket as stored, with the ids of the posts it holds (so a follow-up is counted once). */
export interface StoredTicket {
  ticket: Ticket;
  postIds: ReadonlySet<string>;
}

/** One entry of a ticket's history: a Ticket.* event it emitted. */
export interface HistoryEntry {
  version: number;
  at: string;
  detailType: string;
  detail: Record<string, unknown>;
}

/** An agent's reply and how its delivery to the platform went. */
export interface ReplyRecord {
  replyId: string;
  ticketId: string;
  text: string;
  agent: TicketActor;
  replyTo: { platform: Platform; postId: string };
  createdAt: string;
  delivery: {
    /** `sending` while a runner holds it; `failed` is final (the reason says why and what to check). */
    status: 'pending' | 'sending' | 'sent' | 'failed';
    attempts: number;
    platformId?: string;
    reason?: string;
    at?: string;
  };
}

/** Everything an agent sees of a ticket, read in one query. */
export interface TicketView {
  ticket: Ticket;
  posts: StoredPost[];
  replies: ReplyRecord[];
  history: HistoryEntry[];
}

/** An author in a queue: their follow-ups there join one ticket while it is recent. */
export interface AuthorKey {
  platform: Platform;
  authorId: string;
  queue: string;
}

export interface TicketRepository {
  /**
   * Stores a new ticket with its first post and the events it emits (as its outbox). Safe to
   * repeat: a ticket or post that already exists is left as it is. The call that stores the
   * ticket also holds the lease on its outbox from `now` and gets the claim back, so it can
   * publish without another write; a repeat gets null.
   */
  createTicket(ticket: Ticket, post: StoredPost, events: OutgoingEvent[], now: Date): Promise<OutboxClaim | null>;
  /** Replaces a stored post with a later edit of it; false when there is no such post or the edit is not newer. */
  recordPostEdit(ticketId: string, post: StoredPost): Promise<boolean>;
  /** Leases the ticket's unpublished events, or returns null when there are none or another holds them. */
  claimOutbox(ticketId: string, now: Date): Promise<OutboxClaim | null>;
  /**
   * Clears the events published under the lease and puts the ticket under its next deadline.
   * True when changes made meanwhile left events of their own, which the lease holder may then
   * claim and publish in turn; false when the outbox is empty or another runner took it over.
   */
  completeOutbox(claim: OutboxClaim): Promise<boolean>;
  /**
   * Gives the lease up after a publish that failed, so the next runner need not wait for it to
   * expire. `published` names the claimed events (positions in `claim.events`) the bus did take:
   * they come off the outbox, so only the rest go out again.
   */
  releaseOutbox(claim: OutboxClaim, published?: readonly number[]): Promise<void>;
  /** Tickets whose next deadline is at or before `now`, oldest first. */
  findDue(now: Date, limit: number): Promise<DueTicket[]>;
  listQueue(query: QueueQuery): Promise<TicketPage>;
  /**
   * How many of the queue's tickets are in `statuses`, counted on the queue's index (never a
   * scan). With `dueBy`, only those with a running SLA clock due at or before that time,
   * overdue ones included.
   */
  countQueue(query: { queue: string; statuses: readonly TicketStatus[]; dueBy?: Date }): Promise<number>;
  /** The ticket, read consistently, or null. */
  findTicket(ticketId: string): Promise<StoredTicket | null>;
  /** The ticket with its posts, replies and history, or null. */
  getTicketView(ticketId: string): Promise<TicketView | null>;
  /**
   * Stores `change` (its ticket and events) if the ticket is still at `before.version`; null if
   * it moved on. With `followUp`, also stores that post under the ticket, counted once: null
   * as well when the ticket already holds it. The same write takes the lease on the ticket's
   * outbox from `now` unless another runner holds one; the claim then comes back with it.
   */
  saveChange(before: Ticket, change: TicketChange, options: { now: Date; followUp?: StoredPost }): Promise<SavedChange | null>;
  /** The ticket a post was given to, or null for a post not seen yet. */
  ticketOfPost(platform: Platform, postId: string): Promise<string | null>;
  /**
   * Gives a post to a ticket once; returns the ticket it belongs to (an earlier assignment wins,
   * unless it is to `replacing`: a closed ticket the post can no longer join).
   */
  assignPostToTicket(platform: Platform, postId: string, ticketId: string, receivedAt: string, replacing?: string): Promise<string>;
  /**
   * The author's current ticket in a queue: `candidate` if the author has none whose last post
   * is within `windowSeconds` of `receivedAt` (it becomes theirs), or the one they have.
   */
  claimAuthorTicket(author: AuthorKey, candidate: string, receivedAt: string, windowSeconds: number): Promise<string>;
  /** The ticket the author's pointer in a queue names, with the time of their last post there; null when there is none. */
  readAuthorTicket(author: AuthorKey): Promise<{ ticketId: string; lastPostAt: string } | null>;
  /** Moves the author's last post time forward, while `ticketId` is still their ticket. */
  touchAuthorTicket(author: AuthorKey, ticketId: string, receivedAt: string): Promise<void>;
  /** Lets the author's next post open a new ticket (theirs is closed), if `ticketId` is still theirs. */
  releaseAuthorTicket(author: AuthorKey, ticketId: string): Promise<void>;
  /** Records events as the ticket's history (and replies as reply records); safe to repeat. */
  recordEvents(ticketId: string, events: readonly OutgoingEvent[], now: Date): Promise<void>;
}
