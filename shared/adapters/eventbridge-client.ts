import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/**
 * The EventBridge client, built once per cold start; `endpoint` is set only for the local bus.
 * `cacheMiddleware`: see dynamodb-plain-client.ts.
 */
export function createEventBridgeClient(endpoint?: string): EventBridgeClient {
  return new EventBridgeClient({ cacheMiddleware: true, ...(endpoint ? { endpoint } : {}) });
}
