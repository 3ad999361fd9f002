import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { parseEventPattern } from '#event-patterns/validate';
import { LocalEventBus, type BusEvent, type LocalEventBusOptions, type LocalRule } from '#infra/local/event-bus/bus';
import { startEventBusServer, type EventBusServer } from '#infra/local/event-bus/server';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const BUS_NAME = 'redress';
export const BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${BUS_NAME}`;
export const FAST_RETRIES = { baseMs: 5, maxMs: 20 };

/** A rule whose target records every event it receives, or runs `behaviour` first (a throw fails the delivery). */
export function recordingRule(
  name: string,
  pattern: unknown,
  options: {
    behaviour?: (event: BusEvent, attempt: number) => Promise<void> | void;
    retryPolicy?: LocalRule['retryPolicy'];
  } = {},
): { rule: LocalRule; received: BusEvent[]; attempts: () => number } {
  const received: BusEvent[] = [];
  let attempts = 0;
  const rule: LocalRule = {
    name,
    eventPattern: parseEventPattern(pattern),
    targetId: `${name}-function`,
    retryPolicy: options.retryPolicy ?? { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 },
    async invoke(event) {
      attempts += 1;
      await options.behaviour?.(event, attempts);
      received.push(event);
    },
  };
  return { rule, received, attempts: () => attempts };
}

export interface RunningBus {
  bus: LocalEventBus;
  server: EventBusServer;
  client: EventBridgeClient;
  /** Stops the server and the bus (persisting pending deliveries); safe to call twice. */
  stop(): Promise<void>;
}

/** A bus on a real port with a real SDK client pointed at it, as a handler would use it. */
export async function startBus(
  options: Partial<LocalEventBusOptions> & Pick<LocalEventBusOptions, 'rules'>,
): Promise<RunningBus> {
  const bus = new LocalEventBus({
    busName: BUS_NAME,
    account: ACCOUNT,
    region: REGION,
    retryBackoff: FAST_RETRIES,
    ...options,
  });
  await bus.start();
  const server = await startEventBusServer({ bus, port: 0 });
  const client = new EventBridgeClient({
    endpoint: server.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let stopped = false;
  return {
    bus,
    server,
    client,
    async stop() {
      if (stopped) return;
      stopped = true;
      client.destroy();
      await server.close();
      await bus.stop();
    },
  };
}

export async function temporaryDataDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'redress-event-bus-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Polls until `condition` holds; for waiting on something a background delivery does. */
export async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function entry(detail: Record<string, unknown> = { postId: 'p-1' }, overrides: Record<string, unknown> = {}) {
  return {
    Source: 'redress.ingest',
    DetailType: 'PostReceived',
    Detail: JSON.stringify(detail),
    EventBusName: BUS_NAME,
    ...overrides,
  };
}
