import { mkdir } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';

export interface RunningDynamoDb {
  endpoint: string;
  stop(): Promise<void>;
}

type WorkerMessage =
  | { type: 'listening'; port: number }
  | { type: 'error'; message: string; code?: string }
  | { type: 'stopped'; message?: string };

/**
 * Starts dynalite on 127.0.0.1, in a worker thread (dynalite-worker.mjs) so that its work runs on
 * another core than the handlers'. With `path` the data lives in LevelDB under that folder and
 * survives restarts; without it everything is in memory. A port in use rejects with the
 * listener's EADDRINUSE error and that `port`, as an in-process server would.
 */
export async function startDynalite(options: { port: number; path?: string }): Promise<RunningDynamoDb> {
  if (options.path) await mkdir(options.path, { recursive: true });
  const worker = new Worker(new URL('./dynalite-worker.mjs', import.meta.url), { workerData: { port: options.port, path: options.path } });
  const next = () =>
    new Promise<WorkerMessage>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the dynalite worker exited with code ${code}`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (message: WorkerMessage) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        resolve(message);
      });
    });
  const started = await next().catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  if (started.type !== 'listening') {
    await worker.terminate();
    throw Object.assign(new Error(`dynalite could not listen on 127.0.0.1:${options.port}: ${started.message}`), {
      code: started.type === 'error' ? started.code : undefined,
      port: options.port,
    });
  }
  return {
    endpoint: `http://127.0.0.1:${started.port}`,
    async stop() {
      const stopped = next();
      worker.postMessage('stop');
      const outcome = await stopped.finally(() => worker.terminate());
      if (outcome.type === 'stopped' && outcome.message) throw new Error(`dynalite did not stop cleanly: ${outcome.message}`);
    },
  };
}

/** A DynamoDB client for a local endpoint, with placeholder credentials so the SDK never looks further. */
export function localDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Creates each table that does not exist yet and waits until it is ACTIVE. Safe to repeat. */
export async function ensureTables(client: DynamoDBClient, tables: CreateTableCommandInput[]): Promise<void> {
  for (const table of tables) {
    try {
      await client.send(new CreateTableCommand(table));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilActive(client, table.TableName!);
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
      if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    if (Date.now() > deadline) throw new Error(`DynamoDB table ${tableName} did not become ACTIVE within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
