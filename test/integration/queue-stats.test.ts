import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoQueueStats } from '#adapters/queue-stats';
import { ticketTableCreateInput } from '#adapters/ticket-table';
import type { TicketStatus } from '#contracts/ticket';
import { ensureTables, localDynamoDbClient } from '#infra/local/dynamodb';
import { recordingClient } from './ticket-repository/harness.ts';

interface Spec {
  id: string;
  queue: string;
  status: TicketStatus;
  createdAt: string;
  /** Bytes of filler, to make a partition span pages (DynamoDB pages a query at 1 MB read). */
  padding?: number;
}

/** A ticket item as the repository stores it, with the `queue-due` index keys it writes. */
function ticketItem({ id, queue, status, createdAt, padding = 0 }: Spec): Record<string, unknown> {
  return {
    pk: `TICKET#${id}`,
    sk: 'TICKET',
    type: 'ticket',
    id,
    queue,
    status,
    createdAt,
    gsi1pk: `QUEUE#${queue}#${status}`,
    gsi1sk: `${new Date(Date.parse(createdAt) + 3_600_000).toISOString()}#${id}`,
    ...(padding > 0 ? { preview: 'x'.repeat(padding) } : {}),
  };
}

describe.each(inject('dynamoDbTargets'))('open tickets per queue on $name', ({ endpoint }) => {
  const tableName = `queue-stats-${randomUUID()}`;
  const base = localDynamoDbClient(endpoint);
  const client = DynamoDBDocumentClient.from(base);
  /** The client, recording every command the adapter sends through it. */
  const { client: recording, sent: commands } = recordingClient(client);
  const sent = commands as Array<{ input: Record<string, unknown> }>;
  const stats = new DynamoQueueStats(recording, tableName);
  const store = async (specs: Spec[]) => {
    for (const spec of specs) await client.send(new PutCommand({ TableName: tableName, Item: ticketItem(spec) }));
  };

  beforeAll(async () => {
    await ensureTables(base, [ticketTableCreateInput(tableName)]);
  });
  afterAll(() => base.destroy());

  it('counts the tickets new, open and waiting for the customer, and gives the oldest creation time among them', async () => {
    await store([
      { id: 'a', queue: 'delays', status: 'new', createdAt: '2026-11-22T09:30:00.000Z' },
      { id: 'b', queue: 'delays', status: 'open', createdAt: '2026-11-22T08:00:00.5Z' },
      // The oldest: as text '...00Z' sorts after '...00.5Z', as instants it comes first.
      { id: 'c', queue: 'delays', status: 'pending_customer', createdAt: '2026-11-22T08:00:00Z' },
      { id: 'd', queue: 'delays', status: 'solved', createdAt: '2026-11-20T08:00:00.000Z' },
      { id: 'e', queue: 'delays', status: 'closed', createdAt: '2026-11-19T08:00:00.000Z' },
      { id: 'f', queue: 'baggage', status: 'new', createdAt: '2026-11-21T08:00:00.000Z' },
    ]);
    expect(await stats.forQueue('delays')).toEqual({ open: 3, oldestCreatedAt: '2026-11-22T08:00:00Z' });
    expect(await stats.forQueue('baggage')).toEqual({ open: 1, oldestCreatedAt: '2026-11-21T08:00:00.000Z' });
  });

  it('gives zero and no oldest for a queue with no open ticket', async () => {
    await store([{ id: 'g', queue: 'catering', status: 'solved', createdAt: '2026-11-22T08:00:00.000Z' }]);
    expect(await stats.forQueue('catering')).toEqual({ open: 0, oldestCreatedAt: null });
    expect(await stats.forQueue('lounges')).toEqual({ open: 0, oldestCreatedAt: null });
  });

  it('reads a partition over 1 MB page by page, and only the index, asking for createdAt alone', async () => {
    const busy = Array.from({ length: 30 }, (_, index) => ({
      id: `busy-${String(index).padStart(2, '0')}`,
      queue: 'general',
      status: 'open' as const,
      createdAt: new Date(Date.parse('2026-11-22T10:00:00.000Z') - index * 60_000).toISOString(),
      padding: 100_000,
    }));
    await store(busy);
    sent.length = 0;

    expect(await stats.forQueue('general')).toEqual({ open: 30, oldestCreatedAt: '2026-11-22T09:31:00.000Z' });
    const openPartition = sent.filter((command) => (command.input.ExpressionAttributeValues as Record<string, string>)[':queue'] === 'QUEUE#general#open');
    expect(openPartition.length).toBeGreaterThan(1);
    expect(openPartition.slice(1).every((command) => command.input.ExclusiveStartKey !== undefined)).toBe(true);
    for (const command of sent) {
      expect(command).toBeInstanceOf(QueryCommand);
      expect(command).toMatchObject({ input: { IndexName: 'queue-due', ProjectionExpression: 'createdAt' } });
    }
    expect(sent.map((command) => (command.input.ExpressionAttributeValues as Record<string, string>)[':queue']).sort()).toEqual([
      'QUEUE#general#new',
      ...openPartition.map(() => 'QUEUE#general#open'),
      'QUEUE#general#pending_customer',
    ]);
  });
});
