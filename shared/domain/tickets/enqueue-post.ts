import type { PostClassifiedDetail } from '#contracts/events';
import type { Clock, EventPublisher, TicketRepository } from '../ports.ts';
import type { FirstResponseTargets } from '../sla/first-response.ts';
import { deliverOutbox } from './deliver-outbox.ts';
import { openTicket } from './open-ticket.ts';

export type EnqueueResult = { outcome: 'not_routed' } | { outcome: 'ticket'; ticketId: string; eventsPublished: number };

/**
 * The enqueue use case: a routed issue post becomes a ticket in its queue, and Ticket.Created
 * is emitted. Every step is safe to repeat, because the event may arrive more than once.
 */
export async function enqueuePost(
  detail: PostClassifiedDetail,
  ports: { tickets: TicketRepository; events: EventPublisher; now: Clock; firstResponse: FirstResponseTargets },
): Promise<EnqueueResult> {
  const { queue } = detail;
  if (queue === null) return { outcome: 'not_routed' };
  const opened = openTicket({ ...detail, queue }, ports.firstResponse);
  await ports.tickets.createTicket(opened.ticket, opened.post, opened.events);
  // An edit of a post already under a ticket replaces its text there (the ticket is the same:
  // its id derives from the post's).
  if (detail.post.editedAt) await ports.tickets.recordPostEdit(opened.ticket.id, opened.post);
  const eventsPublished = await deliverOutbox(opened.ticket.id, ports);
  return { outcome: 'ticket', ticketId: opened.ticket.id, eventsPublished };
}
