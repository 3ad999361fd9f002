import type { QueueStats } from '#adapters/queue-stats';
import { MetricDimension, MetricName } from '#contracts/metrics';
import type { MonitorReport, RaisedThreshold } from '#domain/sla/run-monitor';
import { MetricUnit, recordMetrics, type MetricValue } from '#middleware/metrics';

const { queue: QUEUE, priority: PRIORITY } = MetricDimension;

/**
 * The SLA warnings and breaches a monitor run raised. Under {service, queue} for every configured
 * queue, zero included, so an alarm on them always has data; under {service, queue, priority}
 * for each queue and priority that raised any.
 */
export function recordSlaThresholds(report: MonitorReport, configuredQueues: readonly string[]): void {
  const raised = [...report.warnings, ...report.breaches];
  // A ticket can sit in a queue the config no longer has; what it raised still counts.
  const queues = new Set([...configuredQueues, ...raised.map((entry) => entry.queue)]);
  for (const queue of queues) {
    const inQueue = (entry: RaisedThreshold) => entry.queue === queue;
    recordMetrics({ [QUEUE]: queue }, [[QUEUE]], counts(report, inQueue));
    const priorities = new Set(raised.filter(inQueue).map((entry) => entry.priority));
    for (const priority of priorities) {
      const counted = counts(report, (entry) => inQueue(entry) && entry.priority === priority);
      recordMetrics({ [QUEUE]: queue, [PRIORITY]: priority }, [[QUEUE, PRIORITY]], counted);
    }
  }
}

/**
 * Each queue's open tickets and the age of its oldest open ticket under {service, queue}, both
 * zero for an empty queue, so dashboards and alarms see an empty queue as empty rather than as
 * missing data (the oldest-ticket alarm holds its state while data is missing).
 */
export function recordQueueStats(stats: ReadonlyArray<{ queue: string } & QueueStats>, now: Date): void {
  for (const { queue, open, oldestCreatedAt } of stats) {
    const ageSeconds = oldestCreatedAt === null ? 0 : Math.max(0, Math.round((now.getTime() - Date.parse(oldestCreatedAt)) / 1000));
    const values: MetricValue[] = [
      { name: MetricName.openTickets, unit: MetricUnit.Count, value: open },
      { name: MetricName.oldestOpenTicketAge, unit: MetricUnit.Seconds, value: ageSeconds },
    ];
    recordMetrics({ [QUEUE]: queue }, [[QUEUE]], values);
  }
}

function counts(report: MonitorReport, selected: (entry: RaisedThreshold) => boolean): MetricValue[] {
  return [
    { name: MetricName.slaWarnings, unit: MetricUnit.Count, value: report.warnings.filter(selected).length },
    { name: MetricName.slaBreaches, unit: MetricUnit.Count, value: report.breaches.filter(selected).length },
  ];
}
