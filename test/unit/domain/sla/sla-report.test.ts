// The first-response SLA report: worked examples of each outcome and of nearest-rank percentiles,
// and properties that hold for every set of tickets. `npm run fuzz` can raise FUZZ_RUNS.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Priority } from '#contracts/classification';
import { SlaReportResponse, type Agent } from '#contracts/support-api';
import { ValidationError } from '#domain/errors';
import {
  firstResponseOutcome,
  MAX_REPORT_DAYS,
  nearestRank,
  reportPeriod,
  slaReport,
  slaReportRows,
  type ReportedTicket,
  type ReportPeriod,
} from '#domain/sla/sla-report';

const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 300) };
const QUEUES = ['safety', 'delays', 'catering', 'baggage', 'triage', 'general'];
const PERIOD: ReportPeriod = { from: new Date('2026-11-22T00:00:00.000Z'), to: new Date('2026-11-23T00:00:00.000Z') };

/** A P2 delay created at 10:00, due 11:00, not answered; each test changes what it is about. */
function aTicket(overrides: Partial<Omit<ReportedTicket, 'sla'>> & { dueAt?: string; breachedAt?: string | null } = {}): ReportedTicket {
  const { dueAt = '2026-11-22T11:00:00.000Z', breachedAt = null, ...fields } = overrides;
  return {
    queue: 'delays',
    priority: 'P2',
    createdAt: '2026-11-22T10:00:00.000Z',
    firstResponseAt: null,
    ...fields,
    sla: { firstResponseDueAt: dueAt, firstResponseBreachedAt: breachedAt },
  };
}

describe('a ticket against its first-response target', () => {
  it('is met when the first reply came before the due time', () => {
    expect(firstResponseOutcome(aTicket({ firstResponseAt: '2026-11-22T10:04:12.000Z' }))).toBe('met');
  });

  it('is met when the first reply came exactly at the due time', () => {
    expect(firstResponseOutcome(aTicket({ firstResponseAt: '2026-11-22T11:00:00.000Z' }))).toBe('met');
  });

  it('is breached when the first reply came after the due time, even unmarked by the monitor', () => {
    expect(firstResponseOutcome(aTicket({ firstResponseAt: '2026-11-22T11:00:00.001Z' }))).toBe('breached');
  });

  it('is breached when the monitor marked it, answered or not', () => {
    expect(firstResponseOutcome(aTicket({ breachedAt: '2026-11-22T11:00:05.000Z' }))).toBe('breached');
    expect(firstResponseOutcome(aTicket({ breachedAt: '2026-11-22T11:00:05.000Z', firstResponseAt: '2026-11-22T11:30:00.000Z' }))).toBe('breached');
  });

  it('is pending while unanswered and unmarked, also past its due time until the monitor marks it', () => {
    expect(firstResponseOutcome(aTicket())).toBe('pending');
    expect(firstResponseOutcome(aTicket({ dueAt: '2026-11-22T10:00:10.000Z' }))).toBe('pending');
  });

  it('compares instants, not text: a due time without milliseconds is the same instant', () => {
    expect(firstResponseOutcome(aTicket({ dueAt: '2026-11-22T11:00:00Z', firstResponseAt: '2026-11-22T10:59:59.500Z' }))).toBe('met');
  });
});

describe('nearest-rank percentiles', () => {
  it('takes the value at rank ⌈p/100 · n⌉, never an interpolation', () => {
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(nearestRank(values, 50)).toBe(50);
    expect(nearestRank(values, 90)).toBe(90);
    expect(nearestRank(values, 91)).toBe(100);
    expect(nearestRank(values, 100)).toBe(100);
  });

  it('gives the lower middle value as the median of an even count, and the only value of one', () => {
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRank([7], 50)).toBe(7);
    expect(nearestRank([7], 90)).toBe(7);
  });

  it('is null for no values', () => {
    expect(nearestRank([], 50)).toBeNull();
  });
});

describe('the report rows', () => {
  it('counts each queue and priority, with percent met to one decimal and first-response times in seconds', () => {
    const rows = slaReportRows(
      [
        aTicket({ firstResponseAt: '2026-11-22T10:04:12.000Z' }), //                          met, 252 s
        aTicket({ firstResponseAt: '2026-11-22T10:10:00.000Z' }), //                          met, 600 s
        aTicket({ firstResponseAt: '2026-11-22T11:30:00.000Z' }), //                          breached (late), 5400 s
        aTicket({ breachedAt: '2026-11-22T11:00:05.000Z' }), //                                breached (marked)
        aTicket(), //                                                                          pending
        aTicket({ queue: 'safety', priority: 'P1', firstResponseAt: '2026-11-22T10:01:00.000Z', dueAt: '2026-11-22T10:15:00.000Z' }),
      ],
      PERIOD,
      QUEUES,
    );
    expect(rows).toEqual([
      { queue: 'safety', priority: 'P1', tickets: 1, met: 1, breached: 0, pending: 0, percentMet: 100, medianFirstResponseSeconds: 60, p90FirstResponseSeconds: 60 },
      { queue: 'delays', priority: 'P2', tickets: 5, met: 2, breached: 2, pending: 1, percentMet: 50, medianFirstResponseSeconds: 600, p90FirstResponseSeconds: 5400 },
    ]);
  });

  it('rounds percent met to one decimal, and gives null with nothing met or breached yet', () => {
    const met = aTicket({ firstResponseAt: '2026-11-22T10:05:00.000Z' });
    const late = aTicket({ firstResponseAt: '2026-11-22T12:00:00.000Z' });
    expect(slaReportRows([met, met, late], PERIOD, QUEUES)[0]!.percentMet).toBe(66.7);
    expect(slaReportRows([aTicket(), aTicket()], PERIOD, QUEUES)[0]).toMatchObject({
      tickets: 2,
      pending: 2,
      percentMet: null,
      medianFirstResponseSeconds: null,
      p90FirstResponseSeconds: null,
    });
  });

  it('keeps tickets created in [from, to): the first instant in, the last one out', () => {
    const rows = slaReportRows(
      [
        aTicket({ createdAt: '2026-11-21T23:59:59.999Z' }),
        aTicket({ createdAt: '2026-11-22T00:00:00Z' }),
        aTicket({ createdAt: '2026-11-22T23:59:59.999Z' }),
        aTicket({ createdAt: '2026-11-23T00:00:00.000Z' }),
      ],
      PERIOD,
      QUEUES,
    );
    expect(rows.map((row) => row.tickets)).toEqual([2]);
  });

  it('puts a queue the config no longer has after the configured ones', () => {
    const rows = slaReportRows([aTicket({ queue: 'lounges' }), aTicket({ queue: 'general' }), aTicket({ queue: 'delays', priority: 'P4' })], PERIOD, QUEUES);
    expect(rows.map((row) => `${row.queue} ${row.priority}`)).toEqual(['delays P4', 'general P2', 'lounges P2']);
  });
});

describe('the period', () => {
  it('takes from equal to to (an empty period) and one of exactly the longest length', () => {
    expect(reportPeriod(PERIOD.from, PERIOD.from)).toEqual({ from: PERIOD.from, to: PERIOD.from });
    const longest = new Date(PERIOD.from.getTime() + MAX_REPORT_DAYS * 86_400_000);
    expect(reportPeriod(PERIOD.from, longest).to).toEqual(longest);
  });

  it('refuses from after to, naming from', () => {
    const error = catchError(() => reportPeriod(PERIOD.to, PERIOD.from));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe('from (2026-11-23T00:00:00.000Z) is after to (2026-11-22T00:00:00.000Z)');
    expect((error as ValidationError).issues).toEqual([{ path: 'from', message: 'must not be after to' }]);
  });

  it(`refuses a period longer than ${MAX_REPORT_DAYS} days, saying what to do instead`, () => {
    const error = catchError(() => reportPeriod(PERIOD.from, new Date(PERIOD.from.getTime() + MAX_REPORT_DAYS * 86_400_000 + 1)));
    expect(error.message).toBe(`a report covers at most ${MAX_REPORT_DAYS} days; ask for several shorter periods`);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['to']);
  });
});

describe('an agent asking for the report', () => {
  const agent = (queues: string[]): Agent => ({ id: 'ana', name: 'Ana', queues });

  it('reads and shows only the configured queues their groups name', async () => {
    const read: string[] = [];
    const report = await slaReport(agent(['delays', 'safety', 'lounges']), PERIOD, {
      queues: QUEUES,
      reports: {
        async ticketsCreatedIn(queue) {
          read.push(queue);
          return [aTicket({ queue })];
        },
      },
    });
    expect(read.sort()).toEqual(['delays', 'safety']);
    expect(report).toEqual(SlaReportResponse.parse(report));
    expect(report).toMatchObject({ from: '2026-11-22T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' });
    expect(report.rows.map((row) => row.queue)).toEqual(['safety', 'delays']);
  });

  it('gives no rows, and reads nothing, for an agent in no configured queue', async () => {
    const report = await slaReport(agent([]), PERIOD, {
      queues: QUEUES,
      reports: {
        ticketsCreatedIn: () => {
          throw new Error('read a queue the agent may not see');
        },
      },
    });
    expect(report.rows).toEqual([]);
  });
});

// ---- properties ----------------------------------------------------------------------------

const instant = (min: string, max: string) => fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true });
const tickets = fc.array(
  fc
    .record({
      queue: fc.constantFrom(...QUEUES, 'lounges'),
      priority: fc.constantFrom<Priority>('P1', 'P2', 'P3', 'P4'),
      createdAt: instant('2026-11-21T00:00:00Z', '2026-11-24T00:00:00Z'),
      targetSeconds: fc.integer({ min: 0, max: 2 * 86_400 }),
      answerAfterSeconds: fc.option(fc.double({ min: 0, max: 3 * 86_400, noNaN: true }), { nil: null }),
      marked: fc.boolean(),
    })
    .map(({ createdAt, targetSeconds, answerAfterSeconds, marked, ...rest }): ReportedTicket => {
      const dueAt = new Date(createdAt.getTime() + targetSeconds * 1000);
      return {
        ...rest,
        createdAt: createdAt.toISOString(),
        firstResponseAt: answerAfterSeconds === null ? null : new Date(createdAt.getTime() + answerAfterSeconds * 1000).toISOString(),
        sla: { firstResponseDueAt: dueAt.toISOString(), firstResponseBreachedAt: marked ? dueAt.toISOString() : null },
      };
    }),
  { maxLength: 60 },
);
const periods = fc
  .tuple(instant('2026-11-20T00:00:00Z', '2026-11-25T00:00:00Z'), instant('2026-11-20T00:00:00Z', '2026-11-25T00:00:00Z'))
  .map(([a, b]): ReportPeriod => (a <= b ? { from: a, to: b } : { from: b, to: a }));

describe('the report rows, for any tickets', () => {
  it('count every ticket created in the period once, as met, breached or pending', () => {
    fc.assert(
      fc.property(tickets, periods, (all, period) => {
        const rows = slaReportRows(all, period, QUEUES);
        const inPeriod = all.filter((ticket) => Date.parse(ticket.createdAt) >= period.from.getTime() && Date.parse(ticket.createdAt) < period.to.getTime());
        for (const row of rows) expect(row.met + row.breached + row.pending).toBe(row.tickets);
        expect(rows.reduce((sum, row) => sum + row.tickets, 0)).toBe(inPeriod.length);
        for (const row of rows) expect(row.tickets).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('give percent met between 0 and 100, and a median no later than the 90th percentile', () => {
    fc.assert(
      fc.property(tickets, periods, (all, period) => {
        for (const row of slaReportRows(all, period, QUEUES)) {
          if (row.percentMet !== null) {
            expect(row.percentMet).toBeGreaterThanOrEqual(0);
            expect(row.percentMet).toBeLessThanOrEqual(100);
          } else {
            expect(row.met + row.breached).toBe(0);
          }
          expect(row.medianFirstResponseSeconds === null).toBe(row.p90FirstResponseSeconds === null);
          if (row.medianFirstResponseSeconds !== null) expect(row.medianFirstResponseSeconds).toBeLessThanOrEqual(row.p90FirstResponseSeconds!);
        }
      }),
      RUNS,
    );
  });

  it('come in config queue order, then P1 to P4, one row per queue and priority', () => {
    fc.assert(
      fc.property(tickets, periods, (all, period) => {
        const rows = slaReportRows(all, period, QUEUES);
        const rank = (queue: string) => (QUEUES.includes(queue) ? QUEUES.indexOf(queue) : QUEUES.length);
        const keys = rows.map((row) => [rank(row.queue), row.queue, row.priority] as const);
        const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]) || a[2].localeCompare(b[2]));
        expect(keys).toEqual(sorted);
        expect(new Set(keys.map(([, queue, priority]) => `${queue} ${priority}`)).size).toBe(rows.length);
      }),
      RUNS,
    );
  });

  it('fit the response contract', () => {
    fc.assert(
      fc.property(tickets, periods, (all, period) => {
        const report = { from: period.from.toISOString(), to: period.to.toISOString(), rows: slaReportRows(all, period, QUEUES) };
        expect(SlaReportResponse.safeParse(report).error?.issues ?? []).toEqual([]);
      }),
      RUNS,
    );
  });
});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
