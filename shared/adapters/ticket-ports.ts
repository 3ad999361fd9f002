import { envVar } from '#config/runtime-env';
import { createDocumentClient } from './dynamodb-client.ts';
import { EventBridgePublisher } from './event-publisher.ts';
import { createEventBridgeClient } from './eventbridge-client.ts';
import { DynamoTicketRepository } from './ticket-repository.ts';

/** The environment a function that changes tickets needs: the table and the bus. */
export const ticketPortsEnv = {
  TABLE_NAME: envVar.tableName,
  EVENT_BUS_NAME: envVar.busName,
  DYNAMODB_ENDPOINT: envVar.endpoint,
  EVENTBRIDGE_ENDPOINT: envVar.endpoint,
};

/** The ticket repository and the event publisher, wired once per cold start, and their DynamoDB client for other readers of the table. */
export function ticketPorts(
  env: { TABLE_NAME: string; EVENT_BUS_NAME: string; DYNAMODB_ENDPOINT?: string; EVENTBRIDGE_ENDPOINT?: string },
  retentionDays: number,
) {
  const documentClient = createDocumentClient(env.DYNAMODB_ENDPOINT);
  return {
    documentClient,
    tickets: new DynamoTicketRepository(documentClient, env.TABLE_NAME, retentionDays),
    events: new EventBridgePublisher(createEventBridgeClient(env.EVENTBRIDGE_ENDPOINT), env.EVENT_BUS_NAME),
  };
}
