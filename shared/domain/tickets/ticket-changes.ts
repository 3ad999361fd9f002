import type { Priority } from '#contracts/classification';
import {
  DetailType,
  EventSource,
  type OutgoingEvent,
  type TicketReopenedDetail,
  type TicketResolvedDetail,
  type TicketRespondedDetail,
  type TicketUpdatedDetail,
} from '#contracts/events';
import type { Platform } from '#contracts/social-post';
import type { Ticket, TicketActor, TicketStatus } from '#contracts/ticket';
import { ConflictError, ValidationError } from '../errors.ts';
import type { StoredPost } from './open-ticket.ts';

/** A ticket after one change (its version one higher), and the events that announce the change. */
export interface TicketChange {
  ticket: Ticket;
  events: OutgoingEvent[];
}

export type AgentAction =
  | { kind: 'claim' }
  | { kind: 'reply'; replyId: string; text: string }
  | { kind: 'pending' }
  | { kind: 'resolve' }
  | { kind: 'reopen' };

/**
 * The longest reply each platform takes, in characters (code points): X 280 (it weighs some
 * characters double and every URL as 23, so a reply near the limit can still be refused there),
 * Messenger 2,000, Instagram comments 2,200, Facebook comments 8,000.
 */
export const REPLY_LIMITS: Record<Platform, number> = { x: 280, messenger: 2_000, instagram: 2_200, facebook: 8_000, generic: 10_000 };

const WORKING: readonly TicketStatus[] = ['new', 'open', 'pending_customer'];

/**
 * What an agent's action does to a ticket, or a ConflictError saying why the ticket's status
 * does not allow it. Pure: the caller stores the result only if the ticket is still at the
 * version it read.
 */
export function agentChange(ticket: Ticket, action: AgentAction, agent: { id: string; name?: string }, now: Date): TicketChange {
  const actor: TicketActor = { kind: 'agent', id: agent.id, ...(agent.name ? { name: agent.name } : {}) };
  const at = now.toISOString();
  switch (action.kind) {
    case 'claim': {
      requireStatus(ticket, WORKING, 'claimed');
      const next = bump(ticket, at, { status: ticket.status === 'new' ? 'open' : ticket.status, assignee: actor });
      return { ticket: next, events: [updated(ticket, next, actor, at, { change: 'claimed' })] };
    }
    case 'reply': {
      requireStatus(ticket, WORKING, 'answered');
      const text = action.text.trim();
      const platform = ticket.replyTo?.platform ?? ticket.author.platform;
      const length = [...text].length;
      if (length === 0) throw new ValidationError('a reply needs some text', [{ path: 'text', message: 'empty' }]);
      if (length > REPLY_LIMITS[platform]) {
        throw new ValidationError(`a reply on ${platform} takes at most ${REPLY_LIMITS[platform]} characters; this one has ${length}`, [
          { path: 'text', message: `at most ${REPLY_LIMITS[platform]} characters on ${platform}` },
        ]);
      }
      const firstResponse = ticket.firstResponseAt === null;
      const next = bump(ticket, at, {
        status: ticket.status === 'new' ? 'open' : ticket.status,
        assignee: ticket.assignee ?? actor,
        firstResponseAt: ticket.firstResponseAt ?? at,
      });
      const detail: TicketRespondedDetail = {
        ...changeFields(ticket, next, actor, at),
        replyId: action.replyId,
        text,
        replyTo: ticket.replyTo ?? { platform: ticket.author.platform, postId: ticket.firstPostId },
        firstResponse,
      };
      return { ticket: next, events: [event(DetailType.ticketResponded, detail)] };
    }
    case 'pending': {
      requireStatus(ticket, ['new', 'open'], 'set to wait for the customer');
      const next = bump(ticket, at, { status: 'pending_customer' });
      return { ticket: next, events: [updated(ticket, next, actor, at, { change: 'pending_customer' })] };
    }
    case 'resolve': {
      requireStatus(ticket, WORKING, 'resolved');
      const next = bump(ticket, at, { status: 'solved', solvedAt: at });
      const detail: TicketResolvedDetail = changeFields(ticket, next, actor, at);
      return { ticket: next, events: [event(DetailType.ticketResolved, detail)] };
    }
    case 'reopen': {
      if (ticket.status === 'closed') {
        throw new ConflictError(`ticket ${ticket.id} is closed and stays closed; the customer's next post opens a new ticket`);
      }
      requireStatus(ticket, ['solved'], 'reopened');
      const next = bump(ticket, at, { status: 'open', solvedAt: null });
      const detail: TicketReopenedDetail = changeFields(ticket, next, actor, at);
      return { ticket: next, events: [event(DetailType.ticketReopened, detail)] };
    }
  }
}

/**
 * A follow-up post from the ticket's customer joins the ticket: it counts the post, answers a
 * wait for the customer, reopens a solved ticket, and raises the priority if the new post is
 * more urgent. The caller has checked that the ticket is not closed and the post is new to it.
 */
export function followUpChange(ticket: Ticket, stored: StoredPost, now: Date): TicketChange {
  if (ticket.status === 'closed') throw new ConflictError(`ticket ${ticket.id} is closed; a follow-up opens a new ticket`);
  const at = now.toISOString();
  const { post, classification, receivedAt } = stored;
  const actor: TicketActor = { kind: 'customer', id: post.author.id, ...(post.author.handle ? { name: post.author.handle } : {}) };
  // As instants: the contract lets a time carry any number of decimals, so the text does not sort.
  const latest = ticket.lastCustomerPostAt === undefined || Date.parse(receivedAt) >= Date.parse(ticket.lastCustomerPostAt);
  const priority = higherPriority(ticket.priority, classification.priority);
  const reopened = ticket.status === 'solved';
  const next = bump(ticket, at, {
    status: ticket.status === 'new' ? 'new' : 'open',
    priority,
    solvedAt: reopened ? null : ticket.solvedAt,
    postCount: ticket.postCount + 1,
    ...(latest ? { lastCustomerPostAt: new Date(receivedAt).toISOString(), replyTo: { platform: post.platform, postId: post.id } } : {}),
  });
  const raised = priority !== ticket.priority ? { previousPriority: ticket.priority } : {};
  if (reopened) {
    const detail: TicketReopenedDetail = { ...changeFields(ticket, next, actor, at), postId: post.id, ...raised };
    return { ticket: next, events: [event(DetailType.ticketReopened, detail)] };
  }
  return {
    ticket: next,
    events: [updated(ticket, next, actor, at, { change: 'follow_up', postId: post.id, ...raised })],
  };
}

/** P1 is the most urgent; the more urgent of the two wins. */
export function higherPriority(a: Priority, b: Priority): Priority {
  return a <= b ? a : b;
}

function requireStatus(ticket: Ticket, allowed: readonly TicketStatus[], doing: string): void {
  if (allowed.includes(ticket.status)) return;
  const hint = ticket.status === 'solved' ? '; reopen it first' : ticket.status === 'closed' ? '; it is final' : '';
  throw new ConflictError(`ticket ${ticket.id} is ${ticket.status.replace('_', ' ')} and cannot be ${doing}${hint}`);
}

function bump(ticket: Ticket, at: string, changes: Partial<Ticket>): Ticket {
  return { ...ticket, ...changes, version: ticket.version + 1, updatedAt: at };
}

function changeFields(before: Ticket, after: Ticket, actor: TicketActor, at: string) {
  return {
    ticketId: after.id,
    queue: after.queue,
    priority: after.priority,
    version: after.version,
    status: after.status,
    previousStatus: before.status,
    actor,
    at,
  };
}

function updated(
  before: Ticket,
  after: Ticket,
  actor: TicketActor,
  at: string,
  extra: Pick<TicketUpdatedDetail, 'change'> & Partial<Pick<TicketUpdatedDetail, 'postId' | 'previousPriority'>>,
): OutgoingEvent {
  const detail: TicketUpdatedDetail = { ...changeFields(before, after, actor, at), ...extra };
  return event(DetailType.ticketUpdated, detail);
}

function event(detailType: OutgoingEvent['detailType'], detail: object): OutgoingEvent {
  return { source: EventSource.tickets, detailType, detail: detail as Record<string, unknown> };
}
