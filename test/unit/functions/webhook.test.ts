import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PutEventsCommand, ThrottlingException } from '@aws-sdk/client-eventbridge';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { httpEvent, importHandler, lambdaContext } from '#test/support/lambda';
import { mockWebhookAws } from '#test/support/webhook-aws';

const SECRET = `whsec_${Buffer.from('webhook-test-secret-of-32-bytes!').toString('base64')}`;
const { eventBridge, dynamo, answerAll } = mockWebhookAws();

let handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
beforeAll(async () => {
  handler = await importHandler(() => import('../../../functions/webhook/handler.ts'), { WEBHOOK_SECRETS: SECRET });
});
afterAll(() => vi.unstubAllEnvs());
// The bus takes every event and every dedupe key is new, unless a test says otherwise.
beforeEach(() => answerAll());

function delivery(text: string, id = 'post-1') {
  return JSON.stringify({
    type: 'post.created',
    timestamp: '2026-11-22T10:00:00Z',
    data: { id, text, author: { id: 'user-1', handle: '@traveller' }, createdAt: '2026-11-22T09:59:00Z' },
  });
}

function signedEvent(body: string, options: { secret?: string; base64?: boolean } = {}) {
  const id = 'msg_1';
  const now = new Date();
  return httpEvent({
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(options.secret ?? SECRET).sign(id, now, body),
    },
    body: options.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
  });
}

const invoke = (event: unknown) => handler(event, lambdaContext('webhook'));
const published = () => eventBridge.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);

describe('POST /webhooks/generic', () => {
  it('accepts a signed post, classifies it and hands it to the bus stamped with its queue', async () => {
    const response = await invoke(signedEvent(delivery('Flight UA123 delayed 4 hours and still no update #fail')));

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toEqual({ accepted: 1, duplicates: 0, removals: 0, ignored: 0, queues: { delays: 1 } });
    const [entry] = published();
    expect(entry).toMatchObject({ EventBusName: 'redress', Source: 'redress.ingest', DetailType: 'Post.Classified' });
    const detail = JSON.parse(entry!.Detail!);
    expect(detail.queue).toBe('delays');
    expect(detail.post).toMatchObject({ platform: 'generic', id: 'post-1', text: expect.stringContaining('UA123') });
    expect(detail.classification).toMatchObject({ isIssue: true, category: 'delay', priority: 'P2' });
    expect(detail.classification.entities.flightNumbers).toEqual(['UA123']);
  });

  it('acknowledges a post that is no issue with no queue, and writes and publishes nothing for it', async () => {
    const response = await invoke(signedEvent(delivery('Loved the crew on my flight to Lisbon, thank you!')));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toMatchObject({ accepted: 1, queues: { none: 1 } });
    expect(published()).toEqual([]);
    expect(dynamo.calls()).toEqual([]);
  });

  it('verifies a body API Gateway delivered base64-encoded, over its decoded bytes', async () => {
    const response = await invoke(signedEvent(delivery('Mi maleta no llegó. ¿Dónde está?'), { base64: true }));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!).queues).toEqual({ triage: 1 });
  });

  it('acknowledges a post seen before with 200 and hands nothing on', async () => {
    dynamo.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    dynamo.on(GetItemCommand).resolves({ Item: { pk: { S: 'DEDUPE#generic::post-1' }, status: { S: 'done' } } });
    const response = await invoke(signedEvent(delivery('my flight was cancelled')));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(published()).toHaveLength(0);
  });

  it('claims the post under its id before handing it on, and marks it done after', async () => {
    await invoke(signedEvent(delivery('my flight was cancelled', 'post-42')));
    const claim = dynamo.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(claim).toMatchObject({ TableName: 'tickets-test', Item: { pk: { S: 'DEDUPE#generic::post-42' }, status: { S: 'pending' } } });
    expect(claim.ConditionExpression).toContain('attribute_not_exists(pk)');
    const done = dynamo.commandCalls(BatchWriteItemCommand)[0]!.args[0].input.RequestItems!['tickets-test']!;
    expect(done).toEqual([{ PutRequest: { Item: expect.objectContaining({ pk: { S: 'DEDUPE#generic::post-42' }, status: { S: 'done' } }) } }]);
  });

  it('releases the claim when the bus does not take the post, so the retry hands it on', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });
    await invoke(signedEvent(delivery('my flight was cancelled')));
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(BatchWriteItemCommand)).toHaveLength(0);
  });

  it('answers 405 naming POST to any other method, and 404 to a platform it does not know', async () => {
    const get = await invoke(httpEvent({ method: 'GET' }));
    expect(get.statusCode).toBe(405);
    expect(get.headers).toMatchObject({ allow: 'POST' });
    const unknown = await invoke(httpEvent({ path: '/webhooks/myspace' }));
    expect(unknown.statusCode).toBe(404);
    expect(JSON.parse(unknown.body!).message).toMatch(/no webhook for "myspace"/);
  });

  it('counts a forged delivery in a metric by platform and reason, and writes nothing else', async () => {
    const { metrics } = await import('#middleware/metrics');
    const counted = vi.spyOn(metrics, 'addMetric');
    const dimensions = vi.spyOn(metrics, 'addDimensions');
    await invoke(signedEvent(delivery('my bag is lost'), { secret: `whsec_${Buffer.from('someone-elses-secret-of-32-bytes').toString('base64')}` }));
    expect(dimensions).toHaveBeenCalledWith({ platform: 'generic', reason: 'signature' });
    expect(counted).toHaveBeenCalledWith('WebhookRejected', 'Count', 1);
    expect(dynamo.calls()).toHaveLength(0);
    counted.mockRestore();
    dimensions.mockRestore();
  });

  it('answers 401 with a JSON error to a bad signature and publishes nothing', async () => {
    const response = await invoke(signedEvent(delivery('my bag is lost'), { secret: `whsec_${Buffer.from('someone-elses-secret-of-32-bytes').toString('base64')}` }));
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body!)).toEqual({ error: 'unauthorized', message: 'Standard Webhooks signature rejected: no webhook-signature entry matches' });
    expect(published()).toHaveLength(0);
  });

  it('answers 400 naming the fields when a signed body does not match the post schema', async () => {
    const body = JSON.stringify({ type: 'post.created', timestamp: '2026-11-22T10:00:00Z', data: { id: '', text: 'x', author: {} } });
    const response = await invoke(signedEvent(body));
    expect(response.statusCode).toBe(400);
    const error = JSON.parse(response.body!);
    expect(error).toMatchObject({ error: 'invalid_request', message: 'the post does not match the expected shape' });
    expect(error.fields.map((field: { path: string }) => field.path)).toEqual(expect.arrayContaining(['data.id', 'data.author.id', 'data.createdAt']));
    expect(published()).toHaveLength(0);
  });

  it('answers 400 when a signed body is not JSON', async () => {
    const response = await invoke(signedEvent('{"type": "post.created",'));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body!).message).toMatch(/^the post is not valid JSON/);
  });

  it('answers 413 to a body over 256 KB without verifying or parsing it', async () => {
    const response = await invoke(signedEvent(delivery('x'.repeat(300 * 1024))));
    expect(response.statusCode).toBe(413);
    expect(published()).toHaveLength(0);
  });

  it('retries entries PutEvents failed, and answers 200 once they are in', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    const response = await invoke(signedEvent(delivery('my flight was cancelled')));
    expect(response.statusCode).toBe(200);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('never answers 200 for a post the bus did not take: 503 so the platform retries', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });
    const response = await invoke(signedEvent(delivery('my flight was cancelled')));
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'retry-after': '5' });
    expect(JSON.parse(response.body!).error).toBe('unavailable');
  });

  it('answers 503 with Retry-After, never 200, when DynamoDB throttles the claim or is briefly down', async () => {
    for (const error of [
      new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: { httpStatusCode: 400 } }),
      new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } }),
    ]) {
      dynamo.on(PutItemCommand).rejects(error);
      const response = await invoke(signedEvent(delivery('my flight was cancelled')));
      expect(response.statusCode).toBe(503);
      expect(response.headers).toMatchObject({ 'retry-after': '2' });
      expect(JSON.parse(response.body!)).toEqual({ error: 'unavailable', message: expect.stringMatching(/retry/) });
    }
    expect(published()).toHaveLength(0);
  });

  it('answers 503 with Retry-After when EventBridge throttles the PutEvents call itself', async () => {
    eventBridge.on(PutEventsCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));
    const response = await invoke(signedEvent(delivery('my flight was cancelled')));
    expect(response.statusCode).toBe(503);
    expect(response.headers).toHaveProperty('retry-after');
    expect(JSON.parse(response.body!).error).toBe('unavailable');
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(1);
  });

  it('marks a handed-on post done through throttling, and answers 200', async () => {
    dynamo
      .on(BatchWriteItemCommand)
      .rejectsOnce(new ProvisionedThroughputExceededException({ message: 'throughput exceeded', $metadata: { httpStatusCode: 400 } }))
      .resolves({});
    const response = await invoke(signedEvent(delivery('my flight was cancelled')));
    expect(response.statusCode).toBe(200);
    expect(dynamo.commandCalls(BatchWriteItemCommand)).toHaveLength(2);
    expect(published()).toHaveLength(1);
  });

  it('answers 4xx with a JSON error, never 5xx, and publishes nothing, whatever an unsigned request carries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.string({ maxLength: 2000 }), { nil: undefined }),
        fc.boolean(),
        fc.dictionary(fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type', 'x-other'), fc.string({ maxLength: 80 })),
        async (body, isBase64Encoded, headers) => {
          eventBridge.resetHistory();
          dynamo.resetHistory();
          const response = await invoke(httpEvent({ headers, body, isBase64Encoded }));
          expect([400, 401, 413]).toContain(response.statusCode);
          expect(JSON.parse(response.body!).error).toEqual(expect.any(String));
          expect(published()).toHaveLength(0);
          expect(dynamo.calls()).toHaveLength(0);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });

  it('answers 400 or 200, never 5xx, to any signed body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 500 }), fc.json({ maxDepth: 4 })), async (body) => {
        const response = await invoke(signedEvent(body));
        expect([200, 400]).toContain(response.statusCode);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });
});
