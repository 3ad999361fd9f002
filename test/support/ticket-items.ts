import { queueKey } from '#adapters/ticket-repository';
import type { SlaClock } from '#contracts/sla';
import { Ticket } from '#contracts/ticket';

/**
 * Tickets with their SLA clocks, built directly (not through the enqueue step), and the items the
 * repository stores them as, for tests that write the table themselves: a report over tickets in
 * every state needs states no single repository call produces.
 */

let tickets = 0;

export interface TicketSpec extends Partial<Omit<Ticket, 'sla'>> {
  /** First-response target in seconds (calendar time: a queue open around the clock). Default 3600. */
  targetSeconds?: number;
  /** When the monitor marked the first response breached. */
  breachedAt?: string | null;
}

/**
 * A P2 delay in `delays`, created 2026-11-22 10:00 (or `createdAt`), its first-response clock
 * running from then; a first response (`firstResponseAt`) stops it. Parsed by the Ticket contract.
 */
export function aTicket(spec: TicketSpec = {}): Ticket {
  tickets += 1;
  const { targetSeconds = 3600, breachedAt = null, ...fields } = spec;
  const createdAt = fields.createdAt ?? '2026-11-22T10:00:00.000Z';
  const firstResponseAt = fields.firstResponseAt ?? null;
  const dueAt = new Date(Date.parse(createdAt) + targetSeconds * 1000).toISOString();
  const warnAt = new Date(Date.parse(createdAt) + targetSeconds * 800).toISOString();
  const elapsed = firstResponseAt === null ? 0 : (Date.parse(firstResponseAt) - Date.parse(createdAt)) / 1000;
  const clock: SlaClock = {
    targetSeconds,
    warnAfterSeconds: targetSeconds * 0.8,
    elapsedSeconds: elapsed,
    startedAt: createdAt,
    runningSince: firstResponseAt === null ? createdAt : null,
    warnAt: firstResponseAt === null ? warnAt : null,
    dueAt: firstResponseAt === null ? dueAt : null,
    warnedAt: null,
    breachedAt,
    stoppedAt: firstResponseAt,
  };
  return Ticket.parse({
    id: `tkt_report${tickets}`,
    queue: 'delays',
    status: firstResponseAt === null ? 'new' : 'open',
    priority: 'P2',
    category: 'delay',
    version: 1,
    createdAt,
    updatedAt: firstResponseAt ?? createdAt,
    author: { platform: 'generic', id: `author-${tickets}`, handle: '@traveller' },
    preview: 'Flight UA123 delayed 4 hours and still no update at the gate',
    postCount: 1,
    firstPostId: `post-${tickets}`,
    assignee: null,
    solvedAt: null,
    ...fields,
    firstResponseAt,
    sla: {
      clocks: { first_response: clock },
      dueAt: clock.dueAt,
      firstResponseDueAt: dueAt,
      firstResponseBreachedAt: breachedAt,
    },
  });
}

/**
 * The ticket item as DynamoTicketRepository.createTicket and saveChange write it: the ticket's
 * fields, its queue index keys, and the bookkeeping the API never shows.
 */
export function ticketItem(ticket: Ticket): Record<string, unknown> {
  return {
    pk: `TICKET#${ticket.id}`,
    sk: 'TICKET',
    type: 'ticket',
    ...ticket,
    gsi1pk: queueKey(ticket.queue, ticket.status),
    gsi1sk: `${ticket.sla.dueAt ?? ticket.sla.firstResponseDueAt}#${ticket.id}`,
    postIds: new Set([ticket.firstPostId]),
    expiresAt: Math.floor(Date.parse(ticket.createdAt) / 1000) + 90 * 86_400,
  };
}
