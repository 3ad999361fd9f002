import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OutgoingEvent } from '#contracts/events';
import { Ticket, type TicketStatus } from '#contracts/ticket';
import * as z from '#contracts/zod';
import { ValidationError } from '#domain/errors';
import type { DueTicket, OutboxClaim, QueueQuery, TicketPage, TicketRepository } from '#domain/ports';
import { nextDeadline } from '#domain/sla/first-response';
import type { StoredPost } from '#domain/tickets/open-ticket';
import { ticketTable } from './ticket-table.ts';

/** How long a runner holds a ticket's unpublished events before another may take them over. */
const OUTBOX_LEASE_MS = 30_000;
/** The deadline index is spread over a few partitions so one busy minute cannot make it hot. */
const DEADLINE_SHARDS = 4;

const ticketKey = (ticketId: string) => ({ pk: `TICKET#${ticketId}`, sk: 'TICKET' });
/** A post by its identity, so an edit lands on the same item as the post it changes. */
const postKey = (ticketId: string, stored: StoredPost) => ({ pk: `TICKET#${ticketId}`, sk: `POST#${stored.post.platform}#${stored.post.id}` });
const queueKey = (queue: string, status: TicketStatus) => `QUEUE#${queue}#${status}`;
const queueSortKey = (ticket: Ticket) => `${ticket.sla.firstResponseDueAt}#${ticket.id}`;
const deadlineShard = (ticketId: string) => `DEADLINE#${[...ticketId].reduce((sum, char) => sum + char.charCodeAt(0), 0) % DEADLINE_SHARDS}`;

// Key values must be non-empty and within DynamoDB's key size limits, or an edited cursor would
// reach DynamoDB and come back as its ValidationException (a 500) instead of ours (a 400).
const CursorKey = z.string().check(z.minLength(1), z.maxLength(200));
const QueueCursor = z.record(z.string(), z.union([z.literal('done'), z.object({ gsi1sk: CursorKey, id: CursorKey })]));
type QueueCursor = z.infer<typeof QueueCursor>;

/**
 * Tickets in the single table (shared/adapters/ticket-table.ts). No transactions, PartiQL or
 * streams (dynalite has none): deterministic keys, conditional writes and version numbers make
 * every write safe to repeat and safe against a concurrent writer.
 */
export class DynamoTicketRepository implements TicketRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
  ) {}

  async createTicket(ticket: Ticket, stored: StoredPost, events: OutgoingEvent[]): Promise<void> {
    const expiresAt = this.expiry(new Date(ticket.createdAt));
    // The post first: the ticket becomes visible in its queue only once its post is stored.
    await this.putIfAbsent({ ...postKey(ticket.id, stored), type: 'post', ...stored, expiresAt });
    await this.putIfAbsent({
      ...ticketKey(ticket.id),
      type: 'ticket',
      ...ticket,
      gsi1pk: queueKey(ticket.queue, ticket.status),
      gsi1sk: queueSortKey(ticket),
      // Unpublished events make the ticket due at once, so the SLA monitor publishes them if
      // this invocation dies before it can. The index compares strings, so the time is written
      // as toISOString does (always milliseconds), like every other key in it.
      gsi2pk: deadlineShard(ticket.id),
      gsi2sk: `${new Date(ticket.createdAt).toISOString()}#${ticket.id}`,
      outbox: events,
      expiresAt,
    });
  }

  async recordPostEdit(ticketId: string, stored: StoredPost): Promise<boolean> {
    const editedAt = stored.post.editedAt;
    if (!editedAt) return false;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: postKey(ticketId, stored),
          UpdateExpression: 'SET post = :post, classification = :classification, editedAt = :editedAt',
          // Edits can arrive out of order (platform retries): only a later one replaces the text.
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(editedAt) OR editedAt < :editedAt)',
          ExpressionAttributeValues: { ':post': stored.post, ':classification': stored.classification, ':editedAt': new Date(editedAt).toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async claimOutbox(ticketId: string, now: Date): Promise<OutboxClaim | null> {
    const token = randomUUID();
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ticketKey(ticketId),
          UpdateExpression: 'SET outboxLeaseUntil = :until, outboxLeaseToken = :token',
          ConditionExpression: 'attribute_exists(outbox) AND (attribute_not_exists(outboxLeaseUntil) OR outboxLeaseUntil < :now)',
          ExpressionAttributeValues: { ':until': now.getTime() + OUTBOX_LEASE_MS, ':token': token, ':now': now.getTime() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { ticketId, token, events: (Attributes?.outbox ?? []) as OutgoingEvent[], ticket: Ticket.parse(Attributes) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

  async completeOutbox(claim: OutboxClaim): Promise<void> {
    const deadline = nextDeadline(claim.ticket);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ticketKey(claim.ticketId),
          UpdateExpression: deadline
            ? 'REMOVE outbox, outboxLeaseUntil, outboxLeaseToken SET gsi2pk = :shard, gsi2sk = :due'
            : 'REMOVE outbox, outboxLeaseUntil, outboxLeaseToken, gsi2pk, gsi2sk',
          ConditionExpression: 'outboxLeaseToken = :token',
          ExpressionAttributeValues: {
            ':token': claim.token,
            ...(deadline ? { ':shard': deadlineShard(claim.ticketId), ':due': `${deadline}#${claim.ticketId}` } : {}),
          },
        }),
      );
    } catch (error) {
      // Our lease ran out and another runner took the events over: it finishes the job.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async releaseOutbox(claim: OutboxClaim): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ticketKey(claim.ticketId),
          UpdateExpression: 'REMOVE outboxLeaseUntil, outboxLeaseToken',
          ConditionExpression: 'outboxLeaseToken = :token',
          ExpressionAttributeValues: { ':token': claim.token },
        }),
      );
    } catch (error) {
      // The lease already ran out and another runner holds the events: nothing of ours to give up.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async findDue(now: Date, limit: number): Promise<DueTicket[]> {
    const upTo = `${now.toISOString()}#\uffff`;
    const shards = Array.from({ length: DEADLINE_SHARDS }, (_, shard) => `DEADLINE#${shard}`);
    const perShard = await Promise.all(
      shards.map(async (shard) => {
        const { Items = [] } = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: ticketTable.indexes.deadline.name,
            KeyConditionExpression: 'gsi2pk = :shard AND gsi2sk <= :upTo',
            ExpressionAttributeValues: { ':shard': shard, ':upTo': upTo },
            Limit: limit,
          }),
        );
        return Items;
      }),
    );
    return perShard
      .flat()
      .sort((a, b) => String(a.gsi2sk).localeCompare(String(b.gsi2sk)))
      .slice(0, limit)
      .map((item) => ({ ticket: Ticket.parse(item), outboxPending: item.outbox !== undefined }));
  }

  async markFirstResponseBreached(ticket: Ticket, now: Date, event: OutgoingEvent): Promise<boolean> {
    const at = now.toISOString();
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ticketKey(ticket.id),
          UpdateExpression:
            'SET #version = :next, updatedAt = :at, sla.firstResponseBreachedAt = :at, outbox = :outbox, gsi2pk = :shard, gsi2sk = :due',
          // The version is the one the monitor read: a ticket answered in the meantime is not breached.
          ConditionExpression: '#version = :read AND attribute_not_exists(outbox)',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: {
            ':read': ticket.version,
            ':next': ticket.version + 1,
            ':at': at,
            ':outbox': [event],
            ':shard': deadlineShard(ticket.id),
            ':due': `${at}#${ticket.id}`,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async listQueue(query: QueueQuery): Promise<TicketPage> {
    const cursor = decodeCursor(query.cursor);
    const open = query.statuses.filter((status) => cursor[status] !== 'done');
    const pages = await Promise.all(open.map((status) => this.queryStatus(query.queue, status, cursor, query.limit)));
    // Each status is its own index partition in due order; merge them and keep the first `limit`.
    const merged = pages
      .flatMap(({ status, items }) => items.map((item) => ({ status, item })))
      .sort((a, b) => String(a.item.gsi1sk).localeCompare(String(b.item.gsi1sk)))
      .slice(0, query.limit);
    const next: QueueCursor = { ...cursor };
    for (const page of pages) {
      const taken = merged.filter((entry) => entry.status === page.status);
      const last = taken.at(-1)?.item;
      if (last) next[page.status] = { gsi1sk: String(last.gsi1sk), id: String(last.id) };
      if (taken.length === page.items.length && !page.more) next[page.status] = 'done';
    }
    const finished = query.statuses.every((status) => next[status] === 'done');
    const page: TicketPage = { tickets: merged.map((entry) => Ticket.parse(entry.item)) };
    if (!finished) page.nextCursor = encodeCursor(next);
    return page;
  }

  private async queryStatus(queue: string, status: TicketStatus, cursor: QueueCursor, limit: number) {
    const position = cursor[status];
    const gsi1pk = queueKey(queue, status);
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: ticketTable.indexes.queueDue.name,
        KeyConditionExpression: 'gsi1pk = :queue',
        ExpressionAttributeValues: { ':queue': gsi1pk },
        Limit: limit,
        ExclusiveStartKey: position && position !== 'done' ? { ...ticketKey(position.id), gsi1pk, gsi1sk: position.gsi1sk } : undefined,
      }),
    );
    return { status, items: Items, more: LastEvaluatedKey !== undefined };
  }

  private async putIfAbsent(item: Record<string, unknown>): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private expiry(from: Date): number {
    return Math.floor(from.getTime() / 1000) + this.retentionDays * 86_400;
  }
}

function decodeCursor(cursor: string | undefined): QueueCursor {
  if (cursor === undefined) return {};
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError('cursor is not one this API returned', [{ path: 'cursor', message: 'not a valid cursor' }]);
  }
  const parsed = QueueCursor.safeParse(decoded);
  if (!parsed.success) throw new ValidationError('cursor is not one this API returned', [{ path: 'cursor', message: 'not a valid cursor' }]);
  return parsed.data;
}

function encodeCursor(cursor: QueueCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}
