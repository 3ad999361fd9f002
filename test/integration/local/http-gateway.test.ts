import http from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueDevToken } from '#infra/local/dev-auth';
import { startHttpGateway, type RunningGateway } from '#infra/local/http-gateway';
import type { LocalFunction } from '#infra/local/invoke';

const JWT_SECRET = 'gateway-test-secret';
let received: APIGatewayProxyEventV2[] = [];
let reply: unknown = { statusCode: 200, body: 'ok' };
const fn: LocalFunction = {
  name: 'recorder',
  spec: { entry: 'n/a', description: 'records events', memorySize: 128, timeoutSeconds: 2 },
  handler: async (event) => {
    received.push(event as APIGatewayProxyEventV2);
    return reply;
  },
};

let gateway: RunningGateway;
beforeAll(async () => {
  gateway = await startHttpGateway({
    port: 0,
    jwtSecret: JWT_SECRET,
    log: () => undefined,
    health: async () => ({ status: 'ok' }),
    routes: [
      { method: 'POST', path: '/webhooks/generic', function: 'webhook', auth: 'none', fn },
      { method: 'GET', path: '/api/queues/{queue}/tickets', function: 'supportApi', auth: 'jwt', fn },
    ],
  });
});
afterAll(() => gateway.stop());
beforeEach(() => {
  received = [];
  reply = { statusCode: 200, body: 'ok' };
});

describe('the local HTTP API', () => {
  it('passes the body of a JSON request as text, exactly as sent', async () => {
    const body = '{ "text": "Caf\\u00e9  \u00e9t\u00e9 ", "n": 12345678901234567890 }';
    await fetch(`${gateway.url}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(received[0]).toMatchObject({ body, isBase64Encoded: false });
  });

  it('passes binary bodies, and text that is not UTF-8, base64-encoded byte for byte', async () => {
    const bytes = Buffer.from([0, 255, 254, 10, 13, 0xc3, 0x28]);
    await fetch(`${gateway.url}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    await fetch(`${gateway.url}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes });
    for (const event of received) {
      expect(event.isBase64Encoded).toBe(true);
      expect(Buffer.from(event.body!, 'base64')).toEqual(bytes);
    }
  });

  it('builds a payload 2.0 event: lower-cased headers, repeated ones comma-joined, cookies apart, query and route', async () => {
    // node:http sends a repeated header as separate lines (fetch would merge them itself).
    await new Promise<void>((resolve, reject) => {
      const request = http.request(`${gateway.url}/webhooks/generic?b=2&a=1&a=3`, { method: 'POST' }, (response) => {
        response.resume().on('end', resolve);
      });
      request.setHeader('Webhook-Id', 'msg_1');
      request.setHeader('X-Multi', ['one', 'two']);
      request.setHeader('Cookie', 'session=abc; theme=dark');
      request.on('error', reject).end('{}');
    });
    const event = received[0]!;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /webhooks/generic',
      rawPath: '/webhooks/generic',
      rawQueryString: 'b=2&a=1&a=3',
      queryStringParameters: { a: '1,3', b: '2' },
      cookies: ['session=abc', 'theme=dark'],
      requestContext: { stage: '$default', routeKey: 'POST /webhooks/generic', http: { method: 'POST', path: '/webhooks/generic' } },
    });
    expect(event.headers).toMatchObject({ 'webhook-id': 'msg_1', 'x-multi': 'one,two' });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('turns the handler result into the response: status, headers, cookies and base64 bodies', async () => {
    reply = { statusCode: 201, headers: { 'x-answer': '42' }, cookies: ['a=1'], body: Buffer.from('binary').toString('base64'), isBase64Encoded: true };
    const response = await fetch(`${gateway.url}/webhooks/generic`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-answer')).toBe('42');
    expect(response.headers.get('set-cookie')).toBe('a=1');
    expect(await response.text()).toBe('binary');
  });

  it('answers a result without a status code as a JSON 200, as API Gateway does', async () => {
    reply = { ticket: 'tkt_1' };
    const response = await fetch(`${gateway.url}/webhooks/generic`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ticket: 'tkt_1' });
  });

  it('answers 404 to a path or method with no route, without calling a function', async () => {
    expect((await fetch(`${gateway.url}/webhooks/other`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${gateway.url}/webhooks/generic`)).status).toBe(404);
    expect(received).toHaveLength(0);
  });

  it('answers 500 when the function throws, without its details', async () => {
    fn.handler = async () => {
      throw new Error('secret detail');
    };
    const response = await fetch(`${gateway.url}/webhooks/generic`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret detail');
    fn.handler = async (event) => {
      received.push(event as APIGatewayProxyEventV2);
      return reply;
    };
  });

  describe('routes behind the JWT authorizer', () => {
    const url = () => `${gateway.url}/api/queues/delays/tickets`;

    it('passes the path parameters and the claims, flattened to strings as API Gateway does', async () => {
      const token = await issueDevToken({ agent: 'ana', queues: ['delays', 'safety'], ttlSeconds: 60 }, JWT_SECRET);
      const response = await fetch(url(), { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      const event = received[0] as APIGatewayProxyEventV2 & { requestContext: { authorizer: { jwt: { claims: Record<string, string> } } } };
      expect(event.pathParameters).toEqual({ queue: 'delays' });
      expect(event.requestContext.authorizer.jwt.claims).toMatchObject({ sub: 'ana', 'cognito:groups': '[delays safety]', iss: 'redress-local' });
    });

    it.each([
      ['no token', undefined],
      ['a malformed header', 'Token abc'],
      ['a token signed with another key', 'other-key'],
      ['an expired token', 'expired'],
    ])('answers 401 to %s without calling the function', async (_, kind) => {
      let header: string | undefined = kind;
      if (kind === 'other-key') header = `Bearer ${await issueDevToken({ agent: 'ana', queues: ['delays'], ttlSeconds: 60 }, 'another-secret')}`;
      if (kind === 'expired') header = `Bearer ${await issueDevToken({ agent: 'ana', queues: ['delays'], ttlSeconds: 1 }, JWT_SECRET, new Date(Date.now() - 3_600_000))}`;
      const response = await fetch(url(), { headers: header ? { authorization: header } : {} });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
      expect(received).toHaveLength(0);
    });
  });

  it('serves GET /health', async () => {
    const response = await fetch(`${gateway.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
