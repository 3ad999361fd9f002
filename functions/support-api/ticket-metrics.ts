import { MetricDimension, MetricEmissions, MetricName } from '#contracts/metrics';
import { DetailType } from '#contracts/events';
import type { TicketChange } from '#domain/tickets/ticket-changes';
import { MetricUnit, recordMetrics, type MetricValue } from '#middleware/metrics';

const { queue: QUEUE, priority: PRIORITY } = MetricDimension;

/**
 * The times a stored change completes, under {service, queue} and {service, queue, priority}
 * (MetricEmissions, which the dashboard reads): FirstResponseTime when
 * it is the ticket's first agent reply, ResolutionTime when it solves the ticket, each in seconds
 * from the ticket's creation. A ticket solved, reopened and solved again counts each time.
 */
export function recordTicketTimes({ ticket, events }: TicketChange): void {
  const values: MetricValue[] = [];
  const since = (at: string) => (Date.parse(at) - Date.parse(ticket.createdAt)) / 1000;
  for (const { detailType, detail } of events) {
    if (detailType === DetailType.ticketResponded && detail.firstResponse === true) {
      values.push({ name: MetricName.firstResponseTime, unit: MetricUnit.Seconds, value: since(String(detail.at)) });
    }
    if (detailType === DetailType.ticketResolved) {
      values.push({ name: MetricName.resolutionTime, unit: MetricUnit.Seconds, value: since(ticket.solvedAt ?? String(detail.at)) });
    }
  }
  // Both metrics have the same dimension sets, so one line carries them under each.
  recordMetrics({ [QUEUE]: ticket.queue, [PRIORITY]: ticket.priority }, MetricEmissions[MetricName.firstResponseTime].dimensionSets, values);
}
