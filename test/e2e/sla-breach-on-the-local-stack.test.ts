// Issue 6's "done when": on the local stack with a 10-second first-response SLA (set the way a
// person would, in a REDRESS_CONFIG file), an unanswered complaint raises exactly one warning and
// one breach, a complaint answered in time does not, and the SLA report counts one breached and
// one met.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#config/load-config';
import { SlaReportResponse } from '#contracts/support-api';
import type { Ticket } from '#contracts/ticket';
import { issueDevToken } from '#infra/local/dev-auth';
import type { LocalStack } from '#infra/local/start';
import { startTestStack } from '#test/support/local-stack';
import { eventually, genericPost, signedHeaders } from '#test/support/signed-post';

let stack: LocalStack;
let dataDir: string;
let token: string;
const startedAt = new Date();

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'redress-sla-e2e-'));
  const configFile = path.join(dataDir, 'redress.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      sla: { policies: { P3: { firstResponse: '10s', nextResponse: '10s', resolution: '1h' } } },
      local: { scheduleIntervalSeconds: 1 },
    }),
  );
  const config = loadConfig({ REDRESS_CONFIG: configFile });
  stack = await startTestStack({
    dataDir,
    scheduleIntervalSeconds: config.config.local.scheduleIntervalSeconds,
    config,
  });
  token = await issueDevToken({ agent: 'ana', queues: ['baggage'], ttlSeconds: 600 }, stack.secrets.LOCAL_JWT_SECRET);
}, 60_000);
afterAll(() => stack?.stop());

const auth = () => ({ authorization: `Bearer ${token}` });

async function deliver(id: string, text: string, author: string): Promise<void> {
  const body = genericPost(id, text, author);
  const response = await fetch(`${stack.url}/webhooks/generic`, { method: 'POST', headers: signedHeaders(body, stack.secrets.WEBHOOK_SECRETS), body });
  expect(response.status).toBe(200);
}

async function ticketOfPost(postId: string): Promise<Ticket | undefined> {
  const response = await fetch(`${stack.url}/api/queues/baggage/tickets?status=new,open,pending_customer,solved`, { headers: auth() });
  const { tickets } = (await response.json()) as { tickets: Ticket[] };
  return tickets.find((ticket) => ticket.firstPostId === postId);
}

function slaEvents(ticketId: string): Array<{ type: string; detail: Record<string, unknown> }> {
  return readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { 'detail-type': string; detail: Record<string, unknown> })
    .filter((event) => event['detail-type'].startsWith('Ticket.Sla') && event.detail.ticketId === ticketId)
    .map((event) => ({ type: event['detail-type'], detail: event.detail }));
}

describe('a 10-second first-response SLA on the local stack', () => {
  let unanswered: Ticket;
  let answered: Ticket;

  it('raises one warning at 8 s and one breach at 10 s for an unanswered complaint, and nothing for one answered in time', async () => {
    await deliver('sla-late', 'My suitcase never arrived in Denver and nobody can tell me where it is', 'customer-late');
    await deliver('sla-quick', 'My bag came off the belt with a broken handle', 'customer-quick');
    unanswered = await eventually(() => ticketOfPost('sla-late'));
    answered = await eventually(() => ticketOfPost('sla-quick'));
    expect(unanswered).toMatchObject({ priority: 'P3', queue: 'baggage' });
    expect(answered).toMatchObject({ priority: 'P3', queue: 'baggage' });

    const reply = await fetch(`${stack.url}/api/tickets/${answered.id}/replies`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json', 'if-match': `"${answered.version}"` },
      body: JSON.stringify({ text: 'So sorry about the handle: we will repair or replace the bag.' }),
    });
    expect(reply.status).toBe(202);

    const breached = await eventually(async () => {
      const ticket = await ticketOfPost('sla-late');
      return ticket?.sla.firstResponseBreachedAt ? ticket : undefined;
    }, 20_000);
    // Three more monitor passes: nothing may be raised again.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await stack.bus.drain();

    const events = slaEvents(breached.id);
    expect(events.map((event) => `${event.type} ${String(event.detail.clock)}`)).toEqual(['Ticket.SlaWarning first_response', 'Ticket.SlaBreached first_response']);
    const created = Date.parse(breached.createdAt);
    const warning = events[0]!.detail;
    const breach = events[1]!.detail;
    expect(Date.parse(String(warning.warnAt)) - created).toBe(8000);
    expect(Date.parse(String(breach.dueAt)) - created).toBe(10_000);
    // Raised within the monitor's interval (1 s here) of its time, plus a little for the pass itself.
    expect(Date.parse(String(warning.warnedAt)) - Date.parse(String(warning.warnAt))).toBeLessThan(2500);
    expect(Date.parse(String(breach.breachedAt)) - Date.parse(String(breach.dueAt))).toBeLessThan(2500);
    expect(slaEvents(answered.id)).toEqual([]);
  }, 60_000);

  it('counts the unanswered complaint as breached and the answered one as met in the SLA report', async () => {
    const from = encodeURIComponent(new Date(startedAt.getTime() - 60_000).toISOString());
    const response = await fetch(`${stack.url}/api/reports/sla?from=${from}`, { headers: auth() });
    expect(response.status).toBe(200);
    const report = SlaReportResponse.parse(await response.json());
    expect(report.rows).toEqual([
      expect.objectContaining({ queue: 'baggage', priority: 'P3', tickets: 2, met: 1, breached: 1, pending: 0, percentMet: 50 }),
    ]);
    const row = report.rows[0]!;
    // Only the answered ticket has a first-response time, well inside its 10 seconds.
    expect(row.medianFirstResponseSeconds).not.toBeNull();
    expect(row.medianFirstResponseSeconds!).toBeLessThan(10);
  });
});
