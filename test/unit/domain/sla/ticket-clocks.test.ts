// A ticket's SLA clocks through its life: what each change starts, stops, pauses and retargets,
// what the monitor raises, and that it raises each threshold once whatever the order of events.
// `npm run fuzz` raises FUZZ_RUNS to search harder.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Priority } from '#contracts/classification';
import { DetailType, TicketSlaBreachedDetail, TicketSlaWarningDetail, type OutgoingEvent } from '#contracts/events';
import { Ticket } from '#contracts/ticket';
import { businessCalendar, isBusinessTime } from '#domain/sla/business-calendar';
import type { SlaPolicies } from '#domain/sla/sla-policies';
import { dueThresholds, markThresholds, nextDeadline, withSla } from '#domain/sla/ticket-clocks';
import { openTicket } from '#domain/tickets/open-ticket';
import { agentChange, followUpChange, type AgentAction } from '#domain/tickets/ticket-changes';
import { aClassification, aClassifiedPost, aSocialPost } from '#test/support/builders';
import { DEFAULT_SLA, slaWith } from '#test/support/sla';

const runs = { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) };
const timeout = Math.max(30_000, runs.numRuns * 10);

const OPENED_AT = '2026-11-23T10:00:00.000Z'; // a Monday
const ROBIN = { id: 'agent-7', name: 'Robin' };
const at = (minutes: number) => new Date(Date.parse(OPENED_AT) + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();

function aNewTicket(options: { priority?: Priority; queue?: string; sla?: SlaPolicies; receivedAt?: string } = {}): Ticket {
  const detail = aClassifiedPost({
    post: aSocialPost(),
    classification: aClassification({ priority: options.priority ?? 'P2' }),
    receivedAt: options.receivedAt ?? OPENED_AT,
  });
  return openTicket({ ...detail, queue: options.queue ?? 'delays' }, options.sla ?? DEFAULT_SLA).ticket;
}

function act(ticket: Ticket, action: AgentAction, minutes: number, sla: SlaPolicies = DEFAULT_SLA) {
  return withSla(ticket, agentChange(ticket, action, ROBIN, at(minutes)), at(minutes), sla);
}

function followUp(ticket: Ticket, minutes: number, priority: Priority = ticket.priority, sla: SlaPolicies = DEFAULT_SLA) {
  const stored = {
    ticketId: ticket.id,
    post: aSocialPost({ author: { id: ticket.author.id, handle: '@stranded_traveller' }, text: 'Any news?' }),
    classification: aClassification({ priority }),
    receivedAt: iso(minutes),
  };
  return withSla(ticket, followUpChange(ticket, stored, at(minutes)), at(minutes), sla);
}

const reply = { kind: 'reply', replyId: 'reply-1', text: 'We are on it.' } as const;
const types = (events: OutgoingEvent[]) => events.map((event) => event.detailType);

describe('the clocks a change starts and stops', () => {
  it('stops first response at the first reply, and keeps resolution running', () => {
    const { ticket } = act(aNewTicket(), reply, 20);
    expect(ticket.sla.clocks.first_response).toMatchObject({ stoppedAt: iso(20), runningSince: null, breachedAt: null, elapsedSeconds: 1200, dueAt: iso(60) });
    expect(ticket.sla.clocks.resolution).toMatchObject({ stoppedAt: null, runningSince: OPENED_AT });
    expect(ticket.sla.dueAt).toBe(ticket.sla.clocks.resolution!.dueAt);
    expect(nextDeadline(ticket)).toBe(ticket.sla.clocks.resolution!.warnAt);
  });

  it('starts next response when the customer writes after a reply, from that post, and not again for a second post', () => {
    const answered = act(aNewTicket(), reply, 20).ticket;
    const asked = followUp(answered, 30).ticket;
    // P2: next response 2h, warned at 96 minutes.
    expect(asked.sla.clocks.next_response).toMatchObject({ startedAt: iso(30), dueAt: iso(150), warnAt: iso(126), stoppedAt: null });
    const askedAgain = followUp(asked, 50).ticket;
    expect(askedAgain.sla.clocks.next_response).toEqual(asked.sla.clocks.next_response);
    const answeredAgain = act(askedAgain, { ...reply, replyId: 'reply-2' }, 70).ticket;
    expect(answeredAgain.sla.clocks.next_response).toMatchObject({ stoppedAt: iso(70), breachedAt: null });
  });

  it('does not start next response for a follow-up before any reply: first response still runs', () => {
    const { ticket } = followUp(aNewTicket(), 10);
    expect(ticket.sla.clocks.next_response).toBeUndefined();
    expect(ticket.sla.clocks.first_response).toMatchObject({ dueAt: iso(60), runningSince: OPENED_AT });
  });

  it('pauses every clock while waiting for the customer, and resumes them with the time they had used', () => {
    const waiting = act(aNewTicket(), { kind: 'pending' }, 30).ticket;
    expect(waiting.sla.clocks.first_response).toMatchObject({ runningSince: null, dueAt: null, warnAt: null, elapsedSeconds: 1800 });
    expect(waiting.sla.dueAt).toBeNull();
    expect(nextDeadline(waiting)).toBeNull();
    expect(dueThresholds(waiting, at(10_000))).toEqual([]);

    const back = followUp(waiting, 90).ticket;
    // 30 minutes used before the pause, 30 left from 10:90: due at 120, warned at 90 + 18.
    expect(back.status).toBe('open');
    expect(back.sla.clocks.first_response).toMatchObject({ runningSince: iso(90), dueAt: iso(120), warnAt: iso(108), elapsedSeconds: 1800 });
    expect(back.sla.clocks.resolution).toMatchObject({ runningSince: iso(90), dueAt: new Date(Date.parse(OPENED_AT) + (86_400 + 3600) * 1000).toISOString() });
  });

  it('stops every clock on resolve; reopening starts next response and resolution afresh, not first response again', () => {
    const solved = act(act(aNewTicket(), reply, 10).ticket, { kind: 'resolve' }, 20).ticket;
    expect(Object.values(solved.sla.clocks).every((clock) => clock.stoppedAt !== null)).toBe(true);
    expect(nextDeadline(solved)).toBeNull();

    const reopened = act(solved, { kind: 'reopen' }, 100).ticket;
    expect(reopened.sla.clocks.first_response).toEqual(solved.sla.clocks.first_response);
    expect(reopened.sla.clocks.next_response).toMatchObject({ startedAt: iso(100), dueAt: iso(220), stoppedAt: null });
    expect(reopened.sla.clocks.resolution).toMatchObject({ startedAt: iso(100), elapsedSeconds: 0, stoppedAt: null });
  });

  it('reopens by a customer follow-up the same way, and starts only what `sla.onReopen` names', () => {
    const onlyResolution = slaWith({ sla: { onReopen: ['resolution'] } });
    const solved = act(act(aNewTicket({ sla: onlyResolution }), reply, 10, onlyResolution).ticket, { kind: 'resolve' }, 20, onlyResolution).ticket;
    const reopened = followUp(solved, 100, 'P2', onlyResolution);
    expect(types(reopened.events)).toEqual([DetailType.ticketReopened]);
    expect(reopened.ticket.sla.clocks.next_response).toBeUndefined();
    expect(reopened.ticket.sla.clocks.resolution).toMatchObject({ startedAt: iso(100), stoppedAt: null });
  });

  it('gives the clocks the new priority’s targets from the moment a more urgent follow-up raises it', () => {
    const p3 = aNewTicket({ priority: 'P3' });
    const { ticket } = followUp(p3, 20, 'P1');
    expect(ticket.priority).toBe('P1');
    // P1: first response 15 minutes, counted from the follow-up.
    expect(ticket.sla.clocks.first_response).toMatchObject({ targetSeconds: 900, startedAt: iso(20), dueAt: iso(35), warnAt: iso(32) });
    expect(ticket.sla.clocks.resolution).toMatchObject({ targetSeconds: 4 * 3600, startedAt: iso(20) });
    expect(ticket.sla.dueAt).toBe(iso(35));
  });

  it('keeps a breached clock breached when the priority changes', () => {
    const p3 = aNewTicket({ priority: 'P3' });
    const marked = markThresholds(p3, dueThresholds(p3, at(241)), at(241)).ticket;
    const { ticket } = followUp(marked, 250, 'P1');
    expect(ticket.sla.clocks.first_response).toMatchObject({ breachedAt: iso(241), targetSeconds: 4 * 3600 });
    expect(ticket.sla.firstResponseBreachedAt).toBe(iso(241));
  });

  it('marks a reply after the due time breached, with its event, when the monitor had not got there', () => {
    const change = act(aNewTicket(), reply, 61);
    expect(types(change.events)).toEqual([DetailType.ticketResponded, DetailType.ticketSlaBreached]);
    const breach = TicketSlaBreachedDetail.parse(change.events[1]!.detail);
    expect(breach).toMatchObject({ clock: 'first_response', dueAt: iso(60), breachedAt: iso(61), targetSeconds: 3600, startedAt: OPENED_AT });
    expect(change.ticket.sla).toMatchObject({ firstResponseBreachedAt: iso(61), firstResponseDueAt: iso(60) });
  });

  it('raises nothing more for a reply after a breach the monitor marked', () => {
    const ticket = aNewTicket();
    const marked = markThresholds(ticket, dueThresholds(ticket, at(61)), at(61)).ticket;
    const change = act(marked, reply, 70);
    expect(types(change.events)).toEqual([DetailType.ticketResponded]);
    expect(change.ticket.sla.firstResponseBreachedAt).toBe(iso(61));
  });
});

describe('what the monitor raises', () => {
  it('warns at the threshold, breaches at the due time, each once', () => {
    const ticket = aNewTicket();
    expect(dueThresholds(ticket, at(47.99))).toEqual([]);
    const warned = markThresholds(ticket, dueThresholds(ticket, at(48)), at(48));
    expect(types(warned.events)).toEqual([DetailType.ticketSlaWarning]);
    expect(TicketSlaWarningDetail.parse(warned.events[0]!.detail)).toMatchObject({ warnAt: iso(48), warnedAt: iso(48), dueAt: iso(60), clock: 'first_response' });
    expect(warned.ticket.version).toBe(ticket.version + 1);
    expect(dueThresholds(warned.ticket, at(59))).toEqual([]);
    expect(nextDeadline(warned.ticket)).toBe(iso(60));

    const breached = markThresholds(warned.ticket, dueThresholds(warned.ticket, at(60)), at(60));
    expect(types(breached.events)).toEqual([DetailType.ticketSlaBreached]);
    expect(dueThresholds(breached.ticket, at(600))).toEqual([]);
    // The next deadline is the resolution warning, 80% of a day on.
    expect(nextDeadline(breached.ticket)).toBe(new Date(Date.parse(OPENED_AT) + 0.8 * 86_400_000).toISOString());
  });

  it('raises the warning with the breach when both are past (the monitor was away)', () => {
    const ticket = aNewTicket();
    expect(dueThresholds(ticket, at(90))).toEqual([
      { clock: 'first_response', kind: 'warning' },
      { clock: 'first_response', kind: 'breach' },
    ]);
  });

  it('is idempotent: marking again what is marked changes nothing but the version', () => {
    const ticket = aNewTicket();
    const once = markThresholds(ticket, dueThresholds(ticket, at(61)), at(61));
    const twice = markThresholds(once.ticket, [{ clock: 'first_response', kind: 'breach' }, { clock: 'first_response', kind: 'warning' }], at(62));
    expect(twice.events).toEqual([]);
    expect(twice.ticket.sla).toEqual(once.ticket.sla);
  });
});

describe('in business hours', () => {
  const officeHours = slaWith({
    queues: [
      {
        name: 'delays',
        description: 'Delays',
        pattern: { detail: { classification: { category: ['delay'] } } },
        businessHours: { timeZone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }], holidays: ['2026-12-25'] },
        sla: { P2: { firstResponse: '4h' } },
      },
    ],
  });

  it('counts only business time: a post on Friday at 15:00 with a 4h target is due on Monday at 11:00', () => {
    const ticket = aNewTicket({ sla: officeHours, receivedAt: '2026-11-27T15:00:00.000Z' });
    expect(ticket.sla.clocks.first_response).toMatchObject({ targetSeconds: 4 * 3600, dueAt: '2026-11-30T11:00:00.000Z' });
    // Warned after 3h12m of business time: Monday 10:12.
    expect(ticket.sla.clocks.first_response!.warnAt).toBe('2026-11-30T10:12:00.000Z');
  });

  it('skips holidays', () => {
    const ticket = aNewTicket({ sla: officeHours, receivedAt: '2026-12-24T16:00:00.000Z' });
    // 1h on the 24th, then the 25th is a holiday: the other 3h on the 28th (the 26th and 27th are a weekend).
    expect(ticket.sla.clocks.first_response!.dueAt).toBe('2026-12-28T12:00:00.000Z');
  });

  it('keeps the rest of the queue on the default targets', () => {
    const ticket = aNewTicket({ sla: officeHours, priority: 'P1', receivedAt: '2026-11-27T15:00:00.000Z' });
    // P1 first response 15 minutes, in business hours.
    expect(ticket.sla.clocks.first_response!.dueAt).toBe('2026-11-27T15:15:00.000Z');
  });

  it('pauses in business time: a pause over the weekend costs nothing', () => {
    const ticket = aNewTicket({ sla: officeHours, receivedAt: '2026-11-27T15:00:00.000Z' });
    const waiting = withSla(ticket, agentChange(ticket, { kind: 'pending' }, ROBIN, new Date('2026-11-27T16:00:00.000Z')), new Date('2026-11-27T16:00:00.000Z'), officeHours).ticket;
    expect(waiting.sla.clocks.first_response!.elapsedSeconds).toBe(3600);
    const stored = { ticketId: ticket.id, post: aSocialPost({ author: { id: ticket.author.id } }), classification: aClassification({ priority: 'P2' }), receivedAt: '2026-11-28T12:00:00.000Z' };
    const saturday = new Date('2026-11-28T12:00:00.000Z');
    const back = withSla(waiting, followUpChange(waiting, stored, saturday), saturday, officeHours).ticket;
    // 3h left from Saturday noon: Monday 09:00 to 12:00.
    expect(back.sla.clocks.first_response!.dueAt).toBe('2026-11-30T12:00:00.000Z');
  });
});

describe('properties over any sequence of changes and monitor passes', () => {
  type Step = { kind: 'agent'; action: AgentAction['kind'] } | { kind: 'follow_up'; priority: Priority } | { kind: 'monitor' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.constantFrom<AgentAction['kind']>('claim', 'reply', 'pending', 'resolve', 'reopen').map((action) => ({ kind: 'agent' as const, action })),
    fc.constantFrom<Priority>('P1', 'P2', 'P3').map((priority) => ({ kind: 'follow_up' as const, priority })),
    fc.constant({ kind: 'monitor' as const }),
  );
  const calendars = [
    DEFAULT_SLA,
    slaWith({
      queues: [
        {
          name: 'delays',
          description: 'Delays',
          pattern: { detail: { classification: { category: ['delay'] } } },
          businessHours: { timeZone: 'America/New_York', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '22:00', to: '06:00' }] },
        },
      ],
    }),
  ];
  const nightShift = businessCalendar({ timeZone: 'America/New_York', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '22:00', to: '06:00' }], holidays: [] });

  it(
    'raises each warning and each breach of a clock run at most once, only once its time has come, and keeps the ticket valid',
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(step, fc.integer({ min: 0, max: 6 * 60 })), { minLength: 1, maxLength: 25 }),
          fc.constantFrom(0, 1),
          fc.constantFrom<Priority>('P1', 'P2', 'P3'),
          (steps, calendarIndex, priority) => {
            const sla = calendars[calendarIndex]!;
            let ticket = aNewTicket({ priority, sla });
            let minutes = 0;
            const raised = new Map<string, number>();
            for (const [next, wait] of steps) {
              minutes += wait;
              const now = at(minutes);
              let events: OutgoingEvent[] = [];
              try {
                if (next.kind === 'monitor') {
                  const due = dueThresholds(ticket, now);
                  const change = markThresholds(ticket, due, now);
                  ticket = change.ticket;
                  events = change.events;
                } else if (next.kind === 'follow_up') {
                  if (ticket.status === 'closed') continue;
                  const change = followUp(ticket, minutes, next.priority, sla);
                  ticket = change.ticket;
                  events = change.events;
                } else {
                  const action: AgentAction = next.action === 'reply' ? { ...reply, replyId: `r-${minutes}` } : { kind: next.action };
                  const change = act(ticket, action, minutes, sla);
                  ticket = change.ticket;
                  events = change.events;
                }
              } catch {
                continue; // a change the status does not allow: nothing happened
              }
              for (const event of events) {
                if (event.detailType !== DetailType.ticketSlaWarning && event.detailType !== DetailType.ticketSlaBreached) continue;
                const detail = event.detail as { clock: string; startedAt: string; dueAt: string; warnAt?: string };
                const key = `${event.detailType} ${detail.clock} ${detail.startedAt}`;
                raised.set(key, (raised.get(key) ?? 0) + 1);
                expect(raised.get(key), key).toBe(1);
                const dueTime = event.detailType === DetailType.ticketSlaWarning ? detail.warnAt! : detail.dueAt;
                expect(Date.parse(dueTime)).toBeLessThanOrEqual(now.getTime());
              }
              expect(() => Ticket.parse(ticket)).not.toThrow();
              // The queue order and the monitor's index agree with the clocks.
              const running = Object.values(ticket.sla.clocks).filter((clock) => clock.runningSince !== null);
              if (running.length === 0) expect(ticket.sla.dueAt).toBeNull();
              if (nextDeadline(ticket) === null) expect(dueThresholds(ticket, at(minutes + 100_000))).toEqual([]);
              // A running clock in business hours falls due within them (or the instant its target ran out).
              if (calendarIndex === 1) {
                for (const clock of running) {
                  if (clock.elapsedSeconds < clock.targetSeconds) {
                    const due = new Date(Date.parse(clock.dueAt!) - 1);
                    expect(isBusinessTime(nightShift, due)).toBe(true);
                  }
                }
              }
            }
          },
        ),
        runs,
      );
    },
    timeout,
  );
});
