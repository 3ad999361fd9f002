import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { ticketTableCreateInput } from '#adapters/ticket-table';
import { ensureTables, localDynamoDbClient, startDynalite, type RunningDynamoDb } from '#infra/local/dynamodb';

describe('dynalite in its worker thread', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const started = async (options: Parameters<typeof startDynalite>[0]): Promise<RunningDynamoDb> => {
    const dynamo = await startDynalite(options);
    cleanups.push(() => dynamo.stop().catch(() => undefined));
    return dynamo;
  };

  it('keeps tables on disk across a stop and a start when given a path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'redress-dynalite-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));

    const first = await startDynalite({ port: 0, path: dir });
    await ensureTables(localDynamoDbClient(first.endpoint), [ticketTableCreateInput('persisted')]);
    await first.stop();

    const second = await started({ port: 0, path: dir });
    const { TableNames } = await localDynamoDbClient(second.endpoint).send(new ListTablesCommand({}));
    expect(TableNames).toEqual(['persisted']);
  });

  it('rejects with EADDRINUSE and the port when the port is taken, as a server in this thread would', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const { port } = blocker.address() as { port: number };

    await expect(startDynalite({ port })).rejects.toMatchObject({ code: 'EADDRINUSE', port });
  });

  it('stops so that its port is free again', async () => {
    const dynamo = await startDynalite({ port: 0 });
    const port = Number(new URL(dynamo.endpoint).port);
    await dynamo.stop();
    const again = await started({ port });
    expect(again.endpoint).toBe(`http://127.0.0.1:${port}`);
  });
});
