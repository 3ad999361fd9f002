import { retry, type RetryPolicy } from '#domain/concurrency';

// What the AWS SDK itself counts as throttling or transient (@smithy/core's retry
// classification, which redress does not depend on directly), plus the "try again" errors
// DynamoDB and EventBridge document. A condition failure, a validation error or an access
// denial is none of these: repeating it cannot help.
const THROTTLING = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
const UNAVAILABLE = new Set([
  'InternalException',
  'InternalFailure',
  'InternalServerError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
]);
const UNAVAILABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** A batch write DynamoDB took only part of: it leaves the rest unprocessed when it throttles them. */
export class UnprocessedItemsError extends Error {
  override readonly name = 'UnprocessedItemsError';
}

/**
 * Whether `error` says an AWS service was throttling or briefly unavailable, so the same call may
 * well succeed shortly (and a caller of ours should be told to retry, not that we failed).
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof UnprocessedItemsError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $retryable, $metadata } = error as { name?: unknown; code?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (name === 'AbortError') return false;
  return (
    (typeof name === 'string' && (THROTTLING.has(name) || UNAVAILABLE.has(name))) ||
    $retryable !== undefined ||
    (typeof $metadata?.httpStatusCode === 'number' && UNAVAILABLE_STATUS.has($metadata.httpStatusCode)) ||
    (typeof code === 'string' && NETWORK.has(code))
  );
}

/**
 * For a write that records a side effect already done: events published, a reply posted. Lost,
 * it would have the side effect repeated once the runner's lease runs out, so it is worth a few
 * seconds. 10 attempts, waits from 50 ms doubling to 1 s (5.6 s of waiting at most: DynamoDB
 * measures a partition's capacity per second), and none ending more than 6 s after
 * the first attempt, should the calls themselves be slow. That stays well inside the leases
 * these writes end (the outbox's 30 s, taken just before publishing; a reply's 60 s) and the
 * functions' timeouts (enqueue 30 s, support API 10 s, reply 45 s after at most 35 s of sending;
 * infra/topology.ts).
 */
export const RECORD_DONE: RetryPolicy = { attempts: 10, firstDelayMs: 50, maxDelayMs: 1_000, budgetMs: 6_000 };

/** `work` again while it fails transiently, within `policy`; see `retry` for why not the SDK's retries. */
export function retryTransient<T>(work: () => Promise<T>, policy: RetryPolicy = RECORD_DONE): Promise<T> {
  return retry(work, { ...policy, retryable: isTransient });
}
