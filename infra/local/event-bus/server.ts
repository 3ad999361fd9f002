import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from '#contracts/zod';
import type { LocalEventBus } from './bus.ts';
import { silentLog, type LocalLog } from './delivery.ts';
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

type Operation = (bus: LocalEventBus, input: Record<string, unknown>) => Promise<unknown>;

/**
 * The local EventBridge endpoint: AWS JSON 1.1 on 127.0.0.1, so handlers use the real
 * `@aws-sdk/client-eventbridge` with only `endpoint` changed. `POST /` with
 * `x-amz-target: AWSEvents.<Operation>`; errors are HTTP 4xx with `{"__type", "message"}` and the
 * `x-amzn-errortype` header, from which the SDK picks the exception class.
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
    send(response, 200, requestId, output);
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
    const startedAt = new Date();
    await bus.replay({
      replayName: request.ReplayName,
      from: toDate(request.EventStartTime, 'EventStartTime'),
      to: toDate(request.EventEndTime, 'EventEndTime'),
      ...(request.Destination.FilterArns ? { ruleArns: request.Destination.FilterArns } : {}),
    });
    return {
      ReplayArn: `arn:aws:events:${bus.region}:${bus.account}:replay/${request.ReplayName}`,
      // AWS answers STARTING and replays in the background (§8). Locally every selected event is
      // already queued for delivery when we answer, so the replay is reported as COMPLETED; use
      // LocalEventBus.drain() to wait for the deliveries themselves.
      State: 'COMPLETED',
      ReplayStartTime: startedAt.getTime() / 1000,
    };
  },
};

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
