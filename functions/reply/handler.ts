import middy from '@middy/core';
import { createDocumentClient } from '#adapters/dynamodb-client';
import { DynamoReplyStore } from '#adapters/reply-store';
import { replyCredentialsReader } from '#adapters/secrets';
import { envVar, parseEnv } from '#config/runtime-env';
import { DetailType, eventBridgeEnvelope, TicketRespondedDetail } from '#contracts/events';
import * as z from '#contracts/zod';
import { deliverReply } from '#domain/replies/deliver-reply';
import { logger, observability } from '#middleware/observability';
import { validEvent } from '#middleware/validation';
import { createReplySender } from '#platforms/replies/reply-sender';

const TicketRespondedEvent = eventBridgeEnvelope(DetailType.ticketResponded, TicketRespondedDetail);

const optional = z.optional(z.string());
const env = parseEnv({
  TABLE_NAME: envVar.tableName,
  DYNAMODB_ENDPOINT: envVar.endpoint,
  /** The platforms' API bases: the real ones in AWS, the fake platform locally and in tests. */
  X_API_BASE_URL: z._default(z.url(), 'https://api.x.com'),
  META_GRAPH_BASE_URL: z._default(z.url(), 'https://graph.facebook.com/v25.0'),
  PLATFORM_SECRETS_ARN: optional,
  X_ACCESS_TOKEN: optional,
  META_PAGE_ACCESS_TOKEN: optional,
});

const replies = new DynamoReplyStore(createDocumentClient(env.DYNAMODB_ENDPOINT), env.TABLE_NAME);
const sender = createReplySender({ xBaseUrl: env.X_API_BASE_URL, graphBaseUrl: env.META_GRAPH_BASE_URL, credentials: replyCredentialsReader(env) });

/**
 * Invoked by the bus rule on Ticket.Responded: sends the agent's reply to the platform, at most
 * once (shared/domain/replies/deliver-reply.ts). A reply the platform could not take yet fails
 * the invocation, so the bus retries it, and dead-letters it in the end for `redress redrive`.
 */
export const handler = middy<z.infer<typeof TicketRespondedEvent>>()
  .use(observability())
  .use(validEvent(TicketRespondedEvent, 'the Ticket.Responded event'))
  .handler(async (event) => {
    const { ticketId, replyId } = event.detail;
    logger.appendKeys({ eventId: event.id, ticketId, replyId });
    const result = await deliverReply({ ticketId, replyId }, { replies, sender, now: () => new Date() });
    if (result.outcome === 'failed') logger.warn('reply not delivered', { reason: result.reason });
    else logger.info('reply handled', result);
    return result;
  });
