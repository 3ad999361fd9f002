import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '#config/defaults';
import { mergeConfig, parseConfig } from '#config/load-config';
import type { Ticket } from '#contracts/ticket';
import { issueDevToken } from '#infra/local/dev-auth';
import type { LocalStack } from '#infra/local/start';
import { startTestStack } from '#test/support/local-stack';
import { eventually, genericPost, signedHeaders } from '#test/support/signed-post';
import { buildDelivery, DEFAULT_BRANDS } from '../../bin/send/deliveries.ts';

// An agent working a ticket through the local stack as they would on `npm start`: the signed post
// through the webhook, the bus and the enqueue function to a ticket; then the support API behind
// the local JWT authorizer, with If-Match and ETag, and the ticket's events in the bus archive.
let stack: LocalStack;
let dataDir: string;
let token: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'redress-e2e-support-'));
  // Issues due within 10 minutes, so an unanswered one counts as at risk (due within 15).
  const input = mergeConfig(defaultConfig, { sla: { policies: { P1: { firstResponse: '10m' }, P2: { firstResponse: '10m' }, P3: { firstResponse: '10m' } } } });
  stack = await startTestStack({
    dataDir,
    config: { config: parseConfig(input, 'e2e'), input, origin: 'e2e' },
  });
  token = await issueDevToken({ agent: 'ana', name: 'Ana', queues: ['delays', 'safety'], ttlSeconds: 600 }, stack.secrets.LOCAL_JWT_SECRET);
});
afterAll(() => stack?.stop());

async function deliver(id: string, text: string, author: string): Promise<void> {
  const body = genericPost(id, text, author);
  const response = await fetch(`${stack.url}/webhooks/generic`, { method: 'POST', headers: signedHeaders(body, stack.secrets.WEBHOOK_SECRETS), body });
  expect(response.status).toBe(200);
}

/** A mention of the brand on X, signed with the stack's X consumer secret, as X delivers it. */
async function deliverOnX(id: string, text: string, author: string): Promise<void> {
  const secret = stack.secrets.X_CONSUMER_SECRET.split(',')[0]!.trim();
  const delivery = buildDelivery('x', [{ id, text, author: { id: author, handle: `@cust${author}` }, createdAt: new Date() }], { secret, brand: DEFAULT_BRANDS.x, now: new Date() });
  const response = await fetch(`${stack.url}${delivery.path}`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  expect(response.status).toBe(200);
}

async function api(method: 'GET' | 'POST', route: string, options: { ifMatch?: string; body?: unknown; authorization?: string } = {}) {
  const headers: Record<string, string> = { authorization: options.authorization ?? `Bearer ${token}` };
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${stack.url}${route}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  return { status: response.status, etag: response.headers.get('etag'), json: (await response.json()) as any };
}

/** The ticket a post opened, once the bus and the enqueue function have made it. */
async function ticketOf(postId: string): Promise<Ticket> {
  return eventually(async () => {
    const { json } = await api('GET', '/api/queues/delays/tickets');
    return (json.tickets as Ticket[] | undefined)?.find((ticket) => ticket.firstPostId === postId);
  });
}

function archived(): Array<{ 'detail-type': string; detail: Record<string, any> }> {
  return readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
}

describe('an agent working a ticket through the support API', () => {
  it('lists, reads, claims, answers and resolves the ticket a signed post opened, each change on the version read', async () => {
    // On X, so that the reply has somewhere to go: the fake X API the stack started.
    const postId = '1860000000000004242';
    await deliverOnX(postId, 'Flight UA456 delayed 5 hours and we are stuck at the gate in SFO', '4242000001');
    const listed = await ticketOf(postId);
    expect(listed).toMatchObject({ queue: 'delays', status: 'new', version: 1 });

    const read = await api('GET', `/api/tickets/${listed.id}`);
    expect(read.status).toBe(200);
    expect(read.etag).toBe('"1"');
    expect(read.json.ticket).toEqual(listed);
    expect(read.json.posts).toHaveLength(1);
    expect(read.json.posts[0].post).toMatchObject({ platform: 'x', id: postId, text: '@RedressAir Flight UA456 delayed 5 hours and we are stuck at the gate in SFO' });
    expect(read.json.posts[0].classification).toMatchObject({ isIssue: true, category: 'delay', entities: { flightNumbers: ['UA456'] } });
    expect(read.json.posts[0].classification.reasons.length).toBeGreaterThan(0);
    expect(read.json.history.map((entry: { detailType: string }) => entry.detailType)).toEqual(['Ticket.Created']);

    const claimed = await api('POST', `/api/tickets/${listed.id}/claim`, { ifMatch: read.etag! });
    expect(claimed.status).toBe(200);
    expect(claimed.etag).toBe('"2"');
    expect(claimed.json.ticket).toMatchObject({ status: 'open', version: 2, assignee: { kind: 'agent', id: 'ana', name: 'Ana' } });

    const replied = await api('POST', `/api/tickets/${listed.id}/replies`, { ifMatch: claimed.etag!, body: { text: 'So sorry, Ana here: we are rebooking you now.' } });
    expect(replied.status).toBe(202);
    expect(replied.etag).toBe('"3"');
    expect(replied.json.reply).toMatchObject({ text: 'So sorry, Ana here: we are rebooking you now.', delivery: { status: 'pending', attempts: 0 } });
    const { replyId } = replied.json.reply as { replyId: string };
    expect(replied.json.ticket.firstResponseAt).toBe(replied.json.reply.createdAt);

    const afterReply = await api('GET', `/api/tickets/${listed.id}`);
    expect(afterReply.etag).toBe('"3"');
    // Stored as pending; the reply function may already be sending it (or have sent it) to the platform.
    expect(afterReply.json.replies).toEqual([
      expect.objectContaining({ replyId, text: 'So sorry, Ana here: we are rebooking you now.', delivery: expect.objectContaining({ status: expect.stringMatching(/^(pending|sending|sent)$/) }) }),
    ]);
    // Published before the 202, unless the SLA monitor held the outbox at that moment: then it publishes.
    const responded = await eventually(async () => {
      const events = archived().filter((event) => event['detail-type'] === 'Ticket.Responded' && event.detail.replyId === replyId);
      return events.length > 0 ? events : undefined;
    });
    expect(responded).toHaveLength(1);
    expect(responded[0]!.detail).toMatchObject({ ticketId: listed.id, firstResponse: true, replyTo: { platform: 'x', postId } });

    // The reply function sends it under the customer's post, once, and records X's id for it.
    const sent = await eventually(async () => {
      const { json } = await api('GET', `/api/tickets/${listed.id}`);
      const reply = (json.replies as Array<{ delivery: { status: string; platformId?: string } }>)[0];
      return reply?.delivery.status === 'sent' ? reply : undefined;
    });
    const calls = stack.fakePlatform!.calls().filter((call) => call.path === '/2/tweets');
    expect(calls).toEqual([
      expect.objectContaining({
        method: 'POST',
        headers: expect.objectContaining({ authorization: `Bearer ${stack.secrets.X_ACCESS_TOKEN}`, 'content-type': 'application/json' }),
        body: { text: 'So sorry, Ana here: we are rebooking you now.', reply: { in_reply_to_tweet_id: postId } },
        status: 201,
      }),
    ]);
    expect(sent.delivery.platformId).toMatch(/^[0-9]{19}$/);

    const resolved = await api('POST', `/api/tickets/${listed.id}/resolve`, { ifMatch: afterReply.etag! });
    expect(resolved.status).toBe(200);
    expect(resolved.etag).toBe('"4"');
    expect(resolved.json.ticket).toMatchObject({ status: 'solved', version: 4 });

    const history = (await api('GET', `/api/tickets/${listed.id}`)).json.history.map((entry: { detailType: string }) => entry.detailType);
    expect(history).toEqual(['Ticket.Created', 'Ticket.Updated', 'Ticket.Responded', 'Ticket.Resolved']);
    await stack.bus.drain();
    expect(archived().filter((event) => event.detail.ticketId === listed.id).map((event) => event['detail-type'])).toEqual([
      'Ticket.Created',
      'Ticket.Updated',
      'Ticket.Responded',
      'Ticket.Resolved',
    ]);
  });

  it('refuses a change on a stale version with 409 and the current version, and one without If-Match with 428', async () => {
    await deliver('e2e-support-2', 'Flight UA789 delayed 4 hours, nobody at the desk in Denver', 'support-customer-2');
    const ticket = await ticketOf('e2e-support-2');
    expect((await api('POST', `/api/tickets/${ticket.id}/claim`, { ifMatch: '"1"' })).status).toBe(200);

    const stale = await api('POST', `/api/tickets/${ticket.id}/resolve`, { ifMatch: '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ error: 'conflict', currentVersion: 2 });
    const missing = await api('POST', `/api/tickets/${ticket.id}/resolve`);
    expect(missing.status).toBe(428);
    expect((await api('GET', `/api/tickets/${ticket.id}`)).json.ticket).toMatchObject({ status: 'open', version: 2 });
  });

  it('counts open and at-risk tickets per queue, as the queue listing shows them', async () => {
    await deliver('e2e-support-3', 'Flight UA321 delayed 6 hours, no hotel offered', 'support-customer-3');
    await deliver('e2e-support-4', 'Flight UA654 delayed 3 hours and counting at the gate', 'support-customer-4');
    const answered = await ticketOf('e2e-support-3');
    const unanswered = await ticketOf('e2e-support-4');
    expect((await api('POST', `/api/tickets/${answered.id}/replies`, { ifMatch: '"1"', body: { text: 'Looking into it now.' } })).status).toBe(202);

    const { status, json } = await api('GET', '/api/queues');
    expect(status).toBe(200);
    expect(json.queues.map((queue: { name: string }) => queue.name)).toEqual(['safety', 'delays']);
    const delays = json.queues.find((queue: { name: string }) => queue.name === 'delays');

    const working = (await api('GET', '/api/queues/delays/tickets?limit=100')).json.tickets as Ticket[];
    const atRiskBy = Date.now() + 15 * 60_000;
    const atRisk = working.filter(
      (ticket) => ['new', 'open'].includes(ticket.status) && ticket.firstResponseAt === null && Date.parse(ticket.sla.firstResponseDueAt) <= atRiskBy,
    );
    expect(delays).toMatchObject({ description: expect.any(String), open: working.length, atRisk: atRisk.length });
    expect(atRisk.map((ticket) => ticket.id)).toContain(unanswered.id);
    expect(atRisk.map((ticket) => ticket.id)).not.toContain(answered.id);
  });

  it('keeps tickets from agents outside their queue, and the API from requests without a token', async () => {
    await deliver('e2e-support-5', 'Flight UA987 delayed 5 hours, missed my connection', 'support-customer-5');
    const ticket = await ticketOf('e2e-support-5');
    const outsider = await issueDevToken({ agent: 'bo', queues: ['baggage'], ttlSeconds: 600 }, stack.secrets.LOCAL_JWT_SECRET);

    expect((await api('GET', `/api/tickets/${ticket.id}`, { authorization: `Bearer ${outsider}` })).status).toBe(403);
    expect((await api('POST', `/api/tickets/${ticket.id}/claim`, { authorization: `Bearer ${outsider}`, ifMatch: '"1"' })).status).toBe(403);
    expect((await api('GET', `/api/tickets/${ticket.id}`, { authorization: '' })).status).toBe(401);
    expect((await api('GET', '/api/tickets/tkt_0000000000000000')).status).toBe(404);
  });

  it('serves its OpenAPI document without a token', async () => {
    const response = await fetch(`${stack.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/queues', '/api/tickets/{id}', '/api/tickets/{id}/replies']));
  });
});
