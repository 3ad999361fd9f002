import middy from '@middy/core';
import { DynamoQueueStats } from '#adapters/queue-stats';
import { ticketPorts, ticketPortsEnv } from '#adapters/ticket-ports';
import { parseEnv } from '#config/runtime-env';
import { runtimeConfig } from '#config/runtime-config';
import * as z from '#contracts/zod';
import { watchSlaDeadlines } from '#domain/sla/run-monitor';
import { publishMetrics } from '#middleware/metrics';
import { logger, observability } from '#middleware/observability';
import { recordQueueStats, recordSlaThresholds } from './monitor-metrics.ts';

const config = runtimeConfig();
const env = parseEnv({
  ...ticketPortsEnv,
  /**
   * How long a run keeps watching for deadlines after its pass (shared/domain/sla/run-monitor.ts):
   * CDK sets a minute, so a schedule of one a minute raises each threshold within about a second.
   */
  SLA_MONITOR_LOOKAHEAD_SECONDS: z._default(z.pipe(z.string().check(z.regex(/^\d{1,3}$/)), z.transform(Number)), 0),
});
const { tickets, events, documentClient } = ticketPorts(env, config.retentionDays);
const queueStats = new DynamoQueueStats(documentClient, env.TABLE_NAME);
const queueNames = config.queues.map((queue) => queue.name);

/** Runs on a schedule (every minute in AWS); the scheduled event itself carries nothing we need. */
export const handler = middy()
  .use(observability())
  .use(publishMetrics())
  .handler(async () => {
    const report = await watchSlaDeadlines({ tickets, events, now: () => new Date() }, env.SLA_MONITOR_LOOKAHEAD_SECONDS * 1000);
    if (report.examined > 0) logger.info('sla monitor pass', { ...report });
    // Recorded before the queues are read, so a failed read does not lose them.
    recordSlaThresholds(report, queueNames);
    const stats = await Promise.all(queueNames.map(async (queue) => ({ queue, ...(await queueStats.forQueue(queue)) })));
    recordQueueStats(stats, new Date());
    return report;
  });
