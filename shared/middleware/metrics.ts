import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { errorKind } from './http-errors.ts';

/**
 * CloudWatch metrics as Embedded Metric Format log lines (no API calls): namespace from
 * POWERTOOLS_METRICS_NAMESPACE, a `service` dimension from POWERTOOLS_SERVICE_NAME. Kept apart
 * from the logger so functions that emit no metrics do not bundle them.
 */
export const metrics = new Metrics();

export { MetricUnit };
export type MetricUnitName = (typeof MetricUnit)[keyof typeof MetricUnit];

export interface MetricValue {
  name: string;
  unit: MetricUnitName;
  value: number;
}

/** Lines recorded by recordMetrics, waiting for publishMetrics. */
const pending: Metrics[] = [];

/**
 * Records metrics that carry dimension values of their own (one queue, one category) as an EMF
 * line of their own: CloudWatch reads one value per dimension from a line, for every metric on
 * it, so a count for one queue cannot share a line with a count for another. `dimensionSets`
 * names the dimensions each set aggregates over; Powertools puts `service` first in each, so
 * `[['queue'], ['queue', 'priority']]` emits under {service, queue} and {service, queue, priority}.
 * The line is complete when this returns, so a flush from a concurrent invocation cannot
 * publish half of it.
 */
export function recordMetrics(
  dimensions: Record<string, string>,
  dimensionSets: ReadonlyArray<readonly string[]>,
  values: readonly MetricValue[],
): void {
  if (values.length === 0) return;
  // Same environment as `metrics`, so the same namespace and service.
  const line = new Metrics();
  for (const set of dimensionSets) {
    const missing = set.find((name) => dimensions[name] === undefined);
    if (missing !== undefined) throw new Error(`dimension "${missing}" has no value`);
    line.addDimensions(Object.fromEntries(set.map((name) => [name, dimensions[name]!])));
  }
  for (const { name, unit, value } of values) line.addMetric(name, unit, value);
  pending.push(line);
}

/**
 * Publishes what the invocation recorded (on `metrics` and through recordMetrics), also when it
 * failed. Unlike Powertools' logMetrics it writes nothing when nothing was recorded: most support
 * API requests record no metric, and an empty flush logs a warning line every time.
 */
export function publishMetrics(): MiddlewareObj {
  const publish = () => {
    if (metrics.hasStoredMetrics()) {
      metrics.publishStoredMetrics();
    } else {
      metrics.clearDimensions();
      metrics.clearMetadata();
    }
    for (const line of pending.splice(0)) line.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
}

/**
 * Counts every webhook request answered with an error, by platform and reason: a bad signature
 * leaves this and one log line, nothing else. Runs before the error becomes a response.
 */
export function countWebhookRejections(): MiddlewareObj<{ pathParameters?: Record<string, string | undefined> }> {
  return {
    onError: (request) => {
      const { reason } = errorKind(request.error);
      const platform = request.event.pathParameters?.platform;
      metrics.addDimensions({ platform: platform !== undefined && /^[a-z]{1,16}$/.test(platform) ? platform : 'unknown', reason });
      metrics.addMetric('WebhookRejected', MetricUnit.Count, 1);
    },
  };
}
