import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PostClassifiedDetail } from '#contracts/events';
import { openTicket } from '#domain/tickets/open-ticket';
import { importHandler, lambdaContext } from '#test/support/lambda';
import { DEFAULT_SLA } from '#test/support/sla';

const dynamo = mockClient(DynamoDBDocumentClient);
const eventBridge = mockClient(EventBridgeClient);
let handler: (event: unknown, context: unknown) => Promise<unknown>;
beforeAll(async () => {
  handler = await importHandler(() => import('../../../functions/enqueue/handler.ts'));
});
afterAll(() => vi.unstubAllEnvs());

const detail: PostClassifiedDetail = {
  post: {
    platform: 'generic',
    kind: 'post',
    id: 'post-1',
    author: { id: 'user-1' },
    text: 'My bag never arrived in Lisbon',
    createdAt: '2026-11-22T09:59:00Z',
  },
  classification: {
    isIssue: true,
    category: 'baggage',
    priority: 'P3',
    confidence: 0.75,
    entities: { flightNumbers: [], airports: [], bookingRefs: [], delayMinutes: null },
    language: 'en',
    reasons: [{ decision: 'category', rule: 'keyword: baggage', evidence: ['bag', 'never'] }],
  },
  queue: 'baggage',
  receivedAt: '2026-11-22T10:00:00.000Z',
};

/** The envelope EventBridge delivers to a rule target (../shared/specs/eventbridge.md §5). */
const envelope = (eventDetail: unknown) => ({
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'Post.Classified',
  source: 'redress.ingest',
  account: '000000000000',
  time: '2026-11-22T10:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: eventDetail,
});

beforeEach(() => {
  dynamo.reset();
  eventBridge.reset();
  dynamo.on(GetCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
});

const invoke = (event: unknown) => handler(event, lambdaContext('enqueue'));

describe('enqueue', () => {
  it('stores the post, then the ticket with Ticket.Created in its outbox, then publishes it', async () => {
    const opened = openTicket({ ...detail, queue: 'baggage' }, DEFAULT_SLA);
    dynamo.on(UpdateCommand).resolvesOnce({ Attributes: { ...opened.ticket, outbox: opened.events } }).resolves({});

    await expect(invoke(envelope(detail))).resolves.toEqual({ outcome: 'ticket', ticketId: opened.ticket.id, eventsPublished: 1 });

    const puts = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item!);
    // The author's current ticket and the post's ticket are settled first; the history entry is
    // written before the event goes out.
    expect(puts.map((item) => item.type)).toEqual(['author', 'post-ref', 'post', 'ticket', 'history']);
    expect(puts[3]).toMatchObject({ id: opened.ticket.id, queue: 'baggage', status: 'new', outbox: opened.events });
    const [entry] = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
    expect(entry).toMatchObject({ Source: 'redress.tickets', DetailType: 'Ticket.Created' });
    expect(JSON.parse(entry!.Detail!)).toMatchObject({ ticketId: opened.ticket.id, queue: 'baggage', postId: 'post-1' });
  });

  it('publishes nothing twice when the same event arrives again after the first run finished', async () => {
    const opened = openTicket({ ...detail, queue: 'baggage' }, DEFAULT_SLA);
    dynamo.on(GetCommand).resolves({ Item: { ticketId: opened.ticket.id } });
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no outbox', $metadata: {} }));
    await expect(invoke(envelope(detail))).resolves.toMatchObject({ outcome: 'ticket', eventsPublished: 0 });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it("writes nothing for a post the webhook routed to no queue whose author has no open ticket: it only looks for one in each queue", async () => {
    await expect(invoke(envelope({ ...detail, queue: null }))).resolves.toEqual({ outcome: 'not_routed' });
    const reads = dynamo.commandCalls(GetCommand).map((call) => call.args[0].input.Key);
    // The post's ticket (none yet), then the author's pointer in each configured queue.
    expect(reads).toEqual([
      { pk: 'POSTREF#generic#post-1', sk: 'POSTREF' },
      ...['safety', 'delays', 'catering', 'baggage', 'triage', 'general'].map((queue) => ({ pk: `AUTHOR#generic#user-1#QUEUE#${queue}`, sk: 'AUTHOR' })),
    ]);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('fails the invocation for an event that does not match the contract, so it is retried and dead-lettered', async () => {
    await expect(invoke(envelope({ ...detail, post: { id: 'x' } }))).rejects.toThrow('the Post.Classified event does not match the expected shape');
    await expect(invoke({ ...envelope(detail), 'detail-type': 'Ticket.Created' })).rejects.toThrow();
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('fails the invocation when DynamoDB throttles, so the delivery is retried', async () => {
    dynamo.on(GetCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(invoke(envelope(detail))).rejects.toThrow('Rate exceeded');
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(invoke(envelope(detail))).rejects.toThrow('Rate exceeded');
  });
});
