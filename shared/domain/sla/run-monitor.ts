import type { Priority } from '#contracts/classification';
import type { SlaClockName } from '#contracts/sla';
import type { Clock, EventPublisher, TicketRepository } from '../ports.ts';
import { deliverOutbox } from '../tickets/deliver-outbox.ts';
import { dueThresholds, markThresholds, nextDeadline } from './ticket-clocks.ts';

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
 * One pass of the SLA monitor over the tickets whose next deadline has passed (a sparse index,
 * never a scan): each warning and breach is marked on the ticket with a version check, so of two
 * monitors (or a monitor and an agent) only one change lands, and its events go out through the
 * ticket's outbox like any other change's. Also publishes what other runners left unpublished.
 */
export async function runSlaMonitor(ports: { tickets: TicketRepository; events: EventPublisher; now: Clock }): Promise<MonitorReport> {
  const now = ports.now();
  const due = await ports.tickets.findDue(now, MONITOR_BATCH);
  const report: MonitorReport = { examined: due.length, warnings: [], breaches: [], eventsPublished: 0 };
  for (const { ticket, outboxPending } of due) {
    // Events still to publish come first: the ticket may have changed in ways the monitor has not seen.
    const thresholds = outboxPending ? [] : dueThresholds(ticket, now);
    const saved = thresholds.length > 0 ? await ports.tickets.saveChange(ticket, markThresholds(ticket, thresholds, now), { now }) : null;
    if (saved) {
      for (const { clock, kind } of thresholds) {
        (kind === 'warning' ? report.warnings : report.breaches).push({ ticketId: ticket.id, queue: ticket.queue, priority: ticket.priority, clock });
      }
    }
    report.eventsPublished += await deliverOutbox(ticket.id, ports, saved?.claim);
  }
  return report;
}

/** The shortest wait between two passes of one watch, so a ticket that cannot be settled yet is not spun on. */
const MIN_PASS_GAP_MS = 1000;

/**
 * Runs a pass, then keeps watching for `lookAheadMs`: it sleeps until the next deadline that falls
 * within that time and runs another pass then. Scheduled every minute with a look-ahead of most of
 * a minute, a warning or breach is raised within about a second of its time instead of up to a
 * minute late, and an idle run still ends at once. Runs that overlap are harmless: every mark is
 * version-checked.
 */
export async function watchSlaDeadlines(
  ports: { tickets: TicketRepository; events: EventPublisher; now: Clock; sleep?: (ms: number) => Promise<void> },
  lookAheadMs: number,
): Promise<MonitorReport> {
  const sleep = ports.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const until = ports.now().getTime() + lookAheadMs;
  const total = await runSlaMonitor(ports);
  for (;;) {
    const [next] = await ports.tickets.findDue(new Date(until), 1);
    if (!next) break;
    const deadline = next.outboxPending ? ports.now().getTime() : Date.parse(nextDeadline(next.ticket) ?? ports.now().toISOString());
    const wait = Math.max(MIN_PASS_GAP_MS, deadline - ports.now().getTime());
    if (ports.now().getTime() + wait > until) break;
    await sleep(wait);
    const pass = await runSlaMonitor(ports);
    total.examined += pass.examined;
    total.warnings.push(...pass.warnings);
    total.breaches.push(...pass.breaches);
    total.eventsPublished += pass.eventsPublished;
  }
  return total;
}
