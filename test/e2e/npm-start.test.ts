import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { issueDevToken } from '#infra/local/dev-auth';
import { DEV_SECRETS } from '#infra/local/dev-secrets';

import { eventually, genericPost, signedHeaders } from '#test/support/signed-post';

const ROOT = path.resolve(import.meta.dirname, '../..');
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

/** Runs the local stack as `npm start` does (tsx infra/local/start.ts), on free ports. */
async function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DYNAMODB_PORT: '0', EVENTBRIDGE_PORT: '0', FAKE_PLATFORM_PORT: '0', REDRESS_DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await eventually(async () => /HTTP API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1], 30_000).catch(() => {
    throw new Error(`the stack did not start:\n${output}`);
  });
  return { child, url, output: () => output };
}

async function stop({ child }: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  return exited;
}

describe('npm start', () => {
  it('prints its endpoints and dev secrets, stops cleanly on Ctrl-C, and keeps tickets across restarts', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'redress-start-'));
    const first = await start(dataDir);
    expect(first.output()).toContain(`WEBHOOK_SECRETS=${DEV_SECRETS.WEBHOOK_SECRETS}`);
    expect(first.output()).toContain(`LOCAL_JWT_SECRET=${DEV_SECRETS.LOCAL_JWT_SECRET}`);
    expect(first.output()).toMatch(/EventBridge\s+http:\/\/127\.0\.0\.1:\d+\s+bus redress/);
    expect(first.output()).toMatch(/Platforms\s+http:\/\/127\.0\.0\.1:\d+\s+fake X and Graph APIs/);

    const body = genericPost('restart-1', 'They lost my luggage in Madrid, where is it?');
    const response = await fetch(`${first.url}/webhooks/generic`, { method: 'POST', headers: signedHeaders(body, DEV_SECRETS.WEBHOOK_SECRETS), body });
    expect(response.status).toBe(200);
    const token = await issueDevToken({ agent: 'ana', queues: ['baggage'], ttlSeconds: 600 }, DEV_SECRETS.LOCAL_JWT_SECRET);
    const listed = async (url: string) => {
      const page = (await (await fetch(`${url}/api/queues/baggage/tickets`, { headers: { authorization: `Bearer ${token}` } })).json()) as { tickets: Array<{ firstPostId: string }> };
      return page.tickets.find((ticket) => ticket.firstPostId === 'restart-1');
    };
    await eventually(() => listed(first.url));

    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('stopped cleanly.');

    const second = await start(dataDir);
    expect(await listed(second.url)).toBeDefined();
    expect(await stop(second)).toBe(0);
  }, 90_000);
});
