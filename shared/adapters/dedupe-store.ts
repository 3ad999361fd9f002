import { randomUUID } from 'node:crypto';
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { mapWithLimit, type RetryPolicy } from '#domain/concurrency';
import type { DedupeClaim, DedupeStore } from '#domain/ports';
import { retryTransient, UnprocessedItemsError } from './transient-errors.ts';

/**
 * How long a handed-on delivery is remembered: longer than any platform retries (Meta: 36 h,
 * Standard Webhooks senders: about 3 days, ../shared/specs/webhooks.md §2.4, §3).
 */
export const DEDUPE_RETENTION_SECONDS = 7 * 86_400;
/** How long a claim stays exclusive: well past the webhook function's own timeout. */
const LEASE_MS = 30_000;
/** A concurrent duplicate waits this long for the first request to finish before giving up. */
const WAIT_FOR_OTHER_MS = 1_000;
const POLL_MS = 50;

const key = (dedupeKey: string) => ({ pk: { S: `DEDUPE#${dedupeKey}` }, sk: { S: 'DEDUPE' } });
const string = (value: string): AttributeValue => ({ S: value });
const number = (value: number): AttributeValue => ({ N: String(value) });
/** DynamoDB's BatchWriteItem limit. */
const BATCH_WRITE_LIMIT = 25;
const CONCURRENT_BATCHES = 8;
/**
 * Retries of the writes that end a claim: short, as the platform is waiting for the answer (X
 * wants it within 3 s, ../shared/specs/webhooks.md §1.4): waits from 50 ms doubling to 800 ms, none
 * ending more than 2 s after the first attempt.
 */
const WITHIN_WEBHOOK_ANSWER: RetryPolicy = { attempts: 6, firstDelayMs: 50, maxDelayMs: 800, budgetMs: 2_000 };

/**
 * Dedupe records in the ticket table, one item per key (so no single partition gets hot),
 * claimed with a conditional put. Records expire by TTL; until DynamoDB removes one, its
 * `expiresAt` makes it claimable again. Written with the plain DynamoDB client rather than the
 * document client: four item shapes do not need a marshaller, and the webhook bundle, which has
 * nothing else that needs lib-dynamodb, is 13 KB smaller without it.
 */
export class DynamoDedupeStore implements DedupeStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async claim(dedupeKey: string, now: Date): Promise<DedupeClaim> {
    const started = Date.now();
    for (;;) {
      const token = randomUUID();
      // `now` as given, moved on by however long this call has waited for another request.
      const at = now.getTime() + (Date.now() - started);
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              ...key(dedupeKey),
              status: string('pending'),
              token: string(token),
              leaseUntil: number(at + LEASE_MS),
              expiresAt: number(Math.floor(at / 1000) + DEDUPE_RETENTION_SECONDS),
            },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSeconds OR (#status = :pending AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':nowSeconds': number(Math.floor(at / 1000)), ':pending': string('pending'), ':now': number(at) },
          }),
        );
        return { outcome: 'claimed', token };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      // dynalite returns no item with a failed condition, so read it (consistently) to see why.
      const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(dedupeKey), ConsistentRead: true }));
      if (Item?.status?.S === 'done') return { outcome: 'duplicate' };
      if (Item && Date.now() - started >= WAIT_FOR_OTHER_MS) return { outcome: 'in_progress' };
      if (Item) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /**
   * Writes the records as done, 25 to a BatchWriteItem call: a Meta delivery hands on up to
   * 1,000 posts, and one conditional update each would dominate its answer time. No condition is
   * needed: the posts were handed on, whoever holds a claim by now.
   */
  async complete(claims: ReadonlyArray<{ key: string; token: string }>, now = new Date()): Promise<void> {
    const expiresAt = Math.floor(now.getTime() / 1000) + DEDUPE_RETENTION_SECONDS;
    const requests: WriteRequest[] = claims.map(({ key: dedupeKey, token }) => ({
      PutRequest: { Item: { ...key(dedupeKey), status: string('done'), token: string(token), expiresAt: number(expiresAt) } },
    }));
    const chunks = Array.from({ length: Math.ceil(requests.length / BATCH_WRITE_LIMIT) }, (_, index) =>
      requests.slice(index * BATCH_WRITE_LIMIT, (index + 1) * BATCH_WRITE_LIMIT),
    );
    await mapWithLimit(chunks, CONCURRENT_BATCHES, (chunk) => this.writeAll(chunk));
  }

  /**
   * One BatchWriteItem, sent again with backoff while DynamoDB throttles it, whole or in part (it
   * leaves throttled items unprocessed). The posts are handed on by now: a record left pending
   * would make the platform's retry wait out the 30 s lease, then hand them on a second time.
   */
  private async writeAll(requests: WriteRequest[]): Promise<void> {
    let pending = requests;
    await retryTransient(async () => {
      const { UnprocessedItems } = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } }));
      pending = UnprocessedItems?.[this.tableName] ?? [];
      if (pending.length > 0) throw new UnprocessedItemsError(`DynamoDB left ${pending.length} dedupe record(s) unwritten`);
    }, WITHIN_WEBHOOK_ANSWER);
  }

  /** Retried like `complete`: a claim not given up keeps the platform's retry waiting out its lease. */
  async release(dedupeKey: string, token: string): Promise<void> {
    await retryTransient(
      () =>
        this.client.send(
          new DeleteItemCommand({
            TableName: this.tableName,
            Key: key(dedupeKey),
            ConditionExpression: '#token = :token',
            ExpressionAttributeNames: { '#token': 'token' },
            ExpressionAttributeValues: { ':token': string(token) },
          }),
        ),
      WITHIN_WEBHOOK_ANSWER,
    ).catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  }
}
