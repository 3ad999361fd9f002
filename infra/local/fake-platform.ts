import { randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the fake platform received, as it arrived. */
export interface ReceivedCall {
  platform: 'x' | 'graph';
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  /** The body as parsed (JSON or form), or the raw text when it was neither. */
  body: unknown;
  status: number;
  at: string;
}

export interface FakePlatformOptions {
  /** 0 picks a free port. */
  port?: number;
  /** The access tokens the fake accepts; anything else gets the platform's 401. */
  xAccessToken: string;
  metaPageAccessToken: string;
  /** Told about each reply the fake took, for the console of `npm start`. */
  onReply?: (line: string) => void;
}

export interface FakePlatform {
  url: string;
  /** X API base (X_API_BASE_URL). */
  xBaseUrl: string;
  /** Graph API base with its version (META_GRAPH_BASE_URL). */
  graphBaseUrl: string;
  calls(): ReceivedCall[];
  /** The next `count` calls get `status` (with the platform's error body) instead of being taken. */
  failNext(count: number, status: number, headers?: Record<string, string>): void;
  /** The next `count` calls are held this long before they are answered. */
  delayNext(count: number, ms: number): void;
  stop(): Promise<void>;
}

const GRAPH_VERSION = 'v25.0';

/**
 * A stand-in for the X API and the Graph API on 127.0.0.1, for tests and `npm start`: it takes the
 * reply calls redress makes (../shared/specs/webhooks.md §5), checks them as the platforms do
 * (token, method, path, required fields, X's 280 characters and numeric ids), answers with the
 * platforms' shapes, and keeps every call for inspection (`GET /__calls`).
 */
export async function startFakePlatform(options: FakePlatformOptions): Promise<FakePlatform> {
  const calls: ReceivedCall[] = [];
  let failures: Array<{ status: number; headers: Record<string, string> }> = [];
  let delays: number[] = [];

  const server = createServer((request, response) => {
    void handle(request, response).catch(() => {
      if (!response.headersSent) reply(response, 500, { title: 'Internal Error' });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'GET' && url.pathname === '/__calls') return reply(response, 200, calls);
    const text = await readBody(request);
    const contentType = String(request.headers['content-type'] ?? '');
    const body = parseBody(text, contentType);
    const query = Object.fromEntries(url.searchParams);
    const isX = url.pathname.startsWith('/2/');
    const call: ReceivedCall = {
      platform: isX ? 'x' : 'graph',
      method: request.method ?? 'GET',
      path: url.pathname,
      query,
      headers: { authorization: request.headers.authorization, 'content-type': request.headers['content-type'] },
      body,
      status: 0,
      at: new Date().toISOString(),
    };
    calls.push(call);
    const delay = delays.shift();
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      reply(response, status, payload, headers);
    };
    const failure = failures.shift();
    if (failure) return answer(failure.status, isX ? xError(failure.status) : graphError(failure.status), failure.headers);
    if (isX) return answer(...handleX(call, options));
    return answer(...handleGraph(call, options));
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    xBaseUrl: url,
    graphBaseUrl: `${url}/${GRAPH_VERSION}`,
    calls: () => calls.map((call) => ({ ...call })),
    failNext(count, status, headers = {}) {
      failures = [...failures, ...Array.from({ length: count }, () => ({ status, headers }))];
    },
    delayNext(count, ms) {
      delays = [...delays, ...Array.from({ length: count }, () => ms)];
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };

  function handleX(call: ReceivedCall, { xAccessToken, onReply }: FakePlatformOptions): [number, unknown] {
    if (call.headers.authorization !== `Bearer ${xAccessToken}`) return [401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' }];
    if (call.method !== 'POST') return [405, { title: 'Method Not Allowed', status: 405 }];
    const body = call.body as { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } } | undefined;
    const text = typeof body?.text === 'string' ? body.text : undefined;
    if (!text) return [400, { title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', errors: [{ message: '$.text is required' }] }];
    const dm = /^\/2\/dm_conversations\/with\/([^/]+)\/messages$/.exec(call.path);
    if (dm) {
      onReply?.(`fake X: direct message to ${dm[1]}: ${JSON.stringify(text)}`);
      return [201, { data: { dm_conversation_id: `${dm[1]}-1`, dm_event_id: snowflake() } }];
    }
    if (call.path !== '/2/tweets') return [404, { title: 'Not Found Error', status: 404, detail: `no route ${call.path}` }];
    if ([...text].length > 280) return [403, { title: 'Forbidden', status: 403, detail: 'Your Tweet text is too long.' }];
    const inReplyTo = body?.reply?.in_reply_to_tweet_id;
    if (body?.reply !== undefined && (typeof inReplyTo !== 'string' || !/^[0-9]{1,19}$/.test(inReplyTo))) {
      return [400, { title: 'Invalid Request', errors: [{ message: '$.reply.in_reply_to_tweet_id does not match ^[0-9]{1,19}$' }] }];
    }
    const id = snowflake();
    onReply?.(`fake X: reply ${id} to post ${String(inReplyTo)}: ${JSON.stringify(text)}`);
    return [201, { data: { id, text, edit_history_tweet_ids: [id] } }];
  }

  function handleGraph(call: ReceivedCall, { metaPageAccessToken, onReply }: FakePlatformOptions): [number, unknown] {
    const token = call.headers.authorization?.replace(/^(Bearer|OAuth) /, '') ?? call.query.access_token;
    if (token !== metaPageAccessToken) return [400, { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 } }];
    const match = new RegExp(`^/${GRAPH_VERSION}/([^/]+)/(comments|replies|messages|mentions)$`).exec(call.path);
    if (call.method !== 'POST' || !match) return [400, { error: { message: `Unsupported ${call.method} request to ${call.path}`, type: 'GraphMethodException', code: 100 } }];
    const [, objectId, edge] = match;
    const fields = { ...call.query, ...(call.body as Record<string, unknown> | undefined) };
    if (edge === 'messages') {
      const recipient = parseMaybeJson(fields.recipient) as { id?: unknown } | undefined;
      const message = parseMaybeJson(fields.message) as { text?: unknown } | undefined;
      if (typeof recipient?.id !== 'string' || typeof message?.text !== 'string' || !message.text) {
        return [400, { error: { message: '(#100) recipient.id and message.text are required', type: 'OAuthException', code: 100 } }];
      }
      const messageId = `m_${snowflake()}`;
      onReply?.(`fake Messenger: message ${messageId} from Page ${objectId} to ${recipient.id}: ${JSON.stringify(message.text)}`);
      return [200, { recipient_id: recipient.id, message_id: messageId }];
    }
    const message = fields.message;
    if (typeof message !== 'string' || !message) return [400, { error: { message: '(#100) The parameter message is required', type: 'OAuthException', code: 100 } }];
    const id = `${objectId}_${snowflake()}`;
    onReply?.(`fake ${edge === 'comments' ? 'Facebook' : 'Instagram'}: ${edge === 'comments' ? 'comment' : 'reply'} ${id} on ${objectId}: ${JSON.stringify(message)}`);
    return [200, { id }];
  }
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Invalid Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found Error',
  408: 'Request Timeout',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function xError(status: number): unknown {
  const title = STATUS_TITLES[status] ?? 'Error';
  return { title, status, detail: title };
}

/** Graph's shapes: throttling as code 4 (it is a 400 on the real Graph API), passing trouble as a transient code 2. */
function graphError(status: number): unknown {
  if (status === 429) return { error: { message: '(#4) Application request limit reached', type: 'OAuthException', code: 4, is_transient: true } };
  if (status >= 500) return { error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2, is_transient: true } };
  return { error: { message: `(#100) ${STATUS_TITLES[status] ?? 'Invalid request'}`, type: 'OAuthException', code: 100 } };
}

function reply(response: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(payload));
}

function parseBody(text: string, contentType: string): unknown {
  if (!text) return undefined;
  if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A 19-digit id, as X and Meta ids look. */
function snowflake(): string {
  return `1${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
}
