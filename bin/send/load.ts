import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Delivery } from './deliveries.ts';

/** What one request came to: a status with its body, or the network error that stopped it. */
export type RequestOutcome =
  | { kind: 'response'; status: number; body: string; ms: number }
  | { kind: 'network-error'; code: string; ms: number };

export interface Sender {
  send(delivery: Delivery): Promise<RequestOutcome>;
  close(): void;
}

/**
 * Sends deliveries over keep-alive connections, at most `maxSockets` at once, timing each request
 * from the moment it is written until its response has been read in full. A request with no
 * complete answer within `timeoutMs` is abandoned and counted as a network error (`TIMEOUT`).
 */
export function createSender({ url, timeoutMs, maxSockets }: { url: string; timeoutMs: number; maxSockets: number }): Sender {
  const base = new URL(url);
  const https = base.protocol === 'https:';
  const agent = new (https ? HttpsAgent : HttpAgent)({ keepAlive: true, maxSockets });
  const request = https ? httpsRequest : httpRequest;
  const prefix = base.pathname.replace(/\/$/, '');

  const send = (delivery: Delivery) =>
    new Promise<RequestOutcome>((resolve) => {
      const started = performance.now();
      const elapsed = () => performance.now() - started;
      let settled = false;
      const settle = (outcome: RequestOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const outgoing = request(
        new URL(`${prefix}${delivery.path}`, base),
        { method: 'POST', agent, headers: { ...delivery.headers, 'content-length': String(delivery.body.length) } },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => settle({ kind: 'response', status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: elapsed() }));
          response.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'network-error', code: error.code ?? error.message, ms: elapsed() }));
        },
      );
      const timer = setTimeout(() => {
        settle({ kind: 'network-error', code: 'TIMEOUT', ms: elapsed() });
        outgoing.destroy();
      }, timeoutMs);
      outgoing.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'network-error', code: error.code ?? error.message, ms: elapsed() }));
      outgoing.end(delivery.body);
    });

  return { send, close: () => agent.destroy() };
}

/**
 * Runs `work` over `items` with exactly `concurrency` of them in flight until the items run out.
 * Items are taken in order, so neighbours in `items` are in flight together.
 */
export async function runPool<Item>(items: Iterable<Item>, concurrency: number, work: (item: Item) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) await work(next.value);
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

export interface Pace {
  /** Items due per second, from the start of the run. */
  perSecond: number;
  /** Items due at the same instant, taken in runs of this many (the copies of one delivery). */
  together: number;
  /** The most items in flight at once; an item due while that many are in flight waits for one to finish. */
  concurrency: number;
}

/**
 * Runs `work` over `items` on a fixed schedule, whether or not earlier items have finished (an
 * open loop, as a platform sends): the i-th run of `together` items is due at start + i / perSecond,
 * each time computed from the start so that a late item does not push back the ones after it.
 * `work` gets each item's due time (a `performance.now()` time), which is earlier than now when the
 * item waited for a free slot or for this process. An item is taken from `items` only when a slot
 * is free and the previous item has started, so a delivery built there is at most one interval old
 * when it goes out.
 */
export async function runPaced<Item>(items: Iterable<Item>, pace: Pace, work: (item: Item, dueAt: number) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const together = Math.max(1, pace.together);
  const concurrency = Math.max(1, pace.concurrency);
  const inFlight = new Set<Promise<void>>();
  // A failure stops the schedule; it is thrown once the items already started have finished.
  let failure: { error: unknown } | undefined;
  const start = performance.now();
  for (let index = 0; ; index++) {
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const next = failure ? undefined : iterator.next();
    if (!next || next.done) break;
    const dueAt = start + (Math.floor(index / together) * 1000) / pace.perSecond;
    // setTimeout may wake a fraction of a millisecond early; nothing starts before it is due.
    for (let now = performance.now(); now < dueAt; now = performance.now()) await sleep(dueAt - now);
    if (failure) break;
    const running: Promise<void> = work(next.value, dueAt)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
