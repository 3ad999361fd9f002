import { vi } from 'vitest';

/**
 * Runs `work` to its end with every timer it sets (retry waits, backoff) played out on vitest's
 * fake timers, and says how it ended. Call vi.useFakeTimers() first.
 */
export async function settled<T>(work: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const outcome = work.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.runAllTimersAsync();
  return outcome;
}
