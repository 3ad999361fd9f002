import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { ThrottlingException as EventBridgeThrottlingException } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { isTransient, UnprocessedItemsError } from '#adapters/transient-errors';
import { PublishError } from '#domain/errors';

/** An AWS error as the SDK builds one for an error code it has no class for. */
const awsError = (name: string, httpStatusCode = 400, extra: object = {}) => Object.assign(new Error(`${name}: try again`), { name, $metadata: { httpStatusCode }, ...extra });

describe('isTransient', () => {
  it.each([
    ['DynamoDB ProvisionedThroughputExceededException', new ProvisionedThroughputExceededException({ message: 'throughput exceeded', $metadata: { httpStatusCode: 400 } })],
    ['DynamoDB ThrottlingException', new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: { httpStatusCode: 400 } })],
    ['DynamoDB InternalServerError', new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } })],
    ['EventBridge ThrottlingException', new EventBridgeThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } })],
    ['RequestLimitExceeded', awsError('RequestLimitExceeded')],
    ['ServiceUnavailable', awsError('ServiceUnavailable', 503)],
    ['InternalFailure', awsError('InternalFailure', 500)],
    ['an error the SDK marks retryable', awsError('SomethingNew', 400, { $retryable: { throttling: true } })],
    ['any 503 answer', awsError('UnknownError', 503)],
    ['a 429 answer', awsError('UnknownError', 429)],
    ['a connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a batch DynamoDB took only part of', new UnprocessedItemsError('DynamoDB left 3 dedupe record(s) unwritten')],
  ])('says %s is worth trying again', (_, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['a condition failure', new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 } })],
    ['a cancelled transaction', new TransactionCanceledException({ message: 'cancelled', $metadata: { httpStatusCode: 400 } })],
    ['a validation error', awsError('ValidationException')],
    ['an access denial', awsError('AccessDeniedException')],
    ['an aborted call', awsError('AbortError', 503)],
    ['a plain error of ours', new Error('the classifier answered 1 of 2 posts')],
    ['events the bus did not take (mapped on their own)', new PublishError('PutEvents failed', [0])],
    ['something that is not an error', 'ThrottlingException'],
    ['nothing', undefined],
  ])('says %s is not', (_, error) => {
    expect(isTransient(error)).toBe(false);
  });
});
