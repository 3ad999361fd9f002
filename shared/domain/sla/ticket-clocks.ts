// A ticket's SLA clocks: first response, next response and resolution, each counted in business
// time of the ticket's queue (shared/domain/sla/business-calendar.ts). Pure: what a change does to
// the clocks is read from the change itself (its events), so every path that changes a ticket
// (a new post, a follow-up, an agent, the monitor) goes through the same rules:
//
// - a new ticket starts first response and resolution;
// - an agent reply stops first response (the first reply) or next response;
// - the customer writing again after an agent reply starts next response, unless it already runs;
// - waiting for the customer (`pending_customer`) pauses every running clock; the customer writing
//   again resumes them, keeping the business time they had used;
// - resolve stops every clock; reopen starts afresh the clocks the policy names (`sla.onReopen`),
//   but never first response once the ticket had one;
// - a priority change gives the running and paused clocks the new policy from that moment: the
//   new target counts from the change, and a clock already breached stays breached;
// - a clock stopped after its due time without a breach mark is marked breached by that change,
//   with its event, so a breach the monitor had not reached yet is still raised, once.
import type { Priority } from '#contracts/classification';
import {
  DetailType,
  EventSource,
  type OutgoingEvent,
  type TicketSlaBreachedDetail,
  type TicketSlaWarningDetail,
  type TicketUpdatedDetail,
} from '#contracts/events';
import type { SlaClock, SlaClockName, TicketSla } from '#contracts/sla';
import type { Ticket } from '#contracts/ticket';
import { addBusinessTime, businessTimeBetween } from './business-calendar.ts';
import type { SlaPolicies, SlaPolicy } from './sla-policies.ts';

const CLOCKS: readonly SlaClockName[] = ['first_response', 'next_response', 'resolution'];
const RESPONSE_CLOCKS: readonly SlaClockName[] = ['first_response', 'next_response'];

/** A ticket's change as stored: the ticket after it and the events announcing it. */
interface Change {
  ticket: Ticket;
  events: OutgoingEvent[];
}

/** The clocks of a brand-new ticket: first response and resolution, both from its first post. */
export function openingSla(queue: string, priority: Priority, at: Date, policies: SlaPolicies): TicketSla {
  const policy = policies.policyFor(queue, priority);
  const clocks = { first_response: startClock(policy, 'first_response', at), resolution: startClock(policy, 'resolution', at) };
  return summarise(clocks, { firstResponseDueAt: clocks.first_response.dueAt!, firstResponseBreachedAt: null });
}

/**
 * The change with its ticket's clocks moved on as the change says (see the top of this file),
 * plus a breach event for any clock it stopped past due. `before` is the ticket the change read.
 */
export function withSla<C extends Change>(before: Ticket, change: C, now: Date, policies: SlaPolicies): C {
  const after = change.ticket;
  const policy = policies.policyFor(after.queue, after.priority);
  const clocks = { ...after.sla.clocks };
  const raised: OutgoingEvent[] = [];
  const stop = (name: SlaClockName) => {
    const clock = clocks[name];
    if (!clock || clock.stoppedAt !== null) return;
    const stopped = stopClock(policy, clock, now);
    clocks[name] = stopped.clock;
    if (stopped.breached) raised.push(thresholdEvent(after, name, stopped.clock, 'breach', now));
  };
  const start = (name: SlaClockName) => {
    clocks[name] = startClock(policy, name, now);
  };

  // A new priority (or queue) first: what follows then runs under the new policy.
  if (after.priority !== before.priority || after.queue !== before.queue) {
    for (const name of CLOCKS) {
      const clock = clocks[name];
      if (clock && clock.stoppedAt === null && clock.breachedAt === null) clocks[name] = retarget(policy, clock, name, now);
    }
  }
  for (const event of change.events) {
    switch (event.detailType) {
      case DetailType.ticketResponded:
        RESPONSE_CLOCKS.forEach(stop);
        break;
      case DetailType.ticketResolved:
        CLOCKS.forEach(stop);
        break;
      case DetailType.ticketReopened:
        for (const name of policy.onReopen) {
          if (name === 'first_response' && after.firstResponseAt !== null) continue;
          if (name === 'next_response' && after.firstResponseAt === null) {
            // Never answered: the customer still waits for a first response.
            if (clocks.first_response?.stoppedAt === null) continue;
          }
          start(name);
        }
        break;
      case DetailType.ticketUpdated: {
        const detail = event.detail as TicketUpdatedDetail;
        if (detail.change === 'pending_customer') {
          for (const name of CLOCKS) {
            const clock = clocks[name];
            if (clock && clock.runningSince !== null) clocks[name] = pauseClock(policy, clock, now);
          }
        } else if (detail.change === 'follow_up') {
          for (const name of CLOCKS) {
            const clock = clocks[name];
            if (clock && clock.stoppedAt === null && clock.runningSince === null) clocks[name] = resumeClock(policy, clock, now);
          }
          const next = clocks.next_response;
          if (after.firstResponseAt !== null && (!next || next.stoppedAt !== null)) start('next_response');
        }
        break;
      }
      default:
        break;
    }
  }
  const firstResponse = clocks.first_response;
  const sla = summarise(clocks, {
    firstResponseDueAt: firstResponse?.dueAt ?? after.sla.firstResponseDueAt,
    firstResponseBreachedAt: firstResponse?.breachedAt ?? after.sla.firstResponseBreachedAt,
  });
  return { ...change, ticket: { ...after, sla }, events: [...change.events, ...raised] };
}

/** A warning or breach whose time has come on a running clock and that was not raised yet. */
export interface DueThreshold {
  clock: SlaClockName;
  kind: 'warning' | 'breach';
}

/** What the monitor has to raise on the ticket at `now`, in clock order, warnings before breaches. */
export function dueThresholds(ticket: Ticket, now: Date): DueThreshold[] {
  const due: DueThreshold[] = [];
  for (const name of CLOCKS) {
    const clock = ticket.sla.clocks[name];
    if (!clock || clock.runningSince === null) continue;
    const breach = clock.breachedAt === null && clock.dueAt !== null && Date.parse(clock.dueAt) <= now.getTime();
    // A breach raised without its warning (the monitor was down, or the target is tiny) still warns first.
    if (clock.warnedAt === null && clock.warnAt !== null && (breach || Date.parse(clock.warnAt) <= now.getTime())) due.push({ clock: name, kind: 'warning' });
    if (breach) due.push({ clock: name, kind: 'breach' });
  }
  return due;
}

/**
 * The monitor's change: the thresholds marked on the ticket (each once: the caller stores it only
 * if the ticket is still at the version it read) and their events. Version and time move on like
 * any other change's.
 */
export function markThresholds(ticket: Ticket, thresholds: readonly DueThreshold[], now: Date): Change {
  const at = now.toISOString();
  const clocks = { ...ticket.sla.clocks };
  const events: OutgoingEvent[] = [];
  for (const { clock: name, kind } of thresholds) {
    const clock = clocks[name];
    if (!clock) continue;
    if (kind === 'warning' && clock.warnedAt === null) {
      events.push(thresholdEvent(ticket, name, clock, 'warning', now));
      clocks[name] = { ...clock, warnedAt: at, warnAt: null };
    } else if (kind === 'breach' && clock.breachedAt === null) {
      events.push(thresholdEvent(ticket, name, clock, 'breach', now));
      clocks[name] = { ...clock, breachedAt: at };
    }
  }
  const firstResponse = clocks.first_response;
  const sla = summarise(clocks, {
    firstResponseDueAt: ticket.sla.firstResponseDueAt,
    firstResponseBreachedAt: ticket.sla.firstResponseBreachedAt ?? firstResponse?.breachedAt ?? null,
  });
  return { ticket: { ...ticket, sla, version: ticket.version + 1, updatedAt: at }, events };
}

/**
 * The next moment the monitor must look at the ticket: the earliest warning or due time of a
 * running clock not yet raised, or null when no clock can raise anything (the ticket then leaves
 * the monitor's sparse index).
 */
export function nextDeadline(ticket: Ticket): string | null {
  let next: string | null = null;
  for (const name of CLOCKS) {
    const clock = ticket.sla.clocks[name];
    if (!clock || clock.runningSince === null) continue;
    const pending = [clock.warnedAt === null ? clock.warnAt : null, clock.breachedAt === null ? clock.dueAt : null];
    for (const time of pending) if (time !== null && (next === null || Date.parse(time) < Date.parse(next))) next = time;
  }
  return next;
}

// ---- one clock ----------------------------------------------------------------------------

function startClock(policy: SlaPolicy, name: SlaClockName, at: Date): SlaClock {
  const targetSeconds = policy.targets[name];
  const clock: SlaClock = {
    targetSeconds,
    warnAfterSeconds: Math.round(targetSeconds * policy.warningThreshold * 1000) / 1000,
    elapsedSeconds: 0,
    startedAt: at.toISOString(),
    runningSince: at.toISOString(),
    warnAt: null,
    dueAt: null,
    warnedAt: null,
    breachedAt: null,
    stoppedAt: null,
  };
  return schedule(policy, clock, at);
}

/** Due and warning times of a running clock, from the business time it has left. */
function schedule(policy: SlaPolicy, clock: SlaClock, from: Date): SlaClock {
  const left = (seconds: number) => addBusinessTime(policy.calendar, from, Math.max(0, seconds - clock.elapsedSeconds)).toISOString();
  return {
    ...clock,
    runningSince: from.toISOString(),
    dueAt: left(clock.targetSeconds),
    warnAt: clock.warnedAt === null ? left(clock.warnAfterSeconds) : null,
  };
}

function pauseClock(policy: SlaPolicy, clock: SlaClock, at: Date): SlaClock {
  if (clock.runningSince === null) return clock;
  const used = businessTimeBetween(policy.calendar, new Date(clock.runningSince), at);
  return { ...clock, elapsedSeconds: clock.elapsedSeconds + used, runningSince: null, dueAt: null, warnAt: null };
}

function resumeClock(policy: SlaPolicy, clock: SlaClock, at: Date): SlaClock {
  return schedule(policy, clock, at);
}

/** Stops the clock; `breached` when it stopped past its due time with no breach raised yet. */
function stopClock(policy: SlaPolicy, clock: SlaClock, at: Date): { clock: SlaClock; breached: boolean } {
  const late = clock.breachedAt === null && clock.dueAt !== null && Date.parse(clock.dueAt) < at.getTime();
  const paused = pauseClock(policy, clock, at);
  // The due time stays on a stopped clock: reports compare it with when the clock stopped.
  const stopped: SlaClock = { ...paused, dueAt: clock.dueAt, stoppedAt: at.toISOString(), ...(late ? { breachedAt: at.toISOString() } : {}) };
  return { clock: stopped, breached: late };
}

/** The clock under a new policy from `at`: the new target counts from then, nothing raised yet. */
function retarget(policy: SlaPolicy, clock: SlaClock, name: SlaClockName, at: Date): SlaClock {
  const fresh = startClock(policy, name, at);
  return clock.runningSince === null ? { ...fresh, runningSince: null, dueAt: null, warnAt: null } : fresh;
}

function summarise(
  clocks: TicketSla['clocks'],
  firstResponse: Pick<TicketSla, 'firstResponseDueAt' | 'firstResponseBreachedAt'>,
): TicketSla {
  let dueAt: string | null = null;
  for (const name of CLOCKS) {
    const clock = clocks[name];
    if (!clock || clock.runningSince === null || clock.dueAt === null) continue;
    if (dueAt === null || Date.parse(clock.dueAt) < Date.parse(dueAt)) dueAt = clock.dueAt;
  }
  return { clocks, dueAt, ...firstResponse };
}

function thresholdEvent(ticket: Ticket, name: SlaClockName, clock: SlaClock, kind: 'warning' | 'breach', now: Date): OutgoingEvent {
  const fields = {
    ticketId: ticket.id,
    queue: ticket.queue,
    priority: ticket.priority,
    clock: name,
    startedAt: clock.startedAt,
    targetSeconds: clock.targetSeconds,
    // A clock stopped late has its due time still; a running one always has one.
    dueAt: clock.dueAt ?? now.toISOString(),
  };
  if (kind === 'warning') {
    const detail: TicketSlaWarningDetail = { ...fields, warnAt: clock.warnAt ?? now.toISOString(), warnedAt: now.toISOString() };
    return { source: EventSource.tickets, detailType: DetailType.ticketSlaWarning, detail };
  }
  const detail: TicketSlaBreachedDetail = { ...fields, breachedAt: now.toISOString() };
  return { source: EventSource.tickets, detailType: DetailType.ticketSlaBreached, detail };
}
