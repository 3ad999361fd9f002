/**
 * The CloudWatch metrics redress emits (Powertools Metrics, Embedded Metric Format) and the alarms
 * and dashboard read (infra/constructs/ops-monitoring.ts): one list, so the two cannot drift.
 * Dimension names are the keys each metric is emitted with, in that order.
 */
export const METRICS_NAMESPACE = 'redress';

export const MetricName = {
  /** Posts handed on by a webhook, per platform. */
  postsAccepted: 'PostsAccepted',
  /** Issue posts handed on by a webhook, per category. */
  issuesDetected: 'IssuesDetected',
  /** Requests a webhook answered with an error, per platform and reason. */
  webhookRejected: 'WebhookRejected',
  /** SLA warnings the monitor raised, per queue (and per queue and priority). */
  slaWarnings: 'SlaWarnings',
  /** SLA breaches the monitor raised, per queue (and per queue and priority). */
  slaBreaches: 'SlaBreaches',
  /** Seconds from a ticket's first post to its first agent reply, per queue and priority. */
  firstResponseTime: 'FirstResponseTime',
  /** Seconds from a ticket's first post to solved, per queue and priority. */
  resolutionTime: 'ResolutionTime',
  /** Tickets new, open or waiting for the customer, per queue (the monitor, every run). */
  openTickets: 'OpenTickets',
  /** Seconds since the oldest open ticket of a queue was created (the monitor, every run). */
  oldestOpenTicketAge: 'OldestOpenTicketAge',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

export const MetricDimension = {
  platform: 'platform',
  reason: 'reason',
  category: 'category',
  queue: 'queue',
  priority: 'priority',
} as const;

/**
 * Powertools Metrics adds this dimension to every metric, first, valued from the function's
 * POWERTOOLS_SERVICE_NAME (set by infra/constructs/redress-function.ts from its `serviceName`).
 * A CloudWatch metric is its namespace, name and exact set of dimensions, so the alarms name it too.
 */
export const SERVICE_DIMENSION = 'service';

/** POWERTOOLS_SERVICE_NAME of each function that emits these metrics: the `service` dimension's value. */
export const MetricService = {
  webhook: 'redress-webhook',
  slaMonitor: 'redress-sla-monitor',
  supportApi: 'redress-support-api',
} as const;
export type MetricService = (typeof MetricService)[keyof typeof MetricService];

/** The dimension sets metrics are emitted with, besides `service` (which Powertools puts in front of each). */
export const DimensionSet = {
  queue: [MetricDimension.queue],
  queuePriority: [MetricDimension.queue, MetricDimension.priority],
  platform: [MetricDimension.platform],
  platformReason: [MetricDimension.platform, MetricDimension.reason],
  category: [MetricDimension.category],
} as const;
export type DimensionSet = (typeof DimensionSet)[keyof typeof DimensionSet];

export interface MetricEmission {
  service: MetricService;
  /** Every one of these sets is emitted, each as its own CloudWatch metric. */
  dimensionSets: readonly DimensionSet[];
}

/**
 * Who emits each metric, and with which dimension sets; the alarms and the dashboard read exactly
 * these (infra/constructs/ops-monitoring.ts), so an emitter must emit every set listed.
 *
 * With Powertools, one `metrics.addDimensions({...})` per set adds it (with `service`). All the
 * sets of one EMF line share one value per dimension name and apply to every metric in the line,
 * so values for several queues, or metrics with different sets (PostsAccepted by platform,
 * IssuesDetected by category), go out in separate lines: `metrics.singleMetric()` or a
 * `publishStoredMetrics()` between them.
 *
 * OpenTickets and OldestOpenTicketAge are emitted on every monitor run for every configured queue,
 * 0 when the queue has none open: the oldest-ticket alarm keeps its state while data is missing.
 */
export const MetricEmissions = {
  [MetricName.postsAccepted]: { service: MetricService.webhook, dimensionSets: [DimensionSet.platform] },
  [MetricName.issuesDetected]: { service: MetricService.webhook, dimensionSets: [DimensionSet.category] },
  [MetricName.webhookRejected]: { service: MetricService.webhook, dimensionSets: [DimensionSet.platformReason] },
  [MetricName.slaWarnings]: { service: MetricService.slaMonitor, dimensionSets: [DimensionSet.queue, DimensionSet.queuePriority] },
  [MetricName.slaBreaches]: { service: MetricService.slaMonitor, dimensionSets: [DimensionSet.queue, DimensionSet.queuePriority] },
  [MetricName.openTickets]: { service: MetricService.slaMonitor, dimensionSets: [DimensionSet.queue] },
  [MetricName.oldestOpenTicketAge]: { service: MetricService.slaMonitor, dimensionSets: [DimensionSet.queue] },
  [MetricName.firstResponseTime]: { service: MetricService.supportApi, dimensionSets: [DimensionSet.queue, DimensionSet.queuePriority] },
  [MetricName.resolutionTime]: { service: MetricService.supportApi, dimensionSets: [DimensionSet.queue, DimensionSet.queuePriority] },
} as const satisfies Record<MetricName, MetricEmission>;
