import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ACTIVE_STATUSES, type TicketStatus } from '#contracts/ticket';
import { queryPages } from './query-pages.ts';
import { queueKey } from './ticket-repository.ts';
import { ticketTable } from './ticket-table.ts';

/** A queue's open tickets (new, open or waiting for the customer), as the monitor reports them. */
export interface QueueStats {
  open: number;
  /** When the oldest of them was created, as stored; null when the queue has none. */
  oldestCreatedAt: string | null;
}

/**
 * Open tickets per queue, read from the `queue-due` index, one partition per status (never a
 * scan). The index is sorted by due time, not age, so every item of a partition is read; only
 * `createdAt` comes back, though DynamoDB still charges reads by the size of the items.
 */
export class DynamoQueueStats {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async forQueue(queue: string): Promise<QueueStats> {
    const partitions = await Promise.all(ACTIVE_STATUSES.map((status) => this.createdTimes(queue, status)));
    let oldest: { at: string; ms: number } | null = null;
    let open = 0;
    for (const createdAt of partitions.flat()) {
      open += 1;
      // As instants: the contract lets a time carry any number of decimals, so the text does not sort.
      const ms = Date.parse(createdAt);
      if (oldest === null || ms < oldest.ms) oldest = { at: createdAt, ms };
    }
    return { open, oldestCreatedAt: oldest?.at ?? null };
  }

  /** Every ticket's createdAt in one partition, page by page: DynamoDB stops a page at 1 MB read. */
  private async createdTimes(queue: string, status: TicketStatus): Promise<string[]> {
    const times: string[] = [];
    const pages = queryPages(this.client, {
      TableName: this.tableName,
      IndexName: ticketTable.indexes.queueDue.name,
      KeyConditionExpression: 'gsi1pk = :queue',
      ExpressionAttributeValues: { ':queue': queueKey(queue, status) },
      ProjectionExpression: 'createdAt',
    });
    for await (const page of pages) for (const item of page.Items ?? []) times.push(String(item.createdAt));
    return times;
  }
}
