import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '#adapters/event-publisher';
import { PublishError } from '#domain/errors';
import type { OutgoingEvent } from '#contracts/events';

const eventBridge = mockClient(EventBridgeClient);
const publisher = new EventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'redress', { attempts: 3, baseDelayMs: 1 });
const event = (n: number, bytes = 10): OutgoingEvent => ({
  source: 'redress.tickets',
  detailType: 'Ticket.Created',
  detail: { n, pad: 'x'.repeat(bytes) },
});
const sentEntries = () => eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? []);

beforeEach(() => {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map((_, i) => ({ EventId: `e${i}` })) }));
});

describe('EventBridgePublisher', () => {
  it('sends events to the named bus in calls of at most 10 entries, in order', async () => {
    await publisher.publish(Array.from({ length: 23 }, (_, n) => event(n)));
    const calls = sentEntries();
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(calls.flat().map((entry) => JSON.parse(entry.Detail!).n)).toEqual(Array.from({ length: 23 }, (_, n) => n));
    expect(calls.flat().every((entry) => entry.EventBusName === 'redress')).toBe(true);
  });

  it('starts a new call before the entries would reach 256 KB together', async () => {
    await publisher.publish([event(1, 100_000), event(2, 100_000), event(3, 100_000)]);
    expect(sentEntries().map((entries) => entries.length)).toEqual([2, 1]);
  });

  it('refuses an event over 256 KB on its own with a clear error, sending nothing', async () => {
    await expect(publisher.publish([event(1, 300_000)])).rejects.toThrow(/over EventBridge's 256 KB limit/);
    expect(sentEntries()).toHaveLength(0);
  });

  it('refuses an event over 256 KB beside others on its own: the others go, and the error names only it', async () => {
    const error = await publisher.publish([event(1), event(2, 300_000), event(3)]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).message).toMatch(/over EventBridge's 256 KB limit \(Ticket.Created\)/);
    expect((error as PublishError).unpublished).toEqual([1]);
    expect(sentEntries().flat().map((entry) => JSON.parse(entry.Detail!).n)).toEqual([1, 3]);
  });

  it('retries only the entries that failed with a retryable error', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }, { EventId: 'c' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }] });
    await publisher.publish([event(1), event(2), event(3)]);
    const calls = sentEntries();
    expect(calls.map((entries) => entries.map((entry) => JSON.parse(entry.Detail!).n))).toEqual([[1, 2, 3], [2]]);
  });

  it('throws when entries still fail after the last attempt, so the caller reports no success', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'x' }] });
    await expect(publisher.publish([event(1)])).rejects.toThrow(PublishError);
    expect(sentEntries()).toHaveLength(3);
  });

  it('names exactly the events not handed on when one of several calls fails, so only those are retried', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: Array<{ Detail: string }> }) => {
      const failsHere = input.Entries.some((entry) => JSON.parse(entry.Detail).n === 12);
      return failsHere
        ? { FailedEntryCount: 1, Entries: input.Entries.map((entry, i) => (JSON.parse(entry.Detail).n === 12 ? { ErrorCode: 'MalformedDetail', ErrorMessage: 'x' } : { EventId: `e${i}` })) }
        : { FailedEntryCount: 0, Entries: input.Entries.map((_, i) => ({ EventId: `e${i}` })) };
    });
    const error = await publisher.publish(Array.from({ length: 25 }, (_, n) => event(n))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).unpublished).toEqual([12]);
  });

  it('names only the entries still pending when a retry call itself fails, not those an earlier attempt got through', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'x' }, { EventId: 'c' }] })
      .rejects(throttled);

    const error = await publisher.publish([event(1), event(2), event(3)]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).message).toBe('Rate exceeded');
    expect((error as PublishError).unpublished).toEqual([1]);
  });

  it('does not retry an entry EventBridge rejected as malformed', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }] });
    await expect(publisher.publish([event(1)])).rejects.toThrow('PutEvents rejected an event: MalformedDetail Detail is malformed.');
    expect(sentEntries()).toHaveLength(1);
  });
});
