import middy from '@middy/core';
import { ticketPorts, ticketPortsEnv } from '#adapters/ticket-ports';
import { parseEnv } from '#config/runtime-env';
import { runtimeConfig } from '#config/runtime-config';
import { DetailType, eventBridgeEnvelope, PostClassifiedDetail } from '#contracts/events';
import type * as z from '#contracts/zod';
import { slaPolicies } from '#domain/sla/sla-policies';
import { enqueuePost } from '#domain/tickets/enqueue-post';
import { logger, observability } from '#middleware/observability';
import { validEvent } from '#middleware/validation';

const PostClassifiedEvent = eventBridgeEnvelope(DetailType.postClassified, PostClassifiedDetail);

const config = runtimeConfig();
const { tickets, events } = ticketPorts(parseEnv(ticketPortsEnv), config.retentionDays);
const sla = slaPolicies(config);
const queues = config.queues.map((queue) => queue.name);

/** Invoked by the bus rule of each queue and the follow-ups' rule; a thrown error makes the delivery retry, then dead-letter. */
export const handler = middy<z.infer<typeof PostClassifiedEvent>>()
  .use(observability())
  .use(validEvent(PostClassifiedEvent, 'the Post.Classified event'))
  .handler(async (event) => {
    logger.appendKeys({ eventId: event.id, postId: event.detail.post.id });
    const result = await enqueuePost(event.detail, { tickets, events, now: () => new Date(), sla, followUpWindowSeconds: config.tickets.followUpWindow, queues });
    logger.info('post enqueued', result);
    return result;
  });
