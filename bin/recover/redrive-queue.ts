import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { formatEach, formatGroups, plural } from './dead-letter-report.ts';
import { readDeadLetter, type FunctionRef, type QueueDeadLetter, type ReadOptions } from './queue-dead-letter.ts';
import type { QueueAddress } from './queue-url.ts';

export interface QueueRedriveCommand {
  queue: QueueAddress;
  /** Only these messages (SQS message ids); every one received when empty. */
  ids: string[];
  dryRun: boolean;
  /** Receive at most this many messages. */
  max: number;
  /** --function: where Lambda's own dead letters go, since they do not name their function. */
  lambdaFunction?: FunctionRef;
  consumerOf?: ReadOptions['consumerOf'];
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

/**
 * How messages are received. A short long-poll: an empty answer after it means nothing is
 * visible any more. Every message is held (invisible) while the run lists and redrives them all,
 * so nothing is received twice; a run that dies leaves them hidden this long at most.
 */
export const RECEIVE = { batch: 10, waitSeconds: 2, holdSeconds: 900 } as const;

/**
 * `npx redress redrive --queue-url`: list the deployed stack's dead-letter queue (per rule,
 * target and error code, oldest first), then give each event again to the function that failed
 * it, and only to it: putting it back on the bus would deliver it to every other rule's target
 * too. A message is deleted only once Lambda accepted its event; anything not redriven is made
 * visible again at once. Resolves to the exit status: 0 when everything chosen was redriven (or
 * there was nothing), 1 when something was skipped or failed, or the queue could not be read.
 */
export async function runQueueRedrive(command: QueueRedriveCommand): Promise<number> {
  const out = command.out ?? process.stdout;
  const err = command.err ?? process.stderr;
  const { url } = command.queue;
  // The SDK's notice that it will need Node 22 from 2027 is known (README "Notes").
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const requestHandler = { requestTimeout: 30_000, connectionTimeout: 5_000 };
  const sqs = new SQSClient({ region: command.queue.region, requestHandler });
  const lambdas = new Map<string, LambdaClient>();
  const lambdaIn = (region: string) => lambdas.get(region) ?? lambdas.set(region, new LambdaClient({ region, requestHandler })).get(region)!;
  /** Receipt handles of the messages this run received and has not deleted or made visible again. */
  const held = new Map<string, string>();
  const releaseHeld = async () => {
    const stuck = await release(sqs, url, held);
    if (stuck) err.write(`redress: ${plural(stuck.count, 'message')} could not be made visible again (${stuck.error}); they reappear in the queue within ${RECEIVE.holdSeconds / 60} minutes\n`);
  };

  try {
    const { messages, full } = await receiveAll(sqs, url, command.max, held);
    const deadLetters = messages
      .map((message) => readDeadLetter(message, { lambdaFunction: command.lambdaFunction, consumerOf: command.consumerOf }))
      .sort((a, b) => a.view.deadLetteredAt - b.view.deadLetteredAt);
    const wanted = new Set(command.ids);
    const selected = oneFunctionOnly(wanted.size === 0 ? deadLetters : deadLetters.filter((deadLetter) => wanted.has(deadLetter.messageId)), command.lambdaFunction);
    const missing = [...wanted].filter((id) => !deadLetters.some((deadLetter) => deadLetter.messageId === id));

    if (selected.length === 0 && missing.length === 0) {
      out.write(`nothing to redrive: no messages visible in the queue ${url}\n`);
      return 0;
    }
    if (selected.length > 0) {
      const views = selected.map((deadLetter) => deadLetter.view);
      out.write(formatGroups(views, { total: deadLetters.length, chosen: wanted.size > 0, where: `in the queue ${url}` }));
      if (full) out.write(`  (the first ${command.max} received: --max ${command.max})\n`);
    }
    for (const id of missing) {
      out.write(`not in the queue: ${id} (already redriven, held by another run for up to ${RECEIVE.holdSeconds / 60} minutes${full ? ', or past --max' : ''})\n`);
    }
    const skips = selected.filter((deadLetter) => deadLetter.redrive.action === 'skip');

    if (command.dryRun) {
      out.write(formatEach(selected.map((deadLetter) => deadLetter.view)));
      for (const skip of skips) out.write(`would skip ${skip.messageId}: ${reason(skip)}\n`);
      await releaseHeld();
      const redrivable = selected.length - skips.length;
      out.write(
        redrivable === 0
          ? 'dry run: nothing would be redriven; the messages are visible in the queue again\n'
          : `dry run: nothing redriven, and the messages are visible in the queue again; run without --dry-run to redrive ${redrivable === 1 ? 'it' : `these ${redrivable}`}${wanted.size === 0 && redrivable > 1 ? ', or pick some with --id <id>' : ''}\n`,
      );
      return missing.length > 0 || skips.length > 0 ? 1 : 0;
    }

    let redriven = 0;
    let troubles = missing.length + skips.length;
    for (const deadLetter of selected) {
      if (deadLetter.redrive.action === 'skip') {
        out.write(`skipped ${deadLetter.messageId}: ${deadLetter.redrive.reason}; left in the queue\n`);
        continue;
      }
      const { to } = deadLetter.redrive;
      try {
        await invoke(lambdaIn(to.region), to, deadLetter.payload);
      } catch (error) {
        out.write(`failed ${deadLetter.messageId}: ${to.label} did not take it (${describe(error)}); left in the queue\n`);
        troubles += 1;
        continue;
      }
      try {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: held.get(deadLetter.messageId) }));
        held.delete(deadLetter.messageId);
        redriven += 1;
      } catch (error) {
        out.write(
          `redrove ${deadLetter.messageId} to ${to.label}, but could not delete it (${describe(error)}); ` +
            'it stays in the queue, and redriving it again is harmless\n',
        );
        troubles += 1;
      }
    }
    await releaseHeld();
    out.write(
      redriven === 0
        ? 'redrove nothing\n'
        : `redrove ${plural(redriven, 'dead letter')}: each event, exactly as dead-lettered, to the function that failed it ` +
            "(an asynchronous invoke, with Lambda's retries), and deleted from the queue once Lambda took it\n" +
            'one that fails again is dead-lettered again as a new message (--dry-run shows it). Safe to repeat: ' +
            'a message is deleted only after its event was taken, and the consumers are idempotent\n',
    );
    return troubles > 0 ? 1 : 0;
  } catch (error) {
    const message = explain(error, command.queue);
    if (message === undefined) throw error;
    err.write(`redress: ${message}\n`);
    return 1;
  } finally {
    // Whatever an error cut short goes back in the queue now rather than after the hold.
    if (held.size > 0) await releaseHeld().catch(() => undefined);
    sqs.destroy();
    for (const lambda of lambdas.values()) lambda.destroy();
  }
}

/** Receives until the queue answers a long-poll with nothing, or `max` messages are held. */
async function receiveAll(sqs: SQSClient, url: string, max: number, held: Map<string, string>): Promise<{ messages: Message[]; full: boolean }> {
  // A standard queue may deliver a message twice; the later receipt is the one that deletes it.
  const messages = new Map<string, Message>();
  while (messages.size < max) {
    const answer = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(RECEIVE.batch, max - messages.size),
        WaitTimeSeconds: RECEIVE.waitSeconds,
        VisibilityTimeout: RECEIVE.holdSeconds,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    const received = answer.Messages ?? [];
    if (received.length === 0) break;
    for (const message of received) {
      if (message.MessageId === undefined || message.ReceiptHandle === undefined) continue;
      messages.set(message.MessageId, message);
      held.set(message.MessageId, message.ReceiptHandle);
    }
  }
  return { messages: [...messages.values()], full: messages.size >= max };
}

/** Visibility 0 for every held message, ten a call; what is still held after says it failed. */
async function release(sqs: SQSClient, url: string, held: Map<string, string>): Promise<{ count: number; error: string } | undefined> {
  const ids = [...held.keys()];
  let error: string | undefined;
  for (let start = 0; start < ids.length; start += RECEIVE.batch) {
    const batch = ids.slice(start, start + RECEIVE.batch);
    try {
      const answer = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: batch.map((id, index) => ({ Id: String(index), ReceiptHandle: held.get(id), VisibilityTimeout: 0 })),
        }),
      );
      for (const entry of answer.Successful ?? []) held.delete(batch[Number(entry.Id)]!);
      const failed = answer.Failed?.[0];
      if (failed) error ??= `${failed.Code}: ${failed.Message}`;
    } catch (caught) {
      error ??= describe(caught);
    }
  }
  return held.size === 0 ? undefined : { count: held.size, error: error ?? 'no answer' };
}

/** Accepted for asynchronous delivery, or an error. The payload goes as it is (see QueueDeadLetter.payload). */
async function invoke(lambda: LambdaClient, to: FunctionRef, body: string): Promise<void> {
  const answer = await lambda.send(new InvokeCommand({ FunctionName: to.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(body) }));
  if (answer.StatusCode !== 202) throw new Error(`Lambda answered ${answer.StatusCode ?? 'no status'}, not 202 Accepted`);
}

/**
 * --function names one function, so Lambda's dead letters that hold different kinds of event
 * (most likely from different functions) are not all sent to it: the person picks with --id.
 */
function oneFunctionOnly(deadLetters: QueueDeadLetter[], lambdaFunction: FunctionRef | undefined): QueueDeadLetter[] {
  if (!lambdaFunction) return deadLetters;
  const kinds = new Map<string, number>();
  for (const deadLetter of deadLetters) {
    if (deadLetter.writer === 'lambda' && deadLetter.redrive.action === 'invoke') {
      const kind = deadLetter.eventKind ?? 'not an EventBridge event';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
  }
  if (kinds.size <= 1) return deadLetters;
  const counts = [...kinds].map(([kind, count]) => `${kind}: ${count}`).join(', ');
  const mixed = {
    action: 'skip' as const,
    reason: `--function names one function, but Lambda's dead letters here hold ${kinds.size} kinds of event (${counts}), likely from different functions: choose those for ${lambdaFunction.label} with --id`,
  };
  return deadLetters.map((deadLetter) => (deadLetter.writer === 'lambda' && deadLetter.redrive.action === 'invoke' ? { ...deadLetter, redrive: mixed } : deadLetter));
}

const reason = (deadLetter: QueueDeadLetter) => (deadLetter.redrive.action === 'skip' ? deadLetter.redrive.reason : '');

function describe(error: unknown): string {
  const { name, message } = error as { name?: unknown; message?: unknown };
  return [name, message].filter((part) => typeof part === 'string' && part !== '' && part !== 'Error').join(': ') || String(error);
}

/**
 * A message a person can act on for an AWS error that stops the whole run, or undefined for an
 * error that is not AWS's (a bug, to surface as it is).
 */
function explain(error: unknown, queue: QueueAddress): string | undefined {
  const { name, message, $metadata, code } = error as { name?: string; message?: string; $metadata?: unknown; code?: string };
  if (name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue') {
    return `there is no queue ${queue.url} (${name}): check --queue-url against the stack output DeadLetterQueueUrl, and that your AWS credentials are for account ${queue.account}`;
  }
  if (name === 'CredentialsProviderError') {
    return `no AWS credentials (${message}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, to an identity allowed to use the queue`;
  }
  // The SDK gives up on a network error with the socket's own error (ENOTFOUND, ECONNRESET...).
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `cannot reach SQS in ${queue.region} (${code}): check the network, and the Region in --queue-url`;
  if ($metadata !== undefined && /AccessDenied|NotAuthorized|InvalidClientTokenId|ExpiredToken|InvalidSecurity|UnrecognizedClient|SignatureDoesNotMatch/.test(name ?? '')) {
    return (
      `${name}: ${message}. Redrive needs sqs:ReceiveMessage, sqs:ChangeMessageVisibility and sqs:DeleteMessage on ${queue.url}, ` +
      'and lambda:InvokeFunction on the functions it redrives to'
    );
  }
  if ($metadata !== undefined) return `SQS refused: ${describe(error)}`;
  return undefined;
}
