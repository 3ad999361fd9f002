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

// The whole slice through the real pieces: the local HTTP API, the webhook handler, the local
// EventBridge with the rules CDK deploys, the enqueue handler, dynalite, the SLA monitor on its
// timer, and the support API behind the JWT authorizer.
let stack: LocalStack;
let dataDir: string;
let token: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'redress-e2e-'));
  // Baggage tickets get a 2-second first-response SLA so a breach happens during the test.
  const input = mergeConfig(defaultConfig, { sla: { policies: { P3: { firstResponse: '2s' } } } });
  stack = await startTestStack({
    dataDir,
    scheduleIntervalSeconds: 1,
    config: { config: parseConfig(input, 'e2e'), input, origin: 'e2e' },
  });
  token = await issueDevToken({ agent: 'ana', queues: ['delays', 'baggage', 'general'], ttlSeconds: 600 }, stack.secrets.LOCAL_JWT_SECRET);
});
afterAll(() => stack?.stop());

async function deliver(body: string, headers = signedHeaders(body, stack.secrets.WEBHOOK_SECRETS)) {
  return fetch(`${stack.url}/webhooks/generic`, { method: 'POST', headers, body });
}

async function queue(name: string, authorization = `Bearer ${token}`): Promise<{ status: number; tickets: Ticket[] }> {
  const response = await fetch(`${stack.url}/api/queues/${name}/tickets?status=new,open`, { headers: { authorization } });
  const body = (await response.json()) as { tickets?: Ticket[] };
  return { status: response.status, tickets: body.tickets ?? [] };
}

function archived(): Array<{ 'detail-type': string; detail: Record<string, unknown> }> {
  return readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
}

describe('a post through the local stack', () => {
  it('turns a signed complaint into a ticket an agent sees in the right queue', async () => {
    const response = await deliver(genericPost('e2e-delay', 'Flight UA123 delayed 4 hours, still stuck at the gate'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, removals: 0, ignored: 0, queues: { delays: 1 } });

    const ticket = await eventually(async () => (await queue('delays')).tickets.find((candidate) => candidate.firstPostId === 'e2e-delay'));
    expect(ticket).toMatchObject({ queue: 'delays', status: 'new', priority: 'P2', category: 'delay', preview: 'Flight UA123 delayed 4 hours, still stuck at the gate' });
  });

  it('answers a tampered signature with 401 and opens no ticket', async () => {
    const body = genericPost('e2e-forged', 'My bag was lost and nobody answers');
    const headers = signedHeaders(body, stack.secrets.WEBHOOK_SECRETS);
    headers['webhook-signature'] = headers['webhook-signature']!.replace(/.{4}$/, 'AAAA');

    const response = await deliver(body, headers);
    expect(response.status).toBe(401);
    await stack.bus.drain();
    expect((await queue('baggage')).tickets.map((ticket) => ticket.firstPostId)).not.toContain('e2e-forged');
    expect(archived().some((event) => JSON.stringify(event.detail).includes('e2e-forged'))).toBe(false);
  });

  it('hands a post delivered three times at once on once, and acknowledges every copy', async () => {
    const body = genericPost('e2e-repeat', 'The seat was broken and the wifi never worked');
    const headers = signedHeaders(body, stack.secrets.WEBHOOK_SECRETS);
    const responses = await Promise.all([1, 2, 3].map(() => deliver(body, headers)));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    const outcomes = (await Promise.all(responses.map((response) => response.json()))) as Array<{ accepted: number; duplicates: number }>;
    expect(outcomes.map((outcome) => outcome.accepted).sort()).toEqual([0, 0, 1]);
    await stack.bus.drain();

    const classified = archived().filter((event) => event['detail-type'] === 'Post.Classified' && JSON.stringify(event.detail).includes('"e2e-repeat"'));
    expect(classified).toHaveLength(1);
    expect((await queue('general')).tickets.filter((ticket) => ticket.firstPostId === 'e2e-repeat')).toHaveLength(1);
    const created = archived().filter((event) => event['detail-type'] === 'Ticket.Created' && event.detail.postId === 'e2e-repeat');
    expect(created).toHaveLength(1);
  });

  it('acknowledges a redelivery days later without a second effect', async () => {
    const body = genericPost('e2e-later', 'My bag was damaged on arrival');
    expect((await deliver(body)).status).toBe(200);
    const again = await deliver(body);
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('opens no ticket for a post that is no issue', async () => {
    const response = await deliver(genericPost('e2e-praise', 'Loved the crew on my flight to Lisbon, thank you!'));
    expect(await response.json()).toMatchObject({ accepted: 1, queues: { none: 1 } });
    await stack.bus.drain();
    expect(archived().some((event) => event['detail-type'] === 'Ticket.Created' && event.detail.postId === 'e2e-praise')).toBe(false);
  });

  it("adds a customer's answer that is no issue (a photo the agent asked for) to their ticket, which is open again", async () => {
    await deliver(genericPost('e2e-bag', 'My bag never arrived in Lisbon and nobody answers the phone', 'answering-customer'));
    const opened = await eventually(async () => (await queue('baggage')).tickets.find((ticket) => ticket.firstPostId === 'e2e-bag'));
    const headers = { authorization: `Bearer ${token}`, 'if-match': `"${opened.version}"` };
    expect((await fetch(`${stack.url}/api/tickets/${opened.id}/pending`, { method: 'POST', headers })).status).toBe(200);

    const photo = JSON.stringify({
      type: 'post.created',
      timestamp: new Date().toISOString(),
      data: { id: 'e2e-photo', kind: 'reply', inReplyToId: 'agent-reply-1', text: '[image]', author: { id: 'answering-customer' }, createdAt: new Date().toISOString() },
    });
    const response = await deliver(photo);
    expect(await response.json()).toMatchObject({ accepted: 1, queues: { none: 1 } });

    const view = await eventually(async () => {
      const read = await fetch(`${stack.url}/api/tickets/${opened.id}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await read.json()) as { ticket: Ticket; posts: Array<{ post: { id: string }; classification: { isIssue: boolean } }> };
      return body.posts.length === 2 ? body : undefined;
    });
    expect(view.ticket).toMatchObject({ status: 'open', postCount: 2, queue: 'baggage' });
    expect(view.posts.map((stored) => [stored.post.id, stored.classification.isIssue])).toEqual([
      ['e2e-bag', true],
      ['e2e-photo', false],
    ]);
  });

  it('flags an unanswered ticket past its first-response SLA exactly once', async () => {
    // An author of its own: a post from the same author in the same queue would join their earlier ticket.
    await deliver(genericPost('e2e-sla', 'My suitcase never arrived and nobody knows where it is', 'sla-customer'));
    const breached = await eventually(
      async () => (await queue('baggage')).tickets.find((ticket) => ticket.firstPostId === 'e2e-sla' && ticket.sla.firstResponseBreachedAt !== null),
      15_000,
    );
    // Let the monitor run a few more times: the breach must not be flagged again.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await stack.bus.drain();
    const events = archived().filter((event) => event['detail-type'] === 'Ticket.SlaBreached' && event.detail.ticketId === breached.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({ queue: 'baggage', clock: 'first_response', dueAt: breached.sla.firstResponseDueAt });
  });

  it("keeps a queue from agents outside its group, and the API from requests without a token", async () => {
    expect((await queue('safety')).status).toBe(403);
    expect((await queue('delays', '')).status).toBe(401);
  });

  it('reports its health', async () => {
    const response = await fetch(`${stack.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', bus: 'redress' });
  });
});
