import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { fromJSONSchema } from 'zod';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ticket } from '#contracts/ticket';
import { httpEvent, importHandler, lambdaContext } from '#test/support/lambda';
import { aTicket, ticketItem } from '#test/support/ticket-items';
import { openApiDocument } from '../../../functions/support-api/openapi.ts';

// GET /api/reports/sla through the support function, with the ticket table behind a mocked
// client answering each queue index partition with the tickets stored in it.
const dynamo = mockClient(DynamoDBDocumentClient);
let handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
beforeAll(async () => {
  handler = await importHandler(() => import('../../../functions/support-api/handler.ts'));
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  dynamo.reset();
  stored([]);
});
afterEach(() => vi.useRealTimers());

/** The table holds these tickets: each query of a queue index partition gets the ones in it. */
function stored(tickets: Ticket[]) {
  dynamo.on(QueryCommand).callsFake((input) => {
    const partition = input.ExpressionAttributeValues?.[':partition'];
    return { Items: tickets.map(ticketItem).filter((item) => item.gsi1pk === partition) };
  });
}

function reportRequest(query: Record<string, string> | undefined, claims: Record<string, string> | null = { sub: 'ana', 'cognito:groups': '[delays safety]' }) {
  const event = httpEvent({ method: 'GET', path: '/api/reports/sla', route: 'GET /api/reports/sla', queryStringParameters: query });
  if (claims) Object.assign(event.requestContext, { authorizer: { jwt: { claims, scopes: [] } } });
  return event;
}

const document = openApiDocument() as Record<string, any>;
const asDefs = (schema: unknown) => JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', '#/$defs/'));

/** Calls the handler, and holds the answer to what the OpenAPI document says of this route and status. */
async function invoke(event: APIGatewayProxyEventV2) {
  const response = await handler(event, lambdaContext('support-api'));
  const json = JSON.parse(response.body ?? 'null');
  let documented = document.paths['/api/reports/sla'].get.responses[response.statusCode!];
  expect(documented, `a documented ${response.statusCode}`).toBeDefined();
  if (documented.$ref) documented = document.components.responses[String(documented.$ref).split('/').at(-1)!];
  const schema = fromJSONSchema({ ...asDefs(documented.content['application/json'].schema), $defs: asDefs(document.components.schemas) });
  expect(schema.safeParse(json).error?.issues ?? []).toEqual([]);
  return { statusCode: response.statusCode, json };
}

const DAY = { from: '2026-11-22T00:00:00Z', to: '2026-11-23T00:00:00Z' };

describe('GET /api/reports/sla', () => {
  it("answers first-response outcomes per queue and priority for the agent's queues, in config order", async () => {
    stored([
      aTicket({ firstResponseAt: '2026-11-22T10:04:12.000Z' }),
      aTicket({ status: 'solved', firstResponseAt: '2026-11-22T10:30:00.000Z' }),
      aTicket({ firstResponseAt: '2026-11-22T11:20:00.000Z' }),
      aTicket({ breachedAt: '2026-11-22T11:00:04.000Z' }),
      aTicket(),
      aTicket({ queue: 'safety', priority: 'P1', targetSeconds: 900, firstResponseAt: '2026-11-22T10:02:00.000Z' }),
      aTicket({ queue: 'catering', category: 'meal' }),
      aTicket({ createdAt: '2026-11-21T09:00:00.000Z' }),
    ]);
    const response = await invoke(reportRequest(DAY));

    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({
      from: '2026-11-22T00:00:00.000Z',
      to: '2026-11-23T00:00:00.000Z',
      rows: [
        { queue: 'safety', priority: 'P1', tickets: 1, met: 1, breached: 0, pending: 0, percentMet: 100, medianFirstResponseSeconds: 120, p90FirstResponseSeconds: 120 },
        { queue: 'delays', priority: 'P2', tickets: 5, met: 2, breached: 2, pending: 1, percentMet: 50, medianFirstResponseSeconds: 1800, p90FirstResponseSeconds: 4800 },
      ],
    });
  });

  it("reads every status of the agent's queues on the queue index, and nothing else", async () => {
    await invoke(reportRequest(DAY, { sub: 'ana', 'cognito:groups': '[delays]' }));
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
    const queries = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries.map((query) => query.ExpressionAttributeValues?.[':partition']).sort()).toEqual([
      'QUEUE#delays#closed',
      'QUEUE#delays#new',
      'QUEUE#delays#open',
      'QUEUE#delays#pending_customer',
      'QUEUE#delays#solved',
    ]);
    for (const query of queries) expect(query.IndexName).toBe('queue-due');
  });

  it('gives an agent in no configured queue an empty report without reading', async () => {
    const response = await invoke(reportRequest(DAY, { sub: 'ana', 'cognito:groups': '[lounges]' }));
    expect(response.statusCode).toBe(200);
    expect(response.json.rows).toEqual([]);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('reports up to now without to, and reads offsets as the instants they name', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T12:00:00.000Z'));
    const response = await invoke(reportRequest({ from: '2026-11-22T09:00:00+01:00' }));
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ from: '2026-11-22T08:00:00.000Z', to: '2026-11-22T12:00:00.000Z' });
  });

  it.each([
    ['without from', {}, 'from'],
    ['for a from that is not an ISO 8601 instant', { from: 'yesterday' }, 'from'],
    ['for a from without a zone', { from: '2026-11-22T00:00:00' }, 'from'],
    ['for a to that is not an ISO 8601 instant', { from: DAY.from, to: '2026-13-01T00:00:00Z' }, 'to'],
    ['for from after to', { from: DAY.to, to: DAY.from }, 'from'],
    ['for a period longer than 92 days', { from: '2026-01-01T00:00:00Z', to: '2026-04-03T00:00:01Z' }, 'to'],
  ])('answers 400 naming the field %s, and reads nothing', async (_case, query, field) => {
    const response = await invoke(reportRequest(query));
    expect(response.statusCode).toBe(400);
    expect(response.json.error).toBe('invalid_request');
    expect(response.json.fields.map((entry: { path: string }) => entry.path)).toContain(field);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('says how long a period may be', async () => {
    const response = await invoke(reportRequest({ from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' }));
    expect(response.json.message).toBe('a report covers at most 92 days; ask for several shorter periods');
  });

  it('answers 401 without agent claims', async () => {
    expect((await invoke(reportRequest(DAY, null))).statusCode).toBe(401);
  });
});
