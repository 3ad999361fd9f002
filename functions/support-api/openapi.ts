import {
  ErrorResponse,
  HistoryEntry,
  IfMatch,
  ListTicketsQuery,
  QueueListResponse,
  QueueSummary,
  Reply,
  ReplyAcceptedResponse,
  ReplyRequest,
  SlaReportQuery,
  SlaReportResponse,
  SlaReportRow,
  TicketChangeResponse,
  TicketId,
  TicketPageResponse,
  TicketPost,
  TicketViewResponse,
} from '#contracts/support-api';
import { Ticket } from '#contracts/ticket';
import * as z from '#contracts/zod';
import { MAX_REPORT_DAYS } from '#domain/sla/sla-report';

/**
 * The support API as an OpenAPI 3.1 document, generated from the zod schemas the function
 * parses requests and answers with (shared/contracts/support-api.ts), so the two cannot drift.
 * Served at GET /api/openapi.json.
 */

type Json = Record<string, unknown>;
type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 428;

interface Operation {
  method: 'get' | 'post';
  path: string;
  operationId: string;
  summary: string;
  description: string;
  /** Path parameters besides the ticket id, and the query string. */
  parameters?: Json[];
  /** A change: `If-Match` required, `ETag` of the new version answered. */
  change?: boolean;
  /** Answers a ticket's version in `ETag`. */
  etag?: boolean;
  requestBody?: keyof typeof REQUESTS;
  success: { status: 200 | 202; description: string; schema: keyof typeof RESPONSES };
  errors: ErrorStatus[];
}

/** Request bodies, as the function accepts them. */
const REQUESTS = { ReplyRequest };
/** Response bodies, as the function answers them, and the parts they share (named, so they are read once). */
const RESPONSES = {
  Ticket,
  QueueSummary,
  TicketPost,
  Reply,
  HistoryEntry,
  QueueListResponse,
  TicketPageResponse,
  TicketViewResponse,
  TicketChangeResponse,
  ReplyAcceptedResponse,
  SlaReportRow,
  SlaReportResponse,
  ErrorResponse,
};

const ticketPath = (suffix = '') => `/api/tickets/{id}${suffix}`;
const CHANGE_ERRORS: ErrorStatus[] = [400, 401, 403, 404, 409, 428];

const changeOperation = (action: string, operationId: string, summary: string, description: string): Operation => ({
  method: 'post',
  path: ticketPath(`/${action}`),
  operationId,
  summary,
  description,
  change: true,
  success: { status: 200, description: 'The changed ticket; its new version is in ETag.', schema: 'TicketChangeResponse' },
  errors: CHANGE_ERRORS,
});

const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/queues',
    operationId: 'listQueues',
    summary: 'The queues the agent works, with counts',
    description:
      'Every configured queue the agent may see (their token\'s groups), in config order: `open` counts tickets new, open or waiting for the customer; `atRisk` counts new or open tickets with no first response whose deadline is within 15 minutes or already past.',
    success: { status: 200, description: 'The queues, in config order.', schema: 'QueueListResponse' },
    errors: [401],
  },
  {
    method: 'get',
    path: '/api/queues/{queue}/tickets',
    operationId: 'listQueueTickets',
    summary: "A queue's tickets, oldest-due first",
    description: 'Tickets in SLA-due order (the first-response deadline), a page at a time; follow `nextCursor` for the next page.',
    parameters: [
      { name: 'queue', in: 'path', required: true, description: 'A configured queue name.', schema: { type: 'string' } },
      ...queryParameters(ListTicketsQuery, {
        status: 'Comma-separated statuses (new, open, pending_customer, solved, closed); by default new,open,pending_customer.',
        limit: 'Tickets per page, 1 to 100; 25 by default.',
        cursor: "The previous page's `nextCursor`.",
      }),
    ],
    success: { status: 200, description: 'One page of tickets.', schema: 'TicketPageResponse' },
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: ticketPath(),
    operationId: 'getTicket',
    summary: 'A ticket with its posts, replies and history',
    description:
      "The ticket, the customer's posts in the order received (each with its classification: category, priority, reasons and entities), the agents' replies with their delivery status, and the history of changes. `ETag` is the ticket's version: send it as `If-Match` with a change.",
    etag: true,
    success: { status: 200, description: 'The ticket view; the version is in ETag.', schema: 'TicketViewResponse' },
    errors: [401, 403, 404],
  },
  changeOperation('claim', 'claimTicket', 'Take the ticket', 'Makes the agent its assignee; a new ticket becomes open. Allowed while new, open or pending_customer.'),
  {
    method: 'post',
    path: ticketPath('/replies'),
    operationId: 'replyToTicket',
    summary: 'Answer the customer on the platform',
    description:
      "Stores the reply as pending and emits Ticket.Responded; the reply function sends it under the customer's latest post. The first reply stops the first-response SLA clock; a new ticket becomes open. Allowed while new, open or pending_customer; the platform's length limit applies (X 280, Messenger 2,000, Instagram 2,200, Facebook 8,000 characters).",
    change: true,
    requestBody: 'ReplyRequest',
    success: { status: 202, description: 'The reply, pending delivery, and the changed ticket; its new version is in ETag.', schema: 'ReplyAcceptedResponse' },
    errors: CHANGE_ERRORS,
  },
  changeOperation('pending', 'setTicketPending', 'Wait for the customer', 'Sets the ticket to pending_customer; the customer\'s next post makes it open again. Allowed while new or open.'),
  changeOperation('resolve', 'resolveTicket', 'Resolve the ticket', 'Sets the ticket to solved. Allowed while new, open or pending_customer.'),
  changeOperation('reopen', 'reopenTicket', 'Reopen a solved ticket', 'Sets a solved ticket back to open. A closed ticket stays closed.'),
  {
    method: 'get',
    path: '/api/reports/sla',
    operationId: 'getSlaReport',
    summary: 'First-response SLA outcomes per queue and priority',
    description:
      `For the tickets created in [from, to), in the queues the agent works: per queue and priority, how many were answered by their first-response due time (\`met\`), answered late or marked breached by the SLA monitor (\`breached\`), or neither yet (\`pending\`); \`percentMet\` = met / (met + breached); and the median and 90th percentile of the calendar seconds from the first post to the first agent reply, over the answered tickets. Percentiles are nearest-rank: always one of the measured values, the median of an even count being the lower middle one. Rows come in config queue order, then P1 to P4. A period covers at most ${MAX_REPORT_DAYS} days.`,
    parameters: queryParameters(SlaReportQuery, {
      from: 'Start of the period, inclusive: an ISO 8601 instant with Z or an offset (2026-11-01T00:00:00Z).',
      to: `End of the period, exclusive: an ISO 8601 instant; now by default. At most ${MAX_REPORT_DAYS} days after from, and not before it.`,
    }),
    success: { status: 200, description: 'One row per queue and priority with tickets in the period.', schema: 'SlaReportResponse' },
    errors: [400, 401],
  },
];

const ERROR_RESPONSES: Record<ErrorStatus, Json> = {
  400: errorResponse('The request does not fit: `fields` names each wrong field (a query parameter, `If-Match`, a body field, a report period that is reversed or too long).'),
  401: {
    description: 'No valid bearer token. Answered by the API\'s JWT authorizer (`{"message":"Unauthorized"}`) or the function.',
    content: { 'application/json': { schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] } } },
  },
  403: errorResponse("The ticket's or queue's group is not among the agent's groups."),
  404: errorResponse('No such ticket or queue.'),
  409: errorResponse(
    'The ticket changed since the version in If-Match (the body has `currentVersion`: read the ticket again), or its status does not allow the change (replying to a solved ticket: reopen it first).',
  ),
  428: errorResponse('If-Match is missing: send the ETag of GET /api/tickets/{id}.'),
};

let document: Json | undefined;

/** The document, built once per cold start on first request. */
export function openApiDocument(): Json {
  document ??= buildDocument();
  return document;
}

/** The route keys the document describes (`GET /api/queues`), as infra/topology.ts names them. */
export const documentedRouteKeys = ['GET /api/openapi.json', ...OPERATIONS.map((operation) => `${operation.method.toUpperCase()} ${operation.path}`)];

function buildDocument(): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const at = (path: string) => (paths[path] ??= {});
  at('/api/openapi.json').get = {
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    security: [],
    responses: { 200: { description: 'The OpenAPI 3.1 document of the support API.', content: { 'application/json': { schema: { type: 'object' } } } } },
  };
  for (const operation of OPERATIONS) at(operation.path)[operation.method] = pathItemOperation(operation);
  return {
    openapi: '3.1.0',
    info: {
      title: 'redress support API',
      version: '1',
      description:
        "How agents work their queues. Every route but this document needs `Authorization: Bearer <token>`: a Cognito user pool ID token in AWS, `npx redress token` locally; the token's `cognito:groups` name the queues the agent works. Every change to a ticket carries `If-Match` with the version from the ticket's `ETag`.",
    },
    security: [{ agentToken: [] }],
    paths,
    components: {
      securitySchemes: {
        agentToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "An agent's ID token; `cognito:groups` name their queues." },
      },
      parameters: {
        TicketId: { name: 'id', in: 'path', required: true, description: 'The ticket id.', schema: schemaOf(TicketId, 'input') },
        IfMatch: {
          name: 'If-Match',
          in: 'header',
          required: true,
          description: 'The version read, as the ticket\'s ETag gave it: `"3"` (also `W/"3"` or `3`). A stale one gets 409.',
          schema: schemaOf(IfMatch, 'input'),
        },
      },
      headers: {
        ETag: { description: 'The ticket\'s version, quoted: `"4"`. Send it back as If-Match.', schema: { type: 'string', pattern: '^"[1-9][0-9]*"$' } },
      },
      responses: Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([status, response]) => [errorName(Number(status) as ErrorStatus), response])),
      schemas: { ...componentSchemas(REQUESTS, 'input'), ...componentSchemas(RESPONSES, 'output') },
    },
  };
}

function pathItemOperation(operation: Operation): Json {
  const parameters: Json[] = [];
  if (operation.path.includes('{id}')) parameters.push({ $ref: '#/components/parameters/TicketId' });
  if (operation.change) parameters.push({ $ref: '#/components/parameters/IfMatch' });
  parameters.push(...(operation.parameters ?? []));
  const success: Json = { description: operation.success.description, content: { 'application/json': { schema: ref(operation.success.schema) } } };
  if (operation.change || operation.etag) success.headers = { ETag: { $ref: '#/components/headers/ETag' } };
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description: operation.description,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.requestBody
      ? { requestBody: { required: true, content: { 'application/json': { schema: ref(operation.requestBody) } } } }
      : {}),
    responses: {
      [operation.success.status]: success,
      ...Object.fromEntries(operation.errors.map((status) => [status, { $ref: `#/components/responses/${errorName(status)}` }])),
    },
  };
}

function errorResponse(description: string): Json {
  return { description, content: { 'application/json': { schema: ref('ErrorResponse') } } };
}

function errorName(status: ErrorStatus): string {
  return { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 428: 'PreconditionRequired' }[status];
}

function ref(name: string): Json {
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * JSON Schemas (2020-12, OpenAPI 3.1's dialect) for named zod schemas; a named schema inside
 * another becomes a $ref to its component. `input` for what the API accepts (before defaults
 * and transforms), `output` for what it answers.
 */
function componentSchemas(named: Record<string, z.ZodMiniType>, io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutIdentity(schema as Json)]));
}

function schemaOf(schema: z.ZodMiniType, io: 'input' | 'output'): Json {
  return withoutIdentity(z.toJSONSchema(schema, { io }) as Json);
}

/** Components sit inside the document: they take its dialect and have no identity of their own. */
function withoutIdentity(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function queryParameters(schema: z.ZodMiniObject, descriptions: Record<string, string>): Json[] {
  const json = schemaOf(schema, 'input') as { properties: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    description: descriptions[name],
    schema: property,
  }));
}
