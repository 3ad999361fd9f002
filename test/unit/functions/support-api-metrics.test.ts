import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Ticket } from '#contracts/ticket';
import type { StoredTicket, TicketRepository } from '#domain/ports';
import type { TicketChange } from '#domain/tickets/ticket-changes';
import { captureEmf } from '#test/support/emf';
import { httpEvent, importHandler, lambdaContext } from '#test/support/lambda';
import { aTicket } from '#test/support/builders';

// One ticket in memory behind the repository port: these tests are about the metrics the
// function emits for a stored change, not about how the change is stored.
const store = vi.hoisted(() => ({ ticket: null as Ticket | null }));
vi.mock('#adapters/ticket-ports', () => {
  const tickets: Partial<TicketRepository> = {
    async findTicket(ticketId): Promise<StoredTicket | null> {
      return store.ticket?.id === ticketId ? { ticket: structuredClone(store.ticket), postIds: new Set() } : null;
    },
    async saveChange(before: Ticket, change: TicketChange) {
      if (store.ticket?.version !== before.version) return null;
      store.ticket = structuredClone(change.ticket);
      return { claim: null };
    },
    async claimOutbox() {
      return null;
    },
  };
  return { ticketPortsEnv: {}, ticketPorts: () => ({ tickets, events: { publish: async () => undefined } }) };
});

const CREATED = '2026-11-22T10:00:00.000Z';

const emf = captureEmf();
let handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
beforeAll(async () => {
  handler = await importHandler(() => import('../../../functions/support-api/handler.ts'), { POWERTOOLS_SERVICE_NAME: 'redress-support-api' });
});
afterAll(() => {
  vi.unstubAllEnvs();
  emf.restore();
});
beforeEach(() => {
  store.ticket = aTicket();
});
afterEach(() => {
  vi.useRealTimers();
  emf.clear();
});

/** An agent of the delays queue works ticket tkt_1 at `at`, having read version `version`. */
async function act(action: 'claim' | 'replies' | 'resolve' | 'reopen', at: string, version = store.ticket!.version) {
  vi.useFakeTimers({ now: new Date(at), toFake: ['Date'] });
  const event = httpEvent({
    method: 'POST',
    path: `/api/tickets/tkt_1/${action}`,
    route: `POST /api/tickets/{id}/${action}`,
    pathParameters: { id: 'tkt_1' },
    headers: { 'if-match': `"${version}"`, 'content-type': 'application/json' },
    ...(action === 'replies' ? { body: JSON.stringify({ text: 'So sorry, we are rebooking you now.' }) } : {}),
  });
  Object.assign(event.requestContext, { authorizer: { jwt: { claims: { sub: 'agent-1', 'cognito:groups': '[delays]' }, scopes: [] } } });
  const response = await handler(event, lambdaContext('support-api'));
  vi.useRealTimers();
  return response;
}

const emitted = (name: string) => emf.named(name).map(({ namespace, unit, value, dimensionSets, dimensions }) => ({ namespace, unit, value, dimensionSets, dimensions }));
// One line, under both sets the dashboard reads (MetricEmissions): per queue, and per queue and priority.
const underQueueAndPriority = { dimensionSets: [['service', 'queue'], ['service', 'queue', 'priority']], dimensions: { service: 'redress-support-api', queue: 'delays', priority: 'P2' } };

describe('support API metrics', () => {
  it("times the ticket's first agent reply from its creation, per queue and priority", async () => {
    expect((await act('replies', '2026-11-22T10:25:00.000Z')).statusCode).toBe(202);
    expect(emitted('FirstResponseTime')).toEqual([{ namespace: 'redress', unit: 'Seconds', value: 1500, ...underQueueAndPriority }]);
    expect(emitted('ResolutionTime')).toEqual([]);
  });

  it('does not time later replies: only the first one is a first response', async () => {
    await act('replies', '2026-11-22T10:25:00.000Z');
    emf.clear();
    expect((await act('replies', '2026-11-22T11:00:00.000Z')).statusCode).toBe(202);
    expect(emf.metrics()).toEqual([]);
  });

  it('times the resolution from creation to solved, and again when a reopened ticket is solved again', async () => {
    store.ticket = aTicket({ status: 'open', firstResponseAt: '2026-11-22T10:05:00.000Z' });
    expect((await act('resolve', '2026-11-22T12:30:00.000Z')).statusCode).toBe(200);
    expect(emitted('ResolutionTime')).toEqual([{ namespace: 'redress', unit: 'Seconds', value: 9000, ...underQueueAndPriority }]);
    expect(emitted('FirstResponseTime')).toEqual([]);

    emf.clear();
    expect((await act('reopen', '2026-11-22T13:00:00.000Z')).statusCode).toBe(200);
    expect(emf.metrics()).toEqual([]);
    await act('resolve', '2026-11-23T10:00:00.000Z');
    expect(emitted('ResolutionTime')).toEqual([{ namespace: 'redress', unit: 'Seconds', value: 86_400, ...underQueueAndPriority }]);
  });

  it('writes no metric line for a change that completes neither, nor for one that was refused', async () => {
    expect((await act('claim', '2026-11-22T10:05:00.000Z')).statusCode).toBe(200);
    expect((await act('replies', '2026-11-22T10:06:00.000Z', 1)).statusCode).toBe(409);
    expect(emf.metrics()).toEqual([]);
  });
});
