import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutEventsCommand, StartReplayCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalRule } from '#infra/local/event-bus/bus';
import { REPLAYED_EVENTS_HEADER } from '#infra/local/event-bus/server';
import {
  ACCOUNT,
  BUS_ARN,
  REGION,
  entry,
  recordingRule,
  startBus,
  temporaryDataDir,
  type RunningBus,
} from './harness.ts';

// Redrive is local only (AWS's rule DLQs are SQS queues): it is what `npx redress redrive` calls.

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

const ONE_RETRY = { maximumRetryAttempts: 1, maximumEventAgeSeconds: 60 };

/** A rule on redress.ingest whose target fails while `down` is true, as a target whose table is unreachable. */
function switchableRule(name: string, retryPolicy: LocalRule['retryPolicy'] = ONE_RETRY) {
  const state = { down: true };
  const recording = recordingRule(name, { source: ['redress.ingest'] }, {
    retryPolicy,
    behaviour: () => {
      if (state.down) throw new Error('the ticket table is unreachable');
    },
  });
  return { ...recording, state };
}

/** Puts events and waits until every delivery has succeeded or been dead-lettered; returns their ids. */
async function put(running: RunningBus, ...details: Array<Record<string, unknown>>): Promise<string[]> {
  const answer = await running.client.send(new PutEventsCommand({ Entries: details.map((detail) => entry(detail)) }));
  await running.bus.drain();
  return answer.Entries!.map((result) => result.EventId!);
}

async function callBus(running: RunningBus, operation: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(running.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSEvents.${operation}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('redriving dead letters', () => {
  it('delivers a dead letter to its rule once the target works, with the same event id, and empties the store', async () => {
    const tickets = switchableRule('tickets');
    const audit = recordingRule('audit', { source: ['redress.ingest'] });
    const running = await started({ rules: [tickets.rule, audit.rule] });
    const [eventId] = await put(running, { postId: 'p-1' });
    const [deadLetter] = await running.bus.listDeadLetters();
    expect(deadLetter).toMatchObject({ ruleName: 'tickets', event: { id: eventId } });

    tickets.state.down = false;
    const result = await running.bus.redriveDeadLetters();
    await running.bus.drain();

    expect(result).toEqual({ redriven: [{ deadLetterId: deadLetter!.deadLetterId, ruleName: 'tickets', eventId }], skipped: [] });
    expect(tickets.received).toEqual([deadLetter!.event]);
    expect(audit.received.map((event) => event.id)).toEqual([eventId]);
    expect(await running.bus.listDeadLetters()).toEqual([]);
  });

  it('does nothing the second time, so repeating a redrive is safe', async () => {
    const tickets = switchableRule('tickets');
    const running = await started({ rules: [tickets.rule] });
    await put(running, { postId: 'p-1' });
    tickets.state.down = false;

    await running.bus.redriveDeadLetters();
    await running.bus.drain();
    const again = await running.bus.redriveDeadLetters();
    await running.bus.drain();

    expect(again).toEqual({ redriven: [], skipped: [] });
    expect(tickets.received).toHaveLength(1);
  });

  it('delivers an event once when two redrives run at the same time', async () => {
    const tickets = switchableRule('tickets');
    const running = await started({ rules: [tickets.rule] });
    await put(running, { postId: 'p-1' }, { postId: 'p-2' });
    tickets.state.down = false;

    const [first, second] = await Promise.all([running.bus.redriveDeadLetters(), running.bus.redriveDeadLetters()]);
    await running.bus.drain();

    expect(first.redriven.length + second.redriven.length).toBe(2);
    expect(tickets.received.map((event) => event.detail.postId).sort()).toEqual(['p-1', 'p-2']);
  });

  it('redrives only the ids asked for, and reports an unknown id without failing', async () => {
    const tickets = switchableRule('tickets');
    const running = await started({ rules: [tickets.rule] });
    await put(running, { postId: 'p-1' }, { postId: 'p-2' });
    const [first, second] = await running.bus.listDeadLetters();
    tickets.state.down = false;

    const result = await running.bus.redriveDeadLetters([first!.deadLetterId, 'no-such-dead-letter']);
    await running.bus.drain();

    expect(result.redriven.map((redriven) => redriven.deadLetterId)).toEqual([first!.deadLetterId]);
    expect(result.skipped).toEqual([{ deadLetterId: 'no-such-dead-letter', reason: expect.stringContaining('No dead letter with this id') }]);
    expect(tickets.received).toEqual([first!.event]);
    expect(await running.bus.listDeadLetters()).toEqual([second]);
  });

  it('dead-letters the event again under a new id when the target still fails, after a fresh retry budget', async () => {
    const tickets = switchableRule('tickets');
    const running = await started({ rules: [tickets.rule] });
    const [eventId] = await put(running, { postId: 'p-1' });
    const [before] = await running.bus.listDeadLetters();
    expect(tickets.attempts()).toBe(2);

    await running.bus.redriveDeadLetters();
    await running.bus.drain();

    const [after, ...others] = await running.bus.listDeadLetters();
    expect(others).toEqual([]);
    expect(after!.deadLetterId).not.toBe(before!.deadLetterId);
    expect(after).toMatchObject({ ruleName: 'tickets', event: { id: eventId }, attributes: { RETRY_ATTEMPTS: 1, EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts' } });
    expect(tickets.attempts()).toBe(4);
  });

  it('gives a redriven event a fresh maximum event age, so a failure is retried rather than dead-lettered at once', async () => {
    let clock = Date.parse('2024-05-01T10:00:00Z');
    let failures = 0;
    const tickets = recordingRule('tickets', { source: ['redress.ingest'] }, {
      retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeSeconds: 60 },
      behaviour: () => {
        // The first attempt takes longer than the event's age limit; the first after the redrive
        // fails at once; the retry succeeds.
        failures += 1;
        if (failures === 1) clock += 61_000;
        if (failures <= 2) throw new Error('the ticket table is unreachable');
      },
    });
    const running = await started({ rules: [tickets.rule], now: () => new Date(clock) });
    await put(running, { postId: 'p-1' });
    const [deadLetter] = await running.bus.listDeadLetters();
    expect(deadLetter!.attributes.EXHAUSTED_RETRY_CONDITION).toBe('MaximumEventAgeInSeconds');

    clock += 3_600_000;
    await running.bus.redriveDeadLetters();
    await running.bus.drain();

    // Counted from the original ingestion this event is an hour over its age limit; from the
    // redrive, the first failure is still young enough to retry.
    expect(tickets.attempts()).toBe(3);
    expect(tickets.received).toHaveLength(1);
    expect(await running.bus.listDeadLetters()).toEqual([]);
  });

  it('skips and keeps a dead letter whose rule no longer exists', async () => {
    const directory = await dataDir();
    const tickets = switchableRule('tickets');
    const first = await startBus({ rules: [tickets.rule], dataDir: directory });
    await put(first, { postId: 'p-1' });
    await first.stop();

    const audit = recordingRule('audit', { source: ['redress.ingest'] });
    const second = await started({ rules: [audit.rule], dataDir: directory });
    const [deadLetter] = await second.bus.listDeadLetters();
    const result = await second.bus.redriveDeadLetters();
    await second.bus.drain();

    expect(result).toEqual({
      redriven: [],
      skipped: [{ deadLetterId: deadLetter!.deadLetterId, reason: 'Rule tickets does not exist on event bus redress; the dead letter is kept.' }],
    });
    expect(await second.bus.listDeadLetters()).toEqual([deadLetter]);
    expect(audit.received).toEqual([]);
  });

  it('redrives the dead letters a previous run wrote to its dataDir, and the file is empty afterwards', async () => {
    const directory = await dataDir();
    const down = switchableRule('tickets');
    const first = await startBus({ rules: [down.rule], dataDir: directory });
    const [eventId] = await put(first, { postId: 'p-1' });
    await first.stop();

    const working = recordingRule('tickets', { source: ['redress.ingest'] });
    const second = await started({ rules: [working.rule], dataDir: directory });
    const result = await second.bus.redriveDeadLetters();
    await second.bus.drain();

    expect(result.redriven).toHaveLength(1);
    expect(working.received.map((event) => event.id)).toEqual([eventId]);
    expect(await readFile(join(directory, 'dead-letters.jsonl'), 'utf8')).toBe('');
  });
});

describe('ListDeadLetters and RedriveDeadLetters over HTTP (local only)', () => {
  it('lists dead letters oldest first, with rule, target, error, retries and the event they hold', async () => {
    const tickets = switchableRule('tickets');
    const running = await started({ rules: [tickets.rule] });
    const [firstId] = await put(running, { postId: 'p-1' });
    const [secondId] = await put(running, { postId: 'p-2' });
    const stored = await running.bus.listDeadLetters();

    const all = await callBus(running, 'ListDeadLetters', {});
    const limited = await callBus(running, 'ListDeadLetters', { Limit: 1 });

    expect(all.status).toBe(200);
    expect(all.body.DeadLetters.map((deadLetter: { EventId: string }) => deadLetter.EventId)).toEqual([firstId, secondId]);
    expect(all.body.DeadLetters[0]).toEqual({
      DeadLetterId: stored[0]!.deadLetterId,
      DeadLetteredAt: Date.parse(stored[0]!.deadLetteredAt) / 1000,
      RuleName: 'tickets',
      RuleArn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/redress/tickets`,
      TargetId: 'tickets-function',
      TargetArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:tickets-function`,
      ErrorCode: 'INVOCATION_FAILED',
      ErrorMessage: 'the ticket table is unreachable',
      ExhaustedRetryCondition: 'MaximumRetryAttempts',
      RetryAttempts: 1,
      EventId: firstId,
      EventTime: Date.parse(stored[0]!.event.time) / 1000,
      DetailType: 'PostReceived',
      Source: 'redress.ingest',
    });
    expect(limited.body.DeadLetters).toEqual(all.body.DeadLetters.slice(0, 1));
  });

  it('redrives all, or the ids given, and reports the ids it skipped', async () => {
    const tickets = switchableRule('tickets');
    const running = await started({ rules: [tickets.rule] });
    await put(running, { postId: 'p-1' }, { postId: 'p-2' });
    const [first] = await running.bus.listDeadLetters();
    tickets.state.down = false;

    const some = await callBus(running, 'RedriveDeadLetters', { DeadLetterIds: [first!.deadLetterId, 'no-such-dead-letter'] });
    const rest = await callBus(running, 'RedriveDeadLetters', {});
    const none = await callBus(running, 'RedriveDeadLetters', {});
    await running.bus.drain();

    expect(some).toEqual({
      status: 200,
      body: { Redriven: 1, Skipped: [{ DeadLetterId: 'no-such-dead-letter', Reason: expect.stringContaining('No dead letter with this id') }] },
    });
    expect(rest.body).toEqual({ Redriven: 1, Skipped: [] });
    expect(none.body).toEqual({ Redriven: 0, Skipped: [] });
    expect(tickets.received).toHaveLength(2);
  });

  it('answers bad input with 400 ValidationException or SerializationException, as for the AWS operations', async () => {
    const running = await started({ rules: [] });
    const cases: Array<[string, unknown, string]> = [
      ['ListDeadLetters', { Limit: 0 }, 'ValidationException'],
      ['ListDeadLetters', { Limit: 2.5 }, 'ValidationException'],
      ['ListDeadLetters', { Limit: 'ten' }, 'SerializationException'],
      ['RedriveDeadLetters', { DeadLetterIds: [] }, 'ValidationException'],
      ['RedriveDeadLetters', { DeadLetterIds: 'one-id' }, 'SerializationException'],
      ['RedriveDeadLetters', { DeadLetterIds: [42] }, 'SerializationException'],
      ['RedriveDeadLetters', '{"DeadLetterIds": [', 'SerializationException'],
    ];

    for (const [operation, body, type] of cases) {
      const answer = await callBus(running, operation, body);
      expect({ operation, body, status: answer.status, type: answer.body.__type }).toEqual({ operation, body, status: 400, type });
      expect(answer.body.message).toEqual(expect.any(String));
    }
  });
});

describe('StartReplay, as npx redress replay calls it', () => {
  const window = { EventStartTime: new Date(Date.now() - 3_600_000), EventEndTime: new Date(Date.now() + 60_000) };
  const archiveArn = `arn:aws:events:${REGION}:${ACCOUNT}:archive/redress-archive`;

  it('says how many events it replayed in a header, since the AWS answer has no count', async () => {
    const running = await started({ rules: [] });
    await put(running, { postId: 'p-1' }, { postId: 'p-2' });
    const response = await fetch(running.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.StartReplay' },
      body: JSON.stringify({
        ReplayName: 'counted',
        EventSourceArn: archiveArn,
        EventStartTime: window.EventStartTime.getTime() / 1000,
        EventEndTime: window.EventEndTime.getTime() / 1000,
        Destination: { Arn: BUS_ARN },
      }),
    });

    expect(response.headers.get(REPLAYED_EVENTS_HEADER)).toBe('2');
    expect(await response.json()).toMatchObject({ State: 'COMPLETED', StateReason: 'Replayed 2 events.' });
  });

  it('refuses a FilterArns rule that is not on the bus, rather than replay to nobody', async () => {
    const audit = recordingRule('audit', { source: ['redress.ingest'] });
    const running = await started({ rules: [audit.rule] });
    await put(running, { postId: 'p-1' });

    await expect(
      running.client.send(
        new StartReplayCommand({
          ReplayName: 'misspelt',
          EventSourceArn: archiveArn,
          ...window,
          Destination: { Arn: BUS_ARN, FilterArns: [running.bus.ruleArn('adit')] },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await running.bus.drain();
    expect(audit.received).toHaveLength(1);
  });
});
