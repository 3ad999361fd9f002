// Recording how a reply's delivery went (shared/adapters/reply-store.ts) while DynamoDB
// throttles: lost after the platform took the reply, the outcome would leave it `sending` until
// its lease ran out, and the next run would record it as failed-maybe-posted.
import { ConditionalCheckFailedException, DynamoDBClient, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoReplyStore } from '#adapters/reply-store';
import { settled } from '#test/support/fake-timers';

const dynamo = mockClient(DynamoDBDocumentClient);
const replies = new DynamoReplyStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'tickets-test');
const NOW = new Date('2026-11-22T10:05:00.000Z');
const throttled = () => new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: { httpStatusCode: 400 } });


beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  dynamo.reset();
});
afterEach(() => vi.useRealTimers());

describe('recording a reply the platform took', () => {
  it('records it sent, under the lease, once a throttled write gets through', async () => {
    dynamo.on(UpdateCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});
    const { error } = await settled(replies.recordSent('tkt_1', 'rpl_1', 'lease-1', '1860000000000000777', NOW));
    expect(error).toBeUndefined();
    const writes = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(writes).toHaveLength(3);
    expect(writes[2]).toMatchObject({ ConditionExpression: 'delivery.#token = :token', ExpressionAttributeValues: { ':token': 'lease-1', ':f0': 'sent' } });
  });

  it('does not retry when the lease was lost: another run owns the outcome', async () => {
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const { error } = await settled(replies.recordSent('tkt_1', 'rpl_1', 'lease-1', '1860000000000000777', NOW));
    expect((error as Error).message).toMatch(/lease was lost/);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(1);
  });
});
