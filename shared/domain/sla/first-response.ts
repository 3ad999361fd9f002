import type { Priority } from '#contracts/classification';
import { DetailType, EventSource, type OutgoingEvent, type TicketSlaBreachedDetail } from '#contracts/events';
import type { Ticket } from '#contracts/ticket';

/** First-response targets in seconds, per priority (config `sla.firstResponse`). */
export type FirstResponseTargets = Record<Priority, number>;

/** When the first response is due, counted in calendar time from when the post reached us. */
export function firstResponseDueAt(start: Date, priority: Priority, targets: FirstResponseTargets): Date {
  return new Date(start.getTime() + targets[priority] * 1000);
}

/** The next moment the SLA monitor must look at the ticket, or null when no clock runs. */
export function nextDeadline(ticket: Ticket): string | null {
  const awaitingFirstResponse = ticket.status === 'new' || ticket.status === 'open';
  if (!awaitingFirstResponse || ticket.sla.firstResponseBreachedAt !== null) return null;
  return ticket.sla.firstResponseDueAt;
}

export function isFirstResponseBreached(ticket: Ticket, now: Date): boolean {
  const deadline = nextDeadline(ticket);
  return deadline !== null && Date.parse(deadline) <= now.getTime();
}

export function slaBreachedEvent(ticket: Ticket, now: Date): OutgoingEvent {
  const detail: TicketSlaBreachedDetail = {
    ticketId: ticket.id,
    queue: ticket.queue,
    priority: ticket.priority,
    clock: 'first_response',
    dueAt: ticket.sla.firstResponseDueAt,
    breachedAt: now.toISOString(),
  };
  return { source: EventSource.tickets, detailType: DetailType.ticketSlaBreached, detail };
}
