import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { DynamoSlaReportReader } from '#adapters/sla-report-reader';
import { ticketPorts, ticketPortsEnv } from '#adapters/ticket-ports';
import { parseEnv } from '#config/runtime-env';
import { runtimeConfig } from '#config/runtime-config';
import { AgentClaims } from '#contracts/support-api';
import { AuthenticationError, NotFoundError } from '#domain/errors';
import { slaPolicies } from '#domain/sla/sla-policies';
import { httpErrors } from '#middleware/http-errors';
import { publishMetrics } from '#middleware/metrics';
import { logger, observability } from '#middleware/observability';
import { supportRoutes } from './routes.ts';

const config = runtimeConfig();
const env = parseEnv(ticketPortsEnv);
const { tickets, events, documentClient } = ticketPorts(env, config.retentionDays);
const routes = supportRoutes({
  tickets,
  events,
  reports: new DynamoSlaReportReader(documentClient, env.TABLE_NAME),
  queues: config.queues.map(({ name, description }) => ({ name, description })),
  now: () => new Date(),
  sla: slaPolicies(config),
});

export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2>()
  .use(observability())
  .use(publishMetrics())
  .use(httpErrors())
  .handler(async (event) => {
    const route = Object.hasOwn(routes, event.routeKey) ? routes[event.routeKey] : undefined;
    if (!route) throw new NotFoundError(`no route ${event.routeKey}`);
    if (route.auth === 'none') return route.handle(event);
    const claims = event.requestContext.authorizer?.jwt?.claims;
    // The JWT authorizer has already checked the token; no claims means the route is miswired.
    if (!claims) throw new AuthenticationError('a bearer token is required');
    const parsed = AgentClaims.safeParse(claims);
    if (!parsed.success) throw new AuthenticationError('the token does not name an agent (no sub claim)');
    const agent = parsed.data;
    logger.appendKeys({ agentId: agent.id });
    return route.handle(event, agent);
  });
