import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { DynamoDedupeStore } from '#adapters/dedupe-store';
import { embeddedClassifier } from '#adapters/embedded-classifier';
import { createDynamoDbClient } from '#adapters/dynamodb-plain-client';
import { EventBridgePublisher } from '#adapters/event-publisher';
import { createEventBridgeClient } from '#adapters/eventbridge-client';
import { platformSecretsReader } from '#adapters/secrets';
import { envVar, parseEnv } from '#config/runtime-env';
import { runtimeConfig } from '#config/runtime-config';
import { MetricDimension, MetricName } from '#contracts/metrics';
import * as z from '#contracts/zod';
import { MethodNotAllowedError } from '#domain/errors';
import { ingestDelivery } from '#domain/ingest/ingest-delivery';
import { httpErrors, jsonResponse } from '#middleware/http-errors';
import { countWebhookRejections, metrics, MetricUnit, publishMetrics, recordMetrics } from '#middleware/metrics';
import { logger, observability } from '#middleware/observability';
import { rawBody } from '#platforms/raw-body';
import { platformFor } from '#platforms/registry';

const secret = z.optional(z.string());
const env = parseEnv({
  TABLE_NAME: envVar.tableName,
  EVENT_BUS_NAME: envVar.busName,
  DYNAMODB_ENDPOINT: envVar.endpoint,
  EVENTBRIDGE_ENDPOINT: envVar.endpoint,
  PLATFORM_SECRETS_ARN: secret,
  WEBHOOK_SECRETS: secret,
  X_CONSUMER_SECRET: secret,
  META_APP_SECRET: secret,
  META_VERIFY_TOKEN: secret,
});
const config = runtimeConfig();
const secrets = platformSecretsReader(env);
const ports = {
  events: new EventBridgePublisher(createEventBridgeClient(env.EVENTBRIDGE_ENDPOINT), env.EVENT_BUS_NAME),
  dedupe: new DynamoDedupeStore(createDynamoDbClient(env.DYNAMODB_ENDPOINT), env.TABLE_NAME),
  queues: config.queues,
  publishNotIssues: config.ingest.publishNotIssues,
  classifier: embeddedClassifier(config.classifier),
  now: () => new Date(),
};

/** ANY /webhooks/{platform}: the platform's handshake on GET; on POST verify, parse, hand on, 200. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(observability())
  .use(publishMetrics())
  .use(httpErrors())
  .use(countWebhookRejections())
  .handler(async (event) => {
    const platform = platformFor(event.pathParameters?.platform);
    const method = event.requestContext.http.method;
    if (method === 'GET' && platform.handshake) {
      const { statusCode, contentType, body } = platform.handshake(event.queryStringParameters ?? {}, await secrets());
      return { statusCode, headers: { 'content-type': contentType }, body };
    }
    if (method !== 'POST') throw new MethodNotAllowedError(`${method} is not accepted here`, platform.handshake ? ['GET', 'POST'] : ['POST']);
    const body = rawBody(event, platform.maxBodyBytes);
    platform.verify(event.headers, body, await secrets(), new Date());
    const delivery = platform.parse(body, new Date());
    // Issues per category feed a metric and the log; the platform's answer keeps its counts as they were.
    const { issues, ...outcome } = await ingestDelivery(delivery, ports);
    logger.info('delivery handed on', { platform: platform.name, ...outcome, issues, postIds: delivery.posts.slice(0, 20).map((item) => item.post.id) });
    metrics.addDimensions({ platform: platform.name });
    metrics.addMetric('PostsAccepted', MetricUnit.Count, outcome.accepted);
    metrics.addMetric('PostsDuplicate', MetricUnit.Count, outcome.duplicates);
    metrics.addMetric('PostsIgnored', MetricUnit.Count, outcome.ignored);
    metrics.addMetric('PostsRemoved', MetricUnit.Count, outcome.removals);
    for (const [category, count] of Object.entries(issues)) {
      recordMetrics({ [MetricDimension.category]: category }, [[MetricDimension.category]], [{ name: MetricName.issuesDetected, unit: MetricUnit.Count, value: count }]);
    }
    return jsonResponse(200, outcome);
  });
