import { request } from 'node:http';
import {
  InvalidEventPatternException,
  ListRulesCommand,
  PutEventsCommand,
  TestEventPatternCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEventBus } from '#infra/local/event-bus/bus';
import { startEventBusServer } from '#infra/local/event-bus/server';
import {
  ACCOUNT,
  BUS_ARN,
  BUS_NAME,
  REGION,
  entry,
  recordingRule,
  startBus,
  type RunningBus,
} from './local-event-bus/harness.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const KB_256 = 256 * 1024;

let running: RunningBus | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('PutEvents through the AWS SDK', () => {
  it('returns an EventId per entry and delivers the §5 envelope with that id to the matching target', async () => {
    const ingest = recordingRule('post-received', { source: ['redress.ingest'], 'detail-type': ['PostReceived'] });
    running = await startBus({ rules: [ingest.rule] });

    const response = await running.client.send(
      new PutEventsCommand({ Entries: [entry({ postId: 'p-1', text: 'my bag is lost' })] }),
    );
    await running.bus.drain();

    expect(response.FailedEntryCount).toBe(0);
    const eventId = response.Entries?.[0]?.EventId;
    expect(eventId).toMatch(UUID_V4);
    expect(ingest.received).toHaveLength(1);
    const delivered = ingest.received[0]!;
    expect(Object.keys(delivered)).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    expect(delivered).toEqual({
      version: '0',
      id: eventId,
      'detail-type': 'PostReceived',
      source: 'redress.ingest',
      account: ACCOUNT,
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      region: REGION,
      resources: [],
      detail: { postId: 'p-1', text: 'my bag is lost' },
    });
  });

  it('stamps the time of the call when Time is omitted', async () => {
    const now = new Date('2025-03-04T05:06:07.890Z');
    const ingest = recordingRule('all', { source: ['redress.ingest'] });
    running = await startBus({ rules: [ingest.rule], now: () => now });

    await running.client.send(new PutEventsCommand({ Entries: [entry()] }));
    await running.bus.drain();

    expect(ingest.received[0]?.time).toBe('2025-03-04T05:06:07Z');
  });

  it("uses the entry's Time and Resources, at second precision", async () => {
    const ingest = recordingRule('all', { source: ['redress.ingest'] });
    running = await startBus({ rules: [ingest.rule] });

    await running.client.send(
      new PutEventsCommand({
        Entries: [
          entry({}, { Time: new Date('2024-05-01T12:00:00.789Z'), Resources: ['arn:aws:s3:::bucket/key'] }),
        ],
      }),
    );
    await running.bus.drain();

    expect(ingest.received[0]).toMatchObject({
      time: '2024-05-01T12:00:00Z',
      resources: ['arn:aws:s3:::bucket/key'],
    });
  });

  it('delivers an event only to the rules whose pattern matches it', async () => {
    const complaints = recordingRule('complaints', { detail: { kind: ['complaint'] } });
    const praise = recordingRule('praise', { detail: { kind: ['praise'] } });
    running = await startBus({ rules: [complaints.rule, praise.rule] });

    await running.client.send(new PutEventsCommand({ Entries: [entry({ kind: 'complaint' })] }));
    await running.bus.drain();

    expect(complaints.received).toHaveLength(1);
    expect(praise.received).toHaveLength(0);
  });

  it('accepts the bus by its ARN as well as by its name', async () => {
    const ingest = recordingRule('all', { source: ['redress.ingest'] });
    running = await startBus({ rules: [ingest.rule] });

    const response = await running.client.send(
      new PutEventsCommand({ Entries: [entry({}, { EventBusName: BUS_ARN }), entry({}, { EventBusName: BUS_NAME })] }),
    );
    await running.bus.drain();

    expect(response.FailedEntryCount).toBe(0);
    expect(ingest.received).toHaveLength(2);
  });

  it('answers before the target has finished: success means ingested, not delivered', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow = recordingRule('slow', { source: ['redress.ingest'] }, { behaviour: () => released });
    running = await startBus({ rules: [slow.rule] });

    const response = await running.client.send(new PutEventsCommand({ Entries: [entry()] }));

    expect(response.FailedEntryCount).toBe(0);
    expect(slow.received).toHaveLength(0);
    release();
    await running.bus.drain();
    expect(slow.received).toHaveLength(1);
  });
});

describe('PutEvents per-entry errors (§4)', () => {
  const cases: Array<[string, PutEventsRequestEntry, { ErrorCode: string; ErrorMessage: string | RegExp }]> = [
    [
      'a missing Source',
      { ...entry(), Source: undefined },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
    ],
    [
      'a missing DetailType',
      { ...entry(), DetailType: undefined },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      },
    ],
    [
      'a missing Detail',
      { ...entry(), Detail: undefined },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
    ],
    ['a Detail that is a JSON string', { ...entry(), Detail: '"lost bag"' }, malformed()],
    ['a Detail that is a JSON array', { ...entry(), Detail: '[{"a":1}]' }, malformed()],
    ['a Detail that is JSON null', { ...entry(), Detail: 'null' }, malformed()],
    ['a Detail that is not JSON', { ...entry(), Detail: '{"postId": ' }, malformed()],
    [
      'a Source claiming an AWS service',
      { ...entry(), Source: 'aws.s3' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
    ],
    [
      'an unknown bus name',
      { ...entry(), EventBusName: 'nope' },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus nope does not exist.' },
    ],
    [
      'an unknown bus ARN',
      { ...entry(), EventBusName: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/other` },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus other does not exist.' },
    ],
    [
      'an omitted EventBusName, which means the default bus where no local rule lives',
      { ...entry(), EventBusName: undefined },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus default does not exist.' },
    ],
    [
      'a DetailType longer than 128 characters',
      { ...entry(), DetailType: 'x'.repeat(129) },
      { ErrorCode: 'InvalidArgument', ErrorMessage: /^Parameter DetailType is not valid\. Reason: / },
    ],
  ];

  it.each(cases)('rejects an entry with %s, and only that entry', async (_name, badEntry, expected) => {
    const ingest = recordingRule('all', { source: ['redress.ingest'] });
    running = await startBus({ rules: [ingest.rule] });

    const response = await running.client.send(
      new PutEventsCommand({ Entries: [entry({ n: 1 }), badEntry, entry({ n: 3 })] }),
    );
    await running.bus.drain();

    expect(response.FailedEntryCount).toBe(1);
    expect(response.Entries).toHaveLength(3);
    expect(response.Entries?.[0]?.EventId).toMatch(UUID_V4);
    expect(response.Entries?.[1]).toEqual({
      ErrorCode: expected.ErrorCode,
      ErrorMessage: expected.ErrorMessage instanceof RegExp ? expect.stringMatching(expected.ErrorMessage) : expected.ErrorMessage,
    });
    expect(response.Entries?.[1]?.EventId).toBeUndefined();
    expect(response.Entries?.[2]?.EventId).toMatch(UUID_V4);
    expect(ingest.received.map((event) => event.detail)).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it('accepts a DetailType of exactly 128 characters', async () => {
    running = await startBus({ rules: [] });

    const response = await running.client.send(
      new PutEventsCommand({ Entries: [{ ...entry(), DetailType: 'x'.repeat(128) }] }),
    );

    expect(response.FailedEntryCount).toBe(0);
  });

  it('accepts an empty JSON object as Detail', async () => {
    const ingest = recordingRule('all', { source: ['redress.ingest'] });
    running = await startBus({ rules: [ingest.rule] });

    const response = await running.client.send(new PutEventsCommand({ Entries: [{ ...entry(), Detail: '{}' }] }));
    await running.bus.drain();

    expect(response.FailedEntryCount).toBe(0);
    expect(ingest.received[0]?.detail).toEqual({});
  });

  it('reports every failed entry in FailedEntryCount, in request order', async () => {
    running = await startBus({ rules: [] });

    const response = await running.client.send(
      new PutEventsCommand({
        Entries: [{ ...entry(), Source: undefined }, entry(), { ...entry(), Detail: '[]' }, { ...entry(), Source: 'aws.ec2' }],
      }),
    );

    expect(response.FailedEntryCount).toBe(3);
    expect(response.Entries?.map((result) => result.ErrorCode ?? 'ok')).toEqual([
      'InvalidArgument',
      'ok',
      'MalformedDetail',
      'NotAuthorizedForSourceException',
    ]);
  });
});

describe('PutEvents whole-request limits (§4)', () => {
  it('fails a request with 11 entries with ValidationException and accepts none of them', async () => {
    const ingest = recordingRule('all', { source: ['redress.ingest'] });
    running = await startBus({ rules: [ingest.rule] });

    const sending = running.client.send(
      new PutEventsCommand({ Entries: Array.from({ length: 11 }, (_, n) => entry({ n })) }),
    );

    await expect(sending).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(
        "at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10",
      ),
      $metadata: { httpStatusCode: 400 },
    });
    await running.bus.drain();
    expect(ingest.received).toHaveLength(0);
  });

  it('accepts 10 entries in one request', async () => {
    running = await startBus({ rules: [] });

    const response = await running.client.send(
      new PutEventsCommand({ Entries: Array.from({ length: 10 }, (_, n) => entry({ n })) }),
    );

    expect(response.FailedEntryCount).toBe(0);
    expect(response.Entries).toHaveLength(10);
  });

  it('fails a request with no entries with ValidationException', async () => {
    running = await startBus({ rules: [] });

    await expect(running.client.send(new PutEventsCommand({ Entries: [] }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length greater than or equal to 1'),
    });
  });
});

describe('PutEvents size limit of 256 KB per request (§4)', () => {
  /** An entry whose §4 size (Source + DetailType + Detail bytes, 14 more with Time) is exactly `size`. */
  function entryOfSize(size: number, withTime = false): PutEventsRequestEntry {
    const base = entry({ pad: '' });
    const fixed = base.Source.length + base.DetailType.length + base.Detail.length + (withTime ? 14 : 0);
    return {
      ...base,
      Detail: JSON.stringify({ pad: 'x'.repeat(size - fixed) }),
      ...(withTime ? { Time: new Date('2024-05-01T12:00:00Z') } : {}),
    };
  }
  const overLimit = { name: 'ValidationException', message: 'Total size of the entries in the request is over the limit.' };

  it('accepts a request one byte under 256 KB and rejects one of exactly 256 KB as a whole', async () => {
    const ingest = recordingRule('all', { source: ['redress.ingest'] });
    running = await startBus({ rules: [ingest.rule] });

    const accepted = await running.client.send(new PutEventsCommand({ Entries: [entryOfSize(KB_256 - 1)] }));
    await expect(running.client.send(new PutEventsCommand({ Entries: [entryOfSize(KB_256)] }))).rejects.toMatchObject(overLimit);
    await running.bus.drain();

    expect(accepted.Entries?.[0]?.EventId).toMatch(UUID_V4);
    expect(ingest.received).toHaveLength(1);
  });

  it('adds up the entries, so two entries that would each pass alone fail together and none is delivered', async () => {
    const ingest = recordingRule('all', { source: ['redress.ingest'] });
    running = await startBus({ rules: [ingest.rule] });
    const half = entryOfSize(KB_256 / 2);

    await expect(running.client.send(new PutEventsCommand({ Entries: [half, half] }))).rejects.toMatchObject(overLimit);
    await running.bus.drain();

    expect(ingest.received).toHaveLength(0);
  });

  it('counts 14 bytes for Time, so the same entry with a Time crosses the limit', async () => {
    running = await startBus({ rules: [] });
    const withoutTime = entryOfSize(KB_256 - 14);
    const sameWithTime = { ...withoutTime, Time: new Date('2024-05-01T12:00:00Z') };

    const response = await running.client.send(new PutEventsCommand({ Entries: [withoutTime] }));
    await expect(running.client.send(new PutEventsCommand({ Entries: [sameWithTime] }))).rejects.toMatchObject(overLimit);

    expect(response.Entries?.[0]?.EventId).toMatch(UUID_V4);
  });

  it('counts UTF-8 bytes, not characters', async () => {
    running = await startBus({ rules: [] });
    const base = entry({ pad: '' });
    const fixed = base.Source.length + base.DetailType.length + base.Detail.length;
    // "é" is two bytes in UTF-8: half as many characters reach the same byte count.
    const atLimit = { ...base, Detail: JSON.stringify({ pad: 'é'.repeat((KB_256 - fixed) / 2) }) };

    await expect(running.client.send(new PutEventsCommand({ Entries: [atLimit] }))).rejects.toMatchObject(overLimit);
  });
});

describe('TestEventPattern (§5)', () => {
  const event = JSON.stringify({
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'PostReceived',
    source: 'redress.ingest',
    account: ACCOUNT,
    time: '2024-05-01T12:00:00Z',
    region: REGION,
    resources: [],
    detail: { platform: 'x', followers: 12_000 },
  });

  it('returns true for a pattern that matches the event', async () => {
    running = await startBus({ rules: [] });

    const result = await running.client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ source: ['redress.ingest'], detail: { followers: [{ numeric: ['>', 10_000] }] } }),
        Event: event,
      }),
    );

    expect(result.Result).toBe(true);
  });

  it('returns false for a pattern that does not match the event', async () => {
    running = await startBus({ rules: [] });

    const result = await running.client.send(
      new TestEventPatternCommand({ EventPattern: JSON.stringify({ detail: { platform: ['meta'] } }), Event: event }),
    );

    expect(result.Result).toBe(false);
  });

  it('rejects an invalid pattern with InvalidEventPatternException and the engine’s reason', async () => {
    running = await startBus({ rules: [] });

    const testing = running.client.send(
      new TestEventPatternCommand({ EventPattern: JSON.stringify({ source: [] }), Event: event }),
    );

    await expect(testing).rejects.toBeInstanceOf(InvalidEventPatternException);
    await expect(testing).rejects.toMatchObject({
      message: expect.stringMatching(/^Event pattern is not valid\. Reason: /),
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('rejects an event without the required envelope fields with ValidationException', async () => {
    running = await startBus({ rules: [] });

    const testing = running.client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ source: ['redress.ingest'] }),
        Event: JSON.stringify({ source: 'redress.ingest', detail: {} }),
      }),
    );

    await expect(testing).rejects.toMatchObject({ name: 'ValidationException', message: 'Parameter Event is not valid.' });
  });
});

describe('the AWS JSON 1.1 endpoint', () => {
  it('answers an operation it does not implement with UnknownOperationException', async () => {
    running = await startBus({ rules: [] });

    await expect(running.client.send(new ListRulesCommand({}))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers a malformed JSON body with SerializationException and keeps serving', async () => {
    running = await startBus({ rules: [] });

    const bad = await post(running.server.url, 'AWSEvents.PutEvents', '{"Entries": [');
    const good = await post(running.server.url, 'AWSEvents.PutEvents', JSON.stringify({ Entries: [entry()] }));

    expect(bad.status).toBe(400);
    expect(bad.headers['x-amzn-errortype']).toBe('SerializationException');
    expect(JSON.parse(bad.body)).toMatchObject({ __type: 'SerializationException' });
    expect(good.status).toBe(200);
    expect(good.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(good.body)).toMatchObject({ FailedEntryCount: 0 });
  });

  it('answers fields of the wrong JSON type with SerializationException', async () => {
    running = await startBus({ rules: [] });

    const response = await post(running.server.url, 'AWSEvents.PutEvents', JSON.stringify({ Entries: [{ Source: 42 }] }));

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ __type: 'SerializationException' });
  });

  it('refuses a body over the size cap without reading all of it', async () => {
    const bus = new LocalEventBus({ busName: BUS_NAME, account: ACCOUNT, region: REGION, rules: [] });
    const server = await startEventBusServer({ bus, port: 0, maxBodyBytes: 1024 });
    try {
      const declared = await post(server.url, 'AWSEvents.PutEvents', 'x'.repeat(4096));
      const streamed = await post(server.url, 'AWSEvents.PutEvents', 'x'.repeat(4096), { chunked: true });
      const small = await post(server.url, 'AWSEvents.PutEvents', JSON.stringify({ Entries: [entry()] }));

      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body)).toMatchObject({ __type: 'RequestEntityTooLargeException' });
      expect(streamed.status).toBe(413);
      expect(small.status).toBe(200);
    } finally {
      await server.close();
      await bus.stop();
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    running = await startBus({ rules: [] });

    expect(running.server.url).toBe(`http://127.0.0.1:${running.server.port}`);
  });
});

/** A raw request, for what the SDK never sends. */
function post(
  url: string,
  target: string,
  body: string,
  options: { chunked?: boolean } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': target,
          ...(options.chunked ? {} : { 'content-length': Buffer.byteLength(body) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    outgoing.on('error', reject);
    if (options.chunked) {
      // Several writes without a content-length: the server only learns the size while reading.
      for (let offset = 0; offset < body.length; offset += 512) outgoing.write(body.slice(offset, offset + 512));
    } else {
      outgoing.write(body);
    }
    outgoing.end();
  });
}

function malformed() {
  return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
}
