import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { createEventBridgeClient } from '#adapters/eventbridge-client';
import { EventBridgePublisher } from '#adapters/event-publisher';
import { secretReader, splitSecretList } from '#adapters/secrets';
import { envVar, parseEnv } from '#config/runtime-env';
import { runtimeConfig } from '#config/runtime-config';
import * as z from '#contracts/zod';
import { ingestPost } from '#domain/ingest/ingest-post';
import { httpErrors, jsonResponse } from '#middleware/http-errors';
import { logger, observability } from '#middleware/observability';
import { parseJson } from '#middleware/validation';
import { verifiedBody, type VerifiedEvent } from '#middleware/verified-body';
import { GenericPostDelivery, toSocialPost } from '#platforms/standard-webhooks/delivery';
import { assertStandardWebhook } from '#platforms/standard-webhooks/signature';

/** One post with its metadata is a few KB; this leaves room without inviting abuse. */
const MAX_BODY_BYTES = 256 * 1024;

const env = parseEnv({
  EVENT_BUS_NAME: envVar.busName,
  EVENTBRIDGE_ENDPOINT: envVar.endpoint,
  WEBHOOK_SECRETS: z.optional(z.string()),
  WEBHOOK_SECRETS_ARN: z.optional(z.string()),
});
const config = runtimeConfig();
const events = new EventBridgePublisher(createEventBridgeClient(env.EVENTBRIDGE_ENDPOINT), env.EVENT_BUS_NAME);
const webhookSecrets = secretReader('WEBHOOK_SECRETS', { value: env.WEBHOOK_SECRETS, arn: env.WEBHOOK_SECRETS_ARN });

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(observability())
  .use(httpErrors())
  .use(
    verifiedBody({
      maxBytes: MAX_BODY_BYTES,
      verify: async (headers, body) => {
        const webhookId = assertStandardWebhook(headers, body, splitSecretList(await webhookSecrets()), new Date());
        logger.appendKeys({ webhookId });
      },
    }),
  )
  .handler(async (event) => {
    const delivery = parseJson(GenericPostDelivery, (event as VerifiedEvent).rawBody, 'the post');
    logger.appendKeys({ postId: delivery.data.id });
    const detail = await ingestPost(toSocialPost(delivery), {
      events,
      queues: config.queues,
      coveredLanguages: config.classifier.coveredLanguages,
      now: () => new Date(),
    });
    logger.info('post accepted', { queue: detail.queue, category: detail.classification.category, priority: detail.classification.priority });
    return jsonResponse(200, { accepted: true, postId: detail.post.id, queue: detail.queue });
  });
