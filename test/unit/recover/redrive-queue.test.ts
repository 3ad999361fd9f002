import { PassThrough } from 'node:stream';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '#config/load-config';
import { stackConsumers } from '../../../bin/recover/event-consumers.ts';
import { functionFromOption } from '../../../bin/recover/queue-dead-letter.ts';
import { parseQueueUrl, type QueueAddress } from '../../../bin/recover/queue-url.ts';
import { RECEIVE, runQueueRedrive, type QueueRedriveCommand } from '../../../bin/recover/redrive-queue.ts';

// `npx redress redrive --queue-url` against the deployed stack's dead-letter queue, with SQS and
// Lambda mocked: messages as EventBridge and Lambda write them (../shared/specs/eventbridge.md §6).

const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);

const QUEUE = parseQueueUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/RedressStack-EventBusDeadLetters1A2B3C-abc') as QueueAddress;
const ACCOUNT = '123456789012';
const ENQUEUE = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:RedressStack-TicketQueuesEnqueue1A2B3C-abc`;
const REPLY = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:RedressStack-RepliesHandler4D5E6F-def`;
const ruleArn = (name: string) => `arn:aws:events:eu-west-1:${ACCOUNT}:rule/redress/${name}`;
const T0 = Date.parse('2026-05-01T10:00:00Z');

/** An event as the bus delivers it; the body keeps its spacing and characters exactly. */
function eventBody(n: number, detailType = 'Post.Classified', source = 'redress.ingest'): string {
  return `{"version":"0","id":"e-${n}","detail-type":"${detailType}","source":"${source}","account":"${ACCOUNT}","time":"2026-05-01T09:59:00Z","region":"eu-west-1","resources":[],"detail":{"queue":"delays", "text":"Vol AF1234 annulé ✈ — encore!"}}`;
}

const attributes = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { DataType: name === 'RETRY_ATTEMPTS' ? 'Number' : 'String', StringValue: value }]));

/** What EventBridge writes when a rule could not hand an event to its target. */
function fromRule(n: number, options: { rule?: string; target?: string; errorCode?: string; minutesAgo?: number; body?: string } = {}): Message {
  return {
    MessageId: `m-${n}`,
    ReceiptHandle: `rh-${n}`,
    Body: options.body ?? eventBody(n),
    Attributes: { SentTimestamp: String(T0 - (options.minutesAgo ?? 0) * 60_000) },
    MessageAttributes: attributes({
      RULE_ARN: ruleArn(options.rule ?? 'queue-delays'),
      TARGET_ARN: options.target ?? ENQUEUE,
      ERROR_CODE: options.errorCode ?? 'THROTTLING',
      ERROR_MESSAGE: options.errorCode === 'NO_PERMISSIONS' ? 'Lambda refused the invoke: not authorized' : 'Rate exceeded',
      EXHAUSTED_RETRY_CONDITION: 'MaximumEventAgeInSeconds',
      RETRY_ATTEMPTS: '185',
    }),
  };
}

/** What Lambda writes when a function invoked asynchronously kept failing: no function named. */
function fromLambda(n: number, body: string, minutesAgo = 0): Message {
  return {
    MessageId: `m-${n}`,
    ReceiptHandle: `rh-${n}`,
    Body: body,
    Attributes: { SentTimestamp: String(T0 - minutesAgo * 60_000) },
    MessageAttributes: attributes({ RequestID: `req-${n}`, ErrorCode: '200', ErrorMessage: 'Task timed out after 50.05 seconds' }),
  };
}

/** The queue: each receive hands out up to MaxNumberOfMessages not yet received, then nothing. */
function queueHolds(messages: Message[]): void {
  let next = 0;
  sqs.on(ReceiveMessageCommand).callsFake((input: { MaxNumberOfMessages?: number }) => {
    const batch = messages.slice(next, next + (input.MaxNumberOfMessages ?? 1));
    next += batch.length;
    return { Messages: batch };
  });
}

/** Every call to SQS or Lambda, in order, as `Operation target`. */
let calls: string[];

beforeEach(() => {
  sqs.reset();
  lambda.reset();
  calls = [];
  sqs.on(DeleteMessageCommand).callsFake((input: { ReceiptHandle: string }) => {
    calls.push(`DeleteMessage ${input.ReceiptHandle}`);
    return {};
  });
  sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input: { Entries: Array<{ Id: string; ReceiptHandle: string; VisibilityTimeout: number }> }) => {
    calls.push(...input.Entries.map((entry) => `ChangeMessageVisibility ${entry.ReceiptHandle} ${entry.VisibilityTimeout}`));
    return { Successful: input.Entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
  });
  lambda.on(InvokeCommand).callsFake((input: { FunctionName: string }) => {
    calls.push(`Invoke ${input.FunctionName}`);
    return { StatusCode: 202 };
  });
});

async function run(options: Partial<QueueRedriveCommand> = {}): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let outText = '';
  let errText = '';
  out.on('data', (chunk: Buffer) => (outText += chunk.toString()));
  err.on('data', (chunk: Buffer) => (errText += chunk.toString()));
  const code = await runQueueRedrive({ queue: QUEUE, ids: [], dryRun: false, max: 100_000, out, err, ...options });
  return { code, out: outText, err: errText };
}

const invoked = () => lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input);
/** The bytes Invoke was given: redrive passes a Uint8Array, never a re-encoded string. */
function payloadBytes(payload: unknown): Buffer {
  expect(payload).toBeInstanceOf(Uint8Array);
  return Buffer.from(payload as Uint8Array);
}
const payloadText = (payload: unknown) => payloadBytes(payload).toString('utf8');
const deleted = () => sqs.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input.ReceiptHandle);
const madeVisible = () =>
  sqs
    .commandCalls(ChangeMessageVisibilityBatchCommand)
    .flatMap((call) => call.args[0].input.Entries!)
    .map((entry) => {
      expect(entry.VisibilityTimeout).toBe(0);
      return entry.ReceiptHandle;
    });

describe('listing', () => {
  it('groups dead letters per rule, target and error code, oldest first, and a dry run only makes them visible again', async () => {
    queueHolds([
      fromRule(1, { minutesAgo: 5 }),
      fromRule(2, { rule: 'replies', target: REPLY, errorCode: 'NO_PERMISSIONS', minutesAgo: 30 }),
      fromRule(3, { minutesAgo: 20 }),
    ]);

    const { code, out } = await run({ dryRun: true });

    expect(code).toBe(0);
    expect(out).toContain(`3 dead letters in the queue ${QUEUE.url}, by rule, target and error, oldest first:\n`);
    const rows = out.split('\n');
    const groups = rows.slice(1, 4).map((row) => row.trim().split(/\s{2,}/));
    expect(groups).toEqual([
      ['rule', 'target', 'error code', 'count', 'oldest', 'first error'],
      ['replies', 'RedressStack-RepliesHandler4D5E6F-def', 'NO_PERMISSIONS', '1', '2026-05-01T09:30:00Z', 'Lambda refused the invoke: not authorized'],
      ['queue-delays', 'RedressStack-TicketQueuesEnqueue1A2B3C-abc', 'THROTTLING', '2', '2026-05-01T09:40:00Z', 'Rate exceeded'],
    ]);
    // Each one by id, oldest first, with what --id takes.
    expect(out.indexOf('m-2 ')).toBeLessThan(out.indexOf('m-3 '));
    expect(out.indexOf('m-3 ')).toBeLessThan(out.indexOf('m-1 '));
    expect(out).toContain('Post.Classified e-1 from redress.ingest');
    expect(out).toMatch(/dry run: nothing redriven, and the messages are visible in the queue again; run without --dry-run to redrive these 3, or pick some with --id <id>\n$/);

    expect(invoked()).toEqual([]);
    expect(deleted()).toEqual([]);
    expect(madeVisible().sort()).toEqual(['rh-1', 'rh-2', 'rh-3']);
  });

  it('receives ten at a time, holding each while it works, until the queue answers a long poll with nothing', async () => {
    queueHolds(Array.from({ length: 23 }, (_, n) => fromRule(n, { minutesAgo: 23 - n })));

    const { code, out } = await run({ dryRun: true });

    expect(code).toBe(0);
    const receives = sqs.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input);
    expect(receives).toHaveLength(4);
    for (const receive of receives) {
      expect(receive).toMatchObject({
        QueueUrl: QUEUE.url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: RECEIVE.holdSeconds,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp'],
      });
      expect(receive.WaitTimeSeconds).toBeGreaterThan(0);
    }
    expect(out).toContain('23 dead letters in the queue');
    expect(madeVisible()).toHaveLength(23);
    // Made visible again in batches of ten, SQS's most per call.
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand).map((call) => call.args[0].input.Entries!.length)).toEqual([10, 10, 3]);
  });

  it('redrives all 23 across the batches, each invoked once and deleted once', async () => {
    queueHolds(Array.from({ length: 23 }, (_, n) => fromRule(n, { minutesAgo: 23 - n })));

    const { code, out } = await run();

    expect(code).toBe(0);
    expect(invoked().map((input) => JSON.parse(payloadText(input.Payload)).id)).toEqual(Array.from({ length: 23 }, (_, n) => `e-${n}`));
    expect(deleted()).toEqual(Array.from({ length: 23 }, (_, n) => `rh-${n}`));
    expect(madeVisible()).toEqual([]);
    expect(out).toContain('redrove 23 dead letters');
  });

  it('stops at --max, asking for no more than it still wants, and says so', async () => {
    queueHolds(Array.from({ length: 23 }, (_, n) => fromRule(n)));

    const { out } = await run({ dryRun: true, max: 15 });

    expect(sqs.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input.MaxNumberOfMessages)).toEqual([10, 5]);
    expect(out).toContain('15 dead letters in the queue');
    expect(out).toContain('(the first 15 received: --max 15)');
  });

  it('says there is nothing to redrive when no message is visible', async () => {
    queueHolds([]);
    expect(await run()).toEqual({ code: 0, out: `nothing to redrive: no messages visible in the queue ${QUEUE.url}\n`, err: '' });
  });
});

describe('redriving', () => {
  it('invokes the function that failed, asynchronously, with the body byte for byte, and deletes the message only after', async () => {
    const body = eventBody(1);
    queueHolds([fromRule(1, { body }), fromRule(2, { rule: 'replies', target: REPLY, body: eventBody(2, 'Ticket.Responded', 'redress.tickets') })]);

    const { code, out } = await run();

    expect(code).toBe(0);
    const [first, second] = invoked();
    expect(first).toMatchObject({ FunctionName: ENQUEUE, InvocationType: 'Event' });
    expect(payloadText(first!.Payload)).toBe(body);
    expect(payloadBytes(first!.Payload).equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(second).toMatchObject({ FunctionName: REPLY, InvocationType: 'Event' });
    expect(calls).toEqual([`Invoke ${ENQUEUE}`, 'DeleteMessage rh-1', `Invoke ${REPLY}`, 'DeleteMessage rh-2']);
    expect(out).toContain('redrove 2 dead letters: each event, exactly as dead-lettered, to the function that failed it');
    expect(out).toContain('Safe to repeat: a message is deleted only after its event was taken, and the consumers are idempotent');
  });

  it('leaves a message whose invoke was refused in the queue, visible again, and exits 1', async () => {
    queueHolds([fromRule(1), fromRule(2, { rule: 'replies', target: REPLY })]);
    lambda.on(InvokeCommand, { FunctionName: REPLY }).rejects(Object.assign(new Error(`Function not found: ${REPLY}`), { name: 'ResourceNotFoundException', $metadata: {} }));

    const { code, out } = await run();

    expect(code).toBe(1);
    expect(deleted()).toEqual(['rh-1']);
    expect(madeVisible()).toEqual(['rh-2']);
    expect(out).toContain(`failed m-2: RedressStack-RepliesHandler4D5E6F-def did not take it (ResourceNotFoundException: Function not found: ${REPLY}); left in the queue\n`);
    expect(out).toContain('redrove 1 dead letter:');
  });

  it('does not delete a message Lambda answered with anything but 202 Accepted', async () => {
    queueHolds([fromRule(1)]);
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });

    const { code, out } = await run();

    expect(code).toBe(1);
    expect(deleted()).toEqual([]);
    expect(madeVisible()).toEqual(['rh-1']);
    expect(out).toContain('Lambda answered 200, not 202 Accepted');
    expect(out).toContain('redrove nothing\n');
  });

  it('skips a target that is not a Lambda function and a body that is not JSON, leaving both in the queue', async () => {
    queueHolds([fromRule(1, { target: `arn:aws:sqs:eu-west-1:${ACCOUNT}:audit` }), fromRule(2, { body: 'not json' }), fromRule(3)]);

    const { code, out } = await run();

    expect(code).toBe(1);
    expect(invoked().map((input) => input.FunctionName)).toEqual([ENQUEUE]);
    expect(deleted()).toEqual(['rh-3']);
    expect(madeVisible().sort()).toEqual(['rh-1', 'rh-2']);
    expect(out).toContain(`skipped m-1: its target arn:aws:sqs:eu-west-1:${ACCOUNT}:audit is not a Lambda function;`);
    expect(out).toContain('skipped m-2: its body is not a JSON event, so no function can take it again: "not json"; left in the queue\n');
  });

  it('says in a dry run what it would skip, and exits 1 for it', async () => {
    queueHolds([fromRule(1, { target: `arn:aws:sqs:eu-west-1:${ACCOUNT}:audit` }), fromRule(2)]);

    const { code, out } = await run({ dryRun: true });

    expect(code).toBe(1);
    expect(out).toContain(`would skip m-1: its target arn:aws:sqs:eu-west-1:${ACCOUNT}:audit is not a Lambda function`);
    expect(out).toContain('run without --dry-run to redrive it\n');
    expect(invoked()).toEqual([]);
  });

  it('redrives only the messages chosen with --id, makes the rest visible again, and exits 1 for an id not in the queue', async () => {
    queueHolds([fromRule(1), fromRule(2), fromRule(3)]);

    const { code, out } = await run({ ids: ['m-2', 'm-9'] });

    expect(code).toBe(1);
    expect(invoked().map((input) => JSON.parse(payloadText(input.Payload)).id)).toEqual(['e-2']);
    expect(deleted()).toEqual(['rh-2']);
    expect(madeVisible().sort()).toEqual(['rh-1', 'rh-3']);
    expect(out).toContain(`1 of the 3 dead letters in the queue ${QUEUE.url} (chosen with --id), by rule, target and error, oldest first:`);
    expect(out).toContain('not in the queue: m-9 (already redriven, held by another run for up to 15 minutes)\n');
  });

  it('redrives a message SQS delivered twice once, deleting it with the later receipt', async () => {
    queueHolds([fromRule(1), { ...fromRule(1), ReceiptHandle: 'rh-1-again' }]);

    const { code } = await run();

    expect(code).toBe(0);
    expect(invoked()).toHaveLength(1);
    expect(deleted()).toEqual(['rh-1-again']);
  });
});

describe("Lambda's own dead letters (a function that kept failing an asynchronous invoke)", () => {
  const consumerOf = stackConsumers(loadConfig({}).config);
  const scheduled = `{"version":"0","id":"s-1","detail-type":"Scheduled Event","source":"aws.events","account":"${ACCOUNT}","time":"2026-05-01T09:00:00Z","region":"eu-west-1","resources":["arn:aws:events:eu-west-1:${ACCOUNT}:rule/RedressStack-SlaMonitorslamonitor-1"],"detail":{}}`;

  it('are skipped without --function, saying what is missing and which function the event is for', async () => {
    queueHolds([fromLambda(1, scheduled)]);

    const { code, out } = await run({ consumerOf });

    expect(code).toBe(1);
    expect(invoked()).toEqual([]);
    expect(madeVisible()).toEqual(['rh-1']);
    expect(out).toContain('not named (Lambda async)');
    expect(out).toContain(
      "skipped m-1: Lambda dead-lettered it after its own retries (request req-1) and does not say which function failed: pass that function's name or ARN with --function " +
        '(for this event, aws.events/Scheduled Event, that is the stack\'s slaMonitor function, the one described "Raises SLA warnings and breaches once and publishes pending ticket events"); left in the queue\n',
    );
  });

  it('go to the --function given, with the body byte for byte', async () => {
    queueHolds([fromLambda(1, scheduled), fromLambda(2, scheduled.replace('s-1', 's-2'))]);
    const lambdaFunction = functionFromOption('RedressStack-SlaMonitorHandler-xyz', QUEUE.region)!;

    const { code } = await run({ consumerOf, lambdaFunction });

    expect(code).toBe(0);
    expect(invoked().map((input) => [input.FunctionName, input.InvocationType, payloadText(input.Payload)])).toEqual([
      ['RedressStack-SlaMonitorHandler-xyz', 'Event', scheduled],
      ['RedressStack-SlaMonitorHandler-xyz', 'Event', scheduled.replace('s-1', 's-2')],
    ]);
    expect(deleted()).toEqual(['rh-1', 'rh-2']);
  });

  it('are not all sent to one --function when they hold different kinds of event', async () => {
    queueHolds([fromLambda(1, scheduled), fromLambda(2, eventBody(2)), fromRule(3)]);
    const lambdaFunction = functionFromOption('RedressStack-SlaMonitorHandler-xyz', QUEUE.region)!;

    const { code, out } = await run({ consumerOf, lambdaFunction });

    expect(code).toBe(1);
    // EventBridge's dead letter names its target, so it goes there regardless.
    expect(invoked().map((input) => input.FunctionName)).toEqual([ENQUEUE]);
    expect(madeVisible().sort()).toEqual(['rh-1', 'rh-2']);
    expect(out).toContain(
      "skipped m-1: --function names one function, but Lambda's dead letters here hold 2 kinds of event (aws.events/Scheduled Event: 1, redress.ingest/Post.Classified: 1), " +
        'likely from different functions: choose those for RedressStack-SlaMonitorHandler-xyz with --id',
    );
  });
});

describe('errors that stop the run', () => {
  it('says when the queue does not exist, and exits 1 having changed nothing', async () => {
    sqs.on(ReceiveMessageCommand).rejects(Object.assign(new Error('The specified queue does not exist.'), { name: 'QueueDoesNotExist', $metadata: {} }));

    const { code, out, err } = await run();

    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      `redress: there is no queue ${QUEUE.url} (QueueDoesNotExist): check --queue-url against the stack output DeadLetterQueueUrl, and that your AWS credentials are for account ${ACCOUNT}\n`,
    );
    expect(invoked()).toEqual([]);
  });

  it('names the permissions it needs when refused, and makes what it had received visible again', async () => {
    let receives = 0;
    sqs.on(ReceiveMessageCommand).callsFake(() => {
      receives += 1;
      if (receives === 1) return { Messages: [fromRule(1)] };
      throw Object.assign(new Error('User is not authorized to perform: sqs:receivemessage'), { name: 'AccessDenied', $metadata: {} });
    });

    const { code, err } = await run();

    expect(code).toBe(1);
    expect(err).toContain('AccessDenied: User is not authorized to perform: sqs:receivemessage. Redrive needs sqs:ReceiveMessage, sqs:ChangeMessageVisibility and sqs:DeleteMessage');
    expect(invoked()).toEqual([]);
    expect(madeVisible()).toEqual(['rh-1']);
  });

  it('says when there are no AWS credentials', async () => {
    sqs.on(ReceiveMessageCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));

    const { code, err } = await run();

    expect(code).toBe(1);
    expect(err).toBe(
      'redress: no AWS credentials (Could not load credentials from any providers): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, to an identity allowed to use the queue\n',
    );
  });
});
