import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutEventsCommand, StartReplayCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusEvent } from '#infra/local/event-bus/bus';
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

const ARCHIVE_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:archive/redress-archive`;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startWithDataDir(rules: Parameters<typeof startBus>[0]['rules']): Promise<{ running: RunningBus; directory: string }> {
  const directory = await temporaryDataDir();
  cleanups.push(directory.remove);
  const running = await startBus({ rules, dataDir: directory.path });
  cleanups.push(running.stop);
  return { running, directory: directory.path };
}

async function archived(directory: string): Promise<BusEvent[]> {
  const text = await readFile(join(directory, 'events.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as BusEvent);
}

/** Three events an hour apart: 10:00, 11:00 and 12:00 on 1 May 2024. */
async function putThreeHours(running: RunningBus): Promise<void> {
  await running.client.send(
    new PutEventsCommand({
      Entries: ['10', '11', '12'].map((hour) => entry({ hour }, { Time: new Date(`2024-05-01T${hour}:00:00Z`) })),
    }),
  );
  await running.bus.drain();
}

describe('the event archive (§8)', () => {
  it('archives every accepted event as its delivered envelope, one per line, and none of the rejected ones', async () => {
    const ingest = recordingRule('all', { source: ['redress.ingest'] });
    const { running, directory } = await startWithDataDir([ingest.rule]);

    await running.client.send(
      new PutEventsCommand({ Entries: [entry({ n: 1 }), { ...entry(), Detail: '[]' }, entry({ n: 3 })] }),
    );
    await running.client.send(new PutEventsCommand({ Entries: [entry({ n: 4 }, { Source: 'redress.unrouted' })] }));
    await running.bus.drain();

    const events = await archived(directory);
    expect(events.map((event) => event.detail)).toEqual([{ n: 1 }, { n: 3 }, { n: 4 }]);
    expect(events.slice(0, 2)).toEqual(ingest.received);
  });

  it('keeps the archive across a restart', async () => {
    const { running, directory } = await startWithDataDir([]);
    await putThreeHours(running);
    await running.stop();

    const ingest = recordingRule('all', { source: ['redress.ingest'] });
    const again = await startBus({ rules: [ingest.rule], dataDir: directory });
    cleanups.push(again.stop);
    const replayed = await again.bus.replay({
      replayName: 'after-restart',
      from: new Date('2024-05-01T00:00:00Z'),
      to: new Date('2024-05-02T00:00:00Z'),
    });

    expect(replayed).toBe(3);
  });
});

describe('replay (§8)', () => {
  it('re-delivers only the events inside the window, with replay-name, and does not archive them again', async () => {
    const ingest = recordingRule('all', { source: ['redress.ingest'] });
    const { running, directory } = await startWithDataDir([ingest.rule]);
    await putThreeHours(running);
    const archivedBefore = await archived(directory);

    const replay = await running.client.send(
      new StartReplayCommand({
        ReplayName: 'reprocess-late-morning',
        EventSourceArn: ARCHIVE_ARN,
        EventStartTime: new Date('2024-05-01T11:00:00Z'),
        EventEndTime: new Date('2024-05-01T12:00:00Z'),
        Destination: { Arn: BUS_ARN },
      }),
    );
    await running.bus.drain();

    expect(replay).toMatchObject({
      ReplayArn: `arn:aws:events:${REGION}:${ACCOUNT}:replay/reprocess-late-morning`,
      State: 'COMPLETED',
    });
    const replayed = ingest.received.filter((event) => event['replay-name'] !== undefined);
    expect(replayed).toEqual(
      archivedBefore.slice(1).map((event) => ({ ...event, 'replay-name': 'reprocess-late-morning' })),
    );
    expect(ingest.received).toHaveLength(5);
    expect(await archived(directory)).toEqual(archivedBefore);
  });

  it('returns how many archived events it replayed', async () => {
    const { running } = await startWithDataDir([]);
    await putThreeHours(running);

    const count = await running.bus.replay({
      replayName: 'morning',
      from: new Date('2024-05-01T09:00:00Z'),
      to: new Date('2024-05-01T11:00:00Z'),
    });

    expect(count).toBe(2);
  });

  it('lets a rule pattern tell replayed events apart by replay-name', async () => {
    const replaysOnly = recordingRule('replays-only', { 'replay-name': [{ exists: true }] });
    const { running } = await startWithDataDir([replaysOnly.rule]);
    await putThreeHours(running);
    expect(replaysOnly.received).toHaveLength(0);

    await running.bus.replay({ replayName: 'all-day', from: new Date('2024-05-01T00:00:00Z'), to: new Date('2024-05-02T00:00:00Z') });
    await running.bus.drain();

    expect(replaysOnly.received).toHaveLength(3);
  });

  it('replays only to the rules named in Destination.FilterArns', async () => {
    const tickets = recordingRule('tickets', { source: ['redress.ingest'] });
    const replies = recordingRule('replies', { source: ['redress.ingest'] });
    const { running } = await startWithDataDir([tickets.rule, replies.rule]);
    await putThreeHours(running);

    await running.client.send(
      new StartReplayCommand({
        ReplayName: 'tickets-only',
        EventSourceArn: ARCHIVE_ARN,
        EventStartTime: new Date('2024-05-01T00:00:00Z'),
        EventEndTime: new Date('2024-05-02T00:00:00Z'),
        Destination: { Arn: BUS_ARN, FilterArns: [running.bus.ruleArn('tickets')] },
      }),
    );
    await running.bus.drain();

    expect(tickets.received).toHaveLength(6);
    expect(replies.received).toHaveLength(3);
  });

  it('replays from the in-memory archive when there is no dataDir, window ends included', async () => {
    const ingest = recordingRule('all', { source: ['redress.ingest'] });
    const running = await startBus({ rules: [ingest.rule] });
    cleanups.push(running.stop);
    await putThreeHours(running);

    const count = await running.bus.replay({
      replayName: 'memory',
      from: new Date('2024-05-01T12:00:00Z'),
      to: new Date('2024-05-01T12:00:00Z'),
    });

    expect(count).toBe(1);
  });

  it('refuses a second replay with the same name', async () => {
    const { running } = await startWithDataDir([]);
    const start = () =>
      running.client.send(
        new StartReplayCommand({
          ReplayName: 'once',
          EventSourceArn: ARCHIVE_ARN,
          EventStartTime: new Date('2024-05-01T00:00:00Z'),
          EventEndTime: new Date('2024-05-02T00:00:00Z'),
          Destination: { Arn: BUS_ARN },
        }),
      );

    await start();

    await expect(start()).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
  });

  it('refuses a window that ends before it starts', async () => {
    const { running } = await startWithDataDir([]);

    await expect(
      running.client.send(
        new StartReplayCommand({
          ReplayName: 'backwards',
          EventSourceArn: ARCHIVE_ARN,
          EventStartTime: new Date('2024-05-02T00:00:00Z'),
          EventEndTime: new Date('2024-05-01T00:00:00Z'),
          Destination: { Arn: BUS_ARN },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses a replay to another bus, or from an archive in another account', async () => {
    const { running } = await startWithDataDir([]);
    const window = { EventStartTime: new Date('2024-05-01T00:00:00Z'), EventEndTime: new Date('2024-05-02T00:00:00Z') };

    await expect(
      running.client.send(
        new StartReplayCommand({
          ReplayName: 'elsewhere',
          EventSourceArn: ARCHIVE_ARN,
          ...window,
          Destination: { Arn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default` },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      running.client.send(
        new StartReplayCommand({
          ReplayName: 'foreign',
          EventSourceArn: `arn:aws:events:${REGION}:999999999999:archive/theirs`,
          ...window,
          Destination: { Arn: BUS_ARN },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Archive theirs does not exist.' });
  });
});
