import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from '#contracts/zod';
import type { LocalEventBus } from './bus.ts';
import { silentLog, type DeadLetter, type LocalLog } from './delivery.ts';
import { EventBusApiError, validationError } from './errors.ts';

export interface EventBusServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface EventBusServerOptions {
  bus: LocalEventBus;
  /** 0 picks a free port. */
  port: number;
  /**
   * Bodies larger than this are refused without being buffered. The default leaves room for ten
   * entries just under the §4 256 KB limit even after JSON escaping of Detail.
   */
  maxBodyBytes?: number;
  log?: LocalLog;
}

const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
const JSON_1_1 = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'AWSEvents.';

/** A local-only response header: how many archived events a StartReplay queued (AWS's answer has no count). */
export const REPLAYED_EVENTS_HEADER = 'x-redress-replayed-events';

/** An operation's answer with extra response headers; a plain value is just the body. */
class WithHeaders {
  constructor(
    readonly body: unknown,
    readonly headers: Record<string, string>,
  ) {}
}

type Operation = (bus: LocalEventBus, input: Record<string, unknown>) => Promise<unknown>;

/**
 * The local EventBridge endpoint: AWS JSON 1.1 on 127.0.0.1, so handlers use the real
 * `@aws-sdk/client-eventbridge` with only `endpoint` changed. `POST /` with
 * `x-amz-target: AWSEvents.<Operation>`; errors are HTTP 4xx with `{"__type", "message"}` and the
 * `x-amzn-errortype` header, from which the SDK picks the exception class. Besides PutEvents,
 * TestEventPattern and StartReplay it serves two operations AWS does not have, ListDeadLetters and
 * RedriveDeadLetters (see below), which `npx redress redrive` calls with plain fetch.
 */
export async function startEventBusServer(options: EventBusServerOptions): Promise<EventBusServer> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? silentLog;
  const server = createServer((request, response) => {
    handle(options.bus, request, response, maxBodyBytes, log).catch((error: unknown) => {
      // handle() answers every failure itself; this only guards against a broken socket.
      log.error('event-bus server: could not answer a request', { error: String(error) });
      response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  bus: LocalEventBus,
  request: IncomingMessage,
  response: ServerResponse,
  maxBodyBytes: number,
  log: LocalLog,
): Promise<void> {
  const requestId = randomUUID();
  request.on('error', () => undefined);
  try {
    if (request.method !== 'POST' || (request.url ?? '/').split('?')[0] !== '/') {
      throw new EventBusApiError('UnknownOperationException', 'Only POST / is served by this endpoint.', 404);
    }
    const target = String(request.headers['x-amz-target'] ?? '');
    const operationName = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const operation = Object.hasOwn(operations, operationName) ? operations[operationName] : undefined;
    if (!operation) {
      throw new EventBusApiError('UnknownOperationException', `Unknown operation ${target || '(no x-amz-target)'}.`);
    }
    const body = await readBody(request, maxBodyBytes);
    if (body === 'too-large') {
      // Refuse and close rather than read the rest of an oversized body.
      response.setHeader('connection', 'close');
      throw new EventBusApiError('RequestEntityTooLargeException', `Request body exceeds ${maxBodyBytes} bytes.`, 413);
    }
    const input = parseJsonObject(body);
    const output = await operation(bus, input);
    if (output instanceof WithHeaders) {
      for (const [name, value] of Object.entries(output.headers)) response.setHeader(name, value);
      send(response, 200, requestId, output.body);
    } else {
      send(response, 200, requestId, output);
    }
  } catch (error) {
    if (error instanceof ClientGoneError) return; // nobody is left to answer
    if (error instanceof EventBusApiError) {
      send(response, error.httpStatus, requestId, { __type: error.code, message: error.message }, error.code);
      return;
    }
    log.error('event-bus server: unexpected error', { requestId, error: String(error) });
    send(response, 500, requestId, { __type: 'InternalException', message: 'Internal error.' }, 'InternalException');
  }
}

const operations: Record<string, Operation> = {
  PutEvents: (bus, input) => bus.putEvents(input),

  async TestEventPattern(bus, input) {
    const { EventPattern, Event } = parseInput(input, testEventPatternSchema, ['EventPattern', 'Event']);
    return { Result: bus.testEventPattern(EventPattern, Event) };
  },

  async StartReplay(bus, input) {
    const request = parseInput(input, startReplaySchema, [
      'ReplayName',
      'EventSourceArn',
      'EventStartTime',
      'EventEndTime',
      'Destination',
    ]);
    if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(request.ReplayName)) {
      throw validationError(
        "1 validation error detected: Value at 'replayName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length between 1 and 64",
      );
    }
    checkArchiveArn(bus, request.EventSourceArn);
    // §8: a replay goes back to the archive's own bus only.
    if (request.Destination.Arn !== bus.busArn) {
      throw validationError('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
    }
    // A misspelt rule would otherwise replay to nobody and still report success.
    for (const filterArn of request.Destination.FilterArns ?? []) {
      if (!bus.ruleNames().some((name) => bus.ruleArn(name) === filterArn)) {
        throw new EventBusApiError('ResourceNotFoundException', `Rule ${filterArn} does not exist on EventBus ${bus.busName}.`);
      }
    }
    const startedAt = new Date();
    const replayed = await bus.replay({
      replayName: request.ReplayName,
      from: toDate(request.EventStartTime, 'EventStartTime'),
      to: toDate(request.EventEndTime, 'EventEndTime'),
      ...(request.Destination.FilterArns ? { ruleArns: request.Destination.FilterArns } : {}),
    });
    return new WithHeaders(
      {
        ReplayArn: `arn:aws:events:${bus.region}:${bus.account}:replay/${request.ReplayName}`,
        // AWS answers STARTING and replays in the background (§8). Locally every selected event is
        // already queued for delivery when we answer, so the replay is reported as COMPLETED; use
        // LocalEventBus.drain() to wait for the deliveries themselves.
        State: 'COMPLETED',
        StateReason: `Replayed ${replayed} event${replayed === 1 ? '' : 's'}.`,
        ReplayStartTime: startedAt.getTime() / 1000,
      },
      { [REPLAYED_EVENTS_HEADER]: String(replayed) },
    );
  },

  // ListDeadLetters and RedriveDeadLetters are local only, for `npx redress redrive`: EventBridge
  // has no such operations. In AWS each rule target's dead-letter queue is an SQS queue (§6), read
  // with SQS's ReceiveMessage, and a redrive is the operator sending those events again.

  async ListDeadLetters(bus, input): Promise<ListDeadLettersOutput> {
    const { Limit } = parseInput(input, listDeadLettersSchema, []);
    if (Limit !== undefined && (!Number.isInteger(Limit) || Limit < 1)) {
      throw validationError(
        `1 validation error detected: Value '${Limit}' at 'limit' failed to satisfy constraint: Member must be a whole number greater than or equal to 1`,
      );
    }
    // Oldest first: the store keeps them in the order they were written.
    const deadLetters = await bus.listDeadLetters();
    return { DeadLetters: deadLetters.slice(0, Limit ?? deadLetters.length).map(toDeadLetterEntry) };
  },

  async RedriveDeadLetters(bus, input): Promise<RedriveDeadLettersOutput> {
    const { DeadLetterIds } = parseInput(input, redriveDeadLettersSchema, []);
    if (DeadLetterIds !== undefined && DeadLetterIds.length === 0) {
      // An empty list is more likely a bug in the caller than a wish to redrive everything.
      throw validationError(
        "1 validation error detected: Value '[]' at 'deadLetterIds' failed to satisfy constraint: Member must have length greater than or equal to 1 (omit it to redrive every dead letter)",
      );
    }
    const result = await bus.redriveDeadLetters(DeadLetterIds);
    return {
      Redriven: result.redriven.length,
      Skipped: result.skipped.map((skipped) => ({ DeadLetterId: skipped.deadLetterId, Reason: skipped.reason })),
    };
  },
};

/** One dead letter as ListDeadLetters answers it: the §6 DLQ message attributes and the event's identity. */
function toDeadLetterEntry(deadLetter: DeadLetter): DeadLetterEntry {
  const { attributes, event } = deadLetter;
  return {
    DeadLetterId: deadLetter.deadLetterId,
    // Epoch seconds, as AWS JSON 1.1 writes every timestamp.
    DeadLetteredAt: Date.parse(deadLetter.deadLetteredAt) / 1000,
    RuleName: deadLetter.ruleName,
    RuleArn: attributes.RULE_ARN,
    TargetId: deadLetter.targetId,
    TargetArn: attributes.TARGET_ARN,
    ErrorCode: attributes.ERROR_CODE,
    ErrorMessage: attributes.ERROR_MESSAGE,
    ...(attributes.EXHAUSTED_RETRY_CONDITION ? { ExhaustedRetryCondition: attributes.EXHAUSTED_RETRY_CONDITION } : {}),
    RetryAttempts: attributes.RETRY_ATTEMPTS,
    EventId: event.id,
    EventTime: Date.parse(event.time) / 1000,
    DetailType: event['detail-type'],
    Source: event.source,
    ...(event['replay-name'] === undefined ? {} : { ReplayName: event['replay-name'] }),
  };
}

const listDeadLettersSchema = z.object({ Limit: z.optional(z.number()) });

const redriveDeadLettersSchema = z.object({ DeadLetterIds: z.optional(z.array(z.string())) });

/** ListDeadLetters' answer; `npx redress redrive` reads it with this schema. */
export const ListDeadLettersOutput = z.object({
  DeadLetters: z.array(
    z.object({
      DeadLetterId: z.string(),
      DeadLetteredAt: z.number(),
      RuleName: z.string(),
      RuleArn: z.string(),
      TargetId: z.string(),
      TargetArn: z.string(),
      ErrorCode: z.string(),
      ErrorMessage: z.string(),
      ExhaustedRetryCondition: z.optional(z.string()),
      RetryAttempts: z.number(),
      EventId: z.string(),
      EventTime: z.number(),
      DetailType: z.string(),
      Source: z.string(),
      ReplayName: z.optional(z.string()),
    }),
  ),
});
export type ListDeadLettersOutput = z.infer<typeof ListDeadLettersOutput>;
export type DeadLetterEntry = ListDeadLettersOutput['DeadLetters'][number];

/** RedriveDeadLetters' answer. */
export const RedriveDeadLettersOutput = z.object({
  Redriven: z.number(),
  Skipped: z.array(z.object({ DeadLetterId: z.string(), Reason: z.string() })),
});
export type RedriveDeadLettersOutput = z.infer<typeof RedriveDeadLettersOutput>;

const testEventPatternSchema = z.object({ EventPattern: z.string(), Event: z.string() });

// AWS JSON 1.1 sends timestamps as epoch seconds; ISO strings are accepted for hand-written requests.
const timestampSchema = z.union([z.number(), z.string()]);

const startReplaySchema = z.object({
  ReplayName: z.string(),
  Description: z.optional(z.string()),
  EventSourceArn: z.string(),
  EventStartTime: timestampSchema,
  EventEndTime: timestampSchema,
  Destination: z.object({ Arn: z.string(), FilterArns: z.optional(z.array(z.string())) }),
});

/**
 * Missing required members are a ValidationException, members of the wrong JSON type a
 * SerializationException: the split AWS JSON services make.
 */
function parseInput<S extends z.ZodMiniType>(
  input: Record<string, unknown>,
  schema: S,
  required: string[],
): z.infer<S> {
  const missing = required.filter((member) => input[member] === undefined || input[member] === null);
  if (missing.length > 0) {
    const details = missing.map(
      (member) => `Value null at '${member[0]!.toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
    throw validationError(`${missing.length} validation error${missing.length > 1 ? 's' : ''} detected: ${details.join('; ')}`);
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new EventBusApiError('SerializationException', z.prettifyError(parsed.error));
  return parsed.data;
}

function checkArchiveArn(bus: LocalEventBus, arn: string): void {
  const match = /^arn:aws[a-z-]*:events:([^:]+):([^:]+):archive\/(.+)$/.exec(arn);
  if (!match) throw validationError('Parameter EventSourceArn is not valid. Reason: Provided Arn is not an archive ARN.');
  // The local bus keeps one archive of every event, so any archive name in this account and
  // Region stands for it: the cloud stack may name its archive however it likes.
  if (match[1] !== bus.region || match[2] !== bus.account) {
    throw new EventBusApiError('ResourceNotFoundException', `Archive ${match[3]} does not exist.`);
  }
}

function toDate(value: number | string, member: string): Date {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new EventBusApiError('SerializationException', `${member} is not a timestamp.`);
  return date;
}

function parseJsonObject(body: Buffer): Record<string, unknown> {
  // The SDK sends "{}" for an empty input; treat a truly empty body the same.
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new EventBusApiError('SerializationException', `Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EventBusApiError('SerializationException', 'Request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection before the body was complete');
  }
}

/** Reads the body up to `maxBytes`; beyond that stops reading and returns 'too-large'. */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        chunks.length = 0;
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new ClientGoneError());
    };
    function cleanup() {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    }
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

function send(
  response: ServerResponse,
  status: number,
  requestId: string,
  body: unknown,
  errorType?: string,
): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.statusCode = status;
  response.setHeader('content-type', JSON_1_1);
  response.setHeader('content-length', Buffer.byteLength(text));
  response.setHeader('x-amzn-requestid', requestId);
  if (errorType) response.setHeader('x-amzn-errortype', errorType);
  response.end(text);
}
