import type { Clock, EventPublisher, TicketRepository } from '../ports.ts';

/**
 * Records the events a ticket change stored with it as the ticket's history, publishes them, then
 * clears them. The lease keeps two runners (an enqueue retry and the SLA monitor) from publishing
 * the same events. A runner whose publish fails gives the lease up at once, so a retry publishes
 * without waiting. Once published, the events are cleared by a write the repository retries
 * through throttling for a few seconds (shared/adapters/transient-errors.ts), so they go out
 * once; only a runner that dies between publishing and clearing, or a table throttling past
 * those retries, leaves them to the next runner once the lease expires: at least once, which is
 * why every consumer of Ticket.* events is idempotent.
 */
export async function deliverOutbox(
  ticketId: string,
  ports: { tickets: TicketRepository; events: EventPublisher; now: Clock },
): Promise<number> {
  const claim = await ports.tickets.claimOutbox(ticketId, ports.now());
  if (!claim) return 0;
  try {
    // History (and reply records) before the events go out: whoever acts on an event finds them.
    await ports.tickets.recordEvents(ticketId, claim.events, ports.now());
    await ports.events.publish(claim.events);
  } catch (error) {
    // Best effort: if even this fails, the lease simply runs out.
    await ports.tickets.releaseOutbox(claim).catch(() => undefined);
    throw error;
  }
  await ports.tickets.completeOutbox(claim);
  return claim.events.length;
}
