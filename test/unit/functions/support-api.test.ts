import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ticket } from '#contracts/ticket';
import { functionEnvironment, httpEvent, lambdaContext } from '#test/support/lambda';

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
beforeAll(async () => {
  for (const [name, value] of Object.entries(functionEnvironment())) vi.stubEnv(name, value);
  ({ handler } = (await import('../../../functions/support-api/handler.ts')) as never);
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  dynamo.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
});

const ticket: Ticket = {
  id: 'tkt_1',
  queue: 'delays',
  status: 'new',
  priority: 'P2',
  category: 'delay',
  version: 1,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
  author: { platform: 'generic', id: 'user-1', handle: '@traveller' },
  preview: 'Flight delayed 4 hours',
  postCount: 1,
  firstPostId: 'post-1',
  sla: { firstResponseDueAt: '2026-11-22T11:00:00.000Z', firstResponseBreachedAt: null },
  assignee: null,
  firstResponseAt: null,
  solvedAt: null,
};

/** A request as API Gateway passes it after the JWT authorizer checked the token. */
function listRequest(queue: string, options: { groups?: string; query?: Record<string, string>; claims?: Record<string, string> | null } = {}) {
  const event = httpEvent({
    method: 'GET',
    path: `/api/queues/${queue}/tickets`,
    route: 'GET /api/queues/{queue}/tickets',
    pathParameters: { queue },
    queryStringParameters: options.query,
  });
  const claims = options.claims === undefined ? { sub: 'agent-1', name: 'Ana', 'cognito:groups': options.groups ?? '[delays safety]' } : options.claims;
  if (claims) Object.assign(event.requestContext, { authorizer: { jwt: { claims, scopes: [] } } });
  return event;
}

const invoke = (event: unknown) => handler(event, lambdaContext('support-api'));

describe('GET /api/queues/{queue}/tickets', () => {
  it("lists the queue's tickets oldest-due first for an agent in the queue's group", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ ...ticket, pk: 'TICKET#tkt_1', sk: 'TICKET', gsi1sk: `${ticket.sla.firstResponseDueAt}#tkt_1` }] });
    const response = await invoke(listRequest('delays', { query: { status: 'new' } }));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toEqual({ tickets: [ticket] });
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

  it('answers 403 for a queue outside the agent\'s groups, without reading it', async () => {
    const response = await invoke(listRequest('catering', { groups: '[delays]' }));
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body!)).toEqual({ error: 'forbidden', message: 'agent agent-1 may not see queue "catering"' });
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('answers 404 for a queue that is not configured', async () => {
    const response = await invoke(listRequest('lounges'));
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body!).message).toBe('queue "lounges" does not exist');
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
    const body = JSON.parse(response.body!);
    expect(body.error).toBe('invalid_request');
    expect(body.fields.map((entry: { path: string }) => entry.path)).toContain(field);
  });

  it('answers 401 when the request carries no agent claims', async () => {
    const response = await invoke(listRequest('delays', { claims: null }));
    expect(response.statusCode).toBe(401);
  });

  it('answers 500 without details when DynamoDB fails, so nothing internal leaks', async () => {
    dynamo.on(QueryCommand).rejects(new Error('connection reset by peer 10.0.0.12'));
    const response = await invoke(listRequest('delays'));
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('10.0.0.12');
  });
});
