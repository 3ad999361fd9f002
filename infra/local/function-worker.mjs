// One local function in a worker thread of its own (infra/local/function-thread.ts starts it),
// as Lambda gives each function its own environment: the handler module is loaded here once,
// a cold start, and every invocation message gets its own context. TypeScript is compiled on
// the fly with tsx, as for `npm start` and the CLI; the file itself is JavaScript so that it
// starts the same under tsx, vitest and plain node.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { lambdaContext } = await import('./invoke.ts');
const { handler } = await import(workerData.entry);

parentPort.on('message', async ({ id, event }) => {
  try {
    const result = await handler(event, lambdaContext(workerData.name, workerData.spec));
    parentPort.postMessage({ id, result });
  } catch (error) {
    const { name = 'Error', message = String(error), stack } = error instanceof Error ? error : {};
    parentPort.postMessage({ id, error: { name, message, stack } });
  }
});
parentPort.postMessage({ ready: true });
