import type { Clock, EventPublisher, TicketRepository } from '../ports.ts';

/**
 * Publishes the events a ticket change stored with it, then clears them. The lease keeps two
 * runners (an enqueue retry and the SLA monitor) from publishing the same events; a runner that
 * dies mid-way leaves them for the next one once the lease expires.
 */
export async function deliverOutbox(
  ticketId: string,
  ports: { tickets: TicketRepository; events: EventPublisher; now: Clock },
): Promise<number> {
  const claim = await ports.tickets.claimOutbox(ticketId, ports.now());
  if (!claim) return 0;
  await ports.events.publish(claim.events);
  await ports.tickets.completeOutbox(claim);
  return claim.events.length;
}
