import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The AWS clients, built once per cold start by each handler. `endpoint` is set only locally
 * (dynalite, DynamoDB Local, the local bus); in AWS the SDK resolves the regional endpoint.
 */
export function createDocumentClient(endpoint?: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(endpoint ? { endpoint } : {}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function createEventBridgeClient(endpoint?: string): EventBridgeClient {
  return new EventBridgeClient(endpoint ? { endpoint } : {});
}
