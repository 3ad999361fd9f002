import type { Agent, QueueSummary } from '#contracts/support-api';
import { ACTIVE_STATUSES, type TicketStatus } from '#contracts/ticket';
import type { Clock, TicketRepository } from '../ports.ts';

/** An SLA due time this close (or already past) puts a ticket at risk. */
export const AT_RISK_WITHIN_MS = 15 * 60_000;
/** Tickets still waiting for an agent; one waiting for the customer is not at risk. */
const AWAITING_AGENT: readonly TicketStatus[] = ['new', 'open'];

/**
 * Every configured queue the agent may see, in config order, with how many tickets are being
 * worked and how many are close to (or past) the due time of a running SLA clock.
 */
export async function summarizeQueues(
  agent: Agent,
  ports: { tickets: TicketRepository; queues: ReadonlyArray<{ name: string; description: string }>; now: Clock },
): Promise<QueueSummary[]> {
  const atRiskBy = new Date(ports.now().getTime() + AT_RISK_WITHIN_MS);
  const visible = ports.queues.filter((queue) => agent.queues.includes(queue.name));
  return Promise.all(
    visible.map(async ({ name, description }) => {
      const [open, atRisk] = await Promise.all([
        ports.tickets.countQueue({ queue: name, statuses: ACTIVE_STATUSES }),
        ports.tickets.countQueue({ queue: name, statuses: AWAITING_AGENT, dueBy: atRiskBy }),
      ]);
      return { name, description, open, atRisk };
    }),
  );
}
