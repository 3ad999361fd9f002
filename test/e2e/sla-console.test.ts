import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '#adapters/event-publisher';
import { DetailType, EventSource, type OutgoingEvent, type TicketSlaBreachedDetail, type TicketSlaWarningDetail } from '#contracts/events';
import type { BusEvent } from '#infra/local/event-bus/bus';
import { slaConsoleLine } from '#infra/local/event-bus/sla-console';
import type { LocalStack } from '#infra/local/start';
import { startTestStack } from '#test/support/local-stack';
import { eventually } from '#test/support/signed-post';

// On `npm start`, each SLA warning and breach the monitor publishes prints one line on the
// console, and lands in the event archive like every other event.
let stack: LocalStack;
let dataDir: string;
let publisher: EventBridgePublisher;
let client: EventBridgeClient;
const printed: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'redress-sla-console-'));
  stack = await startTestStack({ dataDir, log: (line) => printed.push(line) });
  // What the SLA monitor publishes with: the same adapter, pointed at the local bus.
  client = new EventBridgeClient({ endpoint: stack.eventBridgeEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  publisher = new EventBridgePublisher(client, stack.config.config.busName);
});
afterAll(async () => {
  client?.destroy();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const threshold = {
  ticketId: 'tkt_0a1b2c3d4e5f6g7h',
  queue: 'delays',
  priority: 'P2' as const,
  clock: 'first_response' as const,
  startedAt: '2026-11-22T12:00:00.000Z',
  targetSeconds: 10,
  dueAt: '2026-11-22T12:00:10.000Z',
};
const warning: TicketSlaWarningDetail = { ...threshold, warnAt: '2026-11-22T12:00:08.000Z', warnedAt: '2026-11-22T12:00:08.200Z' };
const breach: TicketSlaBreachedDetail = { ...threshold, breachedAt: '2026-11-22T12:00:12.900Z' };
const event = (detailType: OutgoingEvent['detailType'], detail: object): OutgoingEvent => ({ source: EventSource.tickets, detailType, detail: { ...detail } });

function archived(): BusEvent[] {
  return readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as BusEvent);
}

describe('SLA warnings and breaches on the console of npm start', () => {
  it('prints one line for each warning and breach published, and archives them', async () => {
    await publisher.publish([
      event(DetailType.ticketSlaWarning, warning),
      event(DetailType.ticketSlaBreached, breach),
      event(DetailType.ticketCreated, { ticketId: 'tkt_other' }),
    ]);
    const lines = await eventually(async () => {
      const sla = printed.filter((line) => line.startsWith('[sla]'));
      return sla.length >= 2 ? sla : undefined;
    });
    expect(lines).toHaveLength(2);
    expect(lines.find((line) => line.includes('WARNING'))).toMatch(/^\[sla\] WARNING  tkt_0a1b2c3d4e5f6g7h delays P2 first_response due \d\d:\d\d:10 \(in 2s\)$/);
    expect(lines.find((line) => line.includes('BREACHED'))).toMatch(/^\[sla\] BREACHED tkt_0a1b2c3d4e5f6g7h delays P2 first_response due \d\d:\d\d:10 \(3s late\)$/);

    const sla = archived().filter((entry) => entry.detail.ticketId === threshold.ticketId);
    expect(sla.map((entry) => [entry.source, entry['detail-type'], entry.detail])).toEqual([
      ['redress.tickets', 'Ticket.SlaWarning', warning],
      ['redress.tickets', 'Ticket.SlaBreached', breach],
    ]);
  });
});

describe('the console line', () => {
  const envelope = (detailType: string, detail: object, extra: Partial<BusEvent> = {}): BusEvent => ({
    version: '0',
    id: 'e1',
    'detail-type': detailType,
    source: 'redress.tickets',
    account: '000000000000',
    time: '2026-11-22T12:00:08Z',
    region: 'us-east-1',
    resources: [],
    detail: { ...detail },
    ...extra,
  });

  it('gives the due time on the wall clock and how long before it the warning came', () => {
    expect(slaConsoleLine(envelope('Ticket.SlaWarning', warning), 'UTC')).toBe('[sla] WARNING  tkt_0a1b2c3d4e5f6g7h delays P2 first_response due 12:00:10 (in 2s)');
    expect(slaConsoleLine(envelope('Ticket.SlaWarning', warning), 'Europe/Berlin')).toContain('due 13:00:10');
    const hourLong = { ...warning, dueAt: '2026-11-22T13:00:00.000Z', warnedAt: '2026-11-22T12:48:00.000Z' };
    expect(slaConsoleLine(envelope('Ticket.SlaWarning', hourLong), 'UTC')).toContain('due 13:00:00 (in 12m00s)');
  });

  it('gives how late the breach was raised, and marks a replayed event', () => {
    expect(slaConsoleLine(envelope('Ticket.SlaBreached', breach, { 'replay-name': 'replay-1' }), 'UTC')).toBe(
      '[sla] BREACHED tkt_0a1b2c3d4e5f6g7h delays P2 first_response due 12:00:10 (3s late) [replay replay-1]',
    );
  });

  it('never calls a breach raised within half a second of its due time early, nor a late warning late', () => {
    expect(slaConsoleLine(envelope('Ticket.SlaBreached', { ...breach, breachedAt: '2026-11-22T12:00:10.300Z' }), 'UTC')).toContain('(0s late)');
    expect(slaConsoleLine(envelope('Ticket.SlaWarning', { ...warning, warnedAt: '2026-11-22T12:00:11.000Z' }), 'UTC')).toContain('(in 0s)');
  });

  it('still prints a detail it cannot read, as it came', () => {
    expect(slaConsoleLine(envelope('Ticket.SlaBreached', { ticketId: 'tkt_1' }), 'UTC')).toBe('[sla] BREACHED {"ticketId":"tkt_1"}');
  });
});
