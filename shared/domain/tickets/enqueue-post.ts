import type { PostClassifiedDetail } from '#contracts/events';
import { InProgressError } from '../errors.ts';
import type { AuthorKey, Clock, EventPublisher, OutboxClaim, TicketRepository } from '../ports.ts';
import type { SlaPolicies } from '../sla/sla-policies.ts';
import { withSla } from '../sla/ticket-clocks.ts';
import { deliverOutbox } from './deliver-outbox.ts';
import { openTicket, type StoredPost } from './open-ticket.ts';
import { followUpChange } from './ticket-changes.ts';

export type EnqueueResult =
  | { outcome: 'not_routed' }
  | { outcome: 'ticket' | 'follow_up' | 'duplicate'; ticketId: string; eventsPublished: number };

export interface EnqueuePorts {
  tickets: TicketRepository;
  events: EventPublisher;
  now: Clock;
  /** The SLA policies of the config (shared/domain/sla/sla-policies.ts). */
  sla: SlaPolicies;
  /** Config `tickets.followUpWindow`, in seconds. */
  followUpWindowSeconds: number;
  /** The configured queues' names: where a post routed to no queue looks for its author's open ticket. */
  queues: readonly string[];
  /** Waits between attempts when another runner holds the ticket (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

/** Attempts at joining a ticket before the event is handed back for a retry. */
const JOIN_ATTEMPTS = 100;

/**
 * The enqueue use case: a routed issue post opens a ticket in its queue, or joins the author's
 * ticket there when they wrote within the follow-up window (reopening it if solved); a post
 * routed to no queue only ever joins one (`joinAuthorTicket`). Every
 * step is safe to repeat, since the event may arrive more than once, and safe against other
 * runners handling the same author's posts at the same moment:
 * 1. the post's ticket is decided once (`assignPostToTicket`), so a redelivery goes where the
 *    first delivery went;
 * 2. the author's pointer names at most one current ticket per queue (a conditional put);
 * 3. a follow-up is stored with a version check and counted once (the ticket's post-id set);
 * 4. the ticket's events are published from its outbox.
 */
export async function enqueuePost(event: PostClassifiedDetail, ports: EnqueuePorts): Promise<EnqueueResult> {
  // One form for every stored time (toISOString's), so times compare as text in DynamoDB too.
  const detail = { ...event, receivedAt: new Date(event.receivedAt).toISOString() };
  const { queue, post, receivedAt } = detail;
  if (queue === null) return joinAuthorTicket(detail, ports);
  const opened = openTicket({ ...detail, queue }, ports.sla);
  const author: AuthorKey = { platform: post.platform, authorId: post.author.id, queue };
  const { tickets } = ports;

  let ticketId = await tickets.ticketOfPost(post.platform, post.id);
  if (ticketId === null) {
    const current = await tickets.claimAuthorTicket(author, opened.ticket.id, receivedAt, ports.followUpWindowSeconds);
    ticketId = await tickets.assignPostToTicket(post.platform, post.id, current, receivedAt);
  }

  let outcome: 'ticket' | 'follow_up' | 'duplicate' = 'ticket';
  // The write that stores the ticket (or the follow-up's change) also claims its outbox.
  let claim: OutboxClaim | null = null;
  if (ticketId !== opened.ticket.id) {
    const joined = await joinTicket(ticketId, { ...opened.post, ticketId }, ports);
    if (joined.outcome === 'closed') {
      // The author's ticket was closed under us: this post starts their next one.
      await tickets.releaseAuthorTicket(author, ticketId);
      const current = await tickets.claimAuthorTicket(author, opened.ticket.id, receivedAt, ports.followUpWindowSeconds);
      const assigned = await tickets.assignPostToTicket(post.platform, post.id, current, receivedAt, ticketId);
      if (assigned !== opened.ticket.id) throw new InProgressError(`post ${post.id} moved to ticket ${assigned} while being enqueued; retry`);
      ticketId = assigned;
    } else {
      ({ outcome, claim } = joined);
    }
  }
  if (ticketId === opened.ticket.id) claim = await tickets.createTicket(opened.ticket, opened.post, opened.events, ports.now());
  // An edit of a post already under a ticket replaces its text there.
  if (post.editedAt) await tickets.recordPostEdit(ticketId, { ...opened.post, ticketId });
  const eventsPublished = await deliverOutbox(ticketId, ports, claim);
  return { outcome, ticketId, eventsPublished };
}

/**
 * A post routed to no queue (no issue: "here is my booking ref", a photo) joins its author's
 * open ticket when they wrote to one within the follow-up window, in whichever queue: the one
 * they wrote to last. It never opens a ticket; with none to join, or theirs closed, nothing is
 * stored. The post's ticket is decided once, so a redelivery goes where the first went.
 */
async function joinAuthorTicket(detail: PostClassifiedDetail, ports: EnqueuePorts): Promise<EnqueueResult> {
  const { post, classification, receivedAt } = detail;
  const { tickets } = ports;
  let ticketId = await tickets.ticketOfPost(post.platform, post.id);
  if (ticketId === null) {
    const windowStart = Date.parse(receivedAt) - ports.followUpWindowSeconds * 1000;
    const pointers = await Promise.all(ports.queues.map((queue) => tickets.readAuthorTicket({ platform: post.platform, authorId: post.author.id, queue })));
    let latest: { ticketId: string; at: number } | undefined;
    for (const pointer of pointers) {
      if (pointer === null) continue;
      const at = Date.parse(pointer.lastPostAt);
      if (at >= windowStart && (latest === undefined || at > latest.at)) latest = { ticketId: pointer.ticketId, at };
    }
    if (latest === undefined) return { outcome: 'not_routed' };
    ticketId = await tickets.assignPostToTicket(post.platform, post.id, latest.ticketId, receivedAt);
  }
  const joined = await joinTicket(ticketId, { ticketId, post, classification, receivedAt }, ports);
  if (joined.outcome === 'closed') return { outcome: 'not_routed' };
  if (post.editedAt) await tickets.recordPostEdit(ticketId, { ticketId, post, classification, receivedAt });
  const eventsPublished = await deliverOutbox(ticketId, ports, joined.claim);
  return { outcome: joined.outcome, ticketId, eventsPublished };
}

/**
 * Adds a follow-up to the author's ticket: re-reads and retries while other runners change the
 * ticket, and waits while its creator is still writing it.
 */
async function joinTicket(
  ticketId: string,
  stored: StoredPost,
  ports: EnqueuePorts,
): Promise<{ outcome: 'follow_up' | 'duplicate' | 'closed'; claim: OutboxClaim | null }> {
  const sleep = ports.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; attempt <= JOIN_ATTEMPTS; attempt++) {
    const current = await ports.tickets.findTicket(ticketId);
    if (current?.postIds.has(stored.post.id)) return { outcome: 'duplicate', claim: null };
    if (current?.ticket.status === 'closed') return { outcome: 'closed', claim: null };
    if (current) {
      const now = ports.now();
      const change = withSla(current.ticket, followUpChange(current.ticket, stored, now), now, ports.sla);
      const saved = await ports.tickets.saveChange(current.ticket, change, { now, followUp: stored });
      if (saved) {
        const author: AuthorKey = { platform: stored.post.platform, authorId: stored.post.author.id, queue: current.ticket.queue };
        await ports.tickets.touchAuthorTicket(author, ticketId, stored.receivedAt);
        return { outcome: 'follow_up', claim: saved.claim };
      }
    }
    // Another runner changed the ticket, or its first post is still being stored: back off a little.
    await sleep(Math.min(5 * attempt, 100) * (0.5 + Math.random()));
  }
  throw new InProgressError(`ticket ${ticketId} kept changing (or is still being created) while post ${stored.post.id} tried to join it; retry`);
}
