import type { Classification } from '#contracts/classification';
import { DetailType, EventSource, type OutgoingEvent, type PostClassifiedDetail, type TicketCreatedDetail } from '#contracts/events';
import type { SocialPost } from '#contracts/social-post';
import type { Ticket } from '#contracts/ticket';
import type { SlaPolicies } from '../sla/sla-policies.ts';
import { openingSla } from '../sla/ticket-clocks.ts';
import { ticketIdForPost } from './ticket-id.ts';

const PREVIEW_LENGTH = 280;

/** A post as kept under its ticket. */
export interface StoredPost {
  ticketId: string;
  post: SocialPost;
  classification: Classification;
  receivedAt: string;
}

export interface OpenedTicket {
  ticket: Ticket;
  post: StoredPost;
  events: OutgoingEvent[];
}

/**
 * A new ticket for a routed issue post. Everything is derived from the event itself (the id from
 * the post, the times from `receivedAt`), so a redelivered event yields the very same ticket.
 */
export function openTicket(
  detail: PostClassifiedDetail & { queue: string },
  policies: SlaPolicies,
): OpenedTicket {
  const { post, classification, queue, receivedAt } = detail;
  const id = ticketIdForPost(post.platform, post.id);
  const sla = openingSla(queue, classification.priority, new Date(receivedAt), policies);
  const ticket: Ticket = {
    id,
    queue,
    status: 'new',
    priority: classification.priority,
    category: classification.category,
    version: 1,
    createdAt: receivedAt,
    updatedAt: receivedAt,
    author: { platform: post.platform, ...post.author },
    preview: post.text.slice(0, PREVIEW_LENGTH),
    postCount: 1,
    firstPostId: post.id,
    sla,
    assignee: null,
    firstResponseAt: null,
    solvedAt: null,
    lastCustomerPostAt: receivedAt,
    replyTo: { platform: post.platform, postId: post.id },
  };
  const created: TicketCreatedDetail = {
    ticketId: id,
    queue,
    priority: ticket.priority,
    category: ticket.category,
    platform: post.platform,
    postId: post.id,
    createdAt: receivedAt,
    firstResponseDueAt: sla.firstResponseDueAt,
  };
  return {
    ticket,
    post: { ticketId: id, post, classification, receivedAt },
    events: [{ source: EventSource.tickets, detailType: DetailType.ticketCreated, detail: created }],
  };
}
