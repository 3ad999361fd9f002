import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { MiddlewareObj } from '@middy/core';
import { errorKind } from './http-errors.ts';

/**
 * CloudWatch metrics as Embedded Metric Format log lines (one per invocation, no API calls):
 * namespace from POWERTOOLS_METRICS_NAMESPACE, service from POWERTOOLS_SERVICE_NAME. Kept apart
 * from the logger so functions that emit no metrics do not bundle them.
 */
export const metrics = new Metrics();

/** Publishes what the invocation recorded, also when it failed. */
export const publishMetrics = () => logMetrics(metrics);

export { MetricUnit };

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
