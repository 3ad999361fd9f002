import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/** The EventBridge client, built once per cold start; `endpoint` is set only for the local bus. */
export function createEventBridgeClient(endpoint?: string): EventBridgeClient {
  return new EventBridgeClient(endpoint ? { endpoint } : {});
}
