import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TicketStatus, type Ticket } from '#contracts/ticket';
import { routeKey, routes } from '#infra/topology';
import { httpEvent, importHandler, lambdaContext } from '#test/support/lambda';
import { aTicket } from '#test/support/builders';

// `npm run fuzz` raises FUZZ_RUNS to search harder.
const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) };

const dynamo = mockClient(DynamoDBDocumentClient);
const eventBridge = mockClient(EventBridgeClient);
let handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
beforeAll(async () => {
  handler = await importHandler(() => import('../../../functions/support-api/handler.ts'));
});
afterAll(() => vi.unstubAllEnvs());

const ticket = aTicket({ author: { platform: 'x', id: 'user-1', handle: '@traveller' }, replyTo: { platform: 'x', postId: 'post-1' } });

/** The stored ticket's status in the current run. */
let status: TicketStatus = 'new';

/** A table holding one ticket (in `status`), answering every call the support API makes as DynamoDB would. */
beforeAll(() => {
  const item = () => ({ ...ticket, status, pk: 'TICKET#tkt_1', sk: 'TICKET' });
  dynamo.on(GetCommand).callsFake((input) => (input.Key?.pk === 'TICKET#tkt_1' ? { Item: item() } : {}));
  dynamo.on(QueryCommand).callsFake((input) =>
    input.Select === 'COUNT' ? { Count: 2 } : { Items: input.IndexName || input.ExpressionAttributeValues?.[':pk'] === 'TICKET#tkt_1' ? [item()] : [] },
  );
  dynamo.on(UpdateCommand).callsFake((input: UpdateCommandInput) =>
    input.ReturnValues === 'ALL_NEW' ? { Attributes: { ...item(), outbox: [] } } : {},
  );
  dynamo.on(PutCommand).resolves({});
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
});

const supportRoutes = routes.filter((route) => route.function === 'supportApi');

// Each generator leans towards the values that get past validation, so the runs reach the
// changes themselves (and their conflicts) as well as every way of being refused.
const often = <T>(value: T) => ({ arbitrary: fc.constant(value), weight: 4 });
const ticketIds = fc.oneof(often('tkt_1'), fc.constant('tkt_unknown'), fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 3000 }));
const queues = fc.oneof(fc.constantFrom('delays', 'safety', 'catering', 'lounges'), fc.string({ maxLength: 300 }));
const ifMatches = fc.option(
  fc.oneof(often('"1"'), fc.constantFrom('1', 'W/"1"', '"2"', '*', ''), fc.integer().map(String), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 })),
  { nil: undefined, freq: 5 },
);
const bodies = fc.option(
  fc.oneof(
    { arbitrary: fc.string({ maxLength: 400 }).map((text) => JSON.stringify({ text })), weight: 4 },
    fc.string({ unit: 'binary', maxLength: 400 }).map((text) => JSON.stringify({ text })),
    fc.anything({ maxDepth: 3 }).map((text) => JSON.stringify({ text }) ?? ''),
    fc.string({ maxLength: 2000 }),
    fc.json({ maxDepth: 4 }),
  ),
  { nil: undefined, freq: 5 },
);
const queryStrings = fc.option(fc.dictionary(fc.oneof(fc.constantFrom('status', 'limit', 'cursor', 'from', 'to'), fc.string({ maxLength: 10 })), fc.string({ maxLength: 300 })), {
  nil: undefined,
});
const groups = fc.oneof(often('[delays safety]'), fc.string({ maxLength: 60 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }));

describe('the support API, whatever a request carries', () => {
  it('never answers 5xx, and always answers JSON with an error code for a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...supportRoutes),
        fc.constantFrom(...TicketStatus.options),
        ticketIds,
        queues,
        ifMatches,
        bodies,
        fc.boolean(),
        queryStrings,
        fc.option(groups, { nil: undefined, freq: 8 }),
        async (route, storedStatus, id, queue, ifMatch, body, isBase64Encoded, query, agentGroups) => {
          status = storedStatus;
          const event = httpEvent({
            method: route.method,
            route: routeKey(route),
            path: route.path.replace('{id}', id).replace('{queue}', queue),
            pathParameters: route.path.includes('{id}') ? { id } : route.path.includes('{queue}') ? { queue } : undefined,
            queryStringParameters: query,
            headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
            ...(body === undefined ? {} : { body, isBase64Encoded }),
          });
          if (agentGroups !== undefined) {
            Object.assign(event.requestContext, { authorizer: { jwt: { claims: { sub: 'agent-1', 'cognito:groups': agentGroups }, scopes: [] } } });
          }

          const response = await handler(event, lambdaContext('support-api'));

          expect(response.statusCode).toBeLessThan(500);
          const json = JSON.parse(response.body ?? '');
          if (response.statusCode! >= 400) expect(json.error).toEqual(expect.any(String));
        },
      ),
      RUNS,
    );
  });
});
