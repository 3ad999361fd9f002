import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '#config/load-config';
import { stackConsumers } from '../../../bin/recover/event-consumers.ts';
import { functionFromArn, functionFromOption, readDeadLetter } from '../../../bin/recover/queue-dead-letter.ts';

const ENQUEUE_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:RedressStack-TicketQueuesEnqueue1A2B3C-abc';
const RULE_ARN = 'arn:aws:events:eu-west-1:123456789012:rule/redress/RedressStack-EventBusqueuedelays1A2B-xyz';
const postClassified = { version: '0', id: 'e-1', 'detail-type': 'Post.Classified', source: 'redress.ingest', account: '123456789012', time: '2026-05-01T10:00:00Z', region: 'eu-west-1', resources: [], detail: { queue: 'delays', postId: 'p-1' } };
const scheduled = { version: '0', id: 'e-2', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '123456789012', time: '2026-05-01T10:01:00Z', region: 'eu-west-1', resources: ['arn:aws:events:eu-west-1:123456789012:rule/RedressStack-SlaMonitorslamonitor-1'], detail: {} };

const strings = (attributes: Record<string, string>) =>
  Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { DataType: name === 'RETRY_ATTEMPTS' ? 'Number' : 'String', StringValue: value }]));

function message(body: string, attributes: Record<string, string>): Message {
  return { MessageId: 'm-1', ReceiptHandle: 'rh-1', Body: body, Attributes: { SentTimestamp: '1777629600000' }, MessageAttributes: strings(attributes) };
}

const fromRule = (body: string, target = ENQUEUE_ARN) =>
  message(body, { RULE_ARN, TARGET_ARN: target, ERROR_CODE: 'THROTTLING', ERROR_MESSAGE: 'Rate exceeded', EXHAUSTED_RETRY_CONDITION: 'MaximumEventAgeInSeconds', RETRY_ATTEMPTS: '185' });
const fromLambda = (body: string) => message(body, { RequestID: 'r-1', ErrorCode: '200', ErrorMessage: 'Task timed out after 30.03 seconds' });

describe('a dead letter EventBridge wrote', () => {
  it('goes to the Lambda function its TARGET_ARN names, with its body as it is', () => {
    const body = JSON.stringify(postClassified);
    const deadLetter = readDeadLetter(fromRule(body));
    expect(deadLetter).toMatchObject({ messageId: 'm-1', receiptHandle: 'rh-1', body, writer: 'rule', eventKind: 'redress.ingest/Post.Classified' });
    expect(deadLetter.redrive).toEqual({ action: 'invoke', to: { functionName: ENQUEUE_ARN, region: 'eu-west-1', label: 'RedressStack-TicketQueuesEnqueue1A2B3C-abc' } });
    expect(deadLetter.view).toEqual({
      id: 'm-1',
      deadLetteredAt: 1_777_629_600,
      rule: 'RedressStack-EventBusqueuedelays1A2B-xyz',
      target: 'RedressStack-TicketQueuesEnqueue1A2B3C-abc',
      errorCode: 'THROTTLING',
      errorMessage: 'Rate exceeded',
      retries: '185',
      event: 'Post.Classified e-1 from redress.ingest',
    });
  });

  it('is skipped when its target is not a Lambda function, or its body is not a JSON event', () => {
    const queueTarget = readDeadLetter(fromRule(JSON.stringify(postClassified), 'arn:aws:sqs:eu-west-1:123456789012:audit'));
    expect(queueTarget.redrive).toEqual({
      action: 'skip',
      reason: 'its target arn:aws:sqs:eu-west-1:123456789012:audit is not a Lambda function; redrive re-invokes Lambda functions only, so send its body to that target yourself, then delete the message',
    });
    expect(queueTarget.view.target).toBe('arn:aws:sqs:eu-west-1:123456789012:audit');
    for (const body of ['{"detail-type": "Post.Cl', '"a string"', '[1,2]']) {
      const deadLetter = readDeadLetter(fromRule(body));
      expect(deadLetter.redrive).toEqual({ action: 'skip', reason: `its body is not a JSON event, so no function can take it again: ${JSON.stringify(body)}` });
      expect(deadLetter.view.event).toBe(`not JSON: ${JSON.stringify(body)}`);
    }
  });
});

describe("a dead letter Lambda wrote after its own retries", () => {
  it('is skipped without --function, saying which function the event is for', () => {
    const consumerOf = stackConsumers(loadConfig({}).config);
    const post = readDeadLetter(fromLambda(JSON.stringify(postClassified)), { consumerOf });
    expect(post.writer).toBe('lambda');
    expect(post.view).toMatchObject({ rule: '-', target: 'not named (Lambda async)', errorCode: '200', errorMessage: 'Task timed out after 30.03 seconds', retries: '-' });
    expect(post.redrive).toEqual({
      action: 'skip',
      reason:
        'Lambda dead-lettered it after its own retries (request r-1) and does not say which function failed: pass that function\'s name or ARN with --function ' +
        '(for this event, redress.ingest/Post.Classified, that is the stack\'s enqueue function, the one described "Turns a routed issue post into a ticket in its queue")',
    });
    const schedule = readDeadLetter(fromLambda(JSON.stringify(scheduled)), { consumerOf });
    expect(schedule.redrive).toMatchObject({ action: 'skip', reason: expect.stringContaining("that is the stack's slaMonitor function") });
  });

  it('goes to the --function given', () => {
    const lambdaFunction = functionFromOption('redress-sla-monitor', 'eu-west-1')!;
    const deadLetter = readDeadLetter(fromLambda(JSON.stringify(scheduled)), { lambdaFunction });
    expect(deadLetter.redrive).toEqual({ action: 'invoke', to: { functionName: 'redress-sla-monitor', region: 'eu-west-1', label: 'redress-sla-monitor' } });
    expect(deadLetter.view.target).toBe('redress-sla-monitor');
  });
});

it('skips a message that neither EventBridge nor Lambda wrote', () => {
  const deadLetter = readDeadLetter(message('{"hello":"world"}', {}));
  expect(deadLetter.writer).toBe('unknown');
  expect(deadLetter.redrive).toMatchObject({ action: 'skip', reason: expect.stringContaining('neither EventBridge') });
  expect(deadLetter.view.event).toBe('a JSON object, not an EventBridge event: "{\\"hello\\":\\"world\\"}"');
});

describe("a failed asynchronous invocation through the function's on-failure destination (how the stack is set up)", () => {
  const record = (payload: object, functionArn = `${ENQUEUE_ARN}:$LATEST`) =>
    JSON.stringify({
      version: '1.0',
      timestamp: '2026-05-01T10:00:05.123Z',
      requestContext: { requestId: 'r-9', functionArn, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: payload,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'InProgressError', errorMessage: 'ticket tkt_1 kept changing', trace: [] },
    });

  it('goes back to the function the record names, with the event the record holds', () => {
    const deadLetter = readDeadLetter(message(record(postClassified), {}));
    expect(deadLetter).toMatchObject({ writer: 'lambda', eventKind: 'redress.ingest/Post.Classified', payload: JSON.stringify(postClassified) });
    expect(deadLetter.redrive).toEqual({ action: 'invoke', to: { functionName: ENQUEUE_ARN, region: 'eu-west-1', label: 'RedressStack-TicketQueuesEnqueue1A2B3C-abc' } });
    expect(deadLetter.view).toMatchObject({
      target: 'RedressStack-TicketQueuesEnqueue1A2B3C-abc',
      errorCode: 'InProgressError',
      errorMessage: 'ticket tkt_1 kept changing',
      retries: '2',
      event: 'Post.Classified e-1 from redress.ingest',
    });
  });

  it('sends a scheduled SLA monitor run back to the monitor without --function', () => {
    const monitor = 'arn:aws:lambda:eu-west-1:123456789012:function:RedressStack-SlaMonitorHandler9F8E-def';
    const deadLetter = readDeadLetter(message(record(scheduled, monitor), {}));
    expect(deadLetter.redrive).toEqual({ action: 'invoke', to: { functionName: monitor, region: 'eu-west-1', label: 'RedressStack-SlaMonitorHandler9F8E-def' } });
    expect(JSON.parse(deadLetter.payload)).toEqual(scheduled);
  });

  it('is skipped when the record names something that is not a function', () => {
    const deadLetter = readDeadLetter(message(record(postClassified, 'arn:aws:sqs:eu-west-1:123456789012:queue'), {}));
    expect(deadLetter.redrive).toMatchObject({ action: 'skip', reason: expect.stringContaining('not a Lambda function ARN') });
  });
});

describe('function names', () => {
  it('reads a function ARN, with a version or alias, and its Region', () => {
    expect(functionFromArn('arn:aws:lambda:us-east-2:123456789012:function:reply:live')).toEqual({
      functionName: 'arn:aws:lambda:us-east-2:123456789012:function:reply:live',
      region: 'us-east-2',
      label: 'reply:live',
    });
    expect(functionFromArn('arn:aws:lambda:us-east-2:123456789012:layer:x:1')).toBeUndefined();
    expect(functionFromArn('arn:aws:states:us-east-2:123456789012:stateMachine:x')).toBeUndefined();
  });

  it('takes a name in the queue Region or an ARN for --function, and nothing else', () => {
    expect(functionFromOption('reply:$LATEST', 'eu-west-1')).toEqual({ functionName: 'reply:$LATEST', region: 'eu-west-1', label: 'reply:$LATEST' });
    expect(functionFromOption('arn:aws:lambda:us-east-2:123456789012:function:reply', 'eu-west-1')).toMatchObject({ region: 'us-east-2' });
    expect(functionFromOption('two words', 'eu-west-1')).toBeUndefined();
    expect(functionFromOption('arn:aws:sqs:eu-west-1:123456789012:q', 'eu-west-1')).toBeUndefined();
  });
});
