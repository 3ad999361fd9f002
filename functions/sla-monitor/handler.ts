import middy from '@middy/core';
import { createDocumentClient } from '#adapters/dynamodb-client';
import { DynamoQueueStats } from '#adapters/queue-stats';
import { ticketPorts, ticketPortsEnv } from '#adapters/ticket-ports';
import { parseEnv } from '#config/runtime-env';
import { runtimeConfig } from '#config/runtime-config';
import { runSlaMonitor } from '#domain/sla/run-monitor';
import { publishMetrics } from '#middleware/metrics';
import { logger, observability } from '#middleware/observability';
import { recordQueueStats, recordSlaThresholds } from './monitor-metrics.ts';

const config = runtimeConfig();
const env = parseEnv(ticketPortsEnv);
const { tickets, events } = ticketPorts(env, config.retentionDays);
const queueStats = new DynamoQueueStats(createDocumentClient(env.DYNAMODB_ENDPOINT), env.TABLE_NAME);
const queueNames = config.queues.map((queue) => queue.name);

/** Runs on a schedule (every minute in AWS); the scheduled event itself carries nothing we need. */
export const handler = middy()
  .use(observability())
  .use(publishMetrics())
  .handler(async () => {
    const report = await runSlaMonitor({ tickets, events, now: () => new Date() });
    if (report.examined > 0) logger.info('sla monitor pass', { ...report });
    // Recorded before the queues are read, so a failed read does not lose them.
    recordSlaThresholds(report, queueNames);
    const stats = await Promise.all(queueNames.map(async (queue) => ({ queue, ...(await queueStats.forQueue(queue)) })));
    recordQueueStats(stats, new Date());
    return report;
  });
