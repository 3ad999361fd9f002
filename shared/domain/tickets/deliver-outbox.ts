import { PublishError } from '../errors.ts';
import type { Clock, EventPublisher, OutboxClaim, TicketRepository } from '../ports.ts';

/** Rounds of claim, publish and complete one call makes before it leaves what is left to the SLA monitor. */
const MAX_ROUNDS = 5;

/**
 * Records the events a ticket change stored with it as the ticket's history, publishes them, then
 * clears them. The lease keeps two runners (an enqueue retry and the SLA monitor) from publishing
 * the same events; the change's own write usually took it already and hands its claim in. A
 * runner whose publish fails gives the lease up at once, so a retry publishes without waiting,
 * and takes off the events the bus did take (PutEvents can take some entries and refuse others),
 * so the retry publishes only the rest.
 * Once published, the events are cleared by a write the repository retries
 * through throttling for a few seconds (shared/adapters/transient-errors.ts), so they go out
 * once; only a runner that dies between publishing and clearing, or a table throttling past
 * those retries, leaves them to the next runner once the lease expires: at least once, which is
 * why every consumer of Ticket.* events is idempotent.
 */
export async function deliverOutbox(
  ticketId: string,
  ports: { tickets: TicketRepository; events: EventPublisher; now: Clock },
  /** The claim the change's own write took (createTicket, saveChange); without one, the outbox is claimed here. */
  claimed: OutboxClaim | null = null,
): Promise<number> {
  let claim = claimed ?? (await ports.tickets.claimOutbox(ticketId, ports.now()));
  let published = 0;
  // Changes that land while we publish append events the lease keeps their own runners from
  // publishing: we take those in turn, a few rounds at most, and leave the rest to the monitor.
  for (let round = 1; claim; round++) {
    try {
      // History (and reply records) before the events go out: whoever acts on an event finds them.
      await ports.tickets.recordEvents(ticketId, claim.events, ports.now());
      await ports.events.publish(claim.events);
    } catch (error) {
      // The events the bus did take come off the outbox (a PublishError names the others), so a
      // retry publishes only the rest. Best effort: if even this fails, the lease runs out and
      // the next runner publishes them all again (at least once).
      const unpublished = new Set(error instanceof PublishError ? error.unpublished : claim.events.map((_, index) => index));
      const handedOn = claim.events.flatMap((_, index) => (unpublished.has(index) ? [] : [index]));
      await ports.tickets.releaseOutbox(claim, handedOn).catch(() => undefined);
      throw error;
    }
    published += claim.events.length;
    const more = await ports.tickets.completeOutbox(claim);
    claim = more && round < MAX_ROUNDS ? await ports.tickets.claimOutbox(ticketId, ports.now()) : null;
  }
  return published;
}
