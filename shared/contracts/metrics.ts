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

export const MetricDimension = {
  platform: 'platform',
  reason: 'reason',
  category: 'category',
  queue: 'queue',
  priority: 'priority',
} as const;
