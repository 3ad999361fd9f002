import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { routeKey, type RouteSpec } from '#infra/topology';
import { flattenClaims, verifyDevToken } from './dev-auth.ts';
import { invoke, type LocalFunction } from './invoke.ts';

/** API Gateway HTTP API's payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
// Bodies of these types reach the function as text, like API Gateway; anything else, and any
// body that is not valid UTF-8, arrives base64-encoded with isBase64Encoded set.
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|application\/[\w.+-]+\+(json|xml))/i;

export interface GatewayRoute extends RouteSpec {
  fn: LocalFunction;
}

export interface GatewayOptions {
  port: number;
  routes: GatewayRoute[];
  jwtSecret: string;
  health(): Promise<Record<string, unknown>>;
  log(line: string): void;
}

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The local twin of the HTTP API: each request becomes a payload-2.0 event for the route's real
 * handler (raw body kept byte for byte, lower-cased headers, query string, path parameters,
 * request context, JWT claims for authorized routes), and the handler's result becomes the reply.
 */
export async function startHttpGateway(options: GatewayOptions): Promise<RunningGateway> {
  const matchers = options.routes.map((route) => ({ route, match: pathMatcher(route.path) }));
  const inFlight = new Set<Promise<void>>();
  const server: Server = createServer((request, response) => {
    const work = handle(request, response).catch((error: unknown) => {
      options.log(`gateway error: ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) send(response, 500, { message: 'Internal Server Error' });
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/health') {
      const health = await options.health();
      return send(response, health.status === 'ok' ? 200 : 503, health);
    }
    const found = matchers
      .map(({ route, match }) => ({ route, params: match(url.pathname) }))
      .find(({ route, params }) => params && (route.method === method || route.method === 'ANY'));
    if (!found?.params) return send(response, 404, { message: 'Not Found' });

    const body = await readBody(request);
    if (body === 'too large') return send(response, 413, { message: 'Request Entity Too Large' });
    const event = toEvent(request, url, body, found.route, found.params);
    if (found.route.auth === 'jwt') {
      const claims = await authorize(request.headers.authorization, options.jwtSecret);
      if (!claims) return send(response, 401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
      Object.assign(event.requestContext, { authorizer: { jwt: { claims, scopes: [] } } });
    }
    const result = await invoke(found.route.fn, event).catch((error: unknown) => {
      options.log(`${found.route.fn.name} failed: ${(error as Error).stack ?? String(error)}`);
      return { statusCode: 500, body: JSON.stringify({ message: 'Internal Server Error' }) };
    });
    writeResult(response, result);
    options.log(`${method} ${url.pathname} -> ${response.statusCode} (${(performance.now() - started).toFixed(0)} ms)`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      // Stop taking new requests, let the ones in flight finish, then drop idle connections.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await closed;
    },
  };
}

function pathMatcher(template: string): (path: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\+?\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${source}$`);
  return (path) => {
    const match = regex.exec(path);
    if (!match) return undefined;
    return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]));
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_PAYLOAD_BYTES) return 'too large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function toEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  route: GatewayRoute,
  pathParameters: Record<string, string>,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index]!.toLowerCase();
    const value = request.rawHeaders[index + 1]!;
    if (name === 'cookie') cookies.push(...value.split(/;\s*/));
    // HTTP API joins repeated headers with commas.
    else headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const asText = body.length > 0 && TEXT_TYPES.test(headers['content-type'] ?? '') && isUtf8(body);
  const now = new Date();
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0]!,
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: routeKey(route),
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: body.length > 0 && !asText,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (url.search) event.queryStringParameters = query;
  if (Object.keys(pathParameters).length > 0) event.pathParameters = pathParameters;
  if (body.length > 0) event.body = asText ? body.toString('utf8') : body.toString('base64');
  return event;
}

async function authorize(header: string | undefined, secret: string): Promise<Record<string, string> | undefined> {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!token) return undefined;
  try {
    return flattenClaims(await verifyDevToken(token, secret));
  } catch {
    return undefined;
  }
}

/** Payload 2.0 response rules: a structured result is used as is; anything else is a JSON 200. */
function writeResult(response: ServerResponse, result: unknown): void {
  const structured = typeof result === 'object' && result !== null && 'statusCode' in result;
  if (!structured) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return;
  }
  const { statusCode = 200, headers = {}, cookies = [], body = '', isBase64Encoded } = result as APIGatewayProxyStructuredResultV2;
  const outgoing: Record<string, string | string[]> = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
  if (cookies.length > 0) outgoing['set-cookie'] = cookies;
  response.writeHead(statusCode, outgoing).end(isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
