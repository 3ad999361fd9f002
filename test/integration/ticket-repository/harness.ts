import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, ScanCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach } from 'vitest';
import { DynamoTicketRepository } from '#adapters/ticket-repository';
import { ticketTableCreateInput } from '#adapters/ticket-table';
import type { OutgoingEvent, PostClassifiedDetail } from '#contracts/events';
import type { Clock, EventPublisher } from '#domain/ports';
import { openTicket, type OpenedTicket } from '#domain/tickets/open-ticket';
import { ensureTables, localDynamoDbClient } from '#infra/local/dynamodb';
import { aClassifiedPost } from '#test/support/builders';
import type { DynamoDbTarget } from '#test/support/dynamodb-global-setup';
import { DEFAULT_SLA } from '#test/support/sla';
import { loadConfig } from '#config/load-config';

export const RETENTION_DAYS = 90;
/** The default follow-up window (72 h), in seconds. */
export const FOLLOW_UP_WINDOW = 72 * 3600;
/** The default config's queues: where a post routed to no queue looks for its author's open ticket. */
export const QUEUES = loadConfig({}).config.queues.map((queue) => queue.name);
/** The outbox lease the repository grants (30 s), plus a second. */
export const PAST_THE_LEASE_MS = 31_000;

export type Item = Record<string, unknown>;

export function documentClient(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(localDynamoDbClient(endpoint), { marshallOptions: { removeUndefinedValues: true } });
}

export interface TicketTable {
  readonly name: string;
  readonly client: DynamoDBDocumentClient;
  /** The repository most tests use. */
  readonly tickets: DynamoTicketRepository;
  /** Another repository on its own client, as a second Lambda would hold it. */
  anotherRunner(): DynamoTicketRepository;
  /** A client of its own, for another adapter on the same table, as a second Lambda would hold it. */
  anotherRunnerClient(): DynamoDBDocumentClient;
  /** A repository whose client goes through `client` (to fail or observe writes). */
  repositoryOn(client: DynamoDBDocumentClient): DynamoTicketRepository;
  /** Every item in the table, as stored. */
  allItems(): Promise<Item[]>;
  /** The items stored under a ticket (the ticket itself, its posts). */
  itemsOf(ticketId: string): Promise<Item[]>;
  /** The ticket item as stored, index keys and outbox included. */
  ticketItem(ticketId: string): Promise<Item | undefined>;
  /** Writes a raw item, for states no repository method produces yet. */
  put(item: Item): Promise<void>;
}

/**
 * A fresh, empty ticket table for every test on `target`, so tests never see each other's
 * tickets. Call inside the target's describe block.
 */
export function freshTicketTablePerTest(target: DynamoDbTarget): TicketTable {
  const base = localDynamoDbClient(target.endpoint);
  const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  const runners: DynamoDBDocumentClient[] = [];
  let name: string | undefined;
  afterAll(() => {
    for (const runner of runners) runner.destroy();
    base.destroy();
  });
  beforeEach(async () => {
    name = `tickets-${randomUUID()}`;
    await ensureTables(base, [ticketTableCreateInput(name)]);
  });
  const tableName = () => {
    if (name === undefined) throw new Error('the ticket table exists only inside a test');
    return name;
  };
  return {
    get name() {
      return tableName();
    },
    client,
    get tickets() {
      return new DynamoTicketRepository(client, tableName(), RETENTION_DAYS);
    },
    anotherRunner() {
      return new DynamoTicketRepository(this.anotherRunnerClient(), tableName(), RETENTION_DAYS);
    },
    anotherRunnerClient() {
      const runner = documentClient(target.endpoint);
      runners.push(runner);
      return runner;
    },
    repositoryOn(other) {
      return new DynamoTicketRepository(other, tableName(), RETENTION_DAYS);
    },
    async allItems() {
      const items: Item[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: tableName(), ExclusiveStartKey }));
        items.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items;
    },
    async itemsOf(ticketId) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `TICKET#${ticketId}` },
        }),
      );
      return Items;
    },
    async ticketItem(ticketId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName(), Key: { pk: `TICKET#${ticketId}`, sk: 'TICKET' }, ConsistentRead: true }),
      );
      return Item;
    },
    async put(item) {
      await client.send(new PutCommand({ TableName: tableName(), Item: item }));
    },
  };
}

/** The ticket, post and events the enqueue step builds from a routed post. */
export function opened(overrides: Partial<PostClassifiedDetail> = {}): OpenedTicket {
  const detail = aClassifiedPost(overrides);
  if (detail.queue === null) throw new Error('a ticket needs a routed post (queue is null)');
  return openTicket({ ...detail, queue: detail.queue }, DEFAULT_SLA);
}

export const at =
  (iso: string): Clock =>
  () =>
    new Date(iso);

export function later(iso: string, ms: number): Date {
  return new Date(Date.parse(iso) + ms);
}

export interface RecordingPublisher extends EventPublisher {
  readonly published: OutgoingEvent[];
  /** Published events of one detail-type. */
  ofType(detailType: OutgoingEvent['detailType']): OutgoingEvent[];
}

/**
 * An EventPublisher that keeps what it publishes. `failures` publish calls throw first, as
 * PutEvents does when EventBridge is throttling or unreachable.
 */
export function recordingPublisher(options: { failures?: number } = {}): RecordingPublisher {
  const published: OutgoingEvent[] = [];
  let failuresLeft = options.failures ?? 0;
  return {
    published,
    ofType: (detailType) => published.filter((event) => event.detailType === detailType),
    async publish(events) {
      // Yield first, so concurrent runners interleave as they would over the network.
      await new Promise((resolve) => setImmediate(resolve));
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('PutEvents failed: ThrottlingException');
      }
      published.push(...structuredClone(events));
    },
  };
}

type SentCommand = Parameters<DynamoDBDocumentClient['send']>[0];

/** The client with `before` seeing every command ahead of `send`; what it throws, `send` rejects with. */
function beforeSend(client: DynamoDBDocumentClient, before: (command: SentCommand) => void): DynamoDBDocumentClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: SentCommand) => {
        before(command);
        return target.send(command);
      };
    },
  });
}

/**
 * The client with `send` failing for the commands `fails` picks, as a network error would,
 * before anything reaches the table.
 */
export function failingFor(client: DynamoDBDocumentClient, fails: (command: unknown) => boolean): DynamoDBDocumentClient {
  return beforeSend(client, (command) => {
    if (fails(command)) throw new Error('socket hang up');
  });
}

/** The client, recording every command sent through it in `sent`. */
export function recordingClient(client: DynamoDBDocumentClient): { client: DynamoDBDocumentClient; sent: unknown[] } {
  const sent: unknown[] = [];
  return { client: beforeSend(client, (command) => sent.push(command)), sent };
}
