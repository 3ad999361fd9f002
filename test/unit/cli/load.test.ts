import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Delivery } from '../../../bin/send/deliveries.ts';
import { runPaced, runPool, type RequestOutcome, type Sender } from '../../../bin/send/load.ts';
import { sendPosts } from '../../../bin/send/send-posts.ts';

describe('the request pool', () => {
  it('keeps exactly the given number of items in flight until they run out, taking them in order', async () => {
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    await runPool(
      Array.from({ length: 20 }, (_, index) => index),
      4,
      async (item) => {
        started.push(item);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1 + (item % 3)));
        inFlight--;
      },
    );
    expect(most).toBe(4);
    expect(started).toEqual(Array.from({ length: 20 }, (_, index) => index));
  });

  it('puts neighbouring items in flight together, which is how copies of a delivery arrive at once', async () => {
    const overlapping = new Set<string>();
    const running = new Set<string>();
    await runPool(['a', 'a', 'a', 'b', 'b', 'b'].map((name, copy) => `${name}${copy % 3}`), 3, async (item) => {
      running.add(item);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if ([...running].filter((other) => other[0] === item[0]).length === 3) overlapping.add(item[0]!);
      running.delete(item);
    });
    expect([...overlapping].sort()).toEqual(['a', 'b']);
  });

  it('takes items from a generator lazily, one as each slot frees', async () => {
    const taken: number[] = [];
    function* items() {
      for (let index = 0; index < 3; index++) {
        taken.push(index);
        yield index;
      }
    }
    const seen: number[][] = [];
    await runPool(items(), 1, async () => {
      seen.push([...taken]);
    });
    expect(seen).toEqual([[0], [0, 1], [0, 1, 2]]);
  });
});

// The schedule is checked on a fake clock (setTimeout and performance.now), where "work takes
// 250 ms" is exact, so these tests say the same thing on a busy machine as on an idle one.
const SECRET = `whsec_${Buffer.from('a test webhook secret, 32 bytes!').toString('base64')}`;

describe('sending at a fixed rate', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  interface Started {
    item: string;
    dueAt: number;
    at: number;
  }

  /** Runs the pacer to the end on the fake clock; each item takes `takesMs(item)` of fake time. */
  async function pace(items: Iterable<string>, options: { perSecond: number; together?: number; concurrency: number }, takesMs: (item: string) => number) {
    const origin = performance.now();
    const started: Started[] = [];
    let inFlight = 0;
    let most = 0;
    const run = runPaced(items, { together: 1, ...options }, async (item, dueAt) => {
      started.push({ item, dueAt: dueAt - origin, at: performance.now() - origin });
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, takesMs(item)));
      inFlight--;
    });
    await vi.runAllTimersAsync();
    await run;
    return { started, most };
  }

  const letters = (count: number) => Array.from({ length: count }, (_, index) => String.fromCharCode(97 + index));

  it('starts one item every 1/n seconds from the start, without waiting for earlier ones to finish', async () => {
    const { started, most } = await pace(letters(6), { perSecond: 10, concurrency: 64 }, () => 250);
    expect(started).toEqual(letters(6).map((item, index) => ({ item, dueAt: index * 100, at: index * 100 })));
    expect(most).toBe(3);
  });

  it('takes a fractional rate: at 0.5 a second, one item every 2 s', async () => {
    const { started } = await pace(letters(3), { perSecond: 0.5, concurrency: 8 }, () => 10);
    expect(started.map(({ at }) => at)).toEqual([0, 2000, 4000]);
  });

  it('makes the copies of one delivery due at the same instant', async () => {
    const { started } = await pace(['a', 'a', 'a', 'b', 'b', 'b'], { perSecond: 20, together: 3, concurrency: 8 }, () => 10);
    expect(started.map(({ item, dueAt, at }) => `${item}@${dueAt}/${at}`)).toEqual(['a@0/0', 'a@0/0', 'a@0/0', 'b@50/50', 'b@50/50', 'b@50/50']);
  });

  it('holds a due item until one of the --concurrency requests in flight finishes, and keeps its due time', async () => {
    const { started, most } = await pace(letters(5), { perSecond: 10, concurrency: 2 }, () => 1000);
    expect(most).toBe(2);
    expect(started).toEqual([
      { item: 'a', dueAt: 0, at: 0 },
      { item: 'b', dueAt: 100, at: 100 },
      { item: 'c', dueAt: 200, at: 1000 },
      { item: 'd', dueAt: 300, at: 1100 },
      { item: 'e', dueAt: 400, at: 2000 },
    ]);
  });

  it('catches up after a slow item instead of shifting the rest of the schedule', async () => {
    const { started } = await pace(letters(5), { perSecond: 10, concurrency: 1 }, (item) => (item === 'a' ? 350 : 10));
    expect(started.map(({ at }) => at)).toEqual([0, 350, 360, 370, 400]);
    expect(started.map(({ dueAt }) => dueAt)).toEqual([0, 100, 200, 300, 400]);
  });

  it('takes an item only once the one before it was due, so a delivery is signed at most one interval early', async () => {
    const origin = performance.now();
    const taken: number[] = [];
    function* items() {
      for (let index = 0; index < 4; index++) {
        taken.push(performance.now() - origin);
        yield index;
      }
    }
    const run = runPaced(items(), { perSecond: 4, together: 1, concurrency: 8 }, async () => {});
    await vi.runAllTimersAsync();
    await run;
    expect(taken).toEqual([0, 0, 250, 500]);
  });

  it('stops the schedule when an item fails, and throws once the items already started have finished', async () => {
    const origin = performance.now();
    const finished: string[] = [];
    const run = runPaced(letters(5), { perSecond: 10, together: 1, concurrency: 8 }, async (item) => {
      if (item === 'b') throw new Error('b failed');
      await new Promise((resolve) => setTimeout(resolve, 250));
      finished.push(`${item}@${performance.now() - origin}`);
    });
    const outcome = run.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    await vi.runAllTimersAsync();
    expect(await outcome).toBe('b failed');
    expect(finished).toEqual(['a@250']);
  });

  it('counts latency from when a request was due, so waiting for a free slot counts against the stack', async () => {
    // Every request takes 40 ms once written, one at a time, while one is due every 10 ms: the
    // fifth is written 120 ms after it was due, and its latency is 160 ms, not 40.
    const sender: Sender = {
      send: (_delivery: Delivery) =>
        new Promise<RequestOutcome>((resolve) => setTimeout(() => resolve({ kind: 'response', status: 200, body: '{"accepted":1}', ms: 40 }), 40)),
      close: () => {},
    };
    const posts = letters(5).map((text) => ({ text }));
    const run = sendPosts({ url: 'http://127.0.0.1:1', platform: 'generic', posts, rate: 100, concurrency: 1, secret: SECRET, sender });
    await vi.runAllTimersAsync();
    const summary = await run;

    expect(summary.latencyMs).toEqual({ p50: 100, p95: 160, p99: 160, max: 160 });
    // Five deliveries in 170 ms: the last went out at 160 ms, plus its 10 ms interval.
    expect(summary.rate).toEqual({ askedPerSecond: 100, achievedPerSecond: expect.closeTo(5 / 0.17, 6), maxBehindMs: 120 });
    expect(summary.durationMs).toBe(200);
  });

  it('keeps the closed loop when no rate is given: latency is the time the request took', async () => {
    const sender: Sender = {
      send: () => new Promise<RequestOutcome>((resolve) => setTimeout(() => resolve({ kind: 'response', status: 200, body: '{}', ms: 40 }), 40)),
      close: () => {},
    };
    const run = sendPosts({ url: 'http://127.0.0.1:1', platform: 'generic', posts: letters(5).map((text) => ({ text })), concurrency: 1, secret: SECRET, sender });
    await vi.runAllTimersAsync();
    const summary = await run;

    expect(summary.latencyMs).toEqual({ p50: 40, p95: 40, p99: 40, max: 40 });
    expect(summary.rate).toBeUndefined();
    expect(summary.durationMs).toBe(200);
  });
});
