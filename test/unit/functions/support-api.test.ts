import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { fromJSONSchema } from 'zod';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutgoingEvent } from '#contracts/events';
import type { Ticket } from '#contracts/ticket';
import { openApiDocument } from '../../../functions/support-api/openapi.ts';
import { httpEvent, importHandler, lambdaContext } from '#test/support/lambda';
import { aTicket } from '#test/support/builders';

const dynamo = mockClient(DynamoDBDocumentClient);
const eventBridge = mockClient(EventBridgeClient);
let handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
beforeAll(async () => {
  handler = await importHandler(() => import('../../../functions/support-api/handler.ts'));
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  // Half an hour after the ticket below came in: inside its one-hour first-response target.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-22T10:30:00.000Z'));
  dynamo.reset();
  eventBridge.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(GetCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
});
afterEach(() => {
  vi.useRealTimers();
});

const ticket = aTicket();

const DEFAULT_CLAIMS = { sub: 'agent-1', name: 'Ana', 'cognito:groups': '[delays safety]' };

interface RequestOptions {
  groups?: string;
  claims?: Record<string, string> | null;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

/** A request as API Gateway passes it after the JWT authorizer checked the token. */
function request(method: 'GET' | 'POST', route: string, path: string, pathParameters: Record<string, string> | undefined, options: RequestOptions = {}) {
  const event = httpEvent({
    method,
    path,
    route,
    pathParameters,
    queryStringParameters: options.query,
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: options.isBase64Encoded ?? false,
  });
  const claims = options.claims === undefined ? { ...DEFAULT_CLAIMS, ...(options.groups ? { 'cognito:groups': options.groups } : {}) } : options.claims;
  if (claims) Object.assign(event.requestContext, { authorizer: { jwt: { claims, scopes: [] } } });
  return event;
}

const listRequest = (queue: string, options: RequestOptions = {}) =>
  request('GET', 'GET /api/queues/{queue}/tickets', `/api/queues/${queue}/tickets`, { queue }, options);
const queuesRequest = (options: RequestOptions = {}) => request('GET', 'GET /api/queues', '/api/queues', undefined, options);
const ticketRequest = (id: string, options: RequestOptions = {}) => request('GET', 'GET /api/tickets/{id}', `/api/tickets/${id}`, { id }, options);
type Action = 'claim' | 'replies' | 'pending' | 'resolve' | 'reopen';
const changeRequest = (action: Action, id: string, options: RequestOptions = {}) =>
  request('POST', `POST /api/tickets/{id}/${action}`, `/api/tickets/${id}/${action}`, { id }, options);
const replyRequest = (id: string, body: unknown, options: RequestOptions = {}) =>
  changeRequest('replies', id, { headers: { 'if-match': '"1"', 'content-type': 'application/json' }, body: JSON.stringify(body), ...options });

// ---- every answer must be what the OpenAPI document says it is ------------------------------

const document = openApiDocument() as Record<string, any>;
const asDefs = (schema: unknown) => JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', '#/$defs/'));
const defs = asDefs(document.components.schemas);

/** The response the document promises for a route and status, with its body schema as zod. */
function documented(routeKey: string, status: number) {
  const [method, path] = routeKey.split(' ') as [string, string];
  let response = document.paths[path]?.[method.toLowerCase()]?.responses?.[status];
  if (!response) throw new Error(`the OpenAPI document gives ${routeKey} no ${status} response`);
  if (response.$ref) response = document.components.responses[String(response.$ref).split('/').at(-1)!];
  return { headers: Object.keys(response.headers ?? {}), body: fromJSONSchema({ ...asDefs(response.content['application/json'].schema), $defs: defs }) };
}

/** Calls the handler, and holds every 2xx-4xx answer to the OpenAPI document. */
async function invoke(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2 & { json: any }> {
  const response = await handler(event, lambdaContext('support-api'));
  const json = JSON.parse(response.body ?? 'null');
  if (response.statusCode! < 500) {
    const promise = documented(event.routeKey, response.statusCode!);
    const parsed = promise.body.safeParse(json);
    expect(parsed.error?.issues ?? [], `${event.routeKey} ${response.statusCode} as documented`).toEqual([]);
    if (response.headers?.etag !== undefined) expect(promise.headers, `${event.routeKey} documents its ETag`).toContain('ETag');
  }
  return { ...response, json };
}

// ---- a ticket table behind the mocked client ---------------------------------------------

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

/**
 * The ticket item as DynamoDB holds it, changed by the repository's writes as DynamoDB would:
 * saveChange (version-checked, appends to the outbox), claimOutbox, completeOutbox, releaseOutbox.
 */
function storedTicket(initial: Ticket) {
  const state = { item: { ...initial, pk: `TICKET#${initial.id}`, sk: 'TICKET', outbox: [] as OutgoingEvent[] } as Record<string, any> };
  dynamo.on(GetCommand).callsFake(() => ({ Item: structuredClone(state.item) }));
  dynamo.on(UpdateCommand).callsFake((input: UpdateCommandInput) => {
    const values = input.ExpressionAttributeValues ?? {};
    const names = input.ExpressionAttributeNames ?? {};
    if (':events' in values) {
      if (values[':read'] !== state.item.version) throw conditionFailed();
      for (const [placeholder, field] of Object.entries(names)) if (/^#f\d+$/.test(placeholder)) state.item[field] = values[`:${placeholder.slice(1)}`];
      state.item.outbox = [...state.item.outbox, ...(values[':events'] as OutgoingEvent[])];
      return {};
    }
    if (input.ReturnValues === 'ALL_NEW') {
      if (state.item.outbox.length === 0) throw conditionFailed();
      state.item.outboxLeaseToken = values[':token'];
      return { Attributes: structuredClone(state.item) };
    }
    if (input.UpdateExpression?.startsWith('REMOVE outbox,')) state.item.outbox = [];
    delete state.item.outboxLeaseToken;
    return {};
  });
  return state;
}

const published = () =>
  eventBridge.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []).map((entry) => ({
    source: entry.Source,
    detailType: entry.DetailType,
    bus: entry.EventBusName,
    detail: JSON.parse(entry.Detail ?? '{}'),
  }));

// ---- the routes --------------------------------------------------------------------------

describe('GET /api/queues/{queue}/tickets', () => {
  it("lists the queue's tickets oldest-due first for an agent in the queue's group", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ ...ticket, pk: 'TICKET#tkt_1', sk: 'TICKET', gsi1sk: `${ticket.sla.firstResponseDueAt}#tkt_1` }] });
    const response = await invoke(listRequest('delays', { query: { status: 'new' } }));
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ tickets: [ticket] });
    const query = dynamo.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(query).toMatchObject({ IndexName: 'queue-due', ExpressionAttributeValues: { ':queue': 'QUEUE#delays#new' }, Limit: 25 });
    expect(query.ScanIndexForward).not.toBe(false);
  });

  it('reads groups as an array claim as well as the flattened "[a b]" form API Gateway passes', async () => {
    const event = listRequest('delays', { claims: null });
    Object.assign(event.requestContext, { authorizer: { jwt: { claims: { sub: 'agent-1', 'cognito:groups': ['delays'] }, scopes: [] } } });
    expect((await invoke(event)).statusCode).toBe(200);
  });

  it('looks in every status an agent works unless asked for some', async () => {
    await invoke(listRequest('delays'));
    const partitions = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input.ExpressionAttributeValues?.[':queue']);
    expect(partitions.sort()).toEqual(['QUEUE#delays#new', 'QUEUE#delays#open', 'QUEUE#delays#pending_customer']);
  });

  it("answers 403 for a queue outside the agent's groups, without reading it", async () => {
    const response = await invoke(listRequest('catering', { groups: '[delays]' }));
    expect(response.statusCode).toBe(403);
    expect(response.json).toEqual({ error: 'forbidden', message: 'agent agent-1 may not see queue "catering"' });
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('answers 404 for a queue that is not configured', async () => {
    const response = await invoke(listRequest('lounges'));
    expect(response.statusCode).toBe(404);
    expect(response.json.message).toBe('queue "lounges" does not exist');
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '500' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ status: 'done' }, 'status'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
  ])('answers 400 naming the field for query %o', async (query, field) => {
    const response = await invoke(listRequest('delays', { query }));
    expect(response.statusCode).toBe(400);
    expect(response.json.error).toBe('invalid_request');
    expect(response.json.fields.map((entry: { path: string }) => entry.path)).toContain(field);
  });

  it('answers 401 when the request carries no agent claims', async () => {
    const response = await invoke(listRequest('delays', { claims: null }));
    expect(response.statusCode).toBe(401);
  });

  it('answers 503 with Retry-After when DynamoDB throttles, so the agent\'s client tries again shortly', async () => {
    dynamo.on(QueryCommand).rejects(new ProvisionedThroughputExceededException({ message: 'throughput exceeded for table tickets-test', $metadata: { httpStatusCode: 400 } }));
    const response = await invoke(listRequest('delays'));
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'retry-after': '2' });
    expect(response.json).toEqual({ error: 'unavailable', message: expect.stringMatching(/retry/) });
    expect(response.body).not.toContain('tickets-test');
  });

  it('answers 500 without details when DynamoDB fails, so nothing internal leaks', async () => {
    dynamo.on(QueryCommand).rejects(new Error('connection reset by peer 10.0.0.12'));
    const response = await invoke(listRequest('delays'));
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('10.0.0.12');
  });
});

describe('GET /api/queues', () => {
  /** Counts by index partition; `atRisk` answers the queries bounded by a due time. */
  function counts(open: Record<string, number>, atRisk: Record<string, number> = {}) {
    dynamo.on(QueryCommand).callsFake((input) => {
      const partition = String(input.ExpressionAttributeValues?.[':queue']);
      return { Count: (':dueBy' in (input.ExpressionAttributeValues ?? {}) ? atRisk : open)[partition] ?? 0 };
    });
  }

  it("gives each of the agent's queues, in config order, with its open and at-risk counts", async () => {
    counts(
      { 'QUEUE#delays#new': 4, 'QUEUE#delays#open': 2, 'QUEUE#delays#pending_customer': 1, 'QUEUE#safety#new': 1, 'QUEUE#catering#new': 9 },
      { 'QUEUE#delays#new': 2, 'QUEUE#delays#open': 1, 'QUEUE#safety#new': 1 },
    );
    const response = await invoke(queuesRequest({ groups: '[delays safety]' }));

    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({
      queues: [
        { name: 'safety', description: expect.any(String), open: 1, atRisk: 1 },
        { name: 'delays', description: expect.any(String), open: 7, atRisk: 3 },
      ],
    });
  });

  it('counts with COUNT queries on the queue index: open in every working status, at risk in new and open when an SLA clock is due up to 15 minutes ahead', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
    counts({});
    await invoke(queuesRequest({ groups: '[delays]' }));

    const queries = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    for (const query of queries) expect(query).toMatchObject({ IndexName: 'queue-due', Select: 'COUNT' });
    const atRisk = queries.filter((query) => query.ExpressionAttributeValues?.[':dueBy'] !== undefined);
    expect(atRisk.map((query) => query.ExpressionAttributeValues?.[':queue']).sort()).toEqual(['QUEUE#delays#new', 'QUEUE#delays#open']);
    for (const query of atRisk) {
      expect(query.ExpressionAttributeValues?.[':dueBy']).toMatch(/^2026-11-22T10:15:00\.000Z#/);
      expect(query.FilterExpression).toBeUndefined();
    }
    const open = queries.filter((query) => query.ExpressionAttributeValues?.[':dueBy'] === undefined);
    expect(open.map((query) => query.ExpressionAttributeValues?.[':queue']).sort()).toEqual([
      'QUEUE#delays#new',
      'QUEUE#delays#open',
      'QUEUE#delays#pending_customer',
    ]);
  });

  it('adds up every page of a count', async () => {
    dynamo
      .on(QueryCommand)
      .resolves({ Count: 0 })
      .on(QueryCommand, { ExpressionAttributeValues: { ':queue': 'QUEUE#delays#new' } })
      .resolvesOnce({ Count: 3, LastEvaluatedKey: { pk: 'TICKET#tkt_3', sk: 'TICKET', gsi1pk: 'QUEUE#delays#new', gsi1sk: 'x' } })
      .resolves({ Count: 2 });
    const response = await invoke(queuesRequest({ groups: '[delays]' }));
    expect(response.json.queues[0].open).toBe(5);
  });

  it('gives an empty list to an agent in no configured queue', async () => {
    const response = await invoke(queuesRequest({ groups: '[lounges]' }));
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ queues: [] });
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('answers 401 without agent claims', async () => {
    expect((await invoke(queuesRequest({ claims: null }))).statusCode).toBe(401);
  });
});

describe('GET /api/tickets/{id}', () => {
  const post = {
    ticketId: 'tkt_1',
    post: { platform: 'generic', kind: 'post', id: 'post-1', author: { id: 'user-1', handle: '@traveller' }, text: 'Flight delayed 4 hours', createdAt: '2026-11-22T09:59:00Z' },
    classification: {
      isIssue: true,
      category: 'delay',
      priority: 'P2',
      confidence: 0.9,
      entities: { flightNumbers: ['UA123'], airports: ['SFO'], bookingRefs: [], delayMinutes: 240 },
      language: 'en',
      reasons: [{ decision: 'priority', rule: 'delay-3h-plus', evidence: ['4 hours'] }],
    },
    receivedAt: '2026-11-22T10:00:00.000Z',
  };
  const reply = {
    replyId: 'rpl_1',
    ticketId: 'tkt_1',
    text: 'Sorry about that, we are on it',
    agent: { kind: 'agent', id: 'agent-2' },
    replyTo: { platform: 'generic', postId: 'post-1' },
    createdAt: '2026-11-22T10:05:00.000Z',
    delivery: { status: 'sending', attempts: 1, token: 'lease-secret', leaseUntil: 1_795_341_960_000 },
  };
  const history = {
    version: 2,
    at: '2026-11-22T10:05:00.000Z',
    detailType: 'Ticket.Responded',
    detail: { ticketId: 'tkt_1', replyId: 'rpl_1' },
  };
  const items = [
    { ...ticket, version: 2, status: 'open', pk: 'TICKET#tkt_1', sk: 'TICKET', gsi1pk: 'QUEUE#delays#open', postIds: new Set(['post-1']) },
    { ...post, pk: 'TICKET#tkt_1', sk: 'POST#generic#post-1', type: 'post', expiresAt: 1 },
    { ...reply, pk: 'TICKET#tkt_1', sk: 'REPLY#rpl_1', type: 'reply', expiresAt: 1 },
    { pk: 'TICKET#tkt_1', sk: `HIST#${history.at}#00000002#Ticket.Responded`, type: 'history', entry: history, expiresAt: 1 },
  ];

  it('shows the ticket with its posts (classification, reasons, entities), replies and history, and its version as ETag', async () => {
    dynamo.on(QueryCommand).resolves({ Items: items });
    const response = await invoke(ticketRequest('tkt_1'));

    expect(response.statusCode).toBe(200);
    expect(response.headers?.etag).toBe('"2"');
    expect(response.json).toEqual({
      ticket: { ...ticket, version: 2, status: 'open' },
      posts: [post],
      replies: [{ ...reply, delivery: { status: 'sending', attempts: 1 } }],
      history: [history],
    });
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(1);
  });

  it("never shows a reply's delivery lease or the table's bookkeeping", async () => {
    dynamo.on(QueryCommand).resolves({ Items: items });
    const { body } = await invoke(ticketRequest('tkt_1'));
    for (const secret of ['lease-secret', 'leaseUntil', 'gsi1pk', 'postIds', 'expiresAt', 'outbox']) expect(body).not.toContain(secret);
  });

  it('answers 404 for an unknown ticket', async () => {
    const response = await invoke(ticketRequest('tkt_unknown'));
    expect(response.statusCode).toBe(404);
    expect(response.json).toEqual({ error: 'not_found', message: 'no ticket tkt_unknown' });
  });

  it('answers 404 without reading for an id no ticket can have', async () => {
    const response = await invoke(ticketRequest('x'.repeat(3000)));
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('xxxx');
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it("answers 403 for a ticket in a queue outside the agent's groups", async () => {
    dynamo.on(QueryCommand).resolves({ Items: items });
    const response = await invoke(ticketRequest('tkt_1', { groups: '[baggage]' }));
    expect(response.statusCode).toBe(403);
    expect(response.json.message).toBe('agent agent-1 may not work tickets in queue "delays"');
  });

  it('answers 401 without agent claims', async () => {
    expect((await invoke(ticketRequest('tkt_1', { claims: null }))).statusCode).toBe(401);
  });
});

describe('POST /api/tickets/{id}/claim, /pending, /resolve, /reopen', () => {
  it('claims a new ticket: it becomes open, assigned to the agent, at the next version, and Ticket.Updated goes out', async () => {
    const table = storedTicket(ticket);
    const response = await invoke(changeRequest('claim', 'tkt_1', { headers: { 'if-match': '"1"' } }));

    expect(response.statusCode).toBe(200);
    expect(response.headers?.etag).toBe('"2"');
    expect(response.json.ticket).toMatchObject({ id: 'tkt_1', status: 'open', version: 2, assignee: { kind: 'agent', id: 'agent-1', name: 'Ana' } });
    expect(table.item).toMatchObject({ version: 2, status: 'open', outbox: [] });
    expect(published()).toEqual([
      {
        source: 'redress.tickets',
        detailType: 'Ticket.Updated',
        bus: 'redress',
        detail: expect.objectContaining({ ticketId: 'tkt_1', change: 'claimed', version: 2, previousStatus: 'new', status: 'open' }),
      },
    ]);
  });

  it.each([
    ['pending', { ...ticket, status: 'open' as const }, 'pending_customer', 'Ticket.Updated'],
    ['resolve', { ...ticket, status: 'open' as const }, 'solved', 'Ticket.Resolved'],
    ['reopen', { ...ticket, status: 'solved' as const, solvedAt: '2026-11-22T10:30:00.000Z' }, 'open', 'Ticket.Reopened'],
  ] as const)('%s moves the ticket to %s and announces it', async (action, before, status, detailType) => {
    storedTicket(before);
    const response = await invoke(changeRequest(action as Action, 'tkt_1', { headers: { 'if-match': '"1"' } }));

    expect(response.statusCode).toBe(200);
    expect(response.json.ticket).toMatchObject({ status, version: 2 });
    expect(published().map((event) => event.detailType)).toEqual([detailType]);
  });

  it.each(['"3"', '3', 'W/"3"', ' "3" '])('takes If-Match %s as version 3', async (ifMatch) => {
    storedTicket({ ...ticket, version: 3 });
    const response = await invoke(changeRequest('claim', 'tkt_1', { headers: { 'if-match': ifMatch } }));
    expect(response.statusCode).toBe(200);
    expect(response.headers?.etag).toBe('"4"');
  });

  it('reads If-Match whatever the case of the header name', async () => {
    storedTicket(ticket);
    expect((await invoke(changeRequest('claim', 'tkt_1', { headers: { 'If-Match': '"1"' } }))).statusCode).toBe(200);
  });

  it('answers 428 without If-Match, saying to send the ETag, and changes nothing', async () => {
    storedTicket(ticket);
    const response = await invoke(changeRequest('claim', 'tkt_1'));

    expect(response.statusCode).toBe(428);
    expect(response.json.error).toBe('precondition_required');
    expect(response.json.message).toMatch(/If-Match.*ETag/);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it.each(['*', '"abc"', '"3', 'W/3', '"1", "2"', '0', '-1', '1.5', '', 'W/"99999999999999999999"'])(
    'answers 400 naming If-Match for If-Match %j',
    async (ifMatch) => {
      storedTicket(ticket);
      const response = await invoke(changeRequest('claim', 'tkt_1', { headers: { 'if-match': ifMatch } }));

      expect(response.statusCode).toBe(400);
      expect(response.json.fields).toEqual([{ path: 'If-Match', message: expect.any(String) }]);
      expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
    },
  );

  it('answers 409 with the current version when If-Match is stale, and changes nothing', async () => {
    const table = storedTicket({ ...ticket, version: 4, status: 'open' });
    const response = await invoke(changeRequest('resolve', 'tkt_1', { headers: { 'if-match': '"3"' } }));

    expect(response.statusCode).toBe(409);
    expect(response.json).toMatchObject({ error: 'conflict', currentVersion: 4 });
    expect(response.json.message).toContain('If-Match: "4"');
    expect(table.item.status).toBe('open');
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(published()).toEqual([]);
  });

  it('answers 409 with the new version when another change lands between the read and the write', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: { ...ticket, pk: 'TICKET#tkt_1', sk: 'TICKET' } })
      .resolves({ Item: { ...ticket, version: 2, status: 'open', pk: 'TICKET#tkt_1', sk: 'TICKET' } });
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    const response = await invoke(changeRequest('claim', 'tkt_1', { headers: { 'if-match': '"1"' } }));

    expect(response.statusCode).toBe(409);
    expect(response.json.currentVersion).toBe(2);
    expect(published()).toEqual([]);
  });

  it.each([
    ['resolve', 'solved', /is solved and cannot be resolved/],
    ['claim', 'closed', /is closed and cannot be claimed/],
    ['reopen', 'open', /is open and cannot be reopened/],
    ['pending', 'pending_customer', /cannot be set to wait for the customer/],
  ] as const)('answers 409 when the status does not allow it: %s on a %s ticket', async (action, status, message) => {
    storedTicket({ ...ticket, status });
    const response = await invoke(changeRequest(action, 'tkt_1', { headers: { 'if-match': '"1"' } }));

    expect(response.statusCode).toBe(409);
    expect(response.json.message).toMatch(message);
    expect(response.json.currentVersion).toBeUndefined();
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('answers 404 for an unknown ticket', async () => {
    const response = await invoke(changeRequest('claim', 'tkt_unknown', { headers: { 'if-match': '"1"' } }));
    expect(response.statusCode).toBe(404);
  });

  it("answers 403 for a ticket in a queue outside the agent's groups, and changes nothing", async () => {
    storedTicket(ticket);
    const response = await invoke(changeRequest('claim', 'tkt_1', { groups: '[baggage]', headers: { 'if-match': '"1"' } }));
    expect(response.statusCode).toBe(403);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('answers 401 without agent claims', async () => {
    expect((await invoke(changeRequest('claim', 'tkt_1', { claims: null, headers: { 'if-match': '"1"' } }))).statusCode).toBe(401);
  });

  it('still answers 200 when the bus cannot take the events: the change is stored and its events wait in the outbox', async () => {
    eventBridge.on(PutEventsCommand).rejects(new Error('ThrottlingException'));
    const table = storedTicket(ticket);
    const response = await invoke(changeRequest('claim', 'tkt_1', { headers: { 'if-match': '"1"' } }));

    expect(response.statusCode).toBe(200);
    expect(response.headers?.etag).toBe('"2"');
    expect(table.item.version).toBe(2);
    expect(table.item.outbox.map((event: OutgoingEvent) => event.detailType)).toEqual(['Ticket.Updated']);
    // The lease is given back at once, so the SLA monitor need not wait for it to run out.
    expect(table.item.outboxLeaseToken).toBeUndefined();
  });
});

describe('POST /api/tickets/{id}/replies', () => {
  it('stores the reply as pending, answers 202 with it and the ticket, and announces Ticket.Responded', async () => {
    storedTicket({ ...ticket, replyTo: { platform: 'generic', postId: 'post-1' } });
    const response = await invoke(replyRequest('tkt_1', { text: '  Sorry! We are rebooking you now.  ' }));

    expect(response.statusCode).toBe(202);
    expect(response.headers?.etag).toBe('"2"');
    expect(response.json.reply).toEqual({
      replyId: expect.stringMatching(/^rpl_[0-9a-f-]{36}$/),
      ticketId: 'tkt_1',
      text: 'Sorry! We are rebooking you now.',
      agent: { kind: 'agent', id: 'agent-1', name: 'Ana' },
      replyTo: { platform: 'generic', postId: 'post-1' },
      createdAt: expect.any(String),
      delivery: { status: 'pending', attempts: 0 },
    });
    expect(response.json.ticket).toMatchObject({ status: 'open', version: 2, firstResponseAt: response.json.reply.createdAt });
    expect(published()).toEqual([
      expect.objectContaining({
        detailType: 'Ticket.Responded',
        detail: expect.objectContaining({ replyId: response.json.reply.replyId, text: 'Sorry! We are rebooking you now.', firstResponse: true }),
      }),
    ]);
    // The reply record the reply function sends from, written before the event went out.
    const records = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item);
    expect(records).toContainEqual(expect.objectContaining({ sk: `REPLY#${response.json.reply.replyId}`, delivery: { status: 'pending', attempts: 0 } }));
  });

  it('gives each reply an id of its own', async () => {
    storedTicket(ticket);
    const first = await invoke(replyRequest('tkt_1', { text: 'One' }));
    storedTicket(ticket);
    const second = await invoke(replyRequest('tkt_1', { text: 'Two' }));
    expect(first.json.reply.replyId).not.toBe(second.json.reply.replyId);
  });

  it('takes a body API Gateway passed base64-encoded', async () => {
    storedTicket(ticket);
    const body = Buffer.from(JSON.stringify({ text: 'Hello' })).toString('base64');
    const response = await invoke(replyRequest('tkt_1', {}, { body, isBase64Encoded: true, headers: { 'if-match': '"1"' } }));
    expect(response.statusCode).toBe(202);
    expect(response.json.reply.text).toBe('Hello');
  });

  it.each([
    ['no text', {}, 'text'],
    ['empty text', { text: '' }, 'text'],
    ['only spaces', { text: '   ' }, 'text'],
    ['a number', { text: 42 }, 'text'],
    ['null', { text: null }, 'text'],
    ['an array body', ['hello'], '(root)'],
  ])('answers 400 naming the field for a body with %s', async (_case, body, field) => {
    storedTicket(ticket);
    const response = await invoke(replyRequest('tkt_1', body));

    expect(response.statusCode).toBe(400);
    expect(response.json.fields.map((entry: { path: string }) => entry.path)).toContain(field);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it.each([
    ['not JSON', '{"text": "hello"'],
    ['empty', ''],
  ])('answers 400 for a body that is %s', async (_case, body) => {
    storedTicket(ticket);
    const response = await invoke(replyRequest('tkt_1', undefined, { body, headers: { 'if-match': '"1"' } }));

    expect(response.statusCode).toBe(400);
    expect(response.json.fields).toEqual([{ path: '(root)', message: expect.any(String) }]);
  });

  it('answers 400 for a reply longer than the platform takes (X: 280 characters)', async () => {
    storedTicket({ ...ticket, author: { platform: 'x', id: 'user-1' }, replyTo: { platform: 'x', postId: '1850' } });
    const response = await invoke(replyRequest('tkt_1', { text: 'a'.repeat(281) }));
    expect(response.statusCode).toBe(400);
    expect(response.json.fields).toEqual([{ path: 'text', message: 'at most 280 characters on x' }]);
  });

  it('answers 409 to a reply on a solved ticket: reopen it first', async () => {
    storedTicket({ ...ticket, status: 'solved' });
    const response = await invoke(replyRequest('tkt_1', { text: 'Anything else?' }));

    expect(response.statusCode).toBe(409);
    expect(response.json.message).toMatch(/solved.*reopen it first/);
    expect(published()).toEqual([]);
  });

  it('answers 409 to a reply from a stale read, so a retried reply is not sent twice', async () => {
    storedTicket({ ...ticket, version: 2, status: 'open' });
    const response = await invoke(replyRequest('tkt_1', { text: 'Hello again' }));
    expect(response.statusCode).toBe(409);
    expect(response.json.currentVersion).toBe(2);
  });

  it('answers 428 to a reply without If-Match', async () => {
    storedTicket(ticket);
    const response = await invoke(replyRequest('tkt_1', { text: 'Hi' }, { headers: {} }));
    expect(response.statusCode).toBe(428);
  });
});

describe('GET /api/openapi.json', () => {
  it('serves the OpenAPI document without a token', async () => {
    const event = request('GET', 'GET /api/openapi.json', '/api/openapi.json', undefined, { claims: null });
    const response = await invoke(event);

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('application/json');
    expect(response.json).toMatchObject({ openapi: '3.1.0', info: { title: 'redress support API' } });
  });
});

describe('routing', () => {
  it('answers 404 for a route the function does not serve', async () => {
    const event = request('GET', 'GET /api/agents', '/api/agents', undefined);
    expect((await handler(event, lambdaContext('support-api'))).statusCode).toBe(404);
  });

  it.each(['constructor', '__proto__', 'toString'])('answers 404 for a route key named like an object property (%s)', async (routeKey) => {
    const event = request('GET', routeKey, '/', undefined);
    expect((await handler(event, lambdaContext('support-api'))).statusCode).toBe(404);
  });
});
