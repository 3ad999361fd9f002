import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SocialPost } from '#contracts/social-post';
import type { ReplyRecord } from '#domain/ports';
import type { ReplyClaim, ReplyStore } from '#domain/replies/deliver-reply';
import { retryTransient } from './transient-errors.ts';

/** Longer than the reply function's timeout: a lease still running means a runner is still at it. */
const LEASE_MS = 60_000;

const ticketPk = (ticketId: string) => `TICKET#${ticketId}`;
const replyKey = (ticketId: string, replyId: string) => ({ pk: ticketPk(ticketId), sk: `REPLY#${replyId}` });
const postKey = (ticketId: string, platform: string, postId: string) => ({ pk: ticketPk(ticketId), sk: `POST#${platform}#${postId}` });

/**
 * Reply records in the ticket table (written by the ticket repository when a Ticket.Responded
 * is recorded), and their delivery: `pending` → `sending` under a lease → `sent` or `failed`,
 * or back to `pending` for a later attempt. Every step is a conditional write on the lease token.
 */
export class DynamoReplyStore implements ReplyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async find(ticketId: string, replyId: string): Promise<{ reply: ReplyRecord; post: SocialPost } | null> {
    const reply = await this.reply(ticketId, replyId);
    if (!reply) return null;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: postKey(ticketId, reply.replyTo.platform, reply.replyTo.postId), ConsistentRead: true }),
    );
    const post = SocialPost.safeParse(Item?.post);
    return post.success ? { reply, post: post.data } : null;
  }

  async claim(ticketId: string, replyId: string, now: Date): Promise<ReplyClaim> {
    const token = randomUUID();
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: replyKey(ticketId, replyId),
          UpdateExpression: 'SET delivery.#status = :sending, delivery.#token = :token, delivery.leaseUntil = :until, delivery.attempts = delivery.attempts + :one',
          ConditionExpression: 'delivery.#status = :pending',
          ExpressionAttributeNames: { '#status': 'status', '#token': 'token' },
          ExpressionAttributeValues: { ':sending': 'sending', ':pending': 'pending', ':token': token, ':until': now.getTime() + LEASE_MS, ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'claimed', token, attempt: Number((Attributes?.delivery as { attempts?: number } | undefined)?.attempts ?? 1) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const reply = await this.reply(ticketId, replyId, true);
    if (!reply) return { outcome: 'busy' };
    const delivery = reply.delivery as ReplyRecord['delivery'] & { token?: string; leaseUntil?: number };
    if (delivery.status === 'sent' || delivery.status === 'failed') return { outcome: 'done', reply };
    if (delivery.status === 'sending' && delivery.token && (delivery.leaseUntil ?? 0) < now.getTime()) return { outcome: 'abandoned', token: delivery.token };
    return { outcome: 'busy' };
  }

  async recordSent(ticketId: string, replyId: string, token: string, platformId: string, now: Date): Promise<void> {
    await this.finish(ticketId, replyId, token, { status: 'sent', platformId, at: now.toISOString() });
  }

  async recordFailed(ticketId: string, replyId: string, token: string, reason: string, now: Date): Promise<void> {
    await this.finish(ticketId, replyId, token, { status: 'failed', reason, at: now.toISOString() });
  }

  async release(ticketId: string, replyId: string, token: string, reason: string, now: Date): Promise<void> {
    await this.finish(ticketId, replyId, token, { status: 'pending', reason, at: now.toISOString() });
  }

  /**
   * Ends a lease: the outcome is written only by the runner that holds it. Retried while DynamoDB
   * throttles: an outcome lost after the platform answered leaves the reply `sending` until the
   * lease runs out, and the next run must then record it as failed-maybe-posted.
   */
  private async finish(ticketId: string, replyId: string, token: string, outcome: Record<string, string>): Promise<void> {
    const names: Record<string, string> = { '#token': 'token' };
    const values: Record<string, unknown> = { ':token': token };
    const sets = Object.entries(outcome).map(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      return `delivery.#f${index} = :f${index}`;
    });
    try {
      await retryTransient(() => this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: replyKey(ticketId, replyId),
          UpdateExpression: `SET ${sets.join(', ')} REMOVE delivery.#token, delivery.leaseUntil`,
          ConditionExpression: 'delivery.#token = :token',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new Error(`reply ${replyId}: the lease was lost before its outcome (${outcome.status}) could be recorded`);
      }
      throw error;
    }
  }

  private async reply(ticketId: string, replyId: string, withLease = false): Promise<ReplyRecord | null> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: replyKey(ticketId, replyId), ConsistentRead: true }));
    if (!Item) return null;
    const { pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, ...reply } = Item;
    if (!withLease) {
      const { token: _token, leaseUntil: _leaseUntil, ...delivery } = reply.delivery as Record<string, unknown>;
      reply.delivery = delivery;
    }
    return reply as ReplyRecord;
  }
}
