import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEDUPE_RETENTION_SECONDS, DynamoDedupeStore } from '#adapters/dedupe-store';
import { ticketTableCreateInput } from '#adapters/ticket-table';
import { ensureTables, localDynamoDbClient } from '#infra/local/dynamodb';

describe.each(inject('dynamoDbTargets'))('delivery dedupe on $name', ({ endpoint }) => {
  const tableName = `dedupe-${randomUUID()}`;
  const client = DynamoDBDocumentClient.from(localDynamoDbClient(endpoint));
  const store = new DynamoDedupeStore(localDynamoDbClient(endpoint), tableName);
  const now = new Date();
  const key = () => `test:post:${randomUUID()}`;
  const claimed = async (dedupeKey: string, at = now) => {
    const claim = await store.claim(dedupeKey, at);
    if (claim.outcome !== 'claimed') throw new Error(`expected a claim, got ${claim.outcome}`);
    return claim.token;
  };

  beforeAll(async () => {
    await ensureTables(localDynamoDbClient(endpoint), [ticketTableCreateInput(tableName)]);
  });

  it('hands a key out once and calls every later claim a duplicate once it is done', async () => {
    const dedupeKey = key();
    await store.complete([{ key: dedupeKey, token: await claimed(dedupeKey) }]);
    expect(await store.claim(dedupeKey, now)).toEqual({ outcome: 'duplicate' });
    expect(await store.claim(dedupeKey, new Date(now.getTime() + 36 * 3_600_000))).toEqual({ outcome: 'duplicate' });
  });

  it('lets exactly one of 20 concurrent claims through; the others wait for it and see a duplicate', async () => {
    const dedupeKey = key();
    const claims = Promise.all(Array.from({ length: 20 }, () => store.claim(dedupeKey, now)));
    // The winner finishes its work a little later, while the others are still waiting.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { pk: `DEDUPE#${dedupeKey}`, sk: 'DEDUPE' }, ConsistentRead: true }));
    await store.complete([{ key: dedupeKey, token: Item!.token as string }]);
    const outcomes = (await claims).map((claim) => claim.outcome);
    expect(outcomes.filter((outcome) => outcome === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(19);
  });

  it('says "in progress" when the holder neither finishes nor gives up within a second', async () => {
    const dedupeKey = key();
    await claimed(dedupeKey);
    expect(await store.claim(dedupeKey, now)).toEqual({ outcome: 'in_progress' });
  });

  it('makes a released key claimable again, so a failed hand-on is retried', async () => {
    const dedupeKey = key();
    await store.release(dedupeKey, await claimed(dedupeKey));
    expect((await store.claim(dedupeKey, now)).outcome).toBe('claimed');
  });

  it('lets another request take over a claim whose holder died, once its lease ran out', async () => {
    const dedupeKey = key();
    await claimed(dedupeKey);
    const taken = await claimed(dedupeKey, new Date(now.getTime() + 31_000));
    await store.complete([{ key: dedupeKey, token: taken }]);
    expect(await store.claim(dedupeKey, now)).toEqual({ outcome: 'duplicate' });
  });

  it('ignores a late release from a holder whose claim was taken over', async () => {
    const dedupeKey = key();
    const abandoned = await claimed(dedupeKey);
    const taken = await claimed(dedupeKey, new Date(now.getTime() + 31_000));
    await store.release(dedupeKey, abandoned);
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { pk: `DEDUPE#${dedupeKey}`, sk: 'DEDUPE' }, ConsistentRead: true }));
    expect(Item).toMatchObject({ status: 'pending', token: taken });
  });

  it('marks a thousand keys done in bulk, each a duplicate afterwards', async () => {
    const keys = Array.from({ length: 1000 }, key);
    const claims = await Promise.all(keys.map(async (dedupeKey) => ({ key: dedupeKey, token: await claimed(dedupeKey) })));
    await store.complete(claims);
    const again = await Promise.all(keys.map((dedupeKey) => store.claim(dedupeKey, now)));
    expect(again.filter((claim) => claim.outcome === 'duplicate')).toHaveLength(1000);
  });

  it('forgets a key after its retention, even before DynamoDB deletes the record', async () => {
    const dedupeKey = key();
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `DEDUPE#${dedupeKey}`, sk: 'DEDUPE', status: 'done', token: 'old', expiresAt: Math.floor(now.getTime() / 1000) - 1 },
      }),
    );
    expect((await store.claim(dedupeKey, now)).outcome).toBe('claimed');
  });

  it('keeps a record at least as long as any platform retries (36 h for Meta)', async () => {
    const dedupeKey = key();
    await claimed(dedupeKey);
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { pk: `DEDUPE#${dedupeKey}`, sk: 'DEDUPE' } }));
    expect(Item!.expiresAt).toBe(Math.floor(now.getTime() / 1000) + DEDUPE_RETENTION_SECONDS);
    expect(DEDUPE_RETENTION_SECONDS).toBeGreaterThanOrEqual(36 * 3600);
  });
});
