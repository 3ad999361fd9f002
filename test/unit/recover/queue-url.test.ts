import { describe, expect, it } from 'vitest';
import { isRegion, parseQueueUrl } from '../../../bin/recover/queue-url.ts';

describe('--queue-url', () => {
  it('reads the Region, account and name from the URL SQS gives, as the stack output DeadLetterQueueUrl shows it', () => {
    expect(parseQueueUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/RedressStack-EventBusDeadLetters1A2B3C-abc')).toEqual({
      url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/RedressStack-EventBusDeadLetters1A2B3C-abc',
      region: 'eu-west-1',
      account: '123456789012',
      name: 'RedressStack-EventBusDeadLetters1A2B3C-abc',
    });
  });

  it('takes the older host forms, China and FIPS hosts, and a trailing slash', () => {
    expect(parseQueueUrl('https://ap-southeast-2.queue.amazonaws.com/123456789012/dlq')).toMatchObject({ region: 'ap-southeast-2' });
    expect(parseQueueUrl('https://queue.amazonaws.com/123456789012/dlq')).toMatchObject({ region: 'us-east-1' });
    expect(parseQueueUrl('https://sqs.cn-north-1.amazonaws.com.cn/123456789012/dlq')).toMatchObject({ region: 'cn-north-1' });
    expect(parseQueueUrl('https://sqs-fips.us-gov-west-1.amazonaws.com/123456789012/dlq')).toMatchObject({ region: 'us-gov-west-1' });
    expect(parseQueueUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/dlq/')).toMatchObject({ url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq' });
  });

  it("answers the queue's ARN with the URL it stands for", () => {
    expect(parseQueueUrl('arn:aws:sqs:eu-west-1:123456789012:dlq')).toEqual({
      problem: "--queue-url takes the queue's URL, not its ARN: https://sqs.eu-west-1.amazonaws.com/123456789012/dlq",
    });
  });

  it('refuses what is not an SQS queue URL, saying what it wants and where to find it', () => {
    for (const value of [
      'not a url',
      'http://sqs.eu-west-1.amazonaws.com/123456789012/dlq',
      'https://sqs.eu-west-1.amazonaws.com/dlq',
      'https://sqs.eu-west-1.amazonaws.com/123456789012',
      'https://example.com/123456789012/dlq',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq?Action=ReceiveMessage',
      'https://console.aws.amazon.com/sqs/v2/home?region=eu-west-1#/queues',
    ]) {
      expect(parseQueueUrl(value)).toEqual({
        problem: `--queue-url wants the URL of the stack's dead-letter queue, https://sqs.<region>.amazonaws.com/<account>/<name> (stack output DeadLetterQueueUrl), got "${value}"`,
      });
    }
  });

  it('refuses a --region the URL disagrees with', () => {
    expect(parseQueueUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/dlq', 'eu-west-1')).toMatchObject({ region: 'eu-west-1' });
    expect(parseQueueUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/dlq', 'us-east-1')).toEqual({
      problem: '--region us-east-1 disagrees with --queue-url, whose queue is in eu-west-1: leave --region out, or give the queue\'s URL in us-east-1',
    });
  });

  it('knows a Region name when it sees one', () => {
    expect(['eu-west-1', 'us-gov-west-1', 'ap-southeast-4', 'cn-north-1'].every(isRegion)).toBe(true);
    expect(['eu-west', 'EU-WEST-1', 'europe', ''].some(isRegion)).toBe(false);
  });
});
