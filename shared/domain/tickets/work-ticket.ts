import { DetailType } from '#contracts/events';
import type { Agent } from '#contracts/support-api';
import type { Ticket } from '#contracts/ticket';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Clock, EventPublisher, ReplyRecord, TicketRepository } from '../ports.ts';
import { pendingReplyRecord } from '../replies/reply-record.ts';
import type { SlaPolicies } from '../sla/sla-policies.ts';
import { withSla } from '../sla/ticket-clocks.ts';
import { requireQueueAccess } from './agent-access.ts';
import { deliverOutbox } from './deliver-outbox.ts';
import { agentChange, type AgentAction, type TicketChange } from './ticket-changes.ts';

export interface WorkedTicket {
  change: TicketChange;
  /** For a reply: the reply as stored, pending delivery to the platform. */
  reply?: ReplyRecord;
  /**
   * Why the change's events could not be published. The change is stored all the same, and its
   * events wait in the ticket's outbox, which the SLA monitor publishes on its next run.
   */
  publishError?: unknown;
}

/**
 * An agent's action on a ticket they read at `version`: checked against the agent's queues and
 * the version, applied (shared/domain/tickets/ticket-changes.ts), stored only if nobody changed
 * the ticket in between, then announced from the outbox.
 */
export async function workTicket(
  agent: Agent,
  request: { ticketId: string; version: number; action: AgentAction },
  ports: { tickets: TicketRepository; events: EventPublisher; now: Clock; sla: SlaPolicies },
): Promise<WorkedTicket> {
  const stored = await ports.tickets.findTicket(request.ticketId);
  if (!stored) throw new NotFoundError(`no ticket ${request.ticketId}`);
  const before = stored.ticket;
  requireQueueAccess(agent, before.queue);
  if (before.version !== request.version) throw stale(before, `is at version ${before.version}, not ${request.version}: it changed since you read it`);
  const now = ports.now();
  const change = withSla(before, agentChange(before, request.action, agent, now), now, ports.sla);
  const saved = await ports.tickets.saveChange(before, change, { now });
  if (!saved) {
    const current = (await ports.tickets.findTicket(before.id))?.ticket ?? before;
    throw stale(current, 'changed while your request was being applied');
  }
  const worked: WorkedTicket = { change };
  if (request.action.kind === 'reply') worked.reply = pendingReply(change);
  try {
    await deliverOutbox(before.id, ports, saved.claim);
  } catch (error) {
    worked.publishError = error;
  }
  return worked;
}

function stale(current: Ticket, what: string): ConflictError {
  return new ConflictError(
    `ticket ${current.id} ${what}; read it again and send If-Match: "${current.version}" if your change still applies`,
    current.version,
  );
}

/** The reply record the change's Ticket.Responded event stands for, as the ticket view shows it. */
function pendingReply(change: TicketChange): ReplyRecord {
  const event = change.events.find((candidate) => candidate.detailType === DetailType.ticketResponded);
  if (!event) throw new Error(`a reply to ticket ${change.ticket.id} emitted no ${DetailType.ticketResponded} event`);
  return pendingReplyRecord(event);
}
