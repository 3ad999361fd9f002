/** `work` over every item with at most `limit` running at once; results in input order. */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** How hard `retry` tries: waits doubling from `firstDelayMs` up to `maxDelayMs`, each jittered. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** No wait may end later than this long after the first attempt began. */
  budgetMs: number;
}

export interface RetryOptions extends RetryPolicy {
  /** Whether a failure is worth another attempt; any other is thrown at once. */
  retryable: (error: unknown) => boolean;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds, for the budget. */
  clock?: () => number;
  /** In [0, 1), for the jitter. */
  random?: () => number;
}

/**
 * `work` until it succeeds, fails in a way `retryable` rejects, or the policy is spent; then the
 * last error is thrown. Each wait is drawn between half and all of its step, so runners throttled
 * together do not come back together. Our own loop rather than the AWS SDK's retries: the SDK's
 * retry quota drains under sustained throttling (a retried call that ends in a condition failure
 * never gives its tokens back) and then it stops retrying at all.
 */
export async function retry<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)), clock = Date.now, random = Math.random } = options;
  const started = clock();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= options.attempts || !options.retryable(error)) throw error;
      const step = Math.min(options.maxDelayMs, options.firstDelayMs * 2 ** (attempt - 1));
      const wait = step / 2 + random() * (step / 2);
      if (clock() - started + wait > options.budgetMs) throw error;
      await sleep(wait);
    }
  }
}
