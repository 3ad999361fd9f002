// The writes that end a webhook's dedupe claims (shared/adapters/dedupe-store.ts) while DynamoDB
// throttles: once the posts are handed on, a record left pending would make the platform's retry
// wait out the lease and then hand them on again.
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDedupeStore } from '#adapters/dedupe-store';
import { isTransient } from '#adapters/transient-errors';
import { settled } from '#test/support/fake-timers';

const dynamo = mockClient(DynamoDBClient);
const store = new DynamoDedupeStore(new DynamoDBClient({ region: 'eu-west-1' }), 'tickets-test');
const claims = (count: number) => Array.from({ length: count }, (_, n) => ({ key: `generic::post-${n}`, token: `t${n}` }));
const throttled = () => new ProvisionedThroughputExceededException({ message: 'throughput exceeded', $metadata: { httpStatusCode: 400 } });
const written = () =>
  dynamo.commandCalls(BatchWriteItemCommand).map((call) => (call.args[0].input.RequestItems?.['tickets-test'] ?? []).map((request) => request.PutRequest?.Item?.pk?.S));


beforeEach(() => {
  vi.useFakeTimers();
  dynamo.reset();
});
afterEach(() => vi.useRealTimers());

describe('marking handed-on posts done', () => {
  it('sends a throttled batch again until DynamoDB takes it', async () => {
    dynamo.on(BatchWriteItemCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});
    const { error } = await settled(store.complete(claims(2)));
    expect(error).toBeUndefined();
    expect(written()).toEqual(Array.from({ length: 3 }, () => ['DEDUPE#generic::post-0', 'DEDUPE#generic::post-1']));
  });

  it('sends again only the records DynamoDB left unprocessed', async () => {
    dynamo.on(BatchWriteItemCommand).callsFakeOnce((input: { RequestItems: Record<string, WriteRequest[]> }) => ({
      UnprocessedItems: { 'tickets-test': input.RequestItems['tickets-test']!.slice(1) },
    })).resolves({});
    await settled(store.complete(claims(3)));
    expect(written()).toEqual([
      ['DEDUPE#generic::post-0', 'DEDUPE#generic::post-1', 'DEDUPE#generic::post-2'],
      ['DEDUPE#generic::post-1', 'DEDUPE#generic::post-2'],
    ]);
  });

  it('gives up within the webhook\'s answer time with an error the webhook answers 503 to', async () => {
    dynamo.on(BatchWriteItemCommand).rejects(throttled());
    const started = Date.now();
    const { error } = await settled(store.complete(claims(1)));
    expect(isTransient(error)).toBe(true);
    expect(written().length).toBeGreaterThan(2);
    expect(Date.now() - started).toBeLessThanOrEqual(2_000);
  });

  it('gives a claim up through throttling, and takes a condition failure as already given up', async () => {
    dynamo.on(DeleteItemCommand).rejectsOnce(throttled()).resolves({});
    await settled(store.release('generic::post-0', 't0'));
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(2);

    dynamo.reset();
    dynamo.on(DeleteItemCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const { error } = await settled(store.release('generic::post-0', 't0'));
    expect(error).toBeUndefined();
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(1);
  });
});
