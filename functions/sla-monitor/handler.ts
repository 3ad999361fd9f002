import middy from '@middy/core';
import { ticketPorts, ticketPortsEnv } from '#adapters/ticket-ports';
import { parseEnv } from '#config/runtime-env';
import { runtimeConfig } from '#config/runtime-config';
import { runSlaMonitor } from '#domain/sla/run-monitor';
import { logger, observability } from '#middleware/observability';

const config = runtimeConfig();
const { tickets, events } = ticketPorts(parseEnv(ticketPortsEnv), config.retentionDays);

/** Runs on a schedule (every minute in AWS); the scheduled event itself carries nothing we need. */
export const handler = middy()
  .use(observability())
  .handler(async () => {
    const report = await runSlaMonitor({ tickets, events, now: () => new Date() });
    if (report.examined > 0) logger.info('sla monitor pass', { ...report });
    return report;
  });
