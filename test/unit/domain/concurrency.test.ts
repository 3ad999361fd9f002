import { describe, expect, it } from 'vitest';
import { mapWithLimit, retry, type RetryOptions } from '#domain/concurrency';

class Busy extends Error {}
class Refused extends Error {}

/** A retry with a clock that moves only when it sleeps, and a jitter fixed at `random`. */
function harness(policy: Partial<RetryOptions> = {}, random = 0.5) {
  let now = 0;
  const sleeps: number[] = [];
  const options: RetryOptions = {
    attempts: 10,
    firstDelayMs: 50,
    maxDelayMs: 2_000,
    budgetMs: 60_000,
    retryable: (error) => error instanceof Busy,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    clock: () => now,
    random: () => random,
    ...policy,
  };
  /** Work that fails with each of `failures` in turn, then answers 'done'; it counts its calls. */
  const run = (failures: Error[]) => {
    let calls = 0;
    const result = retry(async () => {
      calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'done';
    }, options);
    return { result, calls: () => calls };
  };
  return { run, sleeps, elapsed: () => now };
}

describe('retry', () => {
  it('answers with the first success, trying no more', async () => {
    const { run, sleeps } = harness();
    const work = run([new Busy(), new Busy(), new Busy()]);
    await expect(work.result).resolves.toBe('done');
    expect(work.calls()).toBe(4);
    expect(sleeps).toHaveLength(3);
  });

  it('throws a failure the caller says is not worth repeating at once', async () => {
    const { run, sleeps } = harness();
    const refused = new Refused('the condition failed');
    const work = run([new Busy(), refused]);
    await expect(work.result).rejects.toBe(refused);
    expect(work.calls()).toBe(2);
    expect(sleeps).toHaveLength(1);
  });

  it('gives up after its attempts, throwing the last failure', async () => {
    const { run } = harness({ attempts: 4 });
    const last = new Busy('fourth');
    const work = run([new Busy(), new Busy(), new Busy(), last, new Busy()]);
    await expect(work.result).rejects.toBe(last);
    expect(work.calls()).toBe(4);
  });

  it('waits twice as long each time up to the cap, each wait between half and all of its step', async () => {
    const low = harness({}, 0);
    await low.run(Array.from({ length: 9 }, () => new Busy())).result;
    expect(low.sleeps).toEqual([25, 50, 100, 200, 400, 800, 1_000, 1_000, 1_000]);
    const high = harness({}, 0.999_999);
    await high.run(Array.from({ length: 9 }, () => new Busy())).result;
    expect(high.sleeps.map(Math.round)).toEqual([50, 100, 200, 400, 800, 1_600, 2_000, 2_000, 2_000]);
  });

  it('starts no wait that would end past its budget, counting the time the attempts took', async () => {
    const { run, elapsed } = harness({ budgetMs: 1_000 }, 0.999_999);
    const work = run(Array.from({ length: 20 }, () => new Busy()));
    await expect(work.result).rejects.toBeInstanceOf(Busy);
    // 50 + 100 + 200 + 400 = 750 ms; the next wait (800) would end at 1,550 ms.
    expect(work.calls()).toBe(5);
    expect(elapsed()).toBeLessThanOrEqual(1_000);
  });
});

describe('mapWithLimit', () => {
  it('keeps results in input order with at most `limit` running at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapWithLimit([5, 1, 4, 2, 3], 2, async (n, index) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return `${index}:${n}`;
    });
    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3']);
    expect(most).toBe(2);
  });
});
