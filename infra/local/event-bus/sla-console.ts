import { DetailType, EventSource, TicketSlaBreachedDetail, TicketSlaWarningDetail } from '#contracts/events';
import * as z from '#contracts/zod';
import { parseEventPattern } from '#event-patterns/validate';
import type { LocalRule } from './delivery.ts';
import type { BusEvent } from './envelope.ts';

/**
 * A local-only rule on the bus of `npm start` whose target prints each SLA warning and breach as
 * one line on the console, so a developer sees the monitor at work. In AWS the same events reach
 * ops through the alarms; every event, these included, is in the archive either way.
 */
export function slaConsoleRule(print: (line: string) => void, timeZone?: string): LocalRule {
  return {
    name: 'local-sla-console',
    eventPattern: parseEventPattern({ source: [EventSource.tickets], 'detail-type': [DetailType.ticketSlaWarning, DetailType.ticketSlaBreached] }),
    targetId: 'console',
    targetArn: 'local:console',
    // Printing does not fail; a line not printed is not worth a retry.
    retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
    invoke: async (event) => print(slaConsoleLine(event, timeZone)),
  };
}

// What the line needs of each detail: a detail that lacks it is still printed, as it came.
const Warning = z.pick(TicketSlaWarningDetail, { ticketId: true, queue: true, priority: true, clock: true, dueAt: true, warnedAt: true });
const Breach = z.pick(TicketSlaBreachedDetail, { ticketId: true, queue: true, priority: true, clock: true, dueAt: true, breachedAt: true });

/**
 * `[sla] WARNING tkt_… delays P2 first_response due 12:00:10 (in 2s)`, or `[sla] BREACHED … (2s
 * late)`: the due time on this machine's wall clock (or `timeZone`), and how far off it the
 * monitor raised the event. A replayed event says so.
 */
export function slaConsoleLine(event: BusEvent, timeZone?: string): string {
  const replay = event['replay-name'] === undefined ? '' : ` [replay ${event['replay-name']}]`;
  const warning = event['detail-type'] === DetailType.ticketSlaWarning;
  const parsed = warning ? Warning.safeParse(event.detail) : Breach.safeParse(event.detail);
  const kind = warning ? 'WARNING ' : 'BREACHED';
  if (!parsed.success) return `[sla] ${kind} ${JSON.stringify(event.detail)}${replay}`;
  const detail = parsed.data;
  // A warning comes ahead of the due time and a breach after it; a monitor running late (or
  // early by a clock's skew) is shown as on time rather than as the other kind.
  const when =
    'warnedAt' in detail
      ? `in ${span(secondsBetween(detail.warnedAt, detail.dueAt))}`
      : `${span(secondsBetween(detail.dueAt, detail.breachedAt))} late`;
  return `[sla] ${kind} ${detail.ticketId} ${detail.queue} ${detail.priority} ${detail.clock} due ${wallClock(detail.dueAt, timeZone)} (${when})${replay}`;
}

function secondsBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}

/** `42s`, `4m12s`, `1h02m`: a warning at 80% of a one-hour target comes 12m00s ahead. */
function span(seconds: number): string {
  const two = (value: number) => String(value).padStart(2, '0');
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${two(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${two(Math.floor((seconds % 3600) / 60))}m`;
}

function wallClock(iso: string, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(iso));
}
