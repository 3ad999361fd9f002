import { randomUUID } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from '../../training/seeded-random.ts';

/**
 * A DynamoDB endpoint on 127.0.0.1 for fault-injection tests. It forwards every request to a
 * real local DynamoDB (dynalite or DynamoDB Local) and, while faults are on, answers a share of
 * the data-plane calls itself with DynamoDB's throttling errors, without forwarding them: the
 * caller sees exactly what DynamoDB sends when a partition is over its limit.
 *
 * It also gives each run a table of its own: the local stack always names its table
 * `redress-local`, so the proxy renames that table to `physical` in requests (TableName and the
 * keys of RequestItems) and back in answers. Changing the body breaks its SigV4 signature, which
 * neither dynalite nor DynamoDB Local checks.
 *
 * The proxy outlives the stacks that use it: handlers read DYNAMODB_ENDPOINT once, when first
 * imported, so a second stack in the same test file keeps the first one's endpoint; forwardTo()
 * points that endpoint at the next run's table.
 */
export interface DynamoDbFaultProxy {
  readonly url: string;
  forwardTo(endpoint: string, table: { logical: string; physical: string }): void;
  /**
   * Fails `rate` of the data-plane calls from now on, picked by a PRNG seeded with `seed`, and
   * every call whose request names one of `always` (a key value such as `POSTREF#generic#p-1`),
   * until stopFaults: what keeps one event failing until its retries run out and it dead-letters.
   */
  injectFaults(options: { rate: number; seed: number; always?: readonly string[] }): void;
  stopFaults(): void;
  readonly counts: DynamoDbFaultCounts;
  close(): Promise<void>;
}

export interface DynamoDbFaultCounts {
  /** Data-plane calls seen while faults were on, failed or not. */
  calls: number;
  /** Calls answered with an error, by DynamoDB error code. */
  failed: Record<string, number>;
  /** Calls answered with an error, by operation (PutItem, Query, ...). */
  failedByOperation: Record<string, number>;
  /** Requests the proxy could not forward (answered 502): none is expected. */
  upstreamErrors: number;
}

/** The calls that read or write items; table management (CreateTable at start) is never failed. */
const DATA_PLANE = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
]);

/** DynamoDB's own answers for a throttled request: HTTP 400, the AWS JSON 1.0 error shape. */
const THROTTLING_ERRORS = [
  {
    code: 'ProvisionedThroughputExceededException',
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message:
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  {
    code: 'ThrottlingException',
    type: 'com.amazon.coral.availability#ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput.',
  },
] as const;

/** Headers that belong to one hop, or that the proxy recomputes because it may change the body. */
const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'x-amz-crc32']);

export async function startDynamoDbFaultProxy(): Promise<DynamoDbFaultProxy> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let upstream: URL | undefined;
  let table: { logical: string; physical: string } | undefined;
  let faults: { rate: number; random: () => number; always: readonly string[] } | undefined;
  const counts: DynamoDbFaultCounts = { calls: 0, failed: {}, failedByOperation: {}, upstreamErrors: 0 };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      counts.upstreamErrors += 1;
      if (!response.headersSent) {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(`dynamodb fault proxy: ${String(error)}`);
      } else {
        response.destroy();
      }
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readAll(request);
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    if (faults && DATA_PLANE.has(operation)) {
      counts.calls += 1;
      // The PRNG is drawn for every call, so the `always` keys do not shift which others fail.
      const picked = faults.random() < faults.rate;
      const sent = faults.always.length ? body.toString('utf8') : '';
      if (picked || faults.always.some((key) => sent.includes(`"${key}"`))) {
        const error = THROTTLING_ERRORS[faults.random() < 0.5 ? 0 : 1];
        counts.failed[error.code] = (counts.failed[error.code] ?? 0) + 1;
        counts.failedByOperation[operation] = (counts.failedByOperation[operation] ?? 0) + 1;
        const text = JSON.stringify({ __type: error.type, message: error.message });
        response.writeHead(400, {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': Buffer.byteLength(text),
          'x-amzn-requestid': randomUUID(),
        });
        response.end(text);
        return;
      }
    }
    if (!upstream) throw new Error('no DynamoDB to forward to yet (call forwardTo first)');
    const forwarded = table ? renameTable(body, table.logical, table.physical) : body;
    const answer = await forward(upstream, request.method ?? 'POST', request.url ?? '/', request.headers, forwarded, agent);
    // The physical name holds a UUID, so replacing it as text cannot touch anything else.
    const text = answer.body.toString('utf8');
    const back = table && text.includes(table.physical) ? Buffer.from(text.split(table.physical).join(table.logical)) : answer.body;
    response.writeHead(answer.status, { ...withoutHopHeaders(answer.headers), 'content-length': back.length });
    response.end(back);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    forwardTo(endpoint, tables) {
      upstream = new URL(endpoint);
      table = tables;
    },
    injectFaults({ rate, seed, always = [] }) {
      faults = { rate, random: mulberry32(seed), always };
    },
    stopFaults() {
      faults = undefined;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/** TableName, and the table keys of BatchGetItem/BatchWriteItem's RequestItems. */
function renameTable(body: Buffer, logical: string, physical: string): Buffer {
  if (body.length === 0) return body;
  const input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  if (input.TableName === logical) input.TableName = physical;
  const items = input.RequestItems as Record<string, unknown> | undefined;
  if (items && logical in items) {
    items[physical] = items[logical];
    delete items[logical];
  }
  return Buffer.from(JSON.stringify(input));
}

export interface ForwardedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request to `upstream`, the answer read whole. */
export function forward(
  upstream: URL,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  agent: Agent,
): Promise<ForwardedAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method,
        path,
        agent,
        headers: { ...withoutHopHeaders(headers), host: upstream.host, 'content-length': body.length },
      },
      (answer) => {
        readAll(answer).then((data) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: data }), reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export function withoutHopHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_HEADERS.has(name.toLowerCase())) kept[name] = value;
  }
  return kept;
}

export function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
