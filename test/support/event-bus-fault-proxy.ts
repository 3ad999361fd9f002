import { randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventBusServer } from '#infra/local/event-bus/server';
import { mulberry32 } from '../../training/seeded-random.ts';
import { forward, readAll, withoutHopHeaders } from './dynamodb-fault-proxy.ts';

/**
 * An EventBridge endpoint on 127.0.0.1 in front of the local bus. While faults are on, a share of
 * the PutEvents entries (picked by a seeded PRNG) is answered as failed with `InternalFailure`,
 * the per-entry error EventBridge returns in a 200 answer (../shared/specs/eventbridge.md §4),
 * and is NOT forwarded: the bus never sees it. The other entries are forwarded in one request
 * and their answers merged back in the original order, with FailedEntryCount counting both.
 * Every other operation passes through unchanged.
 *
 * Like the DynamoDB proxy it outlives the stacks behind it (handlers read EVENTBRIDGE_ENDPOINT
 * once per import); see `behindInstalledProxy` for how a stack is put behind it.
 */
export interface EventBusFaultProxy {
  readonly url: string;
  readonly port: number;
  forwardTo(busUrl: string): void;
  /** Fails `rate` of the PutEvents entries from now on, picked by a PRNG seeded with `seed`. */
  injectFaults(options: { rate: number; seed: number }): void;
  stopFaults(): void;
  readonly counts: EventBusFaultCounts;
  close(): Promise<void>;
}

export interface EventBusFaultCounts {
  /** PutEvents entries seen while faults were on. */
  entries: number;
  /** Entries answered as failed and not forwarded. */
  failedEntries: number;
  /** PutEvents calls in which at least one entry failed. */
  callsWithFailures: number;
}

const FAILED_ENTRY = { ErrorCode: 'InternalFailure', ErrorMessage: 'An internal failure occurred. Retry the entry.' } as const;

export async function startEventBusFaultProxy(): Promise<EventBusFaultProxy> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let upstream: URL | undefined;
  let faults: { rate: number; random: () => number } | undefined;
  const counts: EventBusFaultCounts = { entries: 0, failedEntries: 0, callsWithFailures: 0 };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(`event bus fault proxy: ${String(error)}`);
      } else {
        response.destroy();
      }
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!upstream) throw new Error('no event bus to forward to yet (call forwardTo first)');
    const body = await readAll(request);
    const pass = async (forwarded: Buffer) => forward(upstream!, request.method ?? 'POST', request.url ?? '/', request.headers, forwarded, agent);
    const isPutEvents = request.headers['x-amz-target'] === 'AWSEvents.PutEvents';
    const input = isPutEvents && faults ? parseEntries(body) : undefined;
    if (!faults || !input) {
      send(response, await pass(body));
      return;
    }

    const failing = input.Entries.map(() => faults!.random() < faults!.rate);
    counts.entries += failing.length;
    const failedCount = failing.filter(Boolean).length;
    if (failedCount === 0) {
      send(response, await pass(body));
      return;
    }
    counts.failedEntries += failedCount;
    counts.callsWithFailures += 1;
    const kept = input.Entries.filter((_, index) => !failing[index]);
    let upstreamEntries: unknown[] = [];
    let upstreamFailed = 0;
    if (kept.length > 0) {
      const answer = await pass(Buffer.from(JSON.stringify({ ...input, Entries: kept })));
      // A whole-request error (validation, size) stands for the whole request, as it would have.
      if (answer.status !== 200) {
        send(response, answer);
        return;
      }
      const output = JSON.parse(answer.body.toString('utf8')) as { FailedEntryCount?: number; Entries?: unknown[] };
      upstreamEntries = output.Entries ?? [];
      upstreamFailed = output.FailedEntryCount ?? 0;
    }
    let next = 0;
    const entries = failing.map((failed) => (failed ? FAILED_ENTRY : upstreamEntries[next++]));
    const text = JSON.stringify({ FailedEntryCount: failedCount + upstreamFailed, Entries: entries });
    response.writeHead(200, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    response.end(text);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counts,
    forwardTo(busUrl) {
      upstream = new URL(busUrl);
    },
    injectFaults({ rate, seed }) {
      faults = { rate, random: mulberry32(seed) };
    },
    stopFaults() {
      faults = undefined;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

function parseEntries(body: Buffer): { Entries: unknown[] } | undefined {
  try {
    const input = JSON.parse(body.toString('utf8')) as { Entries?: unknown };
    return Array.isArray(input.Entries) && input.Entries.length > 0 ? (input as { Entries: unknown[] }) : undefined;
  } catch {
    return undefined; // the bus answers a malformed body itself
  }
}

function send(response: ServerResponse, answer: { status: number; headers: Record<string, unknown>; body: Buffer }): void {
  response.writeHead(answer.status, { ...withoutHopHeaders(answer.headers as never), 'content-length': answer.body.length });
  response.end(answer.body);
}

let installed: EventBusFaultProxy | undefined;

/** The proxy `behindInstalledProxy` puts the next stacks' event bus behind. */
export function installEventBusProxy(proxy: EventBusFaultProxy | undefined): void {
  installed = proxy;
}

/**
 * The local event bus server as the functions should see it: behind the installed proxy, if any.
 * startLocalStack sets EVENTBRIDGE_ENDPOINT to the server's `url` right before the functions
 * start and offers no option to point them elsewhere, so a test wraps startEventBusServer with
 * this (vi.mock of '#infra/local/event-bus/server'); the stack's own `bus` object is untouched.
 */
export function behindInstalledProxy(server: EventBusServer): EventBusServer {
  if (!installed) return server;
  installed.forwardTo(server.url);
  return { ...server, url: installed.url, port: installed.port };
}
