import { describe, expect, it } from 'vitest';
import { aTicket } from '#test/support/ticket-items';
import { formatDuration } from '../../../bin/sla/format.ts';
import { formatReport } from '../../../bin/sla/report.ts';
import { atRiskTickets, formatSnapshot } from '../../../bin/sla/watch.ts';

// What `npx redress sla` prints: the report table, and the at-risk view of --watch.
const NOW = new Date('2026-11-22T12:00:00.000Z');

describe('durations', () => {
  it.each([
    [0, '0s'],
    [0.4, '0s'],
    [42, '42s'],
    [59.6, '1m00s'],
    [252, '4m12s'],
    [605, '10m05s'],
    [3600, '1h00m'],
    [3725, '1h02m'],
    [86_399, '23h59m'],
    [2 * 86_400 + 3 * 3600 + 59, '2d03h'],
    [-62, '1m02s'],
  ])('shows %s seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('the report table', () => {
  it('lines up a row per queue and priority, numbers to the right, times as durations and "-" where there are none', () => {
    const text = formatReport(
      {
        from: '2026-11-21T12:00:00.000Z',
        to: '2026-11-22T12:00:00.000Z',
        rows: [
          { queue: 'safety', priority: 'P1', tickets: 3, met: 2, breached: 1, pending: 0, percentMet: 66.7, medianFirstResponseSeconds: 252, p90FirstResponseSeconds: 1083 },
          { queue: 'delays', priority: 'P2', tickets: 12, met: 9, breached: 0, pending: 3, percentMet: 100, medianFirstResponseSeconds: 1800, p90FirstResponseSeconds: 3725 },
          { queue: 'delays', priority: 'P3', tickets: 1, met: 0, breached: 0, pending: 1, percentMet: null, medianFirstResponseSeconds: null, p90FirstResponseSeconds: null },
        ],
      },
      'http://127.0.0.1:3000',
    );
    expect(text).toBe(
      [
        'First-response SLA, tickets created from 2026-11-21T12:00:00Z to 2026-11-22T12:00:00Z (http://127.0.0.1:3000)',
        '',
        '  queue   priority  tickets  met  breached  pending  % met  median     p90',
        '  safety  P1              3    2         1        0   66.7   4m12s  18m03s',
        '  delays  P2             12    9         0        3  100.0  30m00s   1h02m',
        '  delays  P3              1    0         0        1      -       -       -',
        '',
        'met: answered by the due time; breached: answered late, or marked by the SLA monitor; pending: neither yet.',
        'median, p90: calendar time from the first post to the first agent reply (nearest rank), over the answered tickets.',
        '',
      ].join('\n'),
    );
  });

  it('says so when no ticket was created in the period', () => {
    expect(formatReport({ from: '2026-11-21T12:00:00.000Z', to: '2026-11-22T12:00:00.000Z', rows: [] }, 'http://127.0.0.1:3000')).toContain(
      'no tickets were created in this period in the queues this token works',
    );
  });
});

describe('the at-risk view', () => {
  // Created 11:00 with a one-hour target unless said otherwise: due 12:00, i.e. now.
  const dueIn = (seconds: number, fields: Parameters<typeof aTicket>[0] = {}) =>
    aTicket({ createdAt: new Date(NOW.getTime() - 3600_000 + seconds * 1000).toISOString(), ...fields });

  it('keeps tickets due within 15 minutes or overdue, most overdue first, naming the clock that falls due', () => {
    const overdue = dueIn(-62, { id: 'tkt_overdue' });
    const soon = dueIn(250, { id: 'tkt_soon', queue: 'safety', priority: 'P1' });
    const edge = dueIn(15 * 60, { id: 'tkt_edge' });
    const later = dueIn(15 * 60 + 1, { id: 'tkt_later' });
    const answered = dueIn(-600, { id: 'tkt_answered', firstResponseAt: '2026-11-22T11:10:00.000Z' });
    const risky = atRiskTickets([later, soon, answered, edge, overdue], NOW);
    expect(risky.map((ticket) => [ticket.id, ticket.clock])).toEqual([
      ['tkt_overdue', 'first_response'],
      ['tkt_soon', 'first_response'],
      ['tkt_edge', 'first_response'],
    ]);
  });

  it('shows each at-risk ticket on one line, with how long until it is due or how long overdue, and a short preview', () => {
    const tickets = [
      dueIn(-62, { id: 'tkt_overdue', preview: 'Flight UA123 delayed 4 hours and still no update at the gate,\nbooking ABC123' }),
      dueIn(250, { id: 'tkt_soon', queue: 'safety', priority: 'P1', status: 'open', preview: 'My son got sick after the meal' }),
    ];
    const text = formatSnapshot({ at: NOW, queues: ['safety', 'delays'], watched: 7, atRisk: atRiskTickets(tickets, NOW), capped: [] });
    expect(text).toBe(
      [
        '  ticket       queue   priority  status  clock           due               preview',
        '  tkt_overdue  delays  P2        new     first_response  overdue by 1m02s  Flight UA123 delayed 4 hours and still no updat…',
        '  tkt_soon     safety  P1        open    first_response  in 4m10s          My son got sick after the meal',
        '',
        '  2 of 7 tickets being worked at risk (due within 15 minutes or overdue) in safety, delays',
        '',
      ].join('\n'),
    );
  });

  it('says nothing is at risk, and how many tickets it looked at', () => {
    expect(formatSnapshot({ at: NOW, queues: ['delays'], watched: 1, atRisk: [], capped: [] })).toBe(
      '  nothing at risk: none of the 1 ticket being worked in delays is due within 15 minutes\n',
    );
  });
});
