import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueStats } from '#adapters/queue-stats';
import type { MonitorReport, RaisedThreshold } from '#domain/sla/run-monitor';
import { captureEmf, type EmittedMetric } from '#test/support/emf';
import { importHandler, lambdaContext } from '#test/support/lambda';

// The monitor's pass and the queue reads are stood in for: these tests are about what the
// handler makes of their results (the pass has its own tests, queue-stats its integration test).
const fakes = vi.hoisted(() => ({
  report: undefined as unknown as MonitorReport,
  stats: new Map<string, QueueStats>(),
  statsFail: false,
}));
vi.mock('#domain/sla/run-monitor', () => ({ watchSlaDeadlines: async () => fakes.report }));
vi.mock('#adapters/queue-stats', () => ({
  DynamoQueueStats: class {
    async forQueue(queue: string): Promise<QueueStats> {
      if (fakes.statsFail) throw new Error('ProvisionedThroughputExceededException');
      return fakes.stats.get(queue) ?? { open: 0, oldestCreatedAt: null };
    }
  },
}));

const NOW = new Date('2026-11-22T10:00:00.000Z');
const CONFIGURED = ['safety', 'delays', 'catering', 'baggage', 'triage', 'general'];
const emf = captureEmf();
let handler: (event: unknown, context: unknown) => Promise<MonitorReport>;

beforeAll(async () => {
  handler = await importHandler(() => import('../../../functions/sla-monitor/handler.ts'), { POWERTOOLS_SERVICE_NAME: 'redress-sla-monitor' });
});
afterAll(() => {
  vi.unstubAllEnvs();
  emf.restore();
});
beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  fakes.report = { examined: 0, warnings: [], breaches: [], eventsPublished: 0 };
  fakes.stats = new Map();
  fakes.statsFail = false;
});
afterEach(() => {
  vi.useRealTimers();
  emf.clear();
});

const raised = (queue: string, priority: RaisedThreshold['priority'], ticketId = `${queue}-${priority}-${Math.random()}`): RaisedThreshold => ({
  ticketId,
  queue,
  priority,
  clock: 'first_response',
});
const run = () => handler({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }, lambdaContext('sla-monitor'));
type Row = Record<string, string | number>;
const sorted = (rows: Row[]) => rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
/** The metrics as rows of {dimension values..., value}, each checked to carry `unit` and exactly `dimensionSets`. */
function rows(metrics: EmittedMetric[], unit: string, dimensionSets: string[][]): Row[] {
  for (const metric of metrics) expect(metric).toMatchObject({ namespace: 'redress', unit, dimensionSets });
  return sorted(metrics.map(({ dimensions, value }) => ({ ...dimensions, value })));
}
const byQueue = (name: string, unit = 'Count') =>
  rows(emf.named(name).filter((metric) => !metric.dimensionSets.flat().includes('priority')), unit, [['service', 'queue']]);
const byQueueAndPriority = (name: string) =>
  rows(emf.named(name).filter((metric) => metric.dimensionSets.flat().includes('priority')), 'Count', [['service', 'queue', 'priority']]);
/** The rows expected for `queues`: the given values, zero for the rest. */
const perQueue = (values: Record<string, number>, queues = CONFIGURED) =>
  sorted(queues.map((queue) => ({ service: 'redress-sla-monitor', queue, value: values[queue] ?? 0 })));

describe('SLA monitor metrics', () => {
  it('counts the warnings and breaches a run raised per queue, zero for the quiet ones, and per queue and priority for those that raised any', async () => {
    fakes.report = {
      examined: 7,
      warnings: [raised('delays', 'P1'), raised('delays', 'P1'), raised('delays', 'P2'), raised('safety', 'P1')],
      breaches: [raised('delays', 'P1'), raised('baggage', 'P3')],
      eventsPublished: 6,
    };
    await run();

    expect(byQueue('SlaWarnings')).toEqual(perQueue({ delays: 3, safety: 1 }));
    expect(byQueue('SlaBreaches')).toEqual(perQueue({ delays: 1, baggage: 1 }));
    const service = 'redress-sla-monitor';
    expect(byQueueAndPriority('SlaWarnings')).toEqual([
      { service, queue: 'baggage', priority: 'P3', value: 0 },
      { service, queue: 'delays', priority: 'P1', value: 2 },
      { service, queue: 'delays', priority: 'P2', value: 1 },
      { service, queue: 'safety', priority: 'P1', value: 1 },
    ]);
    expect(byQueueAndPriority('SlaBreaches')).toEqual([
      { service, queue: 'baggage', priority: 'P3', value: 1 },
      { service, queue: 'delays', priority: 'P1', value: 1 },
      { service, queue: 'delays', priority: 'P2', value: 0 },
      { service, queue: 'safety', priority: 'P1', value: 0 },
    ]);
  });

  it('still counts what a ticket raised in a queue the config no longer has', async () => {
    fakes.report = { examined: 1, warnings: [], breaches: [raised('lounges', 'P2')], eventsPublished: 1 };
    await run();
    expect(byQueue('SlaBreaches')).toEqual(perQueue({ lounges: 1 }, [...CONFIGURED, 'lounges']));
    expect(byQueueAndPriority('SlaBreaches')).toEqual([{ service: 'redress-sla-monitor', queue: 'lounges', priority: 'P2', value: 1 }]);
    // No open-ticket count for it: the monitor reads configured queues only.
    expect(emf.named('OpenTickets').map((metric) => metric.dimensions.queue)).not.toContain('lounges');
  });

  it('gives every configured queue its open tickets and the age of the oldest each run, both zero when it has none', async () => {
    fakes.stats.set('delays', { open: 5, oldestCreatedAt: '2026-11-22T09:00:00.000Z' });
    fakes.stats.set('baggage', { open: 1, oldestCreatedAt: '2026-11-22T09:59:30Z' });
    await run();

    expect(byQueue('OpenTickets')).toEqual(perQueue({ delays: 5, baggage: 1 }));
    expect(byQueue('OldestOpenTicketAge', 'Seconds')).toEqual(perQueue({ delays: 3600, baggage: 30 }));
  });

  it('emits every metric with service first and only the dimension sets agreed with the alarms', async () => {
    fakes.report = { examined: 1, warnings: [raised('delays', 'P1')], breaches: [], eventsPublished: 1 };
    fakes.stats.set('delays', { open: 1, oldestCreatedAt: '2026-11-22T09:00:00.000Z' });
    await run();
    const sets = new Set(emf.metrics().map((metric) => `${metric.name} ${metric.unit} ${JSON.stringify(metric.dimensionSets)}`));
    expect([...sets].sort()).toEqual([
      'OldestOpenTicketAge Seconds [["service","queue"]]',
      'OpenTickets Count [["service","queue"]]',
      'SlaBreaches Count [["service","queue","priority"]]',
      'SlaBreaches Count [["service","queue"]]',
      'SlaWarnings Count [["service","queue","priority"]]',
      'SlaWarnings Count [["service","queue"]]',
    ]);
  });

  it('publishes the warnings and breaches of the pass even when reading the queues fails', async () => {
    fakes.report = { examined: 1, warnings: [], breaches: [raised('delays', 'P1')], eventsPublished: 1 };
    fakes.statsFail = true;
    await expect(run()).rejects.toThrow(/ProvisionedThroughputExceeded/);
    expect(byQueue('SlaBreaches')).toEqual(perQueue({ delays: 1 }));
    expect(emf.named('OpenTickets')).toEqual([]);
  });
});
