import middy from '@middy/core';
import { createDocumentClient } from '#adapters/dynamodb-client';
import { createEventBridgeClient } from '#adapters/eventbridge-client';
import { EventBridgePublisher } from '#adapters/event-publisher';
import { DynamoTicketRepository } from '#adapters/ticket-repository';
import { envVar, parseEnv } from '#config/runtime-env';
import { runtimeConfig } from '#config/runtime-config';
import { DetailType, eventBridgeEnvelope, PostClassifiedDetail } from '#contracts/events';
import type * as z from '#contracts/zod';
import { enqueuePost } from '#domain/tickets/enqueue-post';
import { logger, observability } from '#middleware/observability';
import { validEvent } from '#middleware/validation';

const PostClassifiedEvent = eventBridgeEnvelope(DetailType.postClassified, PostClassifiedDetail);

const env = parseEnv({
  TABLE_NAME: envVar.tableName,
  EVENT_BUS_NAME: envVar.busName,
  DYNAMODB_ENDPOINT: envVar.endpoint,
  EVENTBRIDGE_ENDPOINT: envVar.endpoint,
});
const config = runtimeConfig();
const tickets = new DynamoTicketRepository(createDocumentClient(env.DYNAMODB_ENDPOINT), env.TABLE_NAME, config.retentionDays);
const events = new EventBridgePublisher(createEventBridgeClient(env.EVENTBRIDGE_ENDPOINT), env.EVENT_BUS_NAME);

/** Invoked by the bus rule of each queue; a thrown error makes the delivery retry, then dead-letter. */
export const handler = middy<z.infer<typeof PostClassifiedEvent>>()
  .use(observability())
  .use(validEvent(PostClassifiedEvent, 'the Post.Classified event'))
  .handler(async (event) => {
    logger.appendKeys({ eventId: event.id, postId: event.detail.post.id });
    const result = await enqueuePost(event.detail, { tickets, events, now: () => new Date(), firstResponse: config.sla.firstResponse });
    logger.info('post enqueued', result);
    return result;
  });
