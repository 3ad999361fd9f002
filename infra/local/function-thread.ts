import { Worker } from 'node:worker_threads';
import type { FunctionSpec } from '#infra/topology';
import type { LocalFunction } from './invoke.ts';

export interface ThreadedFunction extends LocalFunction {
  /** Waits for the invocations in flight, then ends the thread. */
  stop(): Promise<void>;
}

type Reply = { id: number; result?: unknown; error?: { name: string; message: string; stack?: string } } | { ready: true };

/**
 * A local function whose handler runs in a worker thread of its own (function-worker.mjs): its
 * SDK calls and domain work then use another core than the HTTP API's handlers. The worker
 * copies process.env when it starts, so the handler sees the environment set before this call,
 * as a Lambda function sees the environment it was deployed with. A handler's failure comes
 * back as an Error with the handler's name, message and stack, so retries and logs read the same.
 */
export async function startFunctionThread(name: string, spec: FunctionSpec, entry: string): Promise<ThreadedFunction> {
  // execArgv: [] so that the worker does not inherit the parent's loaders (tsx, vitest); it
  // registers tsx itself.
  const worker = new Worker(new URL('./function-worker.mjs', import.meta.url), { workerData: { name, spec, entry }, execArgv: [] });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  let exited: Error | undefined;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(new Error(`${name} could not start in its worker thread: ${error.message}`, { cause: error }));
    worker.once('error', onError);
    worker.once('message', () => {
      worker.off('error', onError);
      resolve();
    });
  });
  worker.on('message', (reply: Reply) => {
    if ('ready' in reply) return;
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (!reply.error) waiting?.resolve(reply.result);
    else waiting?.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, stack: reply.error.stack }));
  });
  const failAll = (error: Error) => {
    exited = error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  worker.on('error', (error) => failAll(new Error(`${name}'s worker thread failed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => failAll(new Error(`${name}'s worker thread exited (code ${code})`)));

  return {
    name,
    spec,
    handler: (event) =>
      new Promise((resolve, reject) => {
        if (exited) return reject(exited);
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, event });
      }),
    async stop() {
      const inFlight = [...pending.values()].map(
        (waiting) => new Promise<void>((settled) => {
          const { resolve, reject } = waiting;
          waiting.resolve = (value) => (resolve(value), settled());
          waiting.reject = (error) => (reject(error), settled());
        }),
      );
      await Promise.all(inFlight);
      await worker.terminate();
    },
  };
}
