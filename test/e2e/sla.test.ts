import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '#contracts/ticket';
import { issueDevToken } from '#infra/local/dev-auth';
import { localDynamoDbClient } from '#infra/local/dynamodb';
import { LOCAL_TABLE_NAME, type LocalStack } from '#infra/local/start';
import { startTestStack } from '#test/support/local-stack';
import { aTicket, ticketItem } from '#test/support/ticket-items';
import { runSlaWatch } from '../../bin/sla/watch.ts';

// `npx redress sla` as a person runs it: a separate node process calling the support API of the
// local stack (started here, in memory), over tickets written straight into its table in every
// state the report tells apart.
const ROOT = path.resolve(import.meta.dirname, '../..');
let stack: LocalStack;
let client: DynamoDBDocumentClient;

// Tickets created on 22 November 2026, for the report.
const REPORTED: Ticket[] = [
  aTicket({ createdAt: '2026-11-22T09:00:00.000Z', firstResponseAt: '2026-11-22T09:04:12.000Z' }),
  aTicket({ createdAt: '2026-11-22T09:10:00.000Z', status: 'solved', firstResponseAt: '2026-11-22T09:40:00.000Z' }),
  aTicket({ createdAt: '2026-11-22T09:20:00.000Z', firstResponseAt: '2026-11-22T10:40:00.000Z' }),
  aTicket({ createdAt: '2026-11-22T09:30:00.000Z', status: 'closed', breachedAt: '2026-11-22T10:30:01.000Z' }),
  aTicket({ createdAt: '2026-11-22T09:40:00.000Z', status: 'pending_customer' }),
  aTicket({ createdAt: '2026-11-22T09:50:00.000Z', queue: 'safety', priority: 'P1', targetSeconds: 900, firstResponseAt: '2026-11-22T09:52:00.000Z' }),
  aTicket({ createdAt: '2026-11-21T09:00:00.000Z' }),
];

beforeAll(async () => {
  stack = await startTestStack({ inMemory: true });
  client = DynamoDBDocumentClient.from(localDynamoDbClient(stack.dynamoDbEndpoint), { marshallOptions: { removeUndefinedValues: true } });
  for (const ticket of REPORTED) await put(ticket);
});
afterAll(async () => {
  client?.destroy();
  await stack?.stop();
});

async function put(ticket: Ticket): Promise<void> {
  await client.send(new PutCommand({ TableName: LOCAL_TABLE_NAME, Item: ticketItem(ticket) }));
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI in a process of its own; `until` sends it Ctrl-C once its output says enough. */
function redress(args: string[], until?: (stdout: string) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const { REDRESS_CONFIG: _config, REDRESS_URL: _url, ...inherited } = process.env;
    const child = spawn(process.execPath, ['bin/redress.js', 'sla', ...args], {
      cwd: ROOT,
      env: { ...inherited, REDRESS_URL: stack.url, LOCAL_JWT_SECRET: stack.secrets.LOCAL_JWT_SECRET },
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until && !interrupted && until(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const DAY = ['--from', '2026-11-22T00:00:00Z', '--to', '2026-11-23T00:00:00Z'];

describe('npx redress sla', () => {
  it('prints the report of the local stack as a table, with a local token for every queue by default', async () => {
    const run = await redress(DAY);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`First-response SLA, tickets created from 2026-11-22T00:00:00Z to 2026-11-23T00:00:00Z (${stack.url})`);
    const rows = run.stdout.split('\n').filter((line) => /^ {2}(safety|delays) /.test(line));
    expect(rows.map((line) => line.trim().split(/\s+/))).toEqual([
      ['safety', 'P1', '1', '1', '0', '0', '100.0', '2m00s', '2m00s'],
      ['delays', 'P2', '5', '2', '2', '1', '50.0', '30m00s', '1h20m'],
    ]);
  });

  it("shows only the queues the token's agent works", async () => {
    const token = await issueDevToken({ agent: 'ana', queues: ['delays'], ttlSeconds: 600 }, stack.secrets.LOCAL_JWT_SECRET);
    const run = await redress([...DAY, '--token', token]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}delays +P2 /m);
    expect(run.stdout).not.toMatch(/^ {2}safety /m);
  });

  it('exits 1 showing the API message when the API refuses the period', async () => {
    const run = await redress(['--from', '2026-01-01T00:00:00Z', '--to', '2026-06-01T00:00:00Z']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('redress: /api/reports/sla answered 400: a report covers at most 92 days; ask for several shorter periods (to: at most 92 days after from)\n');
  });

  it('exits 1 when the token is not one the stack accepts, saying where a token comes from', async () => {
    const run = await redress([...DAY, '--token', 'not-a-token']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/answered 401: Unauthorized; is the token for this stack\? `npx redress token` makes one/);
  });

  it('exits 1 when nothing answers at the URL, saying to start the stack', async () => {
    const closed = await freePort();
    const run = await redress([...DAY, '--url', `http://127.0.0.1:${closed}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach the support API at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): is npm start running\?/);
  });

  it.each([
    [['--from', 'yesterday'], /--from takes ISO 8601/],
    [['--from', '2026-11-23T00:00Z', '--to', '2026-11-22T00:00Z'], /--from \(2026-11-23T00:00:00.000Z\) is after --to/],
    [['--watch', '--from', '1h'], /--watch shows the tickets at risk now/],
    [['--watch', '--interval', '0s'], /--interval takes a time from 1s to 60m/],
    [['--interval', '5s'], /--interval is for --watch/],
    [['--url', 'ftp://example.com'], /--url wants the HTTP API's http\(s\) URL/],
    [['--colour'], /Unknown option '--colour'/],
  ])('exits 2 with the usage for %j', async (args, message) => {
    const run = await redress(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('Usage: npx redress');
  });
});

describe('npx redress sla --watch', () => {
  it('prints the at-risk tickets under a timestamp line at each refresh when not on a terminal, and stops at Ctrl-C with 0', async () => {
    const now = Date.now();
    // Due (a one-hour target) 3 minutes ago, in 4 minutes, and in an hour.
    const dueIn = (seconds: number, fields: Parameters<typeof aTicket>[0]) =>
      aTicket({ createdAt: new Date(now - 3600_000 + seconds * 1000).toISOString(), ...fields });
    await put(dueIn(-180, { id: 'tkt_watchoverdue', preview: 'Still stuck at the gate, nobody answers' }));
    await put(dueIn(240, { id: 'tkt_watchsoon', queue: 'safety', priority: 'P1', status: 'open', preview: 'Allergic reaction on board' }));
    await put(dueIn(3600, { id: 'tkt_watchlater' }));

    const run = await redress(['--watch', '--interval', '1s'], (stdout) => (stdout.match(/^--- /gm) ?? []).length >= 2 && stdout.endsWith('\n'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const blocks = run.stdout.split(/^--- .*---$/m).slice(1);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(run.stdout).toMatch(new RegExp(`^--- \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ at-risk tickets on ${stack.url.replaceAll('.', '\\.')} ---$`, 'm'));
    const lines = blocks[0]!.split('\n');
    const overdue = lines.findIndex((line) => line.includes('tkt_watchoverdue'));
    const soon = lines.findIndex((line) => line.includes('tkt_watchsoon'));
    expect(overdue).toBeGreaterThan(0);
    expect(soon).toBeGreaterThan(overdue);
    expect(lines[overdue]).toMatch(/tkt_watchoverdue +delays +P2 +new +first_response +overdue by 3m\d\ds +Still stuck at the gate, nobody answers/);
    expect(lines[soon]).toMatch(/tkt_watchsoon +safety +P1 +open +first_response +in (?:3m\d\ds|4m00s) +Allergic reaction on board/);
    expect(blocks[0]).not.toContain('tkt_watchlater');
  });
});

describe('the watch, refresh by refresh', () => {
  /** A support API that answers every queue with no tickets, or 503 while `down`. */
  async function fakeApi(): Promise<{ url: string; server: Server; state: { down: boolean } }> {
    const state = { down: false };
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (state.down) {
        response.writeHead(503).end(JSON.stringify({ message: 'Service Unavailable' }));
      } else if (request.url === '/api/queues') {
        response.end(JSON.stringify({ queues: [{ name: 'delays' }] }));
      } else {
        response.end(JSON.stringify({ tickets: [] }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, state };
  }

  function output(isTTY: boolean) {
    const written: string[] = [];
    return { written, out: { isTTY, write: (text: string) => written.push(text) } };
  }

  it('clears the screen before each refresh on a terminal', async () => {
    const { url, server } = await fakeApi();
    const { written, out } = output(true);
    const code = await runSlaWatch({ url, token: 't', intervalMs: 10, out, frames: 2 });
    server.close();
    expect(code).toBe(0);
    expect(written).toHaveLength(2);
    for (const frame of written) {
      expect(frame.startsWith('\x1b[H\x1b[2J')).toBe(true);
      expect(frame).toContain(`redress sla --watch  ${url}`);
      expect(frame).toContain('nothing at risk: none of the 0 tickets being worked in delays is due within 15 minutes');
    }
  });

  it('shows a failure after the first refresh in place of the table, and goes on', async () => {
    const { url, server, state } = await fakeApi();
    const { written, out } = output(false);
    let refreshes = 0;
    const code = await runSlaWatch({
      url,
      token: 't',
      intervalMs: 10,
      out,
      frames: 3,
      now: () => {
        refreshes += 1;
        state.down = refreshes === 2;
        return new Date();
      },
    });
    server.close();
    expect(code).toBe(0);
    expect(written).toHaveLength(3);
    expect(written[1]).toContain('/api/queues answered 503: Service Unavailable');
    expect(written[1]).toContain('trying again in');
    expect(written[2]).toContain('nothing at risk');
  });

  it('exits 1 with the message when the first refresh fails', async () => {
    const { url, server, state } = await fakeApi();
    state.down = true;
    const errors: string[] = [];
    const code = await runSlaWatch({ url, token: 't', intervalMs: 10, out: output(false).out, err: { write: (text: string) => errors.push(text) }, frames: 3 });
    server.close();
    expect(code).toBe(1);
    expect(errors).toEqual(['redress: /api/queues answered 503: Service Unavailable\n']);
  });
});

/** A port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
