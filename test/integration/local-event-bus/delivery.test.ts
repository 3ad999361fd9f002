import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError, LocalEventBus, type BusEvent } from '#infra/local/event-bus/bus';
import {
  ACCOUNT,
  BUS_NAME,
  FAST_RETRIES,
  REGION,
  entry,
  eventually,
  recordingRule,
  startBus,
  temporaryDataDir,
  type RunningBus,
} from './harness.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(options: Parameters<typeof startBus>[0]): Promise<RunningBus> {
  const running = await startBus(options);
  cleanups.push(running.stop);
  return running;
}

async function dataDir(): Promise<string> {
  const directory = await temporaryDataDir();
  cleanups.push(directory.remove);
  return directory.path;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe('delivery retries (§6)', () => {
  it('retries a target that fails twice and then delivers the event exactly once', async () => {
    const flaky = recordingRule(
      'flaky',
      { source: ['redress.ingest'] },
      {
        behaviour: (_event, attempt) => {
          if (attempt <= 2) throw new Error(`attempt ${attempt} failed`);
        },
      },
    );
    const running = await started({ rules: [flaky.rule] });

    await running.client.send(new PutEventsCommand({ Entries: [entry()] }));
    await running.bus.drain();

    expect(flaky.attempts()).toBe(3);
    expect(flaky.received).toHaveLength(1);
    expect(await running.bus.listDeadLetters()).toEqual([]);
  });

  it('gives every rule its own delivery, so one failing target does not hold back another', async () => {
    const failing = recordingRule('failing', { source: ['redress.ingest'] }, {
      behaviour: () => {
        throw new Error('down');
      },
      retryPolicy: { maximumRetryAttempts: 1, maximumEventAgeSeconds: 60 },
    });
    const healthy = recordingRule('healthy', { source: ['redress.ingest'] });
    const running = await started({ rules: [failing.rule, healthy.rule] });

    await running.client.send(new PutEventsCommand({ Entries: [entry()] }));
    await running.bus.drain();

    expect(healthy.received).toHaveLength(1);
    expect(await running.bus.listDeadLetters()).toHaveLength(1);
  });
});

describe('the dead-letter store (§6)', () => {
  it('dead-letters an event whose target always fails once MaximumRetryAttempts is spent, with the DLQ attributes', async () => {
    const directory = await dataDir();
    const broken = recordingRule('reply-on-complaint', { source: ['redress.ingest'] }, {
      behaviour: () => {
        throw new Error('reply service unavailable');
      },
      retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600 },
    });
    const running = await started({ rules: [broken.rule], dataDir: directory });

    const response = await running.client.send(new PutEventsCommand({ Entries: [entry({ postId: 'p-9' })] }));
    await running.bus.drain();

    expect(broken.attempts()).toBe(3);
    const deadLetters = await running.bus.listDeadLetters();
    expect(deadLetters).toEqual([
      {
        deadLetterId: expect.any(String),
        deadLetteredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        ruleName: 'reply-on-complaint',
        targetId: 'reply-on-complaint-function',
        event: expect.objectContaining({ id: response.Entries?.[0]?.EventId, detail: { postId: 'p-9' } }),
        attributes: {
          RULE_ARN: `arn:aws:events:${REGION}:${ACCOUNT}:rule/${BUS_NAME}/reply-on-complaint`,
          TARGET_ARN: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:reply-on-complaint-function`,
          ERROR_CODE: 'INVOCATION_FAILED',
          ERROR_MESSAGE: 'reply service unavailable',
          EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
          RETRY_ATTEMPTS: 2,
        },
      },
    ]);
    const lines = (await readFile(join(directory, 'dead-letters.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(deadLetters);
  });

  it('keeps dead letters across a restart, and removing them is safe to repeat', async () => {
    const directory = await dataDir();
    const broken = recordingRule('broken', { source: ['redress.ingest'] }, {
      behaviour: () => {
        throw new Error('nope');
      },
      retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
    });
    const first = await started({ rules: [broken.rule], dataDir: directory });
    await first.client.send(new PutEventsCommand({ Entries: [entry({ n: 1 }), entry({ n: 2 })] }));
    await first.bus.drain();
    await first.stop();

    const second = await started({ rules: [broken.rule], dataDir: directory });
    const survivors = await second.bus.listDeadLetters();
    expect(survivors.map((letter) => letter.event.detail).sort((a, b) => Number(a.n) - Number(b.n))).toEqual([
      { n: 1 },
      { n: 2 },
    ]);

    const [redriven, kept] = survivors;
    expect(await second.bus.removeDeadLetters([redriven!.deadLetterId])).toBe(1);
    expect(await second.bus.removeDeadLetters([redriven!.deadLetterId])).toBe(0);
    await second.stop();

    const third = await started({ rules: [broken.rule], dataDir: directory });
    expect(await third.bus.listDeadLetters()).toEqual([kept]);
  });

  it('dead-letters once the event would be older than MaximumEventAgeInSeconds', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    const slowFailure = recordingRule('slow-failure', { source: ['redress.ingest'] }, {
      behaviour: () => {
        clock += 30_000; // each failed attempt takes 30 s of bus time
        throw new Error('timed out');
      },
      retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeSeconds: 60 },
    });
    const running = await started({ rules: [slowFailure.rule], now: () => new Date(clock) });

    await running.client.send(new PutEventsCommand({ Entries: [entry()] }));
    await running.bus.drain();

    expect(slowFailure.attempts()).toBe(2);
    const [deadLetter] = await running.bus.listDeadLetters();
    expect(deadLetter?.attributes).toMatchObject({
      EXHAUSTED_RETRY_CONDITION: 'MaximumEventAgeInSeconds',
      RETRY_ATTEMPTS: 1,
      ERROR_MESSAGE: 'timed out',
    });
  });

  it('sends a non-retriable failure straight to the dead-letter store without retrying', async () => {
    const missing = recordingRule('missing-target', { source: ['redress.ingest'] }, {
      behaviour: () => {
        throw new DeliveryError({ code: 'NO_RESOURCE', message: 'Function not found', retryable: false });
      },
    });
    const running = await started({ rules: [missing.rule] });

    await running.client.send(new PutEventsCommand({ Entries: [entry()] }));
    await running.bus.drain();

    expect(missing.attempts()).toBe(1);
    const [deadLetter] = await running.bus.listDeadLetters();
    expect(deadLetter?.attributes).toMatchObject({ ERROR_CODE: 'NO_RESOURCE', RETRY_ATTEMPTS: 0 });
    expect(deadLetter?.attributes).not.toHaveProperty('EXHAUSTED_RETRY_CONDITION');
  });

  it('keeps dead letters in memory when there is no dataDir', async () => {
    const broken = recordingRule('broken', { source: ['redress.ingest'] }, {
      behaviour: () => {
        throw new Error('nope');
      },
      retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
    });
    const running = await started({ rules: [broken.rule] });

    await running.client.send(new PutEventsCommand({ Entries: [entry()] }));
    await running.bus.drain();
    const [deadLetter] = await running.bus.listDeadLetters();

    expect(await running.bus.removeDeadLetters([deadLetter!.deadLetterId])).toBe(1);
    expect(await running.bus.listDeadLetters()).toEqual([]);
  });
});

describe('stop and restart', () => {
  it('persists a delivery waiting for a retry at stop() and delivers it after a restart', async () => {
    const directory = await dataDir();
    const down = recordingRule('reply', { source: ['redress.ingest'] }, {
      behaviour: () => {
        throw new Error('still down');
      },
    });
    // A long backoff keeps the retry waiting when we stop.
    const first = await started({ rules: [down.rule], dataDir: directory, retryBackoff: { baseMs: 60_000, maxMs: 60_000 } });
    const response = await first.client.send(new PutEventsCommand({ Entries: [entry({ postId: 'p-7' })] }));
    await eventually(() => down.attempts() === 1);
    await first.stop();

    const persisted = JSON.parse(await readFile(join(directory, 'pending-deliveries.json'), 'utf8')) as {
      deliveries: Array<{ ruleName: string; retryAttempts: number; event: BusEvent }>;
    };
    expect(persisted.deliveries).toMatchObject([
      { ruleName: 'reply', retryAttempts: 1, event: { id: response.Entries?.[0]?.EventId } },
    ]);

    const up = recordingRule('reply', { source: ['redress.ingest'] });
    const second = await started({ rules: [up.rule], dataDir: directory, retryBackoff: FAST_RETRIES });
    await second.bus.drain();

    expect(up.received).toMatchObject([{ id: response.Entries?.[0]?.EventId, detail: { postId: 'p-7' } }]);
    await second.stop();
    expect(await exists(join(directory, 'pending-deliveries.json'))).toBe(false);
  });

  it('waits for a running target to finish before stopping', async () => {
    const slow = recordingRule('slow', { source: ['redress.ingest'] }, {
      behaviour: () => new Promise((resolve) => setTimeout(resolve, 100)),
    });
    const running = await started({ rules: [slow.rule] });
    await running.client.send(new PutEventsCommand({ Entries: [entry()] }));
    await eventually(() => slow.attempts() === 1);

    await running.stop();

    expect(slow.received).toHaveLength(1);
  });

  it('persists a delivery whose target outlives the stop timeout, and delivers it after a restart', async () => {
    const directory = await dataDir();
    const hung = recordingRule('hung', { source: ['redress.ingest'] }, { behaviour: () => new Promise(() => undefined) });
    const first = await started({ rules: [hung.rule], dataDir: directory, stopTimeoutMs: 50 });
    await first.client.send(new PutEventsCommand({ Entries: [entry({ postId: 'p-3' })] }));
    await eventually(() => hung.attempts() === 1);
    await first.stop();

    const healthy = recordingRule('hung', { source: ['redress.ingest'] });
    const second = await started({ rules: [healthy.rule], dataDir: directory });
    await second.bus.drain();

    expect(healthy.received.map((event) => event.detail)).toEqual([{ postId: 'p-3' }]);
  });

  it('persists a delivery that fails while stopping instead of retrying it', async () => {
    const directory = await dataDir();
    const failsLate = recordingRule('late', { source: ['redress.ingest'] }, {
      behaviour: () =>
        new Promise((_resolve, reject) => setTimeout(() => reject(new Error('failed during shutdown')), 50)),
    });
    const first = await started({ rules: [failsLate.rule], dataDir: directory });
    await first.client.send(new PutEventsCommand({ Entries: [entry()] }));
    await eventually(() => failsLate.attempts() === 1);
    await first.stop();

    expect(failsLate.attempts()).toBe(1);
    const healthy = recordingRule('late', { source: ['redress.ingest'] });
    const second = await started({ rules: [healthy.rule], dataDir: directory });
    await second.bus.drain();
    expect(healthy.received).toHaveLength(1);
  });

  it('dead-letters a persisted delivery whose rule no longer exists after a restart', async () => {
    const directory = await dataDir();
    const down = recordingRule('retired', { source: ['redress.ingest'] }, {
      behaviour: () => {
        throw new Error('down');
      },
    });
    const first = await started({ rules: [down.rule], dataDir: directory, retryBackoff: { baseMs: 60_000, maxMs: 60_000 } });
    await first.client.send(new PutEventsCommand({ Entries: [entry()] }));
    await eventually(() => down.attempts() === 1);
    await first.stop();

    const second = await started({ rules: [], dataDir: directory });
    await second.bus.drain();

    const [deadLetter] = await second.bus.listDeadLetters();
    expect(deadLetter).toMatchObject({ ruleName: 'retired', attributes: { ERROR_CODE: 'NO_RESOURCE' } });
  });

  it('refuses PutEvents once stopping', async () => {
    const bus = new LocalEventBus({ busName: BUS_NAME, account: ACCOUNT, region: REGION, rules: [] });
    await bus.stop();

    await expect(bus.putEvents({ Entries: [entry()] })).rejects.toMatchObject({ code: 'InternalException' });
  });
});
