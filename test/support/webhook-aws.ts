import { BatchWriteItemCommand, DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * The webhook function's AWS clients, mocked. `answerAll()` (before each test) resets them so that
 * every call succeeds: the bus takes every event, and every dedupe key is new, until a test says
 * otherwise through `eventBridge` or `dynamo`.
 */
export function mockWebhookAws() {
  const eventBridge = mockClient(EventBridgeClient);
  const dynamo = mockClient(DynamoDBClient);
  return {
    eventBridge,
    dynamo,
    answerAll(): void {
      eventBridge.reset();
      eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
      dynamo.reset();
      dynamo.on(PutItemCommand).resolves({});
      dynamo.on(BatchWriteItemCommand).resolves({});
      dynamo.on(DeleteItemCommand).resolves({});
    },
  };
}
