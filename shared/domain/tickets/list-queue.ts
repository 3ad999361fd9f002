import type { Agent } from '#contracts/support-api';
import { ACTIVE_STATUSES, type TicketStatus } from '#contracts/ticket';
import { AccessDeniedError, NotFoundError } from '../errors.ts';
import type { TicketPage, TicketRepository } from '../ports.ts';

/** A queue's tickets, oldest-due first, for an agent allowed to work that queue. */
export async function listQueueTickets(
  agent: Agent,
  request: { queue: string; statuses?: TicketStatus[]; limit: number; cursor?: string },
  ports: { tickets: TicketRepository; queues: readonly string[] },
): Promise<TicketPage> {
  if (!ports.queues.includes(request.queue)) throw new NotFoundError(`queue "${request.queue}" does not exist`);
  if (!agent.queues.includes(request.queue)) throw new AccessDeniedError(`agent ${agent.id} may not see queue "${request.queue}"`);
  return ports.tickets.listQueue({
    queue: request.queue,
    statuses: request.statuses ?? ACTIVE_STATUSES,
    limit: request.limit,
    cursor: request.cursor,
  });
}
