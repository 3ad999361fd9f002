/** An SQS queue, as `--queue-url` names it. */
export interface QueueAddress {
  /** The URL as SQS writes it, without a trailing slash. */
  url: string;
  region: string;
  account: string;
  name: string;
}

/**
 * The queue a URL names, or why it names none in words a person can act on. The region comes
 * from the host (sqs.<region>.amazonaws.com, and the older <region>.queue.amazonaws.com); the
 * oldest form, queue.amazonaws.com, is us-east-1. `region` (--region) must agree with it.
 */
export function parseQueueUrl(value: string, region?: string): QueueAddress | { problem: string } {
  const fromArn = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([^:/]+)$/.exec(value);
  if (fromArn) {
    const [, arnRegion, account, name] = fromArn;
    return { problem: `--queue-url takes the queue's URL, not its ARN: https://sqs.${arnRegion}.amazonaws.com/${account}/${name}` };
  }
  const wanted = `--queue-url wants the URL of the stack's dead-letter queue, https://sqs.<region>.amazonaws.com/<account>/<name> (stack output DeadLetterQueueUrl), got "${value}"`;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || url.protocol !== 'https:' || url.search !== '' || url.hash !== '' || url.username !== '' || url.port !== '') return { problem: wanted };
  const path = /^\/(\d{12})\/([A-Za-z0-9_-]{1,80}(?:\.fifo)?)\/?$/.exec(url.pathname);
  const host = /^(?:sqs(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|api\.aws)|([a-z0-9-]+)\.queue\.amazonaws\.com|(queue)\.amazonaws\.com)$/.exec(url.hostname);
  if (!path || !host) return { problem: wanted };
  const urlRegion = host[1] ?? host[2] ?? 'us-east-1';
  if (region !== undefined && region !== urlRegion) {
    return { problem: `--region ${region} disagrees with --queue-url, whose queue is in ${urlRegion}: leave --region out, or give the queue's URL in ${region}` };
  }
  const [, account, name] = path;
  return { url: `https://${url.hostname}/${account}/${name}`, region: urlRegion, account: account!, name: name! };
}

/** A Region name as AWS writes them: eu-west-1, us-gov-west-1, ap-southeast-4. */
export const isRegion = (value: string) => /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/.test(value);

/**
 * The most messages one run receives. SQS lets a standard queue have about 120,000 messages in
 * flight (received and not yet deleted), and a run holds every message it lists until the end.
 */
export const MAX_MESSAGES = 100_000;
