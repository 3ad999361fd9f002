import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { createDocumentClient } from '#adapters/dynamodb-client';
import { DynamoTicketRepository } from '#adapters/ticket-repository';
import { envVar, parseEnv } from '#config/runtime-env';
import { runtimeConfig } from '#config/runtime-config';
import { AgentClaims } from '#contracts/support-api';
import { AuthenticationError, NotFoundError } from '#domain/errors';
import { httpErrors } from '#middleware/http-errors';
import { logger, observability } from '#middleware/observability';
import { supportRoutes } from './routes.ts';

const env = parseEnv({ TABLE_NAME: envVar.tableName, DYNAMODB_ENDPOINT: envVar.endpoint });
const config = runtimeConfig();
const tickets = new DynamoTicketRepository(createDocumentClient(env.DYNAMODB_ENDPOINT), env.TABLE_NAME, config.retentionDays);
const routes = supportRoutes({ tickets, queues: config.queues.map((queue) => queue.name) });

export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2>()
  .use(observability())
  .use(httpErrors())
  .handler(async (event) => {
    const claims = event.requestContext.authorizer?.jwt?.claims;
    // The JWT authorizer has already checked the token; no claims means the route is miswired.
    if (!claims) throw new AuthenticationError('a bearer token is required');
    const parsed = AgentClaims.safeParse(claims);
    if (!parsed.success) throw new AuthenticationError('the token does not name an agent (no sub claim)');
    const agent = parsed.data;
    logger.appendKeys({ agentId: agent.id });
    const route = routes[event.routeKey];
    if (!route) throw new NotFoundError(`no route ${event.routeKey}`);
    return route(event, agent);
  });
