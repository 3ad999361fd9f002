import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The plain DynamoDB client: for the webhook's dedupe store, whose few item shapes need no
 * marshaller, and under the document client (dynamodb-client.ts). A module of its own because
 * the SDK packages are not free of side effects: importing lib-dynamodb from here would put it
 * in the webhook bundle too. `endpoint` is set only locally (dynalite, DynamoDB Local).
 */
export function createDynamoDbClient(endpoint?: string): DynamoDBClient {
  return new DynamoDBClient(endpoint ? { endpoint } : {});
}
