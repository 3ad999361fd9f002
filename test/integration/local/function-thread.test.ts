import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFunctionThread, type ThreadedFunction } from '#infra/local/function-thread';
import { invoke } from '#infra/local/invoke';
import { functions } from '#infra/topology';

const ENTRY = pathToFileURL(path.resolve(import.meta.dirname, '../../fixtures/local/echo-handler.ts')).href;

describe('a local function in a worker thread', () => {
  const started: ThreadedFunction[] = [];
  afterEach(async () => {
    for (const fn of started.splice(0)) await fn.stop();
    delete process.env.REDRESS_THREAD_TEST;
  });
  const start = async (name = 'echo') => {
    const fn = await startFunctionThread(name, functions.enqueue, ENTRY);
    started.push(fn);
    return fn;
  };

  it('runs the handler with a context of its own and the environment set before it started', async () => {
    process.env.REDRESS_THREAD_TEST = 'seen at start';
    const fn = await start('enqueue-local');
    process.env.REDRESS_THREAD_TEST = 'changed later';

    await expect(invoke(fn, { value: { post: 'é ✈️' } })).resolves.toEqual({
      value: { post: 'é ✈️' },
      functionName: 'enqueue-local',
      fromEnv: 'seen at start',
    });
  });

  it("rethrows the handler's failure with its name and message, so the bus retries it as it would in this thread", async () => {
    const fn = await start();
    const failure = await invoke(fn, { fail: 'try again later' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({ name: 'PlatformDown', message: 'try again later' });
  });

  it('answers invocations in flight side by side, each with its own result', async () => {
    const fn = await start();
    const results = await Promise.all([3, 1, 2].map((value) => invoke(fn, { value, delayMs: value * 20 })));
    expect(results.map((result) => (result as { value: number }).value)).toEqual([3, 1, 2]);
  });

  it('waits for the invocations in flight before it stops', async () => {
    const fn = await startFunctionThread('echo', functions.enqueue, ENTRY);
    const slow = invoke(fn, { value: 'finished', delayMs: 150 });
    await fn.stop();
    await expect(slow).resolves.toMatchObject({ value: 'finished' });
    await expect(invoke(fn, { value: 'too late' })).rejects.toThrow(/worker thread exited/);
  });
});
