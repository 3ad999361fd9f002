import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import {
  ListTicketsQuery,
  QueueListResponse,
  ReplyAcceptedResponse,
  ReplyRequest,
  SlaReportResponse,
  TicketChangeResponse,
  TicketPageResponse,
  TicketViewResponse,
  type Agent,
} from '#contracts/support-api';
import type { Ticket } from '#contracts/ticket';
import type * as z from '#contracts/zod';
import type { Clock, EventPublisher, TicketRepository } from '#domain/ports';
import type { SlaPolicies } from '#domain/sla/sla-policies';
import { slaReport, type SlaReportSource } from '#domain/sla/sla-report';
import { listQueueTickets } from '#domain/tickets/list-queue';
import { summarizeQueues } from '#domain/tickets/queue-summaries';
import type { AgentAction } from '#domain/tickets/ticket-changes';
import { viewTicket } from '#domain/tickets/ticket-view';
import { workTicket } from '#domain/tickets/work-ticket';
import { jsonResponse } from '#middleware/http-errors';
import { logger } from '#middleware/observability';
import { parseWith } from '#middleware/validation';
import { openApiDocument } from './openapi.ts';
import { jsonBody, reportPeriodOf, ticketIdOf, versionOf } from './request.ts';
import { recordTicketTimes } from './ticket-metrics.ts';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

/** A route anyone may call, and one the JWT authorizer has let an agent through to. */
export type SupportRoute =
  | { auth: 'none'; handle: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2> }
  | { auth: 'jwt'; handle: (event: Event, agent: Agent) => Promise<APIGatewayProxyResultV2> };

export interface SupportPorts {
  tickets: TicketRepository;
  events: EventPublisher;
  /** Tickets created in a period, for the SLA report. */
  reports: SlaReportSource;
  /** The configured queues, in config order. */
  queues: ReadonlyArray<{ name: string; description: string }>;
  now: Clock;
  /** The SLA policies every change applies to the ticket's clocks. */
  sla: SlaPolicies;
}

/** The support API's routes by API Gateway route key; infra/topology.ts declares the same keys. */
export function supportRoutes(ports: SupportPorts): Record<string, SupportRoute> {
  const queueNames = ports.queues.map((queue) => queue.name);
  const agentRoute = (handle: (event: Event, agent: Agent) => Promise<APIGatewayProxyResultV2>): SupportRoute => ({ auth: 'jwt', handle });

  /** A change to a ticket: If-Match names the version read; the answer carries the new one. */
  const change = (action: (event: Event) => AgentAction) =>
    agentRoute(async (event, agent) => {
      const ticketId = ticketIdOf(event);
      const version = versionOf(event);
      const worked = await workTicket(agent, { ticketId, version, action: action(event) }, ports);
      recordTicketTimes(worked.change);
      const { ticket } = worked.change;
      if (worked.publishError !== undefined) {
        logger.warn('ticket change stored; its events stay in the outbox for the SLA monitor to publish', {
          ticketId,
          version: ticket.version,
          error: worked.publishError as Error,
        });
      }
      if (worked.reply) return respond(202, ReplyAcceptedResponse, { reply: worked.reply, ticket }, etag(ticket));
      return respond(200, TicketChangeResponse, { ticket }, etag(ticket));
    });

  return {
    'GET /api/openapi.json': { auth: 'none', handle: async () => jsonResponse(200, openApiDocument()) },

    'GET /api/queues': agentRoute(async (_event, agent) => respond(200, QueueListResponse, { queues: await summarizeQueues(agent, ports) })),

    'GET /api/queues/{queue}/tickets': agentRoute(async (event, agent) => {
      const query = parseWith(ListTicketsQuery, event.queryStringParameters ?? {}, 'the query string');
      const page = await listQueueTickets(
        agent,
        { queue: event.pathParameters?.queue ?? '', statuses: query.status, limit: query.limit, cursor: query.cursor },
        { tickets: ports.tickets, queues: queueNames },
      );
      return respond(200, TicketPageResponse, page);
    }),

    'GET /api/tickets/{id}': agentRoute(async (event, agent) => {
      const view = await viewTicket(agent, ticketIdOf(event), ports);
      return respond(200, TicketViewResponse, view, etag(view.ticket));
    }),

    'POST /api/tickets/{id}/claim': change(() => ({ kind: 'claim' })),
    'POST /api/tickets/{id}/replies': change((event) => ({ kind: 'reply', replyId: `rpl_${randomUUID()}`, text: jsonBody(event, ReplyRequest, 'the reply').text })),
    'POST /api/tickets/{id}/pending': change(() => ({ kind: 'pending' })),
    'POST /api/tickets/{id}/resolve': change(() => ({ kind: 'resolve' })),
    'POST /api/tickets/{id}/reopen': change(() => ({ kind: 'reopen' })),

    'GET /api/reports/sla': agentRoute(async (event, agent) => {
      const period = reportPeriodOf(event, ports.now());
      return respond(200, SlaReportResponse, await slaReport(agent, period, { reports: ports.reports, queues: queueNames }));
    }),
  };
}

/**
 * Answers with `body` as its response schema has it: the schema drops whatever the stored items
 * carry for bookkeeping (a delivery lease, the outbox), so the answer is what the OpenAPI
 * document promises, and nothing more.
 */
function respond<Schema extends z.ZodMiniType>(statusCode: number, schema: Schema, body: z.input<Schema>, headers: Record<string, string> = {}) {
  return jsonResponse(statusCode, schema.parse(body), headers);
}

/** The ticket's version as its entity tag; the client sends it back in If-Match. */
function etag(ticket: Ticket): Record<string, string> {
  return { etag: `"${ticket.version}"` };
}
