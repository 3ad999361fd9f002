import { describe, expect, it } from 'vitest';
import { runPool } from '../../../bin/send/load.ts';

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
