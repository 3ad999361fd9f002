import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DetailType, type OutgoingEvent } from '#contracts/events';
import { Ticket, type TicketStatus } from '#contracts/ticket';
import * as z from '#contracts/zod';
import { ValidationError } from '#domain/errors';
import type { AuthorKey, DueTicket, HistoryEntry, OutboxClaim, QueueQuery, ReplyRecord, SavedChange, StoredTicket, TicketPage, TicketRepository, TicketView } from '#domain/ports';
import { nextDeadline } from '#domain/sla/ticket-clocks';
import type { StoredPost } from '#domain/tickets/open-ticket';
import type { TicketChange } from '#domain/tickets/ticket-changes';
import { pendingReplyRecord } from '#domain/replies/reply-record';
import { queryPages } from './query-pages.ts';
import { ticketTable } from './ticket-table.ts';
import { retryTransient } from './transient-errors.ts';

/** How long a runner holds a ticket's unpublished events before another may take them over. */
const OUTBOX_LEASE_MS = 30_000;
/** The deadline index is spread over a few partitions so one busy minute cannot make it hot. */
const DEADLINE_SHARDS = 4;

const ticketKey = (ticketId: string) => ({ pk: `TICKET#${ticketId}`, sk: 'TICKET' });
/** A post by its identity, so an edit lands on the same item as the post it changes. */
const postKey = (ticketId: string, stored: StoredPost) => ({ pk: `TICKET#${ticketId}`, sk: `POST#${stored.post.platform}#${stored.post.id}` });
/** Which ticket a post belongs to, so a redelivered post lands where it did the first time. */
const postRefKey = (platform: string, postId: string) => ({ pk: `POSTREF#${platform}#${postId}`, sk: 'POSTREF' });
/** An author's current ticket in a queue: follow-ups within the window join it. */
const authorKey = ({ platform, authorId, queue }: AuthorKey) => ({ pk: `AUTHOR#${platform}#${authorId}#QUEUE#${queue}`, sk: 'AUTHOR' });
/** History in time order; the same event always lands on the same item. */
const historyKey = (ticketId: string, entry: HistoryEntry) => ({
  pk: `TICKET#${ticketId}`,
  sk: `HIST#${entry.at}#${String(entry.version).padStart(8, '0')}#${entry.detailType}`,
});
const replyKey = (ticketId: string, replyId: string) => ({ pk: `TICKET#${ticketId}`, sk: `REPLY#${replyId}` });
/** A queue's tickets in one status: the `queue-due` index partition (also read by sla-report-reader.ts and queue-stats.ts). */
export const queueKey = (queue: string, status: TicketStatus) => `QUEUE#${queue}#${status}`;
/**
 * Oldest due first: a ticket with a running clock sorts by its earliest due time; one with none
 * (waiting for the customer, solved) after all of those, by when it last changed.
 */
const queueSortKey = (ticket: Ticket) => (ticket.sla.dueAt !== null ? `${ticket.sla.dueAt}#${ticket.id}` : `~${ticket.updatedAt}#${ticket.id}`);
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

  async createTicket(ticket: Ticket, stored: StoredPost, events: OutgoingEvent[], now: Date): Promise<OutboxClaim | null> {
    const expiresAt = this.expiry(new Date(ticket.createdAt));
    // The post first: the ticket becomes visible in its queue only once its post is stored.
    await this.putIfAbsent({ ...postKey(ticket.id, stored), type: 'post', ...stored, expiresAt });
    // The creator holds the outbox from the start: publishing it then takes no write to claim it.
    const token = randomUUID();
    const created = await this.putIfAbsent({
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
      outboxLeaseUntil: now.getTime() + OUTBOX_LEASE_MS,
      outboxLeaseToken: token,
      postIds: new Set([stored.post.id]),
      expiresAt,
    });
    return created ? { ticketId: ticket.id, token, events, ticket } : null;
  }

  async findTicket(ticketId: string): Promise<StoredTicket | null> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: ticketKey(ticketId), ConsistentRead: true }));
    if (!Item) return null;
    return { ticket: Ticket.parse(Item), postIds: new Set((Item.postIds as Set<string> | undefined) ?? []) };
  }

  async getTicketView(ticketId: string): Promise<TicketView | null> {
    const items: Array<Record<string, unknown>> = [];
    const pages = queryPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': ticketKey(ticketId).pk },
      ConsistentRead: true,
    });
    for await (const page of pages) items.push(...(page.Items ?? []));
    const ticketItem = items.find((item) => item.sk === 'TICKET');
    if (!ticketItem) return null;
    const history: HistoryEntry[] = items.filter((item) => String(item.sk).startsWith('HIST#')).map((item) => item.entry as HistoryEntry);
    const recorded = new Set(history.map((entry) => historyKey(ticketId, entry).sk));
    // Events stored with a change but not yet published are history too.
    for (const event of (ticketItem.outbox ?? []) as OutgoingEvent[]) {
      const entry = historyEntry(event);
      if (!recorded.has(historyKey(ticketId, entry).sk)) history.push(entry);
    }
    history.sort((a, b) => a.at.localeCompare(b.at) || a.version - b.version);
    const replies = items.filter((item) => String(item.sk).startsWith('REPLY#')).map((item) => stripKeys(item) as unknown as ReplyRecord);
    const known = new Set(replies.map((reply) => reply.replyId));
    for (const event of (ticketItem.outbox ?? []) as OutgoingEvent[]) {
      if (event.detailType === DetailType.ticketResponded && !known.has(String(event.detail.replyId))) replies.push(pendingReplyRecord(event));
    }
    replies.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return {
      ticket: Ticket.parse(ticketItem),
      posts: items
        .filter((item) => String(item.sk).startsWith('POST#'))
        .map((item) => stripKeys(item) as unknown as StoredPost)
        .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)),
      replies,
      history,
    };
  }

  async saveChange(before: Ticket, change: TicketChange, { now, followUp }: { now: Date; followUp?: StoredPost }): Promise<SavedChange | null> {
    const { ticket } = change;
    const fields: Record<string, unknown> = {
      status: ticket.status,
      priority: ticket.priority,
      assignee: ticket.assignee,
      firstResponseAt: ticket.firstResponseAt,
      solvedAt: ticket.solvedAt,
      sla: ticket.sla,
      updatedAt: ticket.updatedAt,
      version: ticket.version,
      postCount: ticket.postCount,
      lastCustomerPostAt: ticket.lastCustomerPostAt,
      replyTo: ticket.replyTo,
      gsi1pk: queueKey(ticket.queue, ticket.status),
      gsi1sk: queueSortKey(ticket),
      // Unpublished events make the ticket due at once (see createTicket).
      gsi2pk: deadlineShard(ticket.id),
      gsi2sk: `${ticket.updatedAt}#${ticket.id}`,
    };
    // The lease is taken only where nobody holds one: a runner still publishing keeps its own, and
    // one that died leaves an expired lease here, which claimOutbox takes over as before.
    const token = randomUUID();
    const names: Record<string, string> = { '#outbox': 'outbox', '#read': 'version', '#leaseUntil': 'outboxLeaseUntil', '#leaseToken': 'outboxLeaseToken' };
    const values: Record<string, unknown> = { ':events': change.events, ':empty': [], ':read': before.version, ':until': now.getTime() + OUTBOX_LEASE_MS, ':token': token };
    const sets = [
      '#outbox = list_append(if_not_exists(#outbox, :empty), :events)',
      '#leaseUntil = if_not_exists(#leaseUntil, :until)',
      '#leaseToken = if_not_exists(#leaseToken, :token)',
    ];
    Object.entries(fields).forEach(([field, value], index) => {
      if (value === undefined) return;
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      sets.push(`#f${index} = :f${index}`);
    });
    let update = `SET ${sets.join(', ')}`;
    let condition = '#read = :read';
    if (followUp) {
      // The post's own item first, as for a new ticket; the set makes counting it happen once.
      await this.putIfAbsent({ ...postKey(ticket.id, followUp), type: 'post', ...followUp, expiresAt: this.expiry(new Date(followUp.receivedAt)) });
      update += ' ADD postIds :post';
      condition += ' AND NOT contains(postIds, :postId)';
      values[':post'] = new Set([followUp.post.id]);
      values[':postId'] = followUp.post.id;
    }
    let stored: Record<string, unknown> | undefined;
    try {
      ({ Attributes: stored } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ticketKey(ticket.id),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      ));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
    // The outbox may hold events an earlier change left unpublished: the claim covers them all.
    const claim = stored?.outboxLeaseToken === token ? { ticketId: ticket.id, token, events: (stored.outbox ?? []) as OutgoingEvent[], ticket: Ticket.parse(stored) } : null;
    return { claim };
  }

  async ticketOfPost(platform: string, postId: string): Promise<string | null> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: postRefKey(platform, postId), ConsistentRead: true }));
    return typeof Item?.ticketId === 'string' ? Item.ticketId : null;
  }

  async assignPostToTicket(platform: string, postId: string, ticketId: string, receivedAt: string, replacing?: string): Promise<string> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...postRefKey(platform, postId), type: 'post-ref', ticketId, expiresAt: this.expiry(new Date(receivedAt)) },
          ConditionExpression: replacing === undefined ? 'attribute_not_exists(pk)' : 'attribute_not_exists(pk) OR ticketId = :replacing',
          ExpressionAttributeValues: replacing === undefined ? undefined : { ':replacing': replacing },
        }),
      );
      return ticketId;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.ticketOfPost(platform, postId)) ?? ticketId;
    }
  }

  async claimAuthorTicket(author: AuthorKey, candidate: string, receivedAt: string, windowSeconds: number): Promise<string> {
    const windowStart = new Date(Date.parse(receivedAt) - windowSeconds * 1000).toISOString();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...authorKey(author), type: 'author', ticketId: candidate, lastPostAt: receivedAt, expiresAt: this.expiry(new Date(receivedAt)) },
          // Free, ours already, or the author's last post there is older than the window.
          ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :candidate OR lastPostAt < :windowStart',
          ExpressionAttributeValues: { ':candidate': candidate, ':windowStart': windowStart },
        }),
      );
      return candidate;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: authorKey(author), ConsistentRead: true }));
    return typeof Item?.ticketId === 'string' ? Item.ticketId : candidate;
  }

  async readAuthorTicket(author: AuthorKey): Promise<{ ticketId: string; lastPostAt: string } | null> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: authorKey(author), ConsistentRead: true }));
    return typeof Item?.ticketId === 'string' && typeof Item.lastPostAt === 'string' ? { ticketId: Item.ticketId, lastPostAt: Item.lastPostAt } : null;
  }

  async releaseAuthorTicket(author: AuthorKey, ticketId: string): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: authorKey(author),
          UpdateExpression: 'SET lastPostAt = :never',
          ConditionExpression: 'ticketId = :ticketId',
          ExpressionAttributeValues: { ':never': '0000-01-01T00:00:00.000Z', ':ticketId': ticketId },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async touchAuthorTicket(author: AuthorKey, ticketId: string, receivedAt: string): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: authorKey(author),
          UpdateExpression: 'SET lastPostAt = :at, expiresAt = :expiresAt',
          // Only forward, and only while the pointer is still this ticket's.
          ConditionExpression: 'ticketId = :ticketId AND lastPostAt < :at',
          ExpressionAttributeValues: { ':at': receivedAt, ':ticketId': ticketId, ':expiresAt': this.expiry(new Date(receivedAt)) },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async recordEvents(ticketId: string, events: readonly OutgoingEvent[], now: Date): Promise<void> {
    const expiresAt = this.expiry(now);
    for (const event of events) {
      const entry = historyEntry(event);
      await this.putIfAbsent({ ...historyKey(ticketId, entry), type: 'history', entry, expiresAt });
      if (event.detailType === DetailType.ticketResponded) {
        await this.putIfAbsent({ ...replyKey(ticketId, String(event.detail.replyId)), type: 'reply', ...pendingReplyRecord(event), expiresAt });
      }
    }
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
          ConditionExpression: 'size(outbox) > :none AND (attribute_not_exists(outboxLeaseUntil) OR outboxLeaseUntil < :now)',
          ExpressionAttributeValues: { ':until': now.getTime() + OUTBOX_LEASE_MS, ':token': token, ':now': now.getTime(), ':none': 0 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { ticketId, token, events: (Attributes?.outbox ?? []) as OutgoingEvent[], ticket: Ticket.parse(Attributes) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

  async completeOutbox(claim: OutboxClaim): Promise<boolean> {
    const deadline = nextDeadline(claim.ticket);
    // The events are out: losing this write to throttling would have them published again once
    // the lease runs out, so it is retried (a condition failure is not: the branch below handles it).
    try {
      await retryTransient(() => this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ticketKey(claim.ticketId),
          UpdateExpression: deadline
            ? 'REMOVE outbox, outboxLeaseUntil, outboxLeaseToken SET gsi2pk = :shard, gsi2sk = :due'
            : 'REMOVE outbox, outboxLeaseUntil, outboxLeaseToken, gsi2pk, gsi2sk',
          // Unchanged since the claim: the outbox holds exactly the claimed events.
          ConditionExpression: 'outboxLeaseToken = :token AND #version = :claimed',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: {
            ':token': claim.token,
            ':claimed': claim.ticket.version,
            ...(deadline ? { ':shard': deadlineShard(claim.ticketId), ':due': `${deadline}#${claim.ticketId}` } : {}),
          },
        }),
      ));
      return false;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // A change landed after the claim and appended its events: take off only the ones published,
    // and leave the ticket due now, for that change's own runner (or the monitor) to publish the rest.
    return this.giveUpLease(claim, claim.events.map((_, index) => index));
  }

  async releaseOutbox(claim: OutboxClaim, published: readonly number[] = []): Promise<void> {
    await this.giveUpLease(claim, published);
  }

  /**
   * Takes the claimed events at positions `published` off the outbox and gives the lease up,
   * while the lease is still the claim's; false when it ran out and another runner took the
   * events over (that runner finishes the job). Changes append to the outbox and only the lease
   * holder takes events off it, so the claim's events are still its first entries. Retried
   * through throttling: published events left behind would go out again, and a lease not given
   * up keeps the next runner waiting for it to run out.
   */
  private async giveUpLease(claim: OutboxClaim, published: readonly number[]): Promise<boolean> {
    // Highest index first: DynamoDB reads every index against the list as it was, but dynalite
    // removes them one by one, and only this order means the same to both.
    const removed = [...new Set(published)].sort((a, b) => b - a).map((index) => `outbox[${index}]`);
    try {
      await retryTransient(() => this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ticketKey(claim.ticketId),
          UpdateExpression: `REMOVE ${[...removed, 'outboxLeaseUntil', 'outboxLeaseToken'].join(', ')}`,
          ConditionExpression: 'outboxLeaseToken = :token',
          ExpressionAttributeValues: { ':token': claim.token },
        }),
      ));
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return false;
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
    const keys = perShard
      .flat()
      .sort((a, b) => String(a.gsi2sk).localeCompare(String(b.gsi2sk)))
      .slice(0, limit);
    // The index holds keys only (shared/adapters/ticket-table.ts): the tickets themselves are read
    // from the table, as they are now. One that left the index in between is left out.
    const items = await Promise.all(
      keys.map(async (key) => (await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }))).Item),
    );
    return items
      .filter((item): item is Record<string, unknown> => item !== undefined && item.gsi2pk !== undefined)
      .map((item) => ({ ticket: Ticket.parse(item), outboxPending: Array.isArray(item.outbox) && item.outbox.length > 0 }));
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

  async countQueue(query: { queue: string; statuses: readonly TicketStatus[]; dueBy?: Date }): Promise<number> {
    const counts = await Promise.all(query.statuses.map((status) => this.countStatus(query.queue, status, query.dueBy)));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /**
   * Counts one index partition with `Select: 'COUNT'`, page by page: DynamoDB stops each page
   * at 1 MB of items read (before the filter), so one call can stop short on a busy queue.
   */
  private async countStatus(queue: string, status: TicketStatus, dueBy: Date | undefined): Promise<number> {
    const byDue = dueBy !== undefined;
    let count = 0;
    const pages = queryPages(this.client, {
      TableName: this.tableName,
      IndexName: ticketTable.indexes.queueDue.name,
      Select: 'COUNT',
      // The index sorts by the earliest due time of a running clock (tickets with none sort
      // after every time), so "due by then" is a key range, not a filter.
      KeyConditionExpression: byDue ? 'gsi1pk = :queue AND gsi1sk <= :dueBy' : 'gsi1pk = :queue',
      ExpressionAttributeValues: {
        ':queue': queueKey(queue, status),
        ...(byDue ? { ':dueBy': `${dueBy.toISOString()}#\uffff` } : {}),
      },
    });
    for await (const page of pages) count += page.Count ?? 0;
    return count;
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

  /** True when this call stored the item, false when it was there already. */
  private async putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return false;
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

/** An item without its table keys and bookkeeping, as the API shows it. */
function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, ...rest } = item;
  return rest;
}

function historyEntry(event: OutgoingEvent): HistoryEntry {
  const detail = event.detail as { version?: number; at?: string; createdAt?: string; breachedAt?: string };
  // Ticket.Created is version 1; an SLA event names no version (0) and takes its place by time.
  return {
    version: detail.version ?? (event.detailType === DetailType.ticketCreated ? 1 : 0),
    at: detail.at ?? detail.createdAt ?? detail.breachedAt ?? '',
    detailType: event.detailType,
    detail: event.detail,
  };
}

