import middy from '@middy/core';
import { createDocumentClient } from '#adapters/dynamodb-client';
import { createEventBridgeClient } from '#adapters/eventbridge-client';
import { EventBridgePublisher } from '#adapters/event-publisher';
import { DynamoTicketRepository } from '#adapters/ticket-repository';
import { envVar, parseEnv } from '#config/runtime-env';
import { runtimeConfig } from '#config/runtime-config';
import { runSlaMonitor } from '#domain/sla/run-monitor';
import { logger, observability } from '#middleware/observability';

const env = parseEnv({
  TABLE_NAME: envVar.tableName,
  EVENT_BUS_NAME: envVar.busName,
  DYNAMODB_ENDPOINT: envVar.endpoint,
  EVENTBRIDGE_ENDPOINT: envVar.endpoint,
});
const config = runtimeConfig();
const tickets = new DynamoTicketRepository(createDocumentClient(env.DYNAMODB_ENDPOINT), env.TABLE_NAME, config.retentionDays);
const events = new EventBridgePublisher(createEventBridgeClient(env.EVENTBRIDGE_ENDPOINT), env.EVENT_BUS_NAME);

/** Runs on a schedule (every minute in AWS); the scheduled event itself carries nothing we need. */
export const handler = middy()
  .use(observability())
  .handler(async () => {
    const report = await runSlaMonitor({ tickets, events, now: () => new Date() });
    if (report.examined > 0) logger.info('sla monitor pass', { ...report });
    return report;
  });
