import type { Agent } from '#contracts/support-api';
import { NotFoundError } from '../errors.ts';
import type { TicketRepository, TicketView } from '../ports.ts';
import { requireQueueAccess } from './agent-access.ts';

/** The ticket with its posts, replies and history, for an agent who works its queue. */
export async function viewTicket(agent: Agent, ticketId: string, ports: { tickets: TicketRepository }): Promise<TicketView> {
  const view = await ports.tickets.getTicketView(ticketId);
  if (!view) throw new NotFoundError(`no ticket ${ticketId}`);
  requireQueueAccess(agent, view.ticket.queue);
  return view;
}
