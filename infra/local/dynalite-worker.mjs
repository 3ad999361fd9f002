// dynalite in a worker thread of its own (infra/local/dynamodb.ts starts it): its parsing,
// validation and LevelDB work then runs beside the handlers instead of between their requests.
// Plain JavaScript so that it starts the same under tsx, vitest and plain node.
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const { port, path } = workerData;
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });

server.once('error', (error) => parentPort.postMessage({ type: 'error', message: error.message, code: error.code }));
server.listen(port, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  server.closeAllConnections();
  server.close((error) => parentPort.postMessage({ type: 'stopped', message: error?.message }));
});
