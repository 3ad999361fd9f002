import type { Priority } from '#contracts/classification';
import type { SlaClockName } from '#contracts/sla';
import type { Clock, EventPublisher, TicketRepository } from '../ports.ts';
import { deliverOutbox } from '../tickets/deliver-outbox.ts';
import { isFirstResponseBreached, slaBreachedEvent } from './first-response.ts';

/** A warning or breach the monitor raised (and recorded once) in this pass. */
export interface RaisedThreshold {
  ticketId: string;
  queue: string;
  priority: Priority;
  clock: SlaClockName;
}

export interface MonitorReport {
  examined: number;
  warnings: RaisedThreshold[];
  breaches: RaisedThreshold[];
  eventsPublished: number;
}

/** Tickets looked at per run; the rest wait for the next run, a minute later at most. */
export const MONITOR_BATCH = 500;

/**
 * One pass of the SLA monitor: mark each first-response breach exactly once (a conditional write
 * decides between concurrent monitors) and publish what ticket changes left unpublished.
 */
export async function runSlaMonitor(ports: { tickets: TicketRepository; events: EventPublisher; now: Clock }): Promise<MonitorReport> {
  const now = ports.now();
  const due = await ports.tickets.findDue(now, MONITOR_BATCH);
  const report: MonitorReport = { examined: due.length, warnings: [], breaches: [], eventsPublished: 0 };
  for (const { ticket, outboxPending } of due) {
    if (!outboxPending && isFirstResponseBreached(ticket, now)) {
      const marked = await ports.tickets.markFirstResponseBreached(ticket, now, slaBreachedEvent(ticket, now));
      if (!marked) continue;
      report.breaches.push({ ticketId: ticket.id, queue: ticket.queue, priority: ticket.priority, clock: 'first_response' });
    }
    report.eventsPublished += await deliverOutbox(ticket.id, ports);
  }
  return report;
}
