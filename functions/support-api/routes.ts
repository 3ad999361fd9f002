import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { ListTicketsQuery, type Agent } from '#contracts/support-api';
import type { TicketRepository } from '#domain/ports';
import { listQueueTickets } from '#domain/tickets/list-queue';
import { jsonResponse } from '#middleware/http-errors';
import { parseWith } from '#middleware/validation';

export type Route = (event: APIGatewayProxyEventV2WithJWTAuthorizer, agent: Agent) => Promise<APIGatewayProxyResultV2>;

/** The support API's routes by API Gateway route key; infra/topology.ts declares the same keys. */
export function supportRoutes(ports: { tickets: TicketRepository; queues: readonly string[] }): Record<string, Route> {
  return {
    'GET /api/queues/{queue}/tickets': async (event, agent) => {
      const query = parseWith(ListTicketsQuery, event.queryStringParameters ?? {}, 'the query string');
      const page = await listQueueTickets(
        agent,
        { queue: event.pathParameters?.queue ?? '', statuses: query.status, limit: query.limit, cursor: query.cursor },
        ports,
      );
      return jsonResponse(200, page);
    },
  };
}
