import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The plain DynamoDB client, for the webhook's dedupe store, whose few item shapes need no
 * marshaller (the document client is in dynamodb-client.ts). A module of its own because
 * the SDK packages are not free of side effects: importing lib-dynamodb from here would put it
 * in the webhook bundle too. `endpoint` is set only locally (dynalite, DynamoDB Local).
 *
 * `cacheMiddleware`: the client resolves each command type's middleware stack once instead of
 * on every call (a clone, a sort and a few hundred closures per send otherwise). Nothing in
 * redress changes a client's middleware after its first call, which is the option's one condition.
 */
export function createDynamoDbClient(endpoint?: string): DynamoDBClient {
  return new DynamoDBClient({ cacheMiddleware: true, ...(endpoint ? { endpoint } : {}) });
}
