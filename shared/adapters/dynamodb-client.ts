import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The DynamoDB document client, built once per cold start by each handler that needs it.
 * `endpoint` is set only locally (dynalite, DynamoDB Local); in AWS the SDK resolves the
 * regional endpoint. Kept apart from the EventBridge client: the SDK packages are not free of
 * side effects, so a shared module would put both clients in every bundle. The document client
 * refuses a client with `cacheMiddleware` (see dynamodb-plain-client.ts), so it gets its own.
 */
export function createDocumentClient(endpoint?: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(endpoint ? { endpoint } : {}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

